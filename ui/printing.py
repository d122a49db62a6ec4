"""Printing from the window: documents made by core/documents off the UI thread.

Every document is written to a fresh temporary folder by a worker
(:func:`ui.jobs.run_on_station`: a connection of its own, the window's user), then shown in :class:`PdfPreviewDialog`.
A document refused for missing settings opens “Cài đặt văn bản” with the
missing fields highlighted and, once they are saved, is made again.
"""
from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from core.documents.settings import MissingSettings
from core.periods import Period
from core.station import Context
from ui import dialogs, jobs, tasks
from ui.forms.document_settings import DocumentSettingsDialog
from ui.pdf_preview import show_pdf

log = logging.getLogger(__name__)

Build = Callable[[Context, Path], tuple[str, int]]

# What the last document made was (path, pages); tests read it.
last_output: tuple[str, int] | None = None


TEMP_PREFIX = "antq-in-"
STALE_AFTER_S = 24 * 60 * 60     # leftovers older than a day are removed at the next start

# Where documents are written before their preview (None: the system's temp folder);
# the tests point it at their own folder.
temp_root: str | None = None
_swept: set[str] = set()


def temp_output(name: str) -> Path:
    """A path for *name* in a new temporary folder (never one the preview still holds).

    The folder goes when the preview closes (:func:`discard_output`); the first
    document of a run also removes the day-old leftovers of earlier runs (a
    crash, or a preview that still held its file on Windows).
    """
    root = temp_root or tempfile.gettempdir()
    if root not in _swept:
        _swept.add(root)
        sweep_outputs(root)
    return Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=root)) / name


def discard_output(out: str | Path) -> bool:
    """Remove the temporary folder holding the document *out*; True when it went.

    Only a folder made by :func:`temp_output` is removed. A file still held
    open (Windows) leaves the folder for the next start's sweep.
    """
    folder = Path(out).parent
    if not folder.name.startswith(TEMP_PREFIX) or not folder.is_dir():
        return False
    try:
        shutil.rmtree(folder)
    except OSError as exc:
        log.info("temporary document folder %s left for a later sweep: %s", folder, exc)
        return False
    return True


def sweep_outputs(root: str | Path, max_age: float = STALE_AFTER_S,
                  now: float | None = None) -> int:
    """Remove the document folders in *root* older than *max_age* seconds; return how many."""
    now = time.time() if now is None else now
    removed = 0
    try:
        folders = [p for p in Path(root).glob(TEMP_PREFIX + "*") if p.is_dir()]
    except OSError as exc:
        log.info("cannot look for old temporary documents in %s: %s", root, exc)
        return 0
    for folder in folders:
        try:
            stale = now - folder.stat().st_mtime > max_age
        except OSError:
            continue                      # gone meanwhile (another instance swept it)
        if stale and discard_output(folder / "x"):
            removed += 1
    return removed


def open_settings(parent: QWidget | None, ctx: Context,
                  missing: list[str] | None = None) -> bool:
    """“Cài đặt văn bản”; True when the person saved."""
    dialog = DocumentSettingsDialog(ctx, parent, missing)
    return dialog.exec() == QDialog.Accepted


def make_pdf(parent: QWidget, ctx: Context, build: Build, *, name: str, title: str,
             label: str = "Đang tạo văn bản…",
             on_done: Callable[[str, int], None] | None = None) -> None:
    """Run *build(ctx, out)* in the background, then preview the PDF it wrote."""
    if not jobs.may(parent, ctx, "read"):
        return
    out = temp_output(name)

    def work(job_ctx: Context, control: tasks.TaskControl) -> tuple[str, int]:
        return build(job_ctx, out)

    def done(result: tuple[str, int]) -> None:
        global last_output
        last_output = result
        if on_done is not None:       # the caller keeps the file
            on_done(*result)
            return
        show_pdf(parent, result[0], title, name, on_closed=lambda: discard_output(out))

    def failed(exc: BaseException) -> None:
        discard_output(out)
        if isinstance(exc, tasks.Cancelled):
            return
        if isinstance(exc, MissingSettings):
            if open_settings(parent, ctx, exc.keys):
                make_pdf(parent, ctx, build, name=name, title=title, label=label,
                         on_done=on_done)
            return
        dialogs.show_exception(parent, exc)

    jobs.run_on_station(parent, ctx, work, needs="read", on_success=done, on_failure=failed,
                        label=label)


# -- the documents -------------------------------------------------------------

def print_certificates(parent: QWidget, ctx: Context, *, ids: list[str] | None = None,
                       decision: str | None = None, preprinted: bool = False) -> None:
    """Certificates for the chosen commendations, or for a whole decision."""
    from core.documents.certificates import print_commendations

    def build(c: Context, out: Path) -> tuple[str, int]:
        return print_commendations(c, out, decision=decision, ids=ids, preprinted=preprinted)

    suffix = f"_QD_{_safe(decision)}" if decision else ""
    make_pdf(parent, ctx, build, name=f"Giay_khen{suffix}.pdf", title="Giấy khen",
             label="Đang tạo giấy khen…")


def print_decision(parent: QWidget, ctx: Context, decision: str) -> None:
    """The “Quyết định khen thưởng” of *decision* with its attached list."""
    from core.documents.decision import print_decision as build_decision
    make_pdf(parent, ctx, lambda c, out: build_decision(c, decision, out),
             name=f"Quyet_dinh_khen_thuong_{_safe(decision)}.pdf",
             title=f"Quyết định khen thưởng số {decision}", label="Đang tạo quyết định…")


def print_members(parent: QWidget, ctx: Context, model_id: str | None = None,
                  model_name: str = "") -> None:
    """“Danh sách trích ngang” of every member, or of one model."""
    from core.documents.members import members_list_pdf
    title = "Danh sách trích ngang" + (f" — {model_name}" if model_name else "")
    make_pdf(parent, ctx, lambda c, out: members_list_pdf(c, out, model_id=model_id),
             name="Danh_sach_trich_ngang.pdf", title=title,
             label="Đang tạo danh sách trích ngang…")


def print_attendance(parent: QWidget, ctx: Context, event_id: str) -> None:
    """“Danh sách điểm danh” of one event (a “Ký tên” column for each attendee)."""
    from core.documents.attendance import attendance_pdf
    make_pdf(parent, ctx, lambda c, out: attendance_pdf(c, event_id, out),
             name="Danh_sach_diem_danh.pdf", title="Danh sách điểm danh",
             label="Đang tạo danh sách điểm danh…")


def print_minutes(parent: QWidget, ctx: Context, event_id: str, details=None) -> None:
    """The biên bản of one event, with what the person typed in “In biên bản”."""
    from core.documents.attendance import minutes_pdf
    make_pdf(parent, ctx, lambda c, out: minutes_pdf(c, event_id, out, details),
             name="Bien_ban.pdf", title="Biên bản", label="Đang tạo biên bản…")


def ask_number_date(parent: QWidget, ctx: Context, period: Period,
                    report: dict | None = None) -> tuple[str | None, object] | None:
    """Ask this report's number and date (remembered with the period); None on Hủy.

    The plausibility warnings of *report* are shown in the same dialog (not blocking).
    """
    from core.documents.report_content import plausibility_warnings
    from ui.forms.report_texts import NumberDateDialog
    if report is None:     # not computed yet: at least say when the period has not ended
        report = {"period": {"to": period.end.isoformat()},
                  "indicators": {"results": {}, "participants_total": 0, "events_total": 0}}
    warnings = plausibility_warnings(report)
    dialog = NumberDateDialog(ctx, period, parent, warnings)
    if dialog.exec() != QDialog.Accepted:
        return None
    return dialog.chosen_number, dialog.chosen_day


def print_report(parent: QWidget, ctx: Context, period: Period,
                 report: dict | None = None) -> None:
    """The periodic report as PDF, previewed (number and date asked first)."""
    from core.documents.report_pdf import report_pdf
    chosen = ask_number_date(parent, ctx, period, report)
    if chosen is None:
        return
    number, day = chosen
    make_pdf(parent, ctx, lambda c, out: report_pdf(c, period, out, number=number, today=day),
             name=f"Bao_cao_{_safe(period.label)}.pdf", title=f"Báo cáo {period.label}",
             label="Đang tạo báo cáo…")


def export_report_xlsx(parent: QWidget, ctx: Context, period: Period,
                       target: str | None = None, open_after: bool = True) -> None:
    """“Xuất Excel…”: the report workbook where the person chooses, then opened."""
    from core.documents.report_xlsx import report_xlsx
    target = target or QFileDialog.getSaveFileName(
        parent, "Xuất báo cáo ra Excel", f"Bao_cao_{_safe(period.label)}.xlsx",
        "Sổ Excel (*.xlsx)")[0]
    if not target:
        return
    if not target.lower().endswith(".xlsx"):
        target += ".xlsx"

    def work(job_ctx: Context, control: tasks.TaskControl) -> tuple[str, int]:
        return report_xlsx(job_ctx, period, target)

    def done(result: tuple[str, int]) -> None:
        global last_output
        last_output = result
        if open_after:
            QDesktopServices.openUrl(QUrl.fromLocalFile(result[0]))

    jobs.run_on_station(parent, ctx, work, needs="read", on_success=done,
                        label="Đang xuất báo cáo ra Excel…")


def report_docx_file(parent: QWidget, ctx: Context, period: Period, *,
                     target: str | None = None, report: dict | None = None) -> None:
    """The report as a Word file: to *target* (“Lưu thành…”) or a temp file, then opened.

    Without *target* the file goes to a temporary folder and opens with the system's
    program for .docx (“Mở bằng Word”); the folder is swept at a later start.
    """
    from core.documents.report_docx import report_docx
    chosen = ask_number_date(parent, ctx, period, report)
    if chosen is None:
        return
    number, day = chosen
    if not jobs.may(parent, ctx, "read"):
        return
    out = Path(target) if target else temp_output(f"Bao_cao_{_safe(period.label)}.docx")

    def work(job_ctx: Context, control: tasks.TaskControl) -> tuple[str, int]:
        return report_docx(job_ctx, period, out, number=number, today=day), 0

    def done(result: tuple[str, int]) -> None:
        global last_output
        last_output = result
        QDesktopServices.openUrl(QUrl.fromLocalFile(result[0]))

    def failed(exc: BaseException) -> None:
        if not target:
            discard_output(out)
        if isinstance(exc, tasks.Cancelled):
            return
        if isinstance(exc, MissingSettings):
            if open_settings(parent, ctx, exc.keys):
                report_docx_file(parent, ctx, period, target=target)
            return
        dialogs.show_exception(parent, exc)

    jobs.run_on_station(parent, ctx, work, needs="read", on_success=done, on_failure=failed,
                        label="Đang tạo tệp Word…")


def save_report_docx(parent: QWidget, ctx: Context, period: Period,
                     report: dict | None = None) -> None:
    """“Lưu thành… (.docx)”: the Word file where the person chooses."""
    target = QFileDialog.getSaveFileName(
        parent, "Lưu báo cáo thành tệp Word", f"Bao_cao_{_safe(period.label)}.docx",
        "Tài liệu Word (*.docx)")[0]
    if not target:
        return
    if not target.lower().endswith(".docx"):
        target += ".docx"
    report_docx_file(parent, ctx, period, target=target, report=report)


def pick_decision(parent: QWidget, numbers: list[str], current: str | None = None) -> str | None:
    """Ask which decision to print (a list of the decision numbers on record)."""
    if not numbers:
        dialogs.show_error(parent, "Chưa có khen thưởng nào ghi số quyết định.")
        return None
    start = numbers.index(current) if current in numbers else 0
    return dialogs.pick_item(parent, "Chọn quyết định", "Số quyết định:", numbers, start)


def _safe(text: str | None) -> str:
    """A file-name friendly form of a decision number or period label."""
    from core.text import fold
    kept = "".join(ch if ch.isalnum() else "_" for ch in fold(text or ""))
    return "_".join(part for part in kept.split("_") if part)[:60]
