"""The recycle bin: delete with what goes with it, list, restore; the three commands;
how a deletion and its restoring travel to the province."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from exchange_support import commune, db_state, fill, link, province, send_up
from security_fixtures import PASSWORD, make_users, seed

from core import accounts, activity
from core.cli import run
from core.errors import PermissionDenied, UserError
from core.records import Event, Membership, Model, Person
from core.repos.persons import MembershipRepo
from core.services import activities, members, models, recycle


def _cli(capsys, ctx, *args) -> tuple[int, dict, str]:
    capsys.readouterr()
    code = run(["--db", str(ctx.path), *args, "--json"])
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out.strip() else {}, captured.err


@pytest.fixture
def ids(ctx):
    """One record of each kind; the person is in two models and on one event's list."""
    ids = seed(ctx)
    ids["club"], _ = models.save(ctx, Model(name="CLB Cựu chiến binh", type="cau_lac_bo",
                                            unit_ids=[ids["unit"]]))
    ids["membership2"], _ = members.save_membership(
        ctx, Membership(person_id=ids["person"], model_id=ids["club"]))
    event = activities.EventRepo(ctx.store).get(ids["event"])
    event.attendee_ids = [ids["person"]]
    activities.save_event(ctx, event)
    return ids


def _live(ctx, table, record_id) -> bool:
    return ctx.db.execute(f"SELECT deleted FROM {table} WHERE id = ?",
                          [record_id]).fetchone()[0] == 0


def test_the_question_names_what_goes_with_the_record(ctx, ids):
    assert recycle.question(ctx, ids["person"]) == (
        "Xóa “Nguyễn Văn An” cùng 2 lần tham gia mô hình, 1 lần điểm danh sự kiện"
        " và 1 khen thưởng?")
    assert recycle.question(ctx, ids["club"]) == "Xóa “CLB Cựu chiến binh” cùng danh sách" \
                                                 " 1 thành viên?"
    assert recycle.question(ctx, ids["event"]) == ("Xóa “Họp tổ (01/03/2026)” cùng danh"
                                                   " sách 1 người tham dự?")
    assert recycle.question(ctx, ids["result"]).startswith("Xóa “")
    assert recycle.question(ctx, ids["result"]).endswith(": 2 (02/03/2026)”?")


def test_delete_and_restore_a_person_with_memberships_attendance_and_commendation(
        ctx, ids, monkeypatch):
    monkeypatch.setattr(activity, "time_clock", lambda: dt.datetime(
        2026, 12, 2, 7, 45, 10, tzinfo=dt.timezone(dt.timedelta(hours=7))))
    kind, changes = recycle.delete(ctx, ids["person"])
    assert kind == "person"
    assert changes.count("memberships", "delete") == 2
    assert changes.count("commendations", "delete") == 1
    assert not _live(ctx, "persons", ids["person"])
    assert not _live(ctx, "commendations", ids["commendation"])
    [entry] = recycle.binned(ctx)
    assert (entry.id, entry.kind, entry.name, entry.deleted_at) == (
        ids["person"], "person", "Nguyễn Văn An", "2026-12-02T07:45:10+07:00")
    assert recycle.companions_text(ctx, entry) == "2 lần tham gia mô hình và 1 khen thưởng"
    # A membership deleted on its own before stays deleted after the restore.
    kind, changes = recycle.restore(ctx, ids["person"])
    assert kind == "person" and changes.count("memberships", "undelete") == 2
    assert all(_live(ctx, t, ids[k]) for t, k in (
        ("persons", "person"), ("memberships", "membership"), ("memberships", "membership2"),
        ("commendations", "commendation")))
    event = activities.EventRepo(ctx.store).get(ids["event"])
    assert event.attendee_ids == [ids["person"]]
    assert recycle.binned(ctx) == []


def test_restore_brings_back_only_what_went_with_the_record(ctx, ids):
    members.delete_membership(ctx, ids["membership2"])
    recycle.delete(ctx, ids["person"])
    recycle.restore(ctx, ids["person"])
    assert _live(ctx, "memberships", ids["membership"])
    assert not _live(ctx, "memberships", ids["membership2"])


def test_a_model_goes_with_its_memberships_and_comes_back_with_them(ctx, ids):
    recycle.delete(ctx, ids["model"])
    assert not _live(ctx, "memberships", ids["membership"])
    assert _live(ctx, "memberships", ids["membership2"])
    assert _live(ctx, "persons", ids["person"])
    recycle.restore(ctx, ids["model"])
    assert _live(ctx, "memberships", ids["membership"])


def test_a_membership_whose_person_is_still_deleted_comes_back_with_the_person(ctx, ids):
    recycle.delete(ctx, ids["model"])        # takes the membership of “Nguyễn Văn An” in it
    recycle.delete(ctx, ids["person"])       # takes the person's other membership
    recycle.restore(ctx, ids["model"])
    assert not _live(ctx, "memberships", ids["membership"])     # no live member of nobody
    recycle.restore(ctx, ids["person"])
    assert _live(ctx, "memberships", ids["membership"])
    assert _live(ctx, "memberships", ids["membership2"])


def test_bin_is_newest_first_and_filtered_by_kind(ctx, ids, monkeypatch):
    times = iter([dt.datetime(2026, 12, 1, h, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
                  for h in (8, 9, 10)])
    monkeypatch.setattr(activity, "time_clock", lambda: next(times))
    for key in ("result", "event", "unit"):
        recycle.delete(ctx, ids[key])
    assert [b.kind for b in recycle.binned(ctx)] == ["unit", "event", "result"]
    assert [b.id for b in recycle.binned(ctx, "event")] == [ids["event"]]
    [event] = recycle.binned(ctx, "event")
    assert recycle.companions_text(ctx, event) == "danh sách 1 người tham dự"
    with pytest.raises(UserError):
        recycle.binned(ctx, "membership")


def test_refusals_change_nothing(ctx, ids):
    before = db_state(ctx)
    with pytest.raises(UserError, match="Không có bản ghi nào mang mã"):
        recycle.delete(ctx, "khong-co")
    with pytest.raises(UserError, match="không nằm trong Thùng rác"):
        recycle.restore(ctx, ids["person"])
    assert db_state(ctx) == before
    recycle.delete(ctx, ids["unit"])
    with pytest.raises(UserError, match="đã nằm trong Thùng rác"):
        recycle.delete(ctx, ids["unit"])


def test_a_person_whose_id_number_was_reused_is_not_restored(ctx):
    pid, _ = members.save_person(ctx, Person(full_name="Lê Thị Hoa", id_number="001190000001"))
    recycle.delete(ctx, pid)
    members.save_person(ctx, Person(full_name="Lê Thị Hoa B", id_number="001190000001"))
    with pytest.raises(UserError, match="001190000001 nay là của “Lê Thị Hoa B”"):
        recycle.restore(ctx, pid)
    assert not _live(ctx, "persons", pid)


def test_an_older_tombstone_is_listed_from_the_audit_trail(ctx, ids):
    with ctx.store.transaction():                   # deleted before the bin existed
        ctx.store.set_deleted("memberships", ids["membership"], True)
        ctx.store.set_deleted("persons", ids["person"], True)
    [entry] = recycle.binned(ctx, "person")
    assert entry.name == "Nguyễn Văn An" and entry.deleted_by == ""
    assert dt.datetime.fromisoformat(entry.deleted_at).tzinfo is not None
    recycle.restore(ctx, ids["person"])
    assert MembershipRepo(ctx.store).of_person(ids["person"])


def test_viewer_may_list_but_not_delete_or_restore_and_the_trail_has_every_step(ctx, ids):
    make_users(ctx)
    recycle.delete(ctx, ids["unit"])
    accounts.sign_out(ctx)
    accounts.sign_in(ctx, "xem", PASSWORD)
    assert [b.deleted_by for b in recycle.binned(ctx)] == ["quantri"]
    with pytest.raises(PermissionDenied):
        recycle.restore(ctx, ids["unit"])
    with pytest.raises(PermissionDenied):
        recycle.delete(ctx, ids["result"])
    accounts.sign_out(ctx)
    accounts.sign_in(ctx, "nhaplieu", PASSWORD)
    recycle.restore(ctx, ids["unit"])
    trail = ctx.db.execute("SELECT user, op FROM audit WHERE record_id = ? ORDER BY seq",
                           [ids["unit"]]).fetchall()
    assert trail[-2:] == [("quantri", "delete"), ("nhaplieu", "undelete")]


# -- the commands ------------------------------------------------------------

def test_delete_deleted_undelete_commands(ctx, ids, capsys):
    code, out, err = _cli(capsys, ctx, "delete", ids["person"])
    assert (code, out) == (0, {"id": ids["person"], "kind": "person"})
    _cli(capsys, ctx, "delete", ids["result"])
    code, out, _ = _cli(capsys, ctx, "deleted")
    assert code == 0 and [r["id"] for r in out["records"]] == [ids["result"], ids["person"]]
    assert set(out["records"][1]) >= {"id", "kind", "name", "deleted_at", "deleted_by"}
    assert out["records"][1]["name"] == "Nguyễn Văn An"
    code, out, _ = _cli(capsys, ctx, "deleted", "--kind", "person")
    assert [r["kind"] for r in out["records"]] == ["person"]
    code, out, _ = _cli(capsys, ctx, "undelete", ids["person"])
    assert (code, out) == (0, {"id": ids["person"], "kind": "person"})
    assert len(MembershipRepo(ctx.store).of_person(ids["person"])) == 2
    code, out, _ = _cli(capsys, ctx, "deleted", "--kind", "person")
    assert out == {"records": []}


def test_commands_people_text(ctx, ids, capsys):
    capsys.readouterr()
    assert run(["--db", str(ctx.path), "delete", ids["person"]]) == 0
    assert "Đã chuyển thành viên “Nguyễn Văn An” cùng 2 lần tham gia mô hình" in \
        capsys.readouterr().out
    assert run(["--db", str(ctx.path), "deleted"]) == 0
    assert "thành viên · Nguyễn Văn An" in capsys.readouterr().out


@pytest.mark.parametrize("command", ["delete", "undelete"])
def test_unknown_id_exits_1_with_a_vietnamese_message(ctx, ids, capsys, command):
    before = db_state(ctx)
    code, out, err = _cli(capsys, ctx, command, "khong-co-ma-nay")
    assert code == 1 and "Không có bản ghi nào mang mã “khong-co-ma-nay”" in out["error"]
    assert db_state(ctx) == before


def test_undelete_of_a_live_record_exits_1(ctx, ids, capsys):
    code, out, _ = _cli(capsys, ctx, "undelete", ids["unit"])
    assert code == 1 and "không nằm trong Thùng rác" in out["error"]


def test_commands_with_accounts_viewer_is_refused(ctx, ids, capsys, monkeypatch):
    make_users(ctx)
    accounts.sign_out(ctx)
    monkeypatch.setenv("ANTQ_PASSWORD", PASSWORD)
    before = db_state(ctx)
    code, out, _ = _cli(capsys, ctx, "--user", "xem", "delete", ids["unit"])
    assert code == 1 and "không được phép" in out["error"]
    assert db_state(ctx) == before
    code, out, _ = _cli(capsys, ctx, "--user", "nhaplieu", "delete", ids["unit"])
    assert code == 0
    code, out, _ = _cli(capsys, ctx, "--user", "xem", "deleted")
    assert code == 0 and out["records"][0]["deleted_by"] == "nhaplieu"
    code, out, _ = _cli(capsys, ctx, "--user", "xem", "undelete", ids["unit"])
    assert code == 1 and "không được phép" in out["error"]
    code, out, _ = _cli(capsys, ctx, "delete", ids["unit"])      # nobody signed in
    assert code == 1
    code, out, _ = _cli(capsys, ctx, "--user", "quantri", "undelete", ids["unit"])
    assert code == 0


# -- through the exchange ----------------------------------------------------

def _province_row(tinh, table, record_id):
    return tinh.db.execute(f"SELECT deleted, version FROM {table} WHERE id = ?",
                           [record_id]).fetchone()


def test_restored_before_sending_travels_as_an_update(tmp_path):
    tinh, xa = province(tmp_path), commune(tmp_path, "X01")
    link(tinh, xa, tmp_path)
    data = fill(xa, seed=1, persons=4, events=2)
    person = data["people"][1]["id"]
    _, first = send_up(xa, tinh, tmp_path, "up1")
    assert first.status == "applied" and _province_row(tinh, "persons", person) == (0, 1)
    with pytest.raises(PermissionDenied, match="thuộc đơn vị X01"):   # the province's copy
        recycle.delete(tinh, person)
    recycle.delete(xa, person)
    recycle.restore(xa, person)
    _, second = send_up(xa, tinh, tmp_path, "up2")
    assert second.status == "applied"
    assert second.deleted == 0 and second.inserted == 0
    assert second.updated == 1 + 1          # the person and their one membership
    assert _province_row(tinh, "persons", person) == (0, 3)
    ops = tinh.db.execute("SELECT op FROM audit WHERE record_id = ? ORDER BY seq",
                          [person]).fetchall()
    assert [o[0] for o in ops] == ["insert", "update"]


def test_restored_after_sending_travels_as_a_new_version(tmp_path):
    tinh, xa = province(tmp_path), commune(tmp_path, "X01")
    link(tinh, xa, tmp_path)
    data = fill(xa, seed=2, persons=4, events=2)
    person = data["people"][0]["id"]      # in both models
    send_up(xa, tinh, tmp_path, "up1")
    recycle.delete(xa, person)
    _, second = send_up(xa, tinh, tmp_path, "up2")
    assert second.deleted == 1 + 2 and _province_row(tinh, "persons", person) == (1, 2)
    recycle.restore(xa, person)
    _, third = send_up(xa, tinh, tmp_path, "up3")
    assert third.status == "applied" and third.deleted == 0 and third.updated == 1 + 2
    assert _province_row(tinh, "persons", person) == (0, 3)
    live = tinh.db.execute("SELECT COUNT(*) FROM memberships WHERE person_id = ?"
                           " AND deleted = 0", [person]).fetchone()[0]
    assert live == 2
    ops = tinh.db.execute("SELECT op FROM audit WHERE record_id = ? ORDER BY seq",
                          [person]).fetchall()
    assert [o[0] for o in ops] == ["insert", "delete", "undelete"]
    # The province's own bin holds nothing of the commune's.
    assert recycle.binned(tinh) == []
