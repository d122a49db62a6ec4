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
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core import audit
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
           "manual": "do người dùng"}
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

def copy_database(conn: sqlite3.Connection, out: Path | str) -> Path:
    """Write a consistent, verified single-file copy of an open database to *out*.

    Through :func:`core.files.atomic_path`: the copy is checked before it
    replaces *out*, and a copy that cannot be written or read back leaves
    nothing behind.
    """
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FileWriteError(out, exc) from None
    with atomic_path(out) as tmp:       # it clears what a killed backup left
        try:
            target = sqlite3.connect(tmp)
            try:
                conn.backup(target)
                write_meta(target)
                target.execute("PRAGMA journal_mode=DELETE")
            finally:
                target.close()
        except sqlite3.OperationalError as exc:     # full disk, read-only folder
            raise FileWriteError(out, exc) from None
        problem = _integrity(Path(tmp))
        if problem:
            raise UserError(f"Bản sao lưu vừa ghi không đọc lại được ({problem}); "
                            "hãy kiểm tra ổ đĩa rồi thử lại.")
    return out


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


def read_meta(path: Path | str) -> dict[str, str]:
    """A backup's metadata (see :func:`write_meta`); empty for an older or unreadable file."""
    try:
        conn = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
        try:
            return dict(conn.execute(f"SELECT key, value FROM {META_TABLE}").fetchall())
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return {}


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


def _integrity(path: Path) -> str | None:
    """None when SQLite finds the file sound, else the reason."""
    try:
        conn = sqlite3.connect(str(path))
        try:
            lines = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None if lines == ["ok"] else "; ".join(lines[:5])


# -- backups -----------------------------------------------------------------

def backup(ctx: "Context", out: Path | str) -> Path:
    """A consistent copy of the open database at *out* (the ``backup`` command)."""
    from core.accounts import require
    require(ctx, "read")
    path = copy_database(ctx.db.conn, out)
    log.info("backup written")
    return path


def _prefix(db_path: Path | str, station_code: str) -> str:
    """File-name prefix of one database's automatic backups."""
    resolved = str(Path(db_path).resolve())
    tag = hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:8]
    code = re.sub(r"[^A-Za-z0-9_.\-]", "_", station_code) or "antq"
    return f"{Path(db_path).stem}-{code}-{tag}"


def auto_backup(conn: sqlite3.Connection, db_path: Path | str, station_code: str,
                reason: str, keep: int = DEFAULT_KEEP) -> Path:
    """Take an automatic backup of an open connection and rotate old ones."""
    prefix = _prefix(db_path, station_code)
    folder = backups_dir()
    out = None
    while out is None or out.exists():
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        out = folder / f"{prefix}-{stamp}-{reason}.sqlite3"
    copy_database(conn, out)
    rotate(prefix, keep)
    log.info("automatic backup (%s) written", reason)
    return out


def keep_count(ctx: "Context") -> int:
    """How many automatic backups to keep (setting ``backup_keep``)."""
    value = ctx.setting(KEEP_SETTING, DEFAULT_KEEP)
    return value if isinstance(value, int) and value >= 1 else DEFAULT_KEEP


def make_auto_backup(ctx: "Context", reason: str) -> Path:
    """An automatic backup of the station's database before *reason* happens."""
    return auto_backup(ctx.db.conn, ctx.path, ctx.station.code, reason, keep_count(ctx))


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


def verify_database_file(path: Path | str) -> BackupInfo:
    """Check that *path* is a sound station database this program can use.

    Raises UserError naming the problem. The file must not be in use (it may
    be opened for writing: verify a copy, as :func:`restore_file` does).
    """
    from core.migrations import known_names
    path = Path(path)
    problem = _integrity(path)
    if problem:
        raise UserError(f"tệp bị hỏng hoặc không phải cơ sở dữ liệu ({problem})")
    conn = sqlite3.connect(str(path))
    try:
        try:
            row = conn.execute("SELECT code, name FROM station").fetchone()
            applied = [r[0] for r in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = 'antq'"
                " ORDER BY id")]
        except sqlite3.DatabaseError as exc:
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
    finally:
        conn.close()
    return BackupInfo(row[0], row[1], applied)


def prepare_restore(db_path: Path | str, backup_file: Path | str,
                    user: str | None = None) -> tuple[Path, BackupInfo]:
    """Copy *backup_file* next to the database and verify the copy.

    The copy's trail then gets a ``restore`` entry by *user* (see :func:`note_restore`).

    Returns the verified copy (single-file journal) and what it holds; raises
    UserError, leaving nothing behind, when the backup cannot be used.
    """
    db_path, backup_file = Path(db_path), Path(backup_file)
    if not backup_file.is_file():
        raise UserError(f"Không tìm thấy tệp sao lưu “{backup_file}”.")
    staging = db_path.parent / f".{db_path.name}.restore-{os.getpid()}.tmp"
    remove_stale_copies(db_path.parent, db_path.name)     # what a killed restore left
    remove_temp(staging)
    try:
        shutil.copyfile(backup_file, staging)
        info = verify_database_file(staging)
        conn = sqlite3.connect(str(staging))
        try:
            note_restore(conn, backup_file, user)
            conn.execute("PRAGMA journal_mode=DELETE")
        finally:
            conn.close()
        fsync_file(staging)
    except UserError as exc:
        remove_temp(staging)
        raise UserError(f"Không thể khôi phục từ “{backup_file}”: {exc}. "
                        "Cơ sở dữ liệu hiện tại không thay đổi.") from exc
    except OSError as exc:
        remove_temp(staging)
        raise UserError(f"Không thể khôi phục từ “{backup_file}”: {write_failure_reason(exc)}. "
                        "Cơ sở dữ liệu hiện tại không thay đổi.") from exc
    except sqlite3.DatabaseError as exc:
        remove_temp(staging)
        raise UserError(f"Không thể khôi phục từ “{backup_file}”: {exc}. "
                        "Cơ sở dữ liệu hiện tại không thay đổi.") from exc
    for extra in ("-wal", "-shm", "-journal"):
        Path(str(staging) + extra).unlink(missing_ok=True)
    return staging, info


def set_aside(db_path: Path) -> Path | None:
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
    conn = sqlite3.connect(str(db_path), timeout=5.0)
    try:
        copy_database(conn, aside)
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy and busy[0]:
            raise UserError("Cơ sở dữ liệu đang được chương trình khác sử dụng; hãy đóng "
                            "chương trình đó rồi khôi phục lại. Chưa có gì thay đổi.")
    except sqlite3.DatabaseError as exc:
        remove_temp(aside)      # a refused restore leaves no copy of the data behind
        raise UserError(f"Không đọc được cơ sở dữ liệu hiện tại để cất giữ: {exc}. "
                        "Chưa có gì thay đổi.") from exc
    except UserError:
        remove_temp(aside)
        raise
    finally:
        conn.close()
    return aside


def finish_restore(db_path: Path | str, staging: Path) -> Path | None:
    """Keep the current database aside, then put the verified copy in its place."""
    db_path = Path(db_path)
    try:
        aside = set_aside(db_path)
    except FileWriteError as exc:       # no room for the copy kept aside
        remove_temp(staging)
        raise UserError(f"Không thể khôi phục: không ghi được bản cất giữ cơ sở dữ liệu "
                        f"hiện tại ({exc.reason}). "
                        "Cơ sở dữ liệu hiện tại không thay đổi.") from exc
    except UserError:
        remove_temp(staging)
        raise
    for extra in ("-wal", "-shm"):
        Path(str(db_path) + extra).unlink(missing_ok=True)
    try:
        os.replace(staging, db_path)
    except OSError as exc:
        remove_temp(staging)
        raise FileWriteError(db_path, exc) from None
    fsync_dir(db_path.parent)
    log.info("database restored from a backup")
    return aside


def restore_file(db_path: Path | str, backup_file: Path | str,
                 user: str | None = None) -> tuple[Path | None, BackupInfo]:
    """Replace the database at *db_path* by a verified backup (no role check).

    The caller makes sure nothing else has the database open (the window holds
    the instance lock; the ``restore`` command takes it). Returns the copy of
    the previous database that was kept aside, and what the backup holds.
    """
    staging, info = prepare_restore(db_path, backup_file, user)
    return finish_restore(db_path, staging), info


def restore(ctx: "Context", backup_file: Path | str) -> tuple[Path | None, BackupInfo]:
    """Restore as the signed-in administrator; closes *ctx* (open the station again)."""
    from core.accounts import require
    require(ctx, "admin")
    staging, info = prepare_restore(ctx.path, backup_file, ctx.user)
    ctx.close()
    return finish_restore(ctx.path, staging), info
