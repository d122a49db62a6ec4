"""“Xuất Excel…” and “In danh sách…” of any list, exactly as it is shown.

A list page describes what it shows (:func:`request_of`: the query, search,
filters, sort order, the visible columns in their on-screen order, and the
filters as the person reads them); a worker (:func:`ui.jobs.run_on_station`)
runs that query again on its own connection and writes the PDF or the workbook
(:mod:`core.documents.list_print`), with a progress bar and “Hủy” for long
lists. The PDF opens in the program's preview; the workbook is written where
the person chose and then opened. A viewer may print and export: both only read.

The unit tree is not a query: its page hands its rows over as a
:class:`~core.documents.list_print.ListTable` (:func:`print_table`,
:func:`export_table`).
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QComboBox, QFileDialog, QLabel, QWidget

from core.documents.list_print import ListRequest, ListStream, ListTable
from core.station import Context
from core.text import fold, format_number
from ui import dialogs, jobs, printing, tasks
from ui.pdf_preview import show_pdf
from ui.widgets import DateEdit

# What the last export or print wrote: (path, rows or pages); tests read it.
last_output: tuple[str, int] | None = None

MakeTable = Callable[[Context, Callable[[], None]], ListTable]
MakeRows = Callable[[Context, Callable[[], None]], "ListTable | ListStream"]


def visible_columns(view) -> tuple[int, ...]:
    """The logical columns a table view shows, left to right as on screen."""
    header = view.horizontalHeader()
    return tuple(header.logicalIndex(v) for v in range(header.count())
                 if not header.isSectionHidden(header.logicalIndex(v)))


def conditions_of(page) -> tuple[str, ...]:
    """The page's filters and search as the person reads them (“Thôn Đông”, “Từ ngày …”)."""
    shown: list[str] = []
    layout = page.filter_bar
    label = ""
    for i in range(layout.count()):
        widget = layout.itemAt(i).widget()
        if isinstance(widget, QLabel):
            label = widget.text()
        elif isinstance(widget, DateEdit):
            if widget.text().strip():
                shown.append(f"{label} {widget.text().strip()}")
        elif isinstance(widget, QComboBox) and widget.currentIndex() > 0:
            shown.append(widget.currentText())
    search = page.search.text().strip()
    if search:
        shown.append(f"tìm “{search}”")
    return tuple(shown)


def request_of(page) -> ListRequest:
    """What a :class:`ui.pages.base.ListPage` shows, as a request a worker can run."""
    model = page.model
    return ListRequest(spec=model.spec, title=f"Danh sách {page.noun}", search=model.search,
                       filters=dict(model.filters), sort=model.sort_column,
                       descending=model.descending, columns=visible_columns(page.view),
                       conditions=conditions_of(page))


def file_stem(title: str) -> str:
    """“Danh_sach_thanh_vien” from a list's title."""
    kept = "".join(ch if ch.isalnum() else "_" for ch in fold(title))
    return "_".join(part.capitalize() if n == 0 else part
                    for n, part in enumerate(p for p in kept.split("_") if p))[:60] or "Danh_sach"


def _table_maker(request: ListRequest) -> MakeTable:
    from core.documents.list_print import list_table
    return lambda ctx, check: list_table(ctx, request, check)


# More rows than this on paper are asked about first (some 40 rows a page).
LARGE_PRINT = 5000
ROWS_PER_PAGE = 40


def print_list(page) -> None:
    """“In danh sách…” of a list page: its shown rows, previewed as PDF.

    A list of more than :data:`LARGE_PRINT` rows (a province's members) is asked
    about first: thousands of pages are rarely what was meant, and Excel may be.
    """
    request = request_of(page)
    rows = page.model.matched
    if rows > LARGE_PRINT and not dialogs.confirm(
            page, f"Danh sách có {format_number(rows)} dòng (khoảng "
                  f"{format_number(rows // ROWS_PER_PAGE + 1)} trang). Vẫn in? "
                  "(Có thể lọc bớt, hoặc dùng “Xuất Excel…”.)", "In danh sách dài"):
        return
    print_table(page, page.ctx, request.title, _table_maker(request))


def export_list(page, target: str | None = None) -> None:
    """“Xuất Excel…” of a list page: its shown rows into a workbook (streamed by chunks)."""
    from core.documents.list_print import list_stream
    request = request_of(page)
    export_table(page, page.ctx, request.title,
                 lambda ctx, check: list_stream(ctx, request, check), target)


def print_table(parent: QWidget, ctx: Context, title: str, make: MakeTable) -> None:
    """Make the table in a worker, write it as PDF, then preview it."""
    if not jobs.may(parent, ctx, "read"):
        return
    from core.documents.list_print import list_pdf
    out = printing.temp_output(file_stem(title) + ".pdf")

    def work(job_ctx: Context, control: tasks.TaskControl) -> tuple[str, int]:
        table = make(job_ctx, control.check)
        if not table.rows:
            from core.errors import UserError
            raise UserError("Danh sách đang trống: không có dòng nào để in.")
        control.progress(1, 2, f"Đang dàn trang {format_number(len(table.rows))} dòng…")
        return list_pdf(job_ctx, table, out, control.check)

    def done(result: tuple[str, int]) -> None:
        global last_output
        last_output = result
        printing.last_output = result
        show_pdf(parent, result[0], title, out.name,
                 on_closed=lambda: printing.discard_output(out))

    def failed(exc: BaseException) -> None:
        printing.discard_output(out)
        if not isinstance(exc, tasks.Cancelled):
            dialogs.show_exception(parent, exc)

    jobs.run_on_station(parent, ctx, work, needs="read", on_success=done, on_failure=failed,
                        label=f"Đang tạo bản in “{title}”…")


def export_table(parent: QWidget, ctx: Context, title: str, make: MakeRows,
                 target: str | None = None) -> None:
    """Ask where, make the table in a worker, write the workbook, then open it."""
    if not jobs.may(parent, ctx, "read"):
        return
    target = target or QFileDialog.getSaveFileName(
        parent, "Xuất danh sách ra Excel", file_stem(title) + ".xlsx", "Sổ Excel (*.xlsx)")[0]
    if not target:
        return
    if not target.lower().endswith(".xlsx"):
        target += ".xlsx"
    from core.documents.list_print import list_xlsx

    def work(job_ctx: Context, control: tasks.TaskControl) -> tuple[str, int]:
        table = make(job_ctx, control.check)
        total = getattr(table, "total", None)
        total = len(table.rows) if total is None else total
        control.progress(1, 2, f"Đang ghi {format_number(total)} dòng…")
        return list_xlsx(job_ctx, table, Path(target), control.check)

    def done(result: tuple[str, int]) -> None:
        global last_output
        last_output = result
        window = parent.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(
                f"Đã xuất {result[1]:,} dòng vào {result[0]}".replace(",", "."), 8000)
        QDesktopServices.openUrl(QUrl.fromLocalFile(result[0]))

    jobs.run_on_station(parent, ctx, work, needs="read", on_success=done,
                        label=f"Đang xuất “{title}” ra Excel…")
