"""Every window flow that reads or writes, with accounts present, as admin, editor, viewer.

Reads work for every role; a viewer's writes are refused before anything runs,
with the window's Vietnamese message (no command-line hint); the audit entries
and logs of each write name the signed-in user.
"""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from core import backup
from core.exchange import export_package, import_files, ledger
from core.station import init_station
from tests.core.exchange_support import fill
from tests.core.test_workbook import base_sheets, write_book
from tests.ui.helpers import ACCOUNT_OF, audit_top, last_audit_users, open_signed_in
from ui import printing, system_menu, workbook_actions
from ui.pages.exchange import ImportPreviewDialog, TrustDialog

WRITERS = ("admin", "editor")


def assert_refused(messages, ctx, role: str) -> None:
    """The viewer's refusal: Vietnamese, names the account, no command-line hint."""
    errors = [text for kind, text in messages.shown if kind == "error"]
    assert errors, messages.shown
    assert f"Tài khoản “{ACCOUNT_OF[role]}” (quyền Chỉ xem) không được phép" in errors[-1]
    assert "--user" not in messages.texts() and "dòng lệnh" not in messages.texts()


def settle(qtbot) -> None:
    """Let queued task results reach their slots."""
    from PySide6.QtCore import QCoreApplication
    for _ in range(6):
        QCoreApplication.processEvents()


def _made(qtbot, button) -> tuple[str, int]:
    printing.last_output = None
    button.click()
    qtbot.waitUntil(lambda: printing.last_output is not None, timeout=20000)
    return printing.last_output


# -- the data workbook ----------------------------------------------------------

def test_excel_export(window_as, role, tmp_path, messages, qtbot):
    window = window_as(role)
    out = tmp_path / "xuat.xlsx"
    workbook_actions.export_workbook(window, str(out))
    qtbot.waitUntil(lambda: "Đã xuất" in messages.texts())
    assert out.stat().st_size > 0


def test_excel_import(window_as, role, tmp_path, messages, monkeypatch, qtbot):
    """Refused for the signed-in admin on the old main (the job lost the user)."""
    window = window_as(role)
    ctx = window.ctx
    book = write_book(tmp_path / "so.xlsx", base_sheets())
    previews = []
    monkeypatch.setattr(workbook_actions.ImportPreview, "exec",
                        lambda d: previews.append(d) or QDialog.DialogCode.Accepted)
    before = audit_top(ctx)
    persons = ctx.db.execute("SELECT COUNT(*) FROM persons").fetchone()[0]
    window.tabs.setCurrentWidget(window.members)
    workbook_actions.import_workbook(window, str(book))   # Tệp ▸ Nhập từ Excel…
    settle(qtbot)
    if role == "viewer":
        assert not window.import_action.isEnabled()
        assert previews == []                                # refused before reading
        assert_refused(messages, ctx, role)
        assert audit_top(ctx) == before
        return
    assert previews and not previews[0].report.errors, messages.shown
    qtbot.waitUntil(lambda: "Đã ghi vào cơ sở dữ liệu" in messages.texts())
    assert ctx.db.execute("SELECT COUNT(*) FROM persons").fetchone()[0] == persons + 2
    assert last_audit_users(ctx, before) == {ACCOUNT_OF[role]}
    assert window.members.model.total == persons + 2         # the page that shows them


# -- printing ---------------------------------------------------------------------

def test_every_print_button(window_as, role, station_with_accounts, previews, messages,
                            monkeypatch, qtbot):
    window = window_as(role)
    _ctx, ids = station_with_accounts
    page = window.commendations
    window.tabs.setCurrentWidget(page)
    page.view.selectionModel().select(page.model.index(page.model.row_of(
        ids["commendations"][0]), 0), QItemSelectionModel.Select | QItemSelectionModel.Rows)
    monkeypatch.setattr(printing, "pick_decision",
                        lambda parent, numbers, current=None: numbers[0])
    assert _made(qtbot, page.print_selected_button)[1] == 1          # certificates
    assert _made(qtbot, page.print_decision_certs_button)[1] == 2    # a whole decision
    _made(qtbot, page.print_decision_button)                          # the decision
    window.tabs.setCurrentWidget(window.members)
    _made(qtbot, window.members.print_members_button)                 # member list
    report = window.report
    window.tabs.setCurrentWidget(report)
    report.period.set_code("2026")
    from tests.ui.helpers import drive_dialogs
    from ui.forms.report_texts import NumberDateDialog
    numbers = drive_dialogs(monkeypatch, NumberDateDialog)

    def number(dialog):
        dialog.number.setText("7")
        dialog.ok_button.click()
    numbers.fill = number
    made = _made(qtbot, report.pdf_button)                            # the report
    from pypdf import PdfReader
    assert "Số: 7/BC-CAX" in PdfReader(made[0]).pages[0].extract_text()  # viewer too
    titles = [p.windowTitle() for p in previews]
    assert len(titles) == 5 and titles[2].startswith("Quyết định khen thưởng")
    assert titles[3].startswith("Danh sách trích ngang") and titles[4].startswith("Báo cáo")
    assert not [kind for kind, _ in messages.shown if kind in ("error", "bug")]


# -- backups ----------------------------------------------------------------------

def test_backup_and_backup_to_usb(window_as, role, tmp_path, messages, monkeypatch, qtbot):
    window = window_as(role)
    window.system.backup_action.trigger()
    qtbot.waitUntil(lambda: "Đã sao lưu vào" in messages.texts())
    assert [b.reason for b in backup.list_backups(window.ctx)] == ["manual"]
    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(system_menu, "pick_folder", lambda parent, title: str(usb))
    window.system.usb_action.trigger()
    qtbot.waitUntil(lambda: messages.texts().count("Đã sao lưu vào") == 2)
    [written] = usb.glob("*.sqlite3")
    assert backup.verify_database_file(written).station_code == "XA01"


def test_restore(window_as, role, messages, monkeypatch, qtbot):
    window = window_as(role)
    opened = []
    monkeypatch.setattr(system_menu, "run_dialog", lambda d: opened.append(d) or False)
    window.system.restore_from_backup()
    if role != "admin":
        assert opened == [] and not window.system.restore_action.isEnabled()
        errors = [text for kind, text in messages.shown if kind == "error"]
        assert f"Tài khoản “{ACCOUNT_OF[role]}”" in errors[-1] and "quản trị" in errors[-1]
        assert "--user" not in messages.texts()
        return
    assert [type(d).__name__ for d in opened] == ["RestoreDialog"]


def test_restore_as_admin_reopens_signed_in(station_with_accounts, qtbot, sync_tasks, messages,
                                            forms, monkeypatch):
    ctx, _ids = station_with_accounts
    window = open_signed_in(ctx, "admin", qtbot)
    monkeypatch.setattr(window, "deleteLater", lambda: None)
    window.system.backup_action.trigger()
    qtbot.waitUntil(lambda: "Đã sao lưu vào" in messages.texts())

    def fake_run(dialog):
        if isinstance(dialog, system_menu.RestoreDialog):
            dialog.choose_selected()
            return True
        dialog.name.setText("quantri")                     # the login of the new window
        dialog.password.setText("mat-khau-123")
        dialog.buttons.button(QDialogButtonBox.Ok).click()
        return dialog.result() == QDialog.DialogCode.Accepted

    from ui import main_window, security
    monkeypatch.setattr(system_menu, "run_dialog", fake_run)
    monkeypatch.setattr(security, "run_dialog", fake_run)
    messages.answers.append(True)
    window.system.restore_action.trigger()
    qtbot.waitUntil(lambda: "Đã khôi phục" in messages.texts())
    new = main_window.reopened.pop()
    qtbot.addWidget(new)
    assert new.ctx.user == "quantri" and new.ctx.role == "admin"
    reasons = {b.reason for b in backup.list_backups(new.ctx)}
    assert reasons == {"manual", "restore"}


# -- packages -------------------------------------------------------------------

@pytest.fixture
def province(tmp_path):
    """The province T01 whose first (down) package the commune takes in."""
    station = init_station(tmp_path / "T01.sqlite3", level="tinh", code="T01",
                           name="Công an tỉnh Hòa Bình")
    yield station
    station.close()


@pytest.fixture
def answered(monkeypatch):
    """Preview accepted; trust answered per sender code (accepted unless told)."""
    seen = {"trust": [], "refuse": set()}
    monkeypatch.setattr(ImportPreviewDialog, "exec", lambda d: (
        seen.setdefault("preview", d), QDialog.DialogCode.Accepted
        if d.apply_button.isEnabled() else QDialog.DialogCode.Rejected)[1])

    def trust(dialog):
        seen["trust"].append(dialog.result_.sender)
        return (QDialog.DialogCode.Rejected if dialog.result_.sender in seen["refuse"]
                else QDialog.DialogCode.Accepted)

    monkeypatch.setattr(TrustDialog, "exec", trust)
    return seen


def test_take_in_and_send_packages(window_as, role, province, tmp_path, answered, messages,
                                   qtbot):
    window = window_as(role)
    ctx = window.ctx
    down = tmp_path / "T01.antq"
    export_package(province, down)
    page = window.exchange
    window.tabs.setCurrentWidget(page)
    page.take_in([str(down)])
    settle(qtbot)
    if role == "viewer":
        assert "preview" not in answered                 # refused before reading the file
        assert_refused(messages, ctx, role)
        assert ledger.import_log(ctx.db) == []
        assert not page.export_button.isEnabled()       # no province key: nothing to send
        return
    assert answered["trust"] == ["T01"]
    [entry] = ledger.import_log(ctx.db)
    assert entry["user"] == ACCOUNT_OF[role]
    before = audit_top(ctx)
    up = tmp_path / "XA01-1.antq"
    page.export_package(str(up))
    qtbot.waitUntil(lambda: "Đã xuất tệp số 1" in messages.texts())
    assert up.exists()
    user = ctx.db.execute("SELECT user FROM export_log ORDER BY sequence DESC").fetchone()[0]
    assert user == ACCOUNT_OF[role]
    assert last_audit_users(ctx, before) <= {ACCOUNT_OF[role]}


@pytest.fixture
def province_with_accounts(tmp_path):
    """A province with three accounts, and the packages of two new communes X01, X02."""
    from tests.ui.helpers import make_accounts
    province = init_station(tmp_path / "T01.sqlite3", level="tinh", code="T01",
                            name="Công an tỉnh Hòa Bình")
    down = tmp_path / "T01.antq"
    export_package(province, down)
    packages = []
    for code, name in (("X01", "Công an xã Yên Thủy"), ("X02", "Công an xã Lạc Sơn")):
        commune = init_station(tmp_path / f"{code}.sqlite3", level="xa", code=code, name=name)
        fill(commune, seed=len(packages) + 1, persons=3, events=1)
        import_files(commune, [down], trust_new=True)
        up = tmp_path / f"{code}-1.antq"
        export_package(commune, up)
        packages.append(str(up))
        commune.close()
    make_accounts(province)
    yield province, packages
    province.close()


@pytest.mark.parametrize("who", ["admin", "editor"])
def test_accepting_one_new_sender_and_refusing_another(province_with_accounts, who, qtbot,
                                                       sync_tasks, messages, forms, previews,
                                                       answered):
    """Both files were dropped on the old main (one yes/no for every sender)."""
    province, packages = province_with_accounts
    window = open_signed_in(province, who, qtbot)
    page = window.exchange
    window.tabs.setCurrentWidget(page)
    answered["refuse"].add("X02")
    before = audit_top(province)
    page.take_in(packages)
    settle(qtbot)
    assert answered["trust"] == ["X01", "X02"]           # asked for each, on its own
    status = {r.sender: r for r in page.last_results}
    assert status["X01"].status == "applied"
    assert status["X02"].status == "rejected" and "Không tin cậy" in status["X02"].reason
    assert "Bị từ chối" in messages.texts() and "X02-1.antq" in messages.texts()
    assert [e["sender"] for e in ledger.import_log(province.db)] == ["X01"]
    assert ledger.get_peer(province.db, "X02") is None        # not pinned
    assert last_audit_users(province, before) == {ACCOUNT_OF[who]}
    assert window.members.model.total == 3                   # X01's members shown


def test_province_receipt_and_reminders_for_every_role(province_with_accounts, role, qtbot,
                                                       sync_tasks, messages, forms, previews,
                                                       tmp_path):
    """Both ended in “show_pdf() missing 'title'” on the old main."""
    province, packages = province_with_accounts
    import_files(province, packages[:1], trust_new=True)      # as the admin, signed in
    from core import accounts
    accounts.sign_out(province)
    window = open_signed_in(province, role, qtbot)
    page = window.exchange
    window.tabs.setCurrentWidget(page)
    page.log_view.selectRow(0)
    page.print_receipt(str(tmp_path / "bien_nhan.pdf"))
    settle(qtbot)
    assert previews and previews[-1].windowTitle().startswith("Biên nhận")
    page.inner.setCurrentIndex(1)
    page.period.set_code(str(dt.date.today().year + 1))   # not covered by X01's data yet
    page.show_completeness()
    page.print_reminders(str(tmp_path / "nhac.pdf"))
    settle(qtbot)
    assert len(previews) == 2 and "nhắc nhở" in previews[-1].windowTitle()
    assert not [kind for kind, _ in messages.shown if kind in ("error", "bug")]
    down = tmp_path / "T01-xuong.antq"                     # sending down to the communes
    page.export_package(str(down))
    settle(qtbot)
    if role == "viewer":
        assert_refused(messages, province, role)
        assert not down.exists()
        return
    assert down.exists() and "Đã xuất tệp" in messages.texts()
    user = province.db.execute("SELECT user FROM export_log ORDER BY sequence DESC").fetchone()[0]
    assert user == ACCOUNT_OF[role]


def test_the_window_owns_its_system_menu_and_one_read_only_value(station_with_accounts, qtbot,
                                                                 sync_tasks, messages, forms):
    """Signing in as another account (the idle lock's login) flips the role everywhere."""
    from core import accounts
    ctx, _ids = station_with_accounts
    window = open_signed_in(ctx, "editor", qtbot)
    assert window.can_edit and window.import_action.isEnabled()
    window.tabs.setCurrentWidget(window.members)
    assert window.members.add_button.isEnabled()
    accounts.sign_in(ctx, ACCOUNT_OF["viewer"], "mat-khau-123")
    with qtbot.waitSignal(window.system.role_changed, timeout=1000):
        window.system.idle_lock.unlocked.emit()
    assert not window.can_edit and not window.import_action.isEnabled()
    assert not window.members.add_button.isEnabled()
    assert window.system.user_label.text() == "Người dùng: xem (Chỉ xem)"
    assert not hasattr(window, "restore_action") and not hasattr(window, "gate")


def test_restore_of_another_stations_backup_asks_for_its_password(
        station_with_accounts, qtbot, sync_tasks, messages, forms, monkeypatch, tmp_path):
    """A backup made with another key (another PC): the window asks for the password
    of the signed-in account's name in that backup, then restores it."""
    from core import accounts
    ctx, _ids = station_with_accounts
    (tmp_path / "khac").mkdir()
    other = init_station(tmp_path / "khac" / "antq.sqlite3", level="xa", code="X01",
                         name="Công an xã Khác")
    accounts.add_user(other, "quantri", "admin", "mat-khau-may-khac")
    accounts.sign_in(other, "quantri", "mat-khau-may-khac")
    foreign = backup.backup(other, tmp_path / "usb.sqlite3")
    other.close()
    from core import cipher
    cipher.forget_all()                  # this process made it: forget its key
    cipher.remember(ctx.path, ctx.db.key)
    window = open_signed_in(ctx, "admin", qtbot)
    monkeypatch.setattr(window, "deleteLater", lambda: None)
    asked = []
    monkeypatch.setattr(system_menu, "ask_backup_secret",
                        lambda parent, user: (asked.append(user), "mat-khau-may-khac")[1])

    def fake_run(dialog):
        if isinstance(dialog, system_menu.RestoreDialog):
            dialog.chosen = str(foreign)
            return True
        dialog.name.setText("quantri")                     # the backup's account now
        dialog.password.setText("mat-khau-may-khac")
        dialog.buttons.button(QDialogButtonBox.Ok).click()
        return dialog.result() == QDialog.DialogCode.Accepted

    from ui import main_window, security
    monkeypatch.setattr(system_menu, "run_dialog", fake_run)
    monkeypatch.setattr(security, "run_dialog", fake_run)
    messages.answers.append(True)
    window.system.restore_action.trigger()
    qtbot.waitUntil(lambda: "Đã khôi phục" in messages.texts())
    assert asked == ["quantri"]
    new = main_window.reopened.pop()
    qtbot.addWidget(new)
    assert new.ctx.station.name == "Công an xã Khác" and new.ctx.user == "quantri"
