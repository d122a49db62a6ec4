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
        self.reason = write_failure_reason(exc)     # why, without the path
        super().__init__(f"Không ghi được tệp “{self.path}”: {self.reason}. "
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


def read_failure_reason(exc: BaseException | None) -> str:
    """Why a file could not be read, in Vietnamese (the system's own text is English)."""
    code = getattr(exc, "errno", None)
    if isinstance(exc, FileNotFoundError) or code == errno.ENOENT:
        return "không có tệp này (tệp đã bị xóa, đổi tên hoặc ổ USB đã rút ra)"
    if isinstance(exc, IsADirectoryError) or code == errno.EISDIR:
        return "đây là một thư mục, không phải tệp"
    if isinstance(exc, PermissionError) or code in (errno.EACCES, errno.EPERM):
        return ("không có quyền đọc tệp này, hoặc tệp đang được mở trong chương trình "
                "khác (hãy đóng tệp rồi thử lại)")
    if code == errno.EIO:
        return "lỗi đọc đĩa (ổ USB hoặc ổ đĩa có thể bị hỏng)"
    return "lỗi đọc đĩa" + (f" (mã lỗi {code})" if code else "")
