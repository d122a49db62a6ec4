"""User accounts, roles and sign-in.

Roles: ``admin`` (manages accounts, settings, restore), ``editor`` (enters data,
imports, exports), ``viewer`` (reads and prints). Passwords are hashed with
scrypt (standard library) and a random salt. Five wrong passwords in a row lock
the account for five minutes.

Without any account the program works as before (everyone may do everything);
the first account must be an administrator. Once an account exists, nothing
is written unless a user with a high enough role is signed in
(:func:`require`, called by the services' guard and by the audit listener).
Account changes are written to the audit trail (table ``users``), never with
the password hash itself.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import logging
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from core import audit, keyslots, rules
from core.context import accounts_exist  # noqa: F401 - also its old place
from core.errors import PermissionDenied, UserError
from core.text import clean

if TYPE_CHECKING:  # pragma: no cover
    from core.context import Context

log = logging.getLogger(__name__)

ROLES = ("admin", "editor", "viewer")
ROLE_LABELS = {"admin": "Quản trị", "editor": "Nhập liệu", "viewer": "Chỉ xem"}
ROLE_RANK = {"viewer": 0, "editor": 1, "admin": 2}
ACTION_ROLE = {"read": "viewer", "edit": "editor", "admin": "admin"}
MAX_FAILED = 5
LOCK_MINUTES = 5
MIN_PASSWORD = 8
SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_LEN = 2 ** 14, 8, 1, 32
WRONG = "Sai tên tài khoản hoặc mật khẩu."


class AuthError(PermissionDenied):
    """Sign-in refused: wrong name or password, or the account is locked."""


@dataclass(frozen=True)
class Account:
    """An account as the screens list it (never the password)."""

    name: str
    role: str
    created_at: str
    failed_attempts: int
    locked_until: str | None
    recovery_key: str | None = None     # made with the first account: shown once

    @property
    def role_label(self) -> str:
        """The role in Vietnamese."""
        return ROLE_LABELS[self.role]


# -- passwords ---------------------------------------------------------------

def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt$hash`` for *password* with a fresh random salt."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R,
                            p=SCRYPT_P, dklen=SCRYPT_LEN)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def password_matches(password: str, stored: str) -> bool:
    """True when *password* hashes to *stored* (constant-time comparison)."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        computed = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt),
                                  n=int(n), r=int(r), p=int(p), dklen=len(digest) // 2,
                                  maxmem=256 * 1024 * 1024)
    except ValueError:
        return False
    return hmac.compare_digest(computed.hex(), digest)


def check_password(password: str) -> None:
    """Refuse a password that is too short."""
    if len(password or "") < MIN_PASSWORD:
        raise UserError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự.")


# -- queries -----------------------------------------------------------------

def _row(db, name: str) -> dict | None:
    cur = db.execute("SELECT name, role, password_hash, failed_attempts, locked_until,"
                     " created_at FROM users WHERE name = ?", [clean(name)])
    found = cur.fetchone()
    return dict(zip([d[0] for d in cur.description], found)) if found else None


def list_users(ctx: "Context") -> list[Account]:
    """Every account, by name (administrators only, once accounts exist)."""
    require(ctx, "admin")
    rows = ctx.db.execute("SELECT name, role, created_at, failed_attempts, locked_until"
                          " FROM users ORDER BY name COLLATE NOCASE").fetchall()
    return [Account(*r) for r in rows]


def admin_count(db) -> int:
    """How many administrators there are."""
    return db.execute("SELECT COUNT(*) FROM users WHERE role = 'admin'").fetchone()[0]


# -- roles -------------------------------------------------------------------

def require(ctx: "Context", action: str = "edit") -> None:
    """Refuse *action* ("read", "edit" or "admin") for the current user.

    Without accounts everything is allowed. With accounts, nobody signed in may
    do nothing, not even read (the records hold citizens' personal data); a
    signed-in user needs a role at least as high as the action's.
    """
    if ctx.role is None:
        if not accounts_exist(ctx.db):
            return
        if action == "read":
            raise PermissionDenied("Cần đăng nhập để xem dữ liệu (dòng lệnh: --user TÊN, "
                                   "mật khẩu trong biến ANTQ_PASSWORD).")
        raise PermissionDenied("Cần đăng nhập bằng tài khoản có quyền phù hợp để thực hiện "
                               "thao tác này (dòng lệnh: --user TÊN).")
    if ROLE_RANK[ctx.role] < ROLE_RANK[ACTION_ROLE[action]]:
        raise PermissionDenied(
            f"Tài khoản “{ctx.user}” (quyền {ROLE_LABELS[ctx.role]}) không được phép "
            "thực hiện thao tác này.")


def allowed(ctx: "Context", action: str) -> bool:
    """True when the current user may do *action* ("read", "edit", "admin")."""
    try:
        require(ctx, action)
    except PermissionDenied:
        return False
    return True


# -- the database key's slots (core.keyslots) -------------------------------

def _slots(ctx: "Context") -> keyslots.KeySlots | None:
    """The key slots of the open, encrypted database (None: nothing to wrap)."""
    if ctx.path is None or getattr(ctx.db, "key", None) is None:
        return None
    return keyslots.KeySlots.for_database(ctx.path)


def _wrap_for(ctx: "Context", name: str, password: str, first: bool) -> str | None:
    """Wrap the database key for account *name* (inside the change's transaction).

    The first account also gets the recovery key (returned, to be shown once), and
    the OS user's slot goes: from now on only an account (or the recovery key)
    opens the database. Its key file is removed by :func:`_drop_os_key_file`.
    """
    slots = _slots(ctx)
    if slots is None:
        return None
    slots.set_account(name, password, ctx.db.key)
    code = None
    if first:
        code = slots.set_recovery(ctx.db.key)
        slots.slots = [s for s in slots.slots if s.kind != "os"]
    slots.save()
    return code


def _drop_os_key_file(ctx: "Context") -> None:
    if ctx.path is not None:
        keyslots.os_key_path(ctx.path).unlink(missing_ok=True)


def new_recovery_key(ctx: "Context") -> str:
    """A new recovery key (the old one stops working); administrators only."""
    require(ctx, "admin")
    slots = _slots(ctx)
    if slots is None:
        raise UserError("Cơ sở dữ liệu này chưa được mã hóa.")
    if not accounts_exist(ctx.db):
        raise UserError("Hãy tạo tài khoản quản trị trước: mã khôi phục được tạo cùng "
                        "tài khoản đầu tiên.")
    code = slots.set_recovery(ctx.db.key)
    slots.save()
    log.info("new recovery key made")
    return code


# -- changes -----------------------------------------------------------------

def _check_role(role: str) -> str:
    role = clean(role).lower()
    if role not in ROLES:
        raise UserError("Quyền phải là admin (quản trị), editor (nhập liệu) "
                        "hoặc viewer (chỉ xem).")
    return role


def _write(ctx: "Context", name: str, op: str, before: dict | None) -> None:
    """Append the audit entry of an account change (inside its transaction)."""
    row = _row(ctx.db, name)
    audit.append(ctx.db, ctx.user or "", audit.USERS_TABLE, name, op,
                 audit.user_content(before) if before else None,
                 audit.user_content(row) if row else None)


def add_user(ctx: "Context", name: str, role: str, password: str) -> Account:
    """Create an account. The first one must be an administrator."""
    name, role = clean(name), _check_role(role)
    if problem := rules.account_name_problem(name):
        raise UserError(problem)
    check_password(password)
    first = not accounts_exist(ctx.db)
    if first and role != "admin":
        raise UserError("Tài khoản đầu tiên phải có quyền quản trị (admin).")
    if not first:
        require(ctx, "admin")
    if _row(ctx.db, name) is not None:
        raise UserError(f"Tài khoản “{name}” đã tồn tại.")
    stamp = audit._now()
    with ctx.store.transaction():
        ctx.db.execute("INSERT INTO users (name, role, password_hash, created_at)"
                       " VALUES (?, ?, ?, ?)", [name, role, hash_password(password), stamp])
        _write(ctx, name, "insert", None)
        code = _wrap_for(ctx, name, password, first)
    if first:
        _drop_os_key_file(ctx)
    log.info("account added (role %s)", role)
    return Account(name, role, stamp, 0, None, code)


def set_role(ctx: "Context", name: str, role: str) -> None:
    """Change an account's role (never leaving the station without an admin)."""
    require(ctx, "admin")
    role = _check_role(role)
    before = _row(ctx.db, name)
    if before is None:
        raise UserError(f"Không có tài khoản “{clean(name)}”.")
    if before["role"] == "admin" and role != "admin" and admin_count(ctx.db) == 1:
        raise UserError("Không thể bỏ quyền quản trị của tài khoản quản trị cuối cùng.")
    with ctx.store.transaction():
        ctx.db.execute("UPDATE users SET role = ? WHERE name = ?", [role, before["name"]])
        _write(ctx, before["name"], "update", before)
    if ctx.user and ctx.user.lower() == before["name"].lower():
        ctx.role = role


def remove_user(ctx: "Context", name: str) -> None:
    """Delete an account (not the last administrator, not oneself)."""
    require(ctx, "admin")
    before = _row(ctx.db, name)
    if before is None:
        raise UserError(f"Không có tài khoản “{clean(name)}”.")
    if ctx.user and ctx.user.lower() == before["name"].lower():
        raise UserError("Không thể tự xóa tài khoản đang đăng nhập.")
    if before["role"] == "admin" and admin_count(ctx.db) == 1:
        raise UserError("Không thể xóa tài khoản quản trị cuối cùng.")
    with ctx.store.transaction():
        ctx.db.execute("DELETE FROM users WHERE name = ?", [before["name"]])
        _write(ctx, before["name"], "remove", before)
        slots = _slots(ctx)
        if slots is not None:
            slots.remove_account(before["name"])
            slots.save()


def change_password(ctx: "Context", name: str, new_password: str,
                    old_password: str | None = None) -> None:
    """Change a password: one's own with the old one, anyone's as administrator."""
    before = _row(ctx.db, name)
    if before is None:
        raise UserError(f"Không có tài khoản “{clean(name)}”.")
    own = bool(ctx.user) and ctx.user.lower() == before["name"].lower()
    if own and ctx.role != "admin":
        if old_password is None or not password_matches(old_password, before["password_hash"]):
            raise AuthError("Mật khẩu hiện tại không đúng.")
    elif not own:
        require(ctx, "admin")
    check_password(new_password)
    with ctx.store.transaction():
        ctx.db.execute("UPDATE users SET password_hash = ?, failed_attempts = 0,"
                       " locked_until = NULL WHERE name = ?",
                       [hash_password(new_password), before["name"]])
        _write(ctx, before["name"], "password", before)
        _wrap_for(ctx, before["name"], new_password, False)     # this slot only


# -- sign-in -----------------------------------------------------------------

def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@contextlib.contextmanager
def _immediate(db) -> Iterator[None]:
    """One ``BEGIN IMMEDIATE`` transaction: the write lock is taken before anything is read.

    Inside a transaction someone else opened, that transaction's lock covers it.
    """
    conn = db.conn
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _locked_message(name: str, until: str) -> str:
    moment = dt.datetime.fromisoformat(until).astimezone()
    return (f"Tài khoản “{name}” đang bị khóa tạm thời do nhập sai mật khẩu {MAX_FAILED} "
            f"lần; hãy thử lại sau {moment:%H:%M} ngày {moment:%d/%m/%Y}.")


def verify(ctx: "Context", name: str, password: str, *,
           at: dt.datetime | None = None) -> str:
    """Check a name and password; return the role or raise :class:`AuthError`.

    Five failures in a row lock the account for five minutes; while locked, even
    the right password is refused. The attempt is counted first, in one immediate
    transaction, and only then is the password hashed: guesses made in parallel
    (several programs, several threads) each take one of the five places, and a
    guess that finds them all taken is refused without being checked.
    """
    at = at or _utcnow()
    with _immediate(ctx.db):
        row = _row(ctx.db, name)
        if row is not None:
            if row["locked_until"] and dt.datetime.fromisoformat(row["locked_until"]) > at:
                raise AuthError(_locked_message(row["name"], row["locked_until"]))
            if row["failed_attempts"] >= MAX_FAILED:   # the last places are being checked
                log.info("sign-in refused: attempts in progress use up the limit")
                raise AuthError(WRONG)
            attempt = row["failed_attempts"] + 1
            ctx.db.conn.execute("UPDATE users SET failed_attempts = ?, locked_until = NULL"
                                " WHERE name = ?", [attempt, row["name"]])
    if row is None:
        password_matches(password or "", _dummy())  # same time as a real check
        log.info("sign-in refused: unknown account")
        raise AuthError(WRONG)
    if not password_matches(password or "", row["password_hash"]):
        locked = None
        with _immediate(ctx.db):
            if attempt >= MAX_FAILED:
                locked = (at + dt.timedelta(minutes=LOCK_MINUTES)).isoformat(
                    timespec="seconds")
                ctx.db.conn.execute("UPDATE users SET failed_attempts = 0, locked_until = ?"
                                    " WHERE name = ?", [locked, row["name"]])
        log.info("sign-in refused: wrong password%s", " (account locked)" if locked else "")
        if locked:
            raise AuthError(f"Sai mật khẩu {MAX_FAILED} lần: tài khoản bị khóa "
                            f"{LOCK_MINUTES} phút.")
        raise AuthError(WRONG)
    with _immediate(ctx.db):
        ctx.db.conn.execute("UPDATE users SET failed_attempts = 0, locked_until = NULL"
                            " WHERE name = ?", [row["name"]])
    return row["role"]


def sign_in(ctx: "Context", name: str, password: str) -> str:
    """Verify and make *name* the context's user; return the role."""
    role = verify(ctx, name, password)
    ctx.user, ctx.role = _row(ctx.db, name)["name"], role
    _heal_slot(ctx, ctx.user, password)
    return role


def _heal_slot(ctx: "Context", name: str, password: str) -> None:
    """Give a signed-in account a slot that opens with its password when it lacks one
    (accounts restored from a plain backup), or replace its *pending* slot (made from
    its password verifier by a conversion signed in by another account) by an
    ordinary one with a fresh salt: the database is open, so its key is at hand."""
    if getattr(ctx.db, "unlocked_by", None) == ("account", name.lower()):
        return
    slots = _slots(ctx)
    if slots is None:
        return
    try:
        if slots.unlock_account(name, password) == ctx.db.key:
            return
    except UserError:
        pass
    slots.set_account(name, password, ctx.db.key)
    slots.save()
    log.info("key slot of an account renewed at sign-in")


def recovery_missing(ctx: "Context") -> bool:
    """True when an administrator is signed in on an encrypted station that has no
    recovery key (a conversion signed in by an editor or viewer): to be reminded.

    Never for another role: the recovery key opens everything, only an administrator
    makes or sees it."""
    if ctx.role != "admin" or not ctx.user or ctx.user == "(mã khôi phục)":
        return False
    slots = _slots(ctx)
    return slots is not None and slots.path.exists() and not slots.has_recovery


def sign_out(ctx: "Context") -> None:
    """Forget the signed-in user (the window's auto-lock calls this)."""
    ctx.user, ctx.role = None, None


@lru_cache(maxsize=1)
def _dummy() -> str:
    """A hash to check unknown names against, so they take as long as known ones."""
    return hash_password(secrets.token_hex(8))
