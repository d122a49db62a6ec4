"""The person form: personal details and memberships (one person, several models)."""
from __future__ import annotations

import copy

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QTableView, QVBoxLayout)

from core import queries
from core.catalog import GENDERS, role_choices, role_label
from core.errors import FieldError, ValidationError
from core.records import Membership, Person
from core.repos.models import model_types
from core.repos.persons import MembershipRepo, PersonRepo
from core.services import members, people
from core.text import format_date
from ui import dialogs
from ui.widgets import ERROR_STYLE, ChoiceCombo, DateEdit, EthnicityCombo, FormDialog


class MembershipDialog(FormDialog):
    """Edit one membership in memory; the person form saves it with the person."""

    def __init__(self, ctx, membership: Membership, parent=None):
        super().__init__(ctx, "Tham gia mô hình", parent)
        self.membership = membership
        choices = queries.model_choices(ctx.db)
        self.kinds = {mid: kind for mid, _, kind in choices}
        self.type_labels = model_types(ctx.db)
        self.model = self.add_field("model_id", "Mô hình:", ChoiceCombo(
            [(name, mid) for mid, name, _ in choices], self))
        self.role = self.add_field("role", "Chức vụ:", ChoiceCombo(role_choices(), self))
        self.join_date = self.add_field("join_date", "Ngày tham gia:", DateEdit(self))
        self.decision_no = self.add_field("decision_no", "Số quyết định:", QLineEdit(self))
        self.leave_date = self.add_field("leave_date", "Ngày thôi tham gia:", DateEdit(self))
        self.leave_reason = self.add_field("leave_reason", "Lý do thôi:", QLineEdit(self))
        self.model.set_value(membership.model_id)
        self._titles_for_model()
        self.model.currentIndexChanged.connect(self._titles_for_model)
        self.role.set_value(membership.role)
        self.join_date.set_value(membership.join_date)
        self.decision_no.setText(membership.decision_no)
        self.leave_date.set_value(membership.leave_date)
        self.leave_reason.setText(membership.leave_reason)

    def _titles_for_model(self) -> None:
        """The role list in the chosen model's titles (a câu lạc bộ: Chủ nhiệm, …)."""
        kind = self.kinds.get(self.model.value())
        self.role.set_items(role_choices(kind, self.type_labels.label(kind)))

    def save(self) -> str | None:
        """Check the dates and keep the values (nothing is written yet)."""
        errors: list[FieldError] = []
        m = self.membership
        m.model_id = self.model.value() or ""
        m.role = self.role.value()
        m.join_date = self.read_date(errors, "join_date", self.join_date)
        m.decision_no = self.decision_no.text()
        m.leave_date = self.read_date(errors, "leave_date", self.leave_date)
        m.leave_reason = self.leave_reason.text()
        if not m.model_id:
            errors.append(FieldError("model_id", "Hãy chọn mô hình."))
        if errors:
            raise ValidationError(errors)
        return m.model_id


class PersonForm(FormDialog):
    """Add or edit a member and the models they belong to."""

    def __init__(self, ctx, person_id: str | None = None, parent=None):
        super().__init__(ctx, "Sửa thành viên" if person_id else "Thêm thành viên", parent)
        self.setMinimumWidth(700)
        self.person = PersonRepo(ctx.store).get(person_id) if person_id else Person()
        self.memberships = MembershipRepo(ctx.store).of_person(person_id) if person_id else []
        self.removed: list[str] = []
        self.warnings: list[str] = []
        self.full_name = self.add_field("full_name", "Họ và tên:", QLineEdit(self))
        self.birth_date = self.add_field("birth_date", "Ngày sinh:", DateEdit(
            self, allow_year=True))
        self.gender = self.add_field("gender", "Giới tính:", ChoiceCombo(
            [("", None)] + [(i.label, i.code) for i in GENDERS.items], self))
        self.id_number = self.add_field("id_number", "Số định danh cá nhân:", QLineEdit(self))
        self.id_number.setPlaceholderText("12 chữ số")
        self.old_id_number = self.add_field("old_id_number", "Số CMND (cũ):", QLineEdit(self))
        self.old_id_number.setPlaceholderText("9 chữ số")
        self.phone = self.add_field("phone", "Điện thoại:", QLineEdit(self))
        self.address = self.add_field("address", "Nơi cư trú:", QLineEdit(self))
        self.residence_unit = self.add_field("residence_unit_id", "Khu dân cư:", ChoiceCombo(
            [("", None)] + queries.unit_choices(ctx.db), self))
        self.residence_since = self.add_field("residence_since", "Cư trú từ ngày:",
                                              DateEdit(self))
        self.ethnicity = self.add_field("ethnicity", "Dân tộc:", EthnicityCombo(self))
        self.religion = self.add_field("religion", "Tôn giáo:", QLineEdit(self))
        self.religion.setPlaceholderText("Không, Phật giáo, Công giáo, Tin lành, …")
        self.occupation = self.add_field("occupation", "Nghề nghiệp:", QLineEdit(self))
        self.notes = self.add_field("notes", "Ghi chú:", QLineEdit(self))
        self._add_membership_box()
        self._load()

    # -- memberships ----------------------------------------------------------

    def _add_membership_box(self) -> None:
        box = QGroupBox("Tham gia mô hình", self)
        layout = QVBoxLayout(box)
        self.membership_model = QStandardItemModel(0, 4, box)
        self.membership_model.setHorizontalHeaderLabels(
            ["Mô hình", "Chức vụ", "Ngày tham gia", "Ngày thôi"])
        self.membership_view = QTableView(box)
        self.membership_view.setModel(self.membership_model)
        self.membership_view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.membership_view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.membership_view.horizontalHeader().setStretchLastSection(True)
        self.membership_view.verticalHeader().hide()
        self.membership_view.setWordWrap(False)
        self.membership_view.setMinimumHeight(120)
        self.membership_view.setMaximumHeight(160)
        for column, width in enumerate((330, 110, 110)):
            self.membership_view.setColumnWidth(column, width)
        self.membership_view.doubleClicked.connect(lambda _: self.edit_membership())
        layout.addWidget(self.membership_view)
        self.membership_error = QLabel(box)
        self.membership_error.setStyleSheet(ERROR_STYLE)
        self.membership_error.setWordWrap(True)
        self.membership_error.hide()
        self._errors["memberships"] = self.membership_error
        layout.addWidget(self.membership_error)
        row = QHBoxLayout()
        self.membership_buttons = []
        for text, slot in (("Thêm vào mô hình…", self.add_membership),
                           ("Sửa…", self.edit_membership), ("Bỏ", self.remove_membership)):
            button = QPushButton(text, box)
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            row.addWidget(button)
            self.membership_buttons.append(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.extra.addWidget(box)

    def _fill_memberships(self) -> None:
        self.membership_error.clear()       # the list changed: its old error no longer holds
        self.membership_error.hide()
        names = queries.names_of(self.ctx.db, "models", [m.model_id for m in self.memberships])
        kinds = {mid: kind for mid, _, kind in queries.model_choices(self.ctx.db)}
        labels = model_types(self.ctx.db)
        self.membership_model.setRowCount(0)
        for m in self.memberships:
            kind = kinds.get(m.model_id)
            self.membership_model.appendRow([
                QStandardItem(names.get(m.model_id, "")),
                QStandardItem(role_label(m.role, kind, labels.label(kind))),
                QStandardItem(format_date(m.join_date)), QStandardItem(format_date(m.leave_date))])

    def add_membership(self) -> Membership | None:
        """Ask for a model and role and add the membership to the list."""
        membership = Membership(person_id=self.person.id or "")
        dialog = MembershipDialog(self.ctx, membership, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        self.memberships.append(membership)
        self._fill_memberships()
        return membership

    def _selected(self) -> int:
        rows = self.membership_view.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def set_read_only(self, banner: str) -> None:
        """Read-only, but each membership can still be opened (“Xem…”) to read it."""
        super().set_read_only(banner)
        view = self.membership_buttons[1]
        view.setText("Xem…")
        view.setEnabled(True)

    def edit_membership(self) -> None:
        """Edit the selected membership (only show it when the form is read-only)."""
        row = self._selected()
        if row < 0:
            return
        edited = copy.copy(self.memberships[row])
        dialog = MembershipDialog(self.ctx, edited, self)
        if self.read_only:
            dialog.set_read_only(self.banner.text())
            dialog.exec()
            return
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.memberships[row] = edited
            self._fill_memberships()

    def remove_membership(self) -> None:
        """Take the selected membership off the list (deleted when saving)."""
        row = self._selected()
        if row < 0:
            return
        removed = self.memberships.pop(row)
        if removed.id:
            self.removed.append(removed.id)
        self._fill_memberships()

    # -- load / save ----------------------------------------------------------

    def _load(self) -> None:
        p = self.person
        self.full_name.setText(p.full_name)
        self.birth_date.set_value(p.birth_date)
        self.gender.set_value(p.gender)
        self.id_number.setText(p.id_number)
        self.old_id_number.setText(p.old_id_number)
        self.phone.setText(p.phone)
        self.address.setText(p.address)
        self.residence_unit.set_value(p.residence_unit_id)
        self.residence_since.set_value(p.residence_since)
        self.ethnicity.setText(p.ethnicity)
        self.religion.setText(p.religion)
        self.occupation.setText(p.occupation)
        self.notes.setText(p.notes)
        self._fill_memberships()

    def _read(self) -> Person:
        errors: list[FieldError] = []
        p = self.person
        if clean_name_changed(p.full_name, self.full_name.text()):
            p.given_name = p.middle_name = p.family_name = ""
        p.full_name = self.full_name.text()
        p.birth_date = self.read_date(errors, "birth_date", self.birth_date)
        p.gender = self.gender.value()
        p.id_number = self.id_number.text().replace(" ", "")
        p.old_id_number = self.old_id_number.text().replace(" ", "")
        p.phone = self.phone.text()
        p.address = self.address.text()
        p.residence_unit_id = self.residence_unit.value()
        p.residence_since = self.read_date(errors, "residence_since", self.residence_since)
        p.ethnicity = self.ethnicity.text()
        p.religion = self.religion.text()
        p.occupation = self.occupation.text()
        p.notes = self.notes.text()
        if errors:
            self.fail(errors, members.validate_person, p)
        return p

    def save(self) -> str | None:
        """Save the person and memberships; offer an existing twin instead."""
        person = self._read()
        if person.id is None and not self._resolve_duplicate(person):
            return None
        person_id, self.changes = people.save_person_with_memberships(
            self.ctx, person, self.memberships, self.removed)
        self.warnings = people.person_warnings(self.ctx, person_id)
        if self.warnings:
            dialogs.inform(self, "\n".join(self.warnings), "Lưu ý về tiêu chuẩn thành viên")
        return person_id

    def _resolve_duplicate(self, person: Person) -> bool:
        """False to stop saving; may switch the form to the existing person."""
        existing = members.find_existing(self.ctx, copy.copy(person))
        if existing is None:
            return True
        detail = ", ".join(filter(None, [
            f"sinh {format_date(existing.birth_date)}" if existing.birth_date else "",
            f"số định danh {existing.id_number}" if existing.id_number else ""]))
        who = f"“{existing.full_name}”" + (f" ({detail})" if detail else "")
        if person.id_number and existing.id_number == person.id_number:
            # One number is one person: a second record with it would be refused anyway.
            choice = dialogs.choose(
                self, f"Số định danh {person.id_number} đã thuộc về {who}. Mỗi người chỉ "
                "có một hồ sơ: mở hồ sơ người này (các lần tham gia mô hình vừa thêm được "
                "giữ lại)?", ["Mở hồ sơ đã có", "Hủy"], "Đã có người này")
        else:
            choice = dialogs.choose(
                self, f"Đã có {who} trong danh sách thành viên. Mở hồ sơ người này thay vì "
                "tạo người mới?", ["Mở hồ sơ đã có", "Vẫn tạo mới", "Hủy"], "Có thể bị trùng")
            if choice == 1:
                return True
        if choice == 0:
            self.use_existing(existing)
        return False

    def use_existing(self, existing: Person) -> None:
        """Edit *existing* instead, keeping the memberships typed so far."""
        typed = list(self.memberships)
        self.person = existing
        self.setWindowTitle("Sửa thành viên")
        current = MembershipRepo(self.ctx.store).of_person(existing.id)
        self.memberships = current + [m for m in typed if not m.id]
        self._load()


def clean_name_changed(old: str, new: str) -> bool:
    """True when the typed full name differs from the stored one (re-split it)."""
    return " ".join(old.split()) != " ".join(new.split())
