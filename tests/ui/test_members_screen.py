"""Thành viên: add a person with a membership, search, edit, delete and undo."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from core.records import Model, Person, Unit
from core.repos.persons import MembershipRepo, PersonRepo
from core.services import members
from core.services import models as model_service
from core.services import units as unit_service
from tests.ui.helpers import click_save, search, shown_column, type_into
from ui.forms.persons import MembershipDialog


def _model(ctx, name="Tổ bảo vệ ANTT thôn Đông", type_="to_bao_ve_antt"):
    unit_id, _ = unit_service.save(ctx, Unit(name="Thôn Đông"))
    model_id, _ = model_service.save(ctx, Model(name=name, type=type_, unit_ids=[unit_id]))
    return model_id


def _add_membership(form, model_id, role="thanh_vien", join="01/02/2024"):
    def fill(dialog):
        if isinstance(dialog, MembershipDialog):
            dialog.model.set_value(model_id)
            dialog.role.set_value(role)
            dialog.join_date.setText(join)
            dialog.try_save()
    return fill


def test_add_search_edit_delete_undo(window, qtbot, forms, messages):
    ctx = window.ctx
    model_id = _model(ctx)
    page = window.members
    window.tabs.setCurrentWidget(page)
    assert "Chưa có thành viên nào" in page.empty.text()
    assert page.stack.currentWidget() is page.empty

    def fill(form):
        if isinstance(form, MembershipDialog):
            _add_membership(form, model_id, role="to_truong")(form)
            return
        type_into(qtbot, form.full_name, "Nguyễn Văn Đức")
        type_into(qtbot, form.birth_date, "12/03/1985")
        form.gender.set_value("nam")
        type_into(qtbot, form.id_number, "001085012345")
        form.add_membership()
        click_save(qtbot, form)

    forms.fill = fill
    window._new()  # what Ctrl+N does (see test_shortcuts)
    assert shown_column(page, 0) == ["Nguyễn Văn Đức"]
    assert page.model.index(0, 1).data() == "12/03/1985"
    assert page.model.index(0, 4).data() == "Tổ trưởng"
    assert page.model.index(0, 7).data() == "001085012345"
    assert page.count_label.text() == "Đang hiển thị 1 / 1 thành viên"

    members.save_person(ctx, Person(full_name="Trần Thị Ánh"))
    page.refresh()
    search(qtbot, page, "nguyen van duc")
    assert shown_column(page, 0) == ["Nguyễn Văn Đức"]
    search(qtbot, page, "Đức")
    assert shown_column(page, 0) == ["Nguyễn Văn Đức"]
    search(qtbot, page, "xyz")
    assert page.stack.currentWidget() is page.empty
    assert "Không có kết quả" in page.empty.text()
    search(qtbot, page, "")
    assert page.model.rowCount() == 2

    page.select_id(page.model.id_at(page.model.row_of(
        PersonRepo(ctx.store).ids_by_name("Nguyễn Văn Đức")[0])))

    def edit(form):
        type_into(qtbot, form.phone, "0912345678")
        qtbot.keyClick(form.phone, Qt.Key_Return)  # Enter saves

    forms.fill = edit
    page.edit_selected()
    row = page.model.row_of(page.selected_id())
    assert page.model.index(row, 5).data() == "0912345678"

    person_id = page.selected_id()
    page.view.setFocus()
    messages.answers.append(True)       # “Xóa” in the question
    qtbot.keyClick(page.view, Qt.Key_Delete)
    assert page.model.row_of(person_id) == -1
    assert MembershipRepo(ctx.store).of_person(person_id) == []
    assert "Nguyễn Văn Đức" in window.statusBar().currentMessage()
    qtbot.mouseClick(window.undo_button(), Qt.LeftButton)
    assert page.model.row_of(person_id) >= 0
    assert len(MembershipRepo(ctx.store).of_person(person_id)) == 1


def test_errors_show_next_to_fields_and_nothing_is_saved(window, qtbot, forms):
    page = window.members
    window.tabs.setCurrentWidget(page)  # lists load when first shown
    form_seen = []

    def fill(form):
        form_seen.append(form)
        type_into(qtbot, form.birth_date, "31/02/1990")
        type_into(qtbot, form.id_number, "12345")
        click_save(qtbot, form)

    forms.fill = fill
    page.add_record()
    form = form_seen[0]
    assert form.result() != QDialog.DialogCode.Accepted
    assert "không tồn tại" in form.error_label("birth_date").text()
    assert "12 chữ số" in form.error_label("id_number").text()  # every problem at once
    form.birth_date.setText("1990")
    click_save(qtbot, form)
    assert "12 chữ số" in form.error_label("id_number").text()
    assert "không được để trống" in form.error_label("full_name").text()
    assert not form.error_label("full_name").isHidden()
    assert PersonRepo(window.ctx.store).count() == 0


def test_second_leader_is_refused_under_the_memberships(window, qtbot, forms):
    ctx = window.ctx
    model_id = _model(ctx)
    first, _ = members.save_person(ctx, Person(full_name="Lê Văn Hùng"))
    members.save_membership(ctx, members.Membership(person_id=first, model_id=model_id,
                                                    role="to_truong"))
    seen = []

    def fill(form):
        if isinstance(form, MembershipDialog):
            _add_membership(form, model_id, role="to_truong")(form)
            return
        seen.append(form)
        type_into(qtbot, form.full_name, "Phạm Thị Lan")
        form.add_membership()
        click_save(qtbot, form)

    forms.fill = fill
    window.members.add_record()
    assert "đã có Tổ trưởng" in seen[0].error_label("memberships").text()
    assert PersonRepo(ctx.store).ids_by_name("Phạm Thị Lan") == []


def test_age_warning_for_security_team(window, qtbot, forms, messages):
    model_id = _model(window.ctx)

    def fill(form):
        if isinstance(form, MembershipDialog):
            _add_membership(form, model_id, join="01/01/2026")(form)
            return
        type_into(qtbot, form.full_name, "Đỗ Văn Cường")
        type_into(qtbot, form.birth_date, "1940")
        form.add_membership()
        click_save(qtbot, form)

    forms.fill = fill
    window.tabs.setCurrentWidget(window.members)  # lists load when first shown
    window.members.add_record()
    assert "từ 18 đến 70 tuổi" in messages.texts()
    assert shown_column(window.members, 0) == ["Đỗ Văn Cường"]


def test_duplicate_offers_the_existing_person(window, qtbot, forms, messages):
    ctx = window.ctx
    existing, _ = members.save_person(ctx, Person(full_name="Hoàng Thị Hoa",
                                                  birth_date="1975-05-20"))
    window.members.refresh()
    seen = []

    def fill(form):
        seen.append(form)
        type_into(qtbot, form.full_name, "hoàng thị hoa")
        type_into(qtbot, form.birth_date, "20/05/1975")
        click_save(qtbot, form)   # offered the existing person: the form shows it
        assert form.windowTitle() == "Sửa thành viên"
        assert form.birth_date.text() == "20/05/1975"
        type_into(qtbot, form.phone, "0988000111")
        click_save(qtbot, form)   # saves the existing record

    messages.answers = [0]
    forms.fill = fill
    window.members.add_record()
    assert "Hoàng Thị Hoa" in messages.texts()
    assert seen[0].person.id == existing
    assert PersonRepo(ctx.store).count() == 1
    assert PersonRepo(ctx.store).get(existing).phone == "0988000111"


def test_shortcuts_open_form_and_focus_search(window, qtbot, forms):
    window.tabs.setCurrentWidget(window.members)
    qtbot.keyClick(window, Qt.Key_N, Qt.ControlModifier)
    assert [type(f).__name__ for f in forms.opened] == ["PersonForm"]
    qtbot.keyClick(window, Qt.Key_F, Qt.ControlModifier)
    assert window.members.search.hasFocus()
