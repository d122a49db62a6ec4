"""Printing in the window: the PDF preview, certificates, reports, member lists, settings."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtPrintSupport import QPrinter

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from docdata import LONG_NAME, make_station, seed  # noqa: E402

from core.documents.report_pdf import report_pdf  # noqa: E402
from core.periods import parse_period  # noqa: E402
from ui import pdf_preview, printing  # noqa: E402
from ui.forms.document_settings import DocumentSettingsDialog  # noqa: E402
from ui.pdf_preview import PdfPreviewDialog  # noqa: E402
from tests.ui.helpers import drive_dialogs  # noqa: E402


def _text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


@pytest.fixture
def station(tmp_path):
    ctx = make_station(tmp_path)
    ids = seed(ctx, long_name=True)
    yield ctx, ids
    ctx.close()


@pytest.fixture
def settings_dialogs(monkeypatch):
    """Settings dialogs opened by the code; ``fill`` runs on each before it closes."""
    return drive_dialogs(monkeypatch, DocumentSettingsDialog)


@pytest.fixture
def number_dialogs(monkeypatch):
    """“Số và ngày của báo cáo”, asked before a report is printed: accepted as filled."""
    from ui.forms.report_texts import NumberDateDialog
    driver = drive_dialogs(monkeypatch, NumberDateDialog)
    driver.fill = lambda dialog: dialog.ok_button.click()
    return driver


@pytest.fixture
def station_window(station, qtbot, sync_tasks, messages, forms, previews, settings_dialogs,
                   number_dialogs):
    from ui.main_window import MainWindow
    ctx, ids = station
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    return win, ids


@pytest.fixture
def report_file(station, tmp_path):
    ctx, _ = station
    path, pages = report_pdf(ctx, parse_period("2026"), tmp_path / "report.pdf")
    assert pages >= 2
    return Path(path), pages


def test_preview_shows_pages_and_navigates_and_zooms(report_file, qtbot):
    path, pages = report_file
    dialog = PdfPreviewDialog(path, "Báo cáo")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.page_count() == pages
    assert dialog.page_label.text() == f"Trang 1/{pages}"
    assert not dialog.prev_button.isEnabled()
    dialog.next_page()
    assert dialog.current_page() == 1
    assert dialog.page_label.text() == f"Trang 2/{pages}"
    assert dialog.prev_button.isEnabled()
    dialog.previous_page()
    assert dialog.current_page() == 0
    dialog.go_to(pages + 5)
    assert dialog.current_page() == pages - 1
    assert not dialog.next_button.isEnabled()
    before = dialog._base_zoom()
    dialog.zoom_in()
    assert dialog.view.zoomFactor() == pytest.approx(before * pdf_preview.ZOOM_STEP)
    dialog.zoom_out()
    dialog.zoom_out()
    assert dialog.view.zoomFactor() == pytest.approx(before / pdf_preview.ZOOM_STEP)
    assert dialog.zoom_label.text() == f"{round(dialog.view.zoomFactor() * 100)} %"
    dialog.fit_width()
    assert dialog.view.zoomMode() == dialog.view.ZoomMode.FitToWidth


def test_printing_to_a_pdf_printer_keeps_the_page_count(report_file, qtbot, tmp_path):
    path, pages = report_file
    dialog = PdfPreviewDialog(path, "Báo cáo")
    qtbot.addWidget(dialog)
    printer = QPrinter(QPrinter.HighResolution)
    printer.setOutputFormat(QPrinter.PdfFormat)
    printer.setResolution(150)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    assert dialog.print_to(printer) == pages
    assert len(PdfReader(str(out)).pages) == pages


def test_save_as_copies_the_file(report_file, qtbot, tmp_path, messages):
    path, _ = report_file
    dialog = PdfPreviewDialog(path, "Báo cáo")
    qtbot.addWidget(dialog)
    target = dialog.save_as(str(tmp_path / "copy"))
    assert target.endswith("copy.pdf")
    assert Path(target).read_bytes() == path.read_bytes()
    dialog.save_as(str(tmp_path / "no-such-folder" / "x.pdf"))
    assert "Không ghi được" in messages.texts() and "thư mục không tồn tại" in messages.texts()


def _made(qtbot, button) -> tuple[str, int]:
    """Click *button* and wait for the document it makes."""
    printing.last_output = None
    button.click()
    qtbot.waitUntil(lambda: printing.last_output is not None, timeout=20000)
    return printing.last_output


def _select_rows(page, ids):
    selection = page.view.selectionModel()
    selection.clearSelection()
    for record_id in ids:
        row = page.model.row_of(record_id)
        assert row >= 0
        selection.select(page.model.index(row, 0),
                         QItemSelectionModel.Select | QItemSelectionModel.Rows)


def test_certificate_button_prints_the_selected_recipient(station_window, previews, qtbot):
    win, ids = station_window
    page = win.commendations
    win.tabs.setCurrentWidget(page)  # lists load when first shown
    _select_rows(page, ids["commendations"][:1])
    path, pages = _made(qtbot, page.print_selected_button)
    assert len(previews) == 1
    assert pages == 1 and previews[0].page_count() == 1
    text = _text(path)
    assert "Nguyễn Thị Phương Thảo" in text
    _select_rows(page, ids["commendations"])
    assert _made(qtbot, page.print_selected_button)[1] == 2
    assert previews[-1].page_count() == 2


def test_whole_decision_and_decision_document(station_window, previews, monkeypatch, qtbot):
    win, ids = station_window
    page = win.commendations
    win.tabs.setCurrentWidget(page)  # lists load when first shown
    asked = []
    monkeypatch.setattr(printing, "pick_decision",
                        lambda parent, numbers, current=None: asked.append(numbers) or numbers[0])
    assert _made(qtbot, page.print_decision_certs_button)[1] == 2
    assert asked[-1] == ["25/QĐ-UBND"]
    assert "QUYẾT ĐỊNH" in _text(_made(qtbot, page.print_decision_button)[0])
    assert previews[-1].windowTitle().startswith("Quyết định khen thưởng số 25/QĐ-UBND")


def test_missing_field_is_refused_with_the_core_message(station_window, previews, messages,
                                                        qtbot):
    win, ids = station_window
    ctx = win.ctx
    target = ids["commendations"][1]
    with ctx.store.transaction():
        ctx.store.update("commendations", target, {"achievement": ""})
    page = win.commendations
    win.tabs.setCurrentWidget(page)  # lists load when first shown
    page.refresh()
    _select_rows(page, ids["commendations"])
    page.print_selected_button.click()
    qtbot.waitUntil(lambda: bool(messages.shown), timeout=20000)
    assert previews == []
    assert "thiếu thành tích" in messages.texts() and "chưa in trang nào" in messages.texts()


def test_missing_settings_open_the_settings_dialog(station_window, previews, settings_dialogs,
                                                    qtbot):
    win, ids = station_window
    ctx = win.ctx
    ctx.set_setting("cert.chu_tich_ubnd_xa.signer_name", "")
    page = win.commendations
    win.tabs.setCurrentWidget(page)  # lists load when first shown
    _select_rows(page, ids["commendations"][:1])

    def fill(dialog):
        edit = dialog.edits["cert.chu_tich_ubnd_xa.signer_name"]
        assert dialog.missing == ["cert.chu_tich_ubnd_xa.signer_name"]
        assert "c62828" in edit.styleSheet()
        assert dialog.tabs.currentIndex() == 1
        edit.setText("Đinh Công Hiển")
        dialog.save()

    settings_dialogs.fill = fill
    _made(qtbot, page.print_selected_button)
    assert len(settings_dialogs.opened) == 1
    assert ctx.setting("cert.chu_tich_ubnd_xa.signer_name") == "Đinh Công Hiển"
    assert len(previews) == 1  # made again once the setting was saved
    assert "Đinh Công Hiển" in _text(printing.last_output[0])


def test_missing_report_signer_opens_settings_and_cancel_prints_nothing(
        station_window, previews, settings_dialogs, qtbot):
    win, _ = station_window
    win.ctx.set_setting("doc.signer_name", "")
    win.ctx.set_setting("doc.place", "")
    page = win.report
    page.period.set_code("2026")
    page.pdf_button.click()
    qtbot.waitUntil(lambda: bool(settings_dialogs.opened), timeout=20000)
    dialog = settings_dialogs.opened[0]
    assert set(dialog.missing) == {"doc.place", "doc.signer_name"}
    assert dialog.tabs.currentIndex() == 0
    assert previews == []


def test_preprinted_option_and_offsets_are_remembered(station_window, previews, qtbot):
    win, ids = station_window
    page = win.commendations
    win.tabs.setCurrentWidget(page)  # lists load when first shown
    page.preprinted.setChecked(True)
    label, spin = page.offsets["cert.offset_x_mm"]
    assert spin.isEnabled()
    spin.setValue(4.5)
    assert win.ctx.setting("cert.offset_x_mm") == 4.5
    _select_rows(page, ids["commendations"][:1])
    text = _text(_made(qtbot, page.print_selected_button)[0])
    assert "CỘNG HÒA" not in text  # pre-printed paper: no fixed heading
    from ui.main_window import MainWindow
    again = MainWindow(win.ctx)
    qtbot.addWidget(again)
    assert again.commendations.preprinted.isChecked()
    assert again.commendations.offsets["cert.offset_x_mm"][1].value() == 4.5


def test_report_page_custom_period_pdf_and_excel(station_window, previews, monkeypatch,
                                                 tmp_path, messages, qtbot):
    win, _ = station_window
    page = win.report
    page.kind.setCurrentIndex(page.kind.findData("custom"))
    assert page.date_from.isVisibleTo(page) and not page.period.year.isVisibleTo(page)
    page.date_from.setText("01/01/2026")
    page.date_to.setText("31/12/2025")
    page.run_report()
    assert "không được trước" in messages.texts()
    page.date_to.setText("30/06/2026")
    page.run_report()
    qtbot.waitUntil(lambda: page.report is not None, timeout=20000)
    assert "01/01/2026" in page.heading.text()
    assert page.models_chart.chart().series()
    assert sum(n for _, n in page.months) > 0
    assert page.months_chart.chart().series()
    assert _made(qtbot, page.pdf_button)[1] >= 2
    assert previews and previews[-1].page_count() >= 2
    opened = []
    monkeypatch.setattr(printing.QDesktopServices, "openUrl", lambda url: opened.append(url))
    target = tmp_path / "bao-cao.xlsx"
    monkeypatch.setattr(printing.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    _made(qtbot, page.xlsx_button)
    assert target.exists() and opened[0].toLocalFile() == str(target)


def test_member_lists_from_members_and_models(station_window, previews, qtbot):
    win, ids = station_window
    win.tabs.setCurrentWidget(win.members)
    all_text = _text(_made(qtbot, win.members.print_members_button)[0])
    assert "DANH SÁCH" in all_text.upper()
    models = win.models
    win.tabs.setCurrentWidget(models)  # lists load when first shown
    models.select_id(ids["models"][0])
    _made(qtbot, models.print_members_button)
    assert len(previews) == 2
    assert previews[-1].windowTitle().startswith("Danh sách trích ngang — ")


def test_settings_dialog_saves_and_keeps_defaults_empty(station, qtbot):
    ctx, _ = station
    dialog = DocumentSettingsDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.edits["doc.place"].text() == "Hòa Bình"
    assert dialog.missing == []
    dialog.edits["doc.recipients"].setText("  Công an tỉnh (để b/c); Lưu: VT.  ")
    dialog.edits["cert.bo_truong_bca.signer_name"].setText("")
    dialog.save()
    # Typed on one line with “;”: kept one entry a line (the box shows lists so).
    assert ctx.setting("doc.recipients") == "Công an tỉnh (để b/c)\nLưu: VT."
    assert ctx.setting("cert.bo_truong_bca.signer_name") is None
    assert LONG_NAME  # the seeded station is the documents' own


def test_settings_dialog_refuses_a_control_character_and_stores_nothing(station, qtbot,
                                                                        capsys):
    """The entry rules for the document settings, in the dialog and on the command line."""
    from tests.core.exchange_support import cli
    ctx, _ = station
    dialog = DocumentSettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.edits["doc.place"].setText("Hòa Bình mới")
    dialog.edits["doc.signer_name"].setText("Bùi Văn\x07 Thắng")
    dialog.save()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert dialog.missing == ["doc.signer_name"] and "ký tự điều khiển" in dialog.notice.text()
    assert ctx.setting("doc.place") == "Hòa Bình"            # nothing stored
    code, payload = cli(capsys, ctx.path, "settings", "set", "doc.place", "Hòa\x1bBình")
    assert code == 1 and "ký tự điều khiển" in payload["error"], payload
    assert ctx.setting("doc.place") == "Hòa Bình"


# -- temporary document folders ------------------------------------------------

def _documents_root() -> Path:
    return Path(printing.temp_root)


def test_document_folder_goes_when_the_preview_closes(station, qtbot, sync_tasks, messages,
                                                      monkeypatch):
    ctx, _ = station
    seen = []

    def exec_then_close(dialog):
        seen.append((Path(dialog.path).is_file(), dialog.page_count()))
        dialog.show()
        dialog.reject()                 # “Đóng”
        return 0

    monkeypatch.setattr(PdfPreviewDialog, "exec", exec_then_close)
    printing.last_output = None
    printing.print_members(None, ctx)
    qtbot.waitUntil(lambda: printing.last_output is not None, timeout=20000)
    assert seen and seen[0][0] and seen[0][1] >= 1      # the preview had the file
    path = Path(printing.last_output[0])
    assert path.parent.name.startswith(printing.TEMP_PREFIX)
    assert not path.parent.exists()                       # and it went on closing
    assert list(_documents_root().iterdir()) == []


def test_document_folder_goes_when_making_it_fails(station, qtbot, sync_tasks, messages):
    ctx, _ = station
    made = []

    def build(c, out):
        made.append(out)
        out.write_bytes(b"%PDF-1.4 partial")
        from core.errors import UserError
        raise UserError("Thiếu dữ liệu để in.")

    printing.make_pdf(None, ctx, build, name="x.pdf", title="X")
    qtbot.waitUntil(lambda: bool(messages.shown), timeout=20000)
    assert "Thiếu dữ liệu để in." in messages.texts()
    assert made and not made[0].parent.exists()


def test_old_document_folders_are_swept_at_start(tmp_path):
    import os
    import time
    root = tmp_path / "tmp"
    root.mkdir()
    now = time.time()
    old = root / "antq-in-old"
    fresh = root / "antq-in-fresh"
    other = root / "someone-else"
    for folder in (old, fresh, other):
        folder.mkdir()
        (folder / "a.pdf").write_bytes(b"%PDF")
    os.utime(old, (now - 2 * 86400, now - 2 * 86400))
    os.utime(other, (now - 2 * 86400, now - 2 * 86400))
    assert printing.sweep_outputs(root, now=now) == 1
    assert not old.exists() and fresh.exists() and other.exists()
    assert printing.discard_output(other / "a.pdf") is False    # not ours: kept
    assert other.exists()


def test_first_document_of_a_run_sweeps_the_leftovers(tmp_path, monkeypatch):
    import os
    import time
    root = tmp_path / "tmp2"
    root.mkdir()
    stale = root / "antq-in-stale"
    stale.mkdir()
    os.utime(stale, (time.time() - 3 * 86400,) * 2)
    monkeypatch.setattr(printing, "temp_root", str(root))
    out = printing.temp_output("a.pdf")
    assert out.parent.parent == root and out.parent.is_dir()
    assert not stale.exists()


def test_settings_dialog_edits_lists_one_entry_a_line(station, qtbot, tmp_path):
    """Nơi nhận and Căn cứ are multi-line boxes; the documents write “;” and “.”."""
    from PySide6.QtWidgets import QPlainTextEdit

    from core.documents.decision import print_decision
    from tests.core.pdfcheck import text_of
    ctx, _ = station
    ctx.set_setting("decision.recipients", "Như Điều 3; Chủ tịch UBND xã;")  # an older value
    dialog = DocumentSettingsDialog(ctx)
    qtbot.addWidget(dialog)
    for key in ("doc.recipients", "decision.bases", "decision.recipients"):
        assert isinstance(dialog.edits[key], QPlainTextEdit), key
    assert isinstance(dialog.edits["doc.place"], QPlainTextEdit) is False
    recipients = dialog.edits["decision.recipients"]
    assert recipients.toPlainText() == "Như Điều 3\nChủ tịch UBND xã"
    recipients.setPlainText("Như Điều 3\n\n  Công an xã Yên Thủy.\nLưu: VT")
    dialog.edits["decision.bases"].setPlainText(
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;\n"
        "Căn cứ Quyết định số 12/QĐ-UBND ngày 02 tháng 01 năm 2026 của UBND xã Yên Thủy")
    dialog.save()
    assert ctx.setting("decision.recipients") == "Như Điều 3\nCông an xã Yên Thủy.\nLưu: VT"
    text = text_of(print_decision(ctx, "25/QĐ-UBND", tmp_path / "qd.pdf")[0])
    assert "- Như Điều 3; - Công an xã Yên Thủy; - Lưu: VT." in text
    assert ("Căn cứ Quyết định số 12/QĐ-UBND ngày 02 tháng 01 năm 2026 của UBND xã Yên Thủy;"
            in text)
    assert "năm 2022; Căn cứ Quyết định" in text


def test_giam_doc_certificate_at_a_commune_asks_for_the_provinces_place(
        station_window, previews, settings_dialogs, qtbot):
    """The province is not known yet: the settings open on its place, not the commune's."""
    from core.records import Commendation
    from core.services import activities
    win, ids = station_window
    ctx = win.ctx
    ctx.set_setting("cert.giam_doc_ca_tinh.signer_name", "Trần Văn Nam")
    new_id, _ = activities.save_commendation(ctx, Commendation(
        recipient_kind="person", recipient_id=ids["people"][0], form="giay_khen",
        authority="giam_doc_ca_tinh", decision_no="9/QĐ-CAT", decision_date="2026-05-01",
        achievement="Đã có thành tích xuất sắc"))
    page = win.commendations
    win.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.model.row_of(new_id) >= 0)
    _select_rows(page, [new_id])

    def fill(dialog):
        assert dialog.missing == ["cert.giam_doc_ca_tinh.place"]
        edit = dialog.edits["cert.giam_doc_ca_tinh.place"]
        assert "chưa biết tên tỉnh" in edit.placeholderText()
        edit.setText("Phú Thọ")
        dialog.save()

    settings_dialogs.fill = fill
    _made(qtbot, page.print_selected_button)
    text = " ".join(_text(printing.last_output[0]).split())
    assert "Phú Thọ, ngày 01 tháng 5 năm 2026" in text and "Hòa Bình" not in text
