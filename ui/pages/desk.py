"""The province's desk on Tổng quan: who sent this period, and each commune's figures.

:class:`CommuneDeskModel` is a sortable table of the register's communes (at
most 168 in the largest province, so the rows are held in memory) × the main
indicators, with the status coloured. :class:`DeskPanel` shows it with a count
("12/135 xã đã gửi dữ liệu kỳ này") and opens one commune's figures on a
double click; :func:`commune_status_text` is the commune's own line (next
cut-off day, this period's file sent and confirmed).
"""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout,
                               QHeaderView, QLabel, QPushButton, QTableView, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from core.catalog import RESULT_TYPES
from core.text import fold, format_date, format_moment, format_number

STATUS_COLOURS = {"du": "#1b7f3b", "chua_du": "#b26a00", "chua_gui": "#b00020"}
STATUS_BACKGROUNDS = {"du": "#e6f4ea", "chua_du": "#fff4e0", "chua_gui": "#fdecea"}
STATUS_SHORT = {"du": "Đã gửi đủ", "chua_du": "Đã gửi (chưa đủ kỳ)", "chua_gui": "Chưa gửi"}
# (key, header, numeric)
COLUMNS = (("name", "Xã", False), ("code", "Mã", False), ("status", "Tình trạng", False),
           ("last_imported_at", "Tệp gần nhất", False), ("models_total", "Mô hình", True),
           ("members_total", "Thành viên", True), ("events_total", "Sự kiện", True),
           ("participants_total", "Lượt tham gia", True), ("results_total", "Kết quả", True))
_STATUS_ORDER = {"chua_gui": 0, "chua_du": 1, "du": 2}


class CommuneDeskModel(QAbstractTableModel):
    """The register's communes × main indicators, sortable on every column."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[dict] = []

    def set_rows(self, rows: list[dict]) -> None:
        """Replace every row (the desk's data from core.exchange.desk)."""
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row(self, number: int) -> dict:
        """The data of one row."""
        return self.rows[number]

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def _text(self, row: dict, key: str) -> str:
        if key == "name":
            return row["name"] if row["listed"] else f"{row['name']} (ngoài danh mục)"
        if key == "status":
            return STATUS_SHORT[row["status"]]
        if key == "last_imported_at":
            return format_moment(row["last_imported_at"]) if row["last_imported_at"] else ""
        value = row[key]
        if isinstance(value, int) and not row.get("has_figures", True):
            return "—"                         # nothing received from this commune
        return format_number(value) if isinstance(value, int) else str(value)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row, (key, _, numeric) = self.rows[index.row()], COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, key)
        if role == Qt.ItemDataRole.ForegroundRole and key == "status":
            return QColor(STATUS_COLOURS[row["status"]])
        if role == Qt.ItemDataRole.BackgroundRole and key == "status":
            return QColor(STATUS_BACKGROUNDS[row["status"]])
        if role == Qt.ItemDataRole.TextAlignmentRole and numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and key == "last_imported_at" \
                and row["last_period_to"]:
            return f"Số liệu đến ngày {format_date(row['last_period_to'])}"
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(COLUMNS):
            return COLUMNS[section][1]
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Sort on a column: names without diacritics, status by urgency, numbers as numbers."""
        if not 0 <= column < len(COLUMNS):
            return
        key = COLUMNS[column][0]

        def sort_key(row: dict):
            if key == "name":
                return fold(row["name"])
            if key == "status":
                return _STATUS_ORDER[row["status"]], fold(row["name"])
            if key == "last_imported_at":
                return row["last_imported_at"] or ""
            return row[key]
        self.layoutAboutToBeChanged.emit()
        self.rows.sort(key=sort_key, reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()


class DeskPanel(QWidget):
    """The count of communes that sent this period and the communes' table."""

    def __init__(self, parent: QWidget, open_lists=None, labels: dict | None = None,
                 catalog_for=None):
        super().__init__(parent)
        self.open_lists = open_lists
        # the indicators' labels and catalogues, from ui.pages.figures (which builds this)
        self.labels, self.catalog_for = labels or {}, catalog_for
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.summary = QLabel("Đang tính tình hình gửi dữ liệu của các xã…", self)
        self.summary.setStyleSheet("font-size: 14px; font-weight: bold;")
        top.addWidget(self.summary, 1)
        self.open_button = QPushButton("Xem số liệu của xã…", self)
        self.open_button.setToolTip("Số liệu chi tiết của xã đang chọn (hoặc nháy đúp vào dòng)")
        self.open_button.clicked.connect(self.open_selected)
        top.addWidget(self.open_button)
        layout.addLayout(top)
        self.model = CommuneDeskModel(self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(2, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(22)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)   # the names
        for column, width in enumerate((220, 60, 150, 125, 80, 90, 70, 100, 80)):
            self.view.setColumnWidth(column, width)
        self.view.doubleClicked.connect(lambda index: self.open_row(index.row()))
        layout.addWidget(self.view, 1)
        self.by_commune: dict[str, dict] = {}
        self.types = None

    def show_desk(self, desk: dict, by_commune: dict[str, dict], types=None) -> None:
        """Show the desk's rows (from core.exchange.desk.province_desk)."""
        self.by_commune, self.types = by_commune, types
        self.summary.setText(f"{desk['sent']}/{desk['total']} xã đã gửi dữ liệu "
                             f"{desk['period']}")
        self.model.set_rows(desk["rows"])
        header = self.view.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())

    def open_selected(self) -> None:
        """The selected commune's figures."""
        rows = self.view.selectionModel().selectedRows()
        if rows:
            self.open_row(rows[0].row())

    def open_row(self, number: int) -> "CommuneFigures":
        """Open one commune's figures (the drill-down)."""
        row = self.model.row(number)
        dialog = CommuneFigures(self, row, self.by_commune.get(row["code"]), self.types,
                                self.open_lists, self.labels, self.catalog_for)
        dialog.open()
        return dialog


class CommuneFigures(QDialog):
    """One commune's indicators for the period, and a way to its records."""

    def __init__(self, parent: QWidget, row: dict, indicators: dict | None, types,
                 open_lists=None, labels: dict | None = None, catalog_for=None):
        super().__init__(parent)
        labels = labels or {}
        self.setWindowTitle(f"Số liệu của {row['name']} ({row['code']})")
        self.resize(560, 520)
        layout = QVBoxLayout(self)
        sent = (f"tệp gần nhất nhận lúc {format_moment(row['last_imported_at'])}"
                if row["last_imported_at"] else "chưa gửi tệp nào")
        self.status = QLabel(f"{STATUS_SHORT[row['status']]} — {sent}.", self)
        self.status.setStyleSheet(f"color: {STATUS_COLOURS[row['status']]};")
        layout.addWidget(self.status)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["Chỉ tiêu", "Số liệu"])
        self.tree.setColumnWidth(0, 400)
        for key, value in (indicators or {}).items():
            label = labels.get(key, key)
            if isinstance(value, dict):
                catalog = (catalog_for(key, types) if catalog_for and types is not None
                           else RESULT_TYPES if key == "results" else None)
                item = QTreeWidgetItem([label, format_number(sum(value.values()))])
                for sub, n in value.items():
                    item.addChild(QTreeWidgetItem(
                        [catalog.label(sub) if catalog else sub, format_number(n)]))
            else:
                item = QTreeWidgetItem([label, format_number(value)])
            self.tree.addTopLevelItem(item)
        if indicators is None:
            self.tree.addTopLevelItem(QTreeWidgetItem(["Chưa có số liệu của xã này", ""]))
        layout.addWidget(self.tree, 1)
        buttons = QDialogButtonBox(self)
        if open_lists is not None and indicators is not None:
            lists = buttons.addButton("Xem danh sách của xã", QDialogButtonBox.ButtonRole.ActionRole)
            lists.clicked.connect(lambda: (self.accept(), open_lists(row["code"])))
        close = buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        layout.addWidget(buttons)


def commune_status_text(desk: dict) -> str:
    """The commune's line: next cut-off day, this period's file sent, confirmed."""
    days = desk["days_left"]
    when = "hôm nay" if days == 0 else f"còn {days} ngày"
    parts = [f"Hạn chốt số liệu: ngày {format_date(desk['cutoff'])} ({when})."]
    sent, confirmed = desk["sent"], desk["confirmed"]
    if desk["province"] is None:
        parts.append("Chưa nhận tệp của Công an tỉnh nên chưa gửi được dữ liệu (xem thẻ "
                     "“Trao đổi dữ liệu”).")
    elif sent is None:
        parts.append("Tệp kỳ này: chưa gửi.")
    elif confirmed is not None:
        parts.append(f"Tệp kỳ này: đã gửi (gói số {confirmed['sequence']}), Công an tỉnh "
                     f"đã xác nhận nhận lúc {format_moment(confirmed['confirmed_at'])}.")
    else:
        parts.append(f"Tệp kỳ này: đã gửi gói số {sent['sequence']} lúc "
                     f"{format_moment(sent['created_at'])}, Công an tỉnh chưa xác nhận.")
    return " ".join(parts)
