"""The history browser: who changed what and when, from the audit trail.

:class:`AuditModel` is a read-only table model over a list of
:class:`core.audit.AuditEntry`; :class:`HistoryDialog` shows the whole trail
(latest entries), one account's changes, or one record's history, with the
before/after values of the selected entry's changed fields.
"""
from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox,
                               QHBoxLayout, QHeaderView, QLabel, QSplitter, QTableView,
                               QTextBrowser, QVBoxLayout, QWidget)

from core import audit
from core.station import Context
from core.workbook.layout import SHEETS
from ui import recycle_bin

RECENT = 1000

TABLE_LABELS = {
    "units": "Đơn vị", "unit_years": "Đơn vị theo năm", "models": "Mô hình",
    "model_types": "Loại mô hình", "persons": "Người", "memberships": "Thành viên",
    "events": "Sự kiện", "results": "Kết quả", "commendations": "Khen thưởng",
    "users": "Tài khoản", "station": "Định danh đơn vị", "peers": "Khóa đã ghi nhận",
    "import_log": "Sổ gói đã nhận", "settings": "Thiết lập", "audit": "Nhật ký thay đổi",
    "commune_register": "Sổ theo dõi các xã",
    "report_texts": "Nội dung báo cáo",
}
OP_LABELS = {
    "insert": "Thêm", "update": "Sửa", "delete": "Xóa", "undelete": "Khôi phục",
    "baseline": "Có từ trước", "remove": "Xóa tài khoản", "password": "Đổi mật khẩu",
    "rechain": "Chuyển sang mã xác thực có khóa", "restore": "Khôi phục từ bản sao lưu",
}
NAME_KEYS = ("full_name", "name", "title", "label", "description", "decision_no")
EXTRA_LABELS = {
    "unit_ids": "Đơn vị", "model_ids": "Mô hình", "attendee_ids": "Người tham dự",
    "deleted": "Đã xóa", "role": "Quyền / vai trò", "password": "Mật khẩu",
    "family_name": "Họ", "middle_name": "Tên đệm", "given_name": "Tên",
    "owner": "Đơn vị sở hữu", "code": "Mã", "label": "Tên loại",
    # the biên bản's details kept with an event (“In biên bản”, migration 0020)
    "minutes_start": "Biên bản: bắt đầu lúc", "minutes_end": "Biên bản: kết thúc lúc",
    "minutes_place": "Biên bản: địa điểm", "minutes_chair": "Biên bản: chủ trì",
    "minutes_secretary": "Biên bản: thư ký", "minutes_content": "Biên bản: nội dung",
    "minutes_result": "Biên bản: kết quả",
    # a commune's line of the province's register (audited since migration 0022)
    "expected_fingerprint": "Dấu vân tay đã ghi nhận",
    "expected_noted_at": "Ngày ghi dấu vân tay", "expected_source": "Nguồn dấu vân tay",
    "revoked_fingerprint": "Khóa đã thu hồi", "revoked_at": "Ngày thu hồi khóa",
    "revoked_reason": "Lý do thu hồi",
}


def _field_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for sheet in SHEETS:
        for column in sheet.columns:
            labels.setdefault(column.key, column.header)
    labels.update({k: v for k, v in EXTRA_LABELS.items() if k not in labels or k == "role"})
    return labels


FIELD_LABELS = _field_labels()


TABLE_SHEETS = {"units": "Đơn vị", "unit_years": "Đơn vị", "models": "Mô hình",
                "persons": "Thành viên", "memberships": "Thành viên", "events": "Sự kiện",
                "results": "Kết quả", "commendations": "Khen thưởng"}


USER_LABELS = {"name": "Tên tài khoản", "role": "Quyền", "password": "Mật khẩu",
               "created_at": "Ngày tạo"}
HIDDEN = {"id", "owner", "deleted", "name_fold", "sort_key", "title_fold"}
NO_USER = "—"


def shown_fields(entry: audit.AuditEntry) -> list[str]:
    """The changed fields worth showing (ids and bookkeeping left out)."""
    fields = audit.changed_fields(entry)
    if entry.op in ("delete", "undelete"):
        return [f for f in fields if f == "deleted"] or fields
    return [f for f in fields if f not in HIDDEN]


def field_label(key: str, table: str | None = None) -> str:
    """A record field's name as people read it (the workbook's header for *table*)."""
    if table == audit.USERS_TABLE:
        return USER_LABELS.get(key, key)
    sheet = next((s for s in SHEETS if s.name == TABLE_SHEETS.get(table or "")), None)
    column = sheet.column(key) if sheet is not None else None
    if column is not None and key not in EXTRA_LABELS:
        return column.header
    return FIELD_LABELS.get(key, key)


def table_label(table: str) -> str:
    """A table's name in Vietnamese."""
    return TABLE_LABELS.get(table, table)


def format_time(stamp: str) -> str:
    """An ISO time stamp as dd/mm/yyyy HH:MM:SS in local time."""
    try:
        moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%d/%m/%Y %H:%M:%S")


def record_name(entry: audit.AuditEntry) -> str:
    """What the entry is about, in words (a name, a title, or the short id)."""
    snap = entry.after or entry.before or {}
    for key in NAME_KEYS:
        value = snap.get(key)
        if value:
            return str(value)
    return entry.record_id[:8]


class AuditModel(QAbstractTableModel):
    """Audit entries as rows: time, user, table, record, operation, changed fields."""

    HEADERS = ("Thời gian", "Người dùng", "Bảng", "Bản ghi", "Thao tác", "Trường thay đổi")

    def __init__(self, parent=None):
        super().__init__(parent)
        self._entries: list[audit.AuditEntry] = []

    def set_entries(self, entries: list[audit.AuditEntry]) -> None:
        """Show *entries*, newest first."""
        self.beginResetModel()
        self._entries = sorted(entries, key=lambda e: e.seq, reverse=True)
        self.endResetModel()

    def entry(self, row: int) -> audit.AuditEntry:
        """The entry shown on *row*."""
        return self._entries[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.DisplayRole):
        if (role == Qt.DisplayRole and orientation == Qt.Horizontal
                and 0 <= section < len(self.HEADERS)):
            return self.HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role == Qt.DisplayRole:
            return self._text(entry, index.column())
        if role == Qt.ToolTipRole and index.column() == 3:
            return entry.record_id
        return None

    @staticmethod
    def _text(entry: audit.AuditEntry, column: int) -> str:
        if column == 0:
            return format_time(entry.at)
        if column == 1:
            return entry.user or NO_USER
        if column == 2:
            return table_label(entry.table)
        if column == 3:
            return record_name(entry)
        if column == 4:
            return OP_LABELS.get(entry.op, entry.op)
        if entry.op in ("baseline", "insert", "remove"):
            return "(cả bản ghi)"
        return ", ".join(field_label(f, entry.table) for f in shown_fields(entry))


def _value(value: object, key: str = "") -> str:
    if key == "password" and value:
        return "••••••"
    if value is None or value == "" or value == []:
        return "(trống)"
    if isinstance(value, list):
        return f"{len(value)} mục"
    return html.escape(str(value))


class HistoryDialog(QDialog):
    """The history browser (menu “Hệ thống → Lịch sử thay đổi…”, “Xem lịch sử”)."""

    ALL = "(tất cả)"

    def __init__(self, ctx: Context, parent: QWidget | None = None, *,
                 table: str | None = None, record_id: str | None = None,
                 user: str | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.table, self.record_id = table, record_id
        self.setWindowTitle("Lịch sử thay đổi")
        self.resize(1000, 600)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.scope = QLabel(self)
        bar.addWidget(self.scope)
        bar.addStretch(1)
        bar.addWidget(QLabel("Người dùng:", self))
        self.user_combo = QComboBox(self)
        self.user_combo.addItem(self.ALL, None)
        for name in audit.authors(ctx):
            self.user_combo.addItem(name or "— (trước khi có tài khoản)", name)
        if user is not None:
            found = self.user_combo.findData(user)
            self.user_combo.setCurrentIndex(max(found, 0))
        self.user_combo.currentIndexChanged.connect(lambda _: self.reload())
        bar.addWidget(self.user_combo)
        layout.addLayout(bar)
        splitter = QSplitter(Qt.Vertical, self)
        self.model = AuditModel(self)
        self.view = QTableView(splitter)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        self.view.verticalHeader().setDefaultSectionSize(24)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.Interactive)
        for column, width in enumerate((150, 110, 110, 220, 110)):
            header.resizeSection(column, width)
        self.details = QTextBrowser(splitter)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)
        self.count = QLabel(self)
        layout.addWidget(self.count)
        buttons = QDialogButtonBox(QDialogButtonBox.Close, self)
        buttons.button(QDialogButtonBox.Close).setText("Đóng")
        buttons.rejected.connect(self.reject)
        # A deleted record comes back from here too (the recycle bin's “Khôi phục”).
        self.restore_button = buttons.addButton("Khôi phục bản ghi đã xóa",
                                                QDialogButtonBox.ActionRole)
        self.restore_button.clicked.connect(lambda: recycle_bin.restore_from_history(self))
        self.restore_button.setEnabled(False)
        layout.addWidget(buttons)
        self.view.selectionModel().currentRowChanged.connect(
            lambda current, _: self.show_details(current.row()))
        self.reload()

    def reload(self) -> None:
        """Read the entries for the chosen record / user again."""
        user = self.user_combo.currentData()
        if self.record_id:
            entries = audit.history(self.ctx, self.table, self.record_id)
            if user is not None:
                entries = [e for e in entries if e.user.lower() == user.lower()]
            name = record_name(entries[-1]) if entries else self.record_id[:8]
            self.scope.setText(f"<b>{table_label(self.table)}: {html.escape(name)}</b>")
        elif user is not None:
            entries = audit.history_of_user(self.ctx, user, RECENT)
            self.scope.setText("<b>Các thay đổi của “"
                               + html.escape(user or '(chưa có tài khoản)') + "”</b>")
        else:
            entries = audit.recent(self.ctx, RECENT)
            self.scope.setText(f"<b>Các thay đổi gần nhất</b> (tối đa {RECENT} mục)")
        self.model.set_entries(entries)
        self.count.setText(f"{len(entries)} mục")
        if entries:
            self.view.selectRow(0)
        else:
            self.details.setHtml("<i>Chưa có thay đổi nào.</i>")

    def show_details(self, row: int) -> None:
        """Before and after of each field the selected entry changed."""
        recycle_bin.follow_history(self, row)
        if row < 0:
            return
        entry = self.model.entry(row)
        before, after = entry.before or {}, entry.after or {}
        fields = shown_fields(entry)
        lines = [f"<b>{OP_LABELS.get(entry.op, entry.op)} — {table_label(entry.table)} "
                 f"“{html.escape(record_name(entry))}”</b> ({format_time(entry.at)}, "
                 f"{html.escape(entry.user or 'chưa có tài khoản')})", "<table cellpadding='3'>",
                 "<tr><th align='left'>Trường</th><th align='left'>Trước</th>"
                 "<th align='left'>Sau</th></tr>"]
        for key in fields:
            lines.append(f"<tr><td>{field_label(key, entry.table)}</td><td>{_value(before.get(key), key)}</td>"
                         f"<td>{_value(after.get(key), key)}</td></tr>")
        lines.append("</table>")
        self.details.setHtml("".join(lines))
