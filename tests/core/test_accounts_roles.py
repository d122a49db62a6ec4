"""Accounts (hashing, first admin, lock-out) and each role against each service."""
from __future__ import annotations

import datetime as dt
import logging
import uuid

import pytest

from core import accounts, audit, backup
from core.errors import PermissionDenied, UserError
from core.records import Commendation, Event, Membership, Model, Person, Result, Unit, UnitYear
from core.services import activities, members, models, units
from security_fixtures import PASSWORD, make_users, seed


def audit_count(ctx) -> int:
    return ctx.db.execute("SELECT COUNT(*) FROM audit").fetchone()[0]


# -- passwords and accounts --------------------------------------------------

def test_password_hash_is_salted_scrypt():
    first, second = accounts.hash_password("abcdefgh"), accounts.hash_password("abcdefgh")
    assert first != second
    kind, n, r, p, salt, digest = first.split("$")
    assert (kind, int(n), int(r), int(p)) == ("scrypt", 2 ** 14, 8, 1)
    assert len(bytes.fromhex(salt)) == 16 and "abcdefgh" not in first
    assert accounts.password_matches("abcdefgh", first)
    assert not accounts.password_matches("abcdefgX", first)
    assert not accounts.password_matches("abcdefgh", "garbage")


def test_without_accounts_everything_is_allowed(ctx):
    assert not ctx.accounts_exist
    seed(ctx)  # no user signed in, no account: works as before


def test_first_account_must_be_admin(ctx):
    with pytest.raises(UserError, match="đầu tiên"):
        accounts.add_user(ctx, "an", "editor", PASSWORD)
    assert not ctx.accounts_exist
    accounts.add_user(ctx, "an", "admin", PASSWORD)
    assert ctx.accounts_exist


def test_later_accounts_need_an_admin(ctx):
    accounts.add_user(ctx, "quantri", "admin", PASSWORD)
    with pytest.raises(PermissionDenied):
        accounts.add_user(ctx, "b", "viewer", PASSWORD)
    accounts.sign_in(ctx, "quantri", PASSWORD)
    accounts.add_user(ctx, "b", "viewer", PASSWORD)
    with pytest.raises(UserError, match="đã tồn tại"):
        accounts.add_user(ctx, "B", "viewer", PASSWORD)
    with pytest.raises(UserError, match="ít nhất"):
        accounts.add_user(ctx, "c", "viewer", "short")
    with pytest.raises(UserError, match="Quyền"):
        accounts.add_user(ctx, "c", "boss", PASSWORD)
    assert [a.name for a in accounts.list_users(ctx)] == ["b", "quantri"]


def test_password_never_stored_in_clear_or_in_audit(ctx):
    make_users(ctx)
    dump = "\n".join(str(row) for (table,) in ctx.db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        for row in ctx.db.execute(f'SELECT * FROM "{table}"'))
    assert PASSWORD not in dump
    stored = ctx.db.execute("SELECT password_hash FROM users").fetchone()[0]
    assert stored not in "".join(r[0] or "" for r in ctx.db.execute("SELECT after FROM audit"))


def test_wrong_password_and_unknown_user_are_refused(ctx):
    make_users(ctx)
    with pytest.raises(accounts.AuthError, match="Sai tên tài khoản hoặc mật khẩu"):
        accounts.verify(ctx, "xem", "sai-mat-khau")
    with pytest.raises(accounts.AuthError, match="Sai tên tài khoản hoặc mật khẩu"):
        accounts.verify(ctx, "khongco", PASSWORD)
    assert accounts.verify(ctx, "XEM", PASSWORD) == "viewer"  # names ignore case


def test_lock_out_after_five_failures_for_five_minutes(ctx):
    make_users(ctx)
    t0 = dt.datetime(2026, 5, 1, 8, 0, tzinfo=dt.timezone.utc)
    for _ in range(4):
        with pytest.raises(accounts.AuthError, match="Sai tên"):
            accounts.verify(ctx, "xem", "sai", at=t0)
    with pytest.raises(accounts.AuthError, match="bị khóa 5 phút"):
        accounts.verify(ctx, "xem", "sai", at=t0)
    # locked: even the right password is refused
    with pytest.raises(accounts.AuthError, match="đang bị khóa"):
        accounts.verify(ctx, "xem", PASSWORD, at=t0 + dt.timedelta(minutes=4, seconds=59))
    assert accounts.verify(ctx, "xem", PASSWORD, at=t0 + dt.timedelta(minutes=5, seconds=1)) \
        == "viewer"
    row = ctx.db.execute("SELECT failed_attempts, locked_until FROM users"
                         " WHERE name = 'xem'").fetchone()
    assert row == (0, None)


def test_a_success_resets_the_failure_count(ctx):
    make_users(ctx)
    for _ in range(4):
        with pytest.raises(accounts.AuthError):
            accounts.verify(ctx, "xem", "sai")
    accounts.verify(ctx, "xem", PASSWORD)
    for _ in range(4):
        with pytest.raises(accounts.AuthError, match="Sai tên"):
            accounts.verify(ctx, "xem", "sai")


def test_change_password_and_roles(ctx):
    make_users(ctx)
    accounts.sign_in(ctx, "xem", PASSWORD)
    with pytest.raises(accounts.AuthError):
        accounts.change_password(ctx, "xem", "moi-mat-khau", "sai")
    with pytest.raises(PermissionDenied):
        accounts.change_password(ctx, "nhaplieu", "moi-mat-khau")
    accounts.change_password(ctx, "xem", "moi-mat-khau", PASSWORD)
    assert accounts.verify(ctx, "xem", "moi-mat-khau") == "viewer"
    accounts.sign_in(ctx, "quantri", PASSWORD)
    accounts.change_password(ctx, "xem", "mat-khau-khac")  # admin resets
    accounts.set_role(ctx, "xem", "editor")
    assert accounts.verify(ctx, "xem", "mat-khau-khac") == "editor"
    with pytest.raises(UserError, match="cuối cùng"):
        accounts.set_role(ctx, "quantri", "viewer")
    with pytest.raises(UserError, match="đang đăng nhập"):
        accounts.remove_user(ctx, "quantri")
    accounts.remove_user(ctx, "xem")
    with pytest.raises(accounts.AuthError):
        accounts.verify(ctx, "xem", "mat-khau-khac")
    ops = [e.op for e in audit.history(ctx, "users", "xem")]
    assert ops == ["insert", "password", "password", "update", "remove"]
    assert audit.verify(ctx.db) == []


def test_sign_in_logs_no_names(ctx, caplog):
    make_users(ctx)
    with caplog.at_level(logging.DEBUG):
        with pytest.raises(accounts.AuthError):
            accounts.verify(ctx, "nhaplieu", "sai")
        accounts.add_user(ctx, "tranthibinh", "viewer", PASSWORD)
        seed(ctx)
    text = caplog.text
    assert caplog.records, "expected sign-in events to be logged"
    for personal in ("nhaplieu", "quantri", "tranthibinh", "Nguyễn", PASSWORD):
        assert personal not in text


# -- each role against each service ------------------------------------------

@pytest.fixture
def fast_scrypt(monkeypatch):
    """Cheaper hashing for the many sign-ins of the role matrix (same code path)."""
    monkeypatch.setattr(accounts, "SCRYPT_N", 2 ** 10)

SERVICE_CASES = {
    "units.save": (None, lambda c, _: units.save(c, Unit(name=uuid.uuid4().hex))),
    "units.delete": ("unit", lambda c, i: units.delete(c, i)),
    "units.undelete": ("unit*", lambda c, i: units.undelete(c, i)),
    "units.set_year": ("unit", lambda c, i: units.set_year(c, UnitYear(unit_id=i, year=2026,
                                                                       registered=True))),
    "models.save": ("unit", lambda c, i: models.save(c, Model(name=uuid.uuid4().hex,
                                                              unit_ids=[i]))),
    "models.delete": ("model", lambda c, i: models.delete(c, i)),
    "models.undelete": ("model*", lambda c, i: models.undelete(c, i)),
    "members.save_person": (None, lambda c, _: members.save_person(
        c, Person(full_name="Lê Văn " + uuid.uuid4().hex[:5]))),
    "members.delete_person": ("person", lambda c, i: members.delete_person(c, i)),
    "members.undelete_person": ("person*", lambda c, i: members.undelete_person(c, i)),
    "members.save_membership": ("model", lambda c, i: members.save_membership(
        c, Membership(person_id=_person_for(c), model_id=i))),
    "members.delete_membership": ("membership", lambda c, i: members.delete_membership(c, i)),
    "activities.save_event": (None, lambda c, _: activities.save_event(
        c, Event(date="2026-01-05", title="Tuyên truyền", participants=10))),
    "activities.delete_event": ("event", lambda c, i: activities.delete_event(c, i)),
    "activities.save_result": ("unit", lambda c, i: activities.save_result(
        c, Result(date="2026-01-05", quantity=1, unit_id=i))),
    "activities.delete_result": ("result", lambda c, i: activities.delete_result(c, i)),
    "activities.save_commendation": ("unit", lambda c, i: activities.save_commendation(
        c, Commendation(recipient_kind="unit", recipient_id=i, decision_no=uuid.uuid4().hex,
                        decision_date="2026-02-01", achievement="Xuất sắc"))),
    "activities.delete_commendation": ("commendation",
                                       lambda c, i: activities.delete_commendation(c, i)),
    "activities.undelete": ("event*", lambda c, i: activities.undelete(c, "events", i)),
}

_PERSONS: dict[int, str] = {}


def _person_for(ctx) -> str:
    return _PERSONS[id(ctx)]


ADMIN_CASES = {
    "accounts.add_user": lambda c: accounts.add_user(c, "moi" + uuid.uuid4().hex[:6],
                                                     "viewer", PASSWORD),
    "accounts.set_role": lambda c: accounts.set_role(c, "xem", "viewer"),
    "accounts.list_users": lambda c: accounts.list_users(c),
    "accounts.change_password(other)": lambda c: accounts.change_password(
        c, "nhaplieu", PASSWORD),
    "accounts.remove_user": lambda c: accounts.remove_user(c, "xem"),
}


def _prepare(ctx, kind):
    """As the admin: the target record (a deleted one for "kind*")."""
    accounts.sign_in(ctx, "quantri", PASSWORD)
    ids = seed(ctx)
    _PERSONS[id(ctx)] = members.save_person(ctx, Person(full_name="Phạm Thị " +
                                                        uuid.uuid4().hex[:5]))[0]
    if kind is None:
        return None
    target = ids[kind.rstrip("*")]
    if kind.endswith("*"):
        {"unit": units.delete, "model": models.delete, "person": members.delete_person,
         "event": activities.delete_event}[kind.rstrip("*")](ctx, target)
    return target


@pytest.mark.parametrize("case", sorted(SERVICE_CASES))
@pytest.mark.parametrize("role", ["viewer", "nobody", "editor", "admin"])
def test_role_against_data_service(ctx, fast_scrypt, case, role):
    make_users(ctx)
    kind, action = SERVICE_CASES[case]
    target = _prepare(ctx, kind)
    if role == "nobody":
        accounts.sign_out(ctx)
    else:
        accounts.sign_in(ctx, {"viewer": "xem", "editor": "nhaplieu",
                               "admin": "quantri"}[role], PASSWORD)
    before = audit_count(ctx)
    if role in ("viewer", "nobody"):
        with pytest.raises(PermissionDenied):
            action(ctx, target)
        assert audit_count(ctx) == before  # nothing written
    else:
        action(ctx, target)
        assert audit_count(ctx) > before
        last = ctx.db.execute("SELECT user FROM audit ORDER BY seq DESC LIMIT 1").fetchone()[0]
        assert last == ctx.user
    assert audit.verify(ctx.db) == []


@pytest.mark.parametrize("case", sorted(ADMIN_CASES))
@pytest.mark.parametrize("role", ["viewer", "nobody", "editor", "admin"])
def test_role_against_admin_service(ctx, fast_scrypt, case, role):
    make_users(ctx)
    if role == "nobody":
        accounts.sign_out(ctx)
    else:
        accounts.sign_in(ctx, {"viewer": "xem", "editor": "nhaplieu",
                               "admin": "quantri"}[role], PASSWORD)
    if role == "admin":
        ADMIN_CASES[case](ctx)
    else:
        with pytest.raises(PermissionDenied):
            ADMIN_CASES[case](ctx)


@pytest.mark.parametrize("role", ["viewer", "editor", "admin"])
def test_role_against_restore_and_backup(ctx, fast_scrypt, tmp_path, role):
    make_users(ctx)
    seed(ctx)
    copy = backup.backup(ctx, tmp_path / "copy.sqlite3")  # any signed-in role may copy
    accounts.sign_in(ctx, {"viewer": "xem", "editor": "nhaplieu", "admin": "quantri"}[role],
                     PASSWORD)
    assert backup.backup(ctx, tmp_path / "copy2.sqlite3").is_file()
    if role == "admin":
        aside, info = backup.restore(ctx, copy)
        assert aside is not None and info.station_code == "X01"
    else:
        with pytest.raises(PermissionDenied):
            backup.restore(ctx, copy)


def test_store_writes_are_refused_without_a_user(ctx):
    """The audit listener refuses writes that bypass the services (second line)."""
    make_users(ctx)
    accounts.sign_out(ctx)
    with pytest.raises(PermissionDenied):
        with ctx.store.transaction():
            ctx.store.insert("units", {"name": "Lén", "name_fold": "len", "type": "khu_dan_cu"})
    assert ctx.db.execute("SELECT COUNT(*) FROM units").fetchone()[0] == 0
