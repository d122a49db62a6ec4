"""“In biên bản” keeps what was typed with the event and opens with it next time."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from pdfcheck import text_of  # noqa: E402

from core import accounts  # noqa: E402
from core.records import Event  # noqa: E402
from core.services import activities  # noqa: E402
from tests.ui.helpers import ACCOUNT_OF, PASSWORD, audit_top, drive_dialogs  # noqa: E402
from ui import printing  # noqa: E402
from ui.forms.minutes import MinutesDialog  # noqa: E402

CHAIR = "Bùi Văn Thắng, Trưởng Công an xã"


@pytest.fixture
def event(station_with_accounts):
    ctx, ids = station_with_accounts
    accounts.sign_in(ctx, ACCOUNT_OF["admin"], PASSWORD)
    event_id, _ = activities.save_event(ctx, Event(
        date="2026-06-01", type="so_ket_tong_ket", title="Sơ kết 6 tháng",
        unit_id=ids["units"][0], participants=20))
    accounts.sign_out(ctx)
    return event_id


def _print(page, qtbot, monkeypatch, fill):
    driver = drive_dialogs(monkeypatch, MinutesDialog)
    driver.fill = fill
    printing.last_output = None
    page.print_minutes_button.click()
    qtbot.waitUntil(lambda: printing.last_output is not None, timeout=20000)
    return driver, text_of(printing.last_output[0])


def _events_page(window, event_id):
    page = window.page("events")
    window.tabs.setCurrentWidget(page)
    window.data_changed({"events"})
    page.select_id(event_id)
    return page


def test_typed_once_kept_and_offered_again(window_as, role, event, station_with_accounts,
                                           previews, monkeypatch, qtbot):
    ctx, _ = station_with_accounts
    page = _events_page(window_as(role), event)
    top = audit_top(ctx)
    may_save = role != "viewer"

    def first(dialog):
        assert "lưu lần trước" not in dialog.hint.text()
        assert dialog.save_box.isEnabled() == may_save
        assert dialog.save_box.isChecked() == may_save
        if not may_save:
            assert "chỉ xem" in dialog.save_box.toolTip()
        assert dialog.place.text() == "Thôn Đồng Tâm"          # the event's unit, by default
        dialog.start_time.setText("14 giờ 00")
        dialog.chair.setText(CHAIR)
        dialog.outcome.setPlainText("Biểu dương 2 tổ viên\nGiao chỉ tiêu quý III")
        dialog.ok_button.click()
    _, text = _print(page, qtbot, monkeypatch, first)
    assert "Chủ trì: " + CHAIR in text and "Giao chỉ tiêu quý III" in text
    kept = activities.saved_minutes(ctx, event)
    if not may_save:
        assert kept.is_empty() and audit_top(ctx) == top
        return
    assert (kept.start_time, kept.chair) == ("14 giờ 00", CHAIR)
    assert kept.result == "Biểu dương 2 tổ viên\nGiao chỉ tiêu quý III"
    assert kept.place == "" and kept.content == ""   # left at their defaults: not frozen
    [(user, table, op)] = ctx.db.execute(
        "SELECT user, table_name, op FROM audit WHERE seq > ?", [top]).fetchall()
    assert (user, table, op) == (ACCOUNT_OF[role], "events", "update")

    def again(dialog):                                  # the next time: pre-filled
        assert dialog.start_time.text() == "14 giờ 00" and dialog.chair.text() == CHAIR
        assert dialog.outcome.toPlainText() == "Biểu dương 2 tổ viên\nGiao chỉ tiêu quý III"
        assert dialog.place.text() == "Thôn Đồng Tâm"
        assert dialog.content.toPlainText() == "Sơ kết 6 tháng"
        assert "lưu lần trước" in dialog.hint.text()
        dialog.save_box.setChecked(False)               # a one-off change, not kept
        dialog.chair.setText("Người khác")
        dialog.ok_button.click()
    _, text = _print(page, qtbot, monkeypatch, again)
    assert "Chủ trì: Người khác" in text
    assert activities.saved_minutes(ctx, event).chair == CHAIR


def test_cancel_prints_and_saves_nothing(window_as, event, station_with_accounts, previews,
                                         monkeypatch):
    ctx, _ = station_with_accounts
    page = _events_page(window_as("editor"), event)
    driver = drive_dialogs(monkeypatch, MinutesDialog)
    driver.fill = lambda dialog: (dialog.chair.setText(CHAIR), dialog.reject())
    printing.last_output = None
    page.print_minutes_button.click()
    assert driver.opened and printing.last_output is None and not previews
    assert activities.saved_minutes(ctx, event).is_empty()


def test_a_value_the_rules_refuse_saves_and_prints_nothing(window_as, event, messages,
                                                           station_with_accounts, previews,
                                                           monkeypatch):
    ctx, _ = station_with_accounts
    page = _events_page(window_as("editor"), event)
    driver = drive_dialogs(monkeypatch, MinutesDialog)
    driver.fill = lambda dialog: (dialog.chair.setText("x" * 300), dialog.ok_button.click())
    printing.last_output = None
    page.print_minutes_button.click()
    from PySide6.QtCore import QCoreApplication
    for _ in range(4):
        QCoreApplication.processEvents()
    assert "200" in messages.texts()
    assert printing.last_output is None and not previews
    assert activities.saved_minutes(ctx, event).is_empty()


def test_a_communes_event_at_the_province_prints_without_saving(tmp_path, qtbot):
    from core.exchange import export_package, import_files
    from core.records import MinutesDetails
    from core.station import init_station
    from exchange_support import link
    tinh = init_station(tmp_path / "t.db", level="tinh", code="T01", name="Công an tỉnh Thử")
    xa = init_station(tmp_path / "x.db", level="xa", code="X01", name="Công an xã Thử")
    link(tinh, xa, tmp_path)
    event_id = activities.save_event(xa, Event(date="2026-03-15", type="hoi_nghi",
                                               title="Hội nghị", participants=10))[0]
    activities.save_minutes(xa, event_id, MinutesDetails(chair=CHAIR))
    export_package(xa, tmp_path / "up.antq")
    assert import_files(tinh, [tmp_path / "up.antq"], trust_new=True)[0].status == "applied"
    dialog = MinutesDialog(tinh, event_id)
    qtbot.addWidget(dialog)
    assert dialog.chair.text() == CHAIR                  # what the commune saved came along
    assert not dialog.save_box.isEnabled() and not dialog.save_wanted()
    assert "đơn vị khác" in dialog.save_box.toolTip()
    tinh.close()
    xa.close()


def test_history_names_the_minutes_fields():
    from ui.history import field_label
    assert field_label("minutes_chair", "events") == "Biên bản: chủ trì"
    assert field_label("minutes_result", "events") == "Biên bản: kết quả"
