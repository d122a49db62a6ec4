"""The old CMND in the person form, and the member list's search by number and its CCCD
column, with accounts present."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from core import accounts
from core.records import Person
from core.repos.persons import PersonRepo
from core.services import members
from tests.ui.helpers import click_save, search, shown_column, type_into
from ui.forms.persons import PersonForm

PASSWORD = "mat-khau-123"


def _accounts(ctx) -> None:
    accounts.add_user(ctx, "quantri", "admin", PASSWORD)
    accounts.sign_in(ctx, "quantri", PASSWORD)
    accounts.add_user(ctx, "nhaplieu", "editor", PASSWORD)
    accounts.add_user(ctx, "xem", "viewer", PASSWORD)


def _label(form, widget) -> str:
    return form.form.labelForField(widget.parentWidget()).text()


@pytest.mark.parametrize("user", ["quantri", "nhaplieu"])
def test_admin_and_editor_type_the_old_cmnd(ctx, window, qtbot, forms, user):
    _accounts(ctx)
    accounts.sign_in(ctx, user, PASSWORD)
    window.system.refresh_role()
    window.tabs.setCurrentWidget(window.members)
    seen = []

    def fill(form):
        seen.append(form)
        assert _label(form, form.old_id_number) == "Số CMND (cũ):"
        type_into(qtbot, form.full_name, "Đỗ Văn Cũ")
        type_into(qtbot, form.old_id_number, "0123 4567")   # 8 digits: refused
        click_save(qtbot, form)
        assert form.error_label("old_id_number").text() == "Số CMND cũ phải gồm đúng 9 chữ số."
        type_into(qtbot, form.old_id_number, "012 345 678")
        click_save(qtbot, form)

    forms.fill = fill
    window._new()
    [person] = PersonRepo(ctx.store).all()
    assert (person.full_name, person.old_id_number) == ("Đỗ Văn Cũ", "012345678")
    assert len(seen) == 1


def test_viewer_sees_the_old_cmnd_read_only(ctx, window, qtbot, forms):
    person_id, _ = members.save_person(ctx, Person(full_name="Đỗ Văn Cũ",
                                                   old_id_number="012345678"))
    _accounts(ctx)
    accounts.sign_in(ctx, "xem", PASSWORD)
    window.system.refresh_role()
    page = window.members
    window.tabs.setCurrentWidget(page)
    page.refresh()
    page.select_id(person_id)
    seen = []
    forms.fill = seen.append
    page.edit_selected()
    [form] = seen
    assert isinstance(form, PersonForm) and form.read_only
    assert form.old_id_number.text() == "012345678"
    assert form.old_id_number.isReadOnly()
    assert not form.buttons.button(QDialogButtonBox.Save).isVisibleTo(form)


# -- the member list: search by number, the CCCD column ------------------------------

def _people(ctx):
    members.save_person(ctx, Person(full_name="Hà Văn Số", id_number="001085012345",
                                    old_id_number="012345678", phone="0912.345 678"))
    members.save_person(ctx, Person(full_name="Lê Thị Ba", phone="+84 987 654 321"))


@pytest.mark.parametrize("user", ["quantri", "nhaplieu", "xem"])
def test_member_search_box_finds_by_cccd_cmnd_and_phone(ctx, window, qtbot, user):
    _people(ctx)
    _accounts(ctx)
    accounts.sign_in(ctx, user, PASSWORD)
    window.system.refresh_role()
    page = window.members
    window.tabs.setCurrentWidget(page)
    page.refresh()
    assert "CCCD" in page.search.placeholderText()
    for typed, names in (("001085012345", ["Hà Văn Số"]), ("2345", ["Hà Văn Số"]),
                         ("012345678", ["Hà Văn Số"]), ("0912 345 678", ["Hà Văn Số"]),
                         ("0987.654.321", ["Lê Thị Ba"]), ("ha van so", ["Hà Văn Số"]),
                         ("7777", [])):
        search(qtbot, page, typed)
        assert shown_column(page, 0) == names, typed
    search(qtbot, page, "")
    column = [c.key for c in page.spec.columns].index("id_number")
    assert page.model.headerData(column, Qt.Horizontal) == "Số CCCD"
    assert sorted(shown_column(page, column)) == ["", "001085012345"]


def test_cccd_column_hidden_from_the_header_menu_stays_hidden(ctx, window, qtbot):
    _people(ctx)
    page = window.members
    window.tabs.setCurrentWidget(page)
    column = [c.key for c in page.spec.columns].index("id_number")
    header = page.view.horizontalHeader()
    assert not header.isSectionHidden(column)
    menu = page.column_menu()
    texts = [a.text() for a in menu.actions()]
    assert texts == [c.header for c in page.spec.columns]
    assert not menu.actions()[0].isEnabled()       # the name column always stays
    menu.actions()[column].setChecked(False)       # what a click on the tick does
    assert header.isSectionHidden(column)
    again = type(page)(window)                     # the list made again (next start)
    assert again.view.horizontalHeader().isSectionHidden(column)
    again.column_menu().actions()[column].setChecked(True)
    assert not again.view.horizontalHeader().isSectionHidden(column)
    assert again.view.horizontalHeader().sectionSize(column) >= 30
