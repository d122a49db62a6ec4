"""The member list counts persons; the report's chart buckets by the report's months."""
from __future__ import annotations

import datetime as dt

from docdata import make_station, seed
from pdfcheck import text_of

from core.documents.charts import events_by_month
from core.documents.members import member_lines, members_list_pdf
from core.periods import custom_period, parse_period, report_month, report_months
from core.records import Event, Membership
from core.services import activities, members


def test_a_person_in_two_models_is_one_row_with_both_roles(tmp_path):
    ctx = make_station(tmp_path)
    ids = seed(ctx)
    first = ids["people"][0]                   # Nguyễn Văn Đức, Tổ trưởng of model 1
    members.save_membership(ctx, Membership(person_id=first, model_id=ids["models"][1],
                                            role="to_pho", join_date="2025-06-01"))
    lines = member_lines(ctx)
    assert len(lines) == len(ids["people"]) == 8
    duc = [line for line in lines if line.person[0] == "Nguyễn Văn Đức"]
    assert len(duc) == 1
    assert sorted(duc[0].roles) == [("Tổ an ninh nhân dân thôn Đồng Tâm", "Tổ trưởng"),
                                    ("Tổ hòa giải thôn Đồng Tâm", "Tổ phó")]
    out = tmp_path / "ds.pdf"
    members_list_pdf(ctx, out)
    text = text_of(out)
    assert "8 người" in text and "9 người" not in text
    assert text.count("Nguyễn Văn Đức") == 1
    assert "Tổ hòa giải thôn Đồng Tâm (Tổ phó)" in " ".join(text.split())
    ctx.close()


def test_report_month_of_a_day():
    assert report_month(dt.date(2026, 11, 28)) == (2026, 12)
    assert report_month(dt.date(2026, 11, 14)) == (2026, 11)
    assert report_month(dt.date(2026, 11, 15)) == (2026, 12)
    assert report_month(dt.date(2026, 12, 20)) == (2027, 1)
    assert report_months(parse_period("2026")) == [(2026, m) for m in range(1, 13)]
    assert report_months(parse_period("2026-12")) == [(2026, 12)]


def test_chart_draws_an_event_of_28_11_under_december(tmp_path):
    ctx = make_station(tmp_path)
    ids = seed(ctx)
    for date in ("2026-11-28", "2026-11-15", "2026-11-14", "2026-12-14", "2025-12-20"):
        activities.save_event(ctx, Event(date=date, type="tuyen_truyen", title=f"Họp {date}",
                                         unit_id=ids["units"][0], participants=10))
    year = dict(events_by_month(ctx, parse_period("2026")))
    assert list(year) == [f"{m:02d}/2026" for m in range(1, 13)]   # no 12/2025 column
    assert year["12/2026"] == 3        # 15/11, 28/11, 14/12
    assert year["11/2026"] == 1        # 14/11
    assert year["01/2026"] == 2        # 20/12/2025 and the seed's 10/01/2026
    assert sum(year.values()) == ctx.db.execute(
        "SELECT COUNT(*) FROM events WHERE deleted = 0 AND date BETWEEN '2025-12-15'"
        " AND '2026-12-14'").fetchone()[0]
    december = events_by_month(ctx, parse_period("2026-12"))
    assert december == [("12/2026", 3)]
    custom = dict(events_by_month(ctx, custom_period("01/11/2026", "30/11/2026")))
    assert custom == {"11/2026": 1, "12/2026": 2}
    ctx.close()
