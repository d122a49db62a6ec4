"""Entry rules shared by every way data comes in.

The forms (through the services), the data workbook, the list intake and the
received packages all call these, so a value one of them refuses is refused by
all, and nothing taken in can later make an export, a print or a report fail.
Every function returns a Vietnamese problem text, or None when the value is fine.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata

# C0 controls other than the white space that ``text.clean`` turns into spaces,
# DEL and C1 controls, lone surrogates (cannot be written as UTF-8) and the two
# non-characters; a spreadsheet, a PDF or a Word file cannot hold them.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Line breaks are kept only in free text (notes, descriptions).
LINE_BREAK = re.compile("[\t\n\r]")
SHORT_TEXT = 200           # names, numbers, codes, places: one line of a document
LONG_TEXT = 2000           # notes, descriptions, achievements: a paragraph
LONG_FIELDS = frozenset({"notes", "description", "achievement", "leave_reason", "aliases",
                         "funding", "advanced_by", "minutes_content", "minutes_result"})
# Long fields whose line breaks are kept (paragraphs of a biên bản): each line is
# trimmed, the lines stay (see :func:`paragraphs`).
PARAGRAPH_FIELDS = frozenset({"minutes_content", "minutes_result"})
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100
# The date fields of the records (ISO text), and those a year alone may fill.
DATE_FIELDS = frozenset({"launch_date", "decision_date", "birth_date", "residence_since",
                         "health_cert_date", "join_date", "leave_date", "date"})
YEAR_FIELDS = frozenset({"birth_date"})   # a birth may be known by its year alone
MAX_WHOLE = 10_000_000     # counts of people, households, results
WHOLE_FIELDS = frozenset({"households", "participants", "quantity", "replication_points"})


def text_problem(value: str | None, *, long: bool = False) -> str | None:
    """Why *value* cannot be stored as text (control characters, too long)."""
    if not value:
        return None
    if CONTROL.search(value) or (not long and LINE_BREAK.search(value)):
        return "có ký tự điều khiển (không in được); hãy gõ lại nội dung này."
    limit = LONG_TEXT if long else SHORT_TEXT
    if len(value) > limit:
        return f"dài {len(value):,} ký tự, quá giới hạn {limit:,} ký tự.".replace(",", ".")
    return None


def printable(value: str) -> str:
    """*value* with each character no document can hold shown as “?”.

    For what an older database may still hold (stored before these rules):
    every output (workbook, PDF, Word) writes text through this.
    """
    return CONTROL.sub("?", value) if CONTROL.search(value) else value


def paragraphs(value: object) -> str:
    """Text of several paragraphs: NFC, each line trimmed, empty lines at the ends dropped."""
    lines = str(value or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(" ".join(unicodedata.normalize("NFC", line).split())
                     for line in lines).strip("\n")


def field_problem(name: str, value: str | None) -> str | None:
    """:func:`text_problem` with the length allowed for the field *name*."""
    return text_problem(value, long=name in LONG_FIELDS)


def date_problem(value: str | None, *, year_alone: bool = False) -> str | None:
    """Why an ISO date text is not a possible date of this program's records.

    With *year_alone* a year by itself ("1980") is a date too: a birth date
    may be known only by its year (domain: “a year alone is allowed”).
    """
    if value is None or value == "":
        return None
    if year_alone and isinstance(value, str) and re.fullmatch(r"\d{4}", value):
        year = int(value)
        if not EARLIEST_YEAR <= year <= LATEST_YEAR:
            return f"năm {year} nằm ngoài khoảng {EARLIEST_YEAR}–{LATEST_YEAR}."
        return None
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return "không phải là ngày."
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return "không phải là ngày có thật."
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        return f"năm {day.year} nằm ngoài khoảng {EARLIEST_YEAR}–{LATEST_YEAR}."
    return None


@functools.lru_cache(maxsize=1 << 16)     # a workbook or a list repeats its dates
def field_date_problem(name: str, value: str | None) -> str | None:
    """:func:`date_problem` for the date field *name* (a birth may be a year alone)."""
    return date_problem(value, year_alone=name in YEAR_FIELDS)


def date_message(name: str, value: str | None) -> str | None:
    """The full refusal of the date field *name* ("Ngày “01/01/1850”: năm 1850 …")."""
    problem = field_date_problem(name, value)
    if problem is None:
        return None
    shown = str(value)[:20]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", shown):
        shown = "/".join(reversed(shown.split("-")))
    return f"Ngày “{shown}”: {problem}"


def order_problem(first: str | None, later: str | None) -> bool:
    """True when both dates are given and *later* is before *first*."""
    return bool(first and later and later < first)


def whole_problem(value: int | None, *, low: int = 0, high: int = MAX_WHOLE) -> str | None:
    """Why a whole number is out of the range *low*..*high*."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        return "không phải là số nguyên."
    if not low <= value <= high:
        return f"phải từ {low:,} đến {high:,}.".replace(",", ".")
    return None


def code_problem(value: str | None, known: set[str] | frozenset[str]) -> str | None:
    """Why a catalogue code is not one of *known* (empty is allowed)."""
    if value and value not in known:
        return f"mã “{value[:40]}” không có trong danh mục."
    return None


# -- members: age per model type, joining after birth --------------------------------
# The only age the law sets for a member is the Tổ bảo vệ an ninh, trật tự ở cơ sở's
# (Luật 30/2023/QH15, điều 14: 18 to 70; domain: warn, do not block). For every
# other kind no law sets one, so a minor is only pointed out, never refused.
LEGAL_AGES: dict[str, tuple[int, int]] = {"to_bao_ve_antt": (18, 70)}
ADULT = 18


def age_on(birth: str | None, on: str) -> int | None:
    """Age in whole years on the ISO day *on* (a year alone: the age reached that year)."""
    if not birth or date_problem(birth, year_alone=True) or date_problem(on):
        return None
    day = dt.date.fromisoformat(on)
    if re.fullmatch(r"\d{4}", birth):
        return day.year - int(birth)
    born = dt.date.fromisoformat(birth)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def age_warning(name: str, birth: str | None, on: str, model_type: str | None,
                type_label: str = "") -> str | None:
    """The member-age warning for someone joining a model of *model_type* on *on*.

    The legal range where one exists (Tổ bảo vệ ANTT: 18–70); elsewhere a person
    under 18, with a word that the law sets no age for that kind of model.
    """
    age = age_on(birth, on)
    if age is None:
        return None
    label = type_label or "mô hình này"
    if model_type in LEGAL_AGES:
        low, high = LEGAL_AGES[model_type]
        if not low <= age <= high:
            return (f"{name} {age} tuổi: thành viên Tổ bảo vệ ANTT phải từ {low} đến "
                    f"{high} tuổi (Luật 30/2023/QH15).")
        return None
    if age < ADULT:
        return (f"{name} mới {age} tuổi (chưa đủ {ADULT}): pháp luật không quy định tuổi "
                f"thành viên {label}, hãy kiểm tra lại ngày sinh hoặc việc tham gia.")
    return None


def join_problem(birth: str | None, join: str | None) -> str | None:
    """Why a join date cannot be: before the person's birth (a year alone counts
    as that whole year)."""
    if not birth or not join:
        return None
    if join[:4] < birth[:4] or (len(birth) > 4 and join < birth):
        return "Ngày tham gia không được trước ngày sinh."
    return None


# -- results ------------------------------------------------------------------------

def result_place_problem(unit_id: str | None, model_id: str | None) -> str | None:
    """A result is counted for a unit or a model: one of them must be given."""
    if not unit_id and not model_id:
        return "Chưa ghi đơn vị hoặc mô hình: cần ít nhất một trong hai."
    return None


# -- codes and names typed by people --------------------------------------------------

def station_code_problem(code: str | None) -> str | None:
    """Why a station code cannot be used (empty first: say what is missing)."""
    if not code or not code.strip():
        return "Chưa nhập mã đơn vị."
    if not re.fullmatch(r"[A-Za-z0-9_.\-]{1,32}", code):
        return ("Mã đơn vị chỉ gồm chữ không dấu, chữ số, “_”, “-”, “.” "
                "(tối đa 32 ký tự).")
    return None


def account_name_problem(name: str | None) -> str | None:
    """Why an account name cannot be used (empty first: say what is missing)."""
    if not name or not name.strip():
        return "Chưa nhập tên tài khoản."
    if not re.fullmatch(r"[A-Za-z0-9_.\-@]{1,64}", name):
        return ("Tên tài khoản chỉ gồm chữ không dấu, chữ số và “_ . - @” "
                "(tối đa 64 ký tự).")
    return None
