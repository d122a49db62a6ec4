"""Báo cáo tab: the officer edits a section, prints the PDF, opens the Word file (#17)."""
from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from docdata import make_station, seed  # noqa: E402

from core import accounts, report_texts  # noqa: E402
from core.audit import history  # noqa: E402
from core.periods import parse_period  # noqa: E402
from tests.ui.helpers import drive_dialogs  # noqa: E402
from ui import printing  # noqa: E402
from ui.forms.report_texts import NumberDateDialog, ReportTextsDialog  # noqa: E402
from ui.pdf_preview import PdfPreviewDialog  # noqa: E402

PASSWORD = "mat-khau-du-dai-1"
TON_TAI = "Tổ an ninh thôn Đồng Tâm họp chưa đều."


@pytest.fixture
def station(tmp_path):
    ctx = make_station(tmp_path)
    seed(ctx)
    ctx.set_setting("doc.sign_authority", "KT.")
    ctx.set_setting("doc.signer_title", "")
    accounts.add_user(ctx, "quantri", "admin", PASSWORD)
    accounts.sign_in(ctx, "quantri", PASSWORD)
    accounts.add_user(ctx, "canbo", "editor", PASSWORD)
    accounts.add_user(ctx, "xem", "viewer", PASSWORD)
    accounts.sign_out(ctx)
    yield ctx
    ctx.close()


@pytest.fixture
def page(station, qtbot, sync_tasks, messages, monkeypatch, tmp_path):
    from ui.main_window import MainWindow
    monkeypatch.setattr(PdfPreviewDialog, "exec", lambda self: 0)
    monkeypatch.setattr(printing, "temp_root", str(tmp_path))
    accounts.sign_in(station, "canbo", PASSWORD)
    win = MainWindow(station)
    qtbot.addWidget(win)
    win.show()
    win.report.period.set_code("2026")
    return win.report


def _text_of_pdf(path) -> str:
    raw = "\n".join(p.extract_text() for p in PdfReader(str(path)).pages)
    return " ".join(unicodedata.normalize("NFC", raw).split())


def _made(qtbot, button) -> tuple[str, int]:
    """Click *button* and wait for the document it makes."""
    printing.last_output = None
    button.click()
    qtbot.waitUntil(lambda: printing.last_output is not None, timeout=20000)
    return printing.last_output


def test_chief_edits_ton_tai_prints_pdf_and_opens_word(page, station, monkeypatch, messages,
                                                       qtbot):
    texts = drive_dialogs(monkeypatch, ReportTextsDialog)
    numbers = drive_dialogs(monkeypatch, NumberDateDialog)

    def write(dialog):
        assert "Thực hiện chế độ báo cáo định kỳ" in dialog.editors["mo_dau"].toPlainText()
        dialog.tabs.setCurrentIndex(2)
        dialog.editors["ton_tai"].setPlainText(TON_TAI)
        dialog.save_button.click()
    texts.fill = write
    page.texts_button.click()
    period = parse_period("2026")
    assert report_texts.stored(station, period.key) == {"ton_tai": TON_TAI}
    assert [e.user for e in history(station, "report_texts", f"{period.key}/ton_tai")] == ["canbo"]

    def number_and_date(dialog):
        dialog.number.setText("42")
        dialog.day.setText("08/12/2026")
        dialog.ok_button.click()
    numbers.fill = number_and_date
    pdf = _made(qtbot, page.pdf_button)[0]
    opened = []
    monkeypatch.setattr(printing.QDesktopServices, "openUrl", lambda url: opened.append(url))
    numbers.fill = lambda dialog: dialog.ok_button.click()   # remembered: just go on
    _made(qtbot, page.word_button)
    word = opened[-1].toLocalFile()
    assert word.endswith(".docx") and Path(word).exists()
    doc = Document(word)
    word_text = " ".join("\n".join([p.text for p in doc.paragraphs] + [
        c.text for t in doc.tables for r in t.rows for c in r.cells]).split())
    for text in (_text_of_pdf(pdf), word_text):
        assert TON_TAI in text and "Số: 42/BC-CAX" in text
        assert "ngày 08 tháng 12 năm 2026" in text
        assert "KT. TRƯỞNG CÔNG AN XÃ" in text and "PHÓ TRƯỞNG CÔNG AN XÃ" in text
    assert numbers.opened[-1].number.text() == "42"
    assert not [kind for kind, _ in messages.shown if kind in ("error", "bug")]


def test_save_as_docx_where_chosen(page, monkeypatch, tmp_path, qtbot):
    numbers = drive_dialogs(monkeypatch, NumberDateDialog)
    numbers.fill = lambda dialog: dialog.ok_button.click()
    target = tmp_path / "bao cao"
    monkeypatch.setattr(printing.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    monkeypatch.setattr(printing.QDesktopServices, "openUrl", lambda url: None)
    _made(qtbot, page.docx_button)
    assert Path(str(target) + ".docx").exists()


def test_cancel_at_number_prints_nothing(page, monkeypatch):
    numbers = drive_dialogs(monkeypatch, NumberDateDialog)
    numbers.fill = lambda dialog: dialog.reject()
    printing.last_output = None
    page.pdf_button.click()
    assert printing.last_output is None and numbers.opened


def test_viewer_cannot_change_the_wording(page, station, monkeypatch, messages):
    accounts.sign_out(station)
    accounts.sign_in(station, "xem", PASSWORD)
    texts = drive_dialogs(monkeypatch, ReportTextsDialog)

    def write(dialog):
        dialog.editors["ton_tai"].setPlainText(TON_TAI)
        dialog.save_button.click()
    texts.fill = write
    page.texts_button.click()
    assert report_texts.stored(station, parse_period("2026").key) == {}
    assert "không được phép" in messages.texts()


def test_admin_may_change_the_wording(page, station, monkeypatch):
    accounts.sign_out(station)
    accounts.sign_in(station, "quantri", PASSWORD)
    texts = drive_dialogs(monkeypatch, ReportTextsDialog)

    def write(dialog):
        dialog.editors["kien_nghi"].setPlainText("Đề nghị cấp kinh phí cho tổ hòa giải.")
        dialog.save_button.click()
    texts.fill = write
    page.texts_button.click()
    assert report_texts.stored(station, parse_period("2026").key)["kien_nghi"].startswith("Đề nghị")


def test_a_period_not_ended_is_said_before_printing_and_printed_all_the_same(
        page, monkeypatch, qtbot):
    import datetime as dt

    from PySide6.QtWidgets import QLabel
    page.period.set_code(str(dt.date.today().year + 1))
    numbers = drive_dialogs(monkeypatch, NumberDateDialog)
    seen = []

    def read_then_go_on(dialog):
        seen.extend(label.text() for label in dialog.findChildren(QLabel))
        dialog.ok_button.click()
    numbers.fill = read_then_go_on
    path, pages = _made(qtbot, page.pdf_button)
    assert any("Cần xem lại trước khi ký" in t and "chưa kết thúc" in t for t in seen), seen
    assert Path(path).exists() and pages >= 1
