"""Thành viên ▸ select two ▸ “Gộp…”: the side-by-side dialog, with accounts present."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QDialogButtonBox

from core import accounts
from core.records import Membership, Model, Person, Unit
from core.repos.persons import MembershipRepo, PersonRepo
from core.services import members, models, units
from tests.ui.helpers import drive_dialogs
from ui.forms.merge import MergeDialog

PASSWORD = "mat-khau-123"


def _accounts(ctx) -> None:
    accounts.add_user(ctx, "quantri", "admin", PASSWORD)
    accounts.sign_in(ctx, "quantri", PASSWORD)
    accounts.add_user(ctx, "nhaplieu", "editor", PASSWORD)
    accounts.add_user(ctx, "xem", "viewer", PASSWORD)


def _two(ctx) -> tuple[str, str, str]:
    unit_id, _ = units.save(ctx, Unit(name="Thôn Đông"))
    model_id, _ = models.save(ctx, Model(name="Tổ ANND thôn Đông", unit_ids=[unit_id]))
    first, _ = members.save_person(ctx, Person(full_name="Nguyen Van An", birth_date="1980"))
    second, _ = members.save_person(ctx, Person(full_name="Nguyễn Văn An",
                                                birth_date="1980-05-01",
                                                id_number="001080000001"))
    members.save_membership(ctx, Membership(person_id=second, model_id=model_id))
    return first, second, model_id


def _select_both(page, ids) -> None:
    selection = page.view.selectionModel()
    selection.clearSelection()
    for person_id in ids:
        row = page.model.locate(person_id)
        selection.select(page.model.index(row, 0),
                         QItemSelectionModel.Select | QItemSelectionModel.Rows)


def _shown(dialog) -> dict[str, list[str]]:
    table = dialog.table
    return {table.item(r, 0).text(): [table.item(r, c).text() for c in (1, 2, 3)]
            for r in range(table.rowCount())}


@pytest.mark.parametrize("user", ["quantri", "nhaplieu"])
def test_merge_two_selected_persons(ctx, window, qtbot, monkeypatch, user):
    first, second, model_id = _two(ctx)
    _accounts(ctx)
    accounts.sign_in(ctx, user, PASSWORD)
    window.system.refresh_role()
    page = window.members
    window.tabs.setCurrentWidget(page)
    page.refresh()
    assert page.merge_button.text() == "Gộp…" and not page.merge_button.isEnabled()
    _select_both(page, [first, second])
    assert page.merge_button.isEnabled()
    driver = drive_dialogs(monkeypatch, MergeDialog)
    seen = {}

    def fill(dialog):
        ok = dialog.buttons.button(QDialogButtonBox.Ok)
        cancel = dialog.buttons.button(QDialogButtonBox.Cancel)
        assert (ok.text(), cancel.text()) == ("Gộp", "Hủy")
        keep = next(b for b in dialog.keep_buttons if b.text().startswith("Nguyễn Văn An"))
        assert keep.text() == "Nguyễn Văn An (01/05/1980, 001080000001)"
        keep.click()
        seen["rows"] = _shown(dialog)
        seen["changes"] = dialog.changes.text()
        seen["links"] = dialog.links.text()
        qtbot.mouseClick(ok, Qt.LeftButton)

    driver.fill = fill
    qtbot.mouseClick(page.merge_button, Qt.LeftButton)
    assert seen["rows"]["Ngày sinh"] == ["01/05/1980", "1980", "01/05/1980"]
    assert seen["rows"]["Họ và tên"] == ["Nguyễn Văn An", "Nguyen Van An", "Nguyễn Văn An"]
    assert seen["changes"] == "Hồ sơ giữ lại không thay đổi giá trị nào."
    assert "“Nguyen Van An” không có mô hình" in seen["links"]
    people = PersonRepo(ctx.store)
    assert people.find(first) is None
    assert people.get(first, include_deleted=True).merged_into == second
    assert [m.model_id for m in MembershipRepo(ctx.store).of_person(second)] == [model_id]
    assert page.model.rowCount() == 1 and page.selected_id() == second
    assert "Đã gộp" in window.statusBar().currentMessage()


def test_keeping_the_other_one_shows_every_change_and_cancel_writes_nothing(
        ctx, window, qtbot, monkeypatch):
    first, second, _ = _two(ctx)
    _accounts(ctx)
    page = window.members
    window.tabs.setCurrentWidget(page)
    page.refresh()
    _select_both(page, [first, second])
    driver = drive_dialogs(monkeypatch, MergeDialog)
    seen = {}

    def fill(dialog):
        next(b for b in dialog.keep_buttons if b.text() == "Nguyen Van An (1980)").click()
        seen["changes"] = dialog.changes.text()
        seen["links"] = dialog.links.text()
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Cancel), Qt.LeftButton)

    driver.fill = fill
    page.merge_selected()
    assert seen["changes"].splitlines() == [
        "Thay đổi ở hồ sơ giữ lại:",
        "• Họ và tên: “Nguyen Van An” → “Nguyễn Văn An”",
        "• Ngày sinh: “1980” → “01/05/1980”",
        "• Số định danh (CCCD): “” → “001080000001”"]
    assert seen["links"].startswith("Của “Nguyễn Văn An”: 1 lần tham gia mô hình chuyển sang.")
    assert PersonRepo(ctx.store).count() == 2


def test_viewer_cannot_merge(ctx, window, qtbot, monkeypatch, messages):
    first, second, _ = _two(ctx)
    _accounts(ctx)
    accounts.sign_in(ctx, "xem", PASSWORD)
    window.system.refresh_role()
    page = window.members
    window.tabs.setCurrentWidget(page)
    page.refresh()
    _select_both(page, [first, second])
    assert not page.merge_button.isEnabled()
    driver = drive_dialogs(monkeypatch, MergeDialog)
    driver.fill = lambda d: qtbot.mouseClick(d.buttons.button(QDialogButtonBox.Ok),
                                             Qt.LeftButton)
    page.merge_selected()          # forced anyway: the service refuses
    assert "không được phép" in messages.texts()
    assert PersonRepo(ctx.store).count() == 2


def test_two_different_cccd_are_refused_before_the_dialog(ctx, window, messages):
    first, _ = members.save_person(ctx, Person(full_name="Lê Văn A", id_number="001080000001"))
    second, _ = members.save_person(ctx, Person(full_name="Lê Văn A", id_number="001080000002"))
    page = window.members
    window.tabs.setCurrentWidget(page)
    page.refresh()
    _select_both(page, [first, second])
    assert page.merge_selected() is None
    assert "Hai số định danh khác nhau" in messages.texts()
