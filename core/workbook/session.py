"""One import run: rows parsed, checked, written; errors collected.

The whole import runs inside one ``ctx.store.transaction()``; the caller decides
at the end whether to commit (no errors, or ``skip_invalid``) or roll everything
back. A row can refer to records created by earlier rows of the same workbook.
Units, models, events, results and commendations are few: each row is validated
by the services against the database and written at once (:meth:`Session.run`),
in a savepoint where a faulty row could leave something behind. The membership
rows (the bulk of a large workbook) are checked in memory against a
:class:`~core.workbook.member_book.MemberBook` (:meth:`Session.check_row`) and
written in bulk at the end of their sheet, so a faulty row plans nothing.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from core.errors import FieldError, UserError, ValidationError
from core.repos.models import model_types
from core.station import Context
from core.store import Changes
from core.text import fold
from core.workbook.cells import STATIC_CATALOGS, CellProblem, lookups, read_cell
from core.workbook.layout import Column, Sheet
from core.workbook.names import NameIndex, Named
from core.workbook.reader import WorkbookData
from core.workbook.report import CellError, ImportReport

Progress = Callable[[int, int], object]
R = TypeVar("R")
PROGRESS_EVERY = 200

# How each kind of reference is named in messages, and how to tell namesakes apart.
KINDS = {
    "unit": ("đơn vị", "Đơn vị", "tên đơn vị cấp trên"),
    "model": ("mô hình", "Mô hình", "tên một đơn vị của mô hình"),
    "person": ("người", "Người", "số định danh hoặc ngày sinh"),
}


class RowErrors(Exception):
    """A row that cannot be written: (column key, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__(problems)
        self.problems = problems


@dataclass
class Row:
    """One data row: values of the columns present in the sheet, and problems."""

    number: int
    values: dict[str, object]
    problems: list[tuple[str, str]] = field(default_factory=list)

    def has(self, key: str) -> bool:
        """True when the sheet has this column."""
        return key in self.values

    def get(self, key: str, default: object = None) -> object:
        """The value of a column (None/"" when empty, *default* when absent)."""
        return self.values.get(key, default)


@functools.cache
def _defaults(record_type: type) -> dict[str, object]:
    return {f.name: f.default for f in dataclasses.fields(record_type)}


def apply(record: object, row: Row, keys: tuple[str, ...]) -> None:
    """Copy the present columns *keys* onto *record*; empty means the field's default."""
    defaults = _defaults(type(record))
    values = row.values
    for key in keys:
        if key not in values:
            continue
        value = values[key]
        if value is None or value == "":
            value = defaults.get(key)
            value = "" if value is dataclasses.MISSING else value
        setattr(record, key, value)


_CACHED = (str, dt.date)   # raw cell types whose reading is remembered per column
_UNSEEN = object()


class Session:
    """State shared by the sheet importers during one run."""

    def __init__(self, ctx: Context, changes: Changes, data: WorkbookData,
                 report: ImportReport, *, progress: Progress | None = None,
                 skip_invalid: bool = False):
        self.ctx = ctx
        self.changes = changes
        self.data = data
        self.report = report
        self.progress = progress
        self.skip_invalid = skip_invalid
        self.model_types = model_types(ctx.db)   # an import writes no model types
        self.catalogs = lookups(dict(STATIC_CATALOGS, model_type=self.model_types))
        self.failed: dict[str, dict[str, int]] = defaultdict(dict)
        self.units = NameIndex()
        self.models = NameIndex()
        self.done = 0
        self.total = data.total_rows()
        self._repos: dict[type, object] = {}

    def repo(self, kind: type[R]) -> R:
        """One repository of each kind for the whole run (building one is not free)."""
        if kind not in self._repos:
            self._repos[kind] = kind(self.ctx.store)
        return self._repos[kind]

    # -- rows -----------------------------------------------------------------

    def rows(self, sheet: Sheet) -> list[Row]:
        """The parsed rows of *sheet* (none when the sheet or a required column is missing)."""
        data = self.data.sheets.get(sheet.name)
        if data is None or any(e.sheet == sheet.name for e in self.data.errors):
            if data is not None:
                self.tick(len(data.rows))
            return []
        plan = [(c, data.columns[c.key] - 1, {}) for c in sheet.columns
                if c.key in data.columns]
        linked = [c for c in sheet.columns if c.required_with]
        return [self._parse(plan, linked, number, cells) for number, cells in data.rows]

    def _parse(self, plan: list[tuple[Column, int, dict]], linked: list[Column],
               number: int, cells: list) -> Row:
        """Read one row's cells (*plan*: the sheet's columns, their positions, and
        what each text or date seen in the column read as: the same ones come back
        often, and reading a cell depends on nothing else)."""
        row = Row(number, {})
        values, problems = row.values, row.problems
        width = len(cells)
        for column, index, seen in plan:
            raw = cells[index] if index < width else None
            cached = type(raw) in _CACHED
            value = seen.get(raw, _UNSEEN) if cached else _UNSEEN
            if value is _UNSEEN:
                try:
                    value = read_cell(column, raw, self.catalogs)
                except CellProblem as exc:
                    problems.append((column.key, str(exc)))
                    continue
                if cached and not isinstance(value, list):
                    seen[raw] = value
            if column.required and value in (None, "", []):
                problems.append((column.key, f"“{column.header}” không được để trống."))
            values[column.key] = value
        for column in linked:
            if row.get(column.key) in (None, "", []) and any(
                    row.get(k) not in (None, "", []) for k in column.required_with):
                row.problems.append((column.key, f"“{column.header}” không được để "
                                                 "trống khi dòng có chức vụ, ngày tham gia "
                                                 "hoặc ghi chú."))
        return row

    def run(self, sheet: Sheet, row: Row, work: Callable[[], object], *,
            name: str = "", savepoint: bool = True) -> tuple[bool, object]:
        """Write one row (in a savepoint); count it, or record its errors.

        *name* is the row's record name: when the row fails, later rows that
        refer to that name are told which row to fix.
        """
        self.tick()
        before = len(self.changes.items)
        try:
            # Run even when a cell could not be read: the row's other problems are
            # then reported in the same round (the work calls finish() before it
            # writes, so such a row writes nothing).
            with self.ctx.store.transaction() if savepoint else contextlib.nullcontext():
                result = work()
                if row.problems:
                    raise RowErrors([])
        except RowErrors as exc:
            self._failed(sheet, row, exc.problems, before, name)
            return False, None
        except ValidationError as exc:
            self._failed(sheet, row, field_problems(exc.errors), before, name)
            return False, None
        except UserError as exc:
            self._failed(sheet, row, [(sheet.columns[0].key, str(exc))], before, name)
            return False, None
        self._count(sheet, {c.op for c in self.changes.items[before:]})
        return True, result

    def check_row(self, sheet: Sheet, row: Row, work: Callable[[], tuple[R, set[str]]], *,
                  name: str = "") -> tuple[bool, R | None]:
        """Check one row against what is known in memory; nothing is written here.

        *work* returns (result, kinds of write it plans: "insert", "update") or
        raises; a failed row is reported as by :meth:`run` and plans nothing.
        """
        self.tick()
        before = len(self.changes.items)
        try:
            result, ops = work()     # plans nothing when the row has problems (finish())
            if row.problems:
                raise RowErrors([])
        except RowErrors as exc:
            problems = exc.problems
        except ValidationError as exc:
            problems = field_problems(exc.errors)
        except UserError as exc:
            problems = [(sheet.columns[0].key, str(exc))]
        else:
            self._count(sheet, ops)
            return True, result
        self._failed(sheet, row, problems, before, name)
        return False, None

    def _failed(self, sheet: Sheet, row: Row, problems: list[tuple[str, str]],
                before: int, name: str) -> None:
        """Report every problem of a row: its cells' first, then the others, one
        message per cell when a cell could not be read (what the rules say about
        the value then missing would only repeat it)."""
        del self.changes.items[before:]  # not written: the savepoint or the end rolls back
        if name:
            self.failed[sheet.name].setdefault(fold(name), row.number)
        unread = {key for key, _ in row.problems}
        problems = list(row.problems) + [(key, message) for key, message in problems
                                         if key not in unread]
        seen = set()
        for key, message in problems:
            error = CellError(sheet.name, row.number, sheet.header_for(key), message)
            if (error.column, error.message) not in seen:
                seen.add((error.column, error.message))
                self.report.errors.append(error)

    def _count(self, sheet: Sheet, ops: set[str]) -> None:
        if "insert" in ops:
            self.report.inserted[sheet.name] += 1
        elif ops:
            self.report.updated[sheet.name] += 1
        else:
            self.report.unchanged[sheet.name] += 1

    def tick(self, count: int = 1) -> None:
        """Advance the progress; a callback returning False cancels the import."""
        self.done += count
        if self.progress is None:
            return
        if self.done % PROGRESS_EVERY < count or self.done >= self.total:
            if self.progress(min(self.done, self.total), self.total) is False:
                raise UserError("Đã hủy.")

    def warn(self, sheet: Sheet, row: Row, message: str) -> None:
        """A warning tied to a row."""
        self.report.warnings.append(f"Trang “{sheet.name}”, dòng {row.number}: {message}")

    # -- references ------------------------------------------------------------

    def resolve(self, index: NameIndex, text: str, *, kind: str, key: str,
                problems: list[tuple[str, str]], sheet_name: str) -> Named | None:
        """The one record *text* names in *index*, else a problem on column *key*."""
        hits = index.find(text)
        if len(hits) == 1:
            return hits[0]
        problems.append((key, self.reference_problem(text, len(hits), kind, sheet_name)))
        return None

    def resolve_many(self, index: NameIndex, texts, *, kind: str, key: str,
                     problems: list[tuple[str, str]], sheet_name: str) -> list[str]:
        """Ids of the records *texts* name in *index*, each once, in order; problems noted."""
        ids: list[str] = []
        for text in texts or []:
            hit = self.resolve(index, text, kind=kind, key=key, problems=problems,
                               sheet_name=sheet_name)
            if hit and hit.id not in ids:
                ids.append(hit.id)
        return ids

    def reference_problem(self, text: str, count: int, kind: str, sheet_name: str) -> str:
        """The message for a name that matched *count* records (0 or several)."""
        what, what_cap, qualifier = KINDS[kind]
        if count > 1:
            return (f"Có {count} {what} cùng tên “{text}”; ghi thêm {qualifier} trong "
                    f"ngoặc để phân biệt, ví dụ “{text} (…)”.")
        row = self.failed[sheet_name].get(fold(text))
        if row is not None:
            return f"{what_cap} “{text}” có lỗi ở dòng {row} trang “{sheet_name}”."
        return f"Không tìm thấy {what} “{text}” trong tệp và trong cơ sở dữ liệu."


def field_problems(errors: list[FieldError]) -> list[tuple[str, str]]:
    """Service FieldErrors as (column key, message) pairs."""
    return [(e.field, e.message) for e in errors]


def check(errors: list[FieldError]) -> None:
    """Raise RowErrors when a service validator found problems."""
    if errors:
        raise RowErrors(field_problems(errors))


def finish(row: Row, problems: list[tuple[str, str]],
           errors: list[FieldError] = ()) -> None:
    """Before a row writes: raise RowErrors with all it found (references, rules),
    or when one of its cells could not be read (reported with the row's problems).

    A rule's error on a column whose reference was not found is left out: it
    would only repeat that (“the unit does not exist”)."""
    named = {key for key, _ in problems}
    found = list(problems) + [(e.field, e.message) for e in errors if e.field not in named]
    if found or row.problems:
        raise RowErrors(found)
