"""One definition of “active on day D” (core/activity.py), used by every count.

The report, the member list document, the persons list filter, the models
list's member count and the one-leader check must agree, on the station's local
date (never SQLite's UTC ``date('now')``).
"""
from __future__ import annotations

import datetime as dt

import pytest
from docdata import make_station

from core import activity
from core.documents.members import member_lines
from core.periods import custom_period
from core.queries import MODELS, PERSONS, count_ids, list_ids, load_rows
from core.records import Membership, Model, Person, Unit
from core.report import build_report
from core.repos.persons import MembershipRepo
from core.services import members, models, units

TODAY = dt.date(2026, 11, 28)


def _iso(days: int) -> str:
    return (TODAY + dt.timedelta(days=days)).isoformat()


# name: (join_date, leave_date, active on TODAY)
CASES = {
    "Lê Văn An": (None, None, True),
    "Trần Thị Ánh": (_iso(-30), None, True),
    "Phạm Thị Bích": (_iso(3), None, False),          # joins in three days
    "Vũ Văn Đạt": (_iso(-30), _iso(0), False),         # left today
    "Nguyễn Văn Đức": (_iso(-30), _iso(1), True),      # leaves tomorrow
    "Hoàng Thị Hòa": (_iso(-30), _iso(-5), False),
}


@pytest.fixture
def station(tmp_path, monkeypatch):
    monkeypatch.setattr(activity, "clock", lambda: TODAY)
    ctx = make_station(tmp_path)
    unit_id, _ = units.save(ctx, Unit(name="Thôn Đồng Tâm", type="khu_dan_cu"))
    model_id, _ = models.save(ctx, Model(name="Tổ tự quản số 1", type="to_tu_quan",
                                         unit_ids=[unit_id], launch_date="2025-01-01"))
    people = {}
    for i, (name, (join, leave, _)) in enumerate(CASES.items()):
        pid, _ = members.save_person(ctx, Person(full_name=name, id_number=f"03500000{i:04d}"))
        members.save_membership(ctx, Membership(person_id=pid, model_id=model_id,
                                                role="to_truong" if i == 2 else "thanh_vien",
                                                join_date=join, leave_date=leave))
        people[name] = pid
    ctx.test_unit = unit_id
    yield ctx, model_id, people
    ctx.close()


def _active_names() -> set[str]:
    return {name for name, (_, _, active) in CASES.items() if active}


def test_every_count_agrees_on_who_is_active(station):
    ctx, model_id, people = station
    expected = _active_names()
    names = {pid: name for name, pid in people.items()}

    report = build_report(ctx, custom_period("01/11/2026", TODAY.isoformat()))
    assert report["indicators"]["members_total"] == len(expected)
    assert report["indicators"]["memberships_total"] == len(expected)

    printed = {line.person[0] for line in member_lines(ctx)}
    assert printed == expected

    listed = {names[i] for i in list_ids(ctx.db, PERSONS, filters={"state": "active"})}
    assert listed == expected
    assert count_ids(ctx.db, PERSONS, filters={"state": "active"}) == len(expected)
    left = {names[i] for i in list_ids(ctx.db, PERSONS, filters={"state": "left"})}
    assert left == {"Vũ Văn Đạt", "Hoàng Thị Hòa"}

    members_column = [c.key for c in MODELS.columns].index("members")
    assert load_rows(ctx.db, MODELS, [model_id])[model_id][members_column] == str(len(expected))

    in_memory = {names[m.person_id] for m in MembershipRepo(ctx.store).of_model(model_id)
                 if activity.membership_active(m)}
    assert in_memory == expected


def test_a_leader_who_joins_later_is_not_yet_the_leader(station):
    """Phạm Thị Bích is Tổ trưởng from three days on: today the team has no leader."""
    ctx, model_id, _ = station
    today = TODAY.isoformat()
    assert MembershipRepo(ctx.store).active_leaders(model_id, today) == []
    assert len(MembershipRepo(ctx.store).active_leaders(model_id, _iso(5))) == 1


def test_lists_use_the_local_date_not_sqlite_utc(station, monkeypatch):
    """00:30 in Vietnam is still yesterday in UTC: the local date decides.

    The station's clock says the day after SQLite's date('now'); a membership
    that ends on that local day has ended, whatever UTC says.
    """
    ctx, model_id, people = station
    utc_today = ctx.db.execute("SELECT date('now')").fetchone()[0]
    local = dt.date.fromisoformat(utc_today) + dt.timedelta(days=1)
    monkeypatch.setattr(activity, "clock", lambda: local)
    pid, _ = members.save_person(ctx, Person(full_name="Đinh Thị Lan", id_number="035000009999"))
    members.save_membership(ctx, Membership(person_id=pid, model_id=model_id,
                                            role="thanh_vien", join_date="2025-01-01",
                                            leave_date=local.isoformat()))
    assert pid not in list_ids(ctx.db, PERSONS, filters={"state": "active"})
    assert pid in list_ids(ctx.db, PERSONS, filters={"state": "left"})
    assert "Đinh Thị Lan" not in {line.person[0] for line in member_lines(ctx)}


def test_a_stopped_or_future_model_is_not_active(station):
    ctx, _, _ = station
    for name, status, launch in (("Tổ ngừng", "ngung", "2025-01-01"),
                                 ("Tổ sắp ra mắt", "binh_thuong", _iso(10)),
                                 ("Tổ chưa rõ ngày", "binh_thuong", None)):
        models.save(ctx, Model(name=name, type="to_tu_quan", status=status,
                               unit_ids=[ctx.test_unit], launch_date=launch))
    report = build_report(ctx, custom_period("01/11/2026", TODAY.isoformat()))
    assert report["indicators"]["models_total"] == 2     # Tổ tự quản số 1, Tổ chưa rõ ngày
    stopped = Model(name="x", type="to_tu_quan", status="ngung")
    assert not activity.model_active(stopped, TODAY)
    assert activity.model_active(Model(name="x", type="to_tu_quan", launch_date=_iso(0)), TODAY)
    assert not activity.model_active(Model(name="x", type="to_tu_quan",
                                           launch_date=_iso(1)), TODAY)


def test_sql_day_accepts_only_dates():
    assert activity.sql_day(dt.date(2026, 12, 1)) == "'2026-12-01'"
    with pytest.raises(ValueError):
        activity.sql_day("2026-12-01' OR 1=1 --")


def test_no_other_clock_is_read_for_today():
    """Only core/activity.py reads the date: no SQLite date('now') (UTC), no date.today()."""
    from pathlib import Path
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in [*(root / "core").rglob("*.py"), *(root / "ui").rglob("*.py")]:
        if path.name == "activity.py" and path.parent.name == "core":
            continue
        text = path.read_text(encoding="utf-8")
        for needle in ("date('now'", 'date("now"', "date.today()", "'now', 'localtime'"):
            if needle in text:
                offenders.append(f"{path.relative_to(root)}: {needle}")
    assert offenders == []
