"""Writing a file safely: to a temporary file in the same folder, then a rename.

A failure half-way leaves no half-written workbook behind, and a file that is
open in Excel or in a read-only folder gives a Vietnamese UserError.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from core.errors import UserError


@contextlib.contextmanager
def atomic_target(path: Path | str) -> Iterator[str]:
    """Yield a temporary path next to *path*; on success it replaces *path*.

    The temporary file is made first, so an unwritable folder fails before any
    work is done.
    """
    path = Path(path)
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{path.stem}.",
                                        suffix=path.suffix or ".xlsx", dir=path.parent)
        os.close(handle)
    except OSError as exc:
        raise UserError(_message(path, exc)) from exc
    try:
        yield temp
        os.replace(temp, path)
    except OSError as exc:
        raise UserError(_message(path, exc)) from exc
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def save_atomically(path: Path | str, save: Callable[[str], None]) -> None:
    """Call *save(temp_path)* then move the result onto *path*."""
    with atomic_target(path) as temp:
        save(temp)


def _message(path: Path, exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return (f"Không ghi được tệp “{path}”: tệp đang mở trong Excel hoặc không có "
                "quyền ghi vào thư mục này.")
    if isinstance(exc, FileNotFoundError):
        return f"Không ghi được tệp “{path}”: thư mục không tồn tại."
    if isinstance(exc, IsADirectoryError):
        return f"Không ghi được tệp “{path}”: đã có một thư mục trùng tên."
    return f"Không ghi được tệp “{path}” ({exc.strerror or exc})."
