"""Xem trước và in: a produced PDF shown inside the program (QtPdf).

The dialog shows one page at a time with page navigation and zoom, prints
through the system's printer dialog (each page rendered by QPdfDocument into
the printer's page rectangle, at most 300 dpi) and saves a copy elsewhere.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QKeySequence, QPageLayout, QPageSize, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton,
                               QVBoxLayout, QWidget)

from core.errors import UserError
from core.files import copy_file
from ui import dialogs

PRINT_DPI = 300
ZOOM_STEP = 1.25
ZOOM_MIN, ZOOM_MAX = 0.25, 5.0


def print_document(document: QPdfDocument, printer: QPrinter) -> int:
    """Render every page of *document* onto *printer*; return the pages printed.

    Each page is drawn as large as the printer's page rectangle allows, keeping
    its proportions and centred (whatever orientation the person chose); pages
    are rendered at no more than 300 dpi.
    """
    count = document.pageCount()
    if count <= 0:
        raise UserError("Tài liệu không có trang nào để in.")
    painter = QPainter()
    if not painter.begin(printer):
        raise UserError("Không mở được máy in. Hãy kiểm tra máy in rồi thử lại.")
    try:
        dpi = min(PRINT_DPI, printer.resolution())
        for page in range(count):
            if page and not printer.newPage():
                raise UserError("Máy in từ chối trang tiếp theo; việc in đã dừng.")
            size = document.pagePointSize(page)
            area = printer.pageRect(QPrinter.DevicePixel)
            scale = min(area.width() / size.width(), area.height() / size.height())
            width, height = size.width() * scale, size.height() * scale
            target = QRectF((area.width() - width) / 2, (area.height() - height) / 2,
                            width, height)
            image = document.render(page, QSize(round(size.width() * dpi / 72),
                                                round(size.height() * dpi / 72)))
            painter.drawImage(target, image)
    finally:
        painter.end()
    return count


class PdfPreviewDialog(QDialog):
    """A PDF with “Trang trước / Trang sau”, zoom, “In…” and “Lưu thành…”."""

    def __init__(self, path: str | Path, title: str = "Xem trước",
                 suggested_name: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.path = Path(path)
        self.suggested_name = suggested_name or self.path.name
        self.setWindowTitle(f"{title} — Xem trước và in")
        self.document = QPdfDocument(self)
        error = self.document.load(str(self.path))
        if error != QPdfDocument.Error.None_:
            raise UserError(f"Không mở được tệp PDF “{self.path}”.")
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.SinglePage)
        self._fit_page = True  # "Cả trang" follows the window size
        self.view.setStyleSheet("QPdfView { background: #8a8f96; }")
        self.navigator = self.view.pageNavigator()
        self.navigator.currentPageChanged.connect(lambda _: self._update())
        layout = QVBoxLayout(self)
        layout.addLayout(self._toolbar())
        layout.addWidget(self.view, 1)
        for keys, slot in ((QKeySequence.MoveToNextPage, self.next_page),
                           (QKeySequence.MoveToPreviousPage, self.previous_page),
                           (QKeySequence.ZoomIn, self.zoom_in),
                           (QKeySequence.ZoomOut, self.zoom_out),
                           (QKeySequence.Print, self.print_dialog)):
            QShortcut(keys, self).activated.connect(slot)
        dialogs.resize_on_screen(self, 1000, 720)
        self._update()

    def _toolbar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.prev_button = self._button(bar, "◀ Trang trước", self.previous_page,
                                        "Trang trước (Page Up)")
        self.page_label = QLabel(self)
        self.page_label.setMinimumWidth(110)
        self.page_label.setAlignment(Qt.AlignCenter)
        bar.addWidget(self.page_label)
        self.next_button = self._button(bar, "Trang sau ▶", self.next_page,
                                        "Trang sau (Page Down)")
        bar.addSpacing(16)
        self.zoom_out_button = self._button(bar, "Thu nhỏ", self.zoom_out, "Thu nhỏ (Ctrl+-)")
        self.zoom_in_button = self._button(bar, "Phóng to", self.zoom_in, "Phóng to (Ctrl++)")
        self.fit_width_button = self._button(bar, "Vừa chiều rộng", self.fit_width,
                                             "Trang vừa chiều rộng cửa sổ")
        self.fit_page_button = self._button(bar, "Cả trang", self.fit_page,
                                            "Hiện trọn một trang")
        self.zoom_label = QLabel(self)
        self.zoom_label.setMinimumWidth(60)
        bar.addWidget(self.zoom_label)
        bar.addStretch(1)
        self.print_button = self._button(bar, "In…", self.print_dialog,
                                         "In bằng máy in của máy tính (Ctrl+P)")
        self.print_button.setDefault(True)
        self.save_button = self._button(bar, "Lưu thành…", self.save_as,
                                        "Lưu một bản PDF vào thư mục khác")
        self._button(bar, "Đóng", self.reject, "Đóng cửa sổ xem trước")
        return bar

    def _button(self, bar: QHBoxLayout, text: str, slot, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setToolTip(tip)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        bar.addWidget(button)
        return button

    # -- pages --------------------------------------------------------------

    def page_count(self) -> int:
        """Pages in the document."""
        return self.document.pageCount()

    def current_page(self) -> int:
        """The page on show, from 0."""
        return self.navigator.currentPage()

    def go_to(self, page: int) -> None:
        """Show page *page* (from 0), kept within the document."""
        page = max(0, min(page, self.page_count() - 1))
        self.navigator.jump(page, QPointF(), self.navigator.currentZoom())
        self._update()

    def next_page(self) -> None:
        """“Trang sau”."""
        self.go_to(self.current_page() + 1)

    def previous_page(self) -> None:
        """“Trang trước”."""
        self.go_to(self.current_page() - 1)

    # -- zoom ---------------------------------------------------------------

    def zoom(self) -> float:
        """The custom zoom factor (1.0 = 100 %) when zoomed by hand."""
        return self.view.zoomFactor()

    def _set_zoom(self, factor: float, *, fit_page: bool = False) -> None:
        self._fit_page = fit_page
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(ZOOM_MIN, min(ZOOM_MAX, factor)))
        self._update()

    def _base_zoom(self) -> float:
        """The zoom on show: the custom factor, or what a fit mode amounts to."""
        if self.view.zoomMode() == QPdfView.ZoomMode.Custom:
            return self.view.zoomFactor()
        return self._fit_zoom(width_only=True)

    def _fit_zoom(self, *, width_only: bool = False) -> float:
        """The zoom that fits the page's width (or the whole page) in the view."""
        size = self.document.pagePointSize(max(self.current_page(), 0))
        margins = self.view.documentMargins()
        area = self.view.contentsRect().size()
        width = area.width() - margins.left() - margins.right() - 4
        height = area.height() - margins.top() - margins.bottom() - 4
        if size.width() <= 0 or size.height() <= 0 or width <= 0 or height <= 0:
            return 1.0
        # QPdfView shows 1 point as 1/72 inch at the screen's logical dpi.
        dpi = self.view.logicalDpiY() / 72
        if width_only:
            width -= self.view.verticalScrollBar().sizeHint().width()
            return width / (size.width() * dpi)
        return min(width / (size.width() * dpi), height / (size.height() * dpi))

    def zoom_in(self) -> None:
        """“Phóng to”."""
        self._set_zoom(self._base_zoom() * ZOOM_STEP)

    def zoom_out(self) -> None:
        """“Thu nhỏ”."""
        self._set_zoom(self._base_zoom() / ZOOM_STEP)

    def fit_width(self) -> None:
        """“Vừa chiều rộng”."""
        self._fit_page = False
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._update()

    def fit_page(self) -> None:
        """“Cả trang”: the whole page in the view, following the window size."""
        self._set_zoom(self._fit_zoom(), fit_page=True)

    def _update(self) -> None:
        count, page = self.page_count(), self.current_page()
        self.page_label.setText(f"Trang {page + 1}/{count}")
        self.prev_button.setEnabled(page > 0)
        self.next_button.setEnabled(page < count - 1)
        self.zoom_label.setText(f"{round(self._base_zoom() * 100)} %")

    def resizeEvent(self, event) -> None:
        """Keep the zoom percentage right when a fit mode follows the size."""
        super().resizeEvent(event)
        if self._fit_page:
            self.fit_page()
        else:
            self._update()

    def showEvent(self, event) -> None:
        """Fit the page once the dialog has its size."""
        super().showEvent(event)
        if self._fit_page:
            self.fit_page()

    # -- printing and saving -------------------------------------------------

    def make_printer(self) -> QPrinter:
        """A high-resolution printer on A4, oriented like the first page."""
        printer = QPrinter(QPrinter.HighResolution)
        printer.setDocName(self.suggested_name)
        printer.setPageSize(QPageSize(QPageSize.A4))
        first = self.document.pagePointSize(0)
        printer.setPageOrientation(QPageLayout.Landscape if first.width() > first.height()
                                   else QPageLayout.Portrait)
        return printer

    def print_dialog(self) -> None:
        """“In…”: the system's printer dialog, then every page."""
        printer = self.make_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("In")
        if dialog.exec() != QDialog.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer: QPrinter) -> int:
        """Print the whole document on *printer*; return the pages sent."""
        try:
            return print_document(self.document, printer)
        except UserError as exc:
            dialogs.show_error(self, str(exc))
            return 0

    def save_as(self, target: str | None = None) -> str | None:
        """“Lưu thành…”: copy the PDF where the person chooses."""
        target = target or QFileDialog.getSaveFileName(
            self, "Lưu tệp PDF", self.suggested_name, "Tệp PDF (*.pdf)")[0]
        if not target:
            return None
        if not target.lower().endswith(".pdf"):
            target += ".pdf"
        try:
            copy_file(self.path, target)
        except UserError as exc:
            dialogs.show_error(self, str(exc))
            return None
        dialogs.inform(self, f"Đã lưu tệp:\n{target}", "Lưu thành")
        return target

    def closeEvent(self, event) -> None:
        """Release the file so the temp folder can be cleaned."""
        self.document.close()
        super().closeEvent(event)


def show_pdf(parent: QWidget | None, path: str | Path, title: str,
             suggested_name: str = "", on_closed=None) -> PdfPreviewDialog:
    """Open the preview of *path* (modal) and return the dialog.

    *on_closed* runs once the preview is closed and has let go of the file
    (e.g. to remove a temporary document).
    """
    dialog = PdfPreviewDialog(path, title, suggested_name, parent)
    if on_closed is not None:
        def closed(_result: int) -> None:
            dialog.document.close()
            on_closed()
        dialog.finished.connect(closed)
    dialog.exec()
    return dialog
