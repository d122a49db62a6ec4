"""The attendance part of the event form: whole models at once, a search, counts.

Left: “Thêm cả mô hình” (the event's own models offered first, with how many
members are active in each) and a search box over every person (name without
diacritics, CCCD or phone, as in the member list). Right: who attended, each
with birth year and thôn so that namesakes are told apart, with “Bỏ người đã
chọn” (or Delete) and “Bỏ tất cả”, and the count. A model of several hundred
members goes in with a few set queries (:mod:`core.services.attendance`).
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QGridLayout, QHBoxLayout, QLabel, QListWidget,
                               QListWidgetItem, QPushButton, QVBoxLayout, QWidget)

from core import queries
from core.services import attendance
from core.text import format_number
from ui.forms.pickers import SearchLine
from ui.widgets import ChoiceCombo, DeleteKeyFilter

DEBOUNCE_MS = 150
MATCHES = 40
RELATED = " (liên quan)"
CHOOSE = "Chọn mô hình…"


class AttendancePanel(QWidget):
    """Who attended an event; emits ``changed(count)`` after every change."""

    changed = Signal(int)

    def __init__(self, ctx, attendee_ids: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._ids: set[str] = set()
        self._related: list[str] = []
        self._counts: dict[str, int] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addLayout(self._model_row(), 0, 0, 1, 2)
        grid.addLayout(self._search_side(), 1, 0)
        grid.addLayout(self._list_side(), 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh_matches)
        self.search.textChanged.connect(lambda _: self._timer.start())
        self.search.returnPressed.connect(self.add_first_match)
        self.add_ids(attendee_ids)
        self.refresh_matches()

    # -- building -------------------------------------------------------------

    def _model_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.model_label = QLabel("Thêm cả mô hình:", self)
        row.addWidget(self.model_label)
        self.model_combo = ChoiceCombo([], self)
        self.model_combo.setMinimumContentsLength(28)
        self.model_combo.currentIndexChanged.connect(lambda _: self._sync_model_button())
        row.addWidget(self.model_combo, 1)
        self.add_model_button = QPushButton("Thêm thành viên", self)
        self.add_model_button.setAutoDefault(False)
        self.add_model_button.setToolTip("Thêm mọi người đang tham gia mô hình đã chọn "
                                         "(người đã có trong danh sách không bị lặp)")
        self.add_model_button.clicked.connect(self.add_chosen_model)
        row.addWidget(self.add_model_button)
        self._fill_models()
        return row

    def _search_side(self) -> QVBoxLayout:
        side = QVBoxLayout()
        self.search = SearchLine(self)
        self.search.setPlaceholderText("Tìm người: tên không cần dấu, CCCD, điện thoại…")
        self.search.setClearButtonEnabled(True)
        self.matches = QListWidget(self)
        self.matches.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.matches.setMinimumHeight(190)
        self.matches.itemActivated.connect(lambda item: self.add_ids([item.data(Qt.UserRole)]))
        self.add_match_button = QPushButton("Thêm người đã chọn →", self)
        self.add_match_button.setAutoDefault(False)
        self.add_match_button.clicked.connect(self.add_selected_matches)
        self.hint = QLabel("Enter hoặc nhấp đúp để thêm.", self)
        self.hint.setStyleSheet("color: #555;")
        side.addWidget(self.search)
        side.addWidget(self.matches, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.hint, 1)
        buttons.addWidget(self.add_match_button)
        side.addLayout(buttons)
        return side

    def _list_side(self) -> QVBoxLayout:
        side = QVBoxLayout()
        self.count_label = QLabel(self)
        self.count_label.setStyleSheet("font-weight: bold;")
        self.attendees = QListWidget(self)
        self.attendees.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.attendees.setMinimumHeight(190)
        self.attendees.installEventFilter(DeleteKeyFilter(self.attendees, self.remove_selected))
        self.remove_button = QPushButton("Bỏ người đã chọn", self)
        self.remove_button.setAutoDefault(False)
        self.remove_button.setToolTip("Bỏ khỏi danh sách điểm danh (phím Delete)")
        self.remove_button.clicked.connect(self.remove_selected)
        self.clear_button = QPushButton("Bỏ tất cả", self)
        self.clear_button.setAutoDefault(False)
        self.clear_button.clicked.connect(self.remove_all)
        side.addWidget(self.count_label)
        side.addWidget(self.attendees, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.clear_button)
        side.addLayout(buttons)
        return side

    # -- the models -------------------------------------------------------------

    def _fill_models(self, prefer: str | None = None) -> None:
        """The event's models first (marked), then every other model, by name."""
        choices = queries.model_choices(self.ctx.db)
        names = {mid: name for mid, name, _ in choices}
        related = [m for m in self._related if m in names]
        self._counts = attendance.model_member_counts(self.ctx, related)
        items = [(CHOOSE, None)] + [(f"{names[m]}{RELATED}", m) for m in related]
        items += [(name, mid) for mid, name, _ in choices if mid not in related]
        current = prefer or (related[0] if related else self.model_combo.value())
        self.model_combo.set_items(items)
        self.model_combo.set_value(current)
        self._sync_model_button()

    def set_related_models(self, model_ids: list[str]) -> None:
        """The event's ticked models: offered first; the one just ticked is chosen."""
        if list(model_ids) == self._related:
            return
        ticked = [m for m in model_ids if m not in self._related]
        self._related = list(model_ids)
        self._fill_models(ticked[0] if ticked else None)

    def _sync_model_button(self) -> None:
        model_id = self.model_combo.value()
        if model_id is None:
            self.add_model_button.setText("Thêm thành viên")
            self.add_model_button.setEnabled(False)
            return
        if model_id not in self._counts:
            self._counts.update(attendance.model_member_counts(self.ctx, [model_id]))
        count = self._counts.get(model_id, 0)
        self.add_model_button.setText(f"Thêm {format_number(count)} thành viên")
        self.add_model_button.setEnabled(count > 0)

    def add_chosen_model(self) -> int:
        """Add every active member of the chosen model; return how many were new."""
        model_id = self.model_combo.value()
        if model_id is None:
            return 0
        return self.add_ids(attendance.model_member_ids(self.ctx, model_id))

    # -- the search ---------------------------------------------------------------

    def refresh_matches(self) -> None:
        """Show the persons matching the search box (already listed ones greyed)."""
        self.matches.clear()
        found = attendance.find(self.ctx, self.search.text(), limit=MATCHES)
        for person, label in zip(found, attendance.labels(found)):
            item = QListWidgetItem(label, self.matches)
            item.setData(Qt.UserRole, person.person_id)
            if person.person_id in self._ids:
                item.setForeground(Qt.gray)
                item.setToolTip("Đã có trong danh sách điểm danh")

    def add_first_match(self) -> str | None:
        """Enter in the search box: add the first match."""
        if self.matches.count() == 0:
            return None
        person_id = self.matches.item(0).data(Qt.UserRole)
        self.add_ids([person_id])
        return person_id

    def add_selected_matches(self) -> int:
        """Add the matches selected on the left."""
        return self.add_ids([item.data(Qt.UserRole) for item in self.matches.selectedItems()])

    # -- the list -------------------------------------------------------------

    def ids(self) -> list[str]:
        """Ids on the attendance list, in list order."""
        return [self.attendees.item(i).data(Qt.UserRole) for i in range(self.attendees.count())]

    def add_ids(self, person_ids: list[str]) -> int:
        """Put persons on the list (once each), kept in name order; return how many were new."""
        new = [p for p in dict.fromkeys(person_ids) if p and p not in self._ids]
        if new:
            ordered = attendance.in_name_order(self.ctx, [*self.ids(), *new])
            described = attendance.describe(self.ctx, ordered)
            self.attendees.setUpdatesEnabled(False)
            self.attendees.clear()
            people = [described[p] for p in ordered]
            for person_id, label in zip(ordered, attendance.labels(people)):
                item = QListWidgetItem(label)
                item.setData(Qt.UserRole, person_id)
                self.attendees.addItem(item)
            self.attendees.setUpdatesEnabled(True)
            self._ids = set(ordered)
            self._grey_matches()
        self._changed()
        return len(new)

    def remove_selected(self) -> int:
        """Take the selected persons off the list; return how many."""
        rows = sorted((self.attendees.row(i) for i in self.attendees.selectedItems()),
                      reverse=True)
        for row in rows:
            item = self.attendees.takeItem(row)
            self._ids.discard(item.data(Qt.UserRole))
        if rows:
            self._grey_matches()
            self._changed()
        return len(rows)

    def remove_all(self) -> None:
        """Empty the list."""
        self.attendees.clear()
        self._ids.clear()
        self._grey_matches()
        self._changed()

    def _grey_matches(self) -> None:
        for i in range(self.matches.count()):
            item = self.matches.item(i)
            listed = item.data(Qt.UserRole) in self._ids
            item.setForeground(Qt.gray if listed else self.palette().text().color())

    def _changed(self) -> None:
        count = self.attendees.count()
        self.count_label.setText(f"Đã điểm danh: {format_number(count)} người")
        self.remove_button.setEnabled(count > 0)
        self.clear_button.setEnabled(count > 0)
        self.changed.emit(count)

    def set_read_only(self) -> None:
        """Show who attended; nobody can change the list."""
        for widget in (self.search, self.matches, self.hint, self.add_match_button,
                       self.model_label, self.model_combo, self.add_model_button,
                       self.remove_button, self.clear_button):
            widget.hide()
