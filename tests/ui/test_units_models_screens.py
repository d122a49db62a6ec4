"""Đơn vị (tree with yearly recognition) and Mô hình (several units, filters)."""
from __future__ import annotations

from PySide6.QtCore import Qt

from core.records import Unit
from core.repos.models import ModelRepo
from core.repos.units import UnitRepo, UnitYearRepo
from core.services import units as unit_service
from tests.ui.helpers import click_save, search, shown_column, type_into


def _tree_names(page) -> list[str]:
    root = page.model.item(0)
    names = []

    def walk(item, depth):
        for r in range(item.rowCount()):
            child = item.child(r)
            names.append("  " * depth + child.text())
            walk(child, depth + 1)
    walk(root, 0)
    return names


def test_units_tree_add_child_recognition_delete_undo(window, qtbot, forms, qtmodeltester,
                                                      messages):
    page = window.units
    window.tabs.setCurrentWidget(page)
    assert page.stack.currentWidget() is page.empty
    assert "Nhấn “Thêm” (Ctrl+N)" in page.empty.text()

    def fill(form):
        type_into(qtbot, form.name, "Thôn Đông Hòa")
        form.type.set_value("khu_dan_cu")
        type_into(qtbot, form.households, "1.051")
        form.registered.setChecked(True)
        form.recognised.setChecked(True)
        type_into(qtbot, form.decision_no, "12/QĐ-UBND")
        type_into(qtbot, form.decision_date, "05/01/2026")
        click_save(qtbot, form)

    forms.fill = fill
    window._new()
    assert _tree_names(page) == ["Thôn Đông Hòa"]
    unit_id = page.selected_id()
    unit = UnitRepo(window.ctx.store).get(unit_id)
    assert unit.households == 1051
    assert page.model.item(0).child(0, 3).text() == "1.051"
    year = UnitYearRepo(window.ctx.store).for_unit(unit_id, form_year(forms))
    assert year.recognised and year.decision_date == "2026-01-05"

    def child(form):
        assert form.parent_unit.value() == unit_id
        type_into(qtbot, form.name, "Trường Tiểu học Đông Hòa")
        form.type.set_value("nha_truong")
        click_save(qtbot, form)

    forms.fill = child
    page.add_child()
    assert _tree_names(page) == ["Thôn Đông Hòa", "  Trường Tiểu học Đông Hòa"]
    qtmodeltester.check(page.model)

    def rename(form):
        type_into(qtbot, form.name, "Thôn Đông Hòa Mới")
        click_save(qtbot, form)

    page.select_id(unit_id)
    forms.fill = rename
    page.edit_selected()
    assert _tree_names(page)[0] == "Thôn Đông Hòa Mới"

    page.select_id(unit_id)
    messages.answers.append(True)       # “Xóa” in the question
    qtbot.keyClick(page.view, Qt.Key_Delete)
    assert "Thôn Đông Hòa Mới" not in _tree_names(page)
    qtbot.mouseClick(window.undo_button(), Qt.LeftButton)
    assert _tree_names(page)[0] == "Thôn Đông Hòa Mới"


def form_year(forms) -> int:
    return forms.opened[0].year.value()


def test_unit_errors_next_to_fields(window, qtbot, forms):
    seen = []

    def fill(form):
        seen.append(form)
        type_into(qtbot, form.households, "nhiều")
        click_save(qtbot, form)

    forms.fill = fill
    window.units.add_record()
    assert "không phải là số nguyên" in seen[0].error_label("households").text()
    assert UnitRepo(window.ctx.store).count() == 0


def test_models_add_search_filter_edit_delete_undo(window, qtbot, forms, messages):
    ctx = window.ctx
    east, _ = unit_service.save(ctx, Unit(name="Thôn Đông"))
    west, _ = unit_service.save(ctx, Unit(name="Thôn Tây"))
    page = window.models
    window.data_changed({"units"})
    window.tabs.setCurrentWidget(page)
    assert "Chưa có mô hình nào. Nhấn “Thêm” (Ctrl+N)" in page.empty.text()

    def fill(form):
        type_into(qtbot, form.name, "Tổ tự quản Đoàn Kết")
        form.type.set_value("to_tu_quan")
        form.units.set_checked(east)
        form.units.set_checked(west)
        form.status.set_value("hieu_qua")
        type_into(qtbot, form.launch_date, "15/3/2025")
        form.advanced.setChecked(True)
        click_save(qtbot, form)

    forms.fill = fill
    page.add_record()
    assert shown_column(page, 0) == ["Tổ tự quản Đoàn Kết"]
    assert page.model.index(0, 2).data() == "Thôn Đông, Thôn Tây"
    assert page.model.index(0, 3).data() == "0"
    assert page.model.index(0, 4).data() == "Hoạt động hiệu quả"
    assert page.model.index(0, 5).data() == "15/03/2025"
    assert page.model.index(0, 6).data() == "Có"

    search(qtbot, page, "doan ket")
    assert page.model.rowCount() == 1
    search(qtbot, page, "ĐOÀN")
    assert page.model.rowCount() == 1
    search(qtbot, page, "")
    page.type_filter.set_value("to_hoa_giai")
    assert page.model.rowCount() == 0
    page.type_filter.set_value(None)
    page.unit_filter.set_value(west)
    assert page.model.rowCount() == 1
    page.unit_filter.set_value(None)

    page.select_id(page.model.id_at(0))

    def no_units(form):
        form.units.set_checked(east, False)
        form.units.set_checked(west, False)
        click_save(qtbot, form)
        assert "ít nhất một đơn vị" in form.error_label("unit_ids").text()
        form.units.set_checked(east)
        form.status.set_value("yeu")
        click_save(qtbot, form)

    forms.fill = no_units
    page.edit_selected()
    assert page.model.index(0, 4).data() == "Yếu"
    model_id = page.selected_id()
    assert ModelRepo(ctx.store).get(model_id).unit_ids == [east]

    messages.answers.append(True)       # “Xóa” in the question

    qtbot.keyClick(page.view, Qt.Key_Delete)
    assert page.model.rowCount() == 0
    qtbot.mouseClick(window.undo_button(), Qt.LeftButton)
    assert page.model.id_at(0) == model_id


def test_edit_and_delete_need_a_selected_row(ctx, window):
    from core.records import Model
    from core.services import models as model_service
    unit_id, _ = unit_service.save(ctx, Unit(name="Thôn Bắc"))
    model_service.save(ctx, Model(name="Tổ tự quản Bắc", type="to_tu_quan", unit_ids=[unit_id]))
    page = window.models
    window.tabs.setCurrentWidget(page)
    page.refresh()
    page.view.clearSelection()
    assert page.model.rowCount() == 1
    assert not page.edit_button.isEnabled() and not page.delete_button.isEnabled()
    page.view.selectRow(0)
    assert page.edit_button.isEnabled() and page.delete_button.isEnabled()
