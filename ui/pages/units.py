"""Đơn vị: the station's units as a tree (station → khu dân cư / cơ quan / …)."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QHBoxLayout, QLabel, QPushButton,
                               QStackedWidget, QTreeView, QVBoxLayout, QWidget)

from core import queries
from core.text import format_number
from ui import dialogs, recycle_bin
from ui.forms.units import UnitForm
from ui.pages.base import may_edit, sync_owned_buttons
from ui.widgets import ChoiceCombo, DeleteKeyFilter, LoadOnFirstShow, view_only_banner

IdRole = Qt.UserRole + 1
OwnerRole = Qt.UserRole + 2
ALL_OWNERS = "Mọi đơn vị gửi"


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
        self._filling = False
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Các đơn vị, địa bàn thuộc " + self.ctx.station.name, self))
        self.owner_filter = self._add_owner_filter(bar)
        bar.addStretch(1)
        self.add_button = self._button(bar, "Thêm", self.add_record, "Thêm đơn vị (Ctrl+N)")
        self.sub_button = self._button(bar, "Thêm đơn vị trực thuộc", self.add_child,
                                       "Thêm đơn vị trực thuộc đơn vị đang chọn")
        self.edit_button = self._button(bar, "Sửa", self.edit_selected, "Sửa (Enter)")
        self.delete_button = self._button(bar, "Xóa", self.delete_selected, "Xóa (Delete)")
        bar.addSpacing(12)
        self.export_button = self._button(bar, "Xuất Excel…", self.export_current,
                                          "Xuất cây đơn vị đang hiển thị ra sổ Excel")
        self.print_list_button = self._button(bar, "In danh sách…", self.print_current,
                                              "In cây đơn vị đang hiển thị")
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
        self.view.selectionModel().currentChanged.connect(lambda *_: self._sync_owned())
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

    def _add_owner_filter(self, bar: QHBoxLayout) -> ChoiceCombo | None:
        """At a province: whose units (this station or one commune), as on the lists."""
        if self.ctx.station.level != "tinh":
            return None
        combo = ChoiceCombo([(ALL_OWNERS, None)], self)
        combo.setMinimumContentsLength(24)      # the bar has room; the list shows names whole
        combo.setToolTip("Xem đơn vị của một xã/phường (đơn vị của các xã chỉ xem)")
        combo.currentIndexChanged.connect(lambda _: self._filling or self.refresh())
        bar.addWidget(combo)
        return combo

    def refresh(self) -> None:
        """Rebuild the tree from the database (units are few), one branch per station."""
        if not self.ready_to_refresh():
            return
        selected = self.selected_id()
        owner = None
        if self.owner_filter is not None:
            self._filling = True              # set_items may re-choose the first item
            try:
                self.owner_filter.set_items([(ALL_OWNERS, None)] + [
                    (f"{code} — {name}", code)
                    for code, name in queries.owner_choices(self.ctx.db)])
            finally:
                self._filling = False
            owner = self.owner_filter.value()
        rows = queries.unit_rows(self.ctx.db, owner)
        self.model.removeRows(0, self.model.rowCount())
        own = self.ctx.station.code
        names = dict(queries.owner_choices(self.ctx.db))
        groups: dict[str, list[queries.UnitRow]] = {own: []} if owner in (None, own) else {}
        if owner is not None:
            groups.setdefault(owner, [])
        for row in rows:
            groups.setdefault(row.owner or own, []).append(row)
        for code in sorted(groups, key=lambda c: (c != own, c)):
            self._add_branch(names.get(code, code), groups[code])
        self.view.expandAll()
        self.stack.setCurrentWidget(self.view if rows else self.empty)
        self.empty.setText(self.empty_text if owner in (None, own) else
                           f"{names.get(owner, owner)} chưa gửi đơn vị nào.")
        self.count_label.setText(f"Tổng số: {format_number(len(rows))} đơn vị")
        if selected:
            self.select_id(selected)
        self._sync_owned()

    def _add_branch(self, title: str, rows: list[queries.UnitRow]) -> None:
        """One station's row with its units nested below it."""
        root = QStandardItem(title)
        root.setData(None, IdRole)
        font = root.font()
        font.setBold(True)
        root.setFont(font)
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
                items[row.id] = self._append(items[parent_id], row)
            if len(rest) == len(pending):  # a cycle: show the rest at the top level
                for row in rest:
                    self._append(root, row)
                break
            pending = rest

    @staticmethod
    def _append(parent: QStandardItem, row: queries.UnitRow) -> QStandardItem:
        item = QStandardItem(row.name)
        item.setData(row.id, IdRole)
        item.setData(row.owner, OwnerRole)
        parent.appendRow([item, QStandardItem(row.type_label), QStandardItem(row.head),
                          QStandardItem(format_number(row.households)
                                        if row.households is not None else "")])
        return item

    def shown_table(self):
        """The tree as shown (visible columns, nesting as indents), for paper and Excel.

        The station's own row heads the tree and is left out; at a province, where
        the tree holds one branch per station, each station's row is kept.
        """
        from core.documents.list_print import ListTable
        header = self.view.header()
        columns = [header.logicalIndex(v) for v in range(header.count())
                   if not header.isSectionHidden(header.logicalIndex(v))]
        branches = self.model.rowCount()
        rows, indents = [], []

        def walk(parent, depth: int) -> None:
            for r in range(self.model.rowCount(parent)):
                index = self.model.index(r, 0, parent)
                if depth >= 0:
                    rows.append(tuple(str(self.model.index(r, c, parent).data() or "")
                                      for c in columns))
                    indents.append(depth)
                walk(index, depth + 1)

        walk(QModelIndex(), 0 if branches > 1 else -1)
        kinds = ["number" if c == 3 else "text" for c in columns]
        owner = self.owner_filter.currentText() if self.owner_filter is not None and \
            self.owner_filter.value() else ""
        return ListTable("Danh sách đơn vị", [self.model.headerData(c, Qt.Horizontal)
                                              for c in columns], rows, kinds,
                         [owner] if owner else [], indents)

    def print_current(self) -> None:
        """Print the unit tree as shown (Ctrl+P)."""
        from ui import list_export
        table = self.shown_table()
        list_export.print_table(self, self.ctx, table.title, lambda _ctx, _check: table)

    def export_current(self, target: str | None = None) -> None:
        """Export the unit tree as shown to an Excel workbook."""
        from ui import list_export
        table = self.shown_table()
        list_export.export_table(self, self.ctx, table.title, lambda _ctx, _check: table,
                                 target)

    def owned(self, unit_id: str | None) -> bool:
        """True when this station may change the unit (not a copy of a commune's)."""
        if not unit_id:
            return True
        return queries.owner_of(self.ctx.db, "units", unit_id) in (self.ctx.station.code, "")

    def _sync_owned(self) -> None:
        """Another station's unit opens read-only (“Xem”) and cannot be deleted or extended."""
        unit_id = self.selected_id()
        mine = self.owned(unit_id)
        sync_owned_buttons(self.edit_button, self.delete_button, unit_id is not None, mine,
                           may_edit(self.window_))
        self.sub_button.setEnabled(mine)

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
        """Add a unit below the selected one (only below this station's own units)."""
        if self.owned(self.selected_id()):
            self.add_record(self.selected_id())

    def edit_selected(self) -> None:
        """Edit the selected unit (read-only when it is another station's)."""
        unit_id = self.selected_id()
        if not unit_id:
            return
        form = UnitForm(self.ctx, unit_id, self)
        banner = view_only_banner(self.ctx, queries.owner_of(self.ctx.db, "units", unit_id))
        if banner:
            form.set_read_only(banner)
        self._run_form(form)

    def _run_form(self, form: UnitForm) -> None:
        if form.exec() == QDialog.DialogCode.Accepted and form.record_id:
            self.window_.data_changed(form.changes.tables() if form.changes else self.tables)
            self.select_id(form.record_id)
            recycle_bin.offer_save_undo(self, form, "đơn vị", form.name.text())

    def delete_selected(self) -> None:
        """Delete the selected unit after asking (see :mod:`ui.recycle_bin`)."""
        unit_id = self.selected_id()
        if not unit_id:
            return
        if not self.owned(unit_id):
            owner = queries.owner_of(self.ctx.db, "units", unit_id)
            dialogs.show_error(self, f"Đơn vị này thuộc {queries.station_name(self.ctx.db, owner)}"
                                     " (nhận qua gói dữ liệu) nên chỉ xem được, không xóa ở "
                                     "đây. Đơn vị đó sửa trên máy của mình rồi gửi tệp mới.")
            return
        recycle_bin.delete_with_question(self, unit_id, "đơn vị")
