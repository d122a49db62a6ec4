"""From the officer's wording to the program's fields, and from cells to values.

:func:`field_for` maps a header ("Họ và tên", "Ngày tháng năm sinh", "SĐT") to a
field key of :data:`FIELDS`; the ``read_*`` functions turn one cell into a value
and say whether the value is a *proposal* (a reading to confirm: a date read from
``27.3.76``, a leading zero put back, a name taken out of capitals).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from core.activity import local_today
from core.text import DateError, clean, fold, parse_date

# Field key -> (label shown, folded aliases). The aliases are compared whole,
# then as the start of the header ("Họ và tên thành viên").
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "stt": ("Số thứ tự", ("stt", "tt", "so tt", "so thu tu")),
    "full_name": ("Họ và tên", ("ho ten", "ho va ten", "ho, ten", "ho va ten thanh vien",
                                "ten thanh vien", "ho ten thanh vien", "ho va ten nguoi tham du",
                                "ho ten nguoi tham du", "ho ten dai bieu")),
    "family_middle": ("Họ và tên đệm", ("ho va ten dem", "ho dem", "ho va chu dem", "ho, ten dem")),
    "given_name": ("Tên", ("ten",)),
    "birth": ("Ngày sinh", ("nam sinh", "ngay sinh", "ngay thang nam sinh", "ngay, thang, nam sinh",
                            "sinh ngay", "ns")),
    "birth_male": ("Năm sinh (Nam)", ()),
    "birth_female": ("Năm sinh (Nữ)", ()),
    "gender": ("Giới tính", ("gioi tinh", "gioi", "nam/nu", "nam, nu")),
    "id_number": ("Số CCCD", ("so cccd", "cccd", "so cmnd/cccd", "so cmnd, cccd", "cmnd/cccd",
                              "so dinh danh", "so dinh danh ca nhan", "so can cuoc",
                              "so can cuoc cong dan", "so cccd/cmnd", "cccd/cmnd", "ma dinh danh")),
    "old_id_number": ("Số CMND", ("so cmnd", "cmnd", "so chung minh nhan dan", "so cmtnd")),
    "address": ("Chỗ ở", ("cho o", "cho o hien nay", "noi thuong tru", "dia chi", "thon/to",
                          "thon, to", "noi o", "noi cu tru", "dia chi thuong tru", "que quan",
                          "thon", "to dan pho", "xom", "ap", "ban", "khu pho")),
    "role": ("Chức vụ", ("chuc vu", "chuc vu trong to", "chuc danh", "chuc vu trong mo hinh",
                         "nhiem vu")),
    "phone": ("Số điện thoại", ("sdt", "so dien thoai", "dien thoai", "dt", "so dt", "đt")),
    "notes": ("Ghi chú", ("ghi chu",)),
    "model": ("Mô hình", ("mo hinh", "ten mo hinh", "to", "thuoc to", "to/mo hinh")),
    "ethnicity": ("Dân tộc", ("dan toc",)),
    "religion": ("Tôn giáo", ("ton giao",)),
    "occupation": ("Nghề nghiệp", ("nghe nghiep", "nghe nghiep, noi lam viec", "cong viec",
                                   "nghe nghiep/noi lam viec")),
    "education": ("Trình độ", ("trinh do", "trinh do hoc van", "van hoa", "trinh do van hoa")),
    "join_date": ("Ngày tham gia", ("ngay tham gia", "ngay vao to", "ngay vao")),
    "signature": ("Ký tên", ("ky ten", "ky nhan", "chu ky", "ky")),
    "household_head": ("Chủ hộ", ("chu ho", "ho ten chu ho", "ho va ten chu ho", "ten chu ho")),
}
TEXT_FIELDS = ("address", "notes", "ethnicity", "religion", "occupation", "education", "model")
_PUNCT = re.compile(r"[\s.:()\-–*]+")


def header_key(text: object) -> str:
    """A header folded for matching: no case, no diacritics, no stray punctuation."""
    return _PUNCT.sub(" ", fold(clean(text))).strip()


_ALIASES = {alias: key for key, (_, aliases) in FIELDS.items() for alias in aliases}


def field_for(header: object) -> str | None:
    """The field a header names, or None when the program does not know it."""
    folded = header_key(header)
    if not folded:
        return None
    if folded in _ALIASES:
        return _ALIASES[folded]
    for alias in sorted(_ALIASES, key=len, reverse=True):
        if len(alias) > 3 and folded.startswith(alias + " "):
            return _ALIASES[alias]
    return None


@dataclass
class Reading:
    """One cell read: the value, whether it is a proposal, and a problem (Vietnamese)."""

    value: object = None
    proposal: str = ""     # why the value is a proposal ("" when read as written)
    problem: str = ""


_SHORT_DATE = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2})$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


_DATES: dict[tuple[object, bool], Reading] = {}


def read_date(value: object, *, allow_year: bool, today: dt.date | None = None) -> Reading:
    """A date from a cell: a date cell, dd/mm/yyyy, dd-mm-yyyy, 27.3.76, 1977 or a serial."""
    if today is None and isinstance(value, (str, int)) and not isinstance(value, bool):
        key = (value, allow_year)
        found = _DATES.get(key)
        if found is None:
            if len(_DATES) > 100_000:
                _DATES.clear()
            found = _DATES[key] = _read_date(value, allow_year=allow_year)
        return found
    return _read_date(value, allow_year=allow_year, today=today)


def _read_date(value: object, *, allow_year: bool, today: dt.date | None = None) -> Reading:
    if value is None or value == "":
        return Reading(None)
    if isinstance(value, (dt.date, dt.datetime)):
        return Reading(parse_date(value))
    today = today or local_today()
    if isinstance(value, int) and not isinstance(value, bool):
        if 1900 <= value <= 2100 and allow_year:
            return Reading(str(value))
        if 3000 < value < 80000:
            day = _EXCEL_EPOCH + dt.timedelta(days=value)
            return Reading(day.isoformat(), f"số ngày Excel {value}")
        return Reading(None, problem=f"“{value}” không phải là ngày.")
    if isinstance(value, float):
        return Reading(None, problem=f"“{value}” không phải là ngày.")
    text = clean(value)
    match = _SHORT_DATE.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        year += 2000 if 2000 + year <= today.year else 1900
        try:
            return Reading(dt.date(year, month, day).isoformat(), f"năm viết tắt “{text}”")
        except ValueError:
            return Reading(None, problem=f"Ngày “{text}” không tồn tại.")
    try:
        iso = parse_date(text, allow_year=allow_year)
    except DateError as exc:
        return Reading(None, problem=str(exc))
    proposal = "" if "/" in text or len(text) == 4 else f"đọc từ “{text}”"
    return Reading(iso, proposal)


def read_id_number(value: object) -> tuple[str, Reading]:
    """(field, reading) of an ID cell: 12 digits → id_number, 9 → old_id_number.

    A number that lost its leading zero (11 or 8 digits typed as a number) is
    proposed with the zero put back.
    """
    if value is None or value == "":
        return "id_number", Reading(None)
    typed_number = isinstance(value, int)
    digits = re.sub(r"[\s.\-]", "", str(value))
    if not digits.isdigit():
        return "id_number", Reading(None, problem=f"Số “{clean(value)}” có ký tự không phải chữ số.")
    if len(digits) == 12:
        return "id_number", Reading(digits)
    if len(digits) == 9:
        return "old_id_number", Reading(digits)
    if typed_number and len(digits) == 11:
        return "id_number", Reading("0" + digits, "thêm số 0 ở đầu (ô kiểu số)")
    if typed_number and len(digits) == 8:
        return "old_id_number", Reading("0" + digits, "thêm số 0 ở đầu (ô kiểu số)")
    return "id_number", Reading(None, problem=f"Số “{digits}” phải có 12 chữ số (CCCD) "
                                               "hoặc 9 chữ số (CMND cũ).")


def read_phone(value: object) -> Reading:
    """A phone number: digits kept; a 9-digit number typed as a number gets its 0."""
    if value is None or value == "":
        return Reading(None)
    digits = re.sub(r"[\s.\-()]", "", str(value))
    if isinstance(value, int) and len(digits) == 9:
        return Reading("0" + digits, "thêm số 0 ở đầu (ô kiểu số)")
    return Reading(clean(value))


def normal_case(name: str) -> str:
    """A name in normal case: every word capitalised ("NGUYỄN VĂN AN" → "Nguyễn Văn An")."""
    return " ".join(word[:1].upper() + word[1:].lower() for word in clean(name).split(" "))


def read_name(text: str) -> Reading:
    """A name: capitals or lower case are proposed in normal case."""
    name = clean(text)
    if not name:
        return Reading(None)
    letters = [c for c in name if c.isalpha()]
    if len(letters) > 1 and (name == name.upper() or name == name.lower()):
        return Reading(normal_case(name), "viết lại chữ hoa, chữ thường")
    return Reading(name)
