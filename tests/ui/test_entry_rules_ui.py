"""The entry rules in the window's forms, with accounts: the same rules as the workbook,
the list intake and packages (see tests/core/test_entry_rules.py)."""
from __future__ import annotations

import pytest

from core.records import Model
from core.repos.persons import MembershipRepo, PersonRepo
from core.services import models as model_service
from tests.ui.helpers import click_save, type_into
from ui import dialogs
from ui.forms.persons import MembershipDialog, PersonForm
from ui.forms.results import ResultForm


def _open_new(win, page, forms, fill):
    win.tabs.setCurrentWidget(page)
    forms.fill = fill
    first = len(forms.opened)
    win._new()
    return forms.opened[first]          # the record's form (its membership dialogs come after)


def _membership(model_id, join="01/03/2026", role=None):
    def fill(dialog):
        dialog.model.set_value(model_id)
        if role:
            dialog.role.set_value(role)
        dialog.join_date.setText(join)
        dialog.try_save()
    return fill


def _persons(ctx) -> int:
    return ctx.db.execute("SELECT COUNT(*) FROM persons WHERE deleted = 0").fetchone()[0]


def test_a_known_id_number_offers_only_the_existing_person(window_as, qtbot, forms,
                                                           messages, monkeypatch,
                                                           station_with_accounts):
    ctx, ids = station_with_accounts
    win = window_as("editor")
    asked = []
    monkeypatch.setattr(dialogs, "choose", lambda parent, text, options, title="": (
        asked.append((text, options)), 0)[1])
    before = _persons(ctx)

    def fill(form):
        if isinstance(form, MembershipDialog):
            return
        type_into(qtbot, form.full_name, "Nguyễn Văn Mới")
        type_into(qtbot, form.id_number, "035000000000")     # Nguyễn Văn Đức's number
        click_save(qtbot, form)
    form = _open_new(win, win.members, forms, fill)
    text, options = asked[0]
    assert options == ["Mở hồ sơ đã có", "Hủy"]         # no “Vẫn tạo mới” to be refused
    assert "Nguyễn Văn Đức" in text and "035000000000" in text
    assert form.person.id == ids["people"][0] and form.windowTitle() == "Sửa thành viên"
    assert form.full_name.text() == "Nguyễn Văn Đức"
    assert _persons(ctx) == before


def test_a_namesake_without_a_number_may_still_be_created(window_as, qtbot, forms, messages,
                                                          monkeypatch, station_with_accounts):
    ctx, _ = station_with_accounts
    win = window_as("editor")
    asked = []
    monkeypatch.setattr(dialogs, "choose", lambda parent, text, options, title="": (
        asked.append(options), 1)[1])
    before = _persons(ctx)

    def fill(form):
        type_into(qtbot, form.full_name, "Nguyễn Văn Đức")
        type_into(qtbot, form.birth_date, "10/01/1970")
        click_save(qtbot, form)
    _open_new(win, win.members, forms, fill)
    assert asked == [["Mở hồ sơ đã có", "Vẫn tạo mới", "Hủy"]]
    assert _persons(ctx) == before + 1


def test_an_error_goes_when_its_field_is_fixed(window_as, qtbot, forms, messages):
    win = window_as("editor")

    def fill(form):
        type_into(qtbot, form.id_number, "123")
        click_save(qtbot, form)
        assert not form.error_label("full_name").isHidden()
        assert "12 chữ số" in form.error_label("id_number").text()
        type_into(qtbot, form.full_name, "Lê Thị Sửa")
        assert form.error_label("full_name").isHidden()                 # fixed: gone
        assert not form.error_label("id_number").isHidden()             # not yet fixed
        type_into(qtbot, form.id_number, "035099000001")
        assert form.error_label("id_number").isHidden()
        click_save(qtbot, form)
    form = _open_new(win, win.members, forms, fill)
    assert form.record_id is not None


def test_a_result_needs_a_unit_or_a_model(window_as, qtbot, forms, messages,
                                          station_with_accounts):
    ctx, ids = station_with_accounts
    win = window_as("editor")
    before = ctx.db.execute("SELECT COUNT(*) FROM results").fetchone()[0]

    def fill(form):
        assert isinstance(form, ResultForm)
        click_save(qtbot, form)
        error = form.error_label("unit_id")
        assert not error.isHidden() and "Chưa ghi đơn vị hoặc mô hình" in error.text()
        form.model.set_value(ids["models"][0])
        assert error.isHidden()
        click_save(qtbot, form)
    form = _open_new(win, win.results, forms, fill)
    assert form.record_id is not None
    assert ctx.db.execute("SELECT COUNT(*) FROM results").fetchone()[0] == before + 1


def test_a_fourteen_year_old_in_a_people_security_team_is_warned(window_as, qtbot, forms,
                                                                 messages,
                                                                 station_with_accounts):
    ctx, ids = station_with_accounts
    win = window_as("editor")

    def fill(form):
        if isinstance(form, MembershipDialog):
            _membership(ids["models"][0])(form)        # Tổ an ninh nhân dân
            return
        type_into(qtbot, form.full_name, "Lê Văn Nhỏ")
        type_into(qtbot, form.birth_date, "01/01/2012")
        form.add_membership()
        click_save(qtbot, form)
    form = _open_new(win, win.members, forms, fill)
    assert form.record_id is not None                               # warned, not refused
    assert "Lê Văn Nhỏ mới 14 tuổi" in messages.texts()
    assert "Tổ an ninh nhân dân" in messages.texts()


def test_joining_before_birth_is_refused_under_the_memberships(window_as, qtbot, forms,
                                                               messages,
                                                               station_with_accounts):
    ctx, ids = station_with_accounts
    win = window_as("editor")
    before = _persons(ctx)

    def fill(form):
        if isinstance(form, MembershipDialog):
            _membership(ids["models"][0], join="01/01/1980")(form)
            return
        type_into(qtbot, form.full_name, "Trần Văn Sớm")
        type_into(qtbot, form.birth_date, "1990")
        form.add_membership()
        click_save(qtbot, form)
        assert "trước ngày sinh" in form.error_label("memberships").text()
        form.remove_membership()            # selecting nothing removes nothing
        form.membership_view.selectRow(0)
        form.remove_membership()
        assert form.error_label("memberships").isHidden()          # the list changed
    form = _open_new(win, win.members, forms, fill)
    assert form.record_id is None and _persons(ctx) == before


def test_a_club_has_its_own_titles(window_as, qtbot, forms, messages, station_with_accounts):
    ctx, ids = station_with_accounts
    win = window_as("editor")
    club, _ = model_service.save(ctx, Model(name="CLB phòng chống ma túy Đồng Tâm",
                                            type="cau_lac_bo", unit_ids=[ids["units"][0]]))
    seen = {}

    def fill(form):
        if isinstance(form, MembershipDialog):
            form.model.set_value(ids["models"][0])
            seen["tổ"] = [form.role.itemText(i) for i in range(form.role.count())]
            form.model.set_value(club)
            seen["clb"] = [form.role.itemText(i) for i in range(form.role.count())]
            form.role.set_value("to_truong")
            form.join_date.setText("01/03/2026")
            form.try_save()
            return
        type_into(qtbot, form.full_name, "Đinh Văn Chủ")
        form.add_membership()
        seen["table"] = form.membership_model.item(0, 1).text()
        click_save(qtbot, form)
    form = _open_new(win, win.members, forms, fill)
    assert seen["tổ"] == ["Tổ trưởng", "Tổ phó", "Thành viên"]
    assert seen["clb"] == ["Chủ nhiệm", "Phó chủ nhiệm", "Hội viên"]
    assert seen["table"] == "Chủ nhiệm"
    membership = MembershipRepo(ctx.store).of_person(form.record_id)[0]
    assert membership.role == "to_truong"                     # stored as before
    page = win.members
    page.refresh()
    row = page.model.row_of(form.record_id)
    assert page.model.index(row, 4).data() == "Chủ nhiệm"


def test_ethnicity_from_the_list_and_religion_are_saved(window_as, qtbot, forms, messages):
    win = window_as("editor")

    def fill(form):
        assert form.ethnicity.count() == 55 and form.ethnicity.itemText(1) == "Kinh"
        type_into(qtbot, form.full_name, "Y Bih Niê")
        form.ethnicity.setEditText("Kinhh")
        click_save(qtbot, form)
        assert "54 dân tộc" in form.error_label("ethnicity").text()
        form.ethnicity.setEditText("e de")                 # without tone marks
        assert form.error_label("ethnicity").isHidden()
        type_into(qtbot, form.religion, "Tin lành")
        click_save(qtbot, form)
    form = _open_new(win, win.members, forms, fill)
    person = PersonRepo(win.ctx.store).get(form.record_id)
    assert (person.ethnicity, person.religion) == ("Ê-đê", "Tin lành")


def test_a_viewer_sees_ethnicity_and_religion_locked(window_as, qtbot, station_with_accounts):
    ctx, ids = station_with_accounts
    win = window_as("viewer")
    form = PersonForm(win.ctx, ids["people"][0], win)
    qtbot.addWidget(form)
    form.set_read_only("chỉ xem")
    assert form.ethnicity.text() == "Mường" and not form.ethnicity.isEnabled()
    assert form.religion.isReadOnly()
    assert "Tôn giáo:" in [form.form.labelForField(form.religion.parentWidget()).text()]


def test_the_member_list_filter_names_both_titles(window_as, station_with_accounts):
    win = window_as("admin")
    combo = win.members.filter_widgets["role"] if hasattr(win.members, "filter_widgets") \
        else None
    if combo is None:
        from PySide6.QtWidgets import QComboBox
        combo = next(c for c in win.members.findChildren(QComboBox)
                     if c.findData("to_truong") >= 0)
    assert combo.itemText(combo.findData("to_truong")) == "Tổ trưởng / Chủ nhiệm"


@pytest.mark.parametrize("typed, offered", [("e de", "Ê-đê"), ("ede", "Ê-đê"),
                                            ("hmong", "Mông"), ("Mườ", "Mường"),
                                            ("khmer", "Khơ-me")])
def test_ethnicity_completes_without_tone_marks(qtbot, typed, offered):
    from ui.widgets import EthnicityCombo
    combo = EthnicityCombo()
    qtbot.addWidget(combo)
    combo.show()
    type_into(qtbot, combo.lineEdit(), typed)           # as typed: the completer follows
    completer = combo.completer()
    assert completer.completionPrefix() == typed
    model = completer.completionModel()
    found = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert offered in found, found
    assert completer.pathFromIndex(model.index(found.index(offered), 0)) == offered
