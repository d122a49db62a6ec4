"""A private folder for temporary files, and the clean-up of copies a crash left.

Temporary files (openpyxl's sheet files among them: it uses :mod:`tempfile`)
go to ``<data folder>/tmp/<process id>/`` (mode 0700) instead of the shared
system folder. The folder goes when the process ends; folders of processes
that no longer run (killed, power cut) go at the next start, together with the
hidden copies a killed backup or restore left next to the database.
"""
from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
from pathlib import Path

from core.paths import default_path

_private: Path | None = None


def root() -> Path:
    """The folder that holds each running process's temporary folder."""
    return default_path().parent / "tmp"


def alive(pid: int) -> bool:
    """True when a process with this id runs (on this computer)."""
    if pid == os.getpid():
        return True
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover - exercised on Windows only
        import ctypes
        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)
        if handle:
            ctypes.windll.kernel32.CloseHandle(handle)
        return bool(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def use_private_temp() -> Path:
    """Point :mod:`tempfile` at this process's private folder; remove stale ones."""
    global _private
    base = root()
    base.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(base, 0o700)
    remove_stale(base)
    if _private is None or not _private.exists():
        _private = base / str(os.getpid())
        _private.mkdir(mode=0o700, exist_ok=True)
        atexit.register(shutil.rmtree, _private, ignore_errors=True)
    tempfile.tempdir = str(_private)
    return _private


def remove_stale(base: Path) -> list[Path]:
    """Remove the temporary folders of processes that no longer run."""
    removed = []
    for entry in base.iterdir() if base.is_dir() else []:
        if entry.name.isdigit() and not alive(int(entry.name)):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


_OWNER = re.compile(r"^(?:p|restore-)(\d+)$")


def writer_pid(name: str) -> int | None:
    """The process id in a hidden copy's name (``.<target>.p<pid>.<random>.tmp``,
    ``.<database>.restore-<pid>.tmp``), or None for any other name."""
    if not name.startswith(".") or ".tmp" not in name:
        return None
    for part in reversed(name[1:name.rindex(".tmp")].split(".")):
        if match := _OWNER.match(part):
            return int(match.group(1))
    return None


def remove_stale_copies(folder: Path | str, name: str) -> list[Path]:
    """Hidden copies of files starting with *name* whose writing process no longer runs.

    Every write makes its copy next to the target (the USB stick for a backup)
    and a restore its staging copy next to the database; a kill leaves them.
    Copies of processes still running are kept.
    """
    removed = []
    folder = Path(folder)
    if not folder.is_dir():
        return removed
    for entry in folder.iterdir():
        if not entry.name.startswith(f".{name}"):
            continue
        pid = writer_pid(entry.name)
        if pid is not None and not alive(pid):
            entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed
