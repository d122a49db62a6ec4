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
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import UserError

OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_SIGNATURE = b"PK\x03\x04"
# The limits of the data workbook (core.workbook.reader), for a CSV list: its size
# and its rows are checked before it is held in memory.
MAX_CSV_BYTES = 100 * 1024 * 1024
SPLIT = "hãy chia thành nhiều tệp nhỏ hơn rồi nhập lần lượt."


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
            from core.workbook.reader import check_size
            check_size(path)    # a million rows or a gigabyte of blanks: refused as a stream
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
    """Values with python-calamine (fast; cached values of formulas); hidden rows,
    hidden sheets and the fonts of text cells from the file's XML."""
    import zipfile

    import python_calamine
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    visible = {m.name: m.visible == python_calamine.SheetVisibleEnum.Visible
               for m in book.sheets_metadata}
    result = Book(path, "xlsx")
    with zipfile.ZipFile(path) as archive:
        parts = _sheet_parts(archive)
        styles = _cell_fonts(archive)
        legacy_fonts = any(_is_legacy_font(f) for f in styles)
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            grid = Grid(name, hidden=not visible.get(name, True))
            grid.merged = [(r0 + 1, c0 + 1, r1 + 1, c1 + 1)
                           for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
            grid.rows = [[_plain(v) for v in row]
                         for row in sheet.to_python(skip_empty_area=False)]
            grid.fonts = [[None] * len(row) for row in grid.rows]
            xml = archive.read(parts[name]) if name in parts else b""
            grid.hidden_rows = _hidden_rows(xml)
            if legacy_fonts:
                _fill_fonts(grid, xml, styles)
            result.sheets.append(_trim(grid))
    return result


_ROW_TAG = re.compile(rb"<row\b([^>]*)>")
_CELL_TAG = re.compile(rb'<c r="([A-Z]+)(\d+)"([^>]*?)/?>')
_ATTR_R = re.compile(rb'\br="(\d+)"')
_ATTR_S = re.compile(rb'\bs="(\d+)"')


def _is_legacy_font(name: str | None) -> bool:
    from core.intake.legacy import font_encoding
    return font_encoding(name or "")[0] is not None


def _hidden_rows(xml: bytes) -> set[int]:
    hidden = set()
    for match in _ROW_TAG.finditer(xml):
        attrs = match.group(1)
        if b'hidden="1"' in attrs or b'hidden="true"' in attrs:
            number = _ATTR_R.search(attrs)
            if number:
                hidden.add(int(number.group(1)))
    return hidden


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def _fill_fonts(grid: Grid, xml: bytes, styles: list[str | None]) -> None:
    """The font name of every text cell (from its style index)."""
    rows, fonts = grid.rows, grid.fonts
    default = styles[0] if styles else None
    for match in _CELL_TAG.finditer(xml):
        r = int(match.group(2)) - 1
        if r >= len(rows):
            continue
        c = _column_number(match.group(1)) - 1
        if c >= len(rows[r]) or not isinstance(rows[r][c], str):
            continue
        style = _ATTR_S.search(match.group(3))
        index = int(style.group(1)) if style else 0
        fonts[r][c] = styles[index] if index < len(styles) else default


def _sheet_parts(archive) -> dict[str, str]:
    """Sheet name -> the path of its XML part in the archive."""
    import posixpath
    from xml.etree import ElementTree as ET
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    workbook = ET.fromstring(archive.read("xl/workbook.xml"))
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    parts = {}
    for sheet in workbook.iter(f"{main}sheet"):
        target = targets.get(sheet.get(f"{rel}id"), "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
        parts[sheet.get("name")] = path
    return parts


def _cell_fonts(archive) -> list[str | None]:
    """The font name of each cell style (index = the ``s`` attribute of a cell)."""
    from xml.etree import ElementTree as ET
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    try:
        styles = ET.fromstring(archive.read("xl/styles.xml"))
    except KeyError:
        return []
    fonts_node = styles.find(f"{main}fonts")
    names = []
    for font in (fonts_node if fonts_node is not None else []):
        name = font.find(f"{main}name")
        names.append(name.get("val") if name is not None else None)
    xfs = styles.find(f"{main}cellXfs")
    result = []
    for xf in (xfs if xfs is not None else []):
        index = int(xf.get("fontId") or 0)
        result.append(names[index] if index < len(names) else None)
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
    from core.workbook.reader import MAX_SHEET_ROWS
    if path.stat().st_size > MAX_CSV_BYTES:
        raise UserError(f"Tệp “{path.name}” quá lớn (hơn {MAX_CSV_BYTES // 2 ** 20} MB); "
                        + SPLIT)
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
        if len(grid.rows) > MAX_SHEET_ROWS:
            raise UserError(f"Tệp “{path.name}” dài hơn {MAX_SHEET_ROWS:,} dòng; ".replace(
                ",", ".") + SPLIT)
        values = [_plain(v) for v in row]
        grid.rows.append(values)
        grid.fonts.append([None] * len(values))
    return Book(path, "csv", [_trim(grid)], encoding)
