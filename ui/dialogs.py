"""Message dialogs in Vietnamese, and the two kinds of failure.

A user error (:class:`core.errors.UserError`) is shown as it is; a bug is logged
with its traceback in the log file and the person sees a polite dialog. Every
message box of the window goes through this module, so tests can replace it.
"""
from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtWidgets import (QApplication, QDialog, QMessageBox, QSizePolicy, QSpacerItem,
                               QWidget)

from core.errors import UserError

log = logging.getLogger("antq.ui")


def message_box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
                buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.NoButton
                ) -> QMessageBox:
    """A message box whose title is never cut (Qt sizes a box by its text alone)."""
    box = QMessageBox(icon, title, text, buttons, parent)
    layout = box.layout()
    need = title_width(box)
    if layout is not None:          # a message box keeps the width its layout asks for
        layout.addItem(QSpacerItem(need, 0, QSizePolicy.Policy.Minimum,
                                   QSizePolicy.Policy.Minimum),
                       layout.rowCount(), 0, 1, layout.columnCount())
    return box


def show_error(parent: QWidget | None, text: str, title: str = "Không thực hiện được") -> None:
    """A user error: what went wrong and what to do, nothing was changed."""
    message_box(parent, QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok).exec()


def inform(parent: QWidget | None, text: str, title: str = "Thông báo") -> None:
    """A plain information message."""
    message_box(parent, QMessageBox.Icon.Information, title, text,
                QMessageBox.StandardButton.Ok).exec()


def about(parent: QWidget | None, title: str, text: str) -> None:
    """The “Giới thiệu” box (the program's icon, rich text)."""
    box = message_box(parent, QMessageBox.Icon.NoIcon, title, text, QMessageBox.StandardButton.Ok)
    icon = QApplication.windowIcon()
    if not icon.isNull():
        box.setIconPixmap(icon.pixmap(64, 64))
    box.exec()


def confirm(parent: QWidget | None, text: str, title: str = "Xác nhận") -> bool:
    """Ask a yes/no question; True on “Có”."""
    box = message_box(parent, QMessageBox.Icon.Question, title, text)
    yes = box.addButton("Có", QMessageBox.YesRole)
    box.addButton("Không", QMessageBox.NoRole)
    box.exec()
    return box.clickedButton() is yes


def confirm_delete(parent: QWidget | None, text: str) -> bool:
    """Ask before deleting; True on “Xóa” (Enter), False on “Không” (Escape)."""
    box = message_box(parent, QMessageBox.Icon.Question, "Xóa bản ghi", text)
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
    box = message_box(parent, QMessageBox.Icon.Question, title, text)
    buttons = [box.addButton(o, QMessageBox.AcceptRole) for o in options]
    box.exec()
    clicked = box.clickedButton()
    return buttons.index(clicked) if clicked in buttons else -1


TITLE_BAR_ROOM = 110
"""Pixels a title bar spends besides the title: the icon, the close button, margins."""


def title_width(dialog: QWidget) -> int:
    """The width *dialog* needs for its whole title in the title bar."""
    from PySide6.QtGui import QFontMetrics
    return QFontMetrics(QApplication.font()).horizontalAdvance(dialog.windowTitle()) \
        + TITLE_BAR_ROOM


def fit_title(dialog: QWidget) -> QWidget:
    """Make *dialog* wide enough that its title is never cut (“Chọn q…t định”)."""
    need = title_width(dialog)
    dialog.setMinimumWidth(max(dialog.minimumWidth(), need))
    if dialog.width() < need:
        dialog.resize(need, dialog.height())
    return dialog


def resize_on_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize *widget* to width×height, its frame kept inside the screen's free area
    (1366×768 less the taskbar)."""
    screen = QApplication.primaryScreen()
    if screen is not None:
        area = screen.availableGeometry()
        width = min(width, area.width() - 16)
        height = min(height, area.height() - 40)
    widget.resize(width, height)


def pick_item(parent: QWidget | None, title: str, label: str, items: list[str],
              current: int = 0) -> str | None:
    """One of *items* chosen in a list box (None when cancelled), the title shown whole."""
    from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLabel, QVBoxLayout
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    layout = QVBoxLayout(dialog)
    caption = QLabel(label, dialog)
    combo = QComboBox(dialog)
    combo.addItems(items)
    combo.setCurrentIndex(max(0, min(current, len(items) - 1)))
    caption.setBuddy(combo)
    buttons = QDialogButtonBox(dialog)
    buttons.addButton("Chọn", QDialogButtonBox.ButtonRole.AcceptRole).setDefault(True)
    buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    for widget in (caption, combo, buttons):
        layout.addWidget(widget)
    fit_title(dialog)
    combo.setFocus()
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return combo.currentText() or None


def log_path() -> str:
    """Where the traceback of a bug was written."""
    from core.logs import setup_logging
    return str(setup_logging())


def show_bug(parent: QWidget | None, exc: BaseException) -> None:
    """Log *exc* with its traceback and tell the person politely."""
    log.error("Lỗi không mong muốn", exc_info=(type(exc), exc, exc.__traceback__))
    message_box(
        parent, QMessageBox.Icon.Critical, "Đã xảy ra lỗi",
        "Chương trình gặp lỗi không mong muốn và thao tác vừa rồi chưa hoàn tất.\n"
        "Dữ liệu đã lưu trước đó vẫn an toàn.\n\n"
        f"Chi tiết kỹ thuật đã được ghi vào tệp nhật ký:\n{log_path()}\n"
        "Hãy gửi tệp này cho cán bộ kỹ thuật nếu lỗi lặp lại.",
        QMessageBox.StandardButton.Ok).exec()


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
