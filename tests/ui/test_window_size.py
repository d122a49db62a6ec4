"""The window at 1366×768 with a taskbar: it fits, never widens itself, keeps its
state per database, and its texts are not cut off."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QPushButton, QRadioButton

from core.station import init_station
from tests.ui.helpers import open_signed_in

AREA = QRect(0, 0, 1366, 728)          # 1366×768 less a 40 px Windows taskbar


@pytest.fixture
def small_screen(monkeypatch):
    from ui import main_window
    monkeypatch.setattr(main_window, "screen_area", lambda: AREA)


def test_the_first_window_fits_1366x768_with_a_taskbar(station_with_accounts, small_screen,
                                                       qtbot):
    from ui.main_window import FRAME
    window = open_signed_in(station_with_accounts[0], "admin", qtbot)
    width = window.width() + FRAME[0]
    height = window.height() + FRAME[1]
    assert width <= 1366 and height <= 728
    assert window.height() >= 600             # and still uses the screen


@pytest.mark.parametrize("role", ["admin", "viewer"])
def test_switching_tabs_never_widens_the_window(station_with_accounts, small_screen, role,
                                                qtbot):
    window = open_signed_in(station_with_accounts[0], role, qtbot)
    size = window.size()
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        assert window.size() == size, window.tabs.tabText(index)
    assert window.minimumSizeHint().width() <= 1366 - 16


def test_window_state_is_kept_per_database(tmp_path, qtbot, small_screen):
    from ui.main_window import MainWindow
    one = init_station(tmp_path / "mot.sqlite3", level="xa", code="X01", name="Công an xã Một")
    two = init_station(tmp_path / "hai.sqlite3", level="xa", code="X02", name="Công an xã Hai")
    first = MainWindow(one)
    qtbot.addWidget(first)
    first.resize(700, 500)
    first.tabs.setCurrentIndex(4)
    first.close()
    other = MainWindow(two)
    qtbot.addWidget(other)
    assert other.tabs.currentIndex() == 0 and other.width() != 700
    other.tabs.setCurrentIndex(2)
    other.close()
    again = MainWindow(one)
    qtbot.addWidget(again)
    assert again.tabs.currentIndex() == 4 and again.width() == 700
    assert first.settings_group() != other.settings_group()
    for ctx in (one, two):
        ctx.close()


def cut_texts(root) -> list[str]:
    """Labels, check boxes, radio and push buttons whose text is wider than the widget."""
    cut = []
    widgets = [w for cls in (QLabel, QCheckBox, QRadioButton, QPushButton)
               for w in root.findChildren(cls)]
    for widget in widgets:
        if not widget.isVisible() or not widget.text() or widget.width() <= 0:
            continue
        if isinstance(widget, QLabel) and (widget.wordWrap() or "<" in widget.text()
                                           or widget.pixmap() is not None
                                           and not widget.pixmap().isNull()):
            continue
        text = widget.text().replace("&", "")
        longest = max(text.split("\n"), key=widget.fontMetrics().horizontalAdvance)
        need = widget.fontMetrics().horizontalAdvance(longest)
        if isinstance(widget, QLabel):
            room = widget.contentsRect().width() - 2 * widget.margin() - widget.indent() \
                if widget.indent() > 0 else widget.contentsRect().width() - 2 * widget.margin()
        else:
            room = widget.width() - (24 if isinstance(widget, (QCheckBox, QRadioButton)) else 12)
        if need > room:
            cut.append(f"{type(widget).__name__} “{text}” needs {need} px, has {room} px")
    return cut


def cut_combos_and_placeholders(root) -> list[str]:
    """Filters whose chosen item, or search boxes whose hint, does not fit."""
    from PySide6.QtWidgets import QComboBox, QLineEdit, QStyle, QStyleOptionComboBox
    cut = []
    for combo in root.findChildren(QComboBox):
        if not combo.isVisible() or not combo.currentText():
            continue
        option = QStyleOptionComboBox()
        combo.initStyleOption(option)
        room = combo.style().subControlRect(QStyle.CC_ComboBox, option,
                                            QStyle.SC_ComboBoxEditField, combo).width()
        need = combo.fontMetrics().horizontalAdvance(combo.currentText())
        if need > room:
            cut.append(f"filter “{combo.currentText()}” needs {need} px, has {room} px")
    for edit in root.findChildren(QLineEdit):
        hint = edit.placeholderText()
        if not edit.isVisible() or not hint or edit.text():
            continue
        room = edit.width() - 12 - (24 if edit.isClearButtonEnabled() else 0)
        need = edit.fontMetrics().horizontalAdvance(hint)
        if need > room:
            cut.append(f"hint “{hint}” needs {need} px, has {room} px")
    return cut


def cut_headers(root) -> list[str]:
    """Visible list columns narrower than their title and the sort arrow."""
    from PySide6.QtWidgets import QTableView
    cut = []
    for view in root.findChildren(QTableView):
        if not view.isVisible():
            continue
        header = view.horizontalHeader()
        model = view.model()
        for column in range(header.count()):
            if header.isSectionHidden(column):
                continue
            text = str(model.headerData(column, header.orientation()) or "")
            need = header.sectionSizeHint(column)       # title, margins, the sort arrow
            if header.sectionSize(column) < need and column != header.count() - 1:
                cut.append(f"column “{text}”: {header.sectionSize(column)} px < {need} px")
    return cut


@pytest.mark.parametrize("role", ["admin", "viewer"])
def test_no_text_is_cut_off_at_1366x768(station_with_accounts, small_screen, role, qtbot):
    window = open_signed_in(station_with_accounts[0], role, qtbot)
    problems = []
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        page = window.tabs.currentWidget()
        problems += [f"{window.tabs.tabText(index)}: {p}"
                     for p in cut_texts(page) + cut_headers(page)
                     + cut_combos_and_placeholders(page)]

    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("name", ["UnitForm", "ModelForm", "PersonForm", "MembershipDialog",
                                  "EventForm", "ResultForm", "CommendationForm",
                                  "DocumentSettingsDialog", "NumberDateDialog", "AccountForm",
                                  "PasswordForm", "LoginDialog", "OfficialEntryDialog"])
def test_no_text_is_cut_off_in_the_forms(station_with_accounts, small_screen, name, qtbot,
                                         tmp_path):
    from tests.ui.test_vietnamese import OPENERS
    ctx, ids = station_with_accounts
    window = open_signed_in(ctx, "admin", qtbot)
    form = OPENERS[name](window, ids, tmp_path)
    qtbot.addWidget(form)
    form.show()
    QApplication.processEvents()
    assert form.frameGeometry().height() <= 728 - 30
    problems = cut_texts(form) + cut_combos_and_placeholders(form)
    assert problems == [], "\n".join(problems)
