"""Cài đặt văn bản: the stored texts documents need (place, signer, agencies…).

The keys are those of ``docs/documents.md`` (``doc.*``, ``cert.*``). When a
document was refused for missing settings, the dialog opens on the tab holding
the first missing field, with every missing field highlighted.
"""
from __future__ import annotations

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout,
                               QGroupBox, QLabel, QLineEdit, QPlainTextEdit, QScrollArea,
                               QTabWidget, QVBoxLayout, QWidget)

from core.catalog import AUTHORITIES
from core.documents.commendations import SIGNER_TITLES, authority_title, certificate_place
from core.documents.settings import setting_problem
from core.station import Context
from ui.widgets import AsksBeforeDiscard

MISSING_STYLE = ("QLineEdit, QPlainTextEdit { border: 2px solid #c62828; "
                 "background: #fff1f1; }")

DOC_FIELDS = (
    ("doc.place", "Địa danh (*)", "vd. Hòa Bình — in trước “ngày … tháng … năm …”"),
    ("doc.signer_name", "Người ký (*)", "họ tên người ký báo cáo, quyết định"),
    ("doc.signer_title", "Chức vụ người ký", "mặc định: TRƯỞNG CÔNG AN XÃ (PHƯỜNG, ĐẶC KHU) / GIÁM ĐỐC"),
    ("doc.parent_agency", "Cơ quan cấp trên", "vd. CÔNG AN TỈNH HÒA BÌNH"),
    ("doc.agency", "Cơ quan ban hành", "mặc định: tên đơn vị"),
    ("doc.doc_number", "Số, ký hiệu báo cáo", "vd. 15/BC-CAX (để trống: điền tay)"),
    ("doc.recipients", "Nơi nhận", "mỗi nơi nhận một dòng (dấu “;” và “.” do chương trình ghi)"),
    ("doc.sign_authority", "Ký thay", "KT., TM., Q. hoặc TL. — để trống khi người đứng đầu ký"),
    ("doc.head_title", "Chức vụ người đứng đầu", "khi ký thay; mặc định: TRƯỞNG CÔNG AN XÃ"),
    ("decision.bases", "Căn cứ (quyết định)", "mỗi căn cứ một dòng — mặc định:\n"
     "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022\n"
     "Căn cứ Nghị định số 98/2023/NĐ-CP …"),
    ("decision.recipients", "Nơi nhận (quyết định)", "mỗi nơi nhận một dòng — mặc định:\n"
     "Như Điều 3\nLưu: VT."),
)
# Lists: one entry a line in a multi-line box (the documents write “;” and the final “.”).
LIST_KEYS = ("doc.recipients", "decision.bases", "decision.recipients")

CERT_FIELDS = (
    ("signer_name", "Người ký (*)", "họ tên người ký giấy khen, quyết định"),
    ("signer_title", "Chức vụ người ký", ""),
    ("title", "Dòng cấp khen", ""),
    ("agency", "Cơ quan ban hành quyết định", "mặc định: dòng cấp khen, bỏ chức vụ"),
    ("parent_agency", "Cơ quan cấp trên (quyết định)", "nếu có"),
    ("sign_authority", "Ký thay", "KT., TM., Q. hoặc TL. — để trống khi người đứng đầu ký"),
    ("head_title", "Chức vụ người đứng đầu", "khi ký thay; mặc định: chức vụ của cấp khen"),
    ("place", "Địa danh", "mặc định: địa danh trên giấy khen (cấp tỉnh: của tỉnh)"),
)


class ListEdit(QPlainTextEdit):
    """A list setting, one entry a line; ``text()`` / ``setText()`` as a line edit has.

    A value stored before lists were kept one a line (entries separated by “;”) is
    shown one entry a line; the person's own final “;” or “.” are left to the
    documents, which write them as ND 30 wants.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 14)

    def setText(self, value: str) -> None:  # noqa: N802 - the QLineEdit name
        """Show *value* one entry a line."""
        value = str(value or "")
        parts = value.split("\n") if "\n" in value else value.split(";")
        self.setPlainText("\n".join(p.strip() for p in parts if p.strip()))

    def text(self) -> str:
        """The entries typed, one a line (blank lines dropped)."""
        return "\n".join(line.strip() for line in self.toPlainText().split("\n")
                         if line.strip())


def cert_hint(ctx: Context, code: str, field: str, hint: str) -> str:
    """The placeholder of a certificate field: the default the documents would use."""
    if field == "signer_title":
        return "mặc định: " + SIGNER_TITLES.get(code, "")
    if field == "title":
        return "mặc định: " + authority_title(ctx, code)
    if field == "place":
        place = certificate_place(ctx, code)
        return ("mặc định: " + place) if place else "cần nhập: chưa biết tên tỉnh"
    return hint

OFFSET_KEYS = ("cert.offset_x_mm", "cert.offset_y_mm")


def read_offset(ctx: Context, key: str) -> float:
    """A stored pre-printed paper offset in mm (0 when unset or unreadable)."""
    value = ctx.setting(key, 0) or 0
    try:
        return float(str(value).replace(",", "."))
    except ValueError:
        return 0.0


class DocumentSettingsDialog(AsksBeforeDiscard, QDialog):
    """Edit the document settings; “Lưu” stores every field (empty = default)."""

    def __init__(self, ctx: Context, parent: QWidget | None = None,
                 missing: list[str] | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Cài đặt văn bản")
        self.edits: dict[str, QLineEdit | ListEdit] = {}
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._doc_tab(), "Báo cáo, quyết định")
        self.tabs.addTab(self._cert_tab(), "Giấy khen, bằng khen")
        layout = QVBoxLayout(self)
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: #b00020; font-weight: bold;")
        self.notice.hide()
        layout.addWidget(self.notice)
        layout.addWidget(self.tabs, 1)
        hint = QLabel("(*) bắt buộc để in. Ô để trống dùng giá trị mặc định.", self)
        hint.setStyleSheet("color: #555;")
        layout.addWidget(hint)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel, self)
        self.buttons.button(QDialogButtonBox.Save).setText("Lưu")
        self.buttons.button(QDialogButtonBox.Cancel).setText("Hủy")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(720, 600)
        self.missing: list[str] = []
        self.highlight(missing or [])

    def _edit(self, form: QFormLayout, key: str, label: str, hint: str) -> None:
        edit = ListEdit(self) if key in LIST_KEYS else QLineEdit(self)
        edit.setPlaceholderText(hint)
        value = self.ctx.setting(key)
        edit.setText("" if value is None else str(value))
        edit.setToolTip(key)
        form.addRow(label, edit)
        self.edits[key] = edit

    def _doc_tab(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        for key, label, hint in DOC_FIELDS:
            self._edit(form, key, label, hint)
        return page

    def _cert_tab(self) -> QWidget:
        inner = QWidget(self)
        layout = QVBoxLayout(inner)
        common = QGroupBox("Chung", inner)
        form = QFormLayout(common)
        self._edit(form, "cert.place", "Địa danh trên giấy khen",
                   "mặc định: địa danh của báo cáo")
        self.offsets: dict[str, QDoubleSpinBox] = {}
        for key, label in zip(OFFSET_KEYS, ("Dịch sang phải (mm)", "Dịch lên trên (mm)")):
            spin = QDoubleSpinBox(common)
            spin.setRange(-50, 50)
            spin.setDecimals(1)
            spin.setSingleStep(0.5)
            spin.setValue(read_offset(self.ctx, key))
            spin.setToolTip("Khi in trên phôi in sẵn; số âm để dịch ngược lại")
            form.addRow(label, spin)
            self.offsets[key] = spin
        layout.addWidget(common)
        for item in AUTHORITIES.items:
            box = QGroupBox(item.label, inner)
            form = QFormLayout(box)
            for field, label, hint in CERT_FIELDS:
                self._edit(form, f"cert.{item.code}.{field}", label,
                           cert_hint(self.ctx, item.code, field, hint))
            layout.addWidget(box)
        layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        self.cert_scroll = scroll
        return scroll

    def highlight(self, keys: list[str]) -> None:
        """Mark the fields of *keys* as missing and show the first one."""
        self.missing = [k for k in keys if k in self.edits]
        for key, edit in self.edits.items():
            edit.setStyleSheet(MISSING_STYLE if key in self.missing else "")
        if not self.missing:
            self.notice.hide()
            return
        self.notice.setText("Cần nhập các ô tô đỏ trước khi in văn bản.")
        self.notice.show()
        first = self.edits[self.missing[0]]
        self.tabs.setCurrentIndex(0 if self.missing[0].startswith("doc.") else 1)
        if not self.missing[0].startswith("doc."):
            self.cert_scroll.ensureWidgetVisible(first)
        first.setFocus()

    def value(self, key: str) -> str:
        """The text typed for *key*, trimmed."""
        return self.edits[key].text().strip()

    def save(self) -> None:
        """Store every field and close; a value the entry rules refuse stores nothing."""
        for key, edit in self.edits.items():
            if problem := setting_problem(edit.text().strip()):
                self.highlight([key])
                self.notice.setText(f"Ô tô đỏ: nội dung {problem}")
                return
        for key, edit in self.edits.items():
            text = edit.text().strip()
            if text or self.ctx.setting(key) is not None:
                self.ctx.set_setting(key, text)
        for key, spin in self.offsets.items():
            if spin.value() or self.ctx.setting(key) is not None:
                self.ctx.set_setting(key, spin.value())
        self.accept()
