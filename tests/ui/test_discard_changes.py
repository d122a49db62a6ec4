"""Closing a dialog that holds typed text (issue #19): Escape and the title bar's ✕
(``close()``) ask “Bỏ các thay đổi chưa lưu?” on a changed dialog, close an unchanged
or read-only one at once; “Hủy” is the officer's own choice and closes without asking."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit, QPushButton

from core.exchange.register import RegisteredCommune
from core.periods import parse_period
from tests.ui.helpers import type_into
from ui.forms.document_settings import DocumentSettingsDialog
from ui.forms.minutes import MinutesDialog
from ui.forms.register import FingerprintDialog, RevokeDialog
from ui.forms.report_texts import NumberDateDialog, ReportTextsDialog
from ui.forms.units import UnitForm
from ui.widgets import DISCARD_QUESTION

ASKED = [("choose", DISCARD_QUESTION)]
TYPED = "Thôn Đồng Tâm mới"
COMMUNE = RegisteredCommune(
    code="21583", name="Xã Ia Hrú", listed=True, enrolled=True,
    fingerprint=" ".join(["AB12"] * 10), expected_fingerprint=None, revoked_at=None,
    last_sequence=1, last_imported_at=None, last_created_at=None, last_period_to=None)


def _event_id(ctx) -> str:
    return ctx.db.execute("SELECT id FROM events ORDER BY id LIMIT 1").fetchone()[0]


# each: how to make it on the window, and the field a person types in
DIALOGS = {
    "unit form": (lambda w: UnitForm(w.ctx, None, w.page("units")),
                  lambda d: d.first_field()),
    "biên bản": (lambda w: MinutesDialog(w.ctx, _event_id(w.ctx), w),
                 lambda d: d.chair),
    "report sections": (lambda w: ReportTextsDialog(w.ctx, parse_period("2026"), {}, w),
                        lambda d: d.editors["ton_tai"]),
    "report number": (lambda w: NumberDateDialog(w.ctx, parse_period("2026"), w),
                      lambda d: d.number),
    "document settings": (lambda w: DocumentSettingsDialog(w.ctx, w),
                          lambda d: d.edits["doc.signer_name"]),
    "fingerprint": (lambda w: FingerprintDialog(COMMUNE, w), lambda d: d.source),
    "revoke": (lambda w: RevokeDialog(COMMUNE, w), lambda d: d.reason),
}


def _open(window, name, qtbot):
    make, field_of = DIALOGS[name]
    dialog = make(window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    QApplication.processEvents()
    return dialog, field_of(dialog)


def _type(qtbot, field, text: str) -> None:
    if isinstance(field, QLineEdit):
        type_into(qtbot, field, text)
    else:
        field.moveCursor(QTextCursor.End)
        for ch in text:                          # key by key, as a Vietnamese keyboard types
            for kind in (QEvent.KeyPress, QEvent.KeyRelease):
                QApplication.sendEvent(field, QKeyEvent(kind, Qt.Key_unknown, Qt.NoModifier, ch))


def _text(field) -> str:
    return field.text() if isinstance(field, QLineEdit) else field.toPlainText()


def _cancel(dialog) -> QPushButton:
    return next(b for b in dialog.findChildren(QPushButton) if b.text() == "Hủy")


@pytest.mark.parametrize("name", list(DIALOGS))
def test_unchanged_closes_at_once(window_as, messages, qtbot, name):
    window = window_as("editor")
    dialog, _ = _open(window, name, qtbot)
    assert dialog.close()
    assert not dialog.isVisible() and messages.shown == []
    dialog, _ = _open(window, name, qtbot)
    qtbot.keyClick(dialog, Qt.Key_Escape)
    assert not dialog.isVisible() and messages.shown == []


@pytest.mark.parametrize("name", list(DIALOGS))
def test_close_button_asks_on_a_changed_dialog(window_as, messages, qtbot, name):
    window = window_as("editor")
    dialog, field = _open(window, name, qtbot)
    _type(qtbot, field, TYPED)
    before = _text(field)
    assert TYPED in before
    messages.answers = [1]                      # “Tiếp tục sửa”
    assert not dialog.close()
    assert messages.shown == ASKED
    assert dialog.isVisible() and _text(field) == before
    messages.answers = [1]                      # Escape asks the same question
    qtbot.keyClick(dialog, Qt.Key_Escape)
    assert messages.shown == ASKED * 2
    assert dialog.isVisible() and _text(field) == before
    messages.answers = [0]                      # “Bỏ thay đổi”
    assert dialog.close()
    assert messages.shown == ASKED * 3
    assert not dialog.isVisible() and dialog.result() == 0


@pytest.mark.parametrize("name", list(DIALOGS))
def test_cancel_is_the_officers_choice_and_does_not_ask(window_as, messages, qtbot, name):
    window = window_as("editor")
    dialog, field = _open(window, name, qtbot)
    _type(qtbot, field, TYPED)
    _cancel(dialog).click()
    assert not dialog.isVisible() and dialog.result() == 0 and messages.shown == []


def test_escape_then_discard_closes_the_form_and_saves_nothing(window_as, messages, qtbot):
    window = window_as("editor")
    dialog, field = _open(window, "unit form", qtbot)
    _type(qtbot, field, TYPED)
    messages.answers = [0]                      # “Bỏ thay đổi”
    qtbot.keyClick(dialog, Qt.Key_Escape)
    assert messages.shown == ASKED              # asked once, not again by the close
    assert not dialog.isVisible() and dialog.result() == 0
    assert window.ctx.db.execute("SELECT COUNT(*) FROM units WHERE name = ?",
                                 (TYPED,)).fetchone()[0] == 0


def test_viewers_read_only_form_closes_without_asking(window_as, messages, qtbot):
    from core import queries
    from ui.widgets import view_only_banner
    window = window_as("viewer")
    page = window.page("models")
    window.tabs.setCurrentWidget(page)
    record_id = page.model.id_at(0)
    for close in (lambda f: f.close(), lambda f: qtbot.keyClick(f, Qt.Key_Escape)):
        form = page.make_form(record_id)
        form.set_read_only(view_only_banner(page.ctx, queries.owner_of(
            page.ctx.db, page.spec.table, record_id)))
        qtbot.addWidget(form)
        form.show()
        qtbot.waitExposed(form)
        assert form.buttons.button(QDialogButtonBox.Cancel).text() == "Đóng"
        close(form)
        assert not form.isVisible() and messages.shown == []
