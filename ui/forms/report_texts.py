"""The officer's own wording of a report, and the number and date asked when printing."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QTabWidget, QVBoxLayout, QWidget)

from core import report_texts
from core.activity import local_today
from core.errors import PermissionDenied, UserError
from core.periods import Period
from core.station import Context
from ui import dialogs
from ui.widgets import AsksBeforeDiscard, DateEdit

HINTS = {
    "mo_dau": "Đoạn mở đầu (đã điền sẵn câu do chương trình soạn; sửa tùy ý).",
    "ket_qua": "Các số liệu do chương trình soạn (ở trên) luôn được giữ; phần anh/chị viết "
               "ở đây được in tiếp theo.",
    "ton_tai": "Tồn tại, hạn chế và nguyên nhân.",
    "phuong_huong": "Phương hướng, nhiệm vụ kỳ tới.",
    "kien_nghi": "Kiến nghị, đề xuất với cấp trên.",
}


class ReportTextsDialog(AsksBeforeDiscard, QDialog):
    """“Nội dung báo cáo”: one editor per section, saved with the period (and audited)."""

    def __init__(self, ctx: Context, period: Period, generated: dict[str, list[str]],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.period = ctx, period
        self.generated = {k: "\n".join(v) for k, v in generated.items()}
        self.setWindowTitle(f"Nội dung báo cáo {period.label}")
        self.resize(760, 520)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        self.editors: dict[str, QPlainTextEdit] = {}
        own = report_texts.stored(ctx, period.key)
        for key, title in report_texts.SECTIONS.items():
            page = QWidget(self)
            box = QVBoxLayout(page)
            hint = QLabel(HINTS[key], page)
            hint.setWordWrap(True)
            box.addWidget(hint)
            if key == "ket_qua":
                figures = QLabel(self.generated.get("ket_qua", ""), page)
                figures.setWordWrap(True)
                figures.setStyleSheet("color: #444; border: 1px solid #bbb; padding: 4px;")
                box.addWidget(figures)
            editor = QPlainTextEdit(page)
            editor.setPlainText(own.get(key) or (self.generated.get(key, "")
                                                  if key == "mo_dau" else ""))
            box.addWidget(editor, 1)
            self.editors[key] = editor
            self.tabs.addTab(page, title)
        layout.addWidget(self.tabs, 1)
        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton("Lưu", QDialogButtonBox.AcceptRole)
        buttons.addButton("Hủy", QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def save(self) -> None:
        """Keep every section (an unchanged generated mở đầu is not stored)."""
        try:
            for key, editor in self.editors.items():
                value = editor.toPlainText()
                if key == "mo_dau" and value.strip() == self.generated.get("mo_dau", "").strip():
                    value = ""
                report_texts.set_section(self.ctx, self.period.key, key, value or None)
        except UserError as exc:
            dialogs.show_error(self, str(exc))
            return
        self.accept()


class NumberDateDialog(AsksBeforeDiscard, QDialog):
    """Asked before printing: this report's number (blank for a hand-written one) and date."""

    def __init__(self, ctx: Context, period: Period, parent: QWidget | None = None,
                 warnings: list[str] | None = None):
        super().__init__(parent)
        self.ctx, self.period = ctx, period
        self.chosen_number: str | None = None
        self.chosen_day: dt.date | None = None
        self.setWindowTitle("Số và ngày của báo cáo")
        dialogs.fit_title(self)
        own = report_texts.stored(ctx, period.key)
        layout = QVBoxLayout(self)
        if warnings:
            note = QLabel("Cần xem lại trước khi ký:\n" + "\n".join(f"• {w}" for w in warnings),
                          self)
            note.setWordWrap(True)
            note.setStyleSheet("color: #8a4b00;")
            layout.addWidget(note)
        form = QFormLayout()
        self.number = QLineEdit(own.get(report_texts.NUMBER, ""), self)
        self.number.setPlaceholderText("để trống để viết tay")
        self.number.setToolTip("Chỉ số (vd. 15); ký hiệu /BC-… do chương trình ghi")
        self.day = DateEdit(self)
        self.day.set_value(own.get(report_texts.DATE) or local_today().isoformat())
        form.addRow("Số:", self.number)
        form.addRow("Ngày ký:", self.day)
        layout.addLayout(form)
        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton("Tiếp tục", QDialogButtonBox.AcceptRole)
        buttons.addButton("Hủy", QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def save(self) -> None:
        """Take the number and date; remember them with the period when the user may edit.

        A viewer may print but not change the station's data: for them the values
        hold for this document only.
        """
        try:
            iso = self.day.value()
            self.chosen_day = dt.date.fromisoformat(iso) if iso else None
        except ValueError as exc:
            dialogs.show_error(self, str(exc))
            return
        self.chosen_number = self.number.text().strip() or None
        try:
            report_texts.set_number_date(self.ctx, self.period.key, self.chosen_number,
                                         self.chosen_day)
        except PermissionDenied:
            pass    # not allowed to keep them: this document only
        except UserError as exc:
            dialogs.show_error(self, str(exc))
            return
        self.accept()
