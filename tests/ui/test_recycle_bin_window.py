"""Delete asks first, Thùng rác lists and restores, Ctrl+Z undoes — with accounts."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from core import accounts
from core.repos.persons import MembershipRepo, PersonRepo
from core.repos.units import UnitRepo
from core.services import recycle
from tests.ui.helpers import ACCOUNT_OF, PASSWORD, audit_top, last_audit_users, type_into
from ui import dialogs, recycle_bin


def _select_person(page, name: str) -> str:
    page.window_.tabs.setCurrentWidget(page)
    page.refresh()
    person_id = PersonRepo(page.ctx.store).ids_by_name(name)[0]
    page.select_id(person_id)
    page.view.setFocus()
    return person_id


def _ctrl_z(window, qtbot) -> None:
    """Press Ctrl+Z in the window (made the active one, as the person's is)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier)


def _live(ctx, table, record_id) -> bool:
    return ctx.db.execute(f"SELECT deleted FROM {table} WHERE id = ?",
                          [record_id]).fetchone()[0] == 0


def test_the_question_has_vietnamese_buttons_and_enter_deletes(qtbot, monkeypatch):
    seen = []

    def fake_exec(box):
        seen.append((box.text(), box.informativeText(),
                     [b.text() for b in box.buttons()], box.defaultButton().text(),
                     box.escapeButton().text()))
        box.defaultButton().click()
        return 0
    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    assert dialogs.confirm_delete(None, "Xóa “Nguyễn Văn A” cùng 2 lần tham gia mô hình?")
    [(text, note, buttons, default, escape)] = seen
    assert text == "Xóa “Nguyễn Văn A” cùng 2 lần tham gia mô hình?"
    assert sorted(buttons) == ["Không", "Xóa"] and (default, escape) == ("Xóa", "Không")
    assert "Thùng rác" in note and "Ctrl+Z" in note


def test_delete_asks_then_ctrl_z_brings_it_back(station_with_accounts, window_as, role,
                                                 messages, qtbot):
    ctx, ids = station_with_accounts
    window = window_as(role)
    page = window.members
    person_id = _select_person(page, "Nguyễn Văn Đức")
    top = audit_top(ctx)
    if role == "viewer":
        qtbot.keyClick(page.view, Qt.Key_Delete)
        assert [kind for kind, _ in messages.shown] == ["error"]     # refused, not asked
        assert "không được phép" in messages.texts()
        assert _live(ctx, "persons", person_id) and audit_top(ctx) == top
        assert not window.undo.undo_action.isEnabled()
        return
    messages.answers.append(False)                                    # “Không”
    qtbot.keyClick(page.view, Qt.Key_Delete)
    assert messages.shown[-1] == ("confirm_delete",
                                  "Xóa “Nguyễn Văn Đức” cùng 1 lần tham gia mô hình?")
    assert _live(ctx, "persons", person_id) and audit_top(ctx) == top
    messages.answers.append(True)                                     # “Xóa”
    qtbot.mouseClick(page.delete_button, Qt.LeftButton)
    assert page.model.row_of(person_id) == -1
    assert MembershipRepo(ctx.store).of_person(person_id) == []
    assert last_audit_users(ctx, top) == {ACCOUNT_OF[role]}
    assert page.selected_id() and window.focusWidget() is page.view  # ready for Delete
    assert "Đã xóa thành viên “Nguyễn Văn Đức”" in window.statusBar().currentMessage()
    assert window.undo_button() is not None and window.undo.undo_action.isEnabled()
    # The button sits among the status bar's right-hand widgets: never under the message.
    bar = window.statusBar()
    assert bar.fontMetrics().horizontalAdvance(bar.currentMessage()) + 6 < \
        window.undo_button().x()
    top = audit_top(ctx)
    _ctrl_z(window, qtbot)
    assert page.model.row_of(person_id) >= 0
    assert len(MembershipRepo(ctx.store).of_person(person_id)) == 1
    ops = ctx.db.execute("SELECT user, op FROM audit WHERE seq > ? AND record_id = ?",
                         [top, person_id]).fetchall()
    assert ops == [(ACCOUNT_OF[role], "undelete")]
    assert window.undo_button() is None and not window.undo.undo_action.isEnabled()
    assert "Đã hoàn tác" in window.statusBar().currentMessage()
    top = audit_top(ctx)
    _ctrl_z(window, qtbot)              # nothing left to undo: nothing happens
    assert audit_top(ctx) == top and page.model.row_of(person_id) >= 0


def test_bin_lists_per_kind_and_restores(station_with_accounts, window_as, role, messages,
                                         qtbot, qtmodeltester, monkeypatch):
    ctx, ids = station_with_accounts
    accounts.sign_in(ctx, "nhaplieu", PASSWORD)
    recycle.delete(ctx, ids["people"][1])            # Trần Thị Ánh, with a commendation
    recycle.delete(ctx, ids["units"][1])
    accounts.sign_out(ctx)
    window = window_as(role)
    window.tabs.setCurrentWidget(window.members)
    opened = []
    monkeypatch.setattr(recycle_bin.RecycleBinDialog, "exec",
                        lambda d: opened.append(d) or d.show())
    window.undo.bin_action.trigger()
    [dialog] = opened
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    assert dialog.kind.currentData() == "person"        # the tab on show
    rows = [[dialog.model.index(r, c).data() for c in range(5)]
            for r in range(dialog.model.rowCount())]
    assert rows[0][:2] == ["Thành viên", "Trần Thị Ánh"]
    assert rows[0][3:] == ["nhaplieu", "1 lần tham gia mô hình và 1 khen thưởng"]
    dialog.kind.setCurrentIndex(0)                      # Tất cả
    assert [dialog.model.index(r, 1).data() for r in range(dialog.model.rowCount())] == [
        "Trường THCS Yên Thủy", "Trần Thị Ánh"]
    dialog.kind.setCurrentIndex(dialog.kind.findData("person"))
    if role == "viewer":
        assert not dialog.restore_button.isEnabled()
        assert "chỉ xem" in dialog.restore_button.toolTip()
        return
    top = audit_top(ctx)
    qtbot.mouseClick(dialog.restore_button, Qt.LeftButton)
    person_id = ids["people"][1]
    assert _live(ctx, "persons", person_id) and _live(ctx, "commendations",
                                                      ids["commendations"][0])
    assert last_audit_users(ctx, top) == {ACCOUNT_OF[role]}
    assert dialog.model.rowCount() == 0 and dialog.empty.isVisible()
    assert not dialog.restore_button.isEnabled()
    assert window.members.model.row_of(person_id) >= 0
    dialog.close()
    # Ctrl+Z takes the restoring back: the person is in the bin again.
    _ctrl_z(window, qtbot)
    assert not _live(ctx, "persons", person_id)
    assert [b.id for b in recycle.binned(ctx, "person")] == [person_id]


@pytest.mark.parametrize("role_", ["admin", "editor"])
def test_ctrl_z_undoes_a_saved_form(station_with_accounts, window_as, role_, forms, qtbot):
    ctx, ids = station_with_accounts
    window = window_as(role_)
    page = window.units
    window.tabs.setCurrentWidget(page)
    page.select_id(ids["units"][1])

    def rename(form):
        type_into(qtbot, form.name, "Trường THCS Yên Thủy B")
        qtbot.keyClick(form.name, Qt.Key_Return)
    forms.fill = rename
    page.edit_selected()
    assert UnitRepo(ctx.store).get(ids["units"][1]).name == "Trường THCS Yên Thủy B"
    assert "Đã lưu đơn vị “Trường THCS Yên Thủy B”" in window.statusBar().currentMessage()
    top = audit_top(ctx)
    window.undo.undo_action.trigger()                  # Sửa → Hoàn tác
    assert UnitRepo(ctx.store).get(ids["units"][1]).name == "Trường THCS Yên Thủy"
    assert last_audit_users(ctx, top) == {ACCOUNT_OF[role_]}


def test_undo_of_a_record_changed_since_is_refused(station_with_accounts, window_as, messages,
                                                   qtbot):
    ctx, ids = station_with_accounts
    window = window_as("editor")
    page = window.members
    person_id = _select_person(page, "Lê Văn An")
    messages.answers.append(True)
    page.delete_selected()
    recycle.restore(ctx, person_id)                    # restored elsewhere (the command line)
    _ctrl_z(window, qtbot)
    assert "không nằm trong Thùng rác" in messages.texts()
    assert _live(ctx, "persons", person_id)


def test_the_menu_carries_undo_with_its_shortcut(station_with_accounts, window_as):
    window = window_as("admin")
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    items = {a.text(): a.shortcut().toString() for a in menus["&Sửa"].actions()
             if not a.isSeparator()}
    assert items == {"Hoàn tác": "Ctrl+Z", "Thùng rác…": ""}


def test_ctrl_z_reaches_only_the_signed_in_accounts_own_changes(station_with_accounts,
                                                                 window_as, messages, qtbot):
    ctx, ids = station_with_accounts
    window = window_as("editor")
    person_id = _select_person(window.members, "Vũ Văn Đạt")
    messages.answers.append(True)
    window.members.delete_selected()
    assert window.undo.undo_action.isEnabled()
    for role in ("viewer", "admin"):               # someone else signs in at the same desk
        accounts.sign_in(ctx, ACCOUNT_OF[role], PASSWORD)
        window.system.refresh_role()
        assert not window.undo.undo_action.isEnabled() and window.undo_button() is None
        _ctrl_z(window, qtbot)
        assert not _live(ctx, "persons", person_id)
    accounts.sign_in(ctx, "nhaplieu", PASSWORD)
    window.system.refresh_role()
    assert window.undo.undo_action.isEnabled()
    _ctrl_z(window, qtbot)
    assert _live(ctx, "persons", person_id)


def test_the_change_history_restores_a_deleted_record(station_with_accounts, window_as, role,
                                                      qtbot):
    ctx, ids = station_with_accounts
    accounts.sign_in(ctx, "nhaplieu", PASSWORD)
    recycle.delete(ctx, ids["models"][1])           # Tổ hòa giải, with its three members
    accounts.sign_out(ctx)
    window = window_as(role)
    window.system.show_history()
    dialog = window.system.history_dialog
    qtbot.addWidget(dialog)
    rows = [dialog.model.entry(r) for r in range(dialog.model.rowCount())]
    at = next(i for i, e in enumerate(rows) if e.op == "delete" and e.table == "models")
    dialog.view.selectRow(at)
    if role == "viewer":
        assert not dialog.restore_button.isEnabled()
        return
    assert dialog.restore_button.isEnabled()
    dialog.view.selectRow(next(i for i, e in enumerate(rows) if e.op == "insert"))
    assert not dialog.restore_button.isEnabled()     # only a deletion comes back
    dialog.view.selectRow(at)
    qtbot.mouseClick(dialog.restore_button, Qt.LeftButton)
    assert _live(ctx, "models", ids["models"][1])
    live = ctx.db.execute("SELECT COUNT(*) FROM memberships WHERE model_id = ? AND"
                          " deleted = 0", [ids["models"][1]]).fetchone()[0]
    assert live == 3
    assert dialog.model.entry(0).op == "undelete" and dialog.model.entry(0).user == \
        ACCOUNT_OF[role]
    assert "Đã khôi phục “Tổ hòa giải thôn Đồng Tâm”" in window.statusBar().currentMessage()
