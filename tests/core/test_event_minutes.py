"""An event keeps its biên bản's details (migration 0020): saved, audited, pre-filled,
printed, carried in the commune's package (issue: “asks every time and forgets”)."""
from __future__ import annotations

import json

import pytest
from docdata import make_station, seed
from exchange_support import link
from pdfcheck import text_of

from core import accounts, audit
from core.cli import run
from core.documents.attendance import minutes_pdf
from core.errors import PermissionDenied, ValidationError
from core.exchange import content as ct
from core.exchange import export_package, import_files
from core.records import Event, MinutesDetails
from core.repos.activities import EventRepo
from core.services import activities
from core.station import init_station

DETAILS = MinutesDetails(start_time="8 giờ 00", end_time="10 giờ 30",
                         place="Nhà văn hóa thôn Đồng Tâm",
                         chair="Bùi Văn Thắng, Trưởng Công an xã",
                         secretary="Lò Thị Mai, Cán bộ Công an xã",
                         content="Triển khai phong trào.\n  Phân công nhiệm vụ.  ",
                         result="Thống nhất kế hoạch\r\nquý II")


@pytest.fixture()
def station(tmp_path):
    ctx = make_station(tmp_path)
    ids = seed(ctx)
    yield ctx, ids
    ctx.close()


def _event(ctx, ids) -> str:
    return activities.save_event(ctx, Event(
        date="2026-03-15", type="hoi_nghi", title="Hội nghị triển khai phong trào",
        unit_id=ids["units"][0], participants=40, organiser="Công an xã"))[0]


def test_saved_once_kept_with_its_paragraphs_and_audited(station):
    ctx, ids = station
    event_id = _event(ctx, ids)
    assert activities.saved_minutes(ctx, event_id).is_empty()
    top = audit.head(ctx.db)[0]
    changes = activities.save_minutes(ctx, event_id, DETAILS)
    assert changes.tables() == {"events"}
    kept = activities.saved_minutes(ctx, event_id)
    assert kept.chair == "Bùi Văn Thắng, Trưởng Công an xã"
    assert kept.content == "Triển khai phong trào.\nPhân công nhiệm vụ."
    assert kept.result == "Thống nhất kế hoạch\nquý II"
    [entry] = ctx.db.execute("SELECT table_name, record_id, op, before, after FROM audit"
                             " WHERE seq > ?", [top]).fetchall()
    assert entry[:3] == ("events", event_id, "update")
    assert json.loads(entry[3])["minutes_chair"] == ""
    assert json.loads(entry[4])["minutes_chair"] == "Bùi Văn Thắng, Trưởng Công an xã"
    assert EventRepo(ctx.store).get(event_id).version == 2
    assert not activities.save_minutes(ctx, event_id, kept)     # nothing differs: no entry
    assert audit.head(ctx.db)[0] == top + 1
    assert audit.verify(ctx.db) == []


def test_the_biên_bản_prints_what_was_saved(station, tmp_path):
    ctx, ids = station
    event_id = _event(ctx, ids)
    activities.save_minutes(ctx, event_id, DETAILS)
    out = tmp_path / "bb.pdf"
    minutes_pdf(ctx, event_id, out)                    # no details given: the saved ones
    text = text_of(out)
    assert "Chủ trì: Bùi Văn Thắng, Trưởng Công an xã" in text
    assert "Nhà văn hóa thôn Đồng Tâm" in text and "10 giờ 30" in text
    minutes_pdf(ctx, event_id, out, MinutesDetails())  # given empty: dotted lines
    assert "Bùi Văn Thắng" not in text_of(out)


def test_rules_and_roles(station):
    ctx, ids = station
    event_id = _event(ctx, ids)
    with pytest.raises(ValidationError):
        activities.save_minutes(ctx, event_id, MinutesDetails(chair="x" * 300))
    with pytest.raises(ValidationError):
        activities.save_minutes(ctx, event_id, MinutesDetails(chair="a\x00b"))
    assert activities.saved_minutes(ctx, event_id).is_empty()
    accounts.add_user(ctx, "quantri", "admin", "mat-khau-123")
    accounts.sign_in(ctx, "quantri", "mat-khau-123")
    accounts.add_user(ctx, "xem", "viewer", "mat-khau-123")
    accounts.sign_in(ctx, "xem", "mat-khau-123")
    with pytest.raises(PermissionDenied):
        activities.save_minutes(ctx, event_id, DETAILS)
    assert activities.saved_minutes(ctx, event_id).is_empty()   # a viewer reads them


def test_cli_prints_saved_details_and_saves_with_a_flag(station, tmp_path, capsys):
    ctx, ids = station
    event_id = _event(ctx, ids)
    db, out = str(ctx.path), str(tmp_path / "bb.pdf")
    assert run(["--db", db, "print-minutes", event_id, "--chair", "Bùi Văn Thắng",
                "--content", "Một\\nHai", "--out", out, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["saved"] is False
    assert activities.saved_minutes(ctx, event_id).is_empty()     # printed only
    assert run(["--db", db, "print-minutes", event_id, "--chair", "Bùi Văn Thắng",
                "--start", "8 giờ 00", "--content", "Một\\nHai", "--save", "--out", out,
                "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"path": out, "pages": 1, "saved": True}
    kept = activities.saved_minutes(ctx, event_id)
    assert (kept.chair, kept.start_time, kept.content) == ("Bùi Văn Thắng", "8 giờ 00",
                                                          "Một\nHai")
    # later: only what is given changes, the rest is what was saved; "" clears
    assert run(["--db", db, "print-minutes", event_id, "--start", "", "--secretary", "Lò Thị Mai",
                "--save", "--out", out]) == 0
    capsys.readouterr()
    kept = activities.saved_minutes(ctx, event_id)
    assert (kept.chair, kept.start_time, kept.secretary) == ("Bùi Văn Thắng", "", "Lò Thị Mai")
    assert "Chủ trì: Bùi Văn Thắng" in text_of(out)
    # a bad value: exit 1, nothing saved, no file left
    bad = tmp_path / "bad.pdf"
    assert run(["--db", db, "print-minutes", event_id, "--chair", "x" * 300, "--save",
                "--out", str(bad)]) == 1
    assert "200" in capsys.readouterr().err and not bad.exists()
    assert activities.saved_minutes(ctx, event_id).chair == "Bùi Văn Thắng"


def test_the_details_travel_to_the_province(tmp_path):
    tinh = init_station(tmp_path / "t.db", level="tinh", code="T01", name="Công an tỉnh Thử")
    xa = init_station(tmp_path / "x.db", level="xa", code="X01", name="Công an xã Thử")
    link(tinh, xa, tmp_path)
    event_id = activities.save_event(xa, Event(date="2026-03-15", type="hoi_nghi",
                                               title="Hội nghị", participants=10))[0]
    activities.save_minutes(xa, event_id, DETAILS)
    up = tmp_path / "up.antq"
    export_package(xa, up)
    assert import_files(tinh, [up], trust_new=True)[0].status == "applied"
    there = activities.saved_minutes(tinh, event_id)
    assert there.chair == DETAILS.chair and there.result == "Thống nhất kế hoạch\nquý II"
    with pytest.raises(PermissionDenied):                    # the commune's record: read-only
        activities.save_minutes(tinh, event_id, MinutesDetails(chair="Tỉnh"))
    tinh.close()
    xa.close()


def test_a_package_without_the_columns_still_reads():
    wanted = ct.columns("events")
    older = [c for c in wanted if not c.startswith("minutes_")]
    row = list(range(len(older)))
    rows = ct._rows("events", {"columns": older, "rows": [row]})
    assert len(rows[0]) == len(wanted)
    assert [rows[0][wanted.index(c)] for c in wanted if c.startswith("minutes_")] == [""] * 7
