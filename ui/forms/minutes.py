"""“In biên bản”: what the biên bản of an event says beyond the event record.

The event holds its date, kind, title, place (unit), organiser and participants;
the hour, the chair, the secretary, what was said and what was decided are typed
here (nothing typed: a dotted line to fill in by hand). The dialog opens with what
was saved with the event last time; “Lưu vào sự kiện” (an editor, on this station's
own events) keeps what is typed with the event — a change of the event, audited and
sent in the next package. A viewer, or the province looking at a commune's event,
prints without saving.
"""
from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QLabel,
                               QLineEdit, QPlainTextEdit, QVBoxLayout)

from core import accounts, queries
from core.catalog import EVENT_TYPES
from core.records import MinutesDetails
from core.repos.activities import EventRepo
from core.text import format_date
from ui.widgets import AsksBeforeDiscard


class MinutesDialog(AsksBeforeDiscard, QDialog):
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
        self.hint = hint
        form = QFormLayout()
        layout.addLayout(form)
        unit = queries.names_of(ctx.db, "units", [event.unit_id]).get(event.unit_id, "") \
            if event.unit_id else ""
        saved = MinutesDetails.of_event(event)
        # what prints when a field is left as it came: kept dynamic, never saved as such
        self.defaults = {"place": unit,
                         "content": "\n".join(p for p in (event.title, event.notes) if p)}
        self.start_time = self._line(form, "Bắt đầu lúc:", saved.start_time, "vd. 8 giờ 00")
        self.end_time = self._line(form, "Kết thúc lúc:", saved.end_time, "vd. 10 giờ 30")
        self.place = self._line(form, "Địa điểm:", saved.place or unit,
                                "vd. Nhà văn hóa thôn Đồng Tâm")
        self.chair = self._line(form, "Chủ trì:", saved.chair, "Họ tên, chức vụ")
        self.secretary = self._line(form, "Thư ký:", saved.secretary, "Họ tên, chức vụ")
        self.content = self._text(form, "Nội dung:", saved.content or self.defaults["content"])
        self.outcome = self._text(form, "Kết quả:", saved.result)
        self.save_box = QCheckBox("Lưu vào sự kiện (lần in sau điền sẵn các ô này)", self)
        why_not = self._why_not_saved(ctx, event)
        self.save_box.setChecked(why_not is None)
        self.save_box.setEnabled(why_not is None)
        self.save_box.setToolTip(why_not or "Ghi vào sự kiện như một lần sửa (có trong nhật ký "
                                            "thay đổi và gói gửi Công an tỉnh)")
        layout.addWidget(self.save_box)
        if why_not:
            note = QLabel(why_not, self)
            note.setWordWrap(True)
            note.setStyleSheet("color: #555;")
            layout.addWidget(note)
        if not saved.is_empty():
            hint.setText("Đã điền sẵn thông tin lưu lần trước. Ô để trống được in thành dòng "
                         "chấm để ghi tay.")
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        buttons.button(QDialogButtonBox.Ok).setText("In")
        buttons.button(QDialogButtonBox.Cancel).setText("Hủy")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.Ok)
        layout.addWidget(buttons)
        self.start_time.setFocus()

    @staticmethod
    def _why_not_saved(ctx, event) -> str | None:
        """Why what is typed cannot be kept with the event here (None: it can)."""
        if event.owner not in (ctx.station.code, ""):
            return ("Sự kiện của đơn vị khác (nhận qua gói dữ liệu): chỉ in, không lưu được; "
                    "đơn vị tổ chức lưu trên máy của mình.")
        if not accounts.allowed(ctx, "edit"):
            return "Tài khoản chỉ xem: biên bản được in nhưng thông tin không được lưu."
        return None

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

    def saved_details(self) -> MinutesDetails:
        """What to keep with the event: a field left at its default is kept empty, so
        the biên bản follows the event's unit, title and notes when they change."""
        details = self.details()
        if details.place.strip() == self.defaults["place"].strip():
            details.place = ""
        if details.content.strip() == self.defaults["content"].strip():
            details.content = ""
        return details

    def save_wanted(self) -> bool:
        """True when the person asked to keep the details with the event (and may)."""
        return self.save_box.isEnabled() and self.save_box.isChecked()

