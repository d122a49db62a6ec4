"""The main window: one tab per screen, the menu, shortcuts and the undo bar."""
from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QLabel, QMainWindow, QPushButton, QTabWidget,
                               QVBoxLayout, QWidget)

from core.station import Context
from core.version import APP_NAME, VERSION
from ui import dialogs, jobs
from ui.recycle_bin import UndoController
from ui.system_menu import SystemMenu

# Windows opened again after a restore (kept alive here until they close).
reopened: list["MainWindow"] = []

# The tabs, in order: (attribute, tab title, module, class). A page (and its
# module) is built the first time its tab is shown or the window's attribute is
# read, so the window appears without building nine screens first.
PAGES = (
    ("overview", "Tổng quan", "ui.pages.figures", "OverviewPage"),
    ("units", "Đơn vị", "ui.pages.units", "UnitsPage"),
    ("models", "Mô hình", "ui.pages.lists", "ModelsPage"),
    ("members", "Thành viên", "ui.pages.lists", "MembersPage"),
    ("events", "Sự kiện", "ui.pages.lists", "EventsPage"),
    ("results", "Kết quả", "ui.pages.lists", "ResultsPage"),
    ("commendations", "Khen thưởng", "ui.pages.lists", "CommendationsPage"),
    ("report", "Báo cáo", "ui.pages.figures", "ReportPage"),
    ("exchange", "Trao đổi dữ liệu", "ui.pages.exchange", "ExchangePage"),
)


FIRST_SIZE = (1280, 760)
FRAME = (16, 40)    # a Windows 10/11 frame: borders, and the title bar (measured on show)


def screen_area():
    """The desktop's free area (without the taskbar) of the primary screen, or None."""
    from PySide6.QtGui import QGuiApplication
    screen = QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else None


def first_size(window) -> tuple[int, int]:
    """The first window's inner size: 1280×760 at most, its frame inside the free area
    (1366×768 with a 40 px taskbar leaves 1366×728)."""
    area = screen_area()
    width, height = FIRST_SIZE
    if area is not None:
        width = min(width, area.width() - FRAME[0])
        height = min(height, area.height() - FRAME[1])
    return width, height


class PageSlot(QWidget):
    """A tab's place: its page is built into it the first time the tab is shown."""

    def __init__(self, window: "MainWindow", name: str):
        super().__init__(window)
        self.window_ = window
        self.name = name
        self.page: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Build the page when the tab is first shown."""
        super().showEvent(event)
        if self.page is None:
            self.window_.page(self.name)

    def put(self, page: QWidget) -> None:
        """Hold *page* (built by the window)."""
        self.page = page
        self.layout().addWidget(page)
        if self.isVisible():
            page.show()      # at once (a layout would show it at the next event loop pass)


class PageTabs(QTabWidget):
    """The tab bar over page slots: tabs are chosen by page, pages read through slots."""

    def setCurrentWidget(self, widget: QWidget) -> None:  # noqa: N802 - Qt override
        """Show the tab of *widget*, a page or its slot."""
        slot = widget.parentWidget() if isinstance(widget.parentWidget(), PageSlot) else widget
        super().setCurrentWidget(slot)

    def currentWidget(self) -> QWidget | None:  # noqa: N802 - Qt override
        """The page on show (built if needed)."""
        slot = super().currentWidget()
        if isinstance(slot, PageSlot):
            return slot.window_.page(slot.name)
        return slot


def _page_attribute(name: str) -> property:
    """``window.<name>``: the page, built on first use."""
    return property(lambda window: window.page(name),
                    doc=f"The “{name}” page (built on first use).")


class MainWindow(QMainWindow):
    """The station's window: Tổng quan, Đơn vị, Mô hình, … Trao đổi dữ liệu."""

    def __init__(self, ctx: Context):
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(f"{ctx.station.display_name} — {APP_NAME}")
        self.tabs = PageTabs(self)
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self._slots: dict[str, PageSlot] = {}
        self._built: dict[str, QWidget] = {}
        self._page_hooks: list[Callable[[QWidget], None]] = []
        for name, title, _module, _cls in PAGES:
            self._slots[name] = PageSlot(self, name)
            self.tabs.addTab(self._slots[name], title)
        self._build_menu()
        self.undo = UndoController(self)   # Sửa → Hoàn tác (Ctrl+Z), Thùng rác…
        self._build_shortcuts()
        unlisted = "" if ctx.station.listed else " (ngoài danh mục đơn vị hành chính)"
        self.statusBar().addPermanentWidget(QLabel(f"Mã đơn vị: {ctx.station.code}{unlisted}",
                                                   self))
        if ctx.setting("ui.sample_data"):     # filled by the first-run wizard for training
            sample = QLabel("DỮ LIỆU MẪU ĐỂ TẬP HUẤN", self)
            sample.setStyleSheet("color: #b00020; font-weight: bold;")
            self.statusBar().addPermanentWidget(sample)
            self.setWindowTitle(f"{self.windowTitle()} — dữ liệu mẫu để tập huấn")
        self.instance_lock = None   # the single-instance lock, given by ui.app
        self._restore_geometry()
        self.system = SystemMenu(self)  # Hệ thống menu, sign-in state, backups (issue 7)
        self.system.role_changed.connect(self.undo.follow_user)
        # pages built so far that follow the role themselves (not built: nothing to follow)
        self.system.role_changed.connect(lambda: [page.follow_user() for page in self.pages
                                                  if hasattr(page, "follow_user")])

    # -- menu and shortcuts ---------------------------------------------------

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu("&Tệp")
        for text, name in (("Sổ Excel mẫu…", "save_template"),
                           ("Nhập từ Excel…", "import_workbook"),
                           ("Xuất ra Excel…", "export_workbook")):
            action = QAction(text, self)
            action.triggered.connect(lambda _=False, n=name: self._workbook(n))
            file_menu.addAction(action)
            if name == "import_workbook":
                self.import_action = action     # follows the role (SystemMenu)
                intake = QAction("Nhập danh sách có sẵn…", self)
                intake.triggered.connect(self._intake)
                file_menu.addAction(intake)
                self.intake_action = intake     # follows the role (SystemMenu)
        settings_action = QAction("Cài đặt văn bản…", self)
        settings_action.triggered.connect(self._document_settings)
        file_menu.addAction(settings_action)
        file_menu.addSeparator()
        quit_action = QAction("Thoát", self)
        # setShortcuts, not setShortcut: the latter's overloads build PySide's whole Qt
        # namespace (≈ 38 ms) before the window first paints (see ui.lazy_qt)
        quit_action.setShortcuts([QKeySequence("Ctrl+Q")])
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("Trợ &giúp")
        guide = QAction("Hướng dẫn sử dụng", self)
        guide.setShortcuts([QKeySequence("F1")])
        guide.triggered.connect(self._show_guide)
        help_menu.addAction(guide)
        about = QAction("Giới thiệu", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def _build_shortcuts(self) -> None:
        """Ctrl+N, Ctrl+F, Ctrl+P, Ctrl+E: items of the “Dữ liệu” menu (ui.keyboard)."""
        from ui import keyboard
        keyboard.build_data_menu(self)

    def _workbook(self, action: str) -> None:
        """Tệp → one of the data workbook actions (module loaded when first used)."""
        from ui import workbook_actions
        getattr(workbook_actions, action)(self)

    def _intake(self) -> None:
        """Tệp → Nhập danh sách có sẵn… (the wizard, loaded when first used)."""
        from ui import intake_wizard
        intake_wizard.open_wizard(self)

    def _document_settings(self) -> None:
        from ui import printing
        printing.open_settings(self, self.ctx)

    def _show_guide(self) -> None:
        from ui import guide
        guide.show_guide(self)

    # -- pages, built on first use --------------------------------------------

    overview = _page_attribute("overview")
    units = _page_attribute("units")
    models = _page_attribute("models")
    members = _page_attribute("members")
    events = _page_attribute("events")
    results = _page_attribute("results")
    commendations = _page_attribute("commendations")
    report = _page_attribute("report")
    exchange = _page_attribute("exchange")

    def page(self, name: str) -> QWidget:
        """The page *name* (see :data:`PAGES`), built into its tab on first use."""
        built = self._built.get(name)
        if built is not None:
            return built
        _name, _title, module, cls = next(p for p in PAGES if p[0] == name)
        page = getattr(importlib.import_module(module), cls)(self)
        self._built[name] = page
        self._slots[name].put(page)
        for hook in self._page_hooks:
            hook(page)
        return page

    @property
    def pages(self) -> list[QWidget]:
        """The pages built so far, in tab order (the others have nothing to refresh)."""
        return [self._built[name] for name, *_ in PAGES if name in self._built]

    def page_name(self, page: QWidget) -> str | None:
        """The :data:`PAGES` name of a built page."""
        return next((name for name, built in self._built.items() if built is page), None)

    def on_page_built(self, hook: Callable[[QWidget], None]) -> None:
        """Call *hook(page)* for every page, now for those built and later for the others."""
        self._page_hooks.append(hook)
        for page in self.pages:
            hook(page)

    def current_page(self):
        """The page on show."""
        return self.tabs.currentWidget()

    def _new(self) -> None:
        page = self.current_page()
        if hasattr(page, "add_record"):
            page.add_record()

    def _find(self) -> None:
        self.current_page().focus_search()

    def show_about(self) -> None:
        """The About box: name, version, station and data folder."""
        from core.logs import data_dir
        dialogs.about(
            self, "Giới thiệu",
            f"<h3>{APP_NAME}</h3><p>Phiên bản {VERSION}</p>"
            f"<p>Đơn vị: {self.ctx.station.display_name} ({self.ctx.station.code})</p>"
            f"<p>Cơ sở dữ liệu: {self.ctx.path}<br>Thư mục dữ liệu: {data_dir()}</p>"
            "<p>Phục vụ quản lý phong trào toàn dân bảo vệ an ninh Tổ quốc "
            "tại Công an xã và Công an tỉnh.</p>")

    # -- refreshing and undo --------------------------------------------------

    def data_changed(self, tables: Iterable[str]) -> None:
        """Refresh the pages that show any of *tables*."""
        touched = set(tables)
        for page in self.pages:
            if page.tables & touched:
                page.refresh()

    def offer_undo(self, message: str, undo: Callable[[], object],
                   tables: Iterable[str]) -> None:
        """Put a change on the undo list (Ctrl+Z); show *message* and “Hoàn tác”."""
        self.undo.offer(message, undo, tables)

    def undo_button(self) -> QPushButton | None:
        """The “Hoàn tác” button when on show."""
        return self.undo.button if self.undo.button.isVisibleTo(self) else None

    def clear_undo(self) -> None:
        """Take the undo button away (Ctrl+Z still undoes)."""
        self.undo.clear_bar()

    # -- the role and the window's own life ------------------------------------

    @property
    def can_edit(self) -> bool:
        """Whether the signed-in account may edit: the one value the pages read."""
        return self.system.gate.editable

    def reopen(self, path, user: str | None) -> "MainWindow | None":
        """Open *path* again in a new window that replaces this one (after a restore)."""
        new_ctx = jobs.open_session(path)
        if user and new_ctx.accounts_exist:
            # The restored database has its own accounts: sign in again.
            from ui.security import LoginDialog, run_dialog
            if not run_dialog(LoginDialog(new_ctx, None, name=user)):
                new_ctx.close()
                self.close()
                return None
        new = MainWindow(new_ctx)
        new.instance_lock, self.instance_lock = self.instance_lock, None
        reopened.append(new)
        if self in reopened:
            reopened.remove(self)
        new.show()
        self.close()
        self.deleteLater()
        return new

    # -- remembered geometry --------------------------------------------------

    def settings_group(self) -> str:
        """Where this database's window state is kept: one group per database file."""
        import hashlib
        from pathlib import Path
        path = str(Path(self.ctx.path).resolve()) if self.ctx.path else ""
        return "window/" + hashlib.sha256(path.encode("utf-8")).hexdigest()[:16]

    def _restore_geometry(self) -> None:
        settings = QSettings()
        group = self.settings_group()
        geometry = settings.value(f"{group}/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(*first_size(self))
        self.tabs.setCurrentIndex(int(settings.value(f"{group}/tab", 0)))

    def closeEvent(self, event) -> None:
        """Remember geometry, current tab (per database) and column widths."""
        settings = QSettings()
        group = self.settings_group()
        settings.setValue(f"{group}/geometry", self.saveGeometry())
        settings.setValue(f"{group}/tab", self.tabs.currentIndex())
        for page in self.pages:
            if hasattr(page, "save_columns"):
                page.save_columns()
        self.system.stop()
        if self.instance_lock is not None:    # the next start may open the database
            self.instance_lock.release()
            self.instance_lock = None
        super().closeEvent(event)
