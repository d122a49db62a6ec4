"""The “Hệ thống” menu and what keeps the window safe while it runs.

:func:`install` adds to a :class:`ui.main_window.MainWindow`: the menu (accounts,
password, backups, restore, history, check), the idle lock, the read-only gate
for viewers, the daily automatic backup timer, the one-time offer to create the
administrator account, and “Xem lịch sử” on the models and members lists.
"""
from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog,
                               QHBoxLayout, QLabel, QMenu, QPushButton,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from core import accounts, backup
from core.errors import UserError
from core.station import Context, open_station
from core.text import format_number
from ui import dialogs, jobs, tasks
from ui.lazy_qt import Qt  # the real Qt namespace is built on first use
from ui.widgets import readonly_table
from ui.security import (AccountForm, AccountsDialog, IdleLock, PasswordForm, ReadOnlyGate,
                         allowed, page_edit_buttons, run_dialog)

log = logging.getLogger(__name__)

DAILY_CHECK_MS = 60 * 60 * 1000  # look every hour whether the daily backup is due
FIRST_CHECK_MS = 60 * 1000       # and once a minute after start
OFFER_SETTING = "ui_admin_offer_dismissed"

# Windows opened again after a restore (kept alive here).
_windows: list = []


# -- pickers tests replace ---------------------------------------------------

def pick_folder(parent: QWidget, title: str) -> str:
    """A folder chosen by the person ("" when cancelled)."""
    return QFileDialog.getExistingDirectory(parent, title)


def pick_backup_file(parent: QWidget) -> str:
    """A backup file chosen by the person ("" when cancelled)."""
    name, _ = QFileDialog.getOpenFileName(parent, "Chọn tệp sao lưu", "",
                                          "Cơ sở dữ liệu (*.sqlite3 *.db);;Mọi tệp (*)")
    return name


# -- installing --------------------------------------------------------------

def install(window) -> None:
    """Add the menu, the idle lock, the viewer gate and the backup timer to *window*."""
    window.role_changed = lambda: role_changed(window)
    window.gate = ReadOnlyGate(window)
    window.idle_lock = IdleLock(window)
    _build_menu(window)
    window.on_page_built(lambda page: _page_built(window, page))  # pages come on first show
    window.backup_timer = QTimer(window)
    window.backup_timer.setInterval(DAILY_CHECK_MS)
    window.backup_timer.timeout.connect(lambda: daily_backup(window))
    window.backup_timer.start()
    QTimer.singleShot(FIRST_CHECK_MS, window, lambda: daily_backup(window))
    window.admin_offer = None
    _offer_admin(window)
    window.closer = _Closer(window)
    role_changed(window)


class _Closer(QObject):
    """Lets go of the instance lock and the timers when the window closes."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Close:
            self.window.idle_lock.stop()
            self.window.backup_timer.stop()
            lock = getattr(self.window, "instance_lock", None)
            if lock is not None:
                lock.release()
                self.window.instance_lock = None
        return False


def _action(window, menu: QMenu, text: str, slot) -> QAction:
    action = QAction(text, window)
    action.triggered.connect(slot)
    menu.addAction(action)
    return action


def _build_menu(window) -> None:
    """The “Hệ thống” menu, before “Trợ giúp”."""
    bar = window.menuBar()
    menu = QMenu("&Hệ thống", window)
    help_action = next((a for a in bar.actions() if "giúp" in a.text()), None)
    if help_action is not None:
        bar.insertMenu(help_action, menu)
    else:
        bar.addMenu(menu)
    window.system_menu = menu
    window.create_admin_action = _action(window, menu, "Tạo tài khoản quản trị…",
                                         lambda: create_admin(window))
    window.accounts_action = _action(window, menu, "Tài khoản…", lambda: show_accounts(window))
    window.password_action = _action(window, menu, "Đổi mật khẩu…",
                                     lambda: change_own_password(window))
    window.lock_action = _action(window, menu, "Khóa màn hình", lambda: window.idle_lock.lock())
    menu.addSeparator()
    window.backup_action = _action(window, menu, "Sao lưu ngay…", lambda: backup_now(window))
    window.usb_action = _action(window, menu, "Sao lưu ra USB…", lambda: backup_to_folder(window))
    window.restore_action = _action(window, menu, "Khôi phục từ bản sao lưu…",
                                    lambda: restore_from_backup(window))
    menu.addSeparator()
    window.history_action = _action(window, menu, "Lịch sử thay đổi…",
                                    lambda: show_history(window))
    window.check_action = _action(window, menu, "Kiểm tra dữ liệu",
                                  lambda: check_data(window))
    window.user_label = QLabel(window)
    window.statusBar().addPermanentWidget(window.user_label)


def role_changed(window) -> None:
    """Update menus, buttons and the status bar after a sign-in or a role change."""
    ctx: Context = window.ctx
    exist = ctx.accounts_exist
    admin = allowed(ctx, "admin")
    window.create_admin_action.setVisible(not exist)
    window.accounts_action.setVisible(exist)
    window.accounts_action.setEnabled(admin)
    window.password_action.setVisible(exist and ctx.user is not None)
    window.lock_action.setVisible(exist)
    window.restore_action.setEnabled(admin)
    can_edit = allowed(ctx, "edit")
    for action in window.findChildren(QAction):
        if action.text() == "Nhập từ Excel…":
            action.setEnabled(can_edit)
    window.gate.apply()
    if ctx.user:
        window.user_label.setText(f"Người dùng: {ctx.user} "
                                  f"({accounts.ROLE_LABELS[ctx.role]})")
    else:
        window.user_label.setText("Chưa có tài khoản" if not exist else "")
    if exist and window.admin_offer is not None:
        _drop_offer(window)
    window.idle_lock.configure()


# -- the offer to create the administrator -----------------------------------

def _offer_admin(window) -> None:
    """Once, in the status bar: “create the administrator account” (dismissable)."""
    ctx = window.ctx
    if ctx.accounts_exist or ctx.setting(OFFER_SETTING, False):
        return
    box = QWidget(window)
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(QLabel("Chưa có tài khoản: ai mở chương trình cũng sửa được dữ liệu.", box))
    create = QPushButton("Tạo tài khoản quản trị…", box)
    create.clicked.connect(lambda: create_admin(window))
    later = QPushButton("Để sau", box)
    later.setToolTip("Không nhắc lại; vẫn tạo được ở menu Hệ thống.")
    later.clicked.connect(lambda: _dismiss_offer(window))
    row.addWidget(create)
    row.addWidget(later)
    window.statusBar().addWidget(box)
    window.admin_offer = box


def _drop_offer(window) -> None:
    window.statusBar().removeWidget(window.admin_offer)
    window.admin_offer.deleteLater()
    window.admin_offer = None


def _dismiss_offer(window) -> None:
    window.ctx.set_setting(OFFER_SETTING, True)
    _drop_offer(window)


def create_admin(window) -> None:
    """Create the first (administrator) account and sign it in."""
    ctx = window.ctx
    form = AccountForm(window, first=True)

    def save(name: str, role: str, password: str) -> None:
        accounts.add_user(ctx, name, "admin", password)
        accounts.sign_in(ctx, name, password)

    form.save_with = save
    if run_dialog(form):
        role_changed(window)
        dialogs.inform(window, f"Đã tạo tài khoản quản trị “{ctx.user}” và đăng nhập. "
                               "Từ lần sau, chương trình sẽ hỏi tên và mật khẩu khi mở.")


# -- accounts ------------------------------------------------------------------

def show_accounts(window) -> None:
    """The accounts dialog (administrators)."""
    try:
        accounts.require(window.ctx, "admin")
        dialog = AccountsDialog(window)
    except UserError as exc:
        dialogs.show_error(window, str(exc))
        return
    run_dialog(dialog)
    role_changed(window)


def change_own_password(window) -> None:
    """The signed-in user changes their own password."""
    ctx = window.ctx
    if not ctx.user:
        return
    form = PasswordForm(window, "Đổi mật khẩu", ask_old=ctx.role != "admin")
    form.save_with = lambda new, old: accounts.change_password(ctx, ctx.user, new, old)
    if run_dialog(form):
        dialogs.inform(window, "Đã đổi mật khẩu.")


# -- history -------------------------------------------------------------------

def show_history(window, table: str | None = None, record_id: str | None = None) -> None:
    """The history browser: the whole trail, or one record's history."""
    from ui.history import HistoryDialog
    window.history_dialog = HistoryDialog(window.ctx, window, table=table, record_id=record_id)
    window.history_dialog.setAttribute(Qt.WA_DeleteOnClose)
    window.history_dialog.show()


def _page_built(window, page) -> None:
    """A page was just built: guard its edit buttons; history on models and members."""
    for button in page_edit_buttons(page):
        window.gate.watch(button)
    if window.page_name(page) in ("models", "members"):
        _add_history_button(window, page)


def _add_history_button(window, page) -> None:
    """“Xem lịch sử” (button and context menu) on the models or members list."""
    button = QPushButton("Xem lịch sử", page)
    button.setToolTip("Các lần thêm, sửa, xóa bản ghi đang chọn")
    button.clicked.connect(lambda _=False, p=page: _page_history(window, p))
    page.bar.addWidget(button)
    page.history_button = button
    page.view.setContextMenuPolicy(Qt.CustomContextMenu)
    page.view.customContextMenuRequested.connect(
        lambda pos, p=page: _context_menu(window, p, pos))


def _page_history(window, page) -> None:
    record_id = page.selected_id()
    if record_id:
        show_history(window, page.spec.table, record_id)


def _context_menu(window, page, pos) -> None:
    index = page.view.indexAt(pos)
    if not index.isValid():
        return
    page.view.selectRow(index.row())
    menu = QMenu(page)
    menu.addAction("Sửa…", page.edit_selected)
    menu.addAction("Xem lịch sử", lambda: _page_history(window, page))
    menu.exec(page.view.viewport().mapToGlobal(pos))


# -- backups -------------------------------------------------------------------

def backup_now(window) -> None:
    """An automatic-style backup in the data folder, now."""
    keep = backup.keep_count(window.ctx)
    jobs.run_on_station(window, window.ctx,
                        lambda ctx, control: backup.make_auto_backup(ctx, "manual"),
                        needs="read", label="Đang sao lưu…", cancellable=False,
                        on_success=lambda out: dialogs.inform(
                            window, f"Đã sao lưu vào:\n{out}\n\nChương trình giữ {keep} bản "
                                    "sao lưu gần nhất trong thư mục này.", "Sao lưu"))


def usb_file_name(ctx: Context, now: dt.datetime | None = None) -> str:
    """The name of a backup written to a chosen folder."""
    now = now or dt.datetime.now()
    stem = Path(ctx.path).stem if ctx.path else "antq"
    return f"{stem}-{ctx.station.code}-{now:%Y%m%d-%H%M%S}.sqlite3"


def backup_to_folder(window) -> None:
    """“Sao lưu ra USB…”: pick a folder, write a verified copy there."""
    ctx = window.ctx
    folder = pick_folder(window, "Chọn thư mục (ổ USB) để sao lưu")
    if not folder:
        return
    out = Path(folder) / usb_file_name(ctx)
    jobs.run_on_station(window, ctx, lambda job_ctx, control: backup.backup(job_ctx, out),
                        needs="read", label="Đang sao lưu ra USB…", cancellable=False,
                        on_success=lambda written: dialogs.inform(
                            window, f"Đã sao lưu vào:\n{written}\n\nHãy cất giữ ổ USB ở nơi an "
                                    "toàn: tệp chứa thông tin cá nhân của công dân.",
                            "Sao lưu ra USB"))


def daily_backup(window) -> None:
    """The daily automatic backup, when due (timer; quiet unless it fails)."""
    ctx = window.ctx
    if window.idle_lock.locked or ctx.path is None or getattr(window, "restoring", False):
        return

    def failed(exc: BaseException) -> None:
        log.warning("daily backup failed: %s", exc)
        window.statusBar().showMessage(f"Sao lưu tự động hằng ngày không thành công: {exc}",
                                       15_000)

    def done(out) -> None:
        if out is not None:
            window.statusBar().showMessage("Đã sao lưu tự động hằng ngày.", 8000)

    jobs.run_on_station(window, ctx, lambda job_ctx, control: backup.auto_backup_if_due(job_ctx),
                        needs="read", label="Đang sao lưu tự động…", cancellable=False,
                        on_success=done, on_failure=failed)


class RestoreDialog(QDialog):
    """The automatic backups of this database, newest first, and “another file…”."""

    HEADERS = ("Thời điểm", "Lý do", "Dung lượng", "Tệp")

    def __init__(self, ctx: Context, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Khôi phục từ bản sao lưu")
        self.resize(780, 440)
        self.chosen: str | None = None
        layout = QVBoxLayout(self)
        note = QLabel("Chọn bản sao lưu để khôi phục. Bản sao lưu được kiểm tra trước; "
                      "cơ sở dữ liệu hiện tại được cất giữ trước khi thay thế.", self)
        note.setWordWrap(True)
        layout.addWidget(note)
        self.backups = backup.list_backups(ctx)
        self.table = readonly_table(self, self.HEADERS, (150, 190, 100), rows=len(self.backups))
        for row, item in enumerate(self.backups):
            size = f"{format_number(max(1, round(item.size / 1024)))} KB"
            for column, text in enumerate((item.taken_at.strftime("%d/%m/%Y %H:%M:%S"),
                                           item.reason_label, size, item.path.name)):
                cell = QTableWidgetItem(text)
                if column == 2:
                    cell.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(row, column, cell)
        self.table.doubleClicked.connect(lambda _: self.choose_selected())
        layout.addWidget(self.table, 1)
        if not self.backups:
            layout.addWidget(QLabel("Chưa có bản sao lưu tự động nào của cơ sở dữ liệu này.",
                                    self))
        else:
            self.table.selectRow(0)
        self.buttons = QDialogButtonBox(self)
        self.restore_button = self.buttons.addButton("Khôi phục bản đã chọn",
                                                     QDialogButtonBox.AcceptRole)
        self.restore_button.setEnabled(bool(self.backups))
        other = self.buttons.addButton("Chọn tệp khác…", QDialogButtonBox.ActionRole)
        self.buttons.addButton("Hủy", QDialogButtonBox.RejectRole)
        self.restore_button.clicked.connect(self.choose_selected)
        other.clicked.connect(self.choose_file)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def choose_selected(self) -> None:
        """Take the selected backup."""
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.chosen = str(self.backups[rows[0].row()].path)
            self.accept()

    def choose_file(self) -> None:
        """Take a backup file from elsewhere (a USB stick)."""
        name = pick_backup_file(self)
        if name:
            self.chosen = name
            self.accept()


def restore_from_backup(window) -> None:
    """Pick a backup, confirm, restore it and open the window on it again."""
    ctx = window.ctx
    if not jobs.may(window, ctx, "admin"):
        return
    dialog = RestoreDialog(ctx, window)
    if not run_dialog(dialog) or not dialog.chosen:
        return
    if not dialogs.confirm(window, f"Khôi phục cơ sở dữ liệu từ\n{dialog.chosen}?\n\n"
                                   "Mọi thay đổi sau thời điểm của bản sao lưu sẽ không còn "
                                   "trong cơ sở dữ liệu đang dùng (bản hiện tại được cất giữ "
                                   "bên cạnh và sao lưu tự động trước khi khôi phục).",
                           "Khôi phục"):
        return
    chosen, path, user = dialog.chosen, ctx.path, ctx.user

    def prepare(job_ctx: Context, control: tasks.TaskControl):
        """Off the UI thread: the safety backup, then the verified copy of the backup."""
        backup.make_auto_backup(job_ctx, "restore")
        return backup.prepare_restore(path, chosen)

    def prepared(result) -> None:
        staging, info = result
        hold_window(window)
        ctx.close()
        tasks.run_task(window, lambda control: backup.finish_restore(path, staging),
                       on_success=lambda aside: restored(aside, info),
                       on_failure=not_restored, label="Đang khôi phục cơ sở dữ liệu…",
                       cancellable=False)

    def restored(aside: Path | None, info) -> None:
        reopen(window, path, user)
        dialogs.inform(_windows[-1] if _windows else window,
                       f"Đã khôi phục cơ sở dữ liệu của {info.station_name}.\n"
                       f"Cơ sở dữ liệu trước đó được cất tại:\n{aside}", "Khôi phục")

    def not_restored(exc: BaseException) -> None:
        # finish_restore leaves the database in place when it fails: open it again.
        dialogs.show_exception(window, exc)
        reopen(window, path, user)

    # Failures before the swap (a bad backup, no room for the safety copy) change
    # nothing: the task's default handler shows the Vietnamese message.
    jobs.run_on_station(window, ctx, prepare, needs="admin", on_success=prepared,
                        cancellable=False, label="Đang kiểm tra bản sao lưu…")


def hold_window(window) -> None:
    """Keep a window whose database is being replaced from touching it (it is then replaced)."""
    window.restoring = True
    window.idle_lock.stop()
    window.backup_timer.stop()
    window.menuBar().setEnabled(False)
    if window.centralWidget() is not None:
        window.centralWidget().setEnabled(False)


def reopen(window, path: Path, user: str | None) -> None:
    """Open the database again in a new window that replaces *window*."""
    from ui.main_window import MainWindow
    new_ctx = open_station(path)
    if user and new_ctx.accounts_exist:
        # The restored database has its own accounts: sign in again.
        from ui.security import LoginDialog
        login = LoginDialog(new_ctx, None, name=user)
        if not run_dialog(login):
            new_ctx.close()
            window.close()
            return
    new = MainWindow(new_ctx)
    new.instance_lock = getattr(window, "instance_lock", None)
    window.instance_lock = None
    _windows.append(new)
    if window in _windows:
        _windows.remove(window)
    new.show()
    window.close()
    window.deleteLater()


# -- check ---------------------------------------------------------------------

def check_data(window) -> None:
    """“Kiểm tra dữ liệu”: the integrity check in the background, then the result."""
    def work(ctx: Context, control: tasks.TaskControl) -> list[str]:
        from core.integrity import check_database
        return check_database(ctx)

    def done(problems: list[str]) -> None:
        if not problems:
            dialogs.inform(window, "Không phát hiện vấn đề nào: tệp cơ sở dữ liệu nguyên vẹn, "
                                   "các liên kết đúng, nhật ký thay đổi đầy đủ và khớp với dữ "
                                   "liệu.", "Kiểm tra dữ liệu")
        else:
            shown = "\n".join(f"• {p}" for p in problems[:20])
            more = f"\n… và {len(problems) - 20} vấn đề khác." if len(problems) > 20 else ""
            dialogs.show_error(window, f"Phát hiện {len(problems)} vấn đề:\n{shown}{more}\n\n"
                                       "Hãy báo cán bộ kỹ thuật; có thể khôi phục từ bản sao "
                                       "lưu gần nhất.", "Kiểm tra dữ liệu")

    jobs.run_on_station(window, window.ctx, work, needs="read", label="Đang kiểm tra dữ liệu…",
                        cancellable=False, on_success=done)
