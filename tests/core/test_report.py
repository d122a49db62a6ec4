"""Report indicators on a hand-built dataset whose answers were worked out by hand.

Period 2026-6T runs 15/12/2025–14/06/2026; its recognition year is 2026.
"""
from __future__ import annotations

import datetime as dt

import pytest

from core.periods import custom_period, current_month, parse_period
from core.records import Commendation, Event, Membership, Model, Person, Result, Unit, UnitYear
from core.report import build_report
from core.services import activities, members, models, units
from core.errors import UserError


@pytest.mark.parametrize("text,start,end", [
    ("2026", "2025-12-15", "2026-12-14"),
    ("2026-6T", "2025-12-15", "2026-06-14"),
    ("2026-9t", "2025-12-15", "2026-09-14"),
    ("2026-01", "2025-12-15", "2026-01-14"),
    ("2026-03", "2026-02-15", "2026-03-14"),
])
def test_periods_use_the_15th_cut_offs(text, start, end):
    period = parse_period(text)
    assert (period.start.isoformat(), period.end.isoformat()) == (start, end)


@pytest.mark.parametrize("text", ["26", "2026-13", "2026-00", "2026-7T", "năm nay"])
def test_bad_periods_are_refused(text):
    with pytest.raises(UserError):
        parse_period(text)


def test_custom_period_and_current_month():
    assert custom_period("01/01/2026", "31/03/2026").end == dt.date(2026, 3, 31)
    with pytest.raises(UserError):
        custom_period("31/03/2026", "01/01/2026")
    assert current_month(dt.date(2026, 3, 14)).end == dt.date(2026, 3, 14)
    assert current_month(dt.date(2026, 3, 15)).end == dt.date(2026, 4, 14)
    assert current_month(dt.date(2026, 12, 20)).end == dt.date(2027, 1, 14)


def _unit(ctx, name, type_, years=()):
    unit_id, _ = units.save(ctx, Unit(name=name, type=type_))
    for year, registered, recognised in years:
        units.set_year(ctx, UnitYear(unit_id=unit_id, year=year, registered=registered,
                                     recognised=recognised))
    return unit_id


@pytest.fixture
def dataset(ctx):
    a = _unit(ctx, "Thôn A", "khu_dan_cu", [(2026, True, True)])
    b = _unit(ctx, "Thôn B", "khu_dan_cu", [(2026, True, False)])
    _unit(ctx, "Trường THCS Hòa Bình", "nha_truong", [(2026, True, True)])
    _unit(ctx, "Công ty May X", "doanh_nghiep", [(2025, True, True)])  # other year
    c = _unit(ctx, "Thôn C", "khu_dan_cu", [(2026, True, True)])
    units.delete(ctx, c)  # deleted: not counted anywhere

    m1, _ = models.save(ctx, Model(name="Tổ ANND thôn A", type="to_an_ninh_nhan_dan",
                                   unit_ids=[a], launch_date="2020-01-01", status="hieu_qua",
                                   advanced=True))
    models.save(ctx, Model(name="Tổ hòa giải thôn B", type="to_hoa_giai", unit_ids=[b],
                           launch_date="2026-07-01"))  # launched after the period
    models.save(ctx, Model(name="CLB phòng chống ma túy", type="cau_lac_bo", unit_ids=[b],
                           status="ngung"))  # stopped
    m4, _ = models.save(ctx, Model(name="Tổ bảo vệ ANTT thôn B", type="to_bao_ve_antt",
                                   unit_ids=[b]))  # no launch date: counts

    def person(name):
        return members.save_person(ctx, Person(full_name=name))[0]
    p1, p2, p3, p4 = (person(n) for n in ("Nguyễn Văn An", "Lê Thị Bình",
                                          "Trần Văn Cường", "Phạm Thị Dung"))
    for person_id, model_id, role, join, leave in [
        (p1, m1, "to_truong", "2020-01-01", None),
        (p1, m4, "thanh_vien", "2026-01-01", None),
        (p2, m1, "to_pho", "2026-06-14", None),        # joins on the last day: active
        (p3, m1, "thanh_vien", "2026-06-15", None),    # joins after: not active
        (p4, m4, "thanh_vien", "2020-01-01", "2026-06-14"),  # left on the last day
    ]:
        members.save_membership(ctx, Membership(person_id=person_id, model_id=model_id,
                                                role=role, join_date=join, leave_date=leave))

    for date, type_, people, gone in [("2025-12-15", "tuyen_truyen", 100, False),
                                      ("2026-06-14", "hoi_nghi", 50, False),
                                      ("2025-12-14", "tuyen_truyen", 70, False),
                                      ("2026-03-01", "tuyen_truyen", 20, True)]:
        event_id, _ = activities.save_event(ctx, Event(date=date, type=type_, title=f"Buổi {date}",
                                                       participants=people))
        if gone:
            activities.delete_event(ctx, event_id)

    for date, type_, qty in [("2026-01-10", "tin_bao", 5), ("2026-02-10", "tin_bao", 3),
                             ("2026-06-15", "tin_bao", 100), ("2026-05-05", "hoa_giai_thanh", 2)]:
        activities.save_result(ctx, Result(date=date, type=type_, quantity=qty, unit_id=a))

    for kind, rid, form, date in [("person", p1, "giay_khen", "2026-01-20"),
                                  ("model", m1, "giay_khen", "2026-02-01"),
                                  ("unit", a, "bang_khen", "2025-12-01")]:
        activities.save_commendation(ctx, Commendation(
            recipient_kind=kind, recipient_id=rid, form=form, decision_no=f"QĐ-{date}",
            decision_date=date, achievement="Đã có thành tích xuất sắc"))
    return ctx


def test_indicators_match_the_hand_worked_answers(dataset):
    report = build_report(dataset, parse_period("2026-6T"))
    ind = report["indicators"]
    assert report["period"] == {"from": "2025-12-15", "to": "2026-06-14",
                                "label": "6 tháng đầu năm 2026"}
    assert ind["units_total"] == 4
    assert ind["units_by_type"] == {"khu_dan_cu": 2, "co_quan": 0, "doanh_nghiep": 1,
                                    "nha_truong": 1, "khac": 0}
    assert (ind["khu_dan_cu_registered"], ind["khu_dan_cu_safe"]) == (2, 1)
    assert (ind["cqdnnt_registered"], ind["cqdnnt_safe"]) == (1, 1)
    assert ind["models_total"] == 2
    assert ind["models_by_type"]["to_an_ninh_nhan_dan"] == 1
    assert ind["models_by_type"]["to_bao_ve_antt"] == 1
    assert sum(ind["models_by_type"].values()) == 2
    assert (ind["models_effective"], ind["models_advanced"]) == (1, 1)
    assert ind["memberships_total"] == 3
    assert ind["members_total"] == 2
    assert ind["members_by_role"] == {"to_truong": 1, "to_pho": 1, "thanh_vien": 1}
    assert ind["events_total"] == 2 and ind["participants_total"] == 150
    assert ind["events_by_type"]["tuyen_truyen"] == 1 and ind["events_by_type"]["hoi_nghi"] == 1
    assert ind["results"]["tin_bao"] == 8 and ind["results"]["hoa_giai_thanh"] == 2
    assert sum(ind["results"].values()) == 10
    assert ind["commendations_by_form"] == {"giay_khen": 2, "bang_khen": 0,
                                            "ky_niem_chuong": 0, "bieu_duong": 0}
    assert (ind["commendations_individual"], ind["commendations_collective"]) == (1, 1)
    assert "by_commune" not in report


def test_a_later_period_sees_the_later_stock(dataset):
    ind = build_report(dataset, parse_period("2026"))["indicators"]
    assert ind["models_total"] == 3          # the Tổ hòa giải launched 01/07/2026
    assert ind["memberships_total"] == 4     # P1 twice, P2, P3 (joined); P4 left
    assert ind["members_total"] == 3
    assert ind["results"]["tin_bao"] == 108


def test_memberships_of_deleted_models_and_people_do_not_count(dataset):
    ctx = dataset
    guard_team = models_named(ctx, "Tổ bảo vệ ANTT thôn B")[0]
    models.delete(ctx, guard_team)  # its memberships stay live, yet must not count
    ind = build_report(ctx, parse_period("2026"))["indicators"]
    assert ind["memberships_total"] == 3 and ind["members_total"] == 3
    assert ind["members_by_role"]["thanh_vien"] == 1
    # A deleted person whose membership is still live (as received data may be):
    # written straight through the store, the way a received copy is.
    person_id = ctx.db.execute("SELECT id FROM persons WHERE full_name = ?",
                               ["Lê Thị Bình"]).fetchone()[0]
    with ctx.store.transaction():
        ctx.store.set_deleted("persons", person_id)
    ind = build_report(ctx, parse_period("2026"))["indicators"]
    assert ind["memberships_total"] == 2 and ind["members_total"] == 2
    assert ind["members_by_role"]["to_pho"] == 0


def models_named(ctx, name):
    return [r[0] for r in ctx.db.execute("SELECT id FROM models WHERE name = ?", [name])]


def test_province_sums_its_communes_and_breaks_them_down(tmp_path):
    from core.station import init_station
    province = init_station(tmp_path / "p.sqlite3", level="tinh", code="T01",
                            name="Công an tỉnh Hòa Bình")
    try:
        with province.store.transaction():
            for owner, count in (("X01", 3), ("X02", 2)):
                for i in range(count):
                    province.store.insert("units", {"name": f"Thôn {owner}-{i}",
                                                    "name_fold": "thon", "type": "khu_dan_cu"},
                                          owner=owner)
                province.store.insert("results", {"date": "2026-01-01", "type": "tin_bao",
                                                  "quantity": 10 * count}, owner=owner)
            province.store.insert("units", {"name": "Phòng PV05", "name_fold": "phong",
                                            "type": "co_quan"})  # the province's own
        report = build_report(province, parse_period("2026"))
    finally:
        province.close()
    assert report["level"] == "tinh"
    assert set(report["by_commune"]) == {"X01", "X02"}
    assert report["by_commune"]["X01"]["units_total"] == 3
    assert report["by_commune"]["X02"]["results"]["tin_bao"] == 20
    assert report["indicators"]["units_total"] == 5
    assert report["indicators"]["results"]["tin_bao"] == 50


def test_role_counts_packed_in_one_sum_match_the_role_by_role_counts(dataset):
    from core.report import _memberships_by_owner
    ctx = dataset
    active = "ms.deleted = 0"
    roles = ["to_truong", "to_pho", "thanh_vien"]
    packed = list(_memberships_by_owner(ctx.db.execute, active, {}, roles))
    # 63 roles leave one bit a role: every owner overflows it and is counted role by role.
    many = roles + [f"x{i}" for i in range(60)]
    plain = list(_memberships_by_owner(ctx.db.execute, active, {}, many))
    assert [(o, t, p, c) for o, t, p, c in packed] == [
        (o, t, p, c[:3]) for o, t, p, c in plain]
    assert packed[0][1] == 5 and packed[0][3] == [1, 1, 3]
