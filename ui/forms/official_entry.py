"""Asked once of a station set up with a free code: which entry of the official list is it?

Databases made before the official list (codes like "CAX-TANPHU") keep working;
the first time such a station opens the window, an administrator (or anyone,
before accounts exist) picks the station's province and commune from the list,
or answers that it is not in the list. Either answer is kept, so the question
is not asked again; the station keeps its code (see core.station.adopt_official).
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QVBoxLayout)

from core import accounts, admin_units
from core.errors import UserError
from core.station import Context, adopt_official, needs_official_entry
from ui import dialogs
from ui.widgets import ChoiceCombo


class OfficialEntryDialog(QDialog):
    """Pick the station's province (and commune) in the official list."""

    def __init__(self, ctx: Context, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.commune_level = ctx.station.level == "xa"
        self.setWindowTitle("Chọn đơn vị trong danh mục đơn vị hành chính")
        self.resize(560, 460)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"“{ctx.station.name}” (mã {ctx.station.code}) được khởi tạo với mã tự đặt, "
            "không có trong danh mục đơn vị hành chính (từ 01/07/2025). Hãy chọn đơn vị "
            "tương ứng để tên đơn vị in đúng trên văn bản. Mã đơn vị giữ nguyên.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.province = ChoiceCombo([(u.name, u.code) for u in admin_units.provinces(ctx.db)],
                                    self)
        form.addRow("Tỉnh / thành phố:", self.province)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Gõ tên để tìm, không cần dấu")
        self.communes = QListWidget(self)
        if self.commune_level:
            form.addRow("Xã / phường / đặc khu:", self.search)
            form.addRow("", self.communes)
        else:
            self.search.hide()
            self.communes.hide()
        layout.addLayout(form)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(self)
        self.pick = buttons.addButton("Chọn đơn vị này", QDialogButtonBox.ButtonRole.AcceptRole)
        self.not_listed = buttons.addButton("Không có trong danh mục",
                                            QDialogButtonBox.ButtonRole.RejectRole)
        self.pick.clicked.connect(self.choose)
        self.not_listed.clicked.connect(self.keep_unlisted)
        layout.addWidget(buttons)
        self.province.currentIndexChanged.connect(self._fill)
        self.search.textChanged.connect(self._fill)
        self._fill()

    def _fill(self, *_) -> None:
        self.communes.clear()
        for unit in admin_units.communes(self.ctx.db, self.province.value(),
                                         self.search.text()):
            item = QListWidgetItem(f"{unit.name}  ({unit.code})")
            item.setData(Qt.ItemDataRole.UserRole, unit.code)
            self.communes.addItem(item)
        if self.communes.count() == 1:
            self.communes.setCurrentRow(0)

    def chosen_code(self) -> str | None:
        """The code picked (province or commune), or None."""
        if not self.commune_level:
            return self.province.value()
        item = self.communes.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def choose(self) -> None:
        """Link the station to the entry picked."""
        code = self.chosen_code()
        if code is None:
            self.error.setText("Hãy chọn xã, phường hoặc đặc khu trong danh sách.")
            return
        try:
            adopt_official(self.ctx, code)
        except UserError as exc:
            self.error.setText(str(exc))
            return
        self.accept()

    def keep_unlisted(self) -> None:
        """Record that the station is not in the list (a training station)."""
        try:
            adopt_official(self.ctx, None)
        except UserError as exc:
            self.error.setText(str(exc))
            return
        self.reject()


def ask_official_entry(window) -> OfficialEntryDialog | None:
    """Ask once, when the station has a free code and the user may answer."""
    ctx = window.ctx
    if not needs_official_entry(ctx):
        return None
    if ctx.accounts_exist and not accounts.allowed(ctx, "admin"):
        return None
    dialog = OfficialEntryDialog(ctx, window)
    before = ctx.station.display_name
    dialog.finished.connect(lambda _: _after(window, before))
    dialog.open()
    return dialog


def _after(window, before: str) -> None:
    station = window.ctx.station
    if station.listed:
        window.setWindowTitle(window.windowTitle().replace(before, station.display_name, 1))
        dialogs.inform(window, f"Đã ghi: {station.name} (mã danh mục "
                               f"{station.official_code}).", "Danh mục đơn vị hành chính")
