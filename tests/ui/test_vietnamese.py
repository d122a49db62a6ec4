"""Every dialog the program draws speaks Vietnamese, and no title is cut.

The walk opens each dialog class of ``ui`` (a new class without an entry in
:data:`OPENERS` fails :func:`test_every_dialog_class_is_walked`), the message
boxes, the list picker, and the file and print dialogs Qt draws itself on
Linux, with the accounts present.
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QPdfWriter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (QAbstractButton, QApplication, QDialog, QFileDialog, QLabel,
                               QMessageBox, QWizard)

import ui
from core.periods import parse_period
from core.records import Membership
from core.workbook.report import ImportReport
from ui import dialogs, qt_vietnamese

pytestmark = pytest.mark.usefixtures("sync_tasks")


def english_in(dialog: QDialog) -> list[str]:
    """Texts of *dialog*'s buttons (and of Qt's own labels) still in English."""
    found = []
    english_labels = {source.replace("&", "") for texts in qt_vietnamese.TEXTS.values()
                      for source, target in texts.items()
                      if source != target and source.strip(". ") and not source.isdigit()}
    for button in dialog.findChildren(QAbstractButton):
        text = button.text().replace("&", "").strip()
        if text in qt_vietnamese.ENGLISH_BUTTONS or text in english_labels:
            found.append(f"{type(button).__name__} “{text}”")
    for label in dialog.findChildren(QLabel):
        text = label.text().replace("&", "").strip()
        if text in english_labels and len(text) > 3:
            found.append(f"QLabel “{text}”")
    return found


def title_cut(dialog: QDialog) -> bool:
    """True when the title bar would elide the dialog's title."""
    return dialog.width() < dialogs.title_width(dialog)


def check(dialog: QDialog) -> list[str]:
    """Show *dialog* and list what is wrong with it."""
    dialog.show()
    QCoreApplication.processEvents()
    problems = check_shown(dialog)
    dialog.hide()
    return problems


def check_shown(dialog: QDialog, title: bool = True) -> list[str]:
    """What is wrong with *dialog*, on show: English buttons, a cut title."""
    problems = [f"{type(dialog).__name__}: {text}" for text in english_in(dialog)]
    if title and title_cut(dialog):
        problems.append(f"{type(dialog).__name__}: title “{dialog.windowTitle()}” cut "
                        f"({dialog.width()} px < {dialogs.title_width(dialog)} px)")
    return problems


def _pdf(path) -> str:
    writer = QPdfWriter(str(path))
    from PySide6.QtGui import QPainter
    painter = QPainter(writer)
    painter.drawText(100, 100, "Trang 1")
    painter.end()
    return str(path)


def _namesakes(ctx) -> list[str]:
    from core.accounts import sign_in
    from core.records import Person
    from core.services import members
    from tests.ui.helpers import ACCOUNT_OF, PASSWORD
    user = ctx.user
    sign_in(ctx, ACCOUNT_OF["admin"], PASSWORD)
    made = [members.save_person(ctx, Person(full_name="Lê Thị Hoa", gender="nu"))[0]
            for _ in range(2)]
    role = next(r for r, name in ACCOUNT_OF.items() if name == user)
    sign_in(ctx, ACCOUNT_OF[role], PASSWORD)
    return made


def _an_event(ctx) -> str:
    return ctx.db.execute("SELECT id FROM events WHERE deleted = 0 ORDER BY date LIMIT 1"
                          ).fetchone()[0]


def _commune():
    from core.exchange.register import RegisteredCommune
    return RegisteredCommune(code="21583", name="Công an phường Quy Nhơn", listed=True,
                             enrolled=True, fingerprint="AB12 CD34 EF56 7890",
                             expected_fingerprint=None, revoked_at=None, last_sequence=3,
                             last_imported_at=None, last_created_at=None, last_period_to=None)


def _desk_row() -> dict:
    return {"name": "Công an xã Yên Thủy", "code": "X01", "status": "chua_gui",
            "last_imported_at": None}


OPENERS = {
    "UnitForm": lambda w, ids, tmp: __import__("ui.forms.units", fromlist=["x"]).UnitForm(
        w.ctx, ids["units"][0], w),
    "ModelForm": lambda w, ids, tmp: __import__("ui.forms.models", fromlist=["x"]).ModelForm(
        w.ctx, ids["models"][0], w),
    "PersonForm": lambda w, ids, tmp: __import__("ui.forms.persons", fromlist=["x"]).PersonForm(
        w.ctx, ids["people"][0], w),
    "MembershipDialog": lambda w, ids, tmp: __import__(
        "ui.forms.persons", fromlist=["x"]).MembershipDialog(
        w.ctx, Membership(person_id=ids["people"][0], model_id=ids["models"][0]), w),
    "EventForm": lambda w, ids, tmp: __import__("ui.forms.events", fromlist=["x"]).EventForm(
        w.ctx, None, w),
    "ResultForm": lambda w, ids, tmp: __import__("ui.forms.results", fromlist=["x"]).ResultForm(
        w.ctx, None, w),
    "CommendationForm": lambda w, ids, tmp: __import__(
        "ui.forms.commendations", fromlist=["x"]).CommendationForm(
        w.ctx, ids["commendations"][0], w),
    "MergeDialog": lambda w, ids, tmp: __import__("ui.forms.merge", fromlist=["x"]).MergeDialog(
        w.ctx, *_namesakes(w.ctx), parent=w),
    "DocumentSettingsDialog": lambda w, ids, tmp: __import__(
        "ui.forms.document_settings", fromlist=["x"]).DocumentSettingsDialog(w.ctx, w),
    "ReportTextsDialog": lambda w, ids, tmp: __import__(
        "ui.forms.report_texts", fromlist=["x"]).ReportTextsDialog(
        w.ctx, parse_period("2026"), {}, w),
    "NumberDateDialog": lambda w, ids, tmp: __import__(
        "ui.forms.report_texts", fromlist=["x"]).NumberDateDialog(w.ctx, parse_period("2026"), w),
    "OfficialEntryDialog": lambda w, ids, tmp: __import__(
        "ui.forms.official_entry", fromlist=["x"]).OfficialEntryDialog(w.ctx, w),
    "FirstRunWizard": lambda w, ids, tmp: __import__(
        "ui.forms.first_run", fromlist=["x"]).FirstRunWizard(tmp / "moi.sqlite3"),
    "IntakeWizard": lambda w, ids, tmp: __import__(
        "ui.intake_wizard", fromlist=["x"]).IntakeWizard(w),
    "HistoryDialog": lambda w, ids, tmp: __import__(
        "ui.history", fromlist=["x"]).HistoryDialog(w.ctx, w),
    "RestoreDialog": lambda w, ids, tmp: __import__(
        "ui.system_menu", fromlist=["x"]).RestoreDialog(w.ctx, w),
    "ImportPreview": lambda w, ids, tmp: __import__(
        "ui.workbook_actions", fromlist=["x"]).ImportPreview(ImportReport(), str(tmp / "s.xlsx"), w),
    "PdfPreviewDialog": lambda w, ids, tmp: __import__(
        "ui.pdf_preview", fromlist=["x"]).PdfPreviewDialog(_pdf(tmp / "a.pdf"), "Báo cáo",
                                                           parent=w),
    "GuideDialog": lambda w, ids, tmp: __import__("ui.guide", fromlist=["x"]).GuideDialog(w),
    "LoginDialog": lambda w, ids, tmp: __import__("ui.security", fromlist=["x"]).LoginDialog(
        w.ctx, w),
    "AccountForm": lambda w, ids, tmp: __import__("ui.security", fromlist=["x"]).AccountForm(w),
    "PasswordForm": lambda w, ids, tmp: __import__("ui.security", fromlist=["x"]).PasswordForm(
        w, "Đổi mật khẩu", ask_old=True),
    "AccountsDialog": lambda w, ids, tmp: __import__(
        "ui.security", fromlist=["x"]).AccountsDialog(w),
    "CommuneFigures": lambda w, ids, tmp: __import__(
        "ui.pages.desk", fromlist=["x"]).CommuneFigures(w, _desk_row(), None, None),
    "ImportPreviewDialog": lambda w, ids, tmp: __import__(
        "ui.pages.exchange", fromlist=["x"]).ImportPreviewDialog([], w),
    "TrustDialog": lambda w, ids, tmp: __import__("ui.pages.exchange", fromlist=["x"]).TrustDialog(
        SimpleNamespace(sender_name="Công an xã Lạc Sơn", sender="X02",
                        fingerprint="AB12 CD34 EF56 7890"), w),
    "RecycleBinDialog": lambda w, ids, tmp: __import__(
        "ui.recycle_bin", fromlist=["x"]).RecycleBinDialog(w),
    "MinutesDialog": lambda w, ids, tmp: __import__("ui.forms.minutes", fromlist=["x"]).MinutesDialog(
        w.ctx, _an_event(w.ctx), w),
    "UnlockDialog": lambda w, ids, tmp: __import__("ui.security", fromlist=["x"]).UnlockDialog(
        lambda name, password: None, w),
    "FingerprintDialog": lambda w, ids, tmp: __import__(
        "ui.forms.register", fromlist=["x"]).FingerprintDialog(_commune(), w),
    "RevokeDialog": lambda w, ids, tmp: __import__(
        "ui.forms.register", fromlist=["x"]).RevokeDialog(_commune(), w),
}
"""Each dialog class of ``ui`` → how to open one on the seeded station."""


ADMIN_ONLY = {"AccountsDialog"}
"""Dialogs only an administrator reaches."""


def dialog_classes() -> set[str]:
    """The names of every QDialog subclass defined in the ``ui`` package."""
    found = set()
    for info in pkgutil.walk_packages(ui.__path__, "ui."):
        module = importlib.import_module(info.name)
        for name, value in inspect.getmembers(module, inspect.isclass):
            if (value.__module__ == module.__name__ and issubclass(value, QDialog)
                    and value.__name__ == name
                    and value is not getattr(importlib.import_module("ui.widgets"),
                                             "FormDialog")):
                found.add(name)
    return found


def test_every_dialog_class_is_walked():
    missing = dialog_classes() - set(OPENERS)
    assert not missing, f"dialogs not walked by this test: {sorted(missing)}"


@pytest.mark.parametrize("role", ["admin", "editor", "viewer"])
def test_program_dialogs_have_vietnamese_buttons_and_whole_titles(
        role, window_as, station_with_accounts, tmp_path, qtbot):
    window = window_as(role)
    _ctx, ids = station_with_accounts
    problems = []
    for name, opener in OPENERS.items():
        if name in ADMIN_ONLY and role != "admin":
            continue
        dialog = opener(window, ids, tmp_path)
        qtbot.addWidget(dialog)
        problems += check(dialog)
    assert problems == []


QT_STATIC = {"Cảnh báo", "Câu hỏi"}
"""Qt's own static boxes, opened only to see their standard buttons in Vietnamese."""


def test_message_boxes_and_the_list_picker(station_with_accounts, qtbot):
    from tests.ui.helpers import open_signed_in
    window = open_signed_in(station_with_accounts[0], "editor", qtbot)
    shown: list[str] = []
    problems: list[str] = []
    seen: list[QDialog] = []

    def close_modal() -> None:
        """Look at the modal dialog on show (Qt's static boxes run their own loop), close it."""
        modal = QApplication.activeModalWidget()
        if modal is None or modal in seen:
            return
        seen.append(modal)
        shown.append(modal.windowTitle())
        problems.extend(check_shown(modal, title=modal.windowTitle() not in QT_STATIC))
        buttons[modal.windowTitle()] = {b.text() for b in modal.findChildren(QAbstractButton)}
        modal.reject()

    buttons: dict[str, set[str]] = {}
    timer = QTimer(interval=20)
    timer.timeout.connect(close_modal)
    timer.start()
    dialogs.show_error(window, "Chưa nhập họ tên.", "Lỗi nhập")
    dialogs.inform(window, "Đã lưu.", "Thông báo")
    dialogs.confirm(window, "Xóa bản ghi này?", "Xác nhận xóa")
    dialogs.choose(window, "Làm gì?", ["Một", "Hai"], "Chọn việc")
    dialogs.show_bug(window, RuntimeError("lỗi thử"))
    QMessageBox.warning(window, "Cảnh báo", "Thử")          # Qt's standard buttons
    QMessageBox.question(window, "Câu hỏi", "Thử?")
    assert dialogs.pick_item(window, "Chọn quyết định", "Số quyết định:",
                             ["25/QĐ-UBND", "3/QĐ-CAT"]) is None
    window.show_about()
    timer.stop()
    assert shown == ["Lỗi nhập", "Thông báo", "Xác nhận xóa", "Chọn việc", "Đã xảy ra lỗi",
                     "Cảnh báo", "Câu hỏi", "Chọn quyết định", "Giới thiệu"]
    assert problems == []
    assert {"Chọn", "Hủy"} <= buttons["Chọn quyết định"]
    assert "Đồng ý" in buttons["Cảnh báo"]
    assert {"&Có", "&Không"} <= buttons["Câu hỏi"]


def test_qt_file_print_and_wizard_dialogs_in_vietnamese(qtbot, tmp_path):
    """The dialogs Qt draws itself (Linux; Windows uses its own Vietnamese ones)."""
    problems = []
    for mode in (QFileDialog.AcceptOpen, QFileDialog.AcceptSave):
        dialog = QFileDialog(None, "Chọn tệp", str(tmp_path))
        dialog.setOption(QFileDialog.DontUseNativeDialog)
        dialog.setAcceptMode(mode)
        qtbot.addWidget(dialog)
        problems += check(dialog)
        texts = {b.text() for b in dialog.findChildren(QAbstractButton)}
        assert ("&Mở" if mode == QFileDialog.AcceptOpen else "&Lưu") in texts
        labels = {label.text() for label in dialog.findChildren(QLabel)}
        assert "&Tên tệp:" in labels and "&Kiểu tệp:" in labels
    printer = QPrinter()
    dialog = QPrintDialog(printer)
    dialog.printer_ = printer        # the dialog reads its printer until it is deleted
    dialog.setWindowTitle("In")
    qtbot.addWidget(dialog)
    problems += check(dialog)
    assert "&In" in {b.text() for b in dialog.findChildren(QAbstractButton)}
    wizard = QWizard()
    wizard.setWindowTitle("Trình hướng dẫn")
    qtbot.addWidget(wizard)
    problems += check(wizard)
    assert problems == []


def test_the_application_installs_the_translator(monkeypatch):
    from ui import app as appmod
    installed = []
    monkeypatch.setattr(qt_vietnamese, "install", lambda app: installed.append(app))
    application = appmod.make_application([])
    assert installed == [application] and application is QApplication.instance()
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Hủy"
    assert QCoreApplication.translate("QPlatformTheme", "OK") == "Đồng ý"
    assert QCoreApplication.translate("QPageSize", "Envelope DL") == "Phong bì DL"
    assert QCoreApplication.translate("QFileDialog", "File &name:") == "&Tên tệp:"


def test_texts_it_does_not_know_are_left_to_qt():
    """An unknown text keeps Qt's own (an empty answer would blank “Ctrl” in “Ctrl+P”)."""
    from PySide6.QtGui import QKeySequence
    assert QCoreApplication.translate("QShortcut", "Ctrl") == "Ctrl"
    assert QKeySequence("Ctrl+P").toString(QKeySequence.NativeText) == "Ctrl+P"
    assert QCoreApplication.translate("QFileDialog", "not a Qt text %1") == "not a Qt text %1"
    assert QCoreApplication.translate("NoSuchContext", "Save") == "Save"


def test_the_compiled_texts_agree_with_the_list():
    """resources/translations/qt_vi.qm holds every text of TEXTS (scripts/make_qt_vi.py)."""
    from PySide6.QtCore import QTranslator
    translator = QTranslator()
    assert translator.load(str(qt_vietnamese.QM_PATH))
    wrong = [(context, source) for context, texts in qt_vietnamese.TEXTS.items()
             for source, target in texts.items()
             if translator.translate(context, source) != target]
    assert wrong == [], "run scripts/make_qt_vi.py"
    assert sum(len(t) for t in qt_vietnamese.TEXTS.values()) > 300
