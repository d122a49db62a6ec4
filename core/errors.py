"""The two kinds of failure: a user error (shown, nothing changed) and a bug."""
from __future__ import annotations

import errno
from dataclasses import dataclass


class UserError(Exception):
    """Input or state the program refuses. The message is Vietnamese, for people.

    Raising it inside a transaction rolls the transaction back, so the database
    stays as it was. The command line maps it to exit code 1.
    """


@dataclass(frozen=True)
class FieldError:
    """One faulty field of a record, with a Vietnamese message."""

    field: str
    message: str


class ValidationError(UserError):
    """A record with one or more faulty fields."""

    def __init__(self, errors: list[FieldError]):
        self.errors = list(errors)
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in self.errors))


class NotFound(UserError):
    """A record that does not exist (or was deleted)."""


class DatabaseError(UserError):
    """The database file cannot be used: missing, not initialised, too new, locked."""


class PermissionDenied(UserError):
    """The current user may not do this."""


class FileWriteError(UserError):
    """A file the program produces could not be written (one message for every writer).

    Built from the ``OSError`` that stopped the write: read-only folder or disk,
    full disk, a file open in another program (Windows refuses the rename with
    a PermissionError), a missing folder. The old file, if any, is untouched.
    """

    def __init__(self, path: object, exc: BaseException | None = None):
        self.path = str(path)
        super().__init__(f"Không ghi được tệp “{self.path}”: {write_failure_reason(exc)}. "
                         "Tệp cũ (nếu có) vẫn giữ nguyên, không có tệp dở dang nào được để lại.")


def write_failure_reason(exc: BaseException | None) -> str:
    """Why a write failed, in Vietnamese, from the error the system gave."""
    code = getattr(exc, "errno", None)
    text = str(exc or "").lower()
    if code == errno.ENOSPC or "disk is full" in text:
        return "ổ đĩa đã hết chỗ trống"
    if code == errno.EROFS or "readonly" in text or "read-only" in text:
        return "ổ đĩa hoặc thư mục chỉ cho phép đọc"
    if isinstance(exc, PermissionError) or code in (errno.EACCES, errno.EPERM):
        return ("không có quyền ghi vào thư mục này, hoặc tệp đang được mở trong "
                "chương trình khác (hãy đóng tệp rồi thử lại)")
    if isinstance(exc, IsADirectoryError):
        return "đã có một thư mục trùng tên"
    if isinstance(exc, FileNotFoundError):
        return "thư mục không tồn tại"
    return getattr(exc, "strerror", None) or str(exc) or "lỗi ghi đĩa"


BUSY = ("Cơ sở dữ liệu đang bận: {holder} đang ghi vào đó. Đã chờ mà chưa xong; hãy đợi "
        "việc đó kết thúc rồi thử lại. Dữ liệu không thay đổi.")
DISK_FULL = ("Ổ đĩa đã đầy, không ghi được; dữ liệu không thay đổi và không để lại tệp "
             "ghi dở. Hãy giải phóng chỗ trống (hoặc chọn ổ khác) rồi thử lại.")


def explain_failure(exc: BaseException, db_path: object = None) -> str | None:
    """The Vietnamese refusal for a failure of everyday life, or None for a bug.

    A busy database (another writer held it past the busy timeout) and a full
    disk are not bugs: the command line and the job runner show this text.
    """
    import errno
    import sqlite3
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc)
        if "locked" in text or "busy" in text:
            return BUSY.format(holder=_holder(db_path))
        if "disk is full" in text or "disk I/O error" in text and _disk_full(db_path):
            return DISK_FULL
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DISK_FULL
    if isinstance(exc, UserError):
        return None
    cause = exc.__cause__ or exc.__context__
    return explain_failure(cause, db_path) if cause is not None else None


def _holder(db_path: object) -> str:
    """Who holds the database, as far as it can be known: a window takes its lock file."""
    from core.instance import AlreadyOpen, InstanceLock, lock_path
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
    import os
    import shutil
    try:
        return shutil.disk_usage(os.path.dirname(os.path.abspath(str(db_path)))).free < 1 << 20
    except (OSError, TypeError):
        return False
