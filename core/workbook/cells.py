"""Reading one cell: what calamine gives (str, float, bool, date) → a field value.

Each reader raises :class:`CellProblem` with a Vietnamese message when the cell
cannot be read. Empty cells read as None (text columns as "").
"""
from __future__ import annotations

import datetime as dt
import re

from core import rules
from core.catalog import (COMMENDATION_FORMS, EVENT_TYPES, GENDERS, MODEL_STATUSES,
                          RECIPIENT_KINDS, RESULT_TYPES, ROLES, UNIT_TYPES, Catalog)
from core.text import (DateError, clean, fold, format_date, format_number, parse_date,
                       parse_yes_no)
from core.workbook import layout as L

MAX_NUMBER = 1_000_000_000
_WHOLE = re.compile(r"^-?\d+$")
_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")  # “1.051” written the Vietnamese way
_WHOLE_FLOAT = re.compile(r"^-?\d+[.,]0+$")

# What each catalogue is called in messages.
CATALOG_TITLES = {
    "unit_type": "loại đơn vị", "model_type": "loại mô hình",
    "model_status": "tình trạng mô hình", "role": "chức vụ", "gender": "giới tính",
    "event_type": "loại sự kiện", "result_type": "loại kết quả",
    "commendation_form": "hình thức khen thưởng", "recipient_kind": "loại đối tượng",
}

STATIC_CATALOGS: dict[str, Catalog] = {
    "unit_type": UNIT_TYPES, "model_status": MODEL_STATUSES, "role": ROLES,
    "gender": GENDERS, "event_type": EVENT_TYPES, "result_type": RESULT_TYPES,
    "commendation_form": COMMENDATION_FORMS, "recipient_kind": RECIPIENT_KINDS,
}


class CellProblem(ValueError):
    """A cell that cannot be read; the message is Vietnamese."""


def is_empty(raw: object) -> bool:
    """True for a cell with nothing in it (None, "" or only spaces)."""
    return raw is None or (isinstance(raw, str) and not raw.strip())


def as_text(raw: object) -> str:
    """Any cell as clean text: 3.0 → "3", a date → "05/01/2026", True → "Có"."""
    if is_empty(raw):
        return ""
    if isinstance(raw, bool):
        return "Có" if raw else "Không"
    if isinstance(raw, float):
        return str(int(raw)) if raw.is_integer() else str(raw)
    if isinstance(raw, dt.datetime):
        return format_date(raw.date().isoformat())
    if isinstance(raw, dt.date):
        return format_date(raw.isoformat())
    text = clean(raw)
    if rules.CONTROL.search(text):
        raise CellProblem(f"Ô {rules.text_problem(text)}")
    return text


def as_whole(raw: object) -> int | None:
    """A whole number: 3, 3.0, "3", "1.051"; 2.5 or "abc" is a problem."""
    if is_empty(raw):
        return None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if float(raw).is_integer():
            return _bounded(int(raw), raw)
        raise CellProblem(f"“{as_text(raw)}” không phải là số nguyên.")
    text = as_text(raw).replace(" ", "")
    if _WHOLE.match(text):
        return _bounded(int(text), raw)
    if _THOUSANDS.match(text):
        return _bounded(int(text.replace(".", "")), raw)
    if _WHOLE_FLOAT.match(text):
        return _bounded(int(text.split(".")[0].split(",")[0]), raw)
    raise CellProblem(f"“{as_text(raw)}” không phải là số nguyên.")


def _bounded(number: int, raw: object) -> int:
    """*number* when it is of a size any count can have (1e30 is a typing slip)."""
    if abs(number) > MAX_NUMBER:
        shown = f"{raw:g}" if isinstance(raw, float) else str(raw)[:30]
        raise CellProblem(f"Số “{shown}” quá lớn (tối đa {format_number(MAX_NUMBER)}).")
    return number


def as_date(raw: object, *, allow_year: bool = False) -> str | None:
    """An ISO date (or a year alone when allowed) from a date cell or text."""
    if is_empty(raw):
        return None
    if isinstance(raw, bool) or isinstance(raw, dt.time):
        raise CellProblem(f"“{as_text(raw)}” không phải là ngày (dd/mm/yyyy).")
    try:
        iso = parse_date(raw, allow_year=allow_year)
    except DateError as exc:
        raise CellProblem(str(exc)) from None
    if problem := rules.date_message("birth_date" if allow_year else "date", iso):
        raise CellProblem(problem)
    return iso


def as_year(raw: object) -> int | None:
    """A year (2000–2100 is checked by the unit service)."""
    if isinstance(raw, (dt.date, dt.datetime)):
        return raw.year
    try:
        return as_whole(raw)
    except CellProblem:
        raise CellProblem(f"Năm “{as_text(raw)}” không hợp lệ.") from None


def as_bool(raw: object) -> bool | None:
    """Có/Không (also x, 1, yes)."""
    if is_empty(raw):
        return None
    if isinstance(raw, float) and raw in (0.0, 1.0):
        return bool(raw)
    try:
        return parse_yes_no(raw if isinstance(raw, bool) else as_text(raw))
    except ValueError:
        raise CellProblem(f"“{as_text(raw)}” không phải Có/Không.") from None


def as_id_number(raw: object) -> str:
    """An ID number as text; a numeric cell that lost its leading zeros gets them back.

    CCCD numbers start with a province code 001–096, so a number typed into a
    numeric cell loses one or two leading zeros; 10 or 11 digits are padded to 12.
    """
    if isinstance(raw, float) and raw.is_integer() and raw >= 0:
        digits = str(int(raw))
        return digits.zfill(12) if len(digits) in (10, 11) else digits
    return as_text(raw).replace(" ", "")


def as_old_id_number(raw: object) -> str:
    """An old 9-digit CMND as text; a numeric cell that lost leading zeros gets them back.

    CMND numbers of some provinces start with 0 (Hà Nội's with 01), so a number
    typed into a numeric cell shows 8 digits (or fewer); it is padded to 9.
    """
    if isinstance(raw, float) and raw.is_integer() and raw >= 0:
        digits = str(int(raw))
        return digits.zfill(9) if 7 <= len(digits) < 9 else digits
    return as_text(raw).replace(" ", "")


def as_phone(raw: object) -> str:
    """A phone number as text; a numeric cell that lost its leading 0 gets it back."""
    if isinstance(raw, float) and raw.is_integer() and raw > 0:
        digits = str(int(raw))
        return "0" + digits if len(digits) == 9 else digits
    return as_text(raw)


class Lookup:
    """A catalogue's codes by folded label, alias or code, built once.

    Same answers as :meth:`Catalog.match` (the first item that matches wins),
    without folding every label again for each of thousands of cells.
    """

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.codes: dict[str, str] = {}
        for item in catalog.items:
            for name in (item.code, item.code.replace("_", " "), item.label, *item.aliases):
                self.codes.setdefault(fold(name), item.code)
        self.seen: dict[str, str | None] = {}

    def match(self, text: str) -> str | None:
        """The code of *text*, or None."""
        if text not in self.seen:
            self.seen[text] = self.codes.get(fold(text))
        return self.seen[text]


def lookups(catalogs: dict[str, Catalog]) -> dict[str, Lookup]:
    """A :class:`Lookup` for each catalogue."""
    return {name: Lookup(catalog) for name, catalog in catalogs.items()}


def as_code(raw: object, lookup: Lookup, name: str) -> str | None:
    """A catalogue code from a label, an alias or a code."""
    text = as_text(raw)
    if not text:
        return None
    code = lookup.match(text)
    if code is None:
        catalog = lookup.catalog
        title = CATALOG_TITLES.get(name, name)
        labels = [item.label for item in catalog.items]
        known = f" (chọn: {', '.join(labels)})" if len(labels) <= 6 else ""
        raise CellProblem(f"“{text}” không có trong danh mục {title}{known}.")
    return code


def as_refs(raw: object) -> list[str]:
    """Several names separated by “;”."""
    return [part for part in (clean(p) for p in as_text(raw).split(";")) if part]


_READERS = {
    L.DATE: as_date, L.BIRTH: lambda raw: as_date(raw, allow_year=True),
    L.WHOLE: as_whole, L.YEAR: as_year, L.BOOL: as_bool,
    L.ID_NUMBER: as_id_number, L.OLD_ID_NUMBER: as_old_id_number, L.PHONE: as_phone,
    L.REFS: as_refs,
}


def read_cell(column: L.Column, raw: object, catalogs: dict[str, Lookup]) -> object:
    """The value of *raw* for *column*; raises CellProblem."""
    if column.kind == L.CATALOG:
        return as_code(raw, catalogs[column.catalog], column.catalog)
    return _READERS.get(column.kind, as_text)(raw)
