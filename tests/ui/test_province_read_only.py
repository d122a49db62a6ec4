"""A province sees its communes' records read-only: units tree filter and read-only forms."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractSpinBox, QCheckBox, QComboBox, QDialogButtonBox,
                               QLineEdit)

from core.errors import UserError
from core.exchange import export_package, import_files
from core.records import Commendation
from core.services import activities
from core.station import init_station
from tests.core.exchange_support import fill
from ui.forms.persons import MembershipDialog


@pytest.fixture
def province(tmp_path):
    """A province T01 holding the records of communes X01 and X02 (taken in from packages)."""
    province = init_station(tmp_path / "T01.sqlite3", level="tinh", code="T01",
                            name="Công an tỉnh Hòa Bình")
    down = tmp_path / "T01.antq"
    export_package(province, down)
    for code, name, seed in (("X01", "Công an xã Yên Thủy", 1), ("X02", "Công an xã Lạc Sơn", 2)):
        commune = init_station(tmp_path / f"{code}.sqlite3", level="xa", code=code, name=name,
                               parent_code="T01")
        fill(commune, seed=seed, persons=3, events=1)
        import_files(commune, [down], trust_new=True)
        up = tmp_path / f"{code}.antq"
        export_package(commune, up)
        [result] = import_files(province, [up], trust_new=True)
        assert result.status == "applied", result.reason
        commune.close()
    yield province
    province.close()


@pytest.fixture
def win(province, qtbot, sync_tasks, messages, forms):
    from ui.main_window import MainWindow
    window = MainWindow(province)
    qtbot.addWidget(window)
    window.show()
    return window


def _tree(page) -> dict[str, list[str]]:
    """Top-level rows of the units tree and the names right below each."""
    model = page.model
    shown = {}
    for r in range(model.rowCount()):
        root = model.item(r, 0)
        shown[root.text()] = [root.child(i, 0).text() for i in range(root.rowCount())]
    return shown


def _assert_read_only(form) -> None:
    """Every field locked, “Lưu” hidden, “Đóng” offered, the banner shown."""
    assert form.read_only and form.banner.isVisibleTo(form)
    assert not form.buttons.button(QDialogButtonBox.Save).isVisibleTo(form)
    assert form.buttons.button(QDialogButtonBox.Cancel).text() == "Đóng"
    kept = [w for k in form.browse_widgets for w in (k, *k.findChildren(QLineEdit))]
    for edit in form.findChildren(QLineEdit):
        if edit not in kept and edit.isVisibleTo(form):
            assert edit.isReadOnly(), edit
    for box in form.findChildren(QAbstractSpinBox):
        assert box in kept or box.isReadOnly()
    for widget in (*form.findChildren(QComboBox), *form.findChildren(QCheckBox)):
        assert not widget.isEnabled(), widget


def test_units_tree_filters_by_commune(win, qtbot):
    page = win.units
    win.tabs.setCurrentWidget(page)
    owners = [page.owner_filter.itemData(i) for i in range(page.owner_filter.count())]
    assert owners == [None, "T01", "X01", "X02"]
    assert page.owner_filter.currentText() == "Mọi đơn vị gửi"
    tree = _tree(page)
    assert list(tree) == ["Công an tỉnh Hòa Bình", "Công an xã Yên Thủy", "Công an xã Lạc Sơn"]
    assert tree["Công an xã Yên Thủy"] == ["Thôn 1 Đông", "Trường 1"]
    assert page.count_label.text() == "Tổng số: 4 đơn vị"
    page.owner_filter.set_value("X02")
    assert _tree(page) == {"Công an xã Lạc Sơn": ["Thôn 2 Đông", "Trường 2"]}
    assert page.count_label.text() == "Tổng số: 2 đơn vị"
    page.owner_filter.set_value("T01")
    assert page.stack.currentWidget() is page.empty
    assert "Tổng số: 0" in page.count_label.text()
    page.owner_filter.set_value(None)
    assert len(_tree(page)) == 3


def test_commune_unit_opens_read_only_and_is_not_deleted(win, province, forms, messages, qtbot):
    page = win.units
    win.tabs.setCurrentWidget(page)
    page.owner_filter.set_value("X01")
    unit_id = province.db.execute(
        "SELECT id FROM units WHERE name = 'Thôn 1 Đông'").fetchone()[0]
    page.select_id(unit_id)
    assert page.edit_button.text() == "Xem" and page.edit_button.isEnabled()
    assert not page.delete_button.isEnabled() and not page.sub_button.isEnabled()
    seen = []
    forms.fill = lambda form: seen.append((form, form.name.text(), form.banner.text()))
    page.edit_selected()
    form, name, banner = seen[0]
    assert name == "Thôn 1 Đông"
    assert banner.startswith("Bản ghi của Công an xã Yên Thủy (nhận qua gói dữ liệu) — chỉ xem.")
    _assert_read_only(form)
    assert form.year.isEnabled() and not form.year.isReadOnly()   # the year shown can change
    form.try_save()                                               # Enter does nothing
    assert form.record_id is None
    page.delete_selected()
    assert "thuộc Công an xã Yên Thủy" in messages.texts()
    assert province.db.execute("SELECT deleted FROM units WHERE id = ?",
                               [unit_id]).fetchone()[0] == 0


@pytest.mark.parametrize("tab", ["models", "members", "events", "results"])
def test_commune_records_open_read_only_from_every_list(win, forms, messages, qtbot, tab):
    page = getattr(win, tab)
    win.tabs.setCurrentWidget(page)
    page.owner_filter.set_value("X02")
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    page.view.selectRow(0)
    assert page.edit_button.text() == "Xem" and page.edit_button.isEnabled()
    assert not page.delete_button.isEnabled()
    seen = []
    forms.fill = seen.append
    page.view.doubleClicked.emit(page.model.index(0, 0))
    [form] = seen
    assert "Công an xã Lạc Sơn" in form.banner.text()
    assert form.windowTitle().startswith("Xem ")
    _assert_read_only(form)
    assert messages.shown == []


def test_member_memberships_can_be_viewed_not_changed(win, forms, monkeypatch, qtbot):
    page = win.members
    win.tabs.setCurrentWidget(page)
    page.owner_filter.set_value("X01")
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    page.view.selectRow(0)
    shown = []
    monkeypatch.setattr(MembershipDialog, "exec", lambda d: shown.append(d) or 0)

    def open_membership(form):
        add, view, remove = form.membership_buttons
        assert not add.isEnabled() and not remove.isEnabled()
        assert view.text() == "Xem…" and view.isEnabled()
        form.membership_view.selectRow(0)
        view.click()

    forms.fill = open_membership
    page.edit_selected()
    [dialog] = shown
    assert dialog.read_only and not dialog.model.isEnabled()


def test_own_records_stay_editable(win, forms, qtbot):
    page = win.units
    win.tabs.setCurrentWidget(page)
    seen = []
    forms.fill = seen.append
    page.add_record()
    assert not seen[0].read_only
    assert seen[0].buttons.button(QDialogButtonBox.Save).isVisibleTo(seen[0])
    assert page.edit_button.text() == "Sửa"


def test_store_still_refuses_a_write_to_a_commune_record(province):
    record_id = province.db.execute(
        "SELECT id FROM results WHERE owner = 'X01'").fetchone()[0]
    with pytest.raises(UserError):
        with province.store.transaction():
            province.store.update("results", record_id, {"quantity": 99})
    assert province.db.execute("SELECT quantity FROM results WHERE id = ?",
                               [record_id]).fetchone()[0] != 99


def test_commune_sees_a_province_commendation_read_only(tmp_path, qtbot, sync_tasks, messages,
                                                         forms):
    """A commendation the province decided travels down and is read-only at the commune."""
    from ui.main_window import MainWindow
    province = init_station(tmp_path / "T01.sqlite3", level="tinh", code="T01",
                            name="Công an tỉnh Hòa Bình")
    commune = init_station(tmp_path / "X01.sqlite3", level="xa", code="X01",
                           name="Công an xã Yên Thủy", parent_code="T01")
    ids = fill(commune, seed=1, persons=2, events=1)
    down = tmp_path / "T01.antq"
    export_package(province, down)
    import_files(commune, [down], trust_new=True)
    up = tmp_path / "X01.antq"
    export_package(commune, up)
    import_files(province, [up], trust_new=True)
    activities.save_commendation(province, Commendation(
        recipient_kind="model", recipient_id=ids["model"], form="giay_khen",
        authority="giam_doc_ca_tinh", decision_no="12/QĐ-CAT", decision_date="2026-05-01",
        achievement="Có thành tích xuất sắc"))
    down2 = tmp_path / "T01-2.antq"
    export_package(province, down2, to="X01")
    [result] = import_files(commune, [down2])
    assert result.status == "applied", result.reason
    window = MainWindow(commune)
    qtbot.addWidget(window)
    window.show()
    page = window.commendations
    window.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    page.view.selectRow(0)
    assert page.edit_button.text() == "Xem" and not page.delete_button.isEnabled()
    seen = []
    forms.fill = seen.append
    page.edit_selected()
    assert "Công an tỉnh Hòa Bình" in seen[0].banner.text()
    _assert_read_only(seen[0])
    province.close()


def test_completeness_headers_fit_at_1366(win, qtbot):
    """“Số gói gần nhất” and the other titles are shown whole on a 1366×768 screen."""
    win.resize(1366, 740)
    win.tabs.setCurrentWidget(win.exchange)
    page = win.exchange
    page.inner.setCurrentIndex(1)
    page.show_completeness()
    view = page.completeness_view
    qtbot.waitUntil(lambda: view.isVisible())
    header = view.horizontalHeader()
    titles = [page.completeness_model.headerData(c, Qt.Horizontal)
              for c in range(header.count())]
    assert "Số gói gần nhất" in titles
    for column in range(header.count()):
        assert header.sectionSize(column) >= header.sectionSizeHint(column), titles[column]
    assert header.length() <= view.viewport().width() + 1   # no horizontal scrolling
    assert win.width() <= 1366


def test_read_only_check_lists_show_only_the_ticked_items(win, forms, qtbot):
    page = win.events
    win.tabs.setCurrentWidget(page)
    page.owner_filter.set_value("X01")
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    page.view.selectRow(0)
    seen = []
    forms.fill = seen.append
    page.edit_selected()
    models = seen[0].models
    shown = [models.item(i).text() for i in range(models.count())
             if not models.item(i).isHidden()]
    assert shown == ["Tổ ANND thôn 1"]         # not the other communes' models
    assert models.count() > 1


def test_unit_choices_say_whose_at_the_province(win, province, forms, qtbot):
    """Every commune has its “Thôn 1”: the unit filter and the forms' unit lists name the
    commune after a unit received from it."""
    page = win.events
    win.tabs.setCurrentWidget(page)
    labels = [label for label, _ in page._unit_items()]
    assert labels[0] == "Tất cả đơn vị"
    assert "Thôn 1 Đông — Công an xã Yên Thủy" in labels
    assert "Trường 2 — Công an xã Lạc Sơn" in labels
    assert "Thôn 1 Đông" not in labels
    from ui.forms.events import EventForm
    form = EventForm(province)
    qtbot.addWidget(form)
    shown = [form.unit.itemText(i) for i in range(form.unit.count())]
    assert "Thôn 2 Đông — Công an xã Lạc Sơn" in shown


def test_unit_choices_at_a_commune_are_plain_names(tmp_path):
    from core import queries
    commune = init_station(tmp_path / "x.db", level="xa", code="X09", name="Công an xã Thử")
    fill(commune, seed=4, persons=2, events=1)
    labels = [label for label, _ in queries.unit_choices(commune.db)]
    assert labels and not any("—" in label for label in labels)
    commune.close()
