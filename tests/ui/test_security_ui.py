"""Accounts, history, backups and the single-instance guard in the window."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel

from core import accounts, audit, backup
from core.records import Model, Unit
from core.services import models as model_service
from core.services import units as unit_service
from tests.ui.helpers import click_save, type_into
from ui import app, main_window, security, system_menu
from ui.history import AuditModel
from ui.security import LoginDialog

PASSWORD = "mat-khau-123"


def _sign_up(ctx, *others: tuple[str, str]) -> None:
    """An administrator ``quantri`` signed in, and other accounts."""
    accounts.add_user(ctx, "quantri", "admin", PASSWORD)
    accounts.sign_in(ctx, "quantri", PASSWORD)
    for name, role in others:
        accounts.add_user(ctx, name, role, PASSWORD)


def _login(qtbot, dialog: LoginDialog, name: str, password: str) -> None:
    type_into(qtbot, dialog.name, name)
    type_into(qtbot, dialog.password, password)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)


@pytest.fixture
def dialogs_filled(monkeypatch):
    """``security.run_dialog`` runs ``fills[type name](dialog)`` instead of blocking."""
    fills: dict[str, object] = {}

    def fake(dialog):
        dialog.show()
        fills[type(dialog).__name__](dialog)
        dialog.hide()
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(security, "run_dialog", fake)
    monkeypatch.setattr(system_menu, "run_dialog", fake)
    return fills


def test_login_accepts_the_right_password_and_refuses_a_wrong_one(ctx, qtbot):
    _sign_up(ctx, ("canbo", "editor"))
    accounts.sign_out(ctx)
    dialog = LoginDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    _login(qtbot, dialog, "canbo", "sai-mat-khau")
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error.isVisible()
    assert dialog.error.text() == accounts.WRONG
    assert dialog.password.text() == ""
    assert (ctx.user, ctx.role) == (None, None)
    _login(qtbot, dialog, "canbo", PASSWORD)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert (ctx.user, ctx.role) == ("canbo", "editor")


def test_login_shows_the_lock_out(ctx, qtbot):
    _sign_up(ctx, ("canbo", "editor"))
    accounts.sign_out(ctx)
    dialog = LoginDialog(ctx)
    qtbot.addWidget(dialog)
    for _ in range(accounts.MAX_FAILED):
        _login(qtbot, dialog, "canbo", "sai-mat-khau")
    assert "bị khóa" in dialog.error.text()
    _login(qtbot, dialog, "canbo", PASSWORD)
    assert "đang bị khóa tạm thời" in dialog.error.text()
    assert ctx.role is None


def test_viewer_sees_edit_actions_disabled_and_services_refuse(ctx, window, qtbot, messages,
                                                              forms):
    unit_id, _ = unit_service.save(ctx, Unit(name="Thôn Đông"))
    model_service.save(ctx, Model(name="Tổ tự quản Đoàn Kết", type="to_tu_quan",
                                  status="hieu_qua", unit_ids=[unit_id]))
    _sign_up(ctx, ("xem", "viewer"))
    accounts.sign_in(ctx, "xem", PASSWORD)
    window.system.refresh_role()
    page = window.models
    window.tabs.setCurrentWidget(page)  # lists load when first shown
    page.refresh()
    page.select_id(page.model.id_at(0))
    for button in (page.add_button, page.delete_button,
                   window.members.add_button, window.units.add_button):
        assert not button.isEnabled()
        assert button.toolTip() == security.READ_ONLY_TIP
    # “Sửa” becomes “Xem”: the record opens read-only, with the reason on top.
    assert page.edit_button.isEnabled() and page.edit_button.text() == "Xem"
    assert "tài khoản chỉ xem" in page.edit_button.toolTip()
    seen = []
    forms.fill = seen.append
    page.view.doubleClicked.emit(page.model.index(0, 0))
    [form] = seen
    assert form.read_only and not form.buttons.button(QDialogButtonBox.Save).isVisibleTo(form)
    assert form.banner.text() == "Tài khoản “xem” chỉ có quyền xem: không sửa được dữ liệu."
    assert form.name.isReadOnly()
    assert not window.system.restore_action.isEnabled()
    assert not window.system.accounts_action.isEnabled()
    assert "Người dùng: xem (Chỉ xem)" == window.system.user_label.text()
    importing = [a for a in window.findChildren(type(window.system.backup_action))
                 if a.text() == "Nhập từ Excel…"]
    assert importing and not any(a.isEnabled() for a in importing)
    # Deleting anyway (the Delete key) is refused by the service with a clear message.
    page.delete_selected()
    assert "không được phép" in messages.texts()
    assert page.model.rowCount() == 1
    # An editor gets the buttons back.
    accounts.sign_in(ctx, "quantri", PASSWORD)
    window.system.refresh_role()
    page.select_id(page.model.id_at(0))
    assert page.add_button.isEnabled() and page.edit_button.isEnabled()
    assert page.edit_button.text() == "Sửa"
    assert window.system.restore_action.isEnabled()


def test_audit_browser_shows_an_edit_made_through_a_form(ctx, window, qtbot, forms,
                                                          qtmodeltester):
    _sign_up(ctx)
    window.system.refresh_role()
    unit_id, _ = unit_service.save(ctx, Unit(name="Thôn Đông"))
    model_service.save(ctx, Model(name="Tổ tự quản Đoàn Kết", type="to_tu_quan",
                                  status="hieu_qua", unit_ids=[unit_id]))
    page = window.models
    window.tabs.setCurrentWidget(page)  # lists load when first shown
    window.data_changed({"models", "units"})
    page.select_id(page.model.id_at(0))

    def rename(form):
        type_into(qtbot, form.name, "Tổ tự quản Đoàn Kết số 2")
        click_save(qtbot, form)

    forms.fill = rename
    page.edit_selected()
    window.system.history_action.trigger()
    dialog = window.system.history_dialog
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    top = [dialog.model.index(0, c).data() for c in range(dialog.model.columnCount())]
    assert top[1:] == ["quantri", "Mô hình", "Tổ tự quản Đoàn Kết số 2", "Sửa", "Tên mô hình"]
    assert "Tổ tự quản Đoàn Kết" in dialog.details.toPlainText()
    # One record's history, from the list's “Xem lịch sử” button.
    page.history_button.click()
    one = window.system.history_dialog
    qtbot.addWidget(one)
    assert [one.model.index(r, 4).data() for r in range(one.model.rowCount())] == ["Sửa", "Thêm"]
    # Filter by user.
    dialog.user_combo.setCurrentIndex(dialog.user_combo.findData("quantri"))
    assert dialog.model.rowCount() == len(audit.history_of_user(ctx, "quantri"))


def test_audit_model_passes_the_model_tester(ctx, qtmodeltester):
    unit_service.save(ctx, Unit(name="Thôn Đông"))
    model = AuditModel()
    model.set_entries(audit.recent(ctx))
    assert model.rowCount() >= 1
    qtmodeltester.check(model)
    model.set_entries([])
    qtmodeltester.check(model)


@pytest.fixture
def replaced_window(window, monkeypatch):
    """The window a restore replaces, kept alive for qtbot to close (not deleted by Qt)."""
    monkeypatch.setattr(window, "deleteLater", lambda: None)
    return window


def test_backup_then_restore_through_the_menu(ctx, replaced_window, qtbot, messages,
                                              dialogs_filled):
    window = replaced_window
    unit_service.save(ctx, Unit(name="Thôn Đông"))
    window.system.backup_action.trigger()
    qtbot.waitUntil(lambda: "Đã sao lưu vào" in messages.texts())
    saved = backup.list_backups(ctx)
    assert [b.reason for b in saved] == ["manual"]
    unit_service.save(ctx, Unit(name="Thôn Tây (sau sao lưu)"))

    def pick(dialog):
        assert dialog.table.rowCount() == 1
        assert dialog.table.item(0, 1).text() == "do người dùng"
        dialog.choose_selected()

    dialogs_filled["RestoreDialog"] = pick
    messages.answers.append(True)
    window.system.restore_action.trigger()            # in the background (ui.tasks)
    qtbot.waitUntil(lambda: "Đã khôi phục" in messages.texts())
    new = main_window.reopened.pop()
    qtbot.addWidget(new)
    assert new is not window and new.isVisible()
    names = [r[0] for r in new.ctx.db.execute("SELECT name FROM units WHERE deleted = 0")]
    assert names == ["Thôn Đông"]
    from core.integrity import check_database
    assert check_database(new.ctx) == []
    reasons = {b.reason for b in backup.list_backups(new.ctx)}
    assert reasons == {"manual", "restore"}


def test_restore_of_a_bad_file_changes_nothing(ctx, window, qtbot, tmp_path, messages,
                                               dialogs_filled, monkeypatch):
    unit_service.save(ctx, Unit(name="Thôn Đông"))
    bad = tmp_path / "hong.sqlite3"
    bad.write_bytes(b"khong phai co so du lieu" * 100)
    monkeypatch.setattr(system_menu, "pick_backup_file", lambda parent: str(bad))
    dialogs_filled["RestoreDialog"] = lambda dialog: dialog.choose_file()
    messages.answers.append(True)
    window.system.restore_action.trigger()
    qtbot.waitUntil(lambda: "Không thể khôi phục" in messages.texts())
    assert "Cơ sở dữ liệu hiện tại không thay đổi" in messages.texts()
    assert main_window.reopened == [] and window.isVisible()
    names = [r[0] for r in ctx.db.execute("SELECT name FROM units WHERE deleted = 0")]
    assert names == ["Thôn Đông"]                    # the window's database still works
    assert not list(ctx.path.parent.glob(f".{ctx.path.name}.restore-*"))


def test_restore_failing_at_the_swap_reopens_the_same_data(ctx, replaced_window, qtbot, messages,
                                                            dialogs_filled, monkeypatch):
    window = replaced_window
    unit_service.save(ctx, Unit(name="Thôn Đông"))
    window.system.backup_action.trigger()
    qtbot.waitUntil(lambda: "Đã sao lưu vào" in messages.texts())
    unit_service.save(ctx, Unit(name="Thôn Tây"))
    from core.errors import UserError

    def refuse(path, staging):
        staging.unlink()
        raise UserError("Cơ sở dữ liệu đang được chương trình khác mở.")

    monkeypatch.setattr(backup, "finish_restore", refuse)
    dialogs_filled["RestoreDialog"] = lambda dialog: dialog.choose_selected()
    messages.answers.append(True)
    window.system.restore_action.trigger()
    qtbot.waitUntil(lambda: bool(main_window.reopened))
    assert "chương trình khác mở" in messages.texts() and "Đã khôi phục" not in messages.texts()
    new = main_window.reopened.pop()
    qtbot.addWidget(new)
    names = sorted(r[0] for r in new.ctx.db.execute("SELECT name FROM units WHERE deleted = 0"))
    assert names == ["Thôn Tây", "Thôn Đông"]        # nothing lost


def test_backup_to_usb_folder(ctx, window, qtbot, tmp_path, monkeypatch, messages):
    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(system_menu, "pick_folder", lambda parent, title: str(usb))
    window.system.usb_action.trigger()
    qtbot.waitUntil(lambda: "Đã sao lưu vào" in messages.texts())
    written = list(usb.glob("*.sqlite3"))
    assert len(written) == 1 and "X01" in written[0].name
    assert backup.verify_database_file(written[0]).station_code == "X01"


def test_restore_is_for_administrators_only(ctx, window, messages):
    _sign_up(ctx, ("canbo", "editor"))
    accounts.sign_in(ctx, "canbo", PASSWORD)
    window.system.refresh_role()
    window.system.restore_from_backup()
    assert "không được phép" in messages.texts()


def test_second_window_on_the_same_database_is_refused(ctx, qtbot, sync_tasks, messages):
    path = ctx.path
    ctx.close()
    first = app.open_window(["--db", str(path)])
    qtbot.addWidget(first)
    assert first is not None
    assert app.open_window(["--db", str(path)]) is None
    assert "đang được mở trong một cửa sổ khác" in messages.texts()
    first.close()
    second = app.open_window(["--db", str(path)])
    qtbot.addWidget(second)
    assert second is not None
    second.close()


def test_idle_lock_covers_the_window_until_someone_signs_in(ctx, window, qtbot):
    assert not window.system.idle_lock.watching     # no accounts: no application-wide filter
    _sign_up(ctx, ("canbo", "editor"))
    window.system.refresh_role()
    assert window.system.idle_lock.watching
    window.system.idle_lock.timer.timeout.emit()
    lock = window.system.idle_lock
    assert lock.locked and not window.centralWidget().isVisible()
    assert ctx.role is None and lock.dialog.name.text() == "quantri"
    _login(qtbot, lock.dialog, "canbo", PASSWORD)
    assert not lock.locked and window.centralWidget().isVisible()
    assert (ctx.user, ctx.role) == ("canbo", "editor")
    assert window.system.user_label.text() == "Người dùng: canbo (Nhập liệu)"
    assert not window.system.accounts_action.isEnabled()


def test_window_offers_to_create_the_administrator(ctx, window, qtbot, messages,
                                                   dialogs_filled):
    assert window.system.admin_offer is not None
    assert window.system.create_admin_action.isVisible()

    def fill(form):
        type_into(qtbot, form.name, "quantri")
        type_into(qtbot, form.password, PASSWORD)
        type_into(qtbot, form.again, "khac-mat-khau")
        form.buttons.button(QDialogButtonBox.Save).click()
        assert "không giống nhau" in form.error.text()
        type_into(qtbot, form.again, PASSWORD)
        form.buttons.button(QDialogButtonBox.Save).click()

    dialogs_filled["AccountForm"] = fill
    window.system.create_admin_action.trigger()
    assert (ctx.user, ctx.role) == ("quantri", "admin")
    assert window.system.admin_offer is None and not window.system.create_admin_action.isVisible()
    assert window.system.accounts_action.isVisible() and window.system.accounts_action.isEnabled()


def test_offer_dismissed_stays_dismissed(ctx, window):
    window.system.dismiss_offer()
    assert window.system.admin_offer is None
    assert ctx.setting(system_menu.OFFER_SETTING) is True


def test_accounts_dialog_adds_changes_role_resets_and_removes(ctx, window, qtbot, messages,
                                                              dialogs_filled):
    _sign_up(ctx)
    window.system.refresh_role()
    dialog = security.AccountsDialog(window)
    qtbot.addWidget(dialog)

    def add(form):
        type_into(qtbot, form.name, "canbo")
        form.role.setCurrentIndex(form.role.findData("viewer"))
        type_into(qtbot, form.password, PASSWORD)
        type_into(qtbot, form.again, PASSWORD)
        form.buttons.button(QDialogButtonBox.Save).click()

    dialogs_filled["AccountForm"] = add
    dialog.add_account()
    assert [(a.name, a.role) for a in accounts.list_users(ctx)] == [
        ("canbo", "viewer"), ("quantri", "admin")]
    assert dialog.selected().name == "canbo"
    messages.answers.append(1)  # “Nhập liệu”
    dialog.change_role()
    assert dialog.table.item(0, 1).text() == "Nhập liệu"

    def reset(form):
        type_into(qtbot, form.password, "mat-khau-moi-1")
        type_into(qtbot, form.again, "mat-khau-moi-1")
        form.buttons.button(QDialogButtonBox.Save).click()

    dialogs_filled["PasswordForm"] = reset
    dialog.reset_password()
    assert accounts.verify(ctx, "canbo", "mat-khau-moi-1") == "editor"
    messages.answers.append(True)
    dialog.remove_account()
    assert [a.name for a in accounts.list_users(ctx)] == ["quantri"]
    dialog.select("quantri")
    messages.answers.append(True)
    dialog.remove_account()
    assert "Không thể tự xóa" in messages.texts()


def test_check_data_reports_a_sound_database_and_an_edit_behind_its_back(ctx, window, qtbot,
                                                                         messages):
    unit_service.save(ctx, Unit(name="Thôn Đông"))
    window.system.check_action.trigger()
    qtbot.waitUntil(lambda: "Không phát hiện vấn đề nào" in messages.texts())
    with ctx.db.atomic():
        ctx.db.execute("UPDATE units SET name = 'Thôn Bị Sửa'")
    window.system.check_action.trigger()
    qtbot.waitUntil(lambda: "đã bị sửa ngoài chương trình" in messages.texts())


def test_daily_backup_timer_backs_up_once_a_day(ctx, window, qtbot):
    window.system.daily_backup()
    qtbot.waitUntil(lambda: "hằng ngày" in window.statusBar().currentMessage())
    window.system.daily_backup()
    qtbot.wait(50)
    assert [b.reason for b in backup.list_backups(ctx)] == ["daily"]


# -- the encrypted station: the sign-in comes before it opens (issue #15) ----------

def test_an_encrypted_station_with_accounts_opens_only_after_the_sign_in(ctx, qtbot,
                                                                        monkeypatch):
    from core import cipher
    from tests.ui.helpers import drive_dialogs
    from ui.forms import official_entry
    monkeypatch.setattr(official_entry, "ask_official_entry", lambda window: None)
    _sign_up(ctx, ("canbo", "editor"))
    path = ctx.path
    ctx.close()
    cipher.forget_all()                  # a new start of the program
    driver = drive_dialogs(monkeypatch, security.UnlockDialog)
    tried = []

    def fill(dialog):
        assert any("mã hóa" in label.text() for label in dialog.findChildren(QLabel))
        _login(qtbot, dialog, "canbo", "sai-mat-khau")
        tried.append(dialog.error.text())
        assert dialog.result() != QDialog.DialogCode.Accepted
        _login(qtbot, dialog, "canbo", PASSWORD)

    driver.fill = fill
    window = app.open_window(["--db", str(path)])
    qtbot.addWidget(window)
    assert tried == [accounts.WRONG]
    assert (window.ctx.user, window.ctx.role) == ("canbo", "editor")
    window.close()
    if not window.ctx.closed:
        window.ctx.close()
    cipher.forget_all()                  # giving up at the sign-in shows nothing
    driver.fill = lambda dialog: dialog.reject()
    assert app.open_window(["--db", str(path)]) is None


def test_the_recovery_key_is_shown_once_when_the_first_account_is_made(
        ctx, window, qtbot, messages, dialogs_filled):
    from core import keyslots

    def fill(form):
        type_into(qtbot, form.name, "quantri")
        type_into(qtbot, form.password, PASSWORD)
        type_into(qtbot, form.again, PASSWORD)
        click_save(qtbot, form)

    dialogs_filled["AccountForm"] = fill
    window.system.create_admin()
    shown = [m for m in messages.texts().split("\n\n") if "-" in m and len(m) == 39]
    assert len(shown) == 1
    assert keyslots.KeySlots.for_database(ctx.path).unlock_recovery(shown[0]) == ctx.db.key
    assert "két" in messages.texts()


def test_an_administrator_makes_a_new_recovery_key_in_the_accounts_dialog(
        ctx, window, qtbot, messages):
    from core import keyslots
    first = accounts.add_user(ctx, "quantri", "admin", PASSWORD).recovery_key
    accounts.sign_in(ctx, "quantri", PASSWORD)
    dialog = security.AccountsDialog(window)
    qtbot.addWidget(dialog)
    messages.answers.append(True)
    dialog.recovery_button.click()
    shown = [m for m in messages.texts().split("\n\n") if "-" in m and len(m) == 39]
    assert len(shown) == 1 and shown[0] != first
    slots = keyslots.KeySlots.for_database(ctx.path)
    assert slots.unlock_recovery(shown[0]) == ctx.db.key
    with pytest.raises(Exception, match="sai mã khôi phục"):
        slots.unlock_recovery(first)


# -- the first start after the update: a plain database with accounts is converted ---

RECOVERY_SHAPE = r"[A-Z2-7]{4}(?:-[A-Z2-7]{4}){7}"


@pytest.fixture
def plain_station(station_with_accounts, tmp_path, monkeypatch):
    """A plain copy (as the program before encryption left it) of the station with
    quantri (admin), nhaplieu (editor) and xem (viewer); nothing unlocked yet."""
    from core import cipher
    from ui.forms import official_entry
    monkeypatch.setattr(official_entry, "ask_official_entry", lambda window: None)
    ctx, _ids = station_with_accounts
    plain = tmp_path / "truoc-cap-nhat.sqlite3"
    cipher.export(ctx.db.conn, plain, None)
    cipher.forget_all()
    assert cipher.is_plain(plain)
    return plain


def _start_as(qtbot, monkeypatch, path, name, password, errors=None):
    """A start of the program signed in at the unlock dialog (None: it gave up)."""
    from core import cipher
    from tests.ui.helpers import drive_dialogs
    cipher.forget_all()
    driver = drive_dialogs(monkeypatch, security.UnlockDialog)

    def fill(dialog):
        _login(qtbot, dialog, name, password)
        if errors is not None and dialog.result() != QDialog.DialogCode.Accepted:
            errors.append(dialog.error.text())
            dialog.reject()

    driver.fill = fill
    window = app.open_window(["--db", str(path)])
    if window is not None:
        qtbot.addWidget(window)
    return window


def _stop(window) -> None:
    window.close()
    if not window.ctx.closed:
        window.ctx.close()


def _recovery_keys_shown(messages) -> list[str]:
    import re
    return re.findall(RECOVERY_SHAPE, messages.texts())


def test_window_conversion_by_an_editor_then_the_viewer_and_the_admin_sign_in(
        plain_station, qtbot, monkeypatch, messages, sync_tasks):
    from core import cipher, keyslots
    window = _start_as(qtbot, monkeypatch, plain_station, "nhaplieu", PASSWORD)
    assert (window.ctx.user, window.ctx.role) == ("nhaplieu", "editor")
    assert not cipher.is_plain(plain_station)
    assert _recovery_keys_shown(messages) == [] and "khôi phục" not in messages.texts()
    _stop(window)
    errors: list[str] = []
    assert _start_as(qtbot, monkeypatch, plain_station, "xem", "sai-mat-khau",
                     errors) is None
    assert errors == [accounts.WRONG]
    window = _start_as(qtbot, monkeypatch, plain_station, "xem", PASSWORD)   # old password
    assert (window.ctx.user, window.ctx.role) == ("xem", "viewer")
    assert "khôi phục" not in messages.texts()
    slots = keyslots.KeySlots.for_database(plain_station)
    assert slots.has_account("xem") and slots.pending == ["quantri"]
    _stop(window)
    messages.answers.append(1)                         # “Để sau”: asked again next time
    window = _start_as(qtbot, monkeypatch, plain_station, "quantri", PASSWORD)
    assert window.ctx.role == "admin"
    asked = [text for kind, text in messages.shown if kind == "choose"]
    assert len(asked) == 1 and "chưa có MÃ KHÔI PHỤC" in asked[0]
    assert _recovery_keys_shown(messages) == []
    _stop(window)
    messages.answers.append(0)                         # “Tạo mã khôi phục”
    window = _start_as(qtbot, monkeypatch, plain_station, "quantri", PASSWORD)
    shown = _recovery_keys_shown(messages)
    assert len(shown) == 1 and "két" in messages.texts()
    slots = keyslots.KeySlots.for_database(plain_station)
    assert slots.pending == [] and slots.unlock_recovery(shown[0]) == window.ctx.db.key
    _stop(window)
    window = _start_as(qtbot, monkeypatch, plain_station, "quantri", PASSWORD)
    assert len([k for k, _ in messages.shown if k == "choose"]) == 2     # not again
    _stop(window)


def test_window_conversion_by_an_administrator_shows_the_recovery_key_once(
        plain_station, qtbot, monkeypatch, messages, sync_tasks):
    from core import cipher, keyslots
    window = _start_as(qtbot, monkeypatch, plain_station, "quantri", PASSWORD)
    assert window.ctx.role == "admin"
    shown = _recovery_keys_shown(messages)
    assert len(shown) == 1 and "két" in messages.texts()
    assert not [k for k, _ in messages.shown if k == "choose"]
    _stop(window)
    cipher.forget_all()
    by_code = open_station_with(plain_station, shown[0])
    assert by_code.station.code
    by_code.close()
    window = _start_as(qtbot, monkeypatch, plain_station, "nhaplieu", PASSWORD)
    assert window.ctx.role == "editor"
    assert len(_recovery_keys_shown(messages)) == 1         # shown that once only
    assert keyslots.KeySlots.for_database(plain_station).pending == ["xem"]
    _stop(window)


def open_station_with(path, code):
    from core.station import open_station
    return open_station(path, recovery_key=code)


def test_an_administrator_signing_in_at_the_idle_lock_is_offered_the_missing_recovery_key(
        window_as, station_with_accounts, qtbot, messages):
    from core import keyslots
    ctx, _ids = station_with_accounts
    slots = keyslots.KeySlots.for_database(ctx.path)     # as after an editor's conversion
    slots.slots = [s for s in slots.slots if s.kind != "recovery"]
    slots.save()
    window = window_as("editor")
    lock = window.system.idle_lock
    lock.timer.timeout.emit()
    _login(qtbot, lock.dialog, "xem", PASSWORD)          # a viewer: nothing asked
    assert not [k for k, _ in messages.shown if k == "choose"]
    lock.timer.timeout.emit()
    messages.answers.append(0)
    _login(qtbot, lock.dialog, "quantri", PASSWORD)
    asked = [t for k, t in messages.shown if k == "choose"]
    assert len(asked) == 1 and "chưa có MÃ KHÔI PHỤC" in asked[0]
    shown = _recovery_keys_shown(messages)
    assert len(shown) == 1
    assert keyslots.KeySlots.for_database(ctx.path).unlock_recovery(shown[0]) == ctx.db.key
    lock.timer.timeout.emit()                            # made now: nothing more asked
    _login(qtbot, lock.dialog, "quantri", PASSWORD)
    assert len([k for k, _ in messages.shown if k == "choose"]) == 1
