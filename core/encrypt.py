"""Converting a database made before encryption (issue #15) on its first start.

:func:`convert` runs from :func:`core.station.open_station` when the file is still a
plain SQLite database:

1. Without accounts the new key is kept for the OS user; with accounts the person
   must sign in first (name and password checked against the plain file), and the
   key is wrapped for that account. Every other account gets a *pending* slot
   (:meth:`core.keyslots.KeySlots.set_pending`), wrapped under its password verifier
   from the plain ``users`` table, so that it signs in with its unchanged password;
   its first sign-in replaces it by an ordinary slot (:func:`core.accounts.sign_in`).
   Trade-off: an old plain copy of the database reveals the verifiers, and so opens
   the pending slots until each account has signed in once; the plain automatic
   backups are encrypted in place below (step 4), and the plain file itself is gone.
   When the signed-in account is an administrator the recovery key is made too
   (returned, to be shown once to that administrator); otherwise the next
   administrator's sign-in is reminded (:func:`core.accounts.recovery_missing`).
2. A backup of the whole database is taken first, into the backups folder, in the
   encrypted backup format (reason ``encrypt``): the plain copy is never kept.
3. The database is exported with ``sqlcipher_export`` into a hidden copy next to it,
   which is checked (SQLite integrity, the same rows in every table), the key slots
   are written, and only then is the copy renamed over the plain file in one step.
   A conversion killed at any moment leaves the plain database as it was, usable
   (and converted at the next start).
4. The plain backups made before (automatic ones, copies kept by a restore) are
   then encrypted in place, one by one, each atomically.
"""
from __future__ import annotations

import logging
from pathlib import Path

from core import accounts, cipher, keyslots
from core.context import accounts_exist
from core.errors import DatabaseError, PermissionDenied, UserError
from core.files import atomic_path
from core.text import clean

log = logging.getLogger(__name__)

NEEDS_SIGN_IN = ("Cơ sở dữ liệu sẽ được mã hóa ở lần mở này: cần đăng nhập bằng một tài "
                 "khoản (dòng lệnh: --user TÊN, mật khẩu trong biến ANTQ_PASSWORD).")


def plain_has_accounts(path: Path | str) -> bool:
    """True when the plain database at *path* has accounts (read-only look)."""
    try:
        conn = cipher.connect(f"file:{Path(path)}?mode=ro", None, uri=True)
    except cipher.DatabaseError:
        return False
    try:
        return accounts_exist(conn)
    except cipher.DatabaseError:
        return False
    finally:
        conn.close()


def _tables(conn) -> list[str]:
    return [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                       " AND name NOT LIKE 'sqlite_%' ORDER BY name")]


def counts(conn) -> dict[str, int]:
    """Rows of every table (the conversion's check that nothing was lost)."""
    return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in _tables(conn)}


def convert(path: Path | str, user: str | None,
            password: str | None) -> tuple[bytes, str | None]:
    """Encrypt the plain database at *path* in place; return its new key and the
    recovery key made for an administrator converting it (None otherwise; see module)."""
    from core.backup import write_backup_of
    path = Path(path)
    plain = cipher.connect(path, None, timeout=5.0)
    try:
        try:
            busy = plain.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except cipher.DatabaseError as exc:
            raise UserError(f"Tệp “{path}” không phải là cơ sở dữ liệu của chương trình "
                            f"hoặc đã bị hỏng ({exc}).") from None
        if busy and busy[0]:
            raise UserError(f"Cơ sở dữ liệu “{path}” đang bị một chương trình khác sử dụng. "
                            "Hãy đóng chương trình đó rồi thử lại.")
        from core.db import is_initialised
        if not is_initialised(plain):       # another SQLite file: never touched
            raise DatabaseError(f"Cơ sở dữ liệu “{path}” chưa được khởi tạo. Hãy chạy lệnh "
                                "init trước.")
        key, recovery = keyslots.new_key(), None
        slots = keyslots.KeySlots(Path(f"{path}.keys"))
        if accounts_exist(plain):
            if not user:
                raise PermissionDenied(NEEDS_SIGN_IN)
            row = plain.execute("SELECT name, password_hash, role FROM users WHERE name = ?",
                                [clean(user)]).fetchone()
            if row is None or not accounts.password_matches(password or "", row[1]):
                raise accounts.AuthError(accounts.WRONG)
            slots.set_account(row[0], password, key)
            for name, verifier in plain.execute(
                    "SELECT name, password_hash FROM users WHERE name <> ? ORDER BY name",
                    [row[0]]):
                slots.set_pending(name, verifier, key)
            if row[2] == "admin":
                recovery = slots.set_recovery(key)
        else:
            slots.set_os_user(key, path)
        code = (plain.execute("SELECT code FROM station").fetchone() or ["antq"])[0] \
            if plain.execute("SELECT 1 FROM sqlite_master WHERE name = 'station'").fetchone() \
            else "antq"
        before = counts(plain)
        write_backup_of(plain, path, code, "encrypt", key, slots)
        with atomic_path(path) as tmp:
            cipher.export(plain, tmp, key)
            plain.close()          # before the rename: its -wal is the plain file's
            _check(tmp, key, before)
            slots.save(database=tmp)
    except BaseException:
        plain.close()
        raise
    for extra in ("-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)
    log.info("database converted to an encrypted one")
    from core.backup import encrypt_old_backups
    encrypt_old_backups(path, code, key, slots)
    return key, recovery


def _check(copy: str, key: bytes, expected: dict[str, int]) -> None:
    """The encrypted copy is sound and holds as many rows in every table."""
    conn = cipher.connect(copy, key)
    try:
        sound = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()] == ["ok"]
        found = counts(conn)
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()
    if not sound or found != expected:
        raise UserError("Không mã hóa được cơ sở dữ liệu (bản mã hóa không khớp); cơ sở dữ "
                        "liệu chưa thay đổi.")
