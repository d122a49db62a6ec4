"""The event form, with its named attendance list (ui.forms.attendance)."""
from __future__ import annotations


from PySide6.QtWidgets import QLineEdit, QSpinBox

from core import queries
from core.activity import local_today
from core.catalog import EVENT_TYPES
from core.errors import FieldError
from core.records import Event
from core.repos.activities import EventRepo
from core.services import activities
from ui.forms.attendance import AttendancePanel
from ui.widgets import CheckList, ChoiceCombo, DateEdit, FormDialog


class EventForm(FormDialog):
    """Add or edit an event; the participant count never goes below the attendance."""

    def __init__(self, ctx, event_id: str | None = None, parent=None):
        super().__init__(ctx, "Sửa sự kiện" if event_id else "Thêm sự kiện", parent)
        self.setMinimumWidth(980)      # the attendance lists side by side, labels whole
        self.record = EventRepo(ctx.store).get(event_id) if event_id else Event(
            date=local_today().isoformat())
        self.date = self.add_field("date", "Ngày tổ chức:", DateEdit(self))
        self.type = self.add_field("type", "Loại sự kiện:", ChoiceCombo(
            [(i.label, i.code) for i in EVENT_TYPES.items], self))
        self.title = self.add_field("title", "Nội dung:", QLineEdit(self))
        self.unit = self.add_field("unit_id", "Đơn vị:", ChoiceCombo(
            [("", None)] + queries.unit_choices(ctx.db), self))
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

    def _attendance_box(self) -> AttendancePanel:
        panel = AttendancePanel(self.ctx, self.record.attendee_ids, self)
        panel.changed.connect(lambda _: self._sync_minimum())
        self.models.itemChanged.connect(
            lambda _: panel.set_related_models(self.models.checked()))
        panel.set_related_models(self.models.checked())
        self.attendance = panel
        return panel

    def _load(self) -> None:
        e = self.record
        self.date.set_value(e.date)
        self.type.set_value(e.type)
        self.title.setText(e.title)
        self.unit.set_value(e.unit_id)
        self.organiser.setText(e.organiser)
        self.notes.setText(e.notes)
        self._sync_minimum()
        self.participants.setValue(e.participants)

    def attendee_ids(self) -> list[str]:
        """Ids of the persons on the attendance list."""
        return self.attendance.ids()

    def _sync_minimum(self) -> None:
        """The participant count cannot go below the number of named attendees."""
        self.participants.setMinimum(len(self.attendance.ids()))

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
