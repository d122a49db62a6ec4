"""Writing document files safely: temp file in the same folder, fsync, rename.

A file that cannot be written (open in another program, no space, no
permission) becomes a :class:`UserError` with a Vietnamese message, and no
half-written file is left behind.
"""
from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from core.errors import UserError


def _message(path: Path, exc: OSError) -> str:
    """A Vietnamese explanation of why *path* could not be written."""
    if exc.errno == errno.ENOSPC:
        reason = "ổ đĩa đã hết chỗ trống"
    elif isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM):
        reason = ("không có quyền ghi vào thư mục này, hoặc tệp đang được mở "
                  "trong chương trình khác (hãy đóng tệp rồi thử lại)")
    elif isinstance(exc, FileNotFoundError):
        reason = "thư mục không tồn tại"
    elif exc.errno == errno.EROFS:
        reason = "ổ đĩa chỉ cho phép đọc"
    else:
        reason = exc.strerror or str(exc)
    return f"Không ghi được tệp “{path}”: {reason}. Không có tệp nào được tạo."


@contextlib.contextmanager
def atomic_output(out: str | os.PathLike) -> Iterator[str]:
    """Yield a temp path next to *out*; on success move it onto *out* atomically.

    The caller writes the whole document to the yielded path. On any failure the
    temp file is removed and *out* is left as it was.
    """
    target = Path(out).expanduser()
    if target.is_dir():
        raise UserError(f"“{target}” là một thư mục, không phải tên tệp.")
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        os.close(fd)
    except OSError as exc:
        raise UserError(_message(target, exc)) from None
    try:
        yield temp
        with open(temp, "rb+") as handle:
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except OSError as exc:
        _remove(temp)
        raise UserError(_message(target, exc)) from None
    except BaseException:
        _remove(temp)
        raise


def _remove(temp: str) -> None:
    """Remove a temp file if it still exists."""
    with contextlib.suppress(FileNotFoundError):
        os.remove(temp)
