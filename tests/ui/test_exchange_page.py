"""Trao đổi dữ liệu, driven as a person would: a commune and its province."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from core.exchange import content as ct
from core.exchange import export_package, import_files, verify_file
from core.exchange import ledger
from core.station import init_station
from tests.core.exchange_support import fill
from tests.core.pdfcheck import text_of
from ui.forms.persons import PersonForm
from ui.pages.exchange import ImportPreviewDialog, TrustDialog


@pytest.fixture
def stations(tmp_path):
    """A province T01 and two communes X01 (with data) and X02."""
    province = init_station(tmp_path / "T01.sqlite3", level="tinh", code="T01",
                            name="Công an tỉnh Hòa Bình")
    x01 = init_station(tmp_path / "X01.sqlite3", level="xa", code="X01",
                       name="Công an xã Yên Thủy")
    x02 = init_station(tmp_path / "X02.sqlite3", level="xa", code="X02",
                       name="Công an xã Lạc Sơn")
    fill(x01, seed=1, persons=4, events=2)
    return province, x01, x02


@pytest.fixture
def dialogs_seen(monkeypatch, previews):
    """Preview and trust dialogs answered by the test (accepted unless told)."""
    seen = {"preview": [], "trust": [], "trust_answer": QDialog.DialogCode.Accepted}

    def preview_exec(dialog):
        seen["preview"].append(dialog)
        return QDialog.DialogCode.Accepted if dialog.apply_button.isEnabled() \
            else QDialog.DialogCode.Rejected

    def trust_exec(dialog):
        seen["trust"].append(dialog)
        return seen["trust_answer"]

    monkeypatch.setattr(ImportPreviewDialog, "exec", preview_exec)
    monkeypatch.setattr(TrustDialog, "exec", trust_exec)
    seen["opened"] = previews        # the real preview dialogs, not run modally
    return seen


def settle(qtbot) -> None:
    """Let the queued task results (preview, then apply) reach their slots."""
    from PySide6.QtCore import QCoreApplication
    for _ in range(6):
        QCoreApplication.processEvents()


def open_window(ctx, qtbot):
    from ui.main_window import MainWindow
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    win.tabs.setCurrentWidget(win.exchange)
    return win


def test_commune_takes_in_province_key_then_exports(stations, tmp_path, qtbot, sync_tasks,
                                                   messages, dialogs_seen, qtmodeltester):
    province, x01, _ = stations
    down = tmp_path / "T01-xuong.antq"
    export_package(province, down)
    win = open_window(x01, qtbot)
    page = win.exchange
    assert page.fingerprint.text() == x01.station.fingerprint
    assert not page.export_button.isEnabled()
    assert "phải nhận tệp của Công an tỉnh" in page.province_label.text()
    assert "USB" in page.province_label.text()

    page.take_in([str(down)])
    settle(qtbot)
    [preview] = dialogs_seen["preview"]
    qtmodeltester.check(preview.model)
    assert preview.model.column(1) == ["Công an tỉnh Hòa Bình (T01)"]
    assert preview.model.column(3) == ["Đơn vị mới — cần xác nhận"]
    [trust] = dialogs_seen["trust"]
    assert trust.fingerprint.text() == province.station.fingerprint
    assert "đã nhận gói số 1 của T01" in messages.texts()
    assert ledger.province(x01.db).code == "T01"
    assert page.export_button.isEnabled()
    assert "Công an tỉnh Hòa Bình" in page.province_label.text()
    assert page.log_model.rowCount() == 1
    qtmodeltester.check(page.log_model)

    out = tmp_path / page.suggested_name()
    assert out.name.startswith("X01-") and out.suffix == ".antq"
    page.export_package(str(out))
    settle(qtbot)
    assert "Đã xuất tệp số 1" in messages.texts() and str(out) in messages.texts()
    assert "Tệp số 1" in page.last_export_label.text()
    assert "Chưa có xác nhận" in page.last_export_label.text()
    check = verify_file(province, out)
    assert check.ok and check.sender == "X01" and check.sequence == 1


def test_commune_refusing_trust_takes_nothing_in(stations, tmp_path, qtbot, sync_tasks,
                                                 messages, dialogs_seen):
    province, x01, _ = stations
    down = tmp_path / "T01.antq"
    export_package(province, down)
    dialogs_seen["trust_answer"] = QDialog.DialogCode.Rejected
    page = open_window(x01, qtbot).exchange
    page.take_in([str(down)])
    settle(qtbot)
    assert ledger.province(x01.db) is None
    assert not page.export_button.isEnabled()
    assert "Không nhận tệp nào. Không tin cậy: Công an tỉnh Hòa Bình (T01)." in messages.texts()
    assert page.log_model.rowCount() == 0


def test_province_takes_in_a_commune_and_follows_completeness(
        stations, tmp_path, qtbot, sync_tasks, messages, dialogs_seen, qtmodeltester,
        monkeypatch):
    province, x01, x02 = stations
    down = tmp_path / "T01.antq"
    export_package(province, down)
    for commune in (x01, x02):
        import_files(commune, [down], trust_new=True)
    up1 = tmp_path / "X01-1.antq"
    export_package(x01, up1)
    up2 = tmp_path / "X02-1.antq"
    with monkeypatch.context() as patched:     # X02's data runs only to the last year
        patched.setattr(ct, "today", lambda: "2025-01-01")
        export_package(x02, up2)
    win = open_window(province, qtbot)
    page = win.exchange
    assert page.log_empty.isVisible()

    page.take_in([str(up1), str(up2), str(down)])
    settle(qtbot)
    [preview] = dialogs_seen["preview"]
    qtmodeltester.check(preview.model)
    assert preview.model.column(3) == ["Đơn vị mới — cần xác nhận"] * 2 + ["Bị từ chối"]
    assert int(preview.model.column(4)[0]) > 4               # X01's records, new
    assert "do chính đơn vị này" in preview.model.column(8)[2]
    assert [t.result_.sender for t in dialogs_seen["trust"]] == ["X01", "X02"]
    assert page.log_model.rowCount() == 2
    assert "Công an xã Yên Thủy (X01)" in page.log_model.column(1)
    assert win.members.model.total == 4       # X01's members, shown read-only

    # The import log's receipt, printed.
    page.log_view.selectRow(page.log_model.column(1).index("Công an xã Yên Thủy (X01)"))
    assert page.receipt_button.isEnabled()
    page.print_receipt(str(tmp_path / "bien_nhan.pdf"))
    settle(qtbot)
    receipt = dialogs_seen["opened"][-1]
    assert receipt.windowTitle().startswith("Biên nhận")
    assert "Công an xã Yên Thủy" in text_of(receipt.path)
    assert not [kind for kind, _ in messages.shown if kind == "bug"]

    # Completeness for this month: X01 sent, X02 has not.
    page.inner.setCurrentIndex(1)
    month = page.period.code()
    page.show_completeness()
    model = page.completeness_model
    qtmodeltester.check(model)
    status = dict(zip(model.column(0), model.column(2)))
    assert status == {"X01": "Đã gửi đủ", "X02": "Chưa gửi"}, month
    assert "1/2 xã đã gửi đủ" in page.completeness_heading.text()
    assert page.remind_button.isEnabled()
    out = tmp_path / "nhac.pdf"
    page.print_reminders(str(out))
    settle(qtbot)
    text = text_of(out)
    assert "Công an xã Lạc Sơn" in text and "Công an xã Yên Thủy" not in text
    reminders = dialogs_seen["opened"][-1]          # shown (was: show_pdf() missing 'title')
    assert reminders.path == out and "nhắc nhở" in reminders.windowTitle()
    assert not [kind for kind, _ in messages.shown if kind == "bug"]

    # Taking the same file in again changes nothing: the preview says so.
    page.take_in([str(up1)])
    settle(qtbot)
    again = dialogs_seen["preview"][-1]
    assert again.model.column(3) == ["Đã nhận trước đó"]
    assert not again.apply_button.isEnabled()
    assert page.log_model.rowCount() == 2


def test_province_sends_down_to_one_commune(stations, tmp_path, qtbot, sync_tasks, messages,
                                           dialogs_seen):
    province, x01, _ = stations
    down = tmp_path / "T01.antq"
    export_package(province, down)
    import_files(x01, [down], trust_new=True)
    up = tmp_path / "X01-1.antq"
    export_package(x01, up)
    import_files(province, [up], trust_new=True)
    page = open_window(province, qtbot).exchange
    assert page.target.count() == 2
    page.target.setCurrentIndex(page.target.findData("X01"))
    assert page.suggested_name().startswith("T01-X01-")
    out = tmp_path / "T01-X01.antq"
    page.export_package(str(out))
    settle(qtbot)
    assert "mã hóa cho X01" in messages.texts()
    check = verify_file(x01, out)
    assert check.ok and check.recipient == "X01"


def test_province_lists_show_commune_records_read_only(stations, tmp_path, qtbot, sync_tasks,
                                                      messages, dialogs_seen, monkeypatch):
    province, x01, _ = stations
    down = tmp_path / "T01.antq"
    export_package(province, down)
    import_files(x01, [down], trust_new=True)
    up = tmp_path / "X01-1.antq"
    export_package(x01, up)
    import_files(province, [up], trust_new=True)
    win = open_window(province, qtbot)
    page = win.members
    win.tabs.setCurrentWidget(page)
    owners = [page.owner_filter.itemData(i) for i in range(page.owner_filter.count())]
    assert owners == [None, "T01", "X01"]
    page.owner_filter.set_value("T01")
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    page.owner_filter.set_value("X01")
    qtbot.waitUntil(lambda: page.model.rowCount() == 4)
    page.view.selectRow(0)
    assert page.edit_button.text() == "Xem" and not page.delete_button.isEnabled()
    opened = []
    monkeypatch.setattr(PersonForm, "exec", lambda form: opened.append(form) or 0)
    page.edit_selected()                       # opens read-only, no refusal
    assert opened[0].read_only and "Công an xã Yên Thủy" in opened[0].banner.text()
    page.delete_selected()
    assert messages.texts().count("thuộc đơn vị X01") == 1
    assert win.members.model.total == 4        # nothing deleted


def test_commune_lists_have_no_owner_filter(stations, qtbot, sync_tasks, messages):
    _, x01, _ = stations
    win = open_window(x01, qtbot)
    page = win.members
    win.tabs.setCurrentWidget(page)  # lists load when first shown
    assert page.owner_filter is None
    page.view.selectRow(0)
    assert page.edit_button.isEnabled() and page.delete_button.isEnabled()
