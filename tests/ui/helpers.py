"""Typing into forms as a person would."""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit


def type_into(qtbot, widget: QLineEdit, text: str) -> None:
    """Clear a line edit and type *text* key by key (Vietnamese letters too).

    QTest.keyClicks only knows ASCII, so each character goes as a key event
    carrying its text, as a Vietnamese keyboard (Unikey) delivers it.
    """
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key_Backspace)
    for ch in text:
        for kind in (QEvent.KeyPress, QEvent.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key_unknown, Qt.NoModifier, ch))


def click_save(qtbot, form) -> None:
    """Click “Lưu”."""
    qtbot.mouseClick(form.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)


def search(qtbot, page, text: str) -> None:
    """Type in the list's search box and wait for the debounced query."""
    type_into(qtbot, page.search, text)
    qtbot.waitUntil(lambda: page.model.search == text, timeout=2000)


def shown_column(page, column: int) -> list[str]:
    """The texts of one column of a list page, top to bottom."""
    model = page.model
    return [model.index(r, column).data() for r in range(model.rowCount())]


class DialogDriver:
    """Dialogs of one class opened by the code: ``fill`` runs on each instead of exec()."""

    def __init__(self):
        self.fill = None
        self.opened: list = []


def drive_dialogs(monkeypatch, dialog_class) -> DialogDriver:
    """Make *dialog_class* non-modal: each one is shown, filled by ``driver.fill``, hidden."""
    driver = DialogDriver()

    def fake_exec(self):
        driver.opened.append(self)
        self.show()
        if driver.fill is not None:
            driver.fill(self)
        self.hide()
        return self.result()

    monkeypatch.setattr(dialog_class, "exec", fake_exec)
    return driver


# -- accounts ----------------------------------------------------------------------

PASSWORD = "mat-khau-123"
ACCOUNT_OF = {"admin": "quantri", "editor": "nhaplieu", "viewer": "xem"}


def make_accounts(ctx) -> None:
    """An administrator (first, left signed in), an editor and a viewer."""
    from core import accounts
    accounts.add_user(ctx, ACCOUNT_OF["admin"], "admin", PASSWORD)
    accounts.sign_in(ctx, ACCOUNT_OF["admin"], PASSWORD)
    accounts.add_user(ctx, ACCOUNT_OF["editor"], "editor", PASSWORD)
    accounts.add_user(ctx, ACCOUNT_OF["viewer"], "viewer", PASSWORD)


def open_signed_in(ctx, role: str, qtbot):
    """The main window on *ctx*, signed in with the account of *role* (as the login does)."""
    from core import accounts
    from ui.main_window import MainWindow
    accounts.sign_in(ctx, ACCOUNT_OF[role], PASSWORD)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    return window


def last_audit_users(ctx, since: int) -> set[str]:
    """The users named by the audit entries written after entry number *since*."""
    return {row[0] for row in ctx.db.execute("SELECT user FROM audit WHERE seq > ?", [since])}


def audit_top(ctx) -> int:
    """The number of the latest audit entry."""
    return ctx.db.execute("SELECT COALESCE(MAX(seq), 0) FROM audit").fetchone()[0]
