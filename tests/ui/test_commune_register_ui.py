"""The province's register of communes in the window (issue 18): “Ghi dấu vân tay…”
and “Thu hồi khóa…” on the communes' table, with the three accounts."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from core import accounts
from core.exchange import export_package, import_files
from core.exchange.register import register
from core.station import init_station
from tests.core.exchange_support import link
from tests.ui.helpers import ACCOUNT_OF, audit_top, drive_dialogs, make_accounts, open_signed_in
from ui.forms.register import FingerprintDialog, RevokeDialog, fingerprint_state

SENT, QUIET = "21583", "23614"       # two communes of Gia Lai (52)


@pytest.fixture
def province(tmp_path):
    """Gia Lai with one commune enrolled (21583 sent a file) and three accounts."""
    tinh = init_station(tmp_path / "gl.db", level="tinh", code="52")
    xa = init_station(tmp_path / "xa.db", level="xa", code=SENT)
    link(tinh, xa, tmp_path)
    up = tmp_path / "up.antq"
    export_package(xa, up)
    assert import_files(tinh, [up], trust_new=True)[0].status == "applied"
    quiet = init_station(tmp_path / "q.db", level="xa", code=QUIET)
    link(tinh, quiet, tmp_path)           # it knows the province; the province not it
    make_accounts(tinh)
    accounts.sign_out(tinh)
    yield tinh, xa, up, quiet
    quiet.close()
    xa.close()
    tinh.close()


@pytest.fixture
def asked(monkeypatch):
    """The two dialogs, filled by the test instead of run modally."""
    return {"note": drive_dialogs(monkeypatch, FingerprintDialog),
            "revoke": drive_dialogs(monkeypatch, RevokeDialog)}


def register_tab(window):
    page = window.exchange
    window.tabs.setCurrentWidget(page)
    page.inner.setCurrentIndex(1)
    return page


def choose(page, code: str) -> None:
    page._select_commune(code)
    assert page.selected_commune().code == code


def settle() -> None:
    """Let the job's result (posted back to the UI thread) reach its slot."""
    from PySide6.QtCore import QCoreApplication
    for _ in range(4):
        QCoreApplication.processEvents()


def line_of(ctx, code):
    return next(r for r in register(ctx) if r.code == code)


def test_fingerprint_is_checked_while_typed():
    assert fingerprint_state("ab12")[0] is None
    assert "4/40" in fingerprint_state("ab12")[1]
    assert "G" in fingerprint_state("AB1G")[1]
    value, text = fingerprint_state("ab12-" * 10)
    assert value == " ".join(["AB12"] * 10) and "40" in text


def test_buttons_follow_the_commune_and_the_role(province, role, qtbot, sync_tasks, messages,
                                                 qtmodeltester):
    tinh, xa, _, _ = province
    page = register_tab(open_signed_in(tinh, role, qtbot))
    qtmodeltester.check(page.completeness_model)
    keys = page.completeness_model.column(7)
    assert keys[[r.key["code"] for r in page.completeness_model.rows].index(SENT)] \
        .startswith("Đã có khóa (" + xa.station.fingerprint[:9])
    assert keys.count("Chưa có khóa") == len(keys) - 1
    choose(page, SENT)
    assert page.revoke_button.isEnabled() == (role != "viewer")
    assert not page.note_button.isEnabled()            # enrolled: revoke first
    choose(page, QUIET)
    assert page.note_button.isEnabled() == (role != "viewer")
    assert not page.revoke_button.isEnabled()
    if role == "viewer":
        assert "chỉ xem" in page.note_button.toolTip()


@pytest.mark.parametrize("writer", ["admin", "editor"])
def test_note_a_fingerprint_then_its_first_file(province, writer, qtbot, sync_tasks, messages,
                                                asked, tmp_path):
    tinh, _, _, quiet = province
    page = register_tab(open_signed_in(tinh, writer, qtbot))
    choose(page, QUIET)
    top = audit_top(tinh)

    def fill(dialog):
        assert not dialog.ok_button.isEnabled()
        dialog.fingerprint.setText(quiet.station.fingerprint.replace(" ", "")[:20])
        assert not dialog.ok_button.isEnabled() and "20/40" in dialog.state.text()
        dialog.fingerprint.setText(quiet.station.fingerprint.lower())
        assert dialog.ok_button.isEnabled()
        dialog.source.setText("điện thoại với đ/c Trưởng Công an xã")
        dialog.ok_button.click()
    asked["note"].fill = fill
    page.note_fingerprint()
    settle()
    assert line_of(tinh, QUIET).expected_fingerprint == quiet.station.fingerprint
    source = tinh.db.execute("SELECT expected_source FROM commune_register WHERE code = ?",
                             [QUIET]).fetchone()[0]
    assert source == "điện thoại với đ/c Trưởng Công an xã"
    assert "Đã ghi dấu vân tay" in messages.texts()
    assert page.completeness_model.column(7)[
        [r.key["code"] for r in page.completeness_model.rows].index(QUIET)] \
        .startswith("Đã ghi dấu vân tay")
    entry = tinh.db.execute("SELECT user, table_name, record_id, op FROM audit WHERE seq > ?",
                            [top]).fetchall()
    assert entry == [(ACCOUNT_OF[writer], "commune_register", QUIET, "insert")]
    # the history screen names the table and the fields in Vietnamese
    from ui.history import HistoryDialog
    history = HistoryDialog(tinh, table="commune_register", record_id=QUIET)
    qtbot.addWidget(history)
    assert history.model.rowCount() == 1
    assert history.model.data(history.model.index(0, 2)) == "Sổ theo dõi các xã"
    assert history.model.data(history.model.index(0, 1)) == ACCOUNT_OF[writer]
    shown = history.details.toPlainText()
    assert "Sổ theo dõi các xã" in shown and "Dấu vân tay đã ghi nhận" in shown
    assert quiet.station.fingerprint in shown and "Nguồn dấu vân tay" in shown
    up = tmp_path / "quiet.antq"
    export_package(quiet, up)
    assert import_files(tinh, [up])[0].status == "applied"   # no --trust-new needed


def test_cancel_changes_nothing(province, qtbot, sync_tasks, messages, asked):
    tinh, _, _, _ = province
    page = register_tab(open_signed_in(tinh, "admin", qtbot))
    choose(page, QUIET)
    asked["note"].fill = lambda d: (d.fingerprint.setText("AB12" * 10), d.reject())
    page.note_fingerprint()
    settle()
    assert line_of(tinh, QUIET).expected_fingerprint is None
    choose(page, SENT)
    asked["revoke"].fill = lambda d: d.reject()
    page.revoke_key()
    assert line_of(tinh, SENT).enrolled and not messages.shown


@pytest.mark.parametrize("writer", ["admin", "editor"])
def test_revoke_says_what_it_means_and_is_audited(province, writer, qtbot, sync_tasks, messages,
                                                  asked):
    tinh, xa, up, _ = province
    page = register_tab(open_signed_in(tinh, writer, qtbot))
    choose(page, SENT)
    top = audit_top(tinh)

    def fill(dialog):
        assert dialog.buttons.button(QDialogButtonBox.Cancel).isDefault()
        words = " ".join(label.text() for label in dialog.findChildren(QLabel))
        assert xa.station.fingerprint in words
        assert "tệp tiếp theo ký bằng khóa cũ bị từ chối" in words
        assert "Ghi dấu vân tay" in words
        dialog.reason.setText("máy của xã bị mất")
        dialog.ok_button.click()
    asked["revoke"].fill = fill
    page.revoke_key()
    settle()
    line = line_of(tinh, SENT)
    assert not line.enrolled and line.revoked_at
    reason = tinh.db.execute("SELECT revoked_reason FROM commune_register WHERE code = ?",
                             [SENT]).fetchone()[0]
    assert reason == "máy của xã bị mất"
    entry = tinh.db.execute("SELECT user, table_name, record_id, op FROM audit WHERE seq > ?",
                            [top]).fetchall()
    assert entry == [(ACCOUNT_OF[writer], "peers", SENT, "delete"),
                     (ACCOUNT_OF[writer], "commune_register", SENT, "insert")]
    assert "Đã thu hồi khóa" in messages.texts()
    # the old key's next file is refused, even when someone would trust it
    export_package(xa, up)
    result = import_files(tinh, [up], trust_new=True)[0]
    assert result.status == "rejected" and result.error_kind == "revoked_key"
    assert page.note_button.isEnabled() and not page.revoke_button.isEnabled()


def test_viewer_is_refused(province, qtbot, sync_tasks, messages, asked):
    tinh, _, _, _ = province
    page = register_tab(open_signed_in(tinh, "viewer", qtbot))
    choose(page, SENT)
    page.revoke_key()                       # the button is off; the action refuses too
    choose(page, QUIET)
    page.note_fingerprint()
    assert not asked["note"].opened and not asked["revoke"].opened
    assert "quyền nhập liệu hoặc quản trị" in messages.texts()
    assert line_of(tinh, SENT).enrolled


def test_buttons_follow_a_sign_in_as_another_account(province, qtbot, sync_tasks, messages):
    from tests.ui.helpers import PASSWORD
    tinh, _, _, _ = province
    window = open_signed_in(tinh, "viewer", qtbot)
    page = register_tab(window)
    choose(page, SENT)
    assert not page.revoke_button.isEnabled()
    accounts.sign_in(tinh, ACCOUNT_OF["editor"], PASSWORD)
    window.system.refresh_role()
    assert page.revoke_button.isEnabled()
    assert "Thu hồi khóa" in page.revoke_button.toolTip()
