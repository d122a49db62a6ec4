"""import_workbook: the data workbook into the database, all or nothing by default."""
from __future__ import annotations

from pathlib import Path

from core.errors import UserError
from core.services.common import guard
from core.station import Context
from core.workbook.errorcopy import write_error_copy
from core.workbook.import_activities import import_activities
from core.workbook.import_members import import_members
from core.workbook.import_org import import_models, import_units, load_indexes
from core.workbook.layout import SHEETS
from core.workbook.reader import WorkbookData, read_workbook
from core.workbook.report import ImportReport
from core.workbook.session import Progress, Session


class _Rollback(Exception):
    """Raised inside the transaction to undo it (errors, or a dry run)."""


def import_workbook(ctx: Context, path: Path | str, *, dry_run: bool = False,
                    skip_invalid: bool = False,
                    progress: Progress | None = None) -> ImportReport:
    """Take in units, models, members, events, results and commendations.

    By default all or nothing: any error and nothing is written, every error is
    listed and an error copy (``name.loi.xlsx``) is written next to the file.
    With *skip_invalid* the valid rows are written and the rest reported (a row
    that depends on a faulty row is faulty too). With *dry_run* nothing at all is
    written (no error copy either) and the counts say what would happen.
    *progress(done, total)* is called now and then; returning False cancels
    (:class:`UserError` “Đã hủy.”, nothing written). A file that cannot be read
    raises :class:`UserError`.
    """
    guard(ctx, "read" if dry_run else "edit")
    data = read_workbook(path)
    report = ImportReport(warnings=list(data.warnings), errors=list(data.errors))
    if progress is not None and progress(0, data.total_rows()) is False:
        raise UserError("Đã hủy.")
    committed = _run(ctx, data, report, dry_run=dry_run, skip_invalid=skip_invalid,
                     progress=progress)
    report.errors.sort(key=_error_order)
    if report.errors and not committed and not dry_run:
        report.clear_counts()
    if report.errors and not dry_run:
        report.error_copy = _error_copy(path, data, report)
    return report


def _run(ctx: Context, data: WorkbookData, report: ImportReport, *, dry_run: bool,
         skip_invalid: bool, progress: Progress | None) -> bool:
    """Every sheet in one transaction; True when it was committed with changes."""
    try:
        with ctx.store.transaction() as changes:
            session = Session(ctx, changes, data, report, progress=progress,
                              skip_invalid=skip_invalid)
            load_indexes(session)
            import_units(session)
            import_models(session)
            import_members(session)
            import_activities(session)
            if dry_run or (report.errors and not skip_invalid):
                raise _Rollback
            report.applied = bool(changes.items)
    except _Rollback:
        return False
    return report.applied


def _error_order(error) -> tuple:
    sheets = [s.name for s in SHEETS]
    spec = SHEETS[sheets.index(error.sheet)] if error.sheet in sheets else None
    headers = [c.header for c in spec.columns] if spec else []
    column = headers.index(error.column) if error.column in headers else len(headers)
    return (sheets.index(error.sheet) if spec else len(sheets), error.row, column)


def _error_copy(path: Path | str, data: WorkbookData, report: ImportReport) -> str | None:
    """Write the annotated copy; a failure to write it is only a warning."""
    try:
        return str(write_error_copy(path, data, report.errors))
    except UserError as exc:
        report.warnings.append(f"Không ghi được bản sao đánh dấu lỗi: {exc}")
    except Exception as exc:  # a workbook openpyxl chokes on: the errors are listed anyway
        report.warnings.append(f"Không ghi được bản sao đánh dấu lỗi ({exc}).")
    return None
