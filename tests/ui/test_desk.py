"""The province's desk (issue 18): every commune of Gia Lai from the list, who sent this
period, the communes × indicators table and its drill-down, the Xã column, Gửi cho, and
the commune's cut-off line; driven with accounts (admin, editor, viewer)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from core import accounts
from core.exchange import export_package, import_files
from core.station import init_station
from tests.core.exchange_support import fill
from ui.main_window import MainWindow
from ui.pages import desk as deskmod

PASSWORD = "mat-khau-123"
SENDERS = (("21583", 1), ("23614", 2), ("23617", 3))   # Quy Nhơn, An Bình, An Khê


@pytest.fixture
def gia_lai(tmp_path):
    """Province 52 with accounts; three of its 135 communes sent a package."""
    tinh = init_station(tmp_path / "52.sqlite3", level="tinh", code="52")
    down = tmp_path / "52.antq"
    export_package(tinh, down)
    for code, seed in SENDERS:
        xa = init_station(tmp_path / f"{code}.sqlite3", level="xa", code=code)
        import_files(xa, [down], trust_new=True)
        fill(xa, seed=seed, persons=2 + seed, events=1)
        up = tmp_path / f"{code}.antq"
        export_package(xa, up)
        [result] = import_files(tinh, [up], trust_new=True)
        assert result.status == "applied", result.reason
        xa.close()
    accounts.add_user(tinh, "quantri", "admin", PASSWORD)
    accounts.sign_in(tinh, "quantri", PASSWORD)
    accounts.add_user(tinh, "canbo", "editor", PASSWORD)
    accounts.add_user(tinh, "xem", "viewer", PASSWORD)
    yield tinh
    tinh.close()


def _window(ctx, qtbot, name):
    accounts.sign_in(ctx, name, PASSWORD)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitUntil(lambda: win.overview.desk is not None
                    and win.overview.desk.model.rowCount() > 0, timeout=20000)
    return win


@pytest.mark.parametrize("user", ["quantri", "canbo", "xem"])
def test_desk_shows_every_commune_and_who_sent(gia_lai, qtbot, sync_tasks, messages, user,
                                              qtmodeltester):
    win = _window(gia_lai, qtbot, user)
    panel = win.overview.desk
    qtmodeltester.check(panel.model)
    assert panel.summary.text().startswith("3/135 xã đã gửi dữ liệu")
    model = panel.model
    names = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert len(names) == 135 and "Phường Quy Nhơn" in names
    statuses = [model.index(r, 2).data() for r in range(model.rowCount())]
    assert statuses.count("Chưa gửi") == 132
    # sorted by status first: the communes that have not sent come first, in red
    assert statuses[0] == "Chưa gửi"
    assert model.index(0, 2).data(Qt.ItemDataRole.ForegroundRole).name() == "#b00020"
    sent = next(r for r in range(model.rowCount()) if names[r] == "Phường Quy Nhơn")
    assert model.index(sent, 3).data()                      # last file date shown
    assert model.index(sent, 5).data() == "3"              # its members (2 + seed 1)


def test_desk_sorts_and_drills_down(gia_lai, qtbot, sync_tasks, messages):
    win = _window(gia_lai, qtbot, "xem")
    panel = win.overview.desk
    panel.view.sortByColumn(5, Qt.SortOrder.DescendingOrder)          # Thành viên
    top = [panel.model.index(r, 0).data() for r in range(3)]
    assert top == ["Phường An Khê", "Phường An Bình", "Phường Quy Nhơn"]
    panel.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    first = panel.model.index(0, 0).data()
    assert first.startswith("Phường An Bình") or first < "Phường"   # by name, no diacritics
    row = next(r for r in range(panel.model.rowCount())
               if panel.model.index(r, 0).data() == "Phường Quy Nhơn")
    dialog = panel.open_row(row)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Số liệu của Phường Quy Nhơn (21583)"
    figures = {dialog.tree.topLevelItem(i).text(0): dialog.tree.topLevelItem(i).text(1)
               for i in range(dialog.tree.topLevelItemCount())}
    from ui.pages.figures import LABELS
    assert figures[LABELS["members_total"]] == "3"
    lists = next(b for b in dialog.findChildren(deskmod.QPushButton)
                 if b.text() == "Xem danh sách của xã")
    lists.click()
    members = win.members
    assert win.tabs.currentWidget() is members
    assert members.owner_filter.value() == "21583"
    assert members.model.rowCount() == 3


def test_province_lists_have_a_commune_column_and_send_to_picks_one(gia_lai, qtbot,
                                                                    sync_tasks, messages):
    win = _window(gia_lai, qtbot, "canbo")
    page = win.members
    win.tabs.setCurrentWidget(page)
    headers = [page.model.headerData(c, Qt.Orientation.Horizontal)
               for c in range(page.model.columnCount())]
    assert headers[-1] == "Xã"
    shown = {page.model.index(r, len(headers) - 1).data() for r in range(page.model.rowCount())}
    assert shown == {"Phường Quy Nhơn", "Phường An Bình", "Phường An Khê"}
    owners = [page.owner_filter.itemText(i) for i in range(page.owner_filter.count())]
    assert "Phường Quy Nhơn (21583)" in owners
    exchange = win.exchange
    win.tabs.setCurrentWidget(exchange)
    target = exchange.target
    assert target.count() == 136 and target.itemData(0) is None
    enabled = [target.itemData(i) for i in range(1, target.count())
               if target.model().item(i).isEnabled()]
    assert sorted(enabled) == ["21583", "23614", "23617"]


def test_reminders_for_a_period_not_ended_are_warned_not_refused(
        gia_lai, qtbot, sync_tasks, messages, previews, tmp_path):
    from core.periods import current_month
    win = _window(gia_lai, qtbot, "quantri")
    page = win.exchange
    win.tabs.setCurrentWidget(page)
    page.period.set_code("2025-12")
    page.show_completeness()
    assert page.completeness_model.rowCount() == 135
    assert page.remind_button.isEnabled() and not page.remind_button.toolTip()
    month = current_month()
    page.period.set_code(f"{month.end.year}-{month.end.month:02d}")
    page.show_completeness()
    assert "chưa kết thúc" in page.completeness_heading.text()
    assert page.remind_button.isEnabled() and "chưa kết thúc" in page.remind_button.toolTip()
    out = tmp_path / "nhac.pdf"
    page.print_reminders(str(out))
    qtbot.waitUntil(lambda: bool(previews))
    [(kind, text)] = messages.shown
    assert kind == "info" and "chưa kết thúc" in text
    from tests.core.pdfcheck import text_of
    assert "kỳ chưa kết thúc" in text_of(out)


def test_commune_overview_shows_cutoff_and_this_periods_file(tmp_path, qtbot, sync_tasks,
                                                            messages):
    tinh = init_station(tmp_path / "52.sqlite3", level="tinh", code="52")
    xa = init_station(tmp_path / "x.sqlite3", level="xa", code="21583")
    accounts.add_user(xa, "quantri", "admin", PASSWORD)
    accounts.sign_in(xa, "quantri", PASSWORD)
    accounts.add_user(xa, "xem", "viewer", PASSWORD)
    win = MainWindow(xa)
    qtbot.addWidget(win)
    win.show()
    line = win.overview.status_line
    qtbot.waitUntil(lambda: "Hạn chốt" in line.text(), timeout=20000)
    assert "ngày 14/" in line.text() and "Chưa nhận tệp của Công an tỉnh" in line.text()
    assert "Công an phường Quy Nhơn" in win.windowTitle()
    down = tmp_path / "down.antq"
    export_package(tinh, down)
    import_files(xa, [down], trust_new=True)
    up = tmp_path / "up.antq"
    export_package(xa, up)
    win.overview.refresh()
    qtbot.waitUntil(lambda: "đã gửi gói số 1" in line.text(), timeout=20000)
    assert "chưa xác nhận" in line.text()
    import_files(tinh, [up], trust_new=True)
    export_package(tinh, down)
    import_files(xa, [down])
    win.overview.refresh()
    qtbot.waitUntil(lambda: "đã xác nhận" in line.text(), timeout=20000)
    tinh.close()


def test_a_free_code_is_asked_once_for_its_official_entry(tmp_path, qtbot, sync_tasks,
                                                         messages):
    from ui.forms.official_entry import ask_official_entry
    ctx = init_station(tmp_path / "old.sqlite3", level="xa", code="CAX-QN",
                       name="CA P. Quy Nhơn")
    accounts.add_user(ctx, "quantri", "admin", PASSWORD)
    accounts.sign_in(ctx, "quantri", PASSWORD)
    accounts.add_user(ctx, "xem", "viewer", PASSWORD)
    accounts.sign_in(ctx, "xem", PASSWORD)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    assert "(ngoài danh mục)" in win.windowTitle()
    assert ask_official_entry(win) is None                 # a viewer is not asked
    accounts.sign_in(ctx, "quantri", PASSWORD)
    dialog = ask_official_entry(win)
    dialog.province.set_value("52")
    dialog.search.setText("quy nhon dong")
    assert dialog.communes.count() == 1
    dialog.pick.click()
    assert (ctx.station.code, ctx.station.official_code, ctx.station.name,
            ctx.station.parent_code) == ("CAX-QN", "21601", "Công an phường Quy Nhơn Đông",
                                         "52")
    assert "ngoài danh mục" not in win.windowTitle()
    assert "Công an phường Quy Nhơn Đông" in win.windowTitle()
    assert ask_official_entry(win) is None                 # asked once


def test_answering_not_listed_is_kept(tmp_path, qtbot, sync_tasks, messages):
    from ui.forms.official_entry import ask_official_entry
    ctx = init_station(tmp_path / "t.sqlite3", level="tinh", code="T-TAPHUAN",
                       name="Công an tỉnh Tập Huấn")
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    dialog = ask_official_entry(win)
    assert not dialog.communes.isVisible()
    dialog.not_listed.click()
    assert not ctx.station.listed and ask_official_entry(win) is None
