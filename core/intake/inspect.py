"""Seeing a list: header row, columns, encodings, excluded and hidden rows, values.

:func:`inspect` reads nothing from the database and writes nothing. It finds each
sheet's header (below title rows; two rows when "Năm sinh" stands over "Nam" /
"Nữ"), maps each header to a field (:mod:`core.intake.fields`, then what the
user chose or the station remembered), detects each column's encoding
(:mod:`core.intake.legacy`), sets apart the rows that are not data (totals,
place and date, signatures, rows without a person) and reads every data row into
field values, noting each proposal (a value to confirm) and every problem.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from core import ethnicities, rules
from core.activity import iso_day
from core.catalog import GENDERS, ROLES
from core.intake import legacy
from core.intake.fields import (FIELDS, TEXT_FIELDS, Reading, field_for, header_key,
                                read_date, read_id_number, read_name, read_phone)
from core.intake.reader import Book, Grid
from core.text import clean, fold, join_name

HEADER_SEARCH = 25          # rows looked at for the header
HIDDEN_CHOICES = ("left", "skip", "active")


@dataclass
class Choices:
    """What the user decided (the wizard's steps; the CLI's options).

    *mapping*: header text -> field key (None: ignore the column), for every sheet;
    *encodings*: sheet -> header -> "unicode" | "tcvn3" | "vni"; *header_rows*:
    sheet -> the (last) header row; *corrections*: (sheet, row, field) -> value
    replacing what was read or proposed; *hidden*: hidden rows become ended
    memberships ("left"), are skipped, or taken as active.
    """

    mapping: dict[str, str | None] = field(default_factory=dict)
    encodings: dict[str, dict[str, str]] = field(default_factory=dict)
    header_rows: dict[str, int] = field(default_factory=dict)
    corrections: dict[tuple[str, int, str], object] = field(default_factory=dict)
    accept_proposals: bool = True
    hidden: str = "left"
    sheets: list[str] | None = None     # sheets to take in (None: every visible sheet)
    model: str = ""
    model_type: str = ""
    unit: str = ""
    model_per_sheet: bool = False
    event_date: str = ""                # for an attendance or household list
    source: str = ""                    # the file's content hash (set by the caller)


@dataclass
class Column:
    """One column of a sheet as the program sees it."""

    index: int                  # 1-based
    header: str                 # as shown ("Năm sinh / Nam" for a two-row header)
    field: str | None           # the field it feeds (None: ignored)
    guessed: bool = True        # False when the user or the remembered mapping set it
    detection: legacy.Detection = field(default_factory=legacy.Detection)

    @property
    def encoding(self) -> str:
        return self.detection.encoding


@dataclass
class Proposal:
    """A value the program read in a way to confirm (shown before anything is written)."""

    sheet: str
    row: int
    column: str
    field: str
    before: str
    after: str
    reason: str


@dataclass
class RowData:
    """One data row: its field values, problems (column, message) and warnings."""

    number: int
    values: dict[str, object]
    hidden: bool = False
    problems: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class SheetInspection:
    """What the program sees in one sheet."""

    name: str
    kind: str = "members"           # members | attendance | households | hidden | empty
    header_row: int | None = None   # the last header row
    first_header_row: int | None = None
    title: str = ""                 # the title rows above the header, converted
    columns: list[Column] = field(default_factory=list)
    rows: list[RowData] = field(default_factory=list)
    excluded: list[tuple[int, str]] = field(default_factory=list)
    hidden_rows: list[int] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)   # headers whose encoding is undecided
    notes: list[str] = field(default_factory=list)

    def column(self, field_key: str) -> Column | None:
        """The first column feeding *field_key*."""
        return next((c for c in self.columns if c.field == field_key), None)

    def header_of(self, field_key: str) -> str:
        """The header of the column feeding *field_key* (its label when none)."""
        column = self.column(field_key)
        return column.header if column else FIELDS.get(field_key, (field_key,))[0]

    def to_json(self) -> dict:
        """The sheet as ``inspect-list --json`` prints it."""
        return {
            "sheet": self.name, "kind": self.kind, "header_row": self.header_row,
            "title": self.title,
            "columns": {c.header: c.field for c in self.columns},
            "encodings": {c.header: c.encoding for c in self.columns},
            "ambiguous": self.blocked,
            "samples": {c.header: [list(s) for s in c.detection.samples]
                        for c in self.columns if c.detection.samples},
            "data_rows": len(self.rows),
            "excluded_rows": [{"row": r, "reason": why} for r, why in self.excluded],
            "hidden_rows": self.hidden_rows,
            "proposals": [{"row": p.row, "column": p.column, "before": p.before,
                           "after": p.after, "reason": p.reason} for p in self.proposals],
            "problems": [{"row": r.number, "column": c, "message": m}
                         for r in self.rows for c, m in r.problems],
            "notes": self.notes,
        }


@dataclass
class Inspection:
    """What the program sees in a whole file, for these choices."""

    book: Book
    choices: Choices
    sheets: list[SheetInspection] = field(default_factory=list)

    def to_json(self) -> dict:
        """``inspect-list --json``."""
        return {"file": str(self.book.path), "kind": self.book.kind,
                "sheets": [s.to_json() for s in self.sheets]}

    def header_sets(self) -> dict[str, dict[str, str | None]]:
        """Per header set (see :func:`header_set_key`) the mapping in use."""
        return {header_set_key([c.header for c in s.columns]):
                {c.header: c.field for c in s.columns} for s in self.sheets if s.columns}


def header_set_key(headers: list[str]) -> str:
    """The key a mapping is remembered under: the folded headers, in order."""
    return "|".join(header_key(h) for h in headers)


def inspect(book: Book, choices: Choices | None = None,
            remembered: dict[str, dict[str, str | None]] | None = None) -> Inspection:
    """See every sheet of *book* (see the module docstring); writes nothing.

    *remembered*: mappings the station confirmed before, by header set
    (:func:`core.intake.memory.load_mappings`); the user's *choices* win over them.
    """
    choices = choices or Choices()
    result = Inspection(book, choices)
    for grid in book.sheets:
        if choices.sheets is not None and grid.name not in choices.sheets:
            continue
        result.sheets.append(_inspect_sheet(book, grid, choices, remembered or {}))
    return result


# -- the header --------------------------------------------------------------------

def _merged_value(grid: Grid, row: int, column: int) -> tuple[object, bool]:
    """The value shown at a cell (a merged range shows its top-left), and whether
    the cell is in a range spanning several columns."""
    for r1, c1, r2, c2 in grid.merged:
        if r1 <= row <= r2 and c1 <= column <= c2:
            return grid.cell(r1, c1), c2 > c1
    return grid.cell(row, column), False


def _text(value: object) -> str:
    return clean(value) if isinstance(value, str) else ""


def find_header(grid: Grid, convert) -> int | None:
    """The row (1-based) whose cells name the most known fields (two at least)."""
    best, best_row = 1, None
    for row in range(1, min(HEADER_SEARCH, len(grid.rows)) + 1):
        fields = {field_for(convert(row, c, _text(v)))
                  for c, v in enumerate(grid.rows[row - 1], 1) if _text(v)}
        fields.discard(None)
        if len(fields) > best:
            best, best_row = len(fields), row
    return best_row


def _second_header_row(grid: Grid, row: int, convert) -> bool:
    """True when the row below the header continues it ("Nam" / "Nữ" under "Năm sinh")."""
    cells = grid.rows[row] if row < len(grid.rows) else []
    below = [(c, convert(row + 1, c, _text(v))) for c, v in enumerate(cells, 1)
             if v is not None]
    if not below:
        return False
    for column, text in below:
        if not text:
            return False
        _, spans = _merged_value(grid, row, column)
        if header_key(text) not in ("nam", "nu") and field_for(text) is None and not spans:
            return False
    return True


def _columns(grid: Grid, first: int, last: int, convert) -> list[Column]:
    width = max(len(grid.rows[r - 1]) for r in range(first, last + 1))
    columns, seen = [], Counter()
    for c in range(1, width + 1):
        top_value, _ = _merged_value(grid, first, c)
        top = convert(first, c, _text(top_value))
        bottom = convert(last, c, _text(grid.cell(last, c))) if last > first else ""
        header = f"{top} / {bottom}" if top and bottom and top != bottom else (bottom or top)
        if not header:
            continue
        key = None
        if bottom and header_key(bottom) in ("nam", "nu") and field_for(top) == "birth":
            key = "birth_male" if header_key(bottom) == "nam" else "birth_female"
        else:
            key = (field_for(bottom) if bottom else None) or field_for(top)
        seen[header] += 1
        if seen[header] > 1:
            header = f"{header} ({seen[header]})"
        columns.append(Column(c, header, key))
    # A field fed twice: keep the first column (a second "Ghi chú" is ignored).
    used = set()
    for column in columns:
        if column.field in used:
            column.field = None
        elif column.field:
            used.add(column.field)
    return columns


# -- rows that are not data ----------------------------------------------------------

_TOTAL = re.compile(r"^(tong cong|tong so|tong|cong|cong so)\b")
_PLACE_DATE = re.compile(r"ngay\s*[\d.…_ ]*\s*thang\s*[\d.…_ ]*\s*nam|^[^,]{2,40}, ngay\b")
_SIGNATURE = re.compile(
    r"nguoi lap|lap bieu|truong thon|to truong|xac nhan|ky ten|ky, ghi ro|ghi ro ho ten|"
    r"truong cong an|chu tich|thu truong|^t/?m\b|^k/?t\b|truong ban|bi thu|"
    r"can bo|nguoi ky|truong khu|truong ap|ky va ghi")


_FOOTER_HINT = re.compile(r"tổng|tong|cộng|cong|ngày|ngay|lập|lap|trưởng|truong|ký|ky|"
                         r"nhận|nhan|tịch|tich|t/m|k/t|tm\.|kt\.|bộ|bo|thư|thu|người|nguoi")


def _footer_reason(texts: list[str], name: str) -> str:
    """Why a row is a footer row ("" when it is not one); *name*: its name cell."""
    if not any(_FOOTER_HINT.search(t.lower()) for t in texts):
        return ""
    folded = [fold(t) for t in texts]
    if any(_TOTAL.match(f) for f in folded):
        return "Dòng tổng cộng"
    if any(_PLACE_DATE.search(f) for f in folded):
        return "Dòng địa danh, ngày tháng"
    if len(texts) <= 2 and (not name or _SIGNATURE.search(fold(name))) \
            and any(_SIGNATURE.search(f) for f in folded):
        return "Dòng chức danh, chữ ký"
    return ""


# -- one sheet -----------------------------------------------------------------------

class _Converter:
    """Converts a cell's text with its column's encoding, or its own font's."""

    def __init__(self, grid: Grid, book: Book):
        self.grid = grid
        self.columns: dict[int, legacy.Detection] = {}
        self.cp1258 = book.encoding == "cp1258"
        fonts = {f for row in grid.fonts for f in row if f}
        self.legacy_fonts = any(legacy.font_encoding(f)[0] for f in fonts)
        self.seen: dict[tuple[int, str], str] = {}

    def __call__(self, row: int, column: int, text: str) -> str:
        """*text* of the cell at (*row*, *column*) in Unicode."""
        if not self.legacy_fonts:   # the same text in the same column reads alike
            key = (column, text)
            found = self.seen.get(key)
            if found is None:
                found = self.seen[key] = self._convert(row, column, text)
            return found
        return self._convert(row, column, text)

    def _convert(self, row: int, column: int, text: str) -> str:
        if not text or text.isascii():
            detection = self.columns.get(column)
            if detection and detection.capitals and text:
                return text.upper()
            return text
        detection = self.columns.get(column)
        if detection is not None and detection.encoding in ("tcvn3", "vni"):
            return legacy.convert(text, detection.encoding, capitals=detection.capitals)
        if detection is None or detection.encoding == "unicode":
            encoding, capitals = legacy.font_encoding(self.grid.font(row, column) or "")
            if encoding and legacy.is_legacy_candidate(text):
                return legacy.convert(text, encoding, capitals=capitals)
            if detection is None and legacy.is_legacy_candidate(text):
                found = legacy.detect([text])
                if not found.ambiguous:
                    return legacy.convert(text, found.encoding)
        return text


def _inspect_sheet(book: Book, grid: Grid, choices: Choices,
                   remembered: dict[str, dict[str, str | None]]) -> SheetInspection:
    sheet = SheetInspection(grid.name)
    if grid.hidden and choices.sheets is None:
        sheet.kind = "hidden"
        sheet.notes.append("Trang tính bị ẩn: không nhập (chọn trang này nếu muốn nhập).")
        return sheet
    convert = _Converter(grid, book)
    last = choices.header_rows.get(grid.name) or find_header(grid, convert)
    if last is None:
        sheet.kind = "empty"
        sheet.notes.append("Không tìm thấy dòng tiêu đề cột (Họ và tên, Năm sinh, …).")
        return sheet
    first = last
    if grid.name not in choices.header_rows and _second_header_row(grid, last, convert):
        last += 1
    sheet.first_header_row, sheet.header_row = first, last
    sheet.columns = _columns(grid, first, last, convert)
    _apply_mapping(sheet, choices, remembered)
    sheet.title = " ".join(
        convert(r, c, _text(v)) for r in range(1, first) for c, v in
        enumerate(grid.rows[r - 1], 1) if _text(v))
    start = last + 1
    if start <= len(grid.rows) and _is_numbering(grid.rows[start - 1]):
        sheet.excluded.append((start, "Dòng đánh số cột"))
        start += 1
    _detect_encodings(book, grid, sheet, choices, start)
    for column in sheet.columns:
        convert.columns[column.index] = column.detection
    convert.seen.clear()   # what was read before the columns' encodings were known
    sheet.kind = _kind(sheet)
    _read_rows(grid, sheet, choices, start, convert)
    return sheet


def _apply_mapping(sheet: SheetInspection, choices: Choices,
                   remembered: dict[str, dict[str, str | None]]) -> None:
    stored = remembered.get(header_set_key([c.header for c in sheet.columns]), {})
    for column in sheet.columns:
        for source in (stored, choices.mapping):
            if column.header in source:
                wanted = source[column.header]
                column.field = wanted if wanted in FIELDS else None
                column.guessed = False


def _is_numbering(cells: list) -> bool:
    """A row numbering the columns: (1) (2) (3) … or 1 2 3 …"""
    values = [v for v in cells if v is not None]
    if len(values) < 3:
        return False
    numbers = []
    for value in values:
        text = str(value).strip("() ")
        if not text.isdigit():
            return False
        numbers.append(int(text))
    return numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _detect_encodings(book: Book, grid: Grid, sheet: SheetInspection, choices: Choices,
                      start: int) -> None:
    chosen = choices.encodings.get(grid.name, {})
    for column in sheet.columns:
        texts, fonts = [], Counter()
        for r in range(start, len(grid.rows) + 1):
            value = grid.cell(r, column.index)
            if isinstance(value, str):
                texts.append(value)
                font = grid.font(r, column.index)
                if font:
                    fonts[font] += 1
        if book.encoding == "cp1258":
            enc = "cp1258" if any(not t.isascii() for t in texts) else "unicode"
            column.detection = legacy.Detection(enc, reason="tệp CSV Windows-1258")
        else:
            column.detection = legacy.detect(texts, fonts)
        if column.header in chosen:
            wanted = chosen[column.header]
            caps = wanted == "tcvn3" and column.detection.capitals
            column.detection.encoding, column.detection.ambiguous = wanted, False
            column.detection.capitals = caps
            column.detection.reason = "người dùng chọn"
            column.detection.samples = [(t, legacy.convert(t, wanted, capitals=caps))
                                        for t in list(dict.fromkeys(texts))[:5]]
        if column.detection.ambiguous and column.field:
            sheet.blocked.append(column.header)


def _kind(sheet: SheetInspection) -> str:
    fields = {c.field for c in sheet.columns}
    title = fold(sheet.title)
    if "household_head" in fields or ("ho gia dinh" in title and "cam ket" in title):
        return "households"
    if "signature" in fields or any(w in title for w in ("diem danh", "tham du",
                                                          "tham gia hoi nghi")):
        return "attendance"
    if fields & {"full_name", "given_name"}:
        return "members"
    return "empty"


_NAME_FIELDS = ("full_name", "family_middle", "given_name", "household_head")


def _read_rows(grid: Grid, sheet: SheetInspection, choices: Choices, start: int,
               convert: _Converter) -> None:
    hidden = grid.hidden_rows
    footer = ""
    plan = [(c.index, c.field, c.header) for c in sheet.columns if c.field]
    for number in range(start, len(grid.rows) + 1):
        cells = grid.rows[number - 1]
        if not any(v is not None for v in cells):
            continue
        if number in hidden:
            sheet.hidden_rows.append(number)
        texts = [convert(number, c, _text(v)) if isinstance(v, str) else str(v)
                 for c, v in enumerate(cells, 1) if v is not None][:4]
        if footer:
            sheet.excluded.append((number, "Phần cuối danh sách (sau dòng "
                                           f"“{footer.lower()}”)"))
            continue
        raw = {key: (cells[index - 1] if index <= len(cells) else None, header, index)
               for index, key, header in plan}
        name_cell = next((raw[k][0] for k in _NAME_FIELDS if k in raw and raw[k][0]), None)
        reason = _footer_reason(texts, convert(number, 0, _text(name_cell)))
        if reason:
            footer = reason.removeprefix("Dòng ")
            sheet.excluded.append((number, reason))
            continue
        if not any(raw.get(k, (None,))[0] not in (None, "") for k in _NAME_FIELDS):
            reason = ("Dòng tiêu đề nhóm" if len(texts) == 1 else "Dòng không có họ tên")
            sheet.excluded.append((number, reason))
            continue
        sheet.rows.append(_read_row(sheet, number, raw, number in hidden, choices, convert))


def _read_row(sheet: SheetInspection, number: int, raw: dict, hidden: bool,
              choices: Choices, convert: _Converter) -> RowData:
    row = RowData(number, {}, hidden)
    values = row.values
    texts = {}
    for key, (value, _, index) in raw.items():
        if value is None:
            texts[key] = ""
        elif isinstance(value, str):
            texts[key] = clean(convert(number, index, value))
        else:
            texts[key] = clean(value)

    def text(key: str) -> str:
        return texts.get(key, "")

    def take(key: str, reading: Reading, header_field: str | None = None) -> None:
        header_field = header_field or key
        header = sheet.header_of(header_field)
        correction = choices.corrections.get((sheet.name, number, key), _MISSING)
        if correction is not _MISSING:
            if problem := entry_problem(key, correction):
                row.problems.append((header, problem))
                return
            values[key] = correction
            return
        if not reading.problem and reading.value not in (None, ""):
            reading = Reading(reading.value, reading.proposal, entry_problem(key, reading.value))
        if reading.problem:
            row.problems.append((header, reading.problem))
            return
        if reading.proposal:
            before = raw.get(header_field, (None,))[0]
            sheet.proposals.append(Proposal(sheet.name, number, header, key,
                                            clean(before), str(reading.value), reading.proposal))
            if not choices.accept_proposals:
                row.problems.append((header, f"Giá trị đề xuất “{reading.value}” chưa được "
                                             "xác nhận."))
                return
        if reading.value not in (None, ""):
            values[key] = reading.value

    name_key = "full_name"
    name = text("full_name") or text("household_head")
    if not name and (text("family_middle") or text("given_name")):
        name, name_key = join_name(text("family_middle"), "", text("given_name")), "given_name"
    if not text("full_name") and text("household_head"):
        name_key = "household_head"
    take("full_name", read_name(name), name_key)
    _check_name(sheet, row, name_key, raw, convert, number)
    for key, gender in (("birth", None), ("birth_male", "nam"), ("birth_female", "nu")):
        if key in raw and raw[key][0] not in (None, ""):
            reading = read_date(raw[key][0] if not isinstance(raw[key][0], str) else text(key),
                                allow_year=True)
            take("birth_date", reading, key)
            if gender:
                values["gender"] = gender
    if text("gender"):
        code = _gender(text("gender"))
        if code is None and fold(text("gender")) in ("x", "1"):
            code = None
        if code:
            values["gender"] = code
        else:
            row.problems.append((sheet.header_of("gender"),
                                 f"Giới tính “{text('gender')}” không rõ (Nam hoặc Nữ)."))
    for key in ("id_number", "old_id_number"):
        if key in raw and raw[key][0] not in (None, ""):
            target, reading = read_id_number(raw[key][0])
            take(target, reading, key)
    if "phone" in raw:
        take("phone", read_phone(raw["phone"][0]))
    if text("role"):
        code = _role(text("role"))
        if code is None:
            row.warnings.append(f"Chức vụ “{text('role')}” không có trong danh mục: ghi là "
                                "Thành viên.")
            code = "thanh_vien"
        values["role"] = code
    if "join_date" in raw and raw["join_date"][0] not in (None, ""):
        take("join_date", read_date(raw["join_date"][0], allow_year=False))
    for key in TEXT_FIELDS:
        if text(key):
            if problem := entry_problem(key, text(key)):
                row.problems.append((sheet.header_of(key), problem))
                continue
            values[key] = text(key)
            garbled = legacy.garbled_chars(values[key])
            if garbled and key != "notes":
                row.problems.append((sheet.header_of(key), f"Có ký tự lạ “{garbled}”: kiểm "
                                                           "tra bảng mã của cột."))
            elif key == "ethnicity":
                if problem := ethnicities.problem(values[key]):
                    row.problems.append((sheet.header_of(key), problem))
                else:
                    values[key] = ethnicities.match(values[key])
    _check_dates(sheet, row)
    return row


def entry_problem(key: str, value: object) -> str:
    """The entry rules of the forms and the data workbook for one value ("" when fine)."""
    if key in rules.DATE_FIELDS:
        return rules.date_message(key, value) or ""
    if isinstance(value, str) and (problem := rules.field_problem(key, value)):
        return f"Nội dung {problem}"
    return ""


def _check_dates(sheet: SheetInspection, row: RowData) -> None:
    """A birth not after today, as the forms have it (joining before birth is checked
    by the plan, against the person's stored birth date too)."""
    born = row.values.get("birth_date")
    if born and born > iso_day():
        column = next((k for k in ("birth_male", "birth_female") if sheet.column(k)), "birth")
        row.problems.append((sheet.header_of(column), "Ngày sinh không được sau ngày hôm nay."))


_MISSING = object()
_role = functools.lru_cache(maxsize=1024)(ROLES.match)
_gender = functools.lru_cache(maxsize=1024)(GENDERS.match)


def _check_name(sheet: SheetInspection, row: RowData, key: str, raw: dict,
                convert: _Converter, number: int) -> None:
    """Garbled characters in a name block the row; lost TCVN3 capitals warn."""
    name = row.values.get("full_name", "")
    if not name:
        if not any(c == sheet.header_of(key) for c, _ in row.problems):
            row.problems.append((sheet.header_of(key), "Họ và tên không được để trống."))
        return
    garbled = legacy.garbled_chars(name) + "".join(c for c in name if c.isdigit())
    if garbled:
        row.problems.append((sheet.header_of(key),
                             f"Họ tên “{name}” có ký tự lạ “{garbled}”: kiểm tra bảng mã của cột."))
    column = sheet.column(key)
    original = raw.get(key, (None,))[0]
    if column and column.encoding == "tcvn3" and not column.detection.capitals \
            and isinstance(original, str):
        lost = legacy.lost_capitals(original, convert(number, column.index, original))
        if lost:
            row.warnings.append(
                f"Họ tên “{name}”: chữ đầu của “{', '.join(lost)}” có thể là chữ hoa có dấu "
                "(TCVN3 không có mã cho chữ hoa này); kiểm tra lại sau khi nhập.")
