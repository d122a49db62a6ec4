"""The data workbook in the window: template, import with a preview, export.

The work runs through :func:`ui.jobs.run_on_station` (a connection of its own,
signed in as the window's user); after an import the window refreshes the pages
that show the tables it changed.
"""
from __future__ import annotations


from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QDialog, QDialogButtonBox,
                               QFileDialog, QLabel, QTableView, QVBoxLayout)

from core.text import format_number
from ui import dialogs, jobs, tasks

EXCEL_FILTER = "Sổ Excel (*.xlsx)"
# What the data workbook import reads: the workbook, an old .xls, or one sheet as CSV.
IMPORT_FILTER = ("Sổ Excel hoặc CSV (*.xlsx *.xls *.csv);;Sổ Excel (*.xlsx *.xls);;"
                 "Tệp CSV (*.csv)")
SHEET_NAMES_SEPARATOR = "; "


def save_template(window, path: str | None = None) -> None:
    """Write the blank data workbook where the person chooses."""
    path = path or QFileDialog.getSaveFileName(window, "Lưu sổ Excel mẫu",
                                               "So_mau_ANTQ.xlsx", EXCEL_FILTER)[0]
    if not path:
        return

    def work(control):
        from core.workbook import write_template
        write_template(path)
        return path

    tasks.run_task(window, work, on_success=lambda p: window.statusBar().showMessage(
        f"Đã lưu sổ Excel mẫu: {p}", 10_000), label="Đang ghi sổ mẫu…")


def export_workbook(window, path: str | None = None) -> None:
    """Write every record in the workbook layout."""
    path = path or QFileDialog.getSaveFileName(window, "Xuất dữ liệu ra Excel",
                                               f"ANTQ_{window.ctx.station.code}.xlsx",
                                               EXCEL_FILTER)[0]
    if not path:
        return

    def work(ctx, control):
        from core.workbook import export_workbook as export
        return export(ctx, path)

    def done(rows: dict) -> None:
        dialogs.inform(window, f"Đã xuất {format_number(sum(rows.values()))} dòng ra tệp:\n"
                               f"{path}", "Xuất dữ liệu")

    jobs.run_on_station(window, window.ctx, work, needs="read", on_success=done,
                        label="Đang xuất dữ liệu ra Excel…")


def _importer(path: str, *, dry_run: bool, skip_invalid: bool):
    """The work of one import pass, for :func:`ui.jobs.run_on_station`."""
    def work(ctx, control):
        from core.workbook import import_workbook as run
        return run(ctx, path, dry_run=dry_run, skip_invalid=skip_invalid,
                   progress=lambda done, total: control.report(done, total))
    return work


def import_workbook(window, path: str | None = None) -> None:
    """Check a workbook first (nothing written), show the preview, then apply."""
    if not jobs.may(window, window.ctx, "edit"):     # refused before anything runs
        return
    path = path or QFileDialog.getOpenFileName(window, "Nhập dữ liệu từ Excel", "",
                                               IMPORT_FILTER)[0]
    if not path:
        return
    jobs.run_on_station(window, window.ctx, _importer(path, dry_run=True, skip_invalid=False),
                        needs="edit", on_success=lambda report: _preview(window, path, report),
                        label="Đang kiểm tra sổ Excel…")


def _preview(window, path: str, report) -> None:
    def make_error_copy(opened) -> None:
        """All-or-nothing import of a faulty workbook: writes nothing but the error copy."""
        jobs.run_on_station(window, window.ctx,
                            _importer(path, dry_run=False, skip_invalid=False), needs="edit",
                            on_success=lambda final: opened(final.error_copy),
                            label="Đang ghi bản đánh dấu lỗi…")

    dialog = ImportPreview(report, path, window, make_error_copy)
    window.import_preview = dialog  # reachable from tests
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    skip = dialog.skip_invalid.isChecked()

    def applied(final) -> None:
        dialogs.inform(window, summary(final) + ("\nĐã ghi vào cơ sở dữ liệu." if final.applied
                                                 else "\nKhông ghi gì."), "Nhập dữ liệu")

    jobs.run_on_station(window, window.ctx, _importer(path, dry_run=False, skip_invalid=skip),
                        needs="edit", on_success=applied, on_changed=window.data_changed,
                        label="Đang nhập dữ liệu…")


def summary(report) -> str:
    """One line per sheet: added, updated, unchanged."""
    sheets = sorted(set(report.inserted) | set(report.updated) | set(report.unchanged))
    lines = [f"{sheet}: thêm {format_number(report.inserted.get(sheet, 0))}, cập nhật "
             f"{format_number(report.updated.get(sheet, 0))}, không đổi "
             f"{format_number(report.unchanged.get(sheet, 0))}" for sheet in sheets]
    return "\n".join(lines) or "Sổ không có dòng dữ liệu nào."


class ImportPreview(QDialog):
    """What an import would do: counts per sheet, errors with sheet/row/column."""

    def __init__(self, report, path: str, parent=None, make_error_copy=None):
        super().__init__(parent)
        self.report = report
        self._make_error_copy = make_error_copy
        self.setWindowTitle("Kiểm tra trước khi nhập")
        self.resize(820, 520)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Tệp: {path}", self))
        counts = QLabel(summary(report), self)
        counts.setWordWrap(True)
        layout.addWidget(counts)
        errors = report.errors
        head = (f"Có {format_number(len(errors))} lỗi cần sửa trong sổ:" if errors
                else "Không có lỗi. Nhấn “Nhập dữ liệu” để ghi vào cơ sở dữ liệu.")
        self.heading = QLabel(head, self)
        self.heading.setStyleSheet("font-weight: bold;" + ("color: #b00020;" if errors else ""))
        layout.addWidget(self.heading)
        self.errors = QStandardItemModel(0, 4, self)
        self.errors.setHorizontalHeaderLabels(["Trang tính", "Dòng", "Cột", "Lỗi"])
        for e in errors:
            self.errors.appendRow([QStandardItem(str(e.sheet)), QStandardItem(str(e.row)),
                                   QStandardItem(str(e.column)), QStandardItem(e.message)])
        view = QTableView(self)
        view.setModel(self.errors)
        view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        view.horizontalHeader().setStretchLastSection(True)
        view.setVisible(bool(errors))
        layout.addWidget(view, 1)
        if report.warnings:
            warn = QLabel("Lưu ý:\n" + "\n".join(report.warnings), self)
            warn.setWordWrap(True)
            layout.addWidget(warn)
        self.skip_invalid = QCheckBox("Bỏ qua các dòng có lỗi, chỉ nhập các dòng hợp lệ", self)
        self.skip_invalid.setVisible(bool(errors))
        self.skip_invalid.toggled.connect(self._sync)
        layout.addWidget(self.skip_invalid)
        buttons = QDialogButtonBox(self)
        self.apply_button = buttons.addButton("Nhập dữ liệu", QDialogButtonBox.AcceptRole)
        self.open_copy = buttons.addButton("Mở bản đánh dấu lỗi", QDialogButtonBox.ActionRole)
        self.open_copy.setVisible(bool(report.error_copy or (errors and make_error_copy)))
        self.open_copy.clicked.connect(self.open_error_copy)
        buttons.addButton("Đóng", QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._sync()

    def _sync(self) -> None:
        self.apply_button.setEnabled(not self.report.errors or self.skip_invalid.isChecked())

    def open_error_copy(self) -> None:
        """Open the copy of the workbook with the faulty cells marked (made on demand)."""
        if self.report.error_copy:
            self._open(self.report.error_copy)
        elif self._make_error_copy is not None:
            self._make_error_copy(self._open)

    def _open(self, error_copy: str | None) -> None:
        if not error_copy:
            return
        self.report.error_copy = error_copy
        self.error_copy_opened = str(error_copy)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(error_copy)))
