"""The commendation form: a person, a model or a unit; form, authority, decision."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QStackedWidget

from core import queries
from core.catalog import AUTHORITIES, COMMENDATION_FORMS
from core.errors import FieldError
from core.records import Commendation
from core.repos.activities import CommendationRepo
from core.services import activities
from ui.forms.pickers import PersonPicker
from ui.widgets import ChoiceCombo, DateEdit, FormDialog

KINDS = [("Cá nhân (thành viên)", "person"), ("Tập thể: mô hình", "model"),
         ("Tập thể: đơn vị", "unit")]


class CommendationForm(FormDialog):
    """Add or edit a commendation."""

    def __init__(self, ctx, item_id: str | None = None, parent=None):
        super().__init__(ctx, "Sửa khen thưởng" if item_id else "Thêm khen thưởng", parent)
        self.item = CommendationRepo(ctx.store).get(item_id) if item_id else Commendation()
        self.person_id: str | None = None
        self.kind = self.add_field("recipient_kind", "Đối tượng:", ChoiceCombo(KINDS, self))
        self.recipient = self.add_field("recipient_id", "Được khen:", self._recipient_box())
        self.form_kind = self.add_field("form", "Hình thức:", ChoiceCombo(
            [(i.label, i.code) for i in COMMENDATION_FORMS.items], self))
        self.authority = self.add_field("authority", "Cấp khen:", QComboBox(self))
        self.authority.setEditable(True)
        self.authority.addItems([i.label for i in AUTHORITIES.items])
        self.decision_no = self.add_field("decision_no", "Số quyết định:", QLineEdit(self))
        self.decision_date = self.add_field("decision_date", "Ngày quyết định:", DateEdit(self))
        self.achievement = self.add_field("achievement", "Thành tích:", QLineEdit(self))
        self.register_no = self.add_field("register_no", "Số vào sổ:", QLineEdit(self))
        self.notes = self.add_field("notes", "Ghi chú:", QLineEdit(self))
        self.kind.currentIndexChanged.connect(lambda _: self.recipient.setCurrentIndex(
            self.kind.currentIndex()))
        self._load()

    def _recipient_box(self) -> QStackedWidget:
        stack = QStackedWidget(self)
        person_box = PersonPicker(self.ctx, stack, limit=20)
        self.person_label = QLabel("Chưa chọn người được khen.", person_box)
        person_box.layout().addWidget(self.person_label)
        person_box.picked.connect(self.set_person)
        person_box.search.returnPressed.connect(person_box.pick_first)
        self.person_picker = person_box
        self.model_choice = ChoiceCombo(
            [(n, i) for i, n, _ in queries.model_choices(self.ctx.db)], stack)
        self.unit_choice = ChoiceCombo(
            queries.unit_choices(self.ctx.db), stack)
        for widget in (person_box, self.model_choice, self.unit_choice):
            stack.addWidget(widget)
        return stack

    def set_person(self, person_id: str) -> None:
        """Choose the person being commended."""
        self.person_id = person_id
        name = queries.names_of(self.ctx.db, "persons", [person_id]).get(person_id, "")
        self.person_label.setText(f"Người được khen: {name}")

    def _load(self) -> None:
        c = self.item
        self.kind.set_value(c.recipient_kind)
        self.recipient.setCurrentIndex(self.kind.currentIndex())
        if c.recipient_kind == "person" and c.recipient_id:
            self.set_person(c.recipient_id)
        elif c.recipient_kind == "model":
            self.model_choice.set_value(c.recipient_id)
        elif c.recipient_kind == "unit":
            self.unit_choice.set_value(c.recipient_id)
        self.form_kind.set_value(c.form)
        self.authority.setCurrentText(AUTHORITIES.label(c.authority) if c.authority else "")
        self.decision_no.setText(c.decision_no)
        self.decision_date.set_value(c.decision_date)
        self.achievement.setText(c.achievement)
        self.register_no.setText(c.register_no)
        self.notes.setText(c.notes)

    def save(self) -> str | None:
        """Save the commendation through the activities service."""
        errors: list[FieldError] = []
        c = self.item
        c.recipient_kind = self.kind.value()
        c.recipient_id = {"person": self.person_id or "", "model": self.model_choice.value(),
                          "unit": self.unit_choice.value()}[c.recipient_kind] or ""
        c.form = self.form_kind.value()
        c.authority = self.authority.currentText()
        c.decision_no = self.decision_no.text()
        c.decision_date = self.read_date(errors, "decision_date", self.decision_date) or ""
        c.achievement = self.achievement.text()
        c.register_no = self.register_no.text()
        c.notes = self.notes.text()
        if errors:
            self.fail(errors, activities.validate_commendation, c)
        item_id, self.changes = activities.save_commendation(self.ctx, c)
        return item_id
