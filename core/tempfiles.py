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


def remove_stale_copies(folder: Path | str, name: str) -> list[Path]:
    """Hidden copies ``.<name>.<pid>[.<random>].tmp`` / ``.<name>.restore-<pid>.tmp``.

    Only those of processes that no longer run are removed.

    A backup writes its copy under such a name next to the target (the USB
    stick), a restore its staging copy next to the database; a kill leaves them.
    """
    removed = []
    folder = Path(folder)
    if not folder.is_dir():
        return removed
    prefix = f".{name}."
    for entry in folder.iterdir():
        rest = entry.name[len(prefix):] if entry.name.startswith(prefix) else ""
        pid_text = rest.removeprefix("restore-").split(".")[0] if ".tmp" in rest else ""
        if pid_text.isdigit() and not alive(int(pid_text)):
            entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed
