"""Đơn vị: the station's units as a tree (station → khu dân cư / cơ quan / …)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QHBoxLayout, QLabel, QPushButton,
                               QStackedWidget, QTreeView, QVBoxLayout, QWidget)

from core import queries
from core.errors import UserError
from core.services import units as unit_service
from core.text import format_number
from ui import dialogs
from ui.forms.units import UnitForm
from ui.widgets import DeleteKeyFilter, LoadOnFirstShow

IdRole = Qt.UserRole + 1


class UnitsPage(LoadOnFirstShow, QWidget):
    """The unit tree with add / edit / delete."""

    title = "Đơn vị"
    tables = frozenset({"units", "unit_years"})
    empty_text = ("Chưa có đơn vị nào. Nhấn “Thêm” (Ctrl+N) để thêm khu dân cư, cơ quan,\n"
                  "doanh nghiệp hoặc cơ sở giáo dục trên địa bàn.")

    def __init__(self, window):
        super().__init__(window)
        self.window_ = window
        self.ctx = window.ctx
        self.shown_once = False  # the data is read when the page is first shown
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Các đơn vị, địa bàn thuộc " + self.ctx.station.name, self))
        bar.addStretch(1)
        self.add_button = self._button(bar, "Thêm", self.add_record, "Thêm đơn vị (Ctrl+N)")
        self.sub_button = self._button(bar, "Thêm đơn vị trực thuộc", self.add_child,
                                       "Thêm đơn vị trực thuộc đơn vị đang chọn")
        self.edit_button = self._button(bar, "Sửa", self.edit_selected, "Sửa (Enter)")
        self.delete_button = self._button(bar, "Xóa", self.delete_selected, "Xóa (Delete)")
        layout.addLayout(bar)
        self.model = QStandardItemModel(0, 4, self)
        self.model.setHorizontalHeaderLabels(["Tên đơn vị", "Loại", "Người đứng đầu", "Số hộ"])
        self.view = QTreeView(self)
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setStyleSheet("QTreeView::item { padding: 3px 0; }")
        self.view.doubleClicked.connect(lambda _: self.edit_selected())
        self.view.activated.connect(lambda _: self.edit_selected())
        self.view.installEventFilter(DeleteKeyFilter(self.view, self.delete_selected))
        self.view.header().resizeSection(0, 320)
        self.view.header().resizeSection(1, 160)
        self.view.header().resizeSection(2, 200)
        self.empty = QLabel(self.empty_text, self)
        self.empty.setAlignment(Qt.AlignCenter)
        self.empty.setStyleSheet("color: #555; font-size: 15px; padding: 40px;")
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty)
        layout.addWidget(self.stack, 1)
        self.count_label = QLabel(self)
        layout.addWidget(self.count_label)

    def _button(self, bar, text, slot, tip) -> QPushButton:
        button = QPushButton(text, self)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        bar.addWidget(button)
        return button

    def refresh(self) -> None:
        """Rebuild the tree from the database (units are few)."""
        if not self.ready_to_refresh():
            return
        selected = self.selected_id()
        rows = queries.unit_rows(self.ctx.db)
        self.model.removeRows(0, self.model.rowCount())
        root = QStandardItem(self.ctx.station.name)
        root.setData(None, IdRole)
        self.model.appendRow([root, QStandardItem(""), QStandardItem(""), QStandardItem("")])
        items = {None: root}
        known = {r.id for r in rows}
        pending = list(rows)
        while pending:
            rest = []
            for row in pending:
                parent_id = row.parent_id if row.parent_id in known else None
                if parent_id not in items:
                    rest.append(row)
                    continue
                item = QStandardItem(row.name)
                item.setData(row.id, IdRole)
                items[parent_id].appendRow([
                    item, QStandardItem(row.type_label), QStandardItem(row.head),
                    QStandardItem(format_number(row.households) if row.households is not None
                                  else "")])
                items[row.id] = item
            if len(rest) == len(pending):  # a cycle: show the rest at the top level
                for row in rest:
                    row_item = QStandardItem(row.name)
                    row_item.setData(row.id, IdRole)
                    root.appendRow([row_item, QStandardItem(row.type_label),
                                    QStandardItem(row.head), QStandardItem("")])
                break
            pending = rest
        self.view.expandAll()
        self.stack.setCurrentWidget(self.view if rows else self.empty)
        self.count_label.setText(f"Tổng số: {format_number(len(rows))} đơn vị")
        if selected:
            self.select_id(selected)

    def _find(self, unit_id: str):
        matches = self.model.match(self.model.index(0, 0), IdRole, unit_id, 1,
                                   Qt.MatchExactly | Qt.MatchRecursive)
        return matches[0] if matches else None

    def select_id(self, unit_id: str) -> None:
        """Select the unit in the tree."""
        index = self._find(unit_id)
        if index is not None:
            self.view.setCurrentIndex(index)

    def selected_id(self) -> str | None:
        """Id of the selected unit (None for the station row or nothing)."""
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        return index.siblingAtColumn(0).data(IdRole)

    def focus_search(self) -> None:
        """The tree has no search box; focus the tree."""
        self.view.setFocus()

    def add_record(self, parent_id: str | None = None) -> None:
        """Add a unit (below *parent_id* when given)."""
        form = UnitForm(self.ctx, None, self, parent_unit_id=parent_id or None)
        self._run_form(form)

    def add_child(self) -> None:
        """Add a unit below the selected one."""
        self.add_record(self.selected_id())

    def edit_selected(self) -> None:
        """Edit the selected unit."""
        unit_id = self.selected_id()
        if unit_id:
            self._run_form(UnitForm(self.ctx, unit_id, self))

    def _run_form(self, form: UnitForm) -> None:
        if form.exec() == QDialog.DialogCode.Accepted and form.record_id:
            self.window_.data_changed(form.changes.tables() if form.changes else self.tables)
            self.select_id(form.record_id)

    def delete_selected(self) -> None:
        """Delete the selected unit; the status bar offers “Hoàn tác”."""
        unit_id = self.selected_id()
        if not unit_id:
            return
        name = self.view.currentIndex().siblingAtColumn(0).data()
        try:
            changes = unit_service.delete(self.ctx, unit_id)
        except UserError as exc:
            dialogs.show_error(self, str(exc))
            return
        self.window_.data_changed(changes.tables())
        self.window_.offer_undo(f"Đã xóa đơn vị “{name}”.",
                                lambda: unit_service.undelete(self.ctx, unit_id),
                                changes.tables())
