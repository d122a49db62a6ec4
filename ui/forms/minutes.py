"""“In biên bản”: what the biên bản of an event says beyond the event record.

The event holds its date, kind, title, place (unit), organiser and participants;
the hour, the chair, the secretary, what was said and what was decided are typed
here (nothing typed: a dotted line to fill in by hand). Nothing is saved, so a
viewer may print too.
"""
from __future__ import annotations

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QVBoxLayout)

from core import queries
from core.catalog import EVENT_TYPES
from core.documents.attendance import MinutesDetails
from core.repos.activities import EventRepo
from core.text import format_date


class MinutesDialog(QDialog):
    """Ask the hour, place, chair, secretary, content and result, then “In”."""

    def __init__(self, ctx, event_id: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle("In biên bản sự kiện")
        self.setMinimumWidth(640)
        event = EventRepo(ctx.store).get(event_id)
        layout = QVBoxLayout(self)
        intro = QLabel(f"{EVENT_TYPES.label(event.type)} ngày {format_date(event.date)}: "
                       f"{event.title}", self)
        intro.setWordWrap(True)
        intro.setStyleSheet("font-weight: bold;")
        layout.addWidget(intro)
        hint = QLabel("Ô để trống được in thành dòng chấm để ghi tay.", self)
        hint.setStyleSheet("color: #555;")
        layout.addWidget(hint)
        form = QFormLayout()
        layout.addLayout(form)
        unit = queries.names_of(ctx.db, "units", [event.unit_id]).get(event.unit_id, "") \
            if event.unit_id else ""
        self.start_time = self._line(form, "Bắt đầu lúc:", "", "vd. 8 giờ 00")
        self.end_time = self._line(form, "Kết thúc lúc:", "", "vd. 10 giờ 30")
        self.place = self._line(form, "Địa điểm:", unit, "vd. Nhà văn hóa thôn Đồng Tâm")
        self.chair = self._line(form, "Chủ trì:", "", "Họ tên, chức vụ")
        self.secretary = self._line(form, "Thư ký:", "", "Họ tên, chức vụ")
        self.content = self._text(form, "Nội dung:",
                                  "\n".join(p for p in (event.title, event.notes) if p))
        self.outcome = self._text(form, "Kết quả:", "")
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        buttons.button(QDialogButtonBox.Ok).setText("In")
        buttons.button(QDialogButtonBox.Cancel).setText("Hủy")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.Ok)
        layout.addWidget(buttons)
        self.start_time.setFocus()

    def _line(self, form: QFormLayout, label: str, value: str, hint: str) -> QLineEdit:
        edit = QLineEdit(value, self)
        edit.setPlaceholderText(hint)
        form.addRow(label, edit)
        return edit

    def _text(self, form: QFormLayout, label: str, value: str) -> QPlainTextEdit:
        edit = QPlainTextEdit(value, self)
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(90)
        form.addRow(label, edit)
        return edit

    def details(self) -> MinutesDetails:
        """What was typed, for :func:`core.documents.attendance.minutes_pdf`."""
        return MinutesDetails(
            start_time=self.start_time.text(), end_time=self.end_time.text(),
            place=self.place.text(), chair=self.chair.text(), secretary=self.secretary.text(),
            content=self.content.toPlainText(), result=self.outcome.toPlainText())
