"""A table model over a core list query: ordered ids first, rows on demand.

The model holds the ordered ids that :func:`core.queries.list_ids` returned for
the current search, filters and sort (all done in SQL), fetched a batch of
:data:`FETCH` ids at a time: the first batch at once, the next ones when a view
scrolls near the end (``canFetchMore``/``fetchMore``). How many records match
(for “Đang hiển thị N / M”) is counted by a separate ``COUNT`` query run in a
background worker (its own connection, :mod:`ui.tasks`) just after the first
batch is on screen; ``counts_changed`` then tells the page. A count that comes
back after the search, filters or data changed is dropped.
Display rows are loaded in pages of :data:`PAGE` ids when a view first asks for
them, and kept in a cache until the next refresh. Sorting re-runs the query.
"""
from __future__ import annotations

import logging

import shiboken6
from PySide6.QtCore import (QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer,
                            Signal)

from core import queries
from core.station import Context
from ui import jobs

log = logging.getLogger(__name__)

PAGE = 50        # display rows loaded at a time (a screen shows about 30)
COUNT_DELAY_MS = 20  # the match count waits until the first rows are painted
FETCH = 100       # ids fetched at a time (the rest when the view scrolls near the end)
IdRole = Qt.UserRole + 1

# Roles and values as plain ints, looked up once: data() runs for every role of
# every visible cell at each paint, and reading ``Qt.DisplayRole`` costs microseconds.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_ID = int(IdRole)
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
_HORIZONTAL = Qt.Orientation.Horizontal
_VERTICAL = Qt.Orientation.Vertical

Index = QModelIndex | QPersistentModelIndex


class SqlTableModel(QAbstractTableModel):
    """Rows of one :class:`core.queries.ListSpec`, loaded lazily."""

    counts_changed = Signal(int, int)  # matching, total (-1: still being counted)

    def __init__(self, ctx: Context, spec: queries.ListSpec, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.spec = spec
        self.search = ""
        self.filters: dict = {}
        self.sort_column = spec.default_sort
        self.descending = False
        self._ids: list[str] = []
        self._rows: dict[str, tuple[str, ...]] = {}
        self._complete = True          # every matching id is in self._ids
        self._matched: int | None = None  # how many match (None: not counted yet)
        self._total: int | None = None    # live records without search/filters
        self._generation = 0
        self._signalling = False
        self.loaded = False

    # -- queries --------------------------------------------------------------

    def refresh(self) -> None:
        """Re-run the id query after data changed, keeping as many ids as were fetched."""
        self._reload(max(FETCH, len(self._ids)), recount_total=True)

    def _reload(self, limit: int, recount_total: bool = False) -> None:
        """Fetch the first *limit* ids and forget cached rows; count the rest later."""
        ids = self._fetch(0, limit)
        self._signalling = True  # no fetchMore from inside this change's signal handlers
        try:
            self.beginResetModel()
            self._ids = ids
            self._complete = len(ids) < limit
            self._matched = len(ids) if self._complete else None
            if self._complete and not self.search.strip() and not self.filters:
                self._total = len(ids)           # the whole list fitted in one batch
            elif recount_total or not self.loaded:
                self._total = None
            self._rows = {}
            self.loaded = True
            self._generation += 1
            self.endResetModel()
        finally:
            self._signalling = False
        if self._matched is not None and self._total is not None:
            self._emit_counts()
        else:
            self.counts_changed.emit(-1 if self._matched is None else self._matched,
                                     -1 if self._total is None else self._total)
            generation = self._generation
            QTimer.singleShot(COUNT_DELAY_MS, self, lambda: self._count_later(generation))

    def _fetch(self, offset: int, limit: int | None) -> list[str]:
        return queries.list_ids(self.ctx.db, self.spec, search=self.search,
                                filters=self.filters, sort=self.sort_column,
                                descending=self.descending, limit=limit, offset=offset)

    def _count_later(self, generation: int) -> None:
        """After the first batch is on screen: count in a worker, unless the query changed."""
        if generation != self._generation:
            return
        if self._matched is not None and self._total is not None:
            self._emit_counts()
            return
        spec, search, filters = self.spec, self.search, dict(self.filters)
        need_matched, need_total = self._matched is None, self._total is None
        jobs.run_on_station(None, self.ctx, lambda ctx, control: count_at(
            ctx, spec, search, filters, need_matched, need_total), needs="read",
            on_success=lambda counts: self._counted(generation, *counts),
            on_failure=self._count_failed, quiet=True)

    def _counted(self, generation: int, matched: int | None, total: int | None) -> None:
        """A worker's count: kept unless the query or the data changed meanwhile."""
        if not shiboken6.isValid(self) or generation != self._generation:
            return
        if matched is not None and self._matched is None:
            self._matched = matched
        if total is not None and self._total is None:
            self._total = total
        self.counts_changed.emit(-1 if self._matched is None else self._matched,
                                 -1 if self._total is None else self._total)

    @staticmethod
    def _count_failed(exc: BaseException) -> None:
        """The count could not be made (the file went away…): the label keeps “…”."""
        log.warning("counting a list failed: %r", exc)

    def _emit_counts(self) -> None:
        self.counts_changed.emit(self.matched, self.total)

    @property
    def matched(self) -> int:
        """How many records match the search and filters (counted when first needed)."""
        if self._matched is None:
            self._matched = queries.count_ids(self.ctx.db, self.spec, search=self.search,
                                              filters=self.filters)
        return self._matched

    @property
    def total(self) -> int:
        """How many live records the list holds without search or filters."""
        if self._total is None:
            self._total = queries.count_all(self.ctx.db, self.spec)
        return self._total

    def fetch_all(self) -> None:
        """Fetch every remaining matching id (for code that needs the whole list)."""
        while self.canFetchMore():
            self.fetchMore()

    def set_search(self, text: str) -> None:
        """Filter by the words of *text* (case and diacritics ignored)."""
        self.search = text
        self._reload(FETCH)

    def set_filters(self, filters: dict) -> None:
        """Replace the filters (keys as the spec's filter builder reads them)."""
        self.filters = {k: v for k, v in filters.items() if v}
        self._reload(FETCH)

    def invalidate_rows(self, ids: set[str] | None = None) -> None:
        """Forget cached rows (all, or those of *ids*) so they reload when shown."""
        if ids is None:
            self._rows.clear()
        else:
            for record_id in ids:
                self._rows.pop(record_id, None)
        if self._ids:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._ids) - 1, self.columnCount() - 1))

    def id_at(self, row: int) -> str | None:
        """The record id shown on *row*."""
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, record_id: str) -> int:
        """The row showing *record_id* among the ids fetched so far, or -1."""
        try:
            return self._ids.index(record_id)
        except ValueError:
            return -1

    def locate(self, record_id: str) -> int:
        """The row of *record_id*, fetching further batches until it is found; or -1."""
        row = self.row_of(record_id)
        while row < 0 and self.canFetchMore():
            start = len(self._ids)
            self.fetchMore()
            try:
                row = self._ids.index(record_id, start)
            except ValueError:
                row = -1
        return row

    def display_row(self, row: int) -> tuple[str, ...]:
        """The display values of *row* (loading its page if needed)."""
        record_id = self._ids[row]
        if record_id not in self._rows:
            start = (row // PAGE) * PAGE
            page = self._ids[start:start + PAGE]
            self._rows.update(queries.load_rows(self.ctx.db, self.spec, page))
        return self._rows.get(record_id, ("",) * len(self.spec.columns))

    # -- QAbstractTableModel --------------------------------------------------

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and not self._complete and not self._signalling

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        """The next batch of ids (a view asks when it scrolls near the end)."""
        if not self.canFetchMore(parent):
            return
        more = self._fetch(len(self._ids), FETCH)
        self._complete = len(more) < FETCH
        if more:
            start = len(self._ids)
            self._signalling = True   # no nested fetchMore from this change's handlers
            try:
                self.beginInsertRows(QModelIndex(), start, start + len(more) - 1)
                self._ids.extend(more)
                self.endInsertRows()
            finally:
                self._signalling = False
        if self._complete and self._matched is None:
            self._matched = len(self._ids)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.spec.columns)

    def data(self, index: Index, role: int = _DISPLAY):
        if role == _DISPLAY or role == _TOOLTIP:
            row = index.row()
            if not 0 <= row < len(self._ids) or not index.isValid():
                return None
            return self.display_row(row)[index.column()]
        if role == _ID:
            row = index.row()
            return self._ids[row] if 0 <= row < len(self._ids) and index.isValid() else None
        if role == _ALIGNMENT and index.isValid() and \
                self.spec.columns[index.column()].kind == "number":
            return _RIGHT
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = _DISPLAY):
        if role != _DISPLAY:
            return None
        if orientation == _HORIZONTAL and 0 <= section < len(self.spec.columns):
            return self.spec.columns[section].header
        if orientation == _VERTICAL:
            return str(section + 1)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.AscendingOrder) -> None:
        descending = order == Qt.DescendingOrder
        if not 0 <= column < len(self.spec.columns) or (
                (column, descending) == (self.sort_column, self.descending)):
            return  # the header repeats the current order when a view is set up
        self.sort_column = column
        self.descending = descending
        if self.loaded:            # otherwise the first refresh() uses the new order
            self._reload(FETCH)


def count_at(ctx: Context, spec: queries.ListSpec, search: str, filters: dict,
             matched: bool, total: bool) -> tuple[int | None, int | None]:
    """(matching, total) counted on a job's own connection (runs in a worker thread)."""
    return (queries.count_ids(ctx.db, spec, search=search, filters=filters)
            if matched else None,
            queries.count_all(ctx.db, spec) if total else None)
