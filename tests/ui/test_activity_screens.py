"""Sự kiện (attendance), Kết quả and Khen thưởng driven as a user would."""
from __future__ import annotations

from PySide6.QtCore import Qt

from core.records import Model, Person, Unit
from core.repos.activities import CommendationRepo, EventRepo
from core.services import members
from core.services import models as model_service
from core.services import units as unit_service
from tests.ui.helpers import click_save, search, shown_column, type_into


def _people(ctx):
    unit_id, _ = unit_service.save(ctx, Unit(name="Thôn Bắc Sơn"))
    model_id, _ = model_service.save(ctx, Model(name="Tổ hòa giải Bắc Sơn", type="to_hoa_giai",
                                                unit_ids=[unit_id]))
    ids = [members.save_person(ctx, Person(full_name=n))[0]
           for n in ("Nguyễn Văn Đức", "Lò Thị Mai", "Trần Quang Hải")]
    return unit_id, model_id, ids


def test_event_with_attendance(window, qtbot, forms, messages):
    ctx = window.ctx
    unit_id, model_id, people = _people(ctx)
    page = window.events
    window.tabs.setCurrentWidget(page)  # lists load when first shown
    window.data_changed({"units", "models"})
    assert "Chưa có sự kiện nào" in page.empty.text()
    seen = []

    def fill(form):
        seen.append(form)
        type_into(qtbot, form.date, "02/09/2026")
        form.type.set_value("hoi_nghi")
        type_into(qtbot, form.title, "Hội nghị sơ kết Tổ hòa giải")
        form.unit.set_value(unit_id)
        form.models.set_checked(model_id)
        type_into(qtbot, form.attendance.search, "duc")
        qtbot.waitUntil(lambda: form.attendance.matches.count() == 1)
        qtbot.keyClick(form.attendance.search, Qt.Key_Return)   # picks, does not save
        assert form.isVisible()
        type_into(qtbot, form.attendance.search, "mai")
        qtbot.waitUntil(lambda: form.attendance.matches.count() == 1
                        and form.attendance.matches.item(0).text() == "Lò Thị Mai")
        form.attendance.add_first_match()
        assert form.participants.minimum() == 2
        form.participants.setValue(0)
        assert form.participants.value() == 2   # cannot go below the attendance
        form.participants.setValue(35)
        click_save(qtbot, form)

    forms.fill = fill
    page.add_record()
    assert shown_column(page, 2) == ["Hội nghị sơ kết Tổ hòa giải"]
    assert page.model.index(0, 0).data() == "02/09/2026"
    assert page.model.index(0, 1).data() == "Hội nghị"
    assert page.model.index(0, 4).data() == "35"
    event = EventRepo(ctx.store).get(page.model.id_at(0))
    assert sorted(event.attendee_ids) == sorted(people[:2])

    search(qtbot, page, "so ket hoa giai")
    assert page.model.rowCount() == 1
    search(qtbot, page, "")

    page.select_id(event.id)

    def edit(form):
        assert form.attendance.attendees.count() == 2
        form.attendance.attendees.item(0).setSelected(True)
        form.attendance.remove_selected()
        assert form.participants.minimum() == 1
        form.participants.setValue(1200)
        click_save(qtbot, form)

    forms.fill = edit
    page.edit_selected()
    assert page.model.index(0, 4).data() == "1.200"
    messages.answers.append(True)       # “Xóa” in the question
    qtbot.keyClick(page.view, Qt.Key_Delete)
    assert page.model.rowCount() == 0
    qtbot.mouseClick(window.undo_button(), Qt.LeftButton)
    assert page.model.rowCount() == 1


def test_result_add_edit_delete_undo(window, qtbot, forms, messages):
    ctx = window.ctx
    unit_id, model_id, _ = _people(ctx)
    window.data_changed({"units", "models"})
    page = window.results
    window.tabs.setCurrentWidget(page)  # lists load when first shown

    def fill(form):
        type_into(qtbot, form.date, "10/10/2026")
        form.type.set_value("hoa_giai_thanh")
        form.quantity.setValue(3)
        form.unit.set_value(unit_id)
        form.model.set_value(model_id)
        type_into(qtbot, form.description, "Hòa giải thành tranh chấp đất đai")
        click_save(qtbot, form)

    forms.fill = fill
    page.add_record()
    assert shown_column(page, 1) == ["Vụ hòa giải thành"]
    assert page.model.index(0, 4).data() == "Tổ hòa giải Bắc Sơn"
    search(qtbot, page, "tranh chap dat dai")
    assert page.model.rowCount() == 1
    search(qtbot, page, "bac son")   # the unit's name is searched too
    assert page.model.rowCount() == 1
    page.select_id(page.model.id_at(0))

    def bad(form):
        type_into(qtbot, form.date, "")
        click_save(qtbot, form)
        assert "không được để trống" in form.error_label("date").text()
        type_into(qtbot, form.date, "11/10/2026")
        click_save(qtbot, form)

    forms.fill = bad
    page.edit_selected()
    assert page.model.index(0, 0).data() == "11/10/2026"
    messages.answers.append(True)       # “Xóa” in the question
    qtbot.keyClick(page.view, Qt.Key_Delete)
    assert page.model.rowCount() == 0
    qtbot.mouseClick(window.undo_button(), Qt.LeftButton)
    assert page.model.rowCount() == 1


def test_commendation_to_person_and_to_model(window, qtbot, forms, messages):
    ctx = window.ctx
    _, model_id, people = _people(ctx)
    page = window.commendations
    window.tabs.setCurrentWidget(page)  # lists load when first shown
    assert "Chưa có khen thưởng nào" in page.empty.text()

    def person(form):
        type_into(qtbot, form.person_picker.search, "hai")
        qtbot.waitUntil(lambda: form.person_picker.matches.count() == 1)
        form.person_picker.pick_first()
        form.form_kind.set_value("giay_khen")
        form.authority.setCurrentText("Chủ tịch UBND xã")
        type_into(qtbot, form.decision_no, "45/QĐ-UBND")
        type_into(qtbot, form.decision_date, "20/11/2026")
        type_into(qtbot, form.achievement, "Có thành tích xuất sắc trong phong trào")
        click_save(qtbot, form)

    forms.fill = person
    page.add_record()
    assert shown_column(page, 3) == ["Trần Quang Hải"]
    assert page.model.index(0, 4).data() == "Chủ tịch Ủy ban nhân dân xã"
    first = CommendationRepo(ctx.store).get(page.model.id_at(0))
    assert first.authority == "chu_tich_ubnd_xa" and first.recipient_id == people[2]

    def collective(form):
        form.kind.set_value("model")
        form.model_choice.set_value(model_id)
        type_into(qtbot, form.decision_no, "45/QĐ-UBND")
        click_save(qtbot, form)
        assert "không được để trống" in form.error_label("decision_date").text()
        type_into(qtbot, form.decision_date, "20/11/2026")
        type_into(qtbot, form.achievement, "Tập thể tiêu biểu")
        click_save(qtbot, form)

    forms.fill = collective
    page.add_record()
    assert page.model.rowCount() == 2
    search(qtbot, page, "tran quang hai")
    assert page.model.rowCount() == 1
    search(qtbot, page, "")
    page.select_id(first.id)
    messages.answers.append(True)       # “Xóa” in the question
    qtbot.keyClick(page.view, Qt.Key_Delete)
    assert page.model.rowCount() == 1
    qtbot.mouseClick(window.undo_button(), Qt.LeftButton)
    assert page.model.rowCount() == 2
