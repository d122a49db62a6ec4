"""“Gộp hai người”: the two persons side by side, the values that win, and what changes."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QDialog, QDialogButtonBox,
                               QHBoxLayout, QLabel, QRadioButton, QTableView, QVBoxLayout)

from core import queries
from core.errors import UserError
from core.repos.persons import PersonRepo
from core.services import merge
from core.text import format_date

WIN = QBrush(QColor("#dff0d8"))     # the value kept after the merge


def describe(person) -> str:
    """A person as the choice shows them: name, birth date, CCCD."""
    parts = [format_date(person.birth_date) if person.birth_date else "",
             person.id_number]
    extra = ", ".join(p for p in parts if p)
    return person.full_name + (f" ({extra})" if extra else "")


class MergeDialog(QDialog):
    """Choose which of two persons stays; see every value and link before merging."""

    def __init__(self, ctx, first_id: str, second_id: str, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.ids = (first_id, second_id)
        self.plan: merge.MergePlan | None = None
        self.result_id: str | None = None
        self.setWindowTitle("Gộp hai người thành một")
        self.setMinimumWidth(860)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Giữ lại hồ sơ của:", self))
        choice = QHBoxLayout()
        self.keep_choice = QButtonGroup(self)
        self.keep_buttons = []
        for index, person_id in enumerate(self.ids):
            person = PersonRepo(ctx.store).get(person_id)
            button = QRadioButton(describe(person), self)
            self.keep_choice.addButton(button, index)
            self.keep_buttons.append(button)
            choice.addWidget(button)
        choice.addStretch(1)
        layout.addLayout(choice)
        self.table = QStandardItemModel(0, 4, self)
        self.view = QTableView(self)
        self.view.setModel(self.table)
        self.view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.view.setSelectionMode(QAbstractItemView.NoSelection)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setWordWrap(False)
        self.view.setMinimumHeight(260)
        layout.addWidget(self.view, 1)
        self.links = QLabel(self)
        self.links.setWordWrap(True)
        layout.addWidget(self.links)
        self.changes = QLabel(self)
        self.changes.setWordWrap(True)
        self.changes.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.changes)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.buttons.button(QDialogButtonBox.Ok).setText("Gộp")
        self.buttons.button(QDialogButtonBox.Cancel).setText("Hủy")
        self.buttons.accepted.connect(self.do_merge)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.keep_buttons[0].setChecked(True)
        self.show_plan()        # a merge that cannot be done raises here, before showing
        self.keep_choice.idToggled.connect(self._choice_toggled)

    def _choice_toggled(self, _id: int, on: bool) -> None:
        if not on:
            return
        try:
            self.show_plan()
        except UserError as exc:
            from ui import dialogs
            dialogs.show_error(self, str(exc))

    @property
    def keep_id(self) -> str:
        """The person chosen to stay."""
        return self.ids[max(0, self.keep_choice.checkedId())]

    @property
    def gone_id(self) -> str:
        """The person merged into the other."""
        return self.ids[1] if self.keep_id == self.ids[0] else self.ids[0]

    def show_plan(self) -> None:
        """Fill the comparison for the current choice (raises UserError when refused)."""
        self.plan = plan = merge.plan_merge(self.ctx, self.keep_id, self.gone_id)
        self.table.clear()
        self.table.setHorizontalHeaderLabels(
            ["Thông tin", f"Giữ lại: {plan.keep.full_name}",
             f"Gộp vào: {plan.gone.full_name}", "Sau khi gộp"])
        units = queries.names_of(self.ctx.db, "units", [
            v for c in plan.fields if c.field == "residence_unit_id"
            for v in (c.keep, c.gone) if v])
        for choice in plan.fields:
            if choice.keep in (None, "") and choice.gone in (None, ""):
                continue
            values = [self._text(choice.field, v, units)
                      for v in (choice.keep, choice.gone, choice.result)]
            row = [QStandardItem(choice.label)] + [QStandardItem(v) for v in values]
            winner = {"keep": 1, "gone": 2}.get(choice.source)
            if winner is not None:
                row[winner].setBackground(WIN)
            if choice.changed:
                font = QFont()
                font.setBold(True)
                row[3].setFont(font)
            self.table.appendRow(row)
        for column, width in enumerate((170, 230, 230)):
            self.view.setColumnWidth(column, width)
        self.links.setText(self._links_text(plan))
        lines = plan.changes_text()
        self.changes.setText(
            "Thay đổi ở hồ sơ giữ lại:\n• " + "\n• ".join(lines) if lines
            else "Hồ sơ giữ lại không thay đổi giá trị nào.")

    @staticmethod
    def _text(field: str, value: object, units: dict[str, str]) -> str:
        if field == "residence_unit_id":
            return units.get(str(value), "") if value else ""
        return merge.show(field, value)

    @staticmethod
    def _links_text(plan: merge.MergePlan) -> str:
        parts = []
        if plan.moved_memberships:
            parts.append(f"{plan.moved_memberships} lần tham gia mô hình chuyển sang")
        if plan.joined_memberships:
            parts.append("gộp chung lần tham gia " + ", ".join(
                f"“{name}”" for name in plan.joined_memberships))
        if plan.events:
            parts.append(f"{plan.events} sự kiện có điểm danh")
        if plan.commendations:
            parts.append(f"{plan.commendations} khen thưởng")
        head = (f"Của “{plan.gone.full_name}”: " + "; ".join(parts) + "."
                if parts else f"“{plan.gone.full_name}” không có mô hình, điểm danh "
                              "hay khen thưởng nào.")
        return (head + " Hồ sơ kia được đánh dấu “đã gộp” (lịch sử thay đổi vẫn giữ) và "
                "lần nhập danh sách sau sẽ nhận về hồ sơ giữ lại.")

    def do_merge(self) -> None:
        """“Gộp”: merge, then close; a refusal is shown and the dialog stays open."""
        from ui import dialogs
        try:
            result = merge.merge_persons(self.ctx, self.keep_id, self.gone_id)
        except UserError as exc:
            dialogs.show_error(self, str(exc))
            return
        self.changes_made = result.changes
        self.result_id = result.person_id
        self.accept()
