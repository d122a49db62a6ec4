"""A table model over a core list query: ordered ids first, rows on demand.

The model holds only the ordered ids that :func:`core.queries.list_ids` returned
for the current search, filters and sort (all done in SQL). Display rows are
loaded in pages of :data:`PAGE` ids when a view first asks for them, and kept in
a cache until the next refresh. Sorting re-runs the query.
"""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from core import queries
from core.station import Context

PAGE = 200
IdRole = Qt.UserRole + 1

Index = QModelIndex | QPersistentModelIndex


class SqlTableModel(QAbstractTableModel):
    """Rows of one :class:`core.queries.ListSpec`, loaded lazily."""

    counts_changed = Signal(int, int)  # shown, total

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
        self.total = 0
        self.loaded = False

    # -- queries --------------------------------------------------------------

    def refresh(self) -> None:
        """Re-run the id query and forget cached rows."""
        self.beginResetModel()
        self._ids = queries.list_ids(self.ctx.db, self.spec, search=self.search,
                                     filters=self.filters, sort=self.sort_column,
                                     descending=self.descending)
        self._rows = {}
        self.total = queries.count_all(self.ctx.db, self.spec)
        self.loaded = True
        self.endResetModel()
        self.counts_changed.emit(len(self._ids), self.total)

    def set_search(self, text: str) -> None:
        """Filter by the words of *text* (case and diacritics ignored)."""
        self.search = text
        self.refresh()

    def set_filters(self, filters: dict) -> None:
        """Replace the filters (keys as the spec's filter builder reads them)."""
        self.filters = {k: v for k, v in filters.items() if v}
        self.refresh()

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
        """The row showing *record_id*, or -1."""
        try:
            return self._ids.index(record_id)
        except ValueError:
            return -1

    def display_row(self, row: int) -> tuple[str, ...]:
        """The display values of *row* (loading its page if needed)."""
        record_id = self._ids[row]
        if record_id not in self._rows:
            start = (row // PAGE) * PAGE
            page = self._ids[start:start + PAGE]
            self._rows.update(queries.load_rows(self.ctx.db, self.spec, page))
        return self._rows.get(record_id, ("",) * len(self.spec.columns))

    # -- QAbstractTableModel --------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.spec.columns)

    def data(self, index: Index, role: int = Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role in (Qt.DisplayRole, Qt.ToolTipRole):
            return self.display_row(index.row())[index.column()]
        if role == IdRole:
            return self._ids[index.row()]
        if role == Qt.TextAlignmentRole and self.spec.columns[index.column()].kind == "number":
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.DisplayRole):
        if role != Qt.DisplayRole:
            return None
        if orientation == Qt.Horizontal and 0 <= section < len(self.spec.columns):
            return self.spec.columns[section].header
        if orientation == Qt.Vertical:
            return str(section + 1)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.AscendingOrder) -> None:
        descending = order == Qt.DescendingOrder
        if not 0 <= column < len(self.spec.columns) or (
                self.loaded and (column, descending) == (self.sort_column, self.descending)):
            return  # the header repeats the current order when a view is set up
        self.sort_column = column
        self.descending = order == Qt.DescendingOrder
        self.refresh()
