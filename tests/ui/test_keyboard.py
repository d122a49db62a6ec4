"""The keyboard: the first field has the cursor, Escape asks on a changed form,
Ctrl+P prints what the tab shows, every menu item shows its shortcut."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFormLayout, QLineEdit

from tests.ui.helpers import type_into
from ui.widgets import FormDialog


def _show(form, qtbot):
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    QApplication.processEvents()


def _form(name: str, ctx, parent):
    import importlib
    module, cls = FORMS[name]
    return getattr(importlib.import_module(module), cls)(ctx, None, parent)


FORMS = {"units": ("ui.forms.units", "UnitForm"), "models": ("ui.forms.models", "ModelForm"),
         "members": ("ui.forms.persons", "PersonForm"), "events": ("ui.forms.events", "EventForm"),
         "results": ("ui.forms.results", "ResultForm"),
         "commendations": ("ui.forms.commendations", "CommendationForm")}


@pytest.mark.parametrize("page_name", list(FORMS))
def test_a_new_form_opens_with_the_cursor_in_its_first_field(window_as, page_name, qtbot):
    window = window_as("editor")
    page = window.page(page_name)
    window.tabs.setCurrentWidget(page)
    form = _form(page_name, window.ctx, page)
    _show(form, qtbot)
    focused = QApplication.focusWidget()
    save = form.buttons.button(QDialogButtonBox.Save)
    assert focused is not save and focused is form.first_field()
    assert form.isAncestorOf(focused)
    row_label = form.form.itemAt(0, QFormLayout.LabelRole)
    assert row_label is not None
    field = form.form.itemAt(0, QFormLayout.FieldRole).widget()
    assert field is focused or field.isAncestorOf(focused)


def test_escape_closes_an_unchanged_form_and_asks_on_a_changed_one(window_as, messages, qtbot):
    window = window_as("editor")
    page = window.page("units")
    form = _form("units", window.ctx, page)
    _show(form, qtbot)
    qtbot.keyClick(form, Qt.Key_Escape)
    assert not form.isVisible() and messages.shown == []

    form = _form("units", window.ctx, page)
    _show(form, qtbot)
    field = form.first_field()
    assert isinstance(field, QLineEdit)
    type_into(qtbot, field, "Thôn Mới")
    messages.answers = [1]                      # “Tiếp tục sửa”
    qtbot.keyClick(form, Qt.Key_Escape)
    assert messages.shown == [("choose", "Bỏ các thay đổi chưa lưu?")]
    assert form.isVisible() and field.text() == "Thôn Mới"
    messages.answers = [0]                      # “Bỏ thay đổi”
    qtbot.keyClick(form, Qt.Key_Escape)
    assert not form.isVisible() and form.result() == 0
    assert page.ctx.db.execute("SELECT COUNT(*) FROM units WHERE name = 'Thôn Mới'"
                               ).fetchone()[0] == 0


def test_escape_on_a_read_only_form_just_closes(window_as, messages, qtbot):
    window = window_as("viewer")
    page = window.page("models")
    window.tabs.setCurrentWidget(page)
    record_id = page.model.id_at(0)
    form = page.make_form(record_id)
    from core import queries
    from ui.widgets import view_only_banner
    form.set_read_only(view_only_banner(page.ctx, queries.owner_of(
        page.ctx.db, page.spec.table, record_id)))
    _show(form, qtbot)
    qtbot.keyClick(form, Qt.Key_Escape)
    assert not form.isVisible() and messages.shown == []


def test_ctrl_p_prints_the_list_of_the_tab_on_show(window_as, monkeypatch, qtbot):
    from ui import list_export
    window = window_as("viewer")
    printed = []
    monkeypatch.setattr(list_export, "print_list", lambda page: printed.append(page))
    monkeypatch.setattr(list_export, "export_list",
                        lambda page, target=None: printed.append(("xlsx", page)))
    window.tabs.setCurrentWidget(window.members)
    window.data_actions["print"].trigger()         # the list's print_current()
    assert printed == [window.members]
    window.data_actions["export"].trigger()
    assert printed[-1] == ("xlsx", window.members)
    # the report has no print_current(): its own “Xem và in báo cáo (PDF)” is used
    window.tabs.setCurrentWidget(window.report)
    assert not hasattr(window.report, "print_current")
    monkeypatch.setattr(type(window.report), "print_pdf",
                        lambda page: printed.append("report"))
    window.data_actions["print"].trigger()
    assert printed[-1] == "report"
    # a tab with nothing to print says so
    window.tabs.setCurrentWidget(window.exchange)
    window.data_actions["print"].trigger()
    assert "không có danh sách hay văn bản để in" in window.statusBar().currentMessage()


def test_every_menu_item_shows_its_shortcut(window_as):
    window = window_as("admin")
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    assert list(menus) == ["Tệp", "Sửa", "Dữ liệu", "Hệ thống", "Trợ giúp"]
    shortcuts = {a.text(): a.shortcut().toString() for menu in menus.values()
                 for a in menu.actions() if not a.isSeparator()}
    assert shortcuts["Thêm mới…"] == "Ctrl+N"
    assert shortcuts["Tìm…"] == "Ctrl+F"
    assert shortcuts["In danh sách / văn bản đang xem…"] == "Ctrl+P"
    assert shortcuts["Xuất danh sách đang xem ra Excel…"] == "Ctrl+E"
    assert shortcuts["Thoát"] == "Ctrl+Q" and shortcuts["Hướng dẫn sử dụng"] == "F1"
    # every shortcut the window answers is an item of a menu (none hidden in a QShortcut)
    from PySide6.QtGui import QShortcut
    assert window.findChildren(QShortcut) == []
