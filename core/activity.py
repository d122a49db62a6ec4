"""What “active on day D” means, in one place (domain.md, “Reporting periods”).

- A **membership** is active on D when it is not deleted, its join date, if
  known, is on or before D, and it has no leave date or a later one.
- A **model** is active on D when it is not deleted, its launch date, if known,
  is on or before D, and its status is not ``ngung`` (ngừng hoạt động).
- A **unit** is active when it is not deleted (units have no dates or status).

The report, the overview, the lists, the documents and the workbook import all
build their conditions from here: SQL fragments for queries and Python
predicates for records already in memory, so the two cannot drift apart.

“Today” is the station's local date: :func:`local_today` reads the computer's
own clock and time zone (a station's computer runs on Vietnam time, UTC+7, and
it is the date the user sees on the screen and on every printed page). Never
SQLite's ``date('now')``, which is UTC: from 00:00 to 07:00 in Vietnam it is
still yesterday.

Bottom layer: imports nothing of the program.
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from typing import Protocol

INACTIVE_MODEL_STATUS = "ngung"


# The clock local_today() reads: the computer's local date. A test sets another
# (e.g. 00:30 in Vietnam, when UTC is still on the day before).
clock: Callable[[], dt.date] = dt.date.today


def local_today() -> dt.date:
    """Today's date on the station's clock (local time, not UTC)."""
    return clock()


# The clock local_now() reads: the computer's local time (a test sets another).
time_clock: Callable[[], dt.datetime] = lambda: dt.datetime.now().astimezone()


def local_now() -> str:
    """The station's local time as ISO text with its offset, to the second
    (``2026-12-02T07:45:10+07:00``): what the user's clock showed."""
    return time_clock().isoformat(timespec="seconds")


def iso_day(day: dt.date | str | None = None) -> str:
    """*day* (a date or an ISO string; today when None) as a checked ISO date."""
    if day is None:
        return local_today().isoformat()
    if isinstance(day, dt.date):
        return day.isoformat()
    return dt.date.fromisoformat(day).isoformat()


def sql_day(day: dt.date | str | None = None) -> str:
    """*day* as an SQL date literal (``'2026-12-01'``): safe, it is checked ISO."""
    return f"'{iso_day(day)}'"


# -- SQL ----------------------------------------------------------------------
# *day* is an SQL expression: a named parameter (":end"), a literal from
# sql_day(), or TODAY_SQL. It may appear more than once in a fragment.

TODAY_SQL = "antq_today()"


def register_today(conn: sqlite3.Connection) -> None:
    """Make ``antq_today()`` (the station's local date) callable from SQL."""
    # deterministic: SQLite then computes it once per statement, not once per row;
    # within one statement the day is the same anyway.
    conn.create_function("antq_today", 0, lambda: local_today().isoformat(),
                         deterministic=True)


def _prefix(alias: str) -> str:
    return f"{alias}." if alias else ""


def membership_dates_sql(day: str, alias: str = "ms") -> str:
    """SQL: the membership's dates make it active on *day* (deleted not checked)."""
    a = _prefix(alias)
    return (f"({a}join_date IS NULL OR {a}join_date <= {day})"
            f" AND ({a}leave_date IS NULL OR {a}leave_date > {day})")


def membership_active_sql(day: str, alias: str = "ms") -> str:
    """SQL: the membership is live and active on *day*."""
    return f"{_prefix(alias)}deleted = 0 AND {membership_dates_sql(day, alias)}"


def membership_left_sql(day: str, alias: str = "ms") -> str:
    """SQL: the membership has ended on or before *day*."""
    a = _prefix(alias)
    return f"{a}leave_date IS NOT NULL AND {a}leave_date <= {day}"


def model_active_sql(day: str, alias: str = "") -> str:
    """SQL: the model is live and active on *day* (launched, not ``ngung``)."""
    a = _prefix(alias)
    return (f"{a}deleted = 0 AND {a}status != '{INACTIVE_MODEL_STATUS}'"
            f" AND ({a}launch_date IS NULL OR {a}launch_date <= {day})")


def unit_active_sql(alias: str = "") -> str:
    """SQL: the unit is live (units have no dates or status)."""
    return f"{_prefix(alias)}deleted = 0"


# -- Python -------------------------------------------------------------------

class _Dated(Protocol):
    join_date: str | None
    leave_date: str | None


class _Launched(Protocol):
    launch_date: str | None
    status: str | None


def membership_active(membership: _Dated, day: dt.date | str | None = None) -> bool:
    """The membership is active on *day* (today when None); deleted records are never."""
    on = iso_day(day)
    if getattr(membership, "deleted", 0):
        return False
    return ((not membership.join_date or membership.join_date <= on)
            and (not membership.leave_date or membership.leave_date > on))


def model_active(model: _Launched, day: dt.date | str | None = None) -> bool:
    """The model is active on *day* (today when None): launched and not ``ngung``."""
    on = iso_day(day)
    if getattr(model, "deleted", 0):
        return False
    return (model.status != INACTIVE_MODEL_STATUS
            and (not model.launch_date or model.launch_date <= on))
