"""A single-instance guard: one window per database.

The window takes an exclusive lock on ``<database>.lock`` (``fcntl.flock`` on
Linux/macOS, ``msvcrt.locking`` on Windows) for as long as it is open, so two
windows never write the same database. The operating system drops the lock when
the process ends, even when it is killed, so a crash never leaves a stale lock.

Headless commands that only add or change records do not take this lock: they
rely on SQLite's own locking (each command is one transaction; a busy timeout
makes a second writer wait, then fail with a clear message). ``restore``, which
replaces the database file, takes it and is refused while a window is open.
"""
from __future__ import annotations

import os
from pathlib import Path

from core.errors import UserError

if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt
else:
    import fcntl


class AlreadyOpen(UserError):
    """Another window (or a restore) is using this database."""


def lock_path(db_path: Path | str) -> Path:
    """The lock file that goes with a database."""
    return Path(str(db_path) + ".lock")


class InstanceLock:
    """An exclusive, process-wide lock on one database."""

    def __init__(self, db_path: Path | str):
        self.db_path = Path(db_path)
        self.path = lock_path(db_path)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        return self._fd is not None

    def acquire(self) -> "InstanceLock":
        """Take the lock or raise :class:`AlreadyOpen` (never waits)."""
        if self._fd is not None:
            return self
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _lock(fd)
        except OSError as exc:
            os.close(fd)
            raise AlreadyOpen(
                f"Cơ sở dữ liệu “{self.db_path}” đang được mở trong một cửa sổ khác của "
                "chương trình. Hãy dùng cửa sổ đó, hoặc đóng nó rồi thử lại.") from exc
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode("ascii"))
        self._fd = fd
        return self

    def release(self) -> None:
        """Let go of the lock (the lock file itself may stay)."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            _unlock(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> "InstanceLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def _lock(fd: int) -> None:
    if os.name == "nt":  # pragma: no cover
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _unlock(fd: int) -> None:
    if os.name == "nt":  # pragma: no cover
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)


def acquire(db_path: Path | str) -> InstanceLock:
    """Take the single-instance lock of a database (raises :class:`AlreadyOpen`)."""
    return InstanceLock(db_path).acquire()


def release(lock: InstanceLock) -> None:
    """Release a lock taken with :func:`acquire`."""
    lock.release()
