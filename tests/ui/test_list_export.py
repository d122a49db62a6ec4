"""“Xuất Excel…” and “In danh sách…” on every list, as each account would use them."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from pdfcheck import fonts_of, text_of  # noqa: E402

from ui import list_export, printing  # noqa: E402
from tests.ui.helpers import search  # noqa: E402

LIST_PAGES = ("units", "models", "members", "events", "results", "commendations")


@pytest.fixture
def opened_files(monkeypatch):
    """Workbooks the program would open with the system's spreadsheet program."""
    opened = []
    monkeypatch.setattr(list_export.QDesktopServices, "openUrl", lambda url: opened.append(url))
    return opened


@pytest.fixture(autouse=True)
def _fresh_outputs(monkeypatch):
    monkeypatch.setattr(printing, "last_output", None)
    monkeypatch.setattr(list_export, "last_output", None)


def _printed(qtbot, action) -> str:
    """Run *action* (a print) and wait for the PDF it previews; return its path."""
    printing.last_output = None
    action()
    qtbot.waitUntil(lambda: printing.last_output is not None, timeout=20000)
    return printing.last_output[0]


def _exported(qtbot, page, target) -> Path:
    """Export *page* to *target* and wait for the workbook."""
    list_export.last_output = None
    page.export_current(str(target))
    qtbot.waitUntil(lambda: list_export.last_output is not None, timeout=20000)
    return Path(target)


def _show(window, name):
    page = window.page(name)
    window.tabs.setCurrentWidget(page)
    return page


def _visible_rows(page) -> list[tuple[str, ...]]:
    """What the list view shows: every row, the visible columns in on-screen order."""
    page.model.fetch_all()
    columns = list_export.visible_columns(page.view)
    return [tuple(page.model.index(r, c).data() for c in columns)
            for r in range(page.model.rowCount())]


def _workbook_rows(path) -> list[tuple]:
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    return rows[4:]


def test_every_list_has_the_two_buttons_and_prints(window_as, previews, opened_files, tmp_path,
                                                   qtbot):
    window = window_as("viewer")
    for name in LIST_PAGES:
        page = _show(window, name)
        assert page.export_button.text() == "Xuất Excel…"
        assert page.print_list_button.text() == "In danh sách…"
        assert page.export_button.isEnabled() and page.print_list_button.isEnabled()
        before = len(previews)
        path = _printed(qtbot, page.print_list_button.click)
        assert len(previews) == before + 1, name
        assert all(embedded for _, embedded in fonts_of(path))
        assert "CÔNG AN XÃ YÊN THỦY" in text_of(path)
        target = _exported(qtbot, page, tmp_path / f"{name}.xlsx")
        assert target.exists() and list_export.last_output[0] == str(target)
    assert len(opened_files) == len(LIST_PAGES)


def test_members_export_keeps_filter_search_sort_and_hidden_columns(
        window_as, role, previews, opened_files, station_with_accounts, qtbot, tmp_path):
    ctx, ids = station_with_accounts
    window = window_as(role)
    page = _show(window, "members")
    page.model_filter.load()
    page.model_filter.set_value(ids["models"][0])
    search(qtbot, page, "van")
    page.view.sortByColumn(1, Qt.DescendingOrder)        # by birth date, newest first
    page.set_column_shown(2, False)                      # Giới tính hidden
    page.view.horizontalHeader().moveSection(5, 0)       # Điện thoại first
    shown = _visible_rows(page)
    assert [r[1] for r in shown] == ["Đỗ Văn Hùng", "Lê Văn An", "Nguyễn Văn Đức"]

    target = _exported(qtbot, page, tmp_path / "tv.xlsx")
    rows = _workbook_rows(target)
    assert [r[0] for r in rows] == [1, 2, 3]
    headers = list(load_workbook(target).active.iter_rows(values_only=True))[3]
    assert headers[1] == "Điện thoại" and "Giới tính" not in headers
    as_text = [tuple("" if v is None else (v.strftime("%d/%m/%Y") if hasattr(v, "strftime")
                                           else str(v)) for v in r[1:]) for r in rows]
    assert as_text == shown
    assert opened_files and opened_files[-1].toLocalFile() == str(target)

    text = text_of(_printed(qtbot, page.print_current))
    assert "Tổ an ninh nhân dân thôn Đồng Tâm" in text and "tìm “van”" in text
    assert text.index("Đỗ Văn Hùng") < text.index("Lê Văn An") < text.index("Nguyễn Văn Đức")
    assert "Trần Thị Ánh" not in text and "Giới tính" not in text


def test_a_decisions_commendations_as_a_list(window_as, previews, opened_files, tmp_path,
                                              station_with_accounts, qtbot):
    ctx, _ = station_with_accounts
    from core.records import Commendation
    from core.services import activities
    window = window_as("editor")
    activities.save_commendation(ctx, Commendation(
        recipient_kind="unit", recipient_id=station_with_accounts[1]["units"][0],
        form="giay_khen", authority="chu_tich_ubnd_xa", decision_no="40/QĐ-UBND",
        decision_date="2026-10-01", achievement="Thành tích khác"))
    page = _show(window, "commendations")
    window.data_changed({"commendations"})
    assert page.model.rowCount() == 3
    page.decision_filter.load()
    page.decision_filter.set_value("25/QĐ-UBND")
    assert page.model.rowCount() == 2
    target = _exported(qtbot, page, tmp_path / "qd.xlsx")
    rows = _workbook_rows(target)
    assert len(rows) == 2 and {r[2] for r in rows} == {"25/QĐ-UBND"}
    text = text_of(_printed(qtbot, page.print_current))
    assert "QĐ 25/QĐ-UBND" in text and "40/QĐ-UBND" not in text


def test_an_empty_list_is_not_printed(window_as, previews, messages, qtbot):
    window = window_as("admin")
    page = _show(window, "results")
    search(qtbot, page, "khong co gi nhu the nay")
    assert page.model.rowCount() == 0
    page.print_list_button.click()
    qtbot.waitUntil(lambda: bool(messages.shown), timeout=20000)
    assert not previews
    assert "không có dòng nào để in" in messages.texts()


def test_units_tree_prints_and_exports_as_shown(window_as, previews, opened_files, tmp_path,
                                                qtbot):
    window = window_as("viewer")
    page = _show(window, "units")
    table = page.shown_table()
    assert [r[0] for r in table.rows] == ["Thôn Đồng Tâm", "Trường THCS Yên Thủy"]
    assert table.indents == [0, 0]
    assert "DANH SÁCH ĐƠN VỊ" in text_of(_printed(qtbot, page.print_list_button.click))
    target = _exported(qtbot, page, tmp_path / "dv.xlsx")
    assert [r[1] for r in _workbook_rows(target)] == ["Thôn Đồng Tâm", "Trường THCS Yên Thủy"]


@pytest.mark.parametrize("level", ["xa", "tinh"])
def test_every_list_page_with_its_new_buttons_fits_1366(tmp_path, qtbot, sync_tasks, level):
    from core.station import init_station
    from ui.main_window import MainWindow
    ctx = init_station(tmp_path / "w.sqlite3", level=level, code="W1",
                       name="Công an xã Hòa Bình")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    for name in LIST_PAGES:
        page = _show(window, name)
        bar = page.print_bar if hasattr(page, "print_bar") else page.layout().itemAt(0)
        assert bar.minimumSize().width() <= 1366 - 40, name    # room for the margins
        assert page.minimumSizeHint().width() <= 1366, name
    assert window.minimumSizeHint().width() <= 1366
    ctx.close()


def test_a_very_long_list_is_asked_about_before_printing(window_as, previews, messages,
                                                         monkeypatch, qtbot):
    window = window_as("viewer")
    page = _show(window, "members")
    monkeypatch.setattr(list_export, "LARGE_PRINT", 5)          # the seeded 8 persons
    messages.answers.append(False)
    page.print_list_button.click()
    assert "Danh sách có 8 dòng (khoảng 1 trang). Vẫn in?" in messages.texts()
    assert not previews
    messages.answers.append(True)
    _printed(qtbot, page.print_list_button.click)
    assert len(previews) == 1
