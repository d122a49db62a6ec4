"""Reading a list as it is: every sheet of an .xlsx, .xls or .csv, cells with their font.

:func:`read_file` gives a :class:`Book`: per sheet the cell values (cached values of
formulas; dates as ``datetime``; whole numbers as ``int``), the font name of every
text cell (the clue to a legacy encoding), the hidden rows, whether the sheet is
hidden, and the merged ranges. Nothing is interpreted here.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import UserError

OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_SIGNATURE = b"PK\x03\x04"


@dataclass
class Grid:
    """One sheet: ``rows[i][j]`` is the cell of Excel row i+1, column j+1."""

    name: str
    rows: list[list[object]] = field(default_factory=list)
    fonts: list[list[str | None]] = field(default_factory=list)  # same shape; text cells only
    hidden_rows: set[int] = field(default_factory=set)        # 1-based row numbers
    hidden: bool = False
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2

    @property
    def width(self) -> int:
        """The number of columns of the widest row."""
        return max((len(r) for r in self.rows), default=0)

    def cell(self, row: int, column: int) -> object:
        """The value at 1-based (*row*, *column*), None when outside."""
        if 0 < row <= len(self.rows) and 0 < column <= len(self.rows[row - 1]):
            return self.rows[row - 1][column - 1]
        return None

    def font(self, row: int, column: int) -> str | None:
        """The font name of a text cell (None for other cells)."""
        if 0 < row <= len(self.fonts) and 0 < column <= len(self.fonts[row - 1]):
            return self.fonts[row - 1][column - 1]
        return None


@dataclass
class Book:
    """A file read as it is: its kind ("xlsx", "xls", "csv") and its sheets."""

    path: Path
    kind: str
    sheets: list[Grid] = field(default_factory=list)
    encoding: str = "unicode"   # "cp1258" for a CSV in Windows-1258


def read_file(path: Path | str) -> Book:
    """Read every sheet of the list at *path* (.xlsx, .xls or .csv).

    A file that is missing, of another kind, damaged or protected raises a
    :class:`UserError` with one Vietnamese sentence.
    """
    path = Path(path)
    if not path.is_file():
        raise UserError(f"Không tìm thấy tệp “{path}”.")
    with open(path, "rb") as handle:
        head = handle.read(8)
    try:
        if head.startswith(ZIP_SIGNATURE):
            return _read_xlsx(path)
        if head.startswith(OLE_SIGNATURE):
            return _read_xls(path)
        if path.suffix.lower() in (".csv", ".txt"):
            return _read_csv(path)
    except UserError:
        raise
    except Exception as exc:  # the readers raise many kinds; all mean "cannot read"
        raise UserError(f"Không đọc được tệp “{path.name}”: tệp hỏng, được đặt mật khẩu "
                        "hoặc không phải bảng tính.") from exc
    raise UserError(f"Tệp “{path.name}” không phải bảng tính Excel (.xlsx, .xls) "
                    "hay tệp .csv.")


def _plain(value: object) -> object:
    """A cell value in the forms the rest expects (whole floats as int, NFC text)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, str):
        if not unicodedata.is_normalized("NFC", value):
            value = unicodedata.normalize("NFC", value)
        return value if value.strip() else None
    if isinstance(value, dt.time):
        return None
    return value


def _trim(grid: Grid) -> Grid:
    """Drop empty cells at the end of rows and empty rows at the end."""
    for index, row in enumerate(grid.rows):
        end = len(row)
        while end and row[end - 1] is None:
            end -= 1
        del row[end:]
        del grid.fonts[index][end:]
    while grid.rows and not grid.rows[-1]:
        grid.rows.pop()
        grid.fonts.pop()
    return grid


def _read_xlsx(path: Path) -> Book:
    import openpyxl
    book = openpyxl.load_workbook(path, data_only=True)
    result = Book(path, "xlsx")
    for ws in book.worksheets:
        grid = Grid(ws.title, hidden=ws.sheet_state != "visible")
        for number, dim in ws.row_dimensions.items():
            if dim.hidden:
                grid.hidden_rows.add(number)
        grid.merged = [(r.min_row, r.min_col, r.max_row, r.max_col)
                       for r in ws.merged_cells.ranges]
        for cells in ws.iter_rows():
            values, fonts = [], []
            for cell in cells:
                value = _plain(cell.value)
                values.append(value)
                fonts.append(cell.font.name if isinstance(value, str) and cell.font else None)
            grid.rows.append(values)
            grid.fonts.append(fonts)
        result.sheets.append(_trim(grid))
    book.close()
    return result


def _read_xls(path: Path) -> Book:
    import xlrd
    book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=False)
    result = Book(path, "xls")
    fonts = [f.name for f in book.font_list]
    for sheet in book.sheets():
        grid = Grid(sheet.name, hidden=sheet.visibility != 0)
        grid.hidden_rows = {r + 1 for r, info in sheet.rowinfo_map.items() if info.hidden}
        grid.merged = [(r1 + 1, c1 + 1, r2, c2) for r1, r2, c1, c2 in sheet.merged_cells]
        for r in range(sheet.nrows):
            values, row_fonts = [], []
            for c, cell in enumerate(sheet.row(r)):
                if cell.ctype == xlrd.XL_CELL_DATE:
                    value = xlrd.xldate_as_datetime(cell.value, book.datemode)
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    value = None
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    value = bool(cell.value)
                else:
                    value = _plain(cell.value)
                font = None
                if isinstance(value, str):
                    xf = book.xf_list[sheet.cell_xf_index(r, c)]
                    font = fonts[xf.font_index] if xf.font_index < len(fonts) else None
                values.append(value)
                row_fonts.append(font)
            grid.rows.append(values)
            grid.fonts.append(row_fonts)
        result.sheets.append(_trim(grid))
    return result


def _read_csv(path: Path) -> Book:
    data = path.read_bytes()
    encoding = "unicode"
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text, encoding = data.decode("cp1258"), "cp1258"
    text = unicodedata.normalize("NFC", text)
    first = "\n".join(text.splitlines()[:20])
    delimiter = ";" if first.count(";") > first.count(",") else ","
    grid = Grid(path.stem)
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        values = [_plain(v) for v in row]
        grid.rows.append(values)
        grid.fonts.append([None] * len(values))
    return Book(path, "csv", [_trim(grid)], encoding)
