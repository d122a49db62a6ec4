"""Reporting periods with the Nghị định 09/2019 cut-offs (15th to 14th)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from core.activity import local_today
from core.errors import UserError
from core.text import DateError, format_date, parse_date

_PERIOD = re.compile(r"^(\d{4})(?:-(6T|9T|Q[1-4]|\d{2}))?$", re.IGNORECASE)
ROMAN = ("I", "II", "III", "IV")
# What a period is chosen as in the window: (kind, its name); a month and a quarter
# also need which one.
KINDS = (("month", "Tháng"), ("quarter", "Quý"), ("6T", "6 tháng"), ("9T", "9 tháng"),
         ("year", "Năm"))


@dataclass(frozen=True)
class Period:
    """A closed date range [start, end] and how to name it."""

    start: dt.date
    end: dt.date
    label: str

    @property
    def key(self) -> str:
        """The period as stored with its report ("2025-12-15..2026-12-14")."""
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def year(self) -> int:
        """The year the period ends in (the recognition year of its report)."""
        return self.end.year


def parse_period(text: str) -> Period:
    """Read "2026" (năm), "2026-6T", "2026-9T", "2026-Q1".."2026-Q4" or "2026-03" (month).

    A quarter runs from the 15th of the month before it to the 14th of its last
    month (Nghị định 09/2019): 2026-Q1 is 15/12/2025–14/03/2026.
    """
    match = _PERIOD.match((text or "").strip())
    if not match:
        raise UserError(f"Kỳ báo cáo “{text}” không hợp lệ: dùng YYYY, YYYY-6T, "
                        "YYYY-9T, YYYY-Q1 đến YYYY-Q4 hoặc YYYY-MM.")
    year = int(match.group(1))
    part = (match.group(2) or "").upper()
    year_start = dt.date(year - 1, 12, 15)
    if part == "":
        return Period(year_start, dt.date(year, 12, 14), f"năm {year}")
    if part == "6T":
        return Period(year_start, dt.date(year, 6, 14), f"6 tháng đầu năm {year}")
    if part == "9T":
        return Period(year_start, dt.date(year, 9, 14), f"9 tháng năm {year}")
    if part.startswith("Q"):
        quarter = int(part[1])
        last = 3 * quarter
        start = year_start if quarter == 1 else dt.date(year, last - 3, 15)
        return Period(start, dt.date(year, last, 14), f"quý {ROMAN[quarter - 1]} năm {year}")
    month = int(part)
    if not 1 <= month <= 12:
        raise UserError(f"Tháng “{part}” không hợp lệ.")
    start = dt.date(year - 1, 12, 15) if month == 1 else dt.date(year, month - 1, 15)
    return Period(start, dt.date(year, month, 14), f"tháng {month:02d} năm {year}")


def period_code(kind: str, year: int, part: int | None = None) -> str:
    """The code of a period chosen by kind (see :data:`KINDS`), year and month or quarter."""
    if kind == "month":
        return f"{year}-{int(part or 1):02d}"
    if kind == "quarter":
        return f"{year}-Q{int(part or 1)}"
    if kind in ("6T", "9T"):
        return f"{year}-{kind}"
    return str(year)


def code_parts(code: str) -> tuple[str, int, int | None]:
    """(kind, year, month or quarter) of a period code: the inverse of :func:`period_code`."""
    parse_period(code)                       # refuses what is not a period
    year, _, part = code.strip().upper().partition("-")
    if not part:
        return "year", int(year), None
    if part in ("6T", "9T"):
        return part, int(year), None
    if part.startswith("Q"):
        return "quarter", int(year), int(part[1])
    return "month", int(year), int(part)


def report_quarter(day: dt.date) -> tuple[int, int]:
    """(year, quarter) of the quarterly period holding *day* (15/12/2025 is 2026's Q1)."""
    year, month = report_month(day)
    return year, (month - 1) // 3 + 1


def custom_period(start: str, end: str) -> Period:
    """A custom range from two dates typed dd/mm/yyyy (or ISO)."""
    try:
        first, last = parse_date(start), parse_date(end)
    except DateError as exc:
        raise UserError(str(exc)) from None
    if not first or not last:
        raise UserError("Cần cả ngày bắt đầu và ngày kết thúc.")
    if last < first:
        raise UserError("Ngày kết thúc không được trước ngày bắt đầu.")
    return Period(dt.date.fromisoformat(first), dt.date.fromisoformat(last),
                  f"từ {format_date(first)} đến {format_date(last)}")


def current_month(today: dt.date | None = None) -> Period:
    """The monthly period containing *today* (after the 14th it is next month's)."""
    year, month = report_month(today or local_today())
    return parse_period(f"{year}-{month:02d}")


def report_month(day: dt.date) -> tuple[int, int]:
    """(year, month) of the monthly period holding *day*: from the 15th it is next month's.

    28/11/2026 is in the December period (15/11–14/12), so (2026, 12).
    """
    year, month = day.year, day.month
    if day.day >= 15:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return year, month


def report_months(period: Period) -> list[tuple[int, int]]:
    """Every monthly period that *period* touches, in order (the year: 01 to 12)."""
    months, last = [report_month(period.start)], report_month(period.end)
    while months[-1] != last:
        year, month = months[-1]
        months.append((year + 1, 1) if month == 12 else (year, month + 1))
    return months
