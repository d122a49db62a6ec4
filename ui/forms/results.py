"""The result form (tin báo, vụ việc, hòa giải, …)."""
from __future__ import annotations


from PySide6.QtWidgets import QLineEdit, QSpinBox

from core import queries
from core.activity import local_today
from core.catalog import RESULT_TYPES
from core.errors import FieldError
from core.records import Result
from core.repos.activities import ResultRepo
from core.services import activities
from ui.widgets import ChoiceCombo, DateEdit, FormDialog, clear_on_change


class ResultForm(FormDialog):
    """Add or edit a result of the movement."""

    def __init__(self, ctx, result_id: str | None = None, parent=None):
        super().__init__(ctx, "Sửa kết quả" if result_id else "Thêm kết quả", parent)
        self.record = ResultRepo(ctx.store).get(result_id) if result_id else Result(
            date=local_today().isoformat(), quantity=1)
        self.date = self.add_field("date", "Ngày:", DateEdit(self))
        self.type = self.add_field("type", "Loại kết quả:", ChoiceCombo(
            [(i.label, i.code) for i in RESULT_TYPES.items], self))
        self.quantity = self.add_field("quantity", "Số lượng:", QSpinBox(self))
        self.quantity.setRange(0, 1_000_000)
        self.unit = self.add_field("unit_id", "Đơn vị:", ChoiceCombo(
            [("", None)] + queries.unit_choices(ctx.db), self))
        self.model = self.add_field("model_id", "Mô hình:", ChoiceCombo(
            [("", None)] + [(n, i) for i, n, _ in queries.model_choices(ctx.db)], self))
        self.description = self.add_field("description", "Mô tả:", QLineEdit(self))
        # “a unit or a model” is shown under the unit; choosing a model answers it too
        clear_on_change(self.model, self.error_label("unit_id"))
        r = self.record
        self.date.set_value(r.date)
        self.type.set_value(r.type)
        self.quantity.setValue(r.quantity)
        self.unit.set_value(r.unit_id)
        self.model.set_value(r.model_id)
        self.description.setText(r.description)

    def save(self) -> str | None:
        """Save the result through the activities service."""
        errors: list[FieldError] = []
        r = self.record
        r.date = self.read_date(errors, "date", self.date) or ""
        r.type = self.type.value()
        r.quantity = self.quantity.value()
        r.unit_id = self.unit.value()
        r.model_id = self.model.value()
        r.description = self.description.text()
        if errors:
            self.fail(errors, activities.validate_result, r)
        result_id, self.changes = activities.save_result(self.ctx, r)
        return result_id
