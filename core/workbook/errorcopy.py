"""The error copy: the workbook again, faulty cells filled light red with a comment.

It is written next to the input as ``<name>.loi.xlsx``. The original is loaded
with openpyxl so that its formatting stays; a file openpyxl cannot load (.xls,
.ods) is rebuilt from the values that were read.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from core.files import write_with
from core.workbook.layout import SHEETS
from core.workbook.plain import defuse
from core.workbook.reader import WorkbookData
from core.workbook.report import CellError

ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
AUTHOR = "ANTQ"


def error_copy_path(source: Path) -> Path:
    """Where the error copy of *source* goes: ``name.loi.xlsx`` in the same folder."""
    return source.with_name(f"{source.stem}.loi.xlsx")


def write_error_copy(source: Path | str, data: WorkbookData,
                     errors: list[CellError]) -> Path:
    """Write the annotated copy and return its path (raises UserError when it cannot be written)."""
    source = Path(source)
    try:
        book = openpyxl.load_workbook(source)
    except Exception:  # not an .xlsx openpyxl understands: rebuild it from the values
        book = _rebuild(data)
    by_cell: dict[tuple[str, int, str], list[str]] = defaultdict(list)
    for error in errors:
        by_cell[(error.sheet, error.row, error.column)].append(error.message)
    for (sheet_name, row, header), messages in by_cell.items():
        _mark(book, data, sheet_name, row, header, "\n".join(messages))
    target = error_copy_path(source)
    defuse(book)
    write_with(target, book.save)
    return target


def _mark(book, data: WorkbookData, sheet_name: str, row: int, header: str,
          message: str) -> None:
    sheet_data = data.sheets.get(sheet_name)
    if sheet_data is None or sheet_data.title not in book.sheetnames:
        return
    sheet = book[sheet_data.title]
    column = _column_number(sheet, sheet_data, header)
    cell = sheet.cell(row=row, column=column)
    cell.fill = ERROR_FILL
    comment = Comment(message, AUTHOR)
    comment.width, comment.height = 300, 120
    cell.comment = comment


def _column_number(sheet, sheet_data, header: str) -> int:
    """The column of *header*; a missing column gets a new header cell at the end."""
    column = sheet_data.spec.column(_key(sheet_data.spec, header))
    if column is not None and column.key in sheet_data.columns:
        return sheet_data.columns[column.key]
    number = max(sheet.max_column, sheet_data.width) + 1
    for existing in range(1, number):
        if sheet.cell(row=1, column=existing).value == header:
            return existing
    sheet.cell(row=1, column=number, value=header).font = Font(bold=True)
    return number


def _key(spec, header: str) -> str:
    for column in spec.columns:
        if column.header == header:
            return column.key
    return spec.columns[0].key


def _rebuild(data: WorkbookData):
    """A new workbook holding the values that were read (headers, then data rows)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for spec in SHEETS:
        sheet_data = data.sheets.get(spec.name)
        if sheet_data is None:
            continue
        sheet = book.create_sheet(sheet_data.title)
        for key, number in sheet_data.columns.items():
            sheet.cell(row=1, column=number, value=spec.column(key).header)
        for row, cells in sheet_data.rows:
            for number, value in enumerate(cells, start=1):
                if value not in (None, ""):
                    sheet.cell(row=row, column=number, value=value)
    return book
