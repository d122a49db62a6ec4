"""The unit form, with the unit's yearly registration and recognition."""
from __future__ import annotations


from PySide6.QtWidgets import QCheckBox, QGroupBox, QFormLayout, QLineEdit, QSpinBox

from core import queries
from core.activity import local_today
from core.catalog import UNIT_TYPES
from core.errors import FieldError
from core.records import Unit, UnitYear
from core.repos.units import UnitRepo, UnitYearRepo
from core.services import units as unit_service
from ui.widgets import ChoiceCombo, DateEdit, FormDialog, number_text


class UnitForm(FormDialog):
    """Add or edit a unit (khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục)."""

    def __init__(self, ctx, unit_id: str | None = None, parent=None,
                 parent_unit_id: str | None = None):
        super().__init__(ctx, "Sửa đơn vị" if unit_id else "Thêm đơn vị", parent)
        self.unit = UnitRepo(ctx.store).get(unit_id) if unit_id else Unit(
            parent_id=parent_unit_id)
        self.name = self.add_field("name", "Tên đơn vị:", QLineEdit(self))
        self.type = self.add_field("type", "Loại:", ChoiceCombo(
            [(i.label, i.code) for i in UNIT_TYPES.items], self))
        parents = [("(Trực thuộc " + ctx.station.name + ")", None)] + [
            (label, uid) for label, uid in queries.unit_choices(ctx.db) if uid != unit_id]
        self.parent_unit = self.add_field("parent_id", "Thuộc:", ChoiceCombo(parents, self))
        self.address = self.add_field("address", "Địa chỉ:", QLineEdit(self))
        self.head = self.add_field("head", "Người đứng đầu:", QLineEdit(self))
        self.phone = self.add_field("phone", "Điện thoại:", QLineEdit(self))
        self.households = self.add_field("households", "Số hộ:", QLineEdit(self))
        self.notes = self.add_field("notes", "Ghi chú:", QLineEdit(self))
        self._add_year_box()
        self._load()

    def _add_year_box(self) -> None:
        box = QGroupBox("Đăng ký, công nhận “An toàn về an ninh, trật tự”", self)
        form = QFormLayout(box)
        self.year = QSpinBox(box)
        self.year.setRange(2000, 2100)
        self.year.setGroupSeparatorShown(False)
        self.year.setValue(local_today().year)
        self.registered = QCheckBox("Đã đăng ký", box)
        self.recognised = QCheckBox("Được công nhận đạt chuẩn", box)
        self.decision_no = QLineEdit(box)
        self.decision_date = DateEdit(box)
        form.addRow("Năm:", self.year)
        form.addRow("", self.registered)
        form.addRow("", self.recognised)
        form.addRow("Số quyết định công nhận:", self.decision_no)
        form.addRow("Ngày quyết định:", self.decision_date)
        self.extra.addWidget(box)
        self.year.valueChanged.connect(self._load_year)
        self.browse_widgets = (self.year,)        # choosing the year shown stays possible

    def _load(self) -> None:
        unit = self.unit
        self.name.setText(unit.name)
        self.type.set_value(unit.type)
        self.parent_unit.set_value(unit.parent_id)
        self.address.setText(unit.address)
        self.head.setText(unit.head)
        self.phone.setText(unit.phone)
        self.households.setText(number_text(unit.households))
        self.notes.setText(unit.notes)
        self._load_year()

    def _load_year(self) -> None:
        entry = None
        if self.unit.id:
            entry = UnitYearRepo(self.ctx.store).for_unit(self.unit.id, self.year.value())
        entry = entry or UnitYear()
        self.registered.setChecked(entry.registered)
        self.recognised.setChecked(entry.recognised)
        self.decision_no.setText(entry.decision_no)
        self.decision_date.set_value(entry.decision_date)

    def save(self) -> str | None:
        """Save the unit and its entry for the chosen year in one transaction."""
        errors: list[FieldError] = []
        unit = self.unit
        unit.name = self.name.text()
        unit.type = self.type.value()
        unit.parent_id = self.parent_unit.value()
        unit.address = self.address.text()
        unit.head = self.head.text()
        unit.phone = self.phone.text()
        unit.households = self.read_int(errors, "households", self.households)
        unit.notes = self.notes.text()
        decision_date = self.read_date(errors, "", self.decision_date)
        if errors:
            self.fail(errors, unit_service.validate, unit)
        with self.ctx.store.transaction() as changes:
            unit_id, _ = unit_service.save(self.ctx, unit)
            if self.registered.isChecked() or self.recognised.isChecked() or self.unit.id:
                self._save_year(unit_id, decision_date)
        self.changes = changes
        return unit_id

    def _save_year(self, unit_id: str, decision_date: str | None) -> None:
        existing = UnitYearRepo(self.ctx.store).for_unit(unit_id, self.year.value())
        if existing is None and not (self.registered.isChecked() or self.recognised.isChecked()):
            return
        unit_service.set_year(self.ctx, UnitYear(
            unit_id=unit_id, year=self.year.value(), registered=self.registered.isChecked(),
            recognised=self.recognised.isChecked(), decision_no=self.decision_no.text(),
            decision_date=decision_date))
