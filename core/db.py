"""The one module that opens the database file.

Pragmas: WAL (readers never block the writer), foreign keys on, synchronous FULL
(a committed transaction survives a power cut), a busy timeout so that a second
program gets a clear "locked" message rather than an instant failure.
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from core.errors import DatabaseError
from core.migrations import known_names, migrations


def default_path() -> Path:
    """The default database in the user's data folder (created on first use)."""
    if os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    folder = Path(os.environ.get("ANTQ_DATA_DIR") or base / "ANTQ")
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "antq.sqlite3"


def _connect(path: Path | str) -> Database:
    conn = sqlite3.connect(str(path), timeout=5.0, check_same_thread=False)
    db = Database(conn, execute_plugins=False)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("PRAGMA synchronous=FULL")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DatabaseError(_describe(exc, path)) from exc
    return db


def _describe(exc: sqlite3.DatabaseError, path: Path | str) -> str:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return (f"Cơ sở dữ liệu “{path}” đang bị một chương trình khác sử dụng. "
                "Hãy đóng chương trình đó rồi thử lại.")
    return (f"Tệp “{path}” không phải là cơ sở dữ liệu của chương trình "
            "hoặc đã bị hỏng.")


def check_not_newer(db: Database) -> None:
    """Refuse a database on which a newer program applied migrations we do not know."""
    applied = [m.name for m in migrations.applied(db)]
    unknown = [name for name in applied if name not in known_names()]
    if unknown:
        raise DatabaseError(
            "Cơ sở dữ liệu này được tạo bởi phiên bản mới hơn của chương trình. "
            "Hãy cài phiên bản mới nhất rồi mở lại."
        )


def create(path: Path | str) -> Database:
    """Create a new database file (refuses one that already holds a station)."""
    db = _connect(path)
    try:
        check_not_newer(db)
        if is_initialised(db):
            raise DatabaseError(f"Cơ sở dữ liệu “{path}” đã được khởi tạo trước đó.")
        migrations.apply(db)
    except BaseException:
        db.close()
        raise
    return db


def open_existing(path: Path | str) -> Database:
    """Open an initialised database, bringing its schema up to date."""
    if not Path(path).is_file():
        raise DatabaseError(
            f"Không tìm thấy cơ sở dữ liệu “{path}”. Hãy khởi tạo bằng lệnh init."
        )
    db = _connect(path)
    try:
        check_not_newer(db)
        if not is_initialised(db):
            raise DatabaseError(
                f"Cơ sở dữ liệu “{path}” chưa được khởi tạo. Hãy chạy lệnh init trước."
            )
        if migrations.pending(db):
            _backup_before_migration(db, path)
            migrations.apply(db)
    except sqlite3.DatabaseError as exc:
        db.close()
        raise DatabaseError(_describe(exc, path)) from exc
    except BaseException:
        db.close()
        raise
    return db


def _backup_before_migration(db: Database, path: Path | str) -> None:
    """An automatic backup before the schema of an existing database changes."""
    from core.backup import auto_backup
    code = db.execute("SELECT code FROM station").fetchone()[0]
    auto_backup(db.conn, path, code, "migration")


def holds_station(path: Path | str) -> bool:
    """True when the file at *path* already holds a station (read-only look)."""
    try:
        conn = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)
    except sqlite3.DatabaseError:
        return False
    try:
        return conn.execute("SELECT COUNT(*) FROM station").fetchone()[0] == 1
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()


def is_initialised(db: Database) -> bool:
    """True when the station table exists and holds the station's identity."""
    try:
        return db["station"].exists() and db.execute(
            "SELECT COUNT(*) FROM station").fetchone()[0] == 1
    except sqlite3.DatabaseError:
        return False
