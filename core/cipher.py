"""The SQLCipher driver: every station database and backup is encrypted (issue #15).

The program opens its files with ``sqlcipher3`` (SQLite with SQLCipher 4) instead of
the standard ``sqlite3``. A database is keyed with its raw 256-bit key (``PRAGMA key``
with a blob: no key derivation at each open; the key itself comes from
:mod:`core.keyslots`). The driver's exceptions are other classes than the standard
module's: :data:`DatabaseError`, :data:`OperationalError`… are tuples of both, for
``except`` and ``isinstance``.

Keys already unlocked in this process are remembered by the database's salt (the
first 16 bytes of an encrypted file, kept by a copy of it), so that the window's
jobs, each on a connection of its own, and a copy of the same file open without
asking again. Nothing is written to disk.

Bottom layer: imports nothing of the program.
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlcipher3 import dbapi2 as driver

Error = (sqlite3.Error, driver.Error)
DatabaseError = (sqlite3.DatabaseError, driver.DatabaseError)
OperationalError = (sqlite3.OperationalError, driver.OperationalError)
IntegrityError = (sqlite3.IntegrityError, driver.IntegrityError)
Connection = driver.Connection
PLAIN_HEADER = b"SQLite format 3\x00"

_known: dict[bytes, bytes] = {}


def header(path: str | os.PathLike) -> bytes:
    """The first 16 bytes of the file (b"" when it is missing or empty)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(16)
    except OSError:
        return b""


def is_plain(path: str | os.PathLike) -> bool:
    """True when *path* is an unencrypted SQLite database (made before encryption)."""
    return header(path) == PLAIN_HEADER


def remember(path: str | os.PathLike, key: bytes) -> None:
    """Remember *key* for the encrypted file at *path* (this process only)."""
    salt = header(path)
    if len(salt) == 16 and salt != PLAIN_HEADER:
        _known[salt] = key


def known_key(path: str | os.PathLike) -> bytes | None:
    """The key of *path* when this process already unlocked it (or a copy of it)."""
    return _known.get(header(path))


def forget_all() -> None:
    """Forget every remembered key (a test that wants to open as a stranger would)."""
    _known.clear()


def pragma_key(key: bytes) -> str:
    """The ``PRAGMA key`` value of a raw key."""
    return f"\"x'{key.hex()}'\""


def connect(path: str | os.PathLike, key: bytes | None, *, uri: bool = False,
            timeout: float = 5.0, check_same_thread: bool = True):
    """A SQLCipher connection to *path*, keyed with *key* (None: a plain file)."""
    conn = driver.connect(str(path), timeout=timeout, uri=uri,
                          check_same_thread=check_same_thread)
    conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our answer, not a log line
    if key is not None:
        conn.execute(f"PRAGMA key = {pragma_key(key)}")
    return conn


def opens(path: str | os.PathLike, key: bytes | None) -> bool:
    """True when *key* opens the file at *path* (read-only look)."""
    try:
        conn = connect(f"file:{Path(path)}?mode=ro", key, uri=True)
    except DatabaseError:
        return False
    try:
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return True
    except DatabaseError:
        return False
    finally:
        conn.close()


def export(source, target: str | os.PathLike, key: bytes | None) -> None:
    """Write every table of the open connection *source* into a new file *target*,
    encrypted with *key* (None: plain), with SQLCipher's ``sqlcipher_export``."""
    attach_key = pragma_key(key) if key is not None else "''"
    source.execute(f"ATTACH DATABASE ? AS antq_export KEY {attach_key}", [str(target)])
    try:
        source.execute("SELECT sqlcipher_export('antq_export')")
        version = source.execute("PRAGMA main.user_version").fetchone()[0]
        source.execute(f"PRAGMA antq_export.user_version = {int(version)}")
    finally:
        source.execute("DETACH DATABASE antq_export")
