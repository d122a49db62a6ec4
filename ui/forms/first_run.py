"""The first-run dialog: who this station is (level, code, name)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel, QLineEdit

from core.catalog import STATION_LEVELS
from core.station import Context, init_station
from ui.widgets import ChoiceCombo, FormDialog


class FirstRunDialog(FormDialog):
    """Create the station database: level, code and name."""

    def __init__(self, path: Path, parent=None):
        super().__init__(None, "Khởi tạo đơn vị sử dụng", parent)
        self.path = path
        self.context: Context | None = None
        intro = QLabel("Chào mừng! Đây là lần đầu chương trình chạy trên máy này.\n"
                       "Hãy nhập thông tin đơn vị để bắt đầu.", self)
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.level = self.add_field("level", "Cấp:", ChoiceCombo(
            [(i.label, i.code) for i in STATION_LEVELS.items], self))
        self.code = self.add_field("code", "Mã đơn vị:", QLineEdit(self))
        self.code.setPlaceholderText("ví dụ: CAX-TANPHU")
        self.name = self.add_field("name", "Tên đơn vị:", QLineEdit(self))
        self.name.setPlaceholderText("ví dụ: Công an xã Tân Phú")
        self.buttons.button(self.buttons.StandardButton.Save).setText("Bắt đầu")

    def save(self) -> str | None:
        """Create the database and the station's identity."""
        self.context = init_station(self.path, level=self.level.value(),
                                    code=self.code.text(), name=self.name.text())
        return self.context.station.code
