"""merge-persons: one person from two, history kept, the tombstone travels, imports resolve."""
from __future__ import annotations

import json

import openpyxl
import pytest
from exchange_support import commune, link, province, send_up
from security_fixtures import PASSWORD, make_users

from core import accounts, audit
from core.cli import run
from core.errors import PermissionDenied, UserError
from core.records import Commendation, Event, Membership, Model, Person, Unit
from core.repos.activities import CommendationRepo, EventRepo
from core.repos.persons import MembershipRepo, PersonRepo
from core.services import activities, members, models, units
from core.services.merge import merge_persons, pick, plan_merge, resolve_merged
from core.workbook import import_workbook


def _world(ctx) -> dict:
    """Two records of one man (a year and no diacritics / a full date), their links."""
    ids = {}
    ids["unit"], _ = units.save(ctx, Unit(name="Thôn Đông"))
    ids["annd"], _ = models.save(ctx, Model(name="Tổ ANND thôn Đông", unit_ids=[ids["unit"]]))
    ids["clb"], _ = models.save(ctx, Model(name="CLB phòng chống ma túy", type="cau_lac_bo",
                                           unit_ids=[ids["unit"]]))
    ids["keep"], _ = members.save_person(ctx, Person(
        full_name="Nguyen Van An", birth_date="1980", address="thôn Đông",
        phone="0912345678"))
    ids["gone"], _ = members.save_person(ctx, Person(
        full_name="Nguyễn Văn An", birth_date="1980-05-01", gender="nam",
        id_number="001080000001", old_id_number="012345678", address="Xóm 1, thôn Đông",
        phone="0988777666"))
    ids["other"], _ = members.save_person(ctx, Person(full_name="Trần Thị Bình"))
    # Both in the ANND team (one membership after the merge), only GONE in the club.
    ids["m_keep"], _ = members.save_membership(ctx, Membership(
        person_id=ids["keep"], model_id=ids["annd"], join_date="2021-01-01",
        leave_date="2022-01-01"))
    ids["m_gone"], _ = members.save_membership(ctx, Membership(
        person_id=ids["gone"], model_id=ids["annd"], role="to_truong",
        join_date="2020-03-01"))
    ids["m_clb"], _ = members.save_membership(ctx, Membership(
        person_id=ids["gone"], model_id=ids["clb"], join_date="2023-02-01"))
    ids["event"], _ = activities.save_event(ctx, Event(
        date="2026-03-01", title="Họp tổ", participants=5,
        attendee_ids=[ids["keep"], ids["gone"], ids["other"]]))
    ids["event2"], _ = activities.save_event(ctx, Event(
        date="2026-04-01", title="Tuần tra", participants=3, attendee_ids=[ids["gone"]]))
    ids["award"], _ = activities.save_commendation(ctx, Commendation(
        recipient_kind="person", recipient_id=ids["gone"], decision_no="12/QĐ",
        decision_date="2026-04-01", achievement="Tích cực"))
    return ids


@pytest.mark.parametrize("field, keep, gone, result", [
    ("birth_date", "1980", "1980-05-01", "1980-05-01"),     # a full date over a year
    ("birth_date", "1980-05-01", "1980", "1980-05-01"),
    ("birth_date", "1980-05-01", "1981-02-02", "1980-05-01"),  # both full: kept one's
    ("full_name", "Nguyen Van An", "Nguyễn Văn An", "Nguyễn Văn An"),  # with diacritics
    ("full_name", "Nguyễn Văn An", "Nguyen Van An", "Nguyễn Văn An"),
    ("address", "thôn Đông", "Xóm 1, thôn Đông", "Xóm 1, thôn Đông"),  # says more
    ("phone", "0912345678", "0988777666", "0912345678"),
    ("phone", "", "0988777666", "0988777666"),              # an empty value is filled
    ("gender", None, "nam", "nam"),
])
def test_the_more_precise_value_wins(field, keep, gone, result):
    assert pick(field, keep, gone) == result


def test_merge_moves_everything_to_keep_and_leaves_a_tombstone(ctx):
    ids = _world(ctx)
    plan = plan_merge(ctx, ids["keep"], ids["gone"])
    assert (plan.moved_memberships, plan.joined_memberships, plan.events,
            plan.commendations) == (1, ["Tổ ANND thôn Đông"], 2, 1)
    assert plan.changes_text() == [
        "Họ và tên: “Nguyen Van An” → “Nguyễn Văn An”",
        "Ngày sinh: “1980” → “01/05/1980”",
        "Giới tính: “” → “Nam”",
        "Số định danh (CCCD): “” → “001080000001”",
        "Số CMND cũ: “” → “012345678”",
        "Nơi cư trú: “thôn Đông” → “Xóm 1, thôn Đông”",
    ]
    result = merge_persons(ctx, ids["keep"], ids["gone"])
    assert result.person_id == ids["keep"]
    people = PersonRepo(ctx.store)
    kept = people.get(ids["keep"])
    assert (kept.full_name, kept.given_name, kept.birth_date, kept.id_number,
            kept.old_id_number, kept.phone, kept.address) == (
        "Nguyễn Văn An", "An", "1980-05-01", "001080000001", "012345678", "0912345678",
        "Xóm 1, thôn Đông")
    gone = people.get(ids["gone"], include_deleted=True)
    assert gone.deleted and gone.merged_into == ids["keep"]
    assert people.find(ids["gone"]) is None
    # One ANND membership: the earlier join, still active, the higher role.
    memberships = MembershipRepo(ctx.store).of_person(ids["keep"])
    by_model = {m.model_id: m for m in memberships}
    assert set(by_model) == {ids["annd"], ids["clb"]}
    annd = by_model[ids["annd"]]
    assert (annd.id, annd.role, annd.join_date, annd.leave_date) == (
        ids["m_keep"], "to_truong", "2020-03-01", None)
    assert by_model[ids["clb"]].id == ids["m_clb"]
    assert MembershipRepo(ctx.store).find(ids["m_gone"]) is None
    assert MembershipRepo(ctx.store).of_person(ids["gone"]) == []
    events = EventRepo(ctx.store)
    assert sorted(events.get(ids["event"]).attendee_ids) == sorted([ids["keep"], ids["other"]])
    assert events.get(ids["event2"]).attendee_ids == [ids["keep"]]
    assert CommendationRepo(ctx.store).get(ids["award"]).recipient_id == ids["keep"]
    # History is kept: GONE's own trail ends with the tombstone; nothing is unaccounted.
    assert [e.op for e in audit.history(ctx, "persons", ids["gone"])] == [
        "insert", "update", "delete"]
    assert audit.history(ctx, "persons", ids["gone"])[-2].after["merged_into"] == ids["keep"]
    assert audit.verify(ctx.db) == []
    assert resolve_merged(ctx, ids["gone"]) == ids["keep"]


def test_refusals_change_nothing(ctx):
    ids = _world(ctx)
    third, _ = members.save_person(ctx, Person(full_name="Nguyễn Văn An",
                                               id_number="001080000002"))
    before = ctx.db.execute("SELECT COUNT(*) FROM audit").fetchone()[0]
    with pytest.raises(UserError, match="Hai số định danh khác nhau"):
        merge_persons(ctx, third, ids["gone"])
    with pytest.raises(UserError, match="hai người khác nhau"):
        merge_persons(ctx, ids["keep"], ids["keep"])
    with pytest.raises(UserError, match="Không tìm thấy"):
        merge_persons(ctx, ids["keep"], "00000000-0000-4000-8000-000000000000")
    assert ctx.db.execute("SELECT COUNT(*) FROM audit").fetchone()[0] == before
    merge_persons(ctx, ids["keep"], ids["gone"])
    with pytest.raises(UserError):
        merge_persons(ctx, ids["keep"], ids["gone"])       # already merged (deleted)
    with pytest.raises(UserError, match="đã được gộp vào “Nguyễn Văn An”"):
        members.undelete_person(ctx, ids["gone"])


def test_viewer_is_refused_editor_and_admin_may_merge(ctx):
    ids = _world(ctx)
    make_users(ctx)
    accounts.sign_in(ctx, "xem", PASSWORD)
    with pytest.raises(PermissionDenied):
        merge_persons(ctx, ids["keep"], ids["gone"])
    assert PersonRepo(ctx.store).find(ids["gone"]) is not None
    plan_merge(ctx, ids["keep"], ids["gone"])         # a viewer may look at the plan
    accounts.sign_in(ctx, "nhaplieu", PASSWORD)
    merge_persons(ctx, ids["keep"], ids["gone"])
    assert [e.user for e in audit.history(ctx, "persons", ids["gone"])][-1] == "nhaplieu"


def _cli(capsys, ctx, *args) -> tuple[int, dict]:
    capsys.readouterr()
    code = run(["--db", str(ctx.path), *args, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else {}


def test_merge_persons_command(ctx, capsys, monkeypatch):
    ids = _world(ctx)
    make_users(ctx)
    accounts.sign_out(ctx)
    monkeypatch.setenv("ANTQ_PASSWORD", PASSWORD)
    code, _ = _cli(capsys, ctx, "--user", "xem", "merge-persons", ids["keep"], ids["gone"])
    assert code == 1
    code, _ = _cli(capsys, ctx, "merge-persons", ids["keep"], ids["gone"])   # nobody signed in
    assert code == 1
    code, out = _cli(capsys, ctx, "--user", "nhaplieu", "merge-persons", ids["keep"],
                     ids["gone"])
    assert code == 0 and out["person_id"] == ids["keep"]
    assert out["memberships_moved"] == 1 and out["memberships_joined"] == 1
    code, _ = _cli(capsys, ctx, "--user", "nhaplieu", "merge-persons", ids["keep"],
                   ids["gone"])
    assert code == 1                                       # GONE no longer exists
    code, out = _cli(capsys, ctx, "search-persons", "001080000001")
    assert [p["person_id"] for p in out["persons"]] == [ids["keep"]]


# -- a later import does not bring GONE back ---------------------------------------------

def _list(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Thành viên"
    sheet.append(["Họ và tên", "Ngày sinh", "Số định danh", "Địa chỉ", "Mô hình", "Chức vụ"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_a_later_import_resolves_the_merged_person_to_keep(ctx, tmp_path):
    unit_id, _ = units.save(ctx, Unit(name="Thôn Đông"))
    model_id, _ = models.save(ctx, Model(name="Tổ ANND thôn Đông", unit_ids=[unit_id]))
    # The same list taken in before the merge made two persons of one man.
    path = _list(tmp_path / "ds.xlsx", [
        ["Nguyễn Văn An", 1980, None, None, "Tổ ANND thôn Đông", "Thành viên"],
        ["Nguyen Van An", "01/05/1980", None, "thôn Đông", "Tổ ANND thôn Đông", "Tổ trưởng"],
        ["Lê Văn Tư", "1975", "001075000009", None, "Tổ ANND thôn Đông", "Thành viên"],
    ])
    report = import_workbook(ctx, path)
    assert report.errors == []
    people = PersonRepo(ctx.store)
    [year] = people.ids_by_name("Nguyễn Văn An", "1980")
    [full] = people.ids_by_name("Nguyễn Văn An", "1980-05-01")
    merge_persons(ctx, full, year)
    assert people.get(full).birth_date == "1980-05-01"
    [tu] = people.ids_by_id_number("001075000009")
    lu, _ = members.save_person(ctx, Person(full_name="Lê Văn Tư", birth_date="1975"))
    merge_persons(ctx, tu, lu)
    others = ctx.db.execute("SELECT id, version FROM persons WHERE id != ? ORDER BY id",
                            [full]).fetchall()
    again = import_workbook(ctx, path)
    assert again.errors == []
    assert sum(again.inserted.values()) == 0, again.inserted
    assert people.count() == 2
    assert people.find(year) is None and people.find(lu) is None
    kept = people.get(full)
    # The merged person's row (a year alone) did not make the kept date less precise.
    assert (kept.birth_date, kept.address) == ("1980-05-01", "thôn Đông")
    assert ctx.db.execute("SELECT id, version FROM persons WHERE id != ? ORDER BY id",
                          [full]).fetchall() == others
    [membership] = MembershipRepo(ctx.store).of_person(full)
    assert (membership.model_id, membership.role) == (model_id, "to_truong")
    assert audit.verify(ctx.db) == []


# -- the province ----------------------------------------------------------------------------

def test_the_merge_travels_to_the_province(tmp_path):
    tinh, xa = province(tmp_path), commune(tmp_path, "X01")
    try:
        link(tinh, xa, tmp_path)
        ids = _world(xa)
        _, first = send_up(xa, tinh, tmp_path, "first")
        assert first.status == "applied"
        assert tinh.db.execute("SELECT COUNT(*) FROM memberships WHERE person_id = ?"
                               " AND deleted = 0", [ids["gone"]]).fetchone()[0] == 2
        merge_persons(xa, ids["keep"], ids["gone"])
        _, second = send_up(xa, tinh, tmp_path, "second")
        assert second.status == "applied", second.reason
        gone = tinh.store.row("persons", ids["gone"])
        assert (gone["deleted"], gone["merged_into"]) == (1, ids["keep"])
        assert tinh.store.row("persons", ids["keep"])["id_number"] == "001080000001"
        live = tinh.db.execute(
            "SELECT person_id, model_id FROM memberships WHERE deleted = 0 ORDER BY model_id"
        ).fetchall()
        assert sorted(live) == sorted([(ids["keep"], ids["annd"]), (ids["keep"], ids["clb"])])
        attendees = tinh.store.links(EventRepo.entity, ids["event2"])["attendee_ids"]
        assert attendees == [ids["keep"]]
        assert tinh.store.row("commendations", ids["award"])["recipient_id"] == ids["keep"]
        assert audit.verify(tinh.db) == []
        # The province cannot merge the commune's records itself (read-only copies).
        other, _ = members.save_person(xa, Person(full_name="Nguyễn Văn An"))
        send_up(xa, tinh, tmp_path, "third")
        with pytest.raises(PermissionDenied):
            merge_persons(tinh, ids["keep"], other)
    finally:
        tinh.close()
        xa.close()
