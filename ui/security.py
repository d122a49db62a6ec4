"""Accounts in the window: sign-in, auto-lock, the accounts dialog, read-only role.

Roles are enforced by the core services; what this module does on top is only
for the person at the screen: a login dialog before the window shows (once
accounts exist), the window covered by it again after idle time, viewers' edit
buttons greyed out, and the administrator's accounts dialog.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (QApplication, QComboBox, QDialog,
                               QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QTableWidgetItem, QVBoxLayout, QWidget)

from core import accounts
from core.errors import UserError
from core.station import Context
from ui import dialogs
from ui.lazy_qt import Qt  # the real Qt namespace is built on first use
from ui.widgets import error_label, readonly_table

IDLE_SETTING = "idle_lock_minutes"
DEFAULT_IDLE_MINUTES = 10
READ_ONLY_TIP = "Tài khoản chỉ xem: không được thêm, sửa hoặc xóa dữ liệu."


allowed = accounts.allowed


def _password_edit(parent: QWidget) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setEchoMode(QLineEdit.Password)
    return edit


class LoginDialog(QDialog):
    """Name and password; signs the user into *ctx* (sets ctx.user and ctx.role)."""

    def __init__(self, ctx: Context, parent: QWidget | None = None, *, locked: bool = False,
                 name: str | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Đăng nhập" if not locked else "Chương trình đã khóa")
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        intro = ("Chương trình đã tự khóa vì không có thao tác trong một thời gian. "
                 "Hãy đăng nhập lại (bằng tài khoản này hoặc tài khoản khác)."
                 if locked else "Hãy đăng nhập để sử dụng chương trình.")
        title = QLabel(f"<b>{self.station_label()}</b><br>{intro}", self)
        title.setWordWrap(True)
        layout.addWidget(title)
        form = QFormLayout()
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("tên tài khoản")
        self.password = _password_edit(self)
        form.addRow("Tài khoản:", self.name)
        form.addRow("Mật khẩu:", self.password)
        layout.addLayout(form)
        self.error = error_label(self)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.buttons.button(QDialogButtonBox.Ok).setText("Đăng nhập")
        self.buttons.button(QDialogButtonBox.Cancel).setText("Thoát chương trình")
        self.buttons.accepted.connect(self.try_sign_in)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        if name:
            self.name.setText(name)
            self.password.setFocus()

    def station_label(self) -> str:
        return self.ctx.station.name

    def try_sign_in(self) -> None:
        """Check the name and password; close on success, say why otherwise."""
        try:
            accounts.sign_in(self.ctx, self.name.text(), self.password.text())
        except UserError as exc:
            self.error.setText(str(exc))
            self.error.show()
            self.password.clear()
            self.password.setFocus()
            return
        self.accept()


class UnlockDialog(LoginDialog):
    """The sign-in before an encrypted station opens: only an account's password (or
    the recovery key, on the command line) unwraps its key. *opener(name, password)*
    opens the station (ui/app.py); the signed-in context ends up in ``context``."""

    def __init__(self, opener, parent: QWidget | None = None):
        self.opener, self.context = opener, None
        super().__init__(None, parent)

    def station_label(self) -> str:
        return "Cơ sở dữ liệu đã được mã hóa"

    def try_sign_in(self) -> None:
        """Open the station with the name and password, then sign in on it."""
        ctx = None
        try:
            ctx = self.opener(self.name.text(), self.password.text())
            accounts.sign_in(ctx, self.name.text(), self.password.text())
        except UserError as exc:
            if ctx is not None:
                ctx.close()
            self.error.setText(str(exc))
            self.error.show()
            self.password.clear()
            self.password.setFocus()
            return
        self.context = ctx
        self.accept()


def sign_in_at_start(ctx: Context) -> bool:
    """Ask for a sign-in when accounts exist; False when the person gave up."""
    if not ctx.accounts_exist or ctx.user is not None:
        return True
    return LoginDialog(ctx).exec() == QDialog.DialogCode.Accepted


class IdleLock(QObject):
    """Covers the window with the login dialog after idle time.

    An application-wide event filter restarts the timer on every key press,
    mouse click or wheel turn. The delay is the setting ``idle_lock_minutes``
    (default 10; 0 turns the lock off). Only active when accounts exist.
    """

    ACTIVITY = {QEvent.KeyPress, QEvent.MouseButtonPress, QEvent.MouseMove, QEvent.Wheel}
    unlocked = Signal()       # someone signed in again (maybe another account)

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.dialog: LoginDialog | None = None
        self.timer = QTimer(self, singleShot=True)
        self.timer.timeout.connect(self.lock)
        self.watching = False
        self.configure()

    def configure(self) -> None:
        """Read the delay setting and (re)start the timer.

        The application-wide filter (every event of the program passes through
        it) is installed only while accounts exist and the delay is not 0.
        """
        minutes = self.window.ctx.setting(IDLE_SETTING, DEFAULT_IDLE_MINUTES)
        if not isinstance(minutes, (int, float)) or minutes < 0:
            minutes = DEFAULT_IDLE_MINUTES
        self.timer.setInterval(int(minutes * 60_000))
        if minutes and self.dialog is None:
            self.timer.start()
        else:
            self.timer.stop()
        self._watch(bool(minutes) and self.window.ctx.accounts_exist)

    def _watch(self, on: bool) -> None:
        """Install or remove the application-wide activity filter."""
        app = QApplication.instance()
        if on == self.watching or app is None:
            return
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
        self.watching = on

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() in self.ACTIVITY and self.dialog is None
                and self.timer.interval() > 0):
            self.timer.start()
        return False

    def stop(self) -> None:
        """Stop watching (the window is closing)."""
        self.timer.stop()
        self._watch(False)

    @property
    def locked(self) -> bool:
        """True while the window is covered."""
        return self.dialog is not None

    def lock(self) -> None:
        """Sign out and cover the window until someone signs in."""
        ctx = self.window.ctx
        if self.dialog is not None or not ctx.accounts_exist:
            return
        previous = self.previous = ctx.user
        accounts.sign_out(ctx)
        self.window.centralWidget().hide()
        self.window.menuBar().setEnabled(False)
        self.dialog = LoginDialog(ctx, self.window, locked=True, name=previous)
        self.dialog.setWindowModality(Qt.ApplicationModal)
        self.dialog.accepted.connect(self._unlocked)
        self.dialog.rejected.connect(self.window.close)
        self.dialog.open()

    def _unlocked(self) -> None:
        self.dialog.deleteLater()
        self.dialog = None
        self.window.centralWidget().show()
        self.window.menuBar().setEnabled(True)
        self.unlocked.emit()
        self.timer.start()
        user = self.window.ctx.user or ""
        if user.lower() != (getattr(self, "previous", None) or "").lower():
            recovery_follow_up(self.window, self.window.ctx)   # another account: an admin?


class ReadOnlyGate(QObject):
    """Keeps the edit buttons of the window disabled while the user may not edit.

    The pages enable their buttons themselves (on selection, after a refresh);
    this filter turns them off again whenever that happens for a viewer.
    """

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.widgets: list[QWidget] = []
        self.editable = True

    def watch(self, widget: QWidget) -> None:
        """Guard one button (or action-bearing widget), at once for a viewer."""
        self.widgets.append(widget)
        widget.installEventFilter(self)
        if not self.editable:
            widget.setEnabled(False)
            widget.setToolTip(READ_ONLY_TIP)

    def apply(self) -> None:
        """Enable or disable the guarded widgets for the current role."""
        self.editable = allowed(self.window.ctx, "edit")
        for widget in self.widgets:
            if not self.editable:
                widget.setEnabled(False)
                widget.setToolTip(READ_ONLY_TIP)
            elif widget.toolTip() == READ_ONLY_TIP:
                widget.setToolTip("")
        for page in self.window.pages:      # “Sửa” / “Xem” follow the role
            if hasattr(page, "refresh"):
                page.refresh()
        if self.editable:
            for widget in self.widgets:
                if widget.property("gate_always"):
                    widget.setEnabled(True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.EnabledChange and not self.editable
                and isinstance(watched, QWidget) and watched.isEnabled()):
            watched.setEnabled(False)
        return False


def edit_buttons(window) -> list[QWidget]:
    """The add / edit / delete buttons of every page built so far."""
    return [button for page in window.pages for button in page_edit_buttons(page)]


def page_edit_buttons(page: QWidget) -> list[QWidget]:
    """The add / delete buttons of one page.

    Not “Sửa”: for a viewer it reads “Xem” and opens the record read-only
    (:func:`ui.pages.base.sync_owned_buttons`).
    """
    found = []
    for name in ("add_button", "sub_button", "delete_button", "merge_button"):
        button = getattr(page, name, None)
        if isinstance(button, QPushButton):
            if name == "add_button":
                button.setProperty("gate_always", True)
            found.append(button)
    return found


# -- account dialogs ---------------------------------------------------------

class AccountForm(QDialog):
    """A new account: name, role, password twice."""

    def __init__(self, parent: QWidget | None = None, *, first: bool = False):
        super().__init__(parent)
        self.setWindowTitle("Tạo tài khoản quản trị" if first else "Thêm tài khoản")
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        if first:
            note = QLabel("Sau khi có tài khoản, mọi người phải đăng nhập để dùng chương "
                          "trình; chỉ tài khoản có quyền mới sửa được dữ liệu.", self)
            note.setWordWrap(True)
            layout.addWidget(note)
        form = QFormLayout()
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("chữ không dấu, ví dụ: nguyenvana")
        self.role = QComboBox(self)
        for code in accounts.ROLES:
            self.role.addItem(accounts.ROLE_LABELS[code], code)
        if first:
            self.role.setEnabled(False)
        self.password = _password_edit(self)
        self.password.setPlaceholderText(f"ít nhất {accounts.MIN_PASSWORD} ký tự")
        self.again = _password_edit(self)
        form.addRow("Tên tài khoản:", self.name)
        form.addRow("Quyền:", self.role)
        form.addRow("Mật khẩu:", self.password)
        form.addRow("Nhập lại mật khẩu:", self.again)
        layout.addLayout(form)
        self.error = error_label(self)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel, self)
        self.buttons.button(QDialogButtonBox.Save).setText("Tạo tài khoản")
        self.buttons.button(QDialogButtonBox.Cancel).setText("Hủy")
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.save_with: callable | None = None
        self.buttons.accepted.connect(self.try_save)

    def show_error(self, text: str) -> None:
        """A red line above the buttons."""
        self.error.setText(text)
        self.error.show()

    def try_save(self) -> None:
        """Check the two passwords agree, then create the account through the core."""
        if self.password.text() != self.again.text():
            self.show_error("Hai lần nhập mật khẩu không giống nhau.")
            return
        try:
            if self.save_with is not None:
                self.save_with(self.name.text(), self.role.currentData(), self.password.text())
        except UserError as exc:
            self.show_error(str(exc))
            return
        self.accept()


class PasswordForm(QDialog):
    """A new password (twice), and the current one when changing one's own."""

    def __init__(self, parent: QWidget | None, title: str, *, ask_old: bool):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.old = _password_edit(self)
        if ask_old:
            form.addRow("Mật khẩu hiện tại:", self.old)
        self.password = _password_edit(self)
        self.password.setPlaceholderText(f"ít nhất {accounts.MIN_PASSWORD} ký tự")
        self.again = _password_edit(self)
        form.addRow("Mật khẩu mới:", self.password)
        form.addRow("Nhập lại mật khẩu mới:", self.again)
        layout.addLayout(form)
        self.error = error_label(self)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel, self)
        self.buttons.button(QDialogButtonBox.Save).setText("Đổi mật khẩu")
        self.buttons.button(QDialogButtonBox.Cancel).setText("Hủy")
        self.buttons.rejected.connect(self.reject)
        self.buttons.accepted.connect(self.try_save)
        layout.addWidget(self.buttons)
        self.save_with = None

    def try_save(self) -> None:
        """Check the two new passwords agree, then change it through the core."""
        if self.password.text() != self.again.text():
            self.error.setText("Hai lần nhập mật khẩu mới không giống nhau.")
            self.error.show()
            return
        try:
            self.save_with(self.password.text(), self.old.text() or None)
        except UserError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.accept()


def run_dialog(dialog: QDialog) -> bool:
    """exec() a dialog; tests replace this to fill the dialog instead of blocking."""
    return dialog.exec() == QDialog.DialogCode.Accepted


def ask_role(parent: QWidget, name: str, current: str) -> str | None:
    """Pick a new role for an account (None: cancelled)."""
    options = [accounts.ROLE_LABELS[r] for r in accounts.ROLES]
    index = dialogs.choose(parent, f"Chọn quyền mới cho tài khoản “{name}” "
                                   f"(hiện tại: {accounts.ROLE_LABELS[current]}).",
                           options + ["Hủy"], "Đổi quyền")
    return accounts.ROLES[index] if 0 <= index < len(accounts.ROLES) else None


RECOVERY_TEXT = (
    "Cơ sở dữ liệu và mọi bản sao lưu đã được mã hóa: chỉ mở được bằng mật khẩu của một "
    "tài khoản, hoặc bằng MÃ KHÔI PHỤC dưới đây.\n\n{code}\n\n"
    "Mã này chỉ hiện MỘT LẦN. Hãy chép lại (hoặc in ra), niêm phong và cất vào két của "
    "Trưởng Công an xã. Dùng nó khi quên mật khẩu, hoặc để mở bản sao lưu trên máy khác "
    "(dòng lệnh: --recovery-key).")


def show_recovery_key(parent, code: str) -> None:
    """The recovery key, shown once after the first account is made (or a conversion
    signed in by an administrator, or a new one)."""
    dialogs.inform(parent, RECOVERY_TEXT.format(code=code), "Mã khôi phục")


NO_RECOVERY_TEXT = (
    "Cơ sở dữ liệu đã được mã hóa nhưng chưa có MÃ KHÔI PHỤC (lần mã hóa do một tài khoản "
    "không phải quản trị đăng nhập). Khi quên mật khẩu, chỉ mã khôi phục mở được cơ sở dữ "
    "liệu và các bản sao lưu. Hãy tạo mã ngay và cất vào két của Trưởng Công an xã.")


def recovery_follow_up(parent, ctx: Context) -> None:
    """After the sign-in at start: the recovery key a conversion just made, shown once to
    the administrator who converted; or, for an administrator on a station without one,
    the offer to make it now. Nothing for the other roles."""
    code, ctx.new_recovery_key = ctx.new_recovery_key, None
    if ctx.role != "admin":
        return
    if code:
        show_recovery_key(parent, code)
        return
    if not accounts.recovery_missing(ctx):
        return
    if dialogs.choose(parent, NO_RECOVERY_TEXT, ["Tạo mã khôi phục", "Để sau"],
                      "Mã khôi phục") != 0:
        return
    try:
        code = accounts.new_recovery_key(ctx)
    except UserError as exc:
        dialogs.show_error(parent, str(exc))
        return
    show_recovery_key(parent, code)


class AccountsDialog(QDialog):
    """The administrator's list of accounts: add, change role, reset password, remove."""

    HEADERS = ("Tài khoản", "Quyền", "Ngày tạo", "Trạng thái")

    def __init__(self, window):
        super().__init__(window)
        self.window_ = window
        self.ctx: Context = window.ctx
        self.setWindowTitle("Tài khoản")
        self.resize(720, 420)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Quản trị: quản lý tài khoản, cài đặt, khôi phục · "
                                "Nhập liệu: nhập, sửa, nhập/xuất dữ liệu · "
                                "Chỉ xem: xem và in.", self))
        self.table = readonly_table(self, self.HEADERS, (200, 120, 120), rows=0)
        layout.addWidget(self.table, 1)
        bar = QHBoxLayout()
        self.add_button = self._button(bar, "Thêm tài khoản…", self.add_account)
        self.role_button = self._button(bar, "Đổi quyền…", self.change_role)
        self.reset_button = self._button(bar, "Đặt lại mật khẩu…", self.reset_password)
        self.remove_button = self._button(bar, "Xóa tài khoản", self.remove_account)
        self.history_button = self._button(bar, "Xem lịch sử", self.show_history)
        self.recovery_button = self._button(bar, "Mã khôi phục mới…", self.new_recovery_key)
        self.recovery_button.setToolTip("Tạo mã khôi phục mới (mã cũ hết hiệu lực): khi mất "
                                        "phong bì đựng mã, khi mất USB sao lưu, hoặc khi "
                                        "cơ sở dữ liệu chưa có mã.")
        bar.addStretch(1)
        close = self._button(bar, "Đóng", self.accept)
        close.setDefault(True)
        layout.addLayout(bar)
        self.reload()

    def _button(self, bar: QHBoxLayout, text: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        bar.addWidget(button)
        return button

    def reload(self) -> None:
        """List the accounts again."""
        self.accounts = accounts.list_users(self.ctx)
        self.table.setRowCount(len(self.accounts))
        from ui.history import format_time
        for row, account in enumerate(self.accounts):
            status = "Đang bị khóa tạm thời" if account.locked_until else "Hoạt động"
            if self.ctx.user and account.name.lower() == self.ctx.user.lower():
                status += " (đang đăng nhập)"
            for column, text in enumerate((account.name, account.role_label,
                                           format_time(account.created_at)[:10], status)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        if self.accounts:
            self.table.selectRow(0)

    def selected(self) -> accounts.Account | None:
        """The account on the selected row."""
        rows = self.table.selectionModel().selectedRows()
        return self.accounts[rows[0].row()] if rows else None

    def select(self, name: str) -> None:
        """Select an account by name."""
        for row, account in enumerate(self.accounts):
            if account.name == name:
                self.table.selectRow(row)

    def new_recovery_key(self) -> None:
        """A new recovery key, shown once (the previous one stops opening the database)."""
        if not dialogs.confirm(self, "Tạo mã khôi phục mới? Mã cũ (trong két) sẽ không còn "
                                     "mở được cơ sở dữ liệu và các bản sao lưu làm từ nay.",
                               "Mã khôi phục mới"):
            return
        try:
            code = accounts.new_recovery_key(self.ctx)
        except UserError as exc:
            dialogs.show_error(self, str(exc))
            return
        show_recovery_key(self, code)

    def add_account(self) -> None:
        """Create an account (name, role, password)."""
        form = AccountForm(self)
        created: list[str] = []
        form.save_with = lambda name, role, password: created.append(
            accounts.add_user(self.ctx, name, role, password).name)
        if run_dialog(form) and created:
            self.reload()
            self.select(created[0])

    def change_role(self) -> None:
        """Give the selected account another role."""
        account = self.selected()
        if account is None:
            return
        role = ask_role(self, account.name, account.role)
        if role is None or role == account.role:
            return
        try:
            accounts.set_role(self.ctx, account.name, role)
        except UserError as exc:
            dialogs.show_error(self, str(exc))
            return
        self.reload()
        self.select(account.name)
        self.window_.system.refresh_role()

    def reset_password(self) -> None:
        """Set a new password for the selected account."""
        account = self.selected()
        if account is None:
            return
        form = PasswordForm(self, f"Đặt lại mật khẩu cho “{account.name}”", ask_old=False)
        form.save_with = lambda new, old: accounts.change_password(self.ctx, account.name, new)
        if run_dialog(form):
            dialogs.inform(self, f"Đã đặt mật khẩu mới cho tài khoản “{account.name}”.")
            self.reload()

    def remove_account(self) -> None:
        """Delete the selected account after asking."""
        account = self.selected()
        if account is None:
            return
        if not dialogs.confirm(self, f"Xóa tài khoản “{account.name}” "
                                     f"({account.role_label})? Người này sẽ không đăng nhập "
                                     "được nữa; các thay đổi họ đã làm vẫn được lưu trong "
                                     "lịch sử."):
            return
        try:
            accounts.remove_user(self.ctx, account.name)
        except UserError as exc:
            dialogs.show_error(self, str(exc))
            return
        self.reload()

    def show_history(self) -> None:
        """The changes made by the selected account."""
        account = self.selected()
        if account is None:
            return
        from ui.history import HistoryDialog
        HistoryDialog(self.ctx, self, user=account.name).exec()
