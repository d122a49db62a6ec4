"""Start the window: Qt application, Vietnamese locale, the station database."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog

from core import db as dbmod
from core.errors import DatabaseError, UserError, write_failure_reason
from core.resources import resource_path
from core.station import Context, open_station
from core.version import APP_SHORT, VERSION
from ui import dialogs

ICON = resource_path("icons/antq.png")


def database_argument(argv: list[str]) -> Path:
    """The database named by ``--db FILE``, or the user's default one."""
    if "--db" in argv:
        index = argv.index("--db")
        if index + 1 < len(argv):
            return Path(argv[index + 1])
    return dbmod.default_path()


def make_application(argv: list[str]) -> QApplication:
    """The QApplication with the program's names, icon and Vietnamese locale."""
    QCoreApplication.setOrganizationName(APP_SHORT)
    QCoreApplication.setApplicationName(APP_SHORT)
    QCoreApplication.setApplicationVersion(VERSION)
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "antq"])
    QLocale.setDefault(QLocale(QLocale.Vietnamese, QLocale.Vietnam))
    from ui import qt_vietnamese
    qt_vietnamese.install(app)       # Qt's own buttons and dialogs in Vietnamese
    if ICON.exists():
        app.setWindowIcon(QIcon(str(ICON)))
    return app


class Cancelled(Exception):
    """The person closed the sign-in before the station opened."""


def open_or_create(path: Path) -> Context | None:
    """Open the station database; ask for the station's identity on first run."""
    try:
        return _open(path)
    except Cancelled:
        return None
    except DatabaseError as exc:
        if path.exists() and dbmod.holds_station(path):
            dialogs.show_error(None, str(exc), "Không mở được cơ sở dữ liệu")
            return None
    from ui.forms.first_run import FirstRunWizard
    dialog = FirstRunWizard(path)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        if dialog.context is not None:
            dialog.context.close()
        return None
    open_or_create.follow_up = dialog.follow_up
    return dialog.context


def _open(path: Path) -> Context:
    """:func:`open_station`; an upgrade (a backup, then the migrations: seconds on a
    province's database) runs in the background behind a message instead of
    freezing a window that is not there yet. An encrypted station with accounts
    opens only with an account's password: the sign-in comes first (the person
    giving up is a :class:`Cancelled`)."""
    from core.station import needs_sign_in
    if path.is_file() and needs_sign_in(path):
        from ui.security import UnlockDialog
        dialog = UnlockDialog(lambda name, password: open_station(
            path, user=name, password=password))
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.context is None:
            raise Cancelled()
        return dialog.context
    if not (path.is_file() and dbmod.needs_upgrade(path)):
        return open_station(path)
    from PySide6.QtCore import QEventLoop

    from ui import tasks
    outcome: dict[str, object] = {}
    loop = QEventLoop()

    def finished(key: str, value: object) -> None:
        outcome[key] = value
        loop.quit()

    tasks.run_task(None, lambda control: open_station(path),
                   on_success=lambda ctx: finished("ctx", ctx),
                   on_failure=lambda exc: finished("error", exc),
                   label="Đang nâng cấp cơ sở dữ liệu cho phiên bản mới của chương trình "
                         "(tự sao lưu trước khi nâng cấp)…", cancellable=False)
    if not outcome:
        loop.exec()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["ctx"]


def open_window(argv: list[str]):
    """Open the station database and show the main window (None: nothing to show)."""
    path = database_argument(argv)
    lock = take_instance_lock(path)
    if lock is None:
        return None
    try:
        ctx = open_or_create(path)
    except UserError as exc:
        lock.release()
        dialogs.show_error(None, str(exc), "Không mở được cơ sở dữ liệu")
        return None
    if ctx is None or not sign_in_at_start(ctx):
        lock.release()
        if ctx is not None:
            ctx.close()
        return None
    from ui.main_window import MainWindow
    window = MainWindow(ctx)
    window.instance_lock = lock
    window.show()
    from ui.security import recovery_follow_up
    recovery_follow_up(window, ctx)      # after a conversion: the recovery key, once
    from ui.forms.official_entry import ask_official_entry
    QTimer.singleShot(0, window, lambda: ask_official_entry(window))   # a free code: once
    follow_up, open_or_create.follow_up = getattr(open_or_create, "follow_up", None), None
    if follow_up:    # the first-run wizard chose to import a workbook: preview it now
        from ui import workbook_actions
        workbook_actions.import_workbook(window, follow_up[1])
    return window


def take_instance_lock(path: Path):
    """The single-instance lock of *path*, or None (told the person) when it is taken."""
    from core.instance import acquire
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return acquire(path)
    except UserError as exc:
        dialogs.show_error(None, str(exc), "Chương trình đang mở")
        return None
    except OSError as exc:
        dialogs.show_error(None, f"Không tạo được tệp khóa bên cạnh cơ sở dữ liệu: "
                                 f"{write_failure_reason(exc)}.", "Không mở được cơ sở dữ liệu")
        return None


def sign_in_at_start(ctx: Context) -> bool:
    """The login dialog when accounts exist (False: the person gave up)."""
    from ui.security import sign_in_at_start as ask
    return ask(ctx)


def show_every_tab(window) -> None:
    """Show each tab once (its page is built and its modules load), then the first."""
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        QApplication.processEvents()
    window.tabs.setCurrentIndex(0)


def run_window(argv: list[str]) -> int:
    """Open the window on the station database; return the exit code."""
    app = make_application(argv)
    dialogs.install_excepthook()
    window = open_window(argv)
    if window is None:
        return 1
    quit_after = os.environ.get("ANTQ_QUIT_AFTER_MS", "")
    if quit_after.isdigit():     # smoke test of a bundle: start, show every tab, quit
        QTimer.singleShot(int(quit_after), lambda: (show_every_tab(window), app.quit()))
    try:
        return app.exec()
    finally:
        from ui.main_window import reopened
        for shown in [window, *reopened]:
            shown.ctx.close()
