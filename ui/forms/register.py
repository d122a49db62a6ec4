"""The province's register of communes in the window: note a fingerprint, revoke a key.

Both dialogs only ask; the page runs the change through :func:`ui.jobs.run_on_station`
(core :func:`core.exchange.register.note_fingerprint` and
:func:`core.exchange.register.revoke`, as ``note-fingerprint`` and ``revoke-key`` do).
"""
from __future__ import annotations

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QVBoxLayout)

from core.errors import UserError
from core.exchange.register import RegisteredCommune, normalise_fingerprint
from ui.widgets import AsksBeforeDiscard

HEX = set("0123456789ABCDEF")
MONO = "font-family: monospace; font-size: 15px;"
HINT = "color: #555;"
BAD = "color: #b00020;"
GOOD = "color: #1b6e20; font-weight: bold;"


def fingerprint_state(text: str) -> tuple[str | None, str]:
    """(the fingerprint in groups, or None; what to tell the person while typing)."""
    digits = "".join(ch for ch in text.upper() if not ch.isspace() and ch != "-")
    wrong = sorted({ch for ch in digits if ch not in HEX})
    if wrong:
        return None, (f"Có ký tự không phải chữ số hệ 16: {' '.join(wrong)} "
                      "(chỉ dùng 0-9 và A-F).")
    try:
        return normalise_fingerprint(text), "Đủ 40 chữ số."
    except UserError:
        return None, f"Đã nhập {len(digits)}/40 chữ số."


class FingerprintDialog(AsksBeforeDiscard, QDialog):
    """“Ghi dấu vân tay…”: the fingerprint a commune read out, checked as it is typed."""

    def __init__(self, commune: RegisteredCommune, parent=None):
        super().__init__(parent)
        self.commune = commune
        self.setWindowTitle("Ghi dấu vân tay khóa của xã")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        who = QLabel(f"<b>{commune.name}</b> (mã {commune.code})", self)
        layout.addWidget(who)
        intro = QLabel(
            "Nhập dấu vân tay khóa do Công an xã đọc qua điện thoại hoặc ghi trong văn bản: "
            "40 chữ số hệ 16 (0-9, A-F), thường viết thành 10 nhóm 4 ký tự. Tệp đầu tiên "
            "của xã được đối chiếu với dấu vân tay này: khớp thì nhận không cần xác nhận "
            "thêm, ký bằng khóa khác thì bị từ chối.", self)
        intro.setWordWrap(True)
        intro.setStyleSheet(HINT)
        layout.addWidget(intro)
        if commune.expected_fingerprint:
            before = QLabel(f"Đã ghi trước đây: <span style='font-family: monospace'>"
                            f"{commune.expected_fingerprint}</span> — dấu vân tay mới sẽ "
                            "thay thế.", self)
            before.setWordWrap(True)
            layout.addWidget(before)
        form = QFormLayout()
        self.fingerprint = QLineEdit(self)
        self.fingerprint.setStyleSheet(MONO)
        self.fingerprint.setPlaceholderText("AB12 CD34 EF56 …")
        self.fingerprint.setMaxLength(80)
        self.fingerprint.textChanged.connect(self._check)
        form.addRow("Dấu vân tay:", self.fingerprint)
        self.state = QLabel(self)
        form.addRow("", self.state)
        self.source = QLineEdit(self)
        self.source.setPlaceholderText("Ví dụ: điện thoại với đ/c Trưởng Công an xã; công văn "
                                       "số 12/CAX")
        self.source.setMaxLength(200)
        form.addRow("Nguồn:", self.source)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.ok_button = self.buttons.button(QDialogButtonBox.Ok)
        self.ok_button.setText("Ghi")
        self.buttons.button(QDialogButtonBox.Cancel).setText("Hủy")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._check()

    def _check(self, *_args) -> None:
        value, text = fingerprint_state(self.fingerprint.text())
        if value is not None:
            text = f"{text} Đọc lại cho xã để đối chiếu: {value}"
        self.state.setText(text)
        self.state.setStyleSheet(GOOD if value else (BAD if self.fingerprint.text() else HINT))
        self.state.setWordWrap(True)
        self.ok_button.setEnabled(value is not None)

    def accept(self) -> None:
        """Closes only on a whole fingerprint (the button is off otherwise)."""
        if fingerprint_state(self.fingerprint.text())[0] is not None:
            super().accept()

    def values(self) -> tuple[str, str]:
        """(the fingerprint in groups, the source text)."""
        return fingerprint_state(self.fingerprint.text())[0] or "", self.source.text().strip()


class RevokeDialog(AsksBeforeDiscard, QDialog):
    """“Thu hồi khóa…”: says what revoking means, asks the reason."""

    def __init__(self, commune: RegisteredCommune, parent=None):
        super().__init__(parent)
        self.commune = commune
        self.setWindowTitle("Thu hồi khóa của xã")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        head = QLabel(f"Thu hồi khóa của <b>{commune.name}</b> (mã {commune.code})?<br>"
                      f"Dấu vân tay: <span style='font-family: monospace'>"
                      f"{commune.fingerprint}</span>", self)
        head.setWordWrap(True)
        layout.addWidget(head)
        meaning = QLabel(
            "Dùng khi máy của xã bị mất, hỏng hoặc xã đã lập khóa mới. Sau khi thu hồi:\n"
            "• tệp tiếp theo ký bằng khóa cũ bị từ chối;\n"
            "• tệp của xã chỉ được nhận khi đã ghi dấu vân tay khóa mới (“Ghi dấu vân "
            "tay…”) hoặc khi xác nhận tin cậy khóa mới lúc nhận tệp;\n"
            "• dữ liệu đã nhận của xã vẫn giữ nguyên; việc thu hồi được ghi vào nhật ký "
            "thay đổi.", self)
        meaning.setWordWrap(True)
        layout.addWidget(meaning)
        form = QFormLayout()
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("Ví dụ: máy của xã bị mất ngày 01/12/2026")
        self.reason.setMaxLength(200)
        form.addRow("Lý do:", self.reason)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.ok_button = self.buttons.button(QDialogButtonBox.Ok)
        self.ok_button.setText("Thu hồi khóa")
        cancel = self.buttons.button(QDialogButtonBox.Cancel)
        cancel.setText("Hủy")
        cancel.setDefault(True)                 # Enter does not revoke by accident
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def reason_text(self) -> str:
        """The reason typed (may be empty, as on the command line)."""
        return self.reason.text().strip()
