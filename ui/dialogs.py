"""Message dialogs in Vietnamese, and the two kinds of failure.

A user error (:class:`core.errors.UserError`) is shown as it is; a bug is logged
with its traceback in the log file and the person sees a polite dialog. Every
message box of the window goes through this module, so tests can replace it.
"""
from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QSpacerItem, QWidget

from core.errors import UserError

log = logging.getLogger("antq.ui")


def show_error(parent: QWidget | None, text: str, title: str = "Không thực hiện được") -> None:
    """A user error: what went wrong and what to do, nothing was changed."""
    QMessageBox.warning(parent, title, text)


def inform(parent: QWidget | None, text: str, title: str = "Thông báo") -> None:
    """A plain information message."""
    QMessageBox.information(parent, title, text)


def confirm(parent: QWidget | None, text: str, title: str = "Xác nhận") -> bool:
    """Ask a yes/no question; True on “Có”."""
    box = QMessageBox(QMessageBox.Question, title, text, parent=parent)
    yes = box.addButton("Có", QMessageBox.YesRole)
    box.addButton("Không", QMessageBox.NoRole)
    box.exec()
    return box.clickedButton() is yes


def confirm_delete(parent: QWidget | None, text: str) -> bool:
    """Ask before deleting; True on “Xóa” (Enter), False on “Không” (Escape)."""
    box = QMessageBox(QMessageBox.Question, "Xóa bản ghi", text, parent=parent)
    box.setInformativeText("Bản ghi được chuyển vào Thùng rác: khôi phục được bằng "
                           "Ctrl+Z hoặc menu Sửa → Thùng rác.")
    grid = box.layout()        # wide enough that a name and what goes with it fit a line
    grid.addItem(QSpacerItem(460, 0), grid.rowCount(), 0, 1, grid.columnCount())
    yes = box.addButton("Xóa", QMessageBox.DestructiveRole)
    no = box.addButton("Không", QMessageBox.RejectRole)
    box.setDefaultButton(yes)
    box.setEscapeButton(no)
    box.exec()
    return box.clickedButton() is yes


def choose(parent: QWidget | None, text: str, options: list[str],
           title: str = "Xác nhận") -> int:
    """Ask the person to pick one of *options*; returns its index (-1: closed)."""
    box = QMessageBox(QMessageBox.Question, title, text, parent=parent)
    buttons = [box.addButton(o, QMessageBox.AcceptRole) for o in options]
    box.exec()
    clicked = box.clickedButton()
    return buttons.index(clicked) if clicked in buttons else -1


def log_path() -> str:
    """Where the traceback of a bug was written."""
    from core.logs import setup_logging
    return str(setup_logging())


def show_bug(parent: QWidget | None, exc: BaseException) -> None:
    """Log *exc* with its traceback and tell the person politely."""
    log.error("Lỗi không mong muốn", exc_info=(type(exc), exc, exc.__traceback__))
    QMessageBox.critical(
        parent, "Đã xảy ra lỗi",
        "Chương trình gặp lỗi không mong muốn và thao tác vừa rồi chưa hoàn tất.\n"
        "Dữ liệu đã lưu trước đó vẫn an toàn.\n\n"
        f"Chi tiết kỹ thuật đã được ghi vào tệp nhật ký:\n{log_path()}\n"
        "Hãy gửi tệp này cho cán bộ kỹ thuật nếu lỗi lặp lại.")


def show_exception(parent: QWidget | None, exc: BaseException) -> None:
    """A user error as a warning; anything else as a bug."""
    if isinstance(exc, UserError):
        show_error(parent, str(exc))
    else:
        show_bug(parent, exc)


def excepthook(kind: type[BaseException], exc: BaseException,
               tb: TracebackType | None) -> None:
    """sys.excepthook for the window: never a traceback on screen."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    exc.__traceback__ = tb
    if QApplication.instance() is None:
        log.error("Lỗi không mong muốn", exc_info=(kind, exc, tb))
        return
    show_exception(QApplication.activeWindow(), exc)


def install_excepthook() -> None:
    """Route uncaught exceptions (slots included) to :func:`excepthook`."""
    sys.excepthook = excepthook
