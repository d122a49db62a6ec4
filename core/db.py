"""The one module that opens the database file.

Pragmas: WAL (readers never block the writer), foreign keys on, synchronous FULL
(a committed transaction survives a power cut), a busy timeout so that a second
program gets a clear "locked" message rather than an instant failure, a 64 MB page
cache. Every file is encrypted (SQLCipher, :mod:`core.cipher`): the key is given
by the caller (:func:`core.station.open_station` unwraps it).
"""
from __future__ import annotations

import contextlib
import re
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from core import cipher
from core.errors import DatabaseError
from core.migrations import known_names, migrations
from core.paths import default_path  # noqa: F401 - its old place

if TYPE_CHECKING:
    from sqlite_utils import Database

_TRANSACTION_CONTROL = {"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"}
_LEADING = re.compile(r"(?:\s|;|\ufeff|--[^\n]*(?:\n|$)|/\*.*?\*/)*([A-Za-z]*)", re.S)


def _first_keyword(sql: str) -> str:
    """The first keyword of *sql*, uppercased, after spaces, comments and bare ``;``."""
    return _LEADING.match(sql).group(1).upper()


class LazyDatabase:
    """The open database: a sqlite3 connection that is a ``sqlite_utils.Database`` on demand.

    What the program does on every start and in its lists — ``execute``,
    ``executescript``, ``atomic``, ``conn``, ``close`` — runs on the connection
    directly; any other attribute (``db["table"]``, ``db.table_names()``…) is
    handed to a ``sqlite_utils.Database`` over the same connection, made on first
    use. Importing sqlite-utils (click, pluggy, dateutil) costs about as much as
    importing Qt's widgets, so the window no longer pays for it before it shows.
    """

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.key: bytes | None = None     # the SQLCipher key it was opened with
        self.unlocked_by: tuple[str, str] | None = None   # which slot gave it
        self._full: Database | None = None
        conn.execute("PRAGMA recursive_triggers=on;")   # as sqlite_utils.Database does

    @property
    def full(self) -> Database:
        """The ``sqlite_utils.Database`` over this connection."""
        if self._full is None:
            from sqlite_utils import Database
            self._full = Database(self.conn, execute_plugins=False)
        return self._full

    def execute(self, sql: str, parameters=None) -> sqlite3.Cursor:
        """Run one statement, exactly as ``Database.execute``.

        Outside a transaction, a write that opened an implicit transaction is
        committed at once; a failed statement's implicit transaction is rolled back.
        """
        if self._full is not None:
            return self._full.execute(sql, parameters)
        was_in_transaction = self.conn.in_transaction
        try:
            cursor = (self.conn.execute(sql, parameters) if parameters is not None
                      else self.conn.execute(sql))
        except Exception:
            if not was_in_transaction and self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        if (not was_in_transaction and self.conn.in_transaction
                and cursor.description is None
                and _first_keyword(sql) not in _TRANSACTION_CONTROL):
            self.conn.execute("COMMIT")
        return cursor

    def executescript(self, sql: str) -> sqlite3.Cursor:
        """Run several statements (as ``Database.executescript``)."""
        if self._full is not None or self.conn.in_transaction:
            return self.full.executescript(sql)   # splits the script inside a transaction
        return self.conn.executescript(sql)

    def rollback(self) -> None:
        """Roll back the open transaction, if any."""
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    @contextlib.contextmanager
    def atomic(self) -> Iterator[LazyDatabase]:
        """A transaction; nested blocks use savepoints (as ``Database.atomic``)."""
        if self.conn.in_transaction:
            savepoint = f"antq_{uuid.uuid4().hex}"
            self.conn.execute(f"SAVEPOINT {savepoint};")
            try:
                yield self
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint};")
                    self.conn.execute(f"RELEASE SAVEPOINT {savepoint};")
                raise
            else:
                self.conn.execute(f"RELEASE SAVEPOINT {savepoint};")
        else:
            self.conn.execute("BEGIN")
            try:
                yield self
            except BaseException:
                self.rollback()
                raise
            else:
                try:
                    self.conn.execute("COMMIT")
                except BaseException:
                    self.rollback()
                    raise

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __getattr__(self, name: str):
        if name.startswith("__") or name in ("_full", "conn", "key", "unlocked_by"):
            raise AttributeError(name)
        return getattr(self.full, name)

    def __getitem__(self, table_name: str):
        return self.full[table_name]

    def __repr__(self) -> str:
        return f"<Database {self.conn!r}>"


def _connect(path: Path | str, key: bytes | None = None) -> Database:
    if key is None and Path(path).is_file() and not cipher.is_plain(path):
        key = cipher.known_key(path)        # unlocked earlier in this process
    conn = cipher.connect(path, key, timeout=5.0, check_same_thread=False)
    try:
        db = LazyDatabase(conn)
        db.key = key
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("PRAGMA synchronous=FULL")
        # SQLCipher decrypts (and checks) a page each time it enters the page cache:
        # 64 MB instead of the driver's 8 MB keeps a commune's database decrypted once
        # (allocated as pages are used; benchmarks/README.md, encryption at rest)
        db.execute("PRAGMA cache_size=-65536")
    except cipher.DatabaseError as exc:
        conn.close()
        raise DatabaseError(_describe(exc, path)) from exc
    return db


def _describe(exc: BaseException, path: Path | str) -> str:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return (f"Cơ sở dữ liệu “{path}” đang bị một chương trình khác sử dụng. "
                "Hãy đóng chương trình đó rồi thử lại.")
    if "not a database" in text and not cipher.is_plain(path):
        return (f"Không mở được cơ sở dữ liệu “{path}”: tệp đã bị hỏng, hoặc khóa "
                "giải mã không đúng với tệp này.")
    return (f"Tệp “{path}” không phải là cơ sở dữ liệu của chương trình "
            "hoặc đã bị hỏng.")


def applied_names(db: Database) -> list[str]:
    """Names of the migrations applied to *db*, read with plain SQL (no sqlite-utils)."""
    if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table'"
                      " AND name = '_sqlite_migrations'").fetchone():
        return []
    return [r[0] for r in db.execute("SELECT name FROM _sqlite_migrations"
                                     " WHERE migration_set = ? ORDER BY rowid",
                                     [migrations.name])]


def check_not_newer(db: Database) -> None:
    """Refuse a database on which a newer program applied migrations we do not know."""
    applied = applied_names(db)
    unknown = [name for name in applied if name not in known_names()]
    if unknown:
        raise DatabaseError(
            "Cơ sở dữ liệu này được tạo bởi phiên bản mới hơn của chương trình. "
            "Hãy cài phiên bản mới nhất rồi mở lại."
        )


def create(path: Path | str, key: bytes | None) -> Database:
    """Create a new database file encrypted with *key* (refuses one that holds a station)."""
    db = _connect(path, key)
    try:
        check_not_newer(db)
        if is_initialised(db):
            raise DatabaseError(f"Cơ sở dữ liệu “{path}” đã được khởi tạo trước đó.")
        migrations.apply(db)
    except BaseException:
        db.close()
        raise
    return db


def open_existing(path: Path | str, *, key: bytes | None = None,
                  before_migration: Callable[[Database], None] | None = None) -> Database:
    """Open an initialised database (encrypted with *key*), bringing its schema up to date.

    *before_migration* runs on the open database just before pending migrations are
    applied: :func:`core.station.open_station` takes the automatic backup there (this
    module sits below the backups and does not import them).
    """
    if not Path(path).is_file():
        raise DatabaseError(
            f"Không tìm thấy cơ sở dữ liệu “{path}”. Hãy khởi tạo bằng lệnh init."
        )
    db = _connect(path, key)
    try:
        check_not_newer(db)
        if not is_initialised(db):
            raise DatabaseError(
                f"Cơ sở dữ liệu “{path}” chưa được khởi tạo. Hãy chạy lệnh init trước."
            )
        if set(known_names()) - set(applied_names(db)):      # migrations pending
            if before_migration is not None:
                before_migration(db)
            migrations.apply(db)
    except cipher.DatabaseError as exc:
        db.close()
        raise DatabaseError(_describe(exc, path)) from exc
    except BaseException:
        db.close()
        raise
    return db


def _look(path: Path | str):
    """A read-only connection to *path* for a look, or None when its key is not known."""
    key = None if cipher.is_plain(path) else cipher.known_key(path)
    if key is None and not cipher.is_plain(path):
        return None
    return cipher.connect(f"file:{Path(path)}?mode=ro", key, uri=True)


def holds_station(path: Path | str) -> bool:
    """True when the file at *path* already holds a station (read-only look).

    An encrypted file whose key this process does not hold counts when its key
    slots lie beside it (see :mod:`core.keyslots`).
    """
    try:
        conn = _look(path)
    except cipher.DatabaseError:
        return False
    if conn is None:
        return Path(f"{path}.keys").is_file() and Path(path).stat().st_size > 0
    try:
        return conn.execute("SELECT COUNT(*) FROM station").fetchone()[0] == 1
    except cipher.DatabaseError:
        return False
    finally:
        conn.close()


def needs_upgrade(path: Path | str) -> bool:
    """True when *path* holds a station whose schema this program must migrate.

    A read-only look, so the window can tell the person before the backup and
    the migrations run (seconds on a province's database).
    """
    try:
        conn = _look(path)
    except cipher.DatabaseError:
        return False
    if conn is None:
        return False
    try:
        applied = applied_names(conn)
        return bool(applied) and bool(set(known_names()) - set(applied))
    except cipher.DatabaseError:
        return False
    finally:
        conn.close()


def is_initialised(db: Database) -> bool:
    """True when the station table exists and holds the station's identity."""
    try:
        return bool(db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table'"
                               " AND name = 'station'").fetchone()) and db.execute(
            "SELECT COUNT(*) FROM station").fetchone()[0] == 1
    except cipher.DatabaseError:
        return False
