"""Deleting with a question, the Thùng rác (recycle bin) dialog and Ctrl+Z.

- Delete (the button or the Delete key) asks first, naming what goes with the
  record (“Xóa “Nguyễn Văn A” cùng 2 lần tham gia mô hình?”, buttons “Xóa” /
  “Không”), then moves it to the bin (:mod:`core.services.recycle`).
- Every deletion, restoring and saved form since the window opened goes on the
  window's undo list; Sửa → Hoàn tác (Ctrl+Z) undoes the last one, and the status
  bar shows a “Hoàn tác (Ctrl+Z)” button for a while, at its right end, so that it
  never covers the message beside it.
- Sửa → Thùng rác… lists the deleted records per kind with “Khôi phục”.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QHBoxLayout, QHeaderView,
                               QLabel, QMenu, QPushButton, QTableView, QVBoxLayout)

from core.errors import PermissionDenied, UserError
from core.text import format_moment
from ui import dialogs

UNDO_MS = 15_000
MAX_UNDO = 50

# The bin's kinds in the order of the window's tabs, with their Vietnamese names.
KINDS = (("unit", "Đơn vị"), ("model", "Mô hình"), ("person", "Thành viên"),
         ("event", "Sự kiện"), ("result", "Kết quả"), ("commendation", "Khen thưởng"))
PAGE_KINDS = {"units": "unit", "models": "model", "members": "person", "events": "event",
              "results": "result", "commendations": "commendation"}


# -- the undo list -------------------------------------------------------------

@dataclass
class UndoEntry:
    """One change that can be undone: what the status bar said, how to undo it."""

    message: str
    undo: Callable[[], object]
    tables: set[str]
    user: str | None = None      # who made the change (another account cannot undo it)


class UndoController(QObject):
    """The window's undo list, its menu items and its status-bar button."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.entries: list[UndoEntry] = []
        self.button = QPushButton("Hoàn tác (Ctrl+Z)", window)
        self.button.setToolTip("Hoàn tác thay đổi vừa làm (Ctrl+Z)")
        self.button.clicked.connect(self.undo_last)
        self.button.hide()
        # At the right end, before the station code: a temporary message on the left
        # never runs under it.
        window.statusBar().insertPermanentWidget(0, self.button)
        self.timer = QTimer(self, singleShot=True, interval=UNDO_MS)
        self.timer.timeout.connect(self.button.hide)
        self.undo_action = QAction("Hoàn tác", window)
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.undo_action.setStatusTip("Hoàn tác thay đổi cuối cùng từ khi mở cửa sổ")
        self.undo_action.triggered.connect(lambda _=False: self.undo_last())
        self.undo_action.setEnabled(False)
        self.bin_action = QAction("Thùng rác…", window)
        self.bin_action.setStatusTip("Các bản ghi đã xóa, khôi phục được")
        self.bin_action.triggered.connect(lambda _=False: open_bin(window))
        bar = window.menuBar()
        menu = QMenu("&Sửa", window)
        after_file = bar.actions()[1] if len(bar.actions()) > 1 else None
        if after_file is not None:          # right after “Tệp”
            bar.insertMenu(after_file, menu)
        else:
            bar.addMenu(menu)
        menu.addAction(self.undo_action)
        menu.addSeparator()
        menu.addAction(self.bin_action)
        self.menu = menu

    def offer(self, message: str, undo: Callable[[], object], tables: Iterable[str]) -> None:
        """Put a change on the list; show *message* and the button for a while."""
        entry = UndoEntry(message, undo, set(tables), self.window.ctx.user)
        self.entries = [*self.entries, entry][-MAX_UNDO:]
        self.window.statusBar().showMessage(f"{message} Nhấn Ctrl+Z để hoàn tác.", UNDO_MS)
        self.button.show()
        self.timer.start()
        self._enable()

    def undo_last(self) -> None:
        """Undo the last change on the list (Ctrl+Z)."""
        mine = self._mine()
        if not mine:
            self.window.statusBar().showMessage("Không còn thay đổi nào để hoàn tác.", 5000)
            return
        entry = self.entries.pop(mine[-1])
        self.clear_bar()
        try:
            undone = entry.undo()
        except PermissionDenied as exc:
            self.entries.insert(mine[-1], entry)     # an editor may still undo it
            dialogs.show_error(self.window, str(exc))
            return
        except UserError as exc:
            dialogs.show_error(self.window, str(exc))
            undone = None
        finally:
            self._enable()
        if undone is not None:
            tables = entry.tables | _tables_of(undone)
            self.window.data_changed(tables)
            self.window.statusBar().showMessage(f"Đã hoàn tác: {entry.message}", 5000)

    def follow_user(self) -> None:
        """After a sign-in or a role change: Ctrl+Z reaches only the signed-in account's
        own changes, and only while it may edit (another account's stay on the list)."""
        if not self._mine():
            self.clear_bar()
        self._enable()

    def _mine(self) -> list[int]:
        """Positions of the signed-in account's entries."""
        user = self.window.ctx.user
        return [i for i, entry in enumerate(self.entries) if entry.user == user]

    def _enable(self) -> None:
        self.undo_action.setEnabled(bool(self._mine()) and self.window.can_edit)

    def clear_bar(self) -> None:
        """Take the button away (the list stays: Ctrl+Z still works)."""
        self.timer.stop()
        self.button.hide()
        self.window.statusBar().clearMessage()


def _tables_of(result: object) -> set[str]:
    """The tables a service's result touched (a Changes, or a (kind, Changes) pair)."""
    changes = result[1] if isinstance(result, tuple) else result
    return changes.tables() if hasattr(changes, "tables") else set()


# -- deleting and saving -----------------------------------------------------

def delete_with_question(page, record_id: str, noun: str) -> bool:
    """Ask, then move the record to the bin; the undo list gets its restoring."""
    from core.accounts import require
    from core.services import recycle
    ctx, window = page.ctx, page.window_
    try:
        require(ctx, "edit")       # a viewer pressing Delete: refused before asking
        table = recycle.table_of(ctx, record_id)
        name = recycle.name_of(ctx, table, record_id)
        if not dialogs.confirm_delete(page, recycle.question(ctx, record_id)):
            return False
        _kind, changes = recycle.delete(ctx, record_id)
    except UserError as exc:
        dialogs.show_error(page, str(exc))
        return False
    window.data_changed(changes.tables())
    window.offer_undo(f"Đã xóa {noun} “{name}”.", lambda: recycle.restore(ctx, record_id),
                      changes.tables())
    # The list keeps the focus (the “Xóa” button just clicked turns itself off): Ctrl+Z
    # then reaches the window, not the search box's own undo of typing.
    page.view.setFocus()
    return True


def offer_save_undo(page, form, noun: str, name: str) -> None:
    """After a form was saved: its undo goes on the list (“Đã lưu …”)."""
    changes = getattr(form, "changes", None)
    if not changes:
        return
    from core.services import undo
    ctx = page.ctx
    page.window_.offer_undo(f"Đã lưu {noun} “{name}”.", lambda: undo.revert(ctx, changes),
                            changes.tables())


# -- from the change history ---------------------------------------------------

def _history_target(dialog, row: int):
    """The record a history row can bring back: a deletion of one of the bin's kinds
    still deleted, for a window whose account may edit; else None."""
    from core.services import recycle
    window = dialog.parentWidget().window() if dialog.parentWidget() else None
    if row < 0 or not hasattr(window, "offer_undo") or not window.can_edit:
        return None
    entry = dialog.model.entry(row)
    if entry.op != "delete" or entry.table not in recycle.TABLE_KINDS:
        return None
    row_now = dialog.ctx.store.row(entry.table, entry.record_id)
    if row_now is None or not row_now["deleted"] or row_now.get("merged_into"):
        return None
    return window, entry


def follow_history(dialog, row: int) -> None:
    """Enable the history's “Khôi phục bản ghi đã xóa” for the selected row."""
    dialog.restore_button.setEnabled(_history_target(dialog, row) is not None)


def restore_from_history(dialog) -> None:
    """Bring back the record whose deletion is selected in the history."""
    from core.services import recycle
    found = _history_target(dialog, dialog.view.currentIndex().row())
    if found is None:
        return
    window, entry = found
    ctx = dialog.ctx
    try:
        name = recycle.name_of(ctx, entry.table, entry.record_id)
        _kind, changes = recycle.restore(ctx, entry.record_id)
    except UserError as exc:
        dialogs.show_error(dialog, str(exc))
        return
    window.data_changed(changes.tables())
    window.offer_undo(f"Đã khôi phục “{name}”.",
                      lambda: recycle.delete(ctx, entry.record_id), changes.tables())
    dialog.reload()


# -- the bin dialog ------------------------------------------------------------

class BinModel(QAbstractTableModel):
    """The deleted records of one kind (or all), newest first."""

    HEADERS = ("Loại", "Tên", "Xóa lúc", "Người xóa", "Xóa cùng")

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.kind: str | None = None
        self.rows: list = []

    def load(self, kind: str | None) -> None:
        """Read the bin again (of *kind*, or every kind)."""
        from core.services import recycle
        self.beginResetModel()
        self.kind = kind
        self.rows = recycle.binned(self.ctx, kind)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: QModelIndex, role=Qt.DisplayRole):
        if not index.isValid() or role not in (Qt.DisplayRole, Qt.ToolTipRole):
            return None
        from core.services import recycle
        entry = self.rows[index.row()]
        return (dict(KINDS)[entry.kind], entry.name, format_moment(entry.deleted_at),
                entry.deleted_by, recycle.companions_text(self.ctx, entry))[index.column()]

    def id_at(self, row: int) -> str | None:
        """The record id of *row*."""
        return self.rows[row].id if 0 <= row < len(self.rows) else None


class RecycleBinDialog(QDialog):
    """Thùng rác: the deleted records of one kind, with “Khôi phục”."""

    def __init__(self, window, kind: str | None = None):
        super().__init__(window)
        self.window_ = window
        self.ctx = window.ctx
        self.setWindowTitle("Thùng rác")
        self.resize(900, 480)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Loại bản ghi:", self))
        self.kind = QComboBox(self)
        self.kind.addItem("Tất cả", None)
        for code, label in KINDS:
            self.kind.addItem(label, code)
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.kind.currentIndexChanged.connect(lambda _: self.reload())
        bar.addWidget(self.kind)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.model = BinModel(self.ctx, self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)           # a long title ends in “…” (whole in its tip)
        self.view.setTextElideMode(Qt.ElideRight)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        for column, width in ((0, 100), (2, 130), (3, 110), (4, 230)):
            header.resizeSection(column, width)
        self.view.doubleClicked.connect(lambda _: self.restore_selected())
        layout.addWidget(self.view, 1)
        self.empty = QLabel("Thùng rác trống.", self)
        self.empty.setStyleSheet("color: #555;")
        layout.addWidget(self.empty)
        buttons = QHBoxLayout()
        note = QLabel("Khôi phục đưa bản ghi trở lại như trước khi xóa, cùng tư cách thành "
                      "viên, điểm danh và khen thưởng đã xóa theo.", self)
        note.setWordWrap(True)
        buttons.addWidget(note, 1)
        self.restore_button = QPushButton("Khôi phục", self)
        self.restore_button.clicked.connect(self.restore_selected)
        buttons.addWidget(self.restore_button)
        close = QPushButton("Đóng", self)
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        """Read the bin for the kind chosen."""
        self.model.load(self.kind.currentData())
        self.empty.setVisible(self.model.rowCount() == 0)
        if self.model.rowCount():
            self.view.selectRow(0)
        self.restore_button.setEnabled(bool(self.model.rowCount()) and self.window_.can_edit)
        if not self.window_.can_edit:
            self.restore_button.setToolTip("Tài khoản chỉ xem không khôi phục được.")

    def restore_selected(self) -> None:
        """Bring the selected record back; Ctrl+Z in the window deletes it again."""
        from core.services import recycle
        record_id = self.model.id_at(self.view.currentIndex().row())
        if record_id is None:
            return
        entry = self.model.rows[self.view.currentIndex().row()]
        try:
            _kind, changes = recycle.restore(self.ctx, record_id)
        except UserError as exc:
            dialogs.show_error(self, str(exc))
            return
        ctx = self.ctx
        self.window_.data_changed(changes.tables())
        self.window_.offer_undo(f"Đã khôi phục “{entry.name}”.",
                                lambda: recycle.delete(ctx, record_id), changes.tables())
        self.reload()


def open_bin(window, kind: str | None = None) -> RecycleBinDialog:
    """Sửa → Thùng rác…: the bin, on the kind of the tab on show."""
    if kind is None:
        kind = PAGE_KINDS.get(window.page_name(window.current_page()) or "")
    dialog = RecycleBinDialog(window, kind)
    dialog.exec()
    return dialog
