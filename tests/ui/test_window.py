"""The window as a whole: start-up, overview, report, exchange, tasks, errors."""
from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QApplication, QWidget

from core import queries
from core.errors import UserError
from core.text import format_number
from ui import app, dialogs, tasks


def test_database_argument(tmp_path):
    assert app.database_argument(["--db", str(tmp_path / "x.db")]) == tmp_path / "x.db"
    assert app.database_argument([]).name == "antq.sqlite3"


def test_title_tabs_and_exchange_fingerprint(window):
    assert window.windowTitle().startswith("Công an xã Hòa Bình")
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == ["Tổng quan", "Đơn vị", "Mô hình", "Thành viên", "Sự kiện", "Kết quả",
                      "Khen thưởng", "Báo cáo", "Trao đổi dữ liệu"]
    assert window.exchange.fingerprint.text() == window.ctx.station.fingerprint
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&Tệp", "&Sửa", "&Dữ liệu", "&Hệ thống", "Trợ &giúp"]
    file_actions = [a.text() for a in window.menuBar().actions()[0].menu().actions()
                    if a.text()]
    assert file_actions == ["Sổ Excel mẫu…", "Nhập từ Excel…", "Nhập danh sách có sẵn…",
                            "Xuất ra Excel…", "Cài đặt văn bản…", "Thoát"]


@pytest.fixture
def filled_window(filled, qtbot, sync_tasks, messages, forms):
    from ui.main_window import MainWindow
    win = MainWindow(filled)
    qtbot.addWidget(win)
    win.show()
    return win


def test_overview_shows_the_current_figures(filled_window, qtbot):
    page = filled_window.overview
    qtbot.waitUntil(lambda: len(page.reports) == 2)      # the month, then the year
    month, year = page.reports
    assert page.cards["models_total"].text() == format_number(
        month["indicators"]["models_total"])
    assert month["indicators"]["models_total"] > 0
    assert page.models_chart.chart().series()
    assert "số liệu tháng" in page.heading.text()


def test_report_page_shows_indicators_of_the_chosen_period(filled_window, qtbot, messages):
    page = filled_window.report
    page.period.kind.setCurrentIndex(page.period.kind.findData("year"))
    page.period.year.setValue(2026)
    assert page.period.dates.text() == "từ 15/12/2025 đến 14/12/2026"
    page.run_report()
    qtbot.waitUntil(lambda: page.report is not None)
    assert "năm 2026" in page.heading.text()
    first = [page.model.item(r, 0).text() for r in range(page.model.rowCount())]
    assert first[0] == "Tổng số đơn vị"
    assert page.model.item(0, 1).text() == format_number(
        page.report["indicators"]["units_total"])


def test_geometry_and_column_widths_are_remembered(filled, qtbot, sync_tasks):
    from ui.main_window import MainWindow
    first = MainWindow(filled)
    qtbot.addWidget(first)
    first.resize(700, 500)
    first.members.view.horizontalHeader().resizeSection(0, 333)
    first.tabs.setCurrentIndex(3)
    first.close()
    assert QSettings().value(f"{first.settings_group()}/tab") is not None
    second = MainWindow(filled)
    qtbot.addWidget(second)
    assert second.members.view.horizontalHeader().sectionSize(0) == 333
    assert second.tabs.currentIndex() == 3
    assert second.size().width() == 700


def test_background_task_reports_success_progress_and_failure(qtbot):
    seen = []

    def work(control):
        for i in range(3):
            control.progress(i + 1, 3, "bước")
        return "xong"

    tasks.run_task(None, work, on_success=seen.append)
    qtbot.waitUntil(lambda: seen == ["xong"], timeout=5000)

    errors = []
    tasks.run_task(None, lambda c: 1 / 0, on_success=seen.append, on_failure=errors.append)
    qtbot.waitUntil(lambda: len(errors) == 1, timeout=5000)
    assert isinstance(errors[0], ZeroDivisionError)


def test_cancelled_task_stops_quietly(qtbot, messages):
    import threading
    gate = threading.Event()
    outcome = []

    def work(control):
        gate.wait(5)
        control.progress(1, 2)
        return "không tới đây"

    control = tasks.run_task(None, work, on_success=outcome.append)
    control.cancel()
    gate.set()
    qtbot.wait(300)
    assert outcome == [] and messages.shown == []


def test_a_user_error_is_shown_and_a_bug_is_logged_politely(qtbot, monkeypatch, caplog):
    shown = []
    kinds = {dialogs.QMessageBox.Icon.Warning: "warning",
             dialogs.QMessageBox.Icon.Critical: "critical"}
    monkeypatch.setattr(dialogs.QMessageBox, "exec",
                        lambda box: shown.append((kinds.get(box.icon()), box.text())))
    dialogs.excepthook(UserError, UserError("Tệp không đọc được."), None)
    assert shown[-1] == ("warning", "Tệp không đọc được.")
    with caplog.at_level(logging.ERROR):
        try:
            raise KeyError("lỗi lập trình")
        except KeyError as exc:
            dialogs.excepthook(KeyError, exc, exc.__traceback__)
    assert shown[-1][0] == "critical"
    assert "Traceback" not in shown[-1][1] and "nhật ký" in shown[-1][1]
    assert "KeyError" in caplog.text and "Traceback" in caplog.text


def test_about_box_names_version_and_data_folder(window, monkeypatch):
    from core.version import VERSION
    shown = []
    monkeypatch.setattr("ui.dialogs.about",
                        lambda parent, title, text: shown.append((title, text)))
    help_menu = window.menuBar().actions()[-1].menu()
    next(a for a in help_menu.actions() if a.text() == "Giới thiệu").trigger()
    title, text = shown[0]
    assert title == "Giới thiệu"
    assert VERSION in text and str(window.ctx.path) in text and "Thư mục dữ liệu" in text


def test_open_window_shows_the_station(ctx, qtbot, sync_tasks):
    path = ctx.path
    ctx.close()
    window = app.open_window(["--db", str(path)])
    qtbot.addWidget(window)
    assert window.isVisible()
    assert window.windowTitle().startswith("Công an xã Hòa Bình")


def test_open_window_refuses_a_database_of_a_newer_program(tmp_path, qapp, monkeypatch):
    from core.station import init_station
    path = tmp_path / "newer.sqlite3"
    station = init_station(path, level="xa", code="X9", name="Công an xã Mới")
    station.db.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
                       " VALUES ('antq', '9999_future', '2030-01-01')")
    station.db.conn.commit()
    station.close()
    shown = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, text, title="": shown.append(text))
    assert app.open_window(["--db", str(path)]) is None
    assert "phiên bản mới hơn" in shown[0]


def test_pages_read_their_data_when_first_shown(filled, qtbot, sync_tasks, messages, forms):
    from ui.main_window import MainWindow
    win = MainWindow(filled)
    qtbot.addWidget(win)
    win.tabs.setCurrentWidget(win.overview)
    win.show()
    lists = (win.models, win.members, win.events, win.results, win.commendations)
    assert not any(page.model.loaded for page in lists)
    assert win.members.model_filter.count() == 1          # “Tất cả mô hình” only, so far
    assert win.units.model.rowCount() == 0 and not win.exchange.shown_once
    win.data_changed({"persons", "models", "units"})       # hidden pages stay unread
    assert not win.members.model.loaded
    win.tabs.setCurrentWidget(win.members)
    page = win.members
    assert page.model.loaded and page.model.rowCount() > 0
    assert page.model_filter.count() == 1 and page.unit_filter.count() == 1  # read on opening
    page.model_filter.showPopup()
    page.model_filter.hidePopup()
    assert page.model_filter.count() == 1 + len(queries.model_choices(filled.db))
    QApplication.sendEvent(page.unit_filter,        # reached by the keyboard: read as well
                           QFocusEvent(QEvent.FocusIn, Qt.TabFocusReason))
    assert page.unit_filter.count() == 1 + len(queries.unit_rows(filled.db))
    qtbot.waitUntil(lambda: "…" not in page.count_label.text(), timeout=2000)
    total = queries.count_all(filled.db, queries.PERSONS)
    assert page.count_label.text() == (f"Đang hiển thị {format_number(total)} / "
                                       f"{format_number(total)} thành viên")
    win.tabs.setCurrentWidget(win.units)
    assert win.units.model.rowCount() > 0
    win.tabs.setCurrentWidget(win.exchange)
    assert win.exchange.shown_once


def test_tabs_are_built_when_first_shown(filled, qtbot, sync_tasks, messages, forms):
    from ui.main_window import MainWindow
    win = MainWindow(filled)
    qtbot.addWidget(win)
    win.show()
    assert [win.page_name(p) for p in win.pages] == ["overview"]
    assert win.overview.models_chart.findChildren(QWidget)   # “Đang tính số liệu…” meanwhile
    win.tabs.setCurrentIndex(3)
    assert win.tabs.currentWidget() is win.members and win.members.model.loaded
    assert [win.page_name(p) for p in win.pages] == ["overview", "members"]
    assert win.members.history_button.parent() is win.members   # the window's hooks ran


def test_the_bundle_smoke_shows_every_tab(window):
    from ui import app
    app.show_every_tab(window)
    assert len(window.pages) == window.tabs.count() == 9
    assert window.tabs.currentIndex() == 0
