"""The event form, with a named attendance list picked from the members."""
from __future__ import annotations


from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QListWidget, QListWidgetItem, QPushButton, \
    QSpinBox, QVBoxLayout, QWidget

from core import queries
from core.activity import local_today
from core.catalog import EVENT_TYPES
from core.errors import FieldError
from core.records import Event
from core.repos.activities import EventRepo
from core.services import activities
from ui.forms.pickers import PersonPicker
from ui.widgets import CheckList, ChoiceCombo, DateEdit, FormDialog


class EventForm(FormDialog):
    """Add or edit an event; the participant count never goes below the attendance."""

    def __init__(self, ctx, event_id: str | None = None, parent=None):
        super().__init__(ctx, "Sửa sự kiện" if event_id else "Thêm sự kiện", parent)
        self.setMinimumWidth(720)
        self.record = EventRepo(ctx.store).get(event_id) if event_id else Event(
            date=local_today().isoformat())
        self.date = self.add_field("date", "Ngày tổ chức:", DateEdit(self))
        self.type = self.add_field("type", "Loại sự kiện:", ChoiceCombo(
            [(i.label, i.code) for i in EVENT_TYPES.items], self))
        self.title = self.add_field("title", "Nội dung:", QLineEdit(self))
        self.unit = self.add_field("unit_id", "Đơn vị:", ChoiceCombo(
            [("", None)] + [(u.name, u.id) for u in queries.unit_rows(ctx.db)], self))
        self.models = self.add_field("model_ids", "Mô hình liên quan:", CheckList(self))
        self.models.set_items([(name, mid) for mid, name, _ in queries.model_choices(ctx.db)],
                              self.record.model_ids)
        self.models.setMaximumHeight(90)
        self.organiser = self.add_field("organiser", "Đơn vị tổ chức:", QLineEdit(self))
        self.attendees = self.add_field("attendee_ids", "Điểm danh:", self._attendance_box())
        self.participants = self.add_field("participants", "Số lượt người tham gia:",
                                           QSpinBox(self))
        self.participants.setRange(0, 1_000_000)
        self.notes = self.add_field("notes", "Ghi chú:", QLineEdit(self))
        self._load()

    def _attendance_box(self) -> QWidget:
        box = QWidget(self)
        layout = QHBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.picker = PersonPicker(self.ctx, box)
        self.picker.picked.connect(self.add_attendee)
        self.picker.search.returnPressed.connect(self.picker.pick_first)
        right = QVBoxLayout()
        self.attendee_list = QListWidget(box)
        self.attendee_list.setMaximumHeight(140)
        remove = QPushButton("Bỏ người đã chọn", box)
        remove.setAutoDefault(False)
        remove.clicked.connect(self.remove_attendee)
        right.addWidget(self.attendee_list)
        right.addWidget(remove)
        layout.addWidget(self.picker)
        layout.addLayout(right)
        return box

    def _load(self) -> None:
        e = self.record
        self.date.set_value(e.date)
        self.type.set_value(e.type)
        self.title.setText(e.title)
        self.unit.set_value(e.unit_id)
        self.organiser.setText(e.organiser)
        self.notes.setText(e.notes)
        names = queries.names_of(self.ctx.db, "persons", e.attendee_ids)
        for person_id in e.attendee_ids:
            self._append_attendee(person_id, names.get(person_id, ""))
        self._sync_minimum()
        self.participants.setValue(e.participants)

    def attendee_ids(self) -> list[str]:
        """Ids of the persons on the attendance list."""
        return [self.attendee_list.item(i).data(Qt.UserRole)
                for i in range(self.attendee_list.count())]

    def _append_attendee(self, person_id: str, name: str) -> None:
        item = QListWidgetItem(name, self.attendee_list)
        item.setData(Qt.UserRole, person_id)

    def add_attendee(self, person_id: str) -> None:
        """Put a member on the attendance list (once)."""
        if person_id in self.attendee_ids():
            return
        name = queries.names_of(self.ctx.db, "persons", [person_id]).get(person_id, "")
        self._append_attendee(person_id, name)
        self._sync_minimum()

    def remove_attendee(self) -> None:
        """Take the selected person off the attendance list."""
        for item in self.attendee_list.selectedItems():
            self.attendee_list.takeItem(self.attendee_list.row(item))
        self._sync_minimum()

    def _sync_minimum(self) -> None:
        """The participant count cannot go below the number of named attendees."""
        self.participants.setMinimum(self.attendee_list.count())

    def save(self) -> str | None:
        """Save the event through the activities service."""
        errors: list[FieldError] = []
        e = self.record
        e.date = self.read_date(errors, "date", self.date) or ""
        e.type = self.type.value()
        e.title = self.title.text()
        e.unit_id = self.unit.value()
        e.model_ids = self.models.checked()
        e.organiser = self.organiser.text()
        e.attendee_ids = self.attendee_ids()
        e.participants = self.participants.value()
        e.notes = self.notes.text()
        if errors:
            self.fail(errors, activities.validate_event, e)
        event_id, self.changes = activities.save_event(self.ctx, e)
        return event_id
