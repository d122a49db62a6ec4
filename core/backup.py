"""Backups and restore.

A backup is a consistent copy taken with SQLite's online backup API (so the
database may be in use), written to a temporary file in the target folder,
switched to a single-file journal, flushed to disk, renamed into place and then
verified. Automatic backups (before a workbook import, a restore or a migration,
and daily while the window runs) go to ``<data folder>/backups`` and are kept in
rotation: the newest ``backup_keep`` (setting, default 30) per database.

A restore first copies the chosen file next to the database and verifies the
copy (SQLite integrity, a station database, a schema this program knows, an
intact audit trail whose records match it). Only then is the current database
copied aside (``<name>.truoc-khoi-phuc-<time>.sqlite3`` next to it, never
rotated), checkpointed and closed, its ``-wal``/``-shm`` removed, and the
verified copy renamed over it in one atomic step. A damaged backup is refused
and nothing changes.

Every backup is encrypted (issue #15). A backup file is one file readable on
another computer with an account's password or the recovery key alone:
:data:`MAGIC`, the length of a JSON header and the header (the key slots of
the database, :meth:`core.keyslots.KeySlots.for_backup`, never the OS user's),
then the SQLCipher database, encrypted with the station's key. ``restore``
also takes a plain SQLite backup made before encryption (it is encrypted with
the current key on the way in) and a backup whose key differs from the
station's (a password of one of the backup's accounts or its recovery key opens
it; the restored database keeps the backup's key slots).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core import audit, cipher, keyslots
from core.errors import FileWriteError, UserError, write_failure_reason
from core.files import atomic_path, fsync_dir, fsync_file, remove_temp
from core.paths import backups_dir
from core.tempfiles import remove_stale_copies

if TYPE_CHECKING:  # pragma: no cover
    from core.context import Context

log = logging.getLogger(__name__)

KEEP_SETTING = "backup_keep"
DEFAULT_KEEP = 30
LAST_DAILY_SETTING = "backup_last_daily"
REASONS = {"import": "trước khi nhập dữ liệu", "restore": "trước khi khôi phục",
           "migration": "trước khi nâng cấp cơ sở dữ liệu", "daily": "hằng ngày",
           "manual": "do người dùng", "encrypt": "trước khi mã hóa cơ sở dữ liệu",
           "repair": "trước khi sửa chữ"}
MAGIC = b"ANTQ-SAO-LUU-MA-HOA-1\n"
FOREIGN_KEY = ("bản sao lưu được mã hóa bằng khóa khác với cơ sở dữ liệu đang dùng: cần mật "
               "khẩu của một tài khoản có trong bản sao lưu (--user TÊN) hoặc mã khôi phục "
               "của nó (--recovery-key)")
_NAME = re.compile(r"^(?P<prefix>.+)-(?P<stamp>\d{8}-\d{6}(?:-\d+)?)-(?P<reason>[a-z]+)"
                   r"\.sqlite3$")


@dataclass(frozen=True)
class BackupFile:
    """An automatic backup as the backup screen lists it."""

    path: Path
    taken_at: dt.datetime
    reason: str
    size: int

    @property
    def reason_label(self) -> str:
        """Why it was taken, in Vietnamese."""
        return REASONS.get(self.reason, self.reason)


# -- writing files -----------------------------------------------------------

def copy_database(conn: sqlite3.Connection, out: Path | str, key: bytes | None = None,
                  slots: "keyslots.KeySlots | None" = None, *,
                  plain_source: bool = False) -> Path:
    """Write a consistent, verified copy of an open database to *out*.

    Encrypted with *key* in the backup format (see the module; *slots* are the
    database's key slots, carried in the file); without a key, a plain SQLite
    file. Through :func:`core.files.atomic_path`: the copy is checked before it
    replaces *out*, and a copy that cannot be written or read back leaves
    nothing behind.
    """
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FileWriteError(out, exc) from None
    with atomic_path(out) as tmp:       # it clears what a killed backup left
        inner = f"{tmp}-db.tmp" if key is not None else tmp
        try:
            try:
                if plain_source and key is not None:    # SQLite's backup cannot encrypt
                    remove_temp(inner)
                    cipher.export(conn, inner, key)
                else:
                    target = cipher.connect(inner, key)
                    try:
                        conn.backup(target)
                    finally:
                        target.close()
                target = cipher.connect(inner, key)
                try:
                    write_meta(target)
                    target.execute("PRAGMA journal_mode=DELETE")
                finally:
                    target.close()
            except cipher.OperationalError as exc:     # full disk, read-only folder
                raise FileWriteError(out, exc) from None
            problem = _integrity(Path(inner), key)
            if problem:
                raise UserError(f"Bản sao lưu vừa ghi không đọc lại được ({problem}); "
                                "hãy kiểm tra ổ đĩa rồi thử lại.")
            if key is not None:
                cipher.remember(inner, key)
                _wrap(inner, tmp, slots)
        finally:
            if inner != tmp:
                remove_temp(inner)
    return out


def _wrap(inner: str | Path, out: str | Path, slots: "keyslots.KeySlots | None") -> None:
    """Write the backup file: its header (the key slots), then the encrypted database."""
    header = json.dumps({"version": 1, "slots": slots.for_backup() if slots else []},
                        ensure_ascii=True).encode("ascii")
    with open(out, "wb") as target, open(inner, "rb") as source:
        target.write(MAGIC + struct.pack(">I", len(header)) + header)
        shutil.copyfileobj(source, target, 1024 * 1024)


def read_header(path: Path | str) -> tuple[list[keyslots.Slot], int] | None:
    """The key slots a backup file carries and where its database starts; None for a
    plain SQLite file (or any other file: its check then says what it is)."""
    with open(path, "rb") as handle:
        if handle.read(len(MAGIC)) != MAGIC:
            return None
        try:
            (size,) = struct.unpack(">I", handle.read(4))
            if size > 16 * 1024 * 1024:
                raise ValueError(size)
            data = json.loads(handle.read(size).decode("ascii"))
            slots = [keyslots.Slot(**s) for s in data["slots"]]
        except (ValueError, KeyError, TypeError, struct.error, UnicodeDecodeError):
            raise UserError("phần đầu của tệp sao lưu bị hỏng") from None
    return slots, len(MAGIC) + 4 + size


def extract(backup_file: Path | str, dest: Path | str) -> list[keyslots.Slot] | None:
    """Copy the database a backup file holds to *dest*; return its key slots
    (None: a plain SQLite backup made before encryption, copied as it is)."""
    found = read_header(backup_file)
    if found is None:
        shutil.copyfile(backup_file, dest)
        return None
    slots, start = found
    with open(backup_file, "rb") as source, open(dest, "wb") as target:
        source.seek(start)
        shutil.copyfileobj(source, target, 1024 * 1024)
    return slots


def backup_key(database: Path | str, slots: list[keyslots.Slot], *,
               keys: tuple[bytes | None, ...] = (), user: str | None = None,
               password: str | None = None, recovery_key: str | None = None) -> bytes:
    """The key of an extracted backup *database*: one of *keys* (the station's own),
    one this process already knows, its recovery key or an account's password."""
    for key in (*keys, cipher.known_key(database)):
        if key is not None and cipher.opens(database, key):
            return key
    held = keyslots.KeySlots(Path(f"{database}.keys"), list(slots))
    if recovery_key:
        return held.unlock_recovery(recovery_key)
    if user and password is not None and held.has_account(user):
        try:
            return held.unlock_account(user, password)
        except UserError:
            raise UserError(f"{FOREIGN_KEY}. {keyslots.WRONG}") from None
    raise UserError(FOREIGN_KEY)


META_TABLE = "backup_meta"


def _precise_now() -> str:
    """UTC ISO time to the microsecond: a backup taken just before a restore and the
    restore itself fall in the same second, and must still come in order."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


def write_meta(copy: sqlite3.Connection) -> None:
    """The backup's metadata, inside the copy: when it was taken and the head of its
    audit trail (entry number and MAC), which ``check`` compares with the live trail."""
    found = audit.head(copy)
    copy.execute(f"CREATE TABLE IF NOT EXISTS {META_TABLE}"
                 " (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    copy.execute(f"DELETE FROM {META_TABLE}")
    values = {"taken_at": _precise_now()}
    if found:
        values.update(audit_seq=str(found[0]), audit_mac=found[1])
    copy.executemany(f"INSERT INTO {META_TABLE} (key, value) VALUES (?, ?)",
                     list(values.items()))
    copy.commit()


def read_meta(path: Path | str, key: bytes | None = None) -> dict[str, str]:
    """A backup's metadata (see :func:`write_meta`); empty for an older or unreadable file.

    An encrypted backup opens with *key* (the station's: its own backups) or a key
    this process knows; its database is read from a copy in the private temp folder.
    """
    import tempfile
    copy = None
    try:
        if read_header(path) is not None:
            fd, copy = tempfile.mkstemp(suffix=".tmp")
            os.close(fd)
            extract(path, copy)
            key = next((k for k in (key, cipher.known_key(copy))
                        if k is not None and cipher.opens(copy, k)), None)
            if key is None:
                return {}
            conn = cipher.connect(copy, key)
        else:
            conn = cipher.connect(Path(path).resolve().as_uri() + "?mode=ro", None, uri=True)
        try:
            return dict(conn.execute(f"SELECT key, value FROM {META_TABLE}").fetchall())
        finally:
            conn.close()
    except (*cipher.DatabaseError, UserError, OSError):
        return {}
    finally:
        if copy is not None:
            remove_temp(copy)


def note_restore(copy: sqlite3.Connection, backup_file: Path | str, user: str | None) -> None:
    """The ``restore`` entry of a verified copy about to replace the database.

    It says which backup (taken when, with which head) the trail now continues
    from: the heads recorded before it beyond that point (newer backups, receipts of
    later packages) belong to the history the restore left behind, and ``check``
    does not hold them against the trail. The copy's own metadata is dropped.
    """
    meta = ({} if not copy.execute("SELECT 1 FROM sqlite_master WHERE name = ?",
                                   [META_TABLE]).fetchone()
            else dict(copy.execute(f"SELECT key, value FROM {META_TABLE}").fetchall()))
    with copy:
        if audit.has_trail(copy):
            audit.append(copy, user or "", audit.CHAIN_TABLE, audit.RESTORE_ID, "restore",
                         None, {"backup": Path(backup_file).name,
                                "taken_at": meta.get("taken_at"),
                                "head": int(meta["audit_seq"]) if meta.get("audit_seq")
                                else None}, at=_precise_now())
        copy.execute(f"DROP TABLE IF EXISTS {META_TABLE}")


def encrypt_old_backups(db_path: Path | str, station_code: str, key: bytes,
                       slots: "keyslots.KeySlots") -> list[Path]:
    """Encrypt, in place, the plain backups of *db_path* made before encryption: its
    automatic backups and the copies a restore kept beside it (conversion, see
    :mod:`core.encrypt`). Each is rewritten atomically; a damaged one is left as it is."""
    db_path = Path(db_path)
    prefix = _prefix(db_path, station_code)
    found = [p for p in backups_dir().glob(f"{prefix}-*.sqlite3")
             if (parsed := _parse(p)) and parsed[0] == prefix]
    found += list(db_path.parent.glob(f"{db_path.stem}.truoc-khoi-phuc-*{db_path.suffix}"))
    done = []
    for path in found:
        if not cipher.is_plain(path) or _integrity(path) is not None:
            continue
        source = cipher.connect(path, None)
        try:
            copy_database(source, path, key, slots, plain_source=True)
        finally:
            source.close()
        for extra in ("-wal", "-shm", "-journal"):
            Path(f"{path}{extra}").unlink(missing_ok=True)
        done.append(path)
    return done


def _integrity(path: Path, key: bytes | None = None) -> str | None:
    """None when SQLite finds the file sound, else the reason."""
    try:
        conn = cipher.connect(path, key)
        try:
            lines = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        finally:
            conn.close()
    except cipher.DatabaseError as exc:
        return str(exc)
    return None if lines == ["ok"] else "; ".join(lines[:5])


def write_backup_of(conn, db_path: Path | str, station_code: str, reason: str,
                    key: bytes, slots: "keyslots.KeySlots") -> Path:
    """An automatic backup of a plain connection, encrypted with *key* (the
    conversion's backup, see :mod:`core.encrypt`)."""
    return auto_backup(conn, db_path, station_code, reason, key=key, slots=slots,
                       plain_source=True)


# -- backups -----------------------------------------------------------------

def backup(ctx: "Context", out: Path | str) -> Path:
    """A consistent copy of the open database at *out* (the ``backup`` command)."""
    from core.accounts import require
    require(ctx, "read")
    path = copy_database(ctx.db.conn, out, ctx.db.key, _slots_of(ctx.path))
    log.info("backup written")
    return path


def _prefix(db_path: Path | str, station_code: str) -> str:
    """File-name prefix of one database's automatic backups."""
    resolved = str(Path(db_path).resolve())
    tag = hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:8]
    code = re.sub(r"[^A-Za-z0-9_.\-]", "_", station_code) or "antq"
    return f"{Path(db_path).stem}-{code}-{tag}"


def _slots_of(db_path: Path | str | None) -> "keyslots.KeySlots | None":
    return keyslots.KeySlots.for_database(db_path) if db_path is not None else None


def auto_backup(conn: sqlite3.Connection, db_path: Path | str, station_code: str,
                reason: str, keep: int = DEFAULT_KEEP, *, key: bytes | None = None,
                slots: "keyslots.KeySlots | None" = None, plain_source: bool = False) -> Path:
    """Take an automatic backup of an open connection (encrypted with *key*, carrying
    *slots*, by default those beside *db_path*) and rotate old ones."""
    prefix = _prefix(db_path, station_code)
    folder = backups_dir()
    out = None
    while out is None or out.exists():
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        out = folder / f"{prefix}-{stamp}-{reason}.sqlite3"
    if key is not None and slots is None:
        slots = _slots_of(db_path)
    copy_database(conn, out, key, slots, plain_source=plain_source)
    rotate(prefix, keep)
    log.info("automatic backup (%s) written", reason)
    return out


def keep_count(ctx: "Context") -> int:
    """How many automatic backups to keep (setting ``backup_keep``)."""
    value = ctx.setting(KEEP_SETTING, DEFAULT_KEEP)
    return value if isinstance(value, int) and value >= 1 else DEFAULT_KEEP


def make_auto_backup(ctx: "Context", reason: str) -> Path:
    """An automatic backup of the station's database before *reason* happens."""
    return auto_backup(ctx.db.conn, ctx.path, ctx.station.code, reason, keep_count(ctx),
                       key=ctx.db.key)


def auto_backup_if_due(ctx: "Context", every: dt.timedelta = dt.timedelta(days=1)) -> Path | None:
    """The daily backup: taken when the last one is older than *every* (window timer)."""
    last = ctx.setting(LAST_DAILY_SETTING)
    now = dt.datetime.now(dt.timezone.utc)
    if isinstance(last, str) and now - dt.datetime.fromisoformat(last) < every:
        return None
    path = make_auto_backup(ctx, "daily")
    ctx.set_setting(LAST_DAILY_SETTING, now.isoformat(timespec="seconds"))
    return path


def _parse(path: Path) -> tuple[str, dt.datetime, str, int] | None:
    """(prefix, time, reason, microseconds) of an automatic backup's name."""
    match = _NAME.match(path.name)
    if not match:
        return None
    stamp = dt.datetime.strptime(match["stamp"][:15], "%Y%m%d-%H%M%S")
    counter = int(match["stamp"][16:] or 0)
    return match["prefix"], stamp, match["reason"], counter


def list_backups(ctx: "Context | None" = None) -> list[BackupFile]:
    """Automatic backups, newest first (only this database's when *ctx* is given)."""
    prefix = _prefix(ctx.path, ctx.station.code) if ctx is not None else None
    found = []
    for path in backups_dir().glob("*.sqlite3"):
        parsed = _parse(path)
        if parsed is None or (prefix is not None and parsed[0] != prefix):
            continue
        found.append((parsed[1], parsed[3],
                      BackupFile(path, parsed[1], parsed[2], path.stat().st_size)))
    return [item for *_, item in sorted(found, key=lambda f: f[:2], reverse=True)]


def rotate(prefix: str, keep: int) -> list[Path]:
    """Delete one database's oldest automatic backups beyond *keep*; return them."""
    mine = sorted((p for p in backups_dir().glob(f"{prefix}-*.sqlite3")
                   if (parsed := _parse(p)) and parsed[0] == prefix),
                  key=lambda p: (_parse(p)[1], _parse(p)[3]), reverse=True)
    removed = mine[keep:]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


# -- verification and restore ------------------------------------------------

@dataclass(frozen=True)
class BackupInfo:
    """What a verified backup holds."""

    station_code: str
    station_name: str
    migrations: list[str]
    has_accounts: bool = False


def verify_database_file(path: Path | str, **credentials) -> BackupInfo:
    """Check that the file at *path* (a backup file, or a database) is a sound station
    database this program can use; *credentials* as :func:`backup_key` takes them.

    Raises UserError naming the problem. Works on a copy in the private temp folder.
    """
    import tempfile
    fd, copy = tempfile.mkstemp(suffix=".tmp")
    os.close(fd)
    try:
        slots = extract(path, copy)
        key = backup_key(copy, slots, **credentials) if slots is not None else None
        if key is None and not cipher.is_plain(copy) and cipher.known_key(copy):
            key = cipher.known_key(copy)
        return _verify_db(Path(copy), key)
    finally:
        remove_temp(copy)


def _verify_db(path: Path, key: bytes | None) -> BackupInfo:
    """Check the database file at *path* (encrypted with *key*, or plain)."""
    from core.migrations import known_names
    problem = _integrity(path, key)
    if problem:
        raise UserError(f"tệp bị hỏng hoặc không phải cơ sở dữ liệu ({problem})")
    conn = cipher.connect(path, key)
    try:
        try:
            row = conn.execute("SELECT code, name FROM station").fetchone()
            applied = [r[0] for r in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = 'antq'"
                " ORDER BY id")]
        except cipher.DatabaseError as exc:
            raise UserError("tệp không phải cơ sở dữ liệu của chương trình") from exc
        if row is None:
            raise UserError("cơ sở dữ liệu chưa được khởi tạo")
        unknown = [n for n in applied if n not in known_names()]
        if unknown:
            raise UserError("bản sao lưu do phiên bản mới hơn của chương trình tạo ra; "
                            "hãy cài phiên bản mới nhất")
        problems = audit.verify(conn)
        if problems:
            raise UserError("nhật ký thay đổi không toàn vẹn: " + "; ".join(problems[:3])
                            + (f" (và {len(problems) - 3} vấn đề khác)"
                               if len(problems) > 3 else ""))
        has_accounts = bool(conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'users'"
                                         ).fetchone()) and bool(
            conn.execute("SELECT 1 FROM users LIMIT 1").fetchone())
    finally:
        conn.close()
    return BackupInfo(row[0], row[1], applied, has_accounts)


def _staged_slots(db_path: Path) -> Path:
    return Path(f"{db_path}.keys.new")


def prepare_restore(db_path: Path | str, backup_file: Path | str,
                    user: str | None = None, *, key: bytes | None = None,
                    backup_user: str | None = None, password: str | None = None,
                    recovery_key: str | None = None) -> tuple[Path, BackupInfo]:
    """Copy the database *backup_file* holds next to the database and verify the copy.

    The copy's trail then gets a ``restore`` entry by *user* (see :func:`note_restore`).
    *key* is the open station's key (the backups of this station open with it);
    a backup with another key needs the *password* of one of its accounts
    (*backup_user*, by default *user*) or its *recovery_key*. A plain backup made before encryption is encrypted with
    *key*. The key slots the restored database will have are staged beside it
    (``<db>.keys.new``) for :func:`finish_restore`. Returns the verified copy
    (single-file journal) and what it holds; raises UserError, leaving nothing
    behind, when the backup cannot be used.
    """
    db_path, backup_file = Path(db_path), Path(backup_file)
    if not backup_file.is_file():
        raise UserError(f"Không tìm thấy tệp sao lưu “{backup_file}”.")
    staging = db_path.parent / f".{db_path.name}.restore-{os.getpid()}.tmp"
    plain = db_path.parent / f".{db_path.name}.restore-{os.getpid()}.plain.tmp"
    remove_stale_copies(db_path.parent, db_path.name)     # what a killed restore left
    remove_temp(staging)
    try:
        slots = extract(backup_file, staging)
        if slots is None and not cipher.is_plain(staging) and cipher.known_key(staging):
            slots = []          # a bare encrypted database this process made
        backup_key_ = (backup_key(staging, slots, keys=(key,), user=backup_user or user,
                                  password=password, recovery_key=recovery_key)
                       if slots is not None else None)
        info = _verify_db(staging, backup_key_)
        new_key = backup_key_ if backup_key_ is not None else key or keyslots.new_key()
        if backup_key_ is None:                 # an old plain backup: encrypt it now
            os.replace(staging, plain)
            source = cipher.connect(plain, None)
            try:
                cipher.export(source, staging, new_key)
            finally:
                source.close()
            remove_temp(plain)
        conn = cipher.connect(staging, new_key)
        try:
            note_restore(conn, backup_file, user)
            conn.execute("PRAGMA journal_mode=DELETE")
        finally:
            conn.close()
        fsync_file(staging)
        cipher.remember(staging, new_key)
        _stage_slots(db_path, staging, new_key, key, slots, info)
    except UserError as exc:
        remove_temp(staging)
        remove_temp(plain)
        raise UserError(f"Không thể khôi phục từ “{backup_file}”: {exc}. "
                        "Cơ sở dữ liệu hiện tại không thay đổi.") from exc
    except OSError as exc:
        remove_temp(staging)
        remove_temp(plain)
        raise UserError(f"Không thể khôi phục từ “{backup_file}”: {write_failure_reason(exc)}. "
                        "Cơ sở dữ liệu hiện tại không thay đổi.") from exc
    except cipher.DatabaseError as exc:
        remove_temp(staging)
        remove_temp(plain)
        raise UserError(f"Không thể khôi phục từ “{backup_file}”: {exc}. "
                        "Cơ sở dữ liệu hiện tại không thay đổi.") from exc
    for extra in ("-wal", "-shm", "-journal"):
        Path(str(staging) + extra).unlink(missing_ok=True)
    return staging, info


def _stage_slots(db_path: Path, staging: Path, new_key: bytes, current_key: bytes | None,
                 slots: list[keyslots.Slot] | None, info: BackupInfo) -> None:
    """The key slots of the restored database, staged as ``<db>.keys.new``.

    A backup's own slots (they go with its accounts and their passwords then); for a
    plain backup the station's current slots (its key stays). Without accounts in
    the restored database, the key is kept for the OS user.
    """
    if slots:
        held = keyslots.KeySlots(Path(f"{db_path}.keys"), list(slots))
    elif current_key is not None and new_key == current_key:
        held = keyslots.KeySlots.for_database(db_path)
        held.slots = [s for s in held.slots if s.kind != "os"]
    else:
        held = keyslots.KeySlots(Path(f"{db_path}.keys"))
    if not info.has_accounts:
        held.set_os_user(new_key, db_path)
    held.save(database=staging, target=_staged_slots(db_path))


def set_aside(db_path: Path, key: bytes | None = None) -> Path | None:
    """Copy the current database aside, checkpoint it and remove its WAL files.

    Returns the copy (None when there was no database). Refuses when another
    program still has the database open (its WAL could not be emptied).
    """
    if not db_path.exists():
        return None
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = db_path.with_name(f"{db_path.stem}.truoc-khoi-phuc-{stamp}{db_path.suffix}")
    n = 1
    while aside.exists():
        aside = db_path.with_name(f"{db_path.stem}.truoc-khoi-phuc-{stamp}-{n}{db_path.suffix}")
        n += 1
    if key is None and not cipher.is_plain(db_path):
        key = cipher.known_key(db_path)
    conn = cipher.connect(db_path, key, timeout=5.0)
    try:
        copy_database(conn, aside, key, _slots_of(db_path) if key is not None else None)
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy and busy[0]:
            raise UserError("Cơ sở dữ liệu đang được chương trình khác sử dụng; hãy đóng "
                            "chương trình đó rồi khôi phục lại. Chưa có gì thay đổi.")
    except cipher.DatabaseError as exc:
        remove_temp(aside)      # a refused restore leaves no copy of the data behind
        raise UserError(f"Không đọc được cơ sở dữ liệu hiện tại để cất giữ: {exc}. "
                        "Chưa có gì thay đổi.") from exc
    except UserError:
        remove_temp(aside)
        raise
    finally:
        conn.close()
    return aside


def finish_restore(db_path: Path | str, staging: Path, key: bytes | None = None) -> Path | None:
    """Keep the current database aside, then put the verified copy in its place.

    The key slots staged by :func:`prepare_restore` follow the copy (a kill between
    the two renames is sorted out when the slots are next read: they record the
    file they belong to).
    """
    db_path = Path(db_path)
    try:
        aside = set_aside(db_path, key)
    except FileWriteError as exc:       # no room for the copy kept aside
        remove_temp(staging)
        _staged_slots(db_path).unlink(missing_ok=True)
        raise UserError(f"Không thể khôi phục: không ghi được bản cất giữ cơ sở dữ liệu "
                        f"hiện tại ({exc.reason}). "
                        "Cơ sở dữ liệu hiện tại không thay đổi.") from exc
    except UserError:
        remove_temp(staging)
        _staged_slots(db_path).unlink(missing_ok=True)
        raise
    for extra in ("-wal", "-shm"):
        Path(str(db_path) + extra).unlink(missing_ok=True)
    try:
        os.replace(staging, db_path)
        if _staged_slots(db_path).exists():
            os.replace(_staged_slots(db_path), Path(f"{db_path}.keys"))
    except OSError as exc:
        remove_temp(staging)
        _staged_slots(db_path).unlink(missing_ok=True)
        raise FileWriteError(db_path, exc) from None
    fsync_dir(db_path.parent)
    log.info("database restored from a backup")
    return aside


def restore_file(db_path: Path | str, backup_file: Path | str,
                 user: str | None = None, **credentials) -> tuple[Path | None, BackupInfo]:
    """Replace the database at *db_path* by a verified backup (no role check).

    The caller makes sure nothing else has the database open (the window holds
    the instance lock; the ``restore`` command takes it). Returns the copy of
    the previous database that was kept aside, and what the backup holds.
    """
    staging, info = prepare_restore(db_path, backup_file, user, **credentials)
    return finish_restore(db_path, staging, credentials.get("key")), info


def restore(ctx: "Context", backup_file: Path | str, *, user: str | None = None,
            password: str | None = None,
            recovery_key: str | None = None) -> tuple[Path | None, BackupInfo]:
    """Restore as the signed-in administrator; closes *ctx* (open the station again).

    A backup with another key than the station's opens with *user*'s *password*
    (by default the signed-in account's name) or its *recovery_key*.
    """
    from core.accounts import require
    require(ctx, "admin")
    key = ctx.db.key
    staging, info = prepare_restore(ctx.path, backup_file, ctx.user, key=key,
                                    backup_user=user or ctx.user, password=password,
                                    recovery_key=recovery_key)
    ctx.close()
    return finish_restore(ctx.path, staging, key), info
