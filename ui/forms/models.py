"""The model form: several units, status, decision, advanced-example flag."""
from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLineEdit

from core import queries
from core.catalog import MODEL_STATUSES
from core.errors import FieldError
from core.records import Model
from core.repos.models import ModelRepo, model_types
from core.services import models as model_service
from ui.widgets import CheckList, ChoiceCombo, DateEdit, FormDialog


class ModelForm(FormDialog):
    """Add or edit a movement model (mô hình)."""

    def __init__(self, ctx, model_id: str | None = None, parent=None):
        super().__init__(ctx, "Sửa mô hình" if model_id else "Thêm mô hình", parent)
        self.model = ModelRepo(ctx.store).get(model_id) if model_id else Model()
        self.name = self.add_field("name", "Tên mô hình:", QLineEdit(self))
        self.type = self.add_field("type", "Loại mô hình:", ChoiceCombo(
            [(i.label, i.code) for i in model_types(ctx.db).items], self))
        self.units = self.add_field("unit_ids", "Hoạt động tại:", CheckList(self))
        # at a province a commune's unit says whose
        labels = {uid: label for label, uid in queries.unit_choices(ctx.db)}
        self.units.set_items([(f"{labels.get(u.id, u.name)} ({u.type_label})", u.id)
                              for u in queries.unit_rows(ctx.db)], self.model.unit_ids)
        self.units.setMaximumHeight(140)
        self.status = self.add_field("status", "Tình trạng:", ChoiceCombo(
            [(i.label, i.code) for i in MODEL_STATUSES.items], self))
        self.decision_no = self.add_field("decision_no", "Số quyết định thành lập:",
                                          QLineEdit(self))
        self.decision_date = self.add_field("decision_date", "Ngày quyết định:", DateEdit(self))
        self.launch_date = self.add_field("launch_date", "Ngày ra mắt:", DateEdit(self))
        self.advanced = self.add_field("advanced", "", QCheckBox(
            "Mô hình điển hình tiên tiến", self))
        self.advanced_by = self.add_field("advanced_by", "Cấp công nhận điển hình:",
                                          QLineEdit(self))
        self.funding = self.add_field("funding", "Kinh phí, hỗ trợ:", QLineEdit(self))
        self.notes = self.add_field("notes", "Ghi chú:", QLineEdit(self))
        self._load()

    def _load(self) -> None:
        m = self.model
        self.name.setText(m.name)
        self.type.set_value(m.type)
        self.status.set_value(m.status)
        self.decision_no.setText(m.decision_no)
        self.decision_date.set_value(m.decision_date)
        self.launch_date.set_value(m.launch_date)
        self.advanced.setChecked(m.advanced)
        self.advanced_by.setText(m.advanced_by)
        self.funding.setText(m.funding)
        self.notes.setText(m.notes)

    def save(self) -> str | None:
        """Save the model through the model service."""
        errors: list[FieldError] = []
        m = self.model
        m.name = self.name.text()
        m.type = self.type.value()
        m.unit_ids = self.units.checked()
        m.status = self.status.value()
        m.decision_no = self.decision_no.text()
        m.decision_date = self.read_date(errors, "decision_date", self.decision_date)
        m.launch_date = self.read_date(errors, "launch_date", self.launch_date)
        m.advanced = self.advanced.isChecked()
        m.advanced_by = self.advanced_by.text()
        m.funding = self.funding.text()
        m.notes = self.notes.text()
        if errors:
            self.fail(errors, model_service.validate, m)
        model_id, self.changes = model_service.save(self.ctx, m)
        return model_id
