"""The one way the program writes a file: a temp file in the target's folder, then a rename.

Every file the program produces (workbooks, PDFs, Word documents, exchange
packages, backups, error copies) goes through :func:`atomic_path`: the content
is written to a temp file next to the target, the file and then its folder are
flushed to disk (``fsync``; Windows cannot open a folder, so there only the
file), and ``os.replace`` puts it in place in one step. A power cut leaves the
old file or the new one, never half of one. On any failure the temp file is
removed, the old target is left as it was, and an ``OSError`` becomes the one
Vietnamese :class:`~core.errors.FileWriteError`.

Bottom layer: imports nothing of the program but :mod:`core.errors`.
"""
from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from core.errors import FileWriteError, UserError
from core.tempfiles import remove_stale_copies

# SQLite may leave these next to a database file written through its own connection.
_SIDE_FILES = ("-journal", "-wal", "-shm")
log = logging.getLogger(__name__)
# The open databases (and their side files), by real path: never an output's target.
_protected: dict[str, int] = {}


def _sides(database: str | os.PathLike) -> list[str]:
    real = os.path.realpath(os.fspath(database))
    return [real, *(f"{real}{side}" for side in _SIDE_FILES)]


def protect(database: str | os.PathLike) -> None:
    """Refuse from now on any output written onto *database* or its side files."""
    for path in _sides(database):
        _protected[path] = _protected.get(path, 0) + 1


def unprotect(database: str | os.PathLike) -> None:
    """Undo one :func:`protect` (the database was closed)."""
    for path in _sides(database):
        count = _protected.get(path, 0) - 1
        if count > 0:
            _protected[path] = count
        else:
            _protected.pop(path, None)


def check_target(target: str | os.PathLike) -> None:
    """Refuse *target* when it is an open database or one of its side files."""
    if os.path.realpath(os.fspath(target)) in _protected:
        raise UserError(f"Không được ghi đè lên tệp cơ sở dữ liệu đang mở "
                        f"({Path(target).name}): hãy chọn tên tệp khác.")


def fsync_file(path: str | os.PathLike) -> None:
    """Flush a file's content to disk."""
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def fsync_dir(folder: str | os.PathLike) -> None:
    """Flush a folder's entries (a rename) to disk where the system allows it."""
    if os.name == "nt":  # pragma: no cover - Windows cannot open a folder to fsync it
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_temp(path: str | os.PathLike) -> None:
    """Remove a temp file (and SQLite's side files of it) if they exist."""
    for extra in ("", *_SIDE_FILES):
        with contextlib.suppress(FileNotFoundError):
            os.remove(f"{os.fspath(path)}{extra}")


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[str]:
    """Yield a temp path next to *target*; when the block ends, move it onto *target*.

    The caller writes the whole file to the yielded path (by name: reportlab,
    openpyxl, SQLite all take one). The temp file is made first, so a folder that
    cannot be written fails before any work is done. A ``UserError`` raised in
    the block passes through unchanged; any ``OSError`` becomes a
    :class:`FileWriteError`; in every failure the temp file is removed. An open
    database (see :func:`protect`) or its side files are never a target.
    """
    target = Path(target).expanduser()
    check_target(target)
    if target.is_dir():
        raise FileWriteError(target, IsADirectoryError())
    folder = target.parent if str(target.parent) else Path(".")
    remove_stale_copies(folder, target.name)    # what a killed earlier write left
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.p{os.getpid()}.", suffix=".tmp",
                                    dir=folder)   # the pid: a killed writer's copy is known
        os.close(fd)
    except OSError as exc:
        raise FileWriteError(target, exc) from None
    try:
        yield temp
        fsync_file(temp)
        os.replace(temp, target)
    except OSError as exc:
        remove_temp(temp)
        raise FileWriteError(target, exc) from None
    except BaseException:
        remove_temp(temp)
        raise
    try:
        fsync_dir(folder)
    except OSError as exc:  # the file is in place; some network/FUSE folders refuse fsync
        log.warning("folder fsync refused after a rename: %s", exc.strerror or exc)


def write_with(target: str | os.PathLike, save: Callable[[str], object]) -> None:
    """Call ``save(temp_path)`` (e.g. ``workbook.save``), then move the result onto *target*."""
    with atomic_path(target) as temp:
        save(temp)


def write_bytes(target: str | os.PathLike, data: bytes) -> None:
    """Write *data* as the whole content of *target*, atomically."""
    with atomic_path(target) as temp, open(temp, "wb") as handle:
        handle.write(data)


def copy_file(source: str | os.PathLike, target: str | os.PathLike) -> None:
    """Copy *source* onto *target*, atomically (a missing source is a UserError)."""
    if not Path(source).is_file():
        raise UserError(f"Không tìm thấy tệp “{source}”.")
    with atomic_path(target) as temp, open(source, "rb") as src, open(temp, "wb") as dst:
        shutil.copyfileobj(src, dst)
