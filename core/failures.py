"""Failures of everyday life that are not bugs: a busy database, a full disk.

The command line (and the window's job runner) ask :func:`explain_failure`
before treating an exception as a bug.
"""
from __future__ import annotations

import errno
import os
import shutil

from core import cipher
from core.errors import UserError
from core.instance import AlreadyOpen, InstanceLock, lock_path

BUSY = ("Cơ sở dữ liệu đang bận: {holder} đang ghi vào đó. Đã chờ mà chưa xong; hãy đợi "
        "việc đó kết thúc rồi thử lại. Dữ liệu không thay đổi.")
DISK_FULL = ("Ổ đĩa đã đầy, không ghi được; dữ liệu không thay đổi và không để lại tệp "
             "ghi dở. Hãy giải phóng chỗ trống (hoặc chọn ổ khác) rồi thử lại.")


def explain_failure(exc: BaseException, db_path: object = None) -> str | None:
    """The Vietnamese refusal for a failure of everyday life, or None for a bug.

    A busy database (another writer held it past the busy timeout) and a full
    disk are not bugs: the command line and the job runner show this text.
    """
    if isinstance(exc, cipher.OperationalError):
        text = str(exc)
        if "locked" in text or "busy" in text:
            return BUSY.format(holder=_holder(db_path))
        if "disk is full" in text or ("disk I/O error" in text and _disk_full(db_path)):
            return DISK_FULL
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DISK_FULL
    if isinstance(exc, UserError):
        return None
    cause = exc.__cause__ or exc.__context__
    return explain_failure(cause, db_path) if cause is not None else None


def _holder(db_path: object) -> str:
    """Who holds the database, as far as it can be known: a window takes its lock file."""
    if db_path and lock_path(db_path).exists():
        lock = InstanceLock(db_path)
        try:
            lock.acquire()
        except AlreadyOpen:
            return "cửa sổ chương trình ANTQ đang mở cơ sở dữ liệu này"
        except OSError:
            pass
        else:
            lock.release()
    return "một lệnh khác của chương trình (nhận gói, nhập sổ Excel, sao lưu…)"


def _disk_full(db_path: object) -> bool:
    try:
        return shutil.disk_usage(os.path.dirname(os.path.abspath(str(db_path)))).free < 1 << 20
    except (OSError, TypeError):
        return False
