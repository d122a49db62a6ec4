"""The “Hệ thống” menu and what keeps the window safe while it runs.

:class:`SystemMenu` is a part the :class:`ui.main_window.MainWindow` holds: the
menu (accounts, password, backups, restore, history, check), the idle lock, the
read-only gate for viewers, the daily automatic backup timer, the one-time offer
to create the administrator account, and “Xem lịch sử” on the models and
members lists. :attr:`SystemMenu.role_changed` is emitted after every sign-in or
role change, once the menu and the gate follow the new role.
"""
from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog,
                               QHBoxLayout, QLabel, QMenu, QPushButton,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from core import accounts, backup
from core.errors import UserError
from core.station import Context
from core.text import format_number
from ui import dialogs, jobs, tasks
from ui.lazy_qt import Qt  # the real Qt namespace is built on first use
from ui.widgets import readonly_table
from ui.security import show_recovery_key
from ui.security import (AccountForm, AccountsDialog, IdleLock, PasswordForm, ReadOnlyGate,
                         allowed, page_edit_buttons, run_dialog)

log = logging.getLogger(__name__)

DAILY_CHECK_MS = 60 * 60 * 1000  # look every hour whether the daily backup is due
FIRST_CHECK_MS = 60 * 1000       # and once a minute after start
OFFER_SETTING = "ui_admin_offer_dismissed"


# -- pickers tests replace ---------------------------------------------------

def pick_folder(parent: QWidget, title: str) -> str:
    """A folder chosen by the person ("" when cancelled)."""
    return QFileDialog.getExistingDirectory(parent, title)


def pick_backup_file(parent: QWidget) -> str:
    """A backup file chosen by the person ("" when cancelled)."""
    name, _ = QFileDialog.getOpenFileName(parent, "Chọn tệp sao lưu", "",
                                          "Cơ sở dữ liệu (*.sqlite3 *.db);;Mọi tệp (*)")
    return name


def ask_backup_secret(parent, user: str | None) -> str | None:
    """The password (of *user* in the backup) or the recovery key of a backup made with
    another key (another computer, a station set up again); None when given up."""
    from PySide6.QtWidgets import QInputDialog, QLineEdit
    text, ok = QInputDialog.getText(
        parent, "Bản sao lưu có khóa khác",
        "Bản sao lưu này được mã hóa bằng khóa khác với cơ sở dữ liệu đang dùng.\n"
        f"Nhập mật khẩu của tài khoản “{user or ''}” trong bản sao lưu, hoặc mã khôi "
        "phục của bản sao lưu:", QLineEdit.Password)
    return text if ok and text else None


def usb_file_name(ctx: Context, now: dt.datetime | None = None) -> str:
    """The name of a backup written to a chosen folder."""
    now = now or dt.datetime.now()
    stem = Path(ctx.path).stem if ctx.path else "antq"
    return f"{stem}-{ctx.station.code}-{now:%Y%m%d-%H%M%S}.sqlite3"



class SystemMenu(QObject):
    """The window's “Hệ thống” menu, idle lock, viewer gate and backup timer."""

    role_changed = Signal()

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.restoring = False     # the database is being replaced: hands off
        self.history_dialog = None
        self.gate = ReadOnlyGate(window)
        self.idle_lock = IdleLock(window)
        self.idle_lock.unlocked.connect(self.refresh_role)
        self._build_menu()
        window.on_page_built(self._page_built)   # pages come on first show
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(DAILY_CHECK_MS)
        self.backup_timer.timeout.connect(self.daily_backup)
        self.backup_timer.start()
        QTimer.singleShot(FIRST_CHECK_MS, self, self.daily_backup)
        self.admin_offer: QWidget | None = None
        self._offer_admin()
        self.refresh_role()

    @property
    def ctx(self) -> Context:
        """The window's station session."""
        return self.window.ctx

    def stop(self) -> None:
        """The window closes: no more lock or timer."""
        self.idle_lock.stop()
        self.backup_timer.stop()

    # -- the menu --------------------------------------------------------------

    def _action(self, menu: QMenu, text: str, slot) -> QAction:
        action = QAction(text, self.window)
        action.triggered.connect(lambda _=False: slot())
        menu.addAction(action)
        return action

    def _build_menu(self) -> None:
        """The “Hệ thống” menu, before “Trợ giúp”."""
        window = self.window
        bar = window.menuBar()
        menu = QMenu("&Hệ thống", window)
        help_action = next((a for a in bar.actions() if "giúp" in a.text()), None)
        if help_action is not None:
            bar.insertMenu(help_action, menu)
        else:
            bar.addMenu(menu)
        self.menu = menu
        self.create_admin_action = self._action(menu, "Tạo tài khoản quản trị…",
                                                self.create_admin)
        self.accounts_action = self._action(menu, "Tài khoản…", self.show_accounts)
        self.password_action = self._action(menu, "Đổi mật khẩu…", self.change_own_password)
        self.lock_action = self._action(menu, "Khóa màn hình", lambda: self.idle_lock.lock())
        menu.addSeparator()
        self.backup_action = self._action(menu, "Sao lưu ngay…", self.backup_now)
        self.usb_action = self._action(menu, "Sao lưu ra USB…", self.backup_to_folder)
        self.restore_action = self._action(menu, "Khôi phục từ bản sao lưu…",
                                           self.restore_from_backup)
        menu.addSeparator()
        self.history_action = self._action(menu, "Lịch sử thay đổi…", self.show_history)
        self.check_action = self._action(menu, "Kiểm tra dữ liệu", self.check_data)
        self.user_label = QLabel(window)
        window.statusBar().addPermanentWidget(self.user_label)

    def refresh_role(self) -> None:
        """Update menus, buttons and the status bar after a sign-in or a role change."""
        ctx = self.ctx
        exist = ctx.accounts_exist
        self.create_admin_action.setVisible(not exist)
        self.accounts_action.setVisible(exist)
        self.accounts_action.setEnabled(allowed(ctx, "admin"))
        self.password_action.setVisible(exist and ctx.user is not None)
        self.lock_action.setVisible(exist)
        self.restore_action.setEnabled(allowed(ctx, "admin"))
        self.window.import_action.setEnabled(allowed(ctx, "edit"))
        self.window.intake_action.setEnabled(allowed(ctx, "edit"))
        self.gate.apply()
        if ctx.user:
            self.user_label.setText(f"Người dùng: {ctx.user} "
                                    f"({accounts.ROLE_LABELS[ctx.role]})")
        else:
            self.user_label.setText("Chưa có tài khoản" if not exist else "")
        if exist and self.admin_offer is not None:
            self._drop_offer()
        self.idle_lock.configure()
        self.role_changed.emit()

    # -- the offer to create the administrator -------------------------------

    def _offer_admin(self) -> None:
        """Once, in the status bar: “create the administrator account” (dismissable)."""
        ctx, window = self.ctx, self.window
        if ctx.accounts_exist or ctx.setting(OFFER_SETTING, False):
            return
        box = QWidget(window)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("Chưa có tài khoản: ai mở chương trình (hoặc chép được tệp dữ "
                             "liệu cùng tệp khóa) cũng xem và sửa được dữ liệu.", box))
        create = QPushButton("Tạo tài khoản quản trị…", box)
        create.clicked.connect(lambda: self.create_admin())
        later = QPushButton("Để sau", box)
        later.setToolTip("Không nhắc lại; vẫn tạo được ở menu Hệ thống.")
        later.clicked.connect(lambda: self.dismiss_offer())
        row.addWidget(create)
        row.addWidget(later)
        window.statusBar().addWidget(box)
        self.admin_offer = box

    def _drop_offer(self) -> None:
        self.window.statusBar().removeWidget(self.admin_offer)
        self.admin_offer.deleteLater()
        self.admin_offer = None

    def dismiss_offer(self) -> None:
        """“Để sau”: never offer again."""
        self.ctx.set_setting(OFFER_SETTING, True)
        self._drop_offer()

    def create_admin(self) -> None:
        """Create the first (administrator) account and sign it in."""
        ctx = self.ctx
        form = AccountForm(self.window, first=True)

        made: list[accounts.Account] = []

        def save(name: str, role: str, password: str) -> None:
            made.append(accounts.add_user(ctx, name, "admin", password))
            accounts.sign_in(ctx, name, password)

        form.save_with = save
        if run_dialog(form):
            self.refresh_role()
            dialogs.inform(self.window, f"Đã tạo tài khoản quản trị “{ctx.user}” và đăng "
                                        "nhập. Từ lần sau, chương trình sẽ hỏi tên và mật "
                                        "khẩu khi mở.")
            if made and made[0].recovery_key:
                show_recovery_key(self.window, made[0].recovery_key)

    # -- accounts --------------------------------------------------------------

    def show_accounts(self) -> None:
        """The accounts dialog (administrators)."""
        if not jobs.may(self.window, self.ctx, "admin"):
            return
        run_dialog(AccountsDialog(self.window))
        self.refresh_role()

    def change_own_password(self) -> None:
        """The signed-in user changes their own password."""
        ctx = self.ctx
        if not ctx.user:
            return
        form = PasswordForm(self.window, "Đổi mật khẩu", ask_old=ctx.role != "admin")
        form.save_with = lambda new, old: accounts.change_password(ctx, ctx.user, new, old)
        if run_dialog(form):
            dialogs.inform(self.window, "Đã đổi mật khẩu.")

    # -- history ---------------------------------------------------------------

    def show_history(self, table: str | None = None, record_id: str | None = None) -> None:
        """The history browser: the whole trail, or one record's history."""
        from ui.history import HistoryDialog
        self.history_dialog = HistoryDialog(self.ctx, self.window, table=table,
                                            record_id=record_id)
        self.history_dialog.setAttribute(Qt.WA_DeleteOnClose)
        self.history_dialog.show()

    def _page_built(self, page) -> None:
        """A page was just built: guard its edit buttons; history on models and members."""
        for button in page_edit_buttons(page):
            self.gate.watch(button)
        if self.window.page_name(page) in ("models", "members"):
            self._add_history_button(page)

    def _add_history_button(self, page) -> None:
        """“Xem lịch sử” (button and context menu) on the models or members list."""
        button = QPushButton("Xem lịch sử", page)
        button.setToolTip("Các lần thêm, sửa, xóa bản ghi đang chọn")
        button.clicked.connect(lambda _=False, p=page: self._page_history(p))
        page.bar.addWidget(button)
        page.history_button = button
        page.view.setContextMenuPolicy(Qt.CustomContextMenu)
        page.view.customContextMenuRequested.connect(
            lambda pos, p=page: self._context_menu(p, pos))

    def _page_history(self, page) -> None:
        record_id = page.selected_id()
        if record_id:
            self.show_history(page.spec.table, record_id)

    def _context_menu(self, page, pos) -> None:
        index = page.view.indexAt(pos)
        if not index.isValid():
            return
        page.view.selectRow(index.row())
        menu = QMenu(page)
        menu.addAction("Sửa…", page.edit_selected)
        menu.addAction("Xem lịch sử", lambda: self._page_history(page))
        menu.exec(page.view.viewport().mapToGlobal(pos))

    # -- backups ---------------------------------------------------------------

    def backup_now(self) -> None:
        """An automatic-style backup in the data folder, now."""
        window, keep = self.window, backup.keep_count(self.ctx)
        jobs.run_on_station(window, self.ctx,
                            lambda ctx, control: backup.make_auto_backup(ctx, "manual"),
                            needs="read", label="Đang sao lưu…", cancellable=False,
                            on_success=lambda out: dialogs.inform(
                                window, f"Đã sao lưu vào:\n{out}\n\nChương trình giữ {keep} "
                                        "bản sao lưu gần nhất trong thư mục này.", "Sao lưu"))

    def backup_to_folder(self) -> None:
        """“Sao lưu ra USB…”: pick a folder, write a verified copy there."""
        window, ctx = self.window, self.ctx
        if not jobs.may(window, ctx, "read"):
            return
        folder = pick_folder(window, "Chọn thư mục (ổ USB) để sao lưu")
        if not folder:
            return
        out = Path(folder) / usb_file_name(ctx)
        jobs.run_on_station(window, ctx, lambda job_ctx, control: backup.backup(job_ctx, out),
                            needs="read", label="Đang sao lưu ra USB…", cancellable=False,
                            on_success=lambda written: dialogs.inform(
                                window, f"Đã sao lưu vào:\n{written}\n\nHãy cất giữ ổ USB ở "
                                        "nơi an toàn: tệp chứa thông tin cá nhân của công dân.",
                                "Sao lưu ra USB"))

    def daily_backup(self) -> None:
        """The daily automatic backup, when due (timer; quiet unless it fails)."""
        window, ctx = self.window, self.ctx
        if self.idle_lock.locked or ctx.path is None or self.restoring:
            return

        def failed(exc: BaseException) -> None:
            log.warning("daily backup failed: %s", exc)
            window.statusBar().showMessage(
                f"Sao lưu tự động hằng ngày không thành công: {exc}", 15_000)

        def done(out) -> None:
            if out is not None:
                window.statusBar().showMessage("Đã sao lưu tự động hằng ngày.", 8000)

        jobs.run_on_station(window, ctx,
                            lambda job_ctx, control: backup.auto_backup_if_due(job_ctx),
                            needs="read", label="Đang sao lưu tự động…", cancellable=False,
                            on_success=done, on_failure=failed)

    def restore_from_backup(self) -> None:
        """Pick a backup, confirm, restore it and open the window on it again."""
        window, ctx = self.window, self.ctx
        if not jobs.may(window, ctx, "admin"):
            return
        dialog = RestoreDialog(ctx, window)
        if not run_dialog(dialog) or not dialog.chosen:
            return
        if not dialogs.confirm(window, f"Khôi phục cơ sở dữ liệu từ\n{dialog.chosen}?\n\n"
                                       "Mọi thay đổi sau thời điểm của bản sao lưu sẽ không "
                                       "còn trong cơ sở dữ liệu đang dùng (bản hiện tại được "
                                       "cất giữ bên cạnh và sao lưu tự động trước khi khôi "
                                       "phục).", "Khôi phục"):
            return
        chosen, path, user = dialog.chosen, ctx.path, ctx.user

        secret: dict[str, str] = {}

        def prepare(job_ctx: Context, control: tasks.TaskControl):
            """Off the UI thread: the safety backup, then the verified copy of the backup."""
            if not secret:
                backup.make_auto_backup(job_ctx, "restore")
            try:
                return backup.prepare_restore(path, chosen, job_ctx.user, key=job_ctx.db.key,
                                              password=secret.get("typed"))
            except UserError:
                if not secret.get("typed"):
                    raise
            return backup.prepare_restore(path, chosen, job_ctx.user, key=job_ctx.db.key,
                                          recovery_key=secret["typed"])

        def not_prepared(exc: BaseException) -> None:
            """A backup with another key: ask for its password or recovery key, once more."""
            if (isinstance(exc, UserError) and backup.FOREIGN_KEY in str(exc)
                    and not secret.get("typed")):
                typed = ask_backup_secret(window, user)
                if typed:
                    secret["typed"] = typed
                    jobs.run_on_station(window, ctx, prepare, needs="admin",
                                        on_success=prepared, on_failure=not_prepared,
                                        cancellable=False, label="Đang mở bản sao lưu…")
                    return
            if not isinstance(exc, tasks.Cancelled):
                dialogs.show_exception(window, exc)

        def prepared(result) -> None:
            staging, info = result
            self.hold()
            ctx.close()
            # The station is closed now: this last step works on the file alone.
            tasks.run_task(window, lambda control: backup.finish_restore(path, staging),
                           on_success=lambda aside: restored(aside, info),
                           on_failure=not_restored, label="Đang khôi phục cơ sở dữ liệu…",
                           cancellable=False)

        def restored(aside: Path | None, info) -> None:
            new = window.reopen(path, user)
            dialogs.inform(new or window,
                           f"Đã khôi phục cơ sở dữ liệu của {info.station_name}.\n"
                           f"Cơ sở dữ liệu trước đó được cất tại:\n{aside}", "Khôi phục")

        def not_restored(exc: BaseException) -> None:
            # finish_restore leaves the database in place when it fails: open it again.
            dialogs.show_exception(window, exc)
            window.reopen(path, user)

        # Failures before the swap (a bad backup, no room for the safety copy) change
        # nothing: the task's default handler shows the Vietnamese message.
        jobs.run_on_station(window, ctx, prepare, needs="admin", on_success=prepared,
                            on_failure=not_prepared, cancellable=False,
                            label="Đang kiểm tra bản sao lưu…")

    def hold(self) -> None:
        """Keep a window whose database is being replaced from touching it."""
        self.restoring = True
        self.stop()
        self.window.menuBar().setEnabled(False)
        if self.window.centralWidget() is not None:
            self.window.centralWidget().setEnabled(False)

    # -- check -----------------------------------------------------------------

    def check_data(self) -> None:
        """“Kiểm tra dữ liệu”: the integrity check in the background, then the result."""
        window = self.window

        def work(ctx: Context, control: tasks.TaskControl) -> list[str]:
            from core.integrity import check_database
            return check_database(ctx)

        def done(problems: list[str]) -> None:
            if not problems:
                dialogs.inform(window, "Không phát hiện vấn đề nào: tệp cơ sở dữ liệu nguyên "
                                       "vẹn, các liên kết đúng, nhật ký thay đổi đầy đủ và khớp "
                                       "với dữ liệu.", "Kiểm tra dữ liệu")
                return
            shown = "\n".join(f"• {p}" for p in problems[:20])
            more = f"\n… và {len(problems) - 20} vấn đề khác." if len(problems) > 20 else ""
            dialogs.show_error(window, f"Phát hiện {len(problems)} vấn đề:\n{shown}{more}\n\n"
                                       "Hãy báo cán bộ kỹ thuật; có thể khôi phục từ bản sao "
                                       "lưu gần nhất.", "Kiểm tra dữ liệu")

        jobs.run_on_station(window, self.ctx, work, needs="read",
                            label="Đang kiểm tra dữ liệu…", cancellable=False, on_success=done)


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


