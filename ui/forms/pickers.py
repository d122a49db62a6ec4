"""Picking members by name from a long list (search as you type)."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from core import queries
from core.services.members import search_persons

DEBOUNCE_MS = 150


class SearchLine(QLineEdit):
    """A search box whose Enter picks a match instead of saving the whole form."""

    def keyPressEvent(self, event) -> None:
        super().keyPressEvent(event)
        if event.key() in (Qt.Key_Return, Qt.Key_Enter):
            event.accept()


class PersonPicker(QWidget):
    """A search box over the members and the first matches; emits ``picked(id)``."""

    picked = Signal(str)

    def __init__(self, ctx, parent: QWidget | None = None, *, limit: int = 30):
        super().__init__(parent)
        self.ctx = ctx
        self.limit = limit
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.search = SearchLine(self)
        self.search.setPlaceholderText("Gõ tên để tìm (không cần dấu)…")
        self.matches = QListWidget(self)
        self.matches.setMaximumHeight(110)
        hint = QLabel("Nhấp đúp (hoặc Enter) để chọn.", self)
        hint.setStyleSheet("color: #555;")
        self.hint = hint
        layout.addWidget(self.search)
        layout.addWidget(self.matches)
        layout.addWidget(hint)
        layout.addStretch(1)
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _: self._timer.start())
        self.matches.itemActivated.connect(self._activated)
        self.matches.itemDoubleClicked.connect(self._activated)
        self.refresh()

    def set_read_only(self) -> None:
        """A read-only form picks nobody: hide the search, its matches and the hint."""
        for widget in (self.search, self.matches, self.hint):
            widget.hide()

    def refresh(self) -> None:
        """Show the members whose name matches the search box."""
        page = search_persons(self.ctx, self.search.text(), limit=self.limit)
        names = queries.names_of(self.ctx.db, "persons", page.ids)
        self.matches.clear()
        for person_id in page.ids:
            item = QListWidgetItem(names.get(person_id, ""), self.matches)
            item.setData(Qt.UserRole, person_id)

    def pick_first(self) -> str | None:
        """Pick the first match (what Enter in the search box does)."""
        if self.matches.count() == 0:
            return None
        person_id = self.matches.item(0).data(Qt.UserRole)
        self.picked.emit(person_id)
        return person_id

    def _activated(self, item: QListWidgetItem) -> None:
        self.picked.emit(item.data(Qt.UserRole))
