"""The main window: one tab per screen, the menu, shortcuts and the undo bar."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QPushButton, QTabWidget

from core.errors import UserError
from core.station import Context
from core.version import APP_NAME, VERSION
from ui import dialogs, printing, system_menu, workbook_actions
from ui import guide as guide_window
from ui.pages.exchange import ExchangePage
from ui.pages.figures import OverviewPage, ReportPage
from ui.pages.lists import CommendationsPage, EventsPage, MembersPage, ModelsPage, ResultsPage
from ui.pages.units import UnitsPage

UNDO_MS = 15_000


class MainWindow(QMainWindow):
    """The station's window: Tổng quan, Đơn vị, Mô hình, … Trao đổi dữ liệu."""

    def __init__(self, ctx: Context):
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(f"{ctx.station.name} — {APP_NAME}")
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self.overview = OverviewPage(self)
        self.units = UnitsPage(self)
        self.models = ModelsPage(self)
        self.members = MembersPage(self)
        self.events = EventsPage(self)
        self.results = ResultsPage(self)
        self.commendations = CommendationsPage(self)
        self.report = ReportPage(self)
        self.exchange = ExchangePage(self)
        self.pages = [self.overview, self.units, self.models, self.members, self.events,
                      self.results, self.commendations, self.report, self.exchange]
        for page in self.pages:
            self.tabs.addTab(page, page.title)
        self._undo_button: QPushButton | None = None
        self._undo_timer = QTimer(self, singleShot=True, interval=UNDO_MS)
        self._undo_timer.timeout.connect(self.clear_undo)
        self._build_menu()
        self._build_shortcuts()
        self.statusBar().addPermanentWidget(QLabel(f"Mã đơn vị: {ctx.station.code}", self))
        if ctx.setting("ui.sample_data"):     # filled by the first-run wizard for training
            sample = QLabel("DỮ LIỆU MẪU ĐỂ TẬP HUẤN", self)
            sample.setStyleSheet("color: #b00020; font-weight: bold;")
            self.statusBar().addPermanentWidget(sample)
            self.setWindowTitle(f"{self.windowTitle()} — dữ liệu mẫu để tập huấn")
        self._restore_geometry()
        system_menu.install(self)  # Hệ thống menu, sign-in state, backups (issue 7)

    # -- menu and shortcuts ---------------------------------------------------

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu("&Tệp")
        for text, slot in (("Sổ Excel mẫu…", lambda: workbook_actions.save_template(self)),
                           ("Nhập từ Excel…", lambda: workbook_actions.import_workbook(self)),
                           ("Xuất ra Excel…", lambda: workbook_actions.export_workbook(self))):
            action = QAction(text, self)
            action.triggered.connect(slot)
            file_menu.addAction(action)
        settings_action = QAction("Cài đặt văn bản…", self)
        settings_action.triggered.connect(lambda: printing.open_settings(self, self.ctx))
        file_menu.addAction(settings_action)
        file_menu.addSeparator()
        quit_action = QAction("Thoát", self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("Trợ &giúp")
        guide = QAction("Hướng dẫn sử dụng", self)
        guide.setShortcut(QKeySequence("F1"))
        guide.triggered.connect(lambda: guide_window.show_guide(self))
        help_menu.addAction(guide)
        about = QAction("Giới thiệu", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def _build_shortcuts(self) -> None:
        for keys, slot in (("Ctrl+N", self._new), ("Ctrl+F", self._find)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(slot)

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
        QMessageBox.about(
            self, "Giới thiệu",
            f"<h3>{APP_NAME}</h3><p>Phiên bản {VERSION}</p>"
            f"<p>Đơn vị: {self.ctx.station.name} ({self.ctx.station.code})</p>"
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

    def refresh_all(self) -> None:
        """Refresh every page (after an import)."""
        for page in self.pages:
            page.refresh()

    def offer_undo(self, message: str, undo: Callable[[], object],
                   tables: Iterable[str]) -> None:
        """Show *message* with a “Hoàn tác” button for a while."""
        self.clear_undo()
        button = QPushButton("Hoàn tác", self)
        tables = set(tables)

        def run_undo() -> None:
            try:
                undo()
            except UserError as exc:
                dialogs.show_error(self, str(exc))
            self.clear_undo()
            self.data_changed(tables)
            self.statusBar().showMessage("Đã hoàn tác.", 5000)

        button.clicked.connect(run_undo)
        self.statusBar().showMessage(message)
        self.statusBar().addWidget(button)
        button.show()
        self._undo_button = button
        self._undo_timer.start()

    def undo_button(self) -> QPushButton | None:
        """The “Hoàn tác” button on show, if any."""
        return self._undo_button

    def clear_undo(self) -> None:
        """Take the undo offer away."""
        if self._undo_button is not None:
            self.statusBar().removeWidget(self._undo_button)
            self._undo_button.deleteLater()
            self._undo_button = None
            self.statusBar().clearMessage()

    # -- remembered geometry --------------------------------------------------

    def _restore_geometry(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1280, 760)
        self.tabs.setCurrentIndex(int(settings.value("window/tab", 0)))

    def closeEvent(self, event) -> None:
        """Remember geometry, current tab and column widths."""
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/tab", self.tabs.currentIndex())
        for page in self.pages:
            if hasattr(page, "save_columns"):
                page.save_columns()
        super().closeEvent(event)
