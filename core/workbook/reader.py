"""Reading the data workbook with python-calamine (fast, values only).

Sheets are found by folded name, columns by folded header, in any order. A file
that is not a workbook, is empty, damaged or password-protected raises a
:class:`UserError` with one Vietnamese sentence. ``.xlsx`` and old ``.xls``
(BIFF8) are read by calamine.

A ``.csv`` file holds one sheet (:func:`read_csv`): UTF-8 with or without BOM,
else Windows-1258 (tone marks composed to NFC); “,”, “;” or tab between values.
Which sheet of the workbook it is: the sheet its file name names (“Thành
viên.csv”, “don_vi.csv”), else the sheet whose headers it carries most of (with
every required one), else “Thành viên” (the list a station most often keeps).
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine

from core.errors import UserError, read_failure_reason
from core.text import fold
from core.workbook import layout as L
from core.workbook.cells import as_text, is_empty
from core.workbook.report import CellError

OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_SIGNATURE = b"PK\x03\x04"
# A commune's data fits many times over; past these a sheet is refused before
# it is loaded (calamine holds a whole sheet in memory).
MAX_SHEET_ROWS = 250_000
MAX_SHEET_XML = 400 * 1024 * 1024     # bytes of sheet XML once inflated
_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d+)\"")
_ROW_OPEN = re.compile(rb"<(?:\w+:)?row[\s>/]")


@dataclass
class SheetData:
    """One recognised sheet: its title in the file, its columns and its data rows."""

    spec: L.Sheet
    title: str
    columns: dict[str, int]  # column key -> 1-based column number in the file
    rows: list[tuple[int, list]]  # (row number as Excel shows it, raw cells)
    width: int = 0

    def raw(self, cells: list, key: str) -> object:
        """The raw cell of column *key* in a row (None when the column is absent)."""
        index = self.columns.get(key)
        if index is None or index > len(cells):
            return None
        return cells[index - 1]


@dataclass
class WorkbookData:
    """What was read: recognised sheets by canonical name, plus warnings and errors."""

    sheets: dict[str, SheetData] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)  # missing required columns

    def total_rows(self) -> int:
        """How many data rows there are to import."""
        return sum(len(s.rows) for s in self.sheets.values())


def read_workbook(path: Path | str) -> WorkbookData:
    """Read every recognised sheet of the workbook (or the one sheet of a CSV) at *path*."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return read_csv(path)
    book = _open(path)
    try:
        data = WorkbookData()
        known = {s.folded: s for s in L.SHEETS}
        for title in book.sheet_names:
            spec = known.get(fold(title))
            if spec is None:
                if fold(title) not in L.IGNORED_SHEETS:
                    data.warnings.append(f"Bỏ qua trang “{title}” (không có trong mẫu).")
                continue
            if spec.name in data.sheets:
                data.warnings.append(f"Bỏ qua trang “{title}”: đã có một trang "
                                     f"“{spec.name}” trước đó.")
                continue
            data.sheets[spec.name] = _read_sheet(book, title, spec, data, path)
    finally:
        book.close()
    if not data.sheets:
        names = ", ".join(f"“{n}”" for n in L.SHEET_NAMES)
        raise UserError(f"Tệp “{path.name}” không có trang nào đúng mẫu ({names}).")
    return data


def _open(path: Path) -> python_calamine.CalamineWorkbook:
    """Open the file, turning every failure into one clear Vietnamese sentence."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        raise UserError(f"Không tìm thấy tệp “{path}”.") from None
    except OSError as exc:
        raise UserError(f"Không đọc được tệp “{path}”: {read_failure_reason(exc)}.") from None
    if not head:
        raise UserError(f"Tệp “{path.name}” rỗng, không phải là sổ Excel.")
    if head.startswith(ZIP_SIGNATURE):
        check_size(path)
    try:
        return python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several kinds; all mean "cannot read"
        raise UserError(_describe(path, head)) from exc


def check_size(path: Path) -> None:
    """Refuse a workbook whose sheets are too large, reading them as a stream.

    The rows are counted (and their numbers read) in the inflated XML chunk by
    chunk, so a sheet of a million rows or a gigabyte of blanks costs time, not
    memory.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.filename.startswith("xl/worksheets/") \
                        and info.filename.endswith(".xml"):
                    _check_sheet(archive, info, path)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError):
        return      # calamine reports the damage in its own words
    except RuntimeError:    # an encrypted member
        return


def _check_sheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> None:
    rows = last = size = 0
    tail = b""
    with archive.open(info) as stream:
        while chunk := stream.read(1 << 20):
            size += len(chunk)
            if size > MAX_SHEET_XML:
                raise UserError(f"Tệp “{path.name}” có một trang quá lớn (hơn "
                                f"{MAX_SHEET_XML // 2 ** 20} MB dữ liệu khi giải nén); hãy "
                                "chia thành nhiều tệp nhỏ hơn rồi nhập lần lượt.")
            text = tail + chunk
            cut = max(0, len(text) - 64)
            rows += len(_ROW_OPEN.findall(text, 0, cut))
            numbers = _ROW.findall(text, 0, cut)
            if numbers:
                last = max(last, int(numbers[-1]))
            tail = text[cut:]
            if max(rows, last) > MAX_SHEET_ROWS + 1:
                raise UserError(
                    f"Tệp “{path.name}” có một trang dài hơn {MAX_SHEET_ROWS:,} dòng; "
                    "hãy chia thành nhiều tệp nhỏ hơn rồi nhập lần lượt.".replace(",", "."))


def _describe(path: Path, head: bytes) -> str:
    if head.startswith(OLE_SIGNATURE):
        return (f"Tệp “{path.name}” được bảo vệ bằng mật khẩu (hoặc là tệp Excel cũ bị "
                "hỏng): hãy mở bằng Excel, bỏ mật khẩu, lưu dạng .xlsx rồi nhập lại.")
    if head.startswith(ZIP_SIGNATURE):
        return f"Tệp “{path.name}” bị hỏng, không đọc được như một sổ Excel."
    return f"Tệp “{path.name}” không phải là sổ Excel (.xlsx, .xls) hay tệp CSV."


def _read_sheet(book, title: str, spec: L.Sheet, data: WorkbookData,
                path: Path) -> SheetData:
    try:
        grid = book.get_sheet_by_name(title).to_python(skip_empty_area=False)
    except Exception as exc:
        raise UserError(f"Trang “{title}” của tệp “{path.name}” bị hỏng, "
                        "không đọc được.") from exc
    return _sheet_from_grid(grid, title, spec, data)


def _sheet_from_grid(grid: list[list], title: str, spec: L.Sheet,
                     data: WorkbookData) -> SheetData:
    """A sheet's columns and data rows from its grid of cells (header on row 1)."""
    header = grid[0] if grid else []
    columns = _match_columns(spec, header, data)
    rows = [(number, cells) for number, cells in enumerate(grid[1:], start=2)
            if not all(is_empty(c) for c in cells)]
    for column in spec.columns if rows else ():  # a sheet with no data needs no columns
        if column.required and column.key not in columns:
            data.errors.append(CellError(spec.name, 1, column.header,
                                         f"Thiếu cột bắt buộc “{column.header}”."))
    return SheetData(spec, title, columns, rows, width=len(header))


def _match_columns(spec: L.Sheet, header: list, data: WorkbookData) -> dict[str, int]:
    """Column numbers by key; unknown or repeated headers become warnings."""
    by_header = spec.by_folded_header()
    columns: dict[str, int] = {}
    for number, cell in enumerate(header, start=1):
        text = as_text(cell)
        if not text:
            continue
        column = by_header.get(L.header_key(text))
        if column is None:
            data.warnings.append(f"Trang “{spec.name}”: bỏ qua cột “{text}” "
                                 "(không có trong mẫu).")
        elif column.key in columns:
            data.warnings.append(f"Trang “{spec.name}”: cột “{text}” lặp lại, "
                                 "chỉ đọc cột đầu tiên.")
        else:
            columns[column.key] = number
    return columns


# -- CSV -----------------------------------------------------------------------------

def read_csv(path: Path) -> WorkbookData:
    """Read a CSV file as the one sheet of the workbook it stands for (see the module)."""
    grid = _csv_grid(path)
    if not grid or not any(not is_empty(c) for c in grid[0]):
        raise UserError(f"Tệp “{path.name}” rỗng: không có dòng tiêu đề cột.")
    spec = _csv_sheet(path, grid[0])
    data = WorkbookData()
    data.warnings.append(f"Tệp CSV “{path.name}” được đọc như trang “{spec.name}”.")
    data.sheets[spec.name] = _sheet_from_grid(grid, spec.name, spec, data)
    return data


def _csv_grid(path: Path) -> list[list[str]]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"Không tìm thấy tệp “{path}”.") from None
    except OSError as exc:
        raise UserError(f"Không đọc được tệp “{path}”: {read_failure_reason(exc)}.") from None
    if b"\x00" in raw[:4096] or raw.startswith((ZIP_SIGNATURE, OLE_SIGNATURE)):
        raise UserError(f"Tệp “{path.name}” không phải là tệp CSV (văn bản).")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1258", errors="replace")
    text = unicodedata.normalize("NFC", text)
    lines = text.splitlines()
    delimiter = _delimiter(lines[0] if lines else "")
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""),
                                           delimiter=delimiter)]


def _delimiter(header: str) -> str:
    """“;”, tab or “,”: whichever separates the header line into the most cells."""
    counts = {d: header.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _csv_sheet(path: Path, header: list) -> L.Sheet:
    named = fold(re.sub(r"[_\-.]+", " ", path.stem))
    for spec in L.SHEETS:
        if spec.folded in named:
            return spec
    keys = {L.header_key(as_text(cell)) for cell in header}

    def fit(spec: L.Sheet) -> tuple[int, bool]:
        known = {c.folded for c in spec.columns} & keys
        complete = all(c.folded in keys for c in spec.columns if c.required)
        return (len(known) if complete else 0), spec is L.MEMBERS
    best = max(L.SHEETS, key=fit)
    return best if fit(best)[0] else L.MEMBERS
