"""Trao đổi dữ liệu: send packages up or down, take packages in, follow who has sent.

Every package operation runs through :func:`ui.jobs.run_on_station` (a
connection of its own, signed in as the window's user). Taking files in is always a dry run first: the preview shows what each
file would change, a sender never seen before needs its fingerprint confirmed,
and only then are the files applied.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox,
                               QFileDialog, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView,
                               QLabel, QPushButton, QTableView, QTabWidget,
                               QVBoxLayout, QWidget)

from core.activity import local_today
from core.errors import UserError
from core.exchange import ledger
from core.exchange.completeness import export_status
from core.periods import current_month
from core.station import Context
from core.text import format_date, format_moment, format_number
from ui.period_picker import PeriodPicker
from ui.widgets import LoadOnFirstShow
from ui import dialogs, jobs

PACKAGE_FILTER = "Gói dữ liệu ANTQ (*.antq);;Mọi tệp (*)"
PDF_FILTER = "Tệp PDF (*.pdf)"
FINGERPRINT_STYLE = "font-family: monospace; font-size: 15px; font-weight: bold;"
STATUS_TEXT = {"dry_run": "Sẵn sàng nhận", "applied": "Đã nhận",
               "already_applied": "Đã nhận trước đó", "rejected": "Bị từ chối"}
RED, GREEN, GREY = QColor("#b00020"), QColor("#1b6e20"), QColor("#666666")


# -- work done in a worker thread -------------------------------------------

def export_at(ctx: Context, path: str, to: str | None):
    """Write this station's package (runs in a worker)."""
    from core.exchange import export_package
    return export_package(ctx, path, to=to)


def import_at(ctx: Context, paths: list[str], *, dry_run: bool, control,
              answers: dict[tuple[str, str], bool] | None = None):
    """Check (dry run: every new sender trusted for the look) or take in packages.

    *answers* trusts or refuses each new sender (sender code, fingerprint) on
    its own; runs in a worker.
    """
    from core.exchange import import_files
    return import_files(
        ctx, paths, dry_run=dry_run, trust_new=dry_run, answers=None if dry_run else answers,
        progress=lambda done, total: control.progress(
            done, total, f"Đã xử lý {done}/{total} tệp…"))


def last_closed_month():
    """The latest monthly period that has already ended (what communes should have sent)."""
    return current_month(current_month().start - dt.timedelta(days=1))


def size_text(size: int) -> str:
    """A file size for people: “312 KB”, “1,4 MB”."""
    if size < 1024 * 1024:
        return f"{format_number(max(1, round(size / 1024)))} KB"
    return f"{size / 1024 / 1024:.1f}".replace(".", ",") + " MB"


def key_state(line) -> str:
    """What the register knows of a commune's key, in a few words."""
    if line is None:
        return ""
    if line.enrolled:
        return f"Đã có khóa ({line.fingerprint[:9]}…)"
    if line.expected_fingerprint:
        return f"Đã ghi dấu vân tay ({line.expected_fingerprint[:9]}…)"
    if line.revoked_at:
        return f"Đã thu hồi lúc {format_moment(line.revoked_at)}"
    return "Chưa có khóa"


def show_pdf(parent: QWidget, path: str, title: str) -> None:
    """Show a printed document (already saved where the person chose) in the preview."""
    from ui import pdf_preview
    pdf_preview.show_pdf(parent, path, title, Path(path).name)


# -- a read-only table model ---------------------------------------------------

@dataclass
class Row:
    """One line of a :class:`RowsModel`: its texts, a colour, a value behind it."""

    cells: list[str]
    colour: QColor | None = None
    key: object = None
    tip: str = ""


class RowsModel(QAbstractTableModel):
    """A small read-only table of texts (previews, logs, completeness)."""

    def __init__(self, headers: list[str], numeric: set[int] = frozenset(), parent=None):
        super().__init__(parent)
        self.headers = headers
        self.numeric = set(numeric)
        self.rows: list[Row] = []

    def set_rows(self, rows: list[Row]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role in (Qt.DisplayRole, Qt.EditRole):
            return row.cells[index.column()]
        if role == Qt.ForegroundRole:
            return row.colour
        if role == Qt.ToolTipRole:
            return row.tip or row.cells[index.column()] or None
        if role == Qt.TextAlignmentRole and index.column() in self.numeric:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if role == Qt.DisplayRole and orientation == Qt.Horizontal \
                and 0 <= section < len(self.headers):
            return self.headers[section]
        return None

    def column(self, column: int) -> list[str]:
        """The texts of one column, top to bottom."""
        return [row.cells[column] for row in self.rows]


def table_view(model: RowsModel, parent: QWidget, widths: list[int]) -> QTableView:
    """A read-only, row-selecting table showing *model*."""
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectRows)
    view.setSelectionMode(QAbstractItemView.SingleSelection)
    view.setEditTriggers(QAbstractItemView.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(24)
    view.horizontalHeader().setStretchLastSection(True)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.Interactive)
    for column, width in enumerate(widths):     # never narrower than the column's title
        header.resizeSection(column, max(width, header.sectionSizeHint(column)))
    return view


# -- dialogs -----------------------------------------------------------------

def preview_rows(results) -> list[Row]:
    """Preview lines: one per file."""
    rows = []
    for r in results:
        status = STATUS_TEXT.get(r.status, r.status)
        if r.new_sender and r.status == "dry_run":
            status = "Đơn vị mới — cần xác nhận"
        sender = f"{r.sender_name} ({r.sender})" if r.sender else "—"
        colour = RED if r.status == "rejected" else (GREY if r.status == "already_applied"
                                                     else None)
        if r.status == "dry_run":
            # Not "trusted with fingerprint …" yet: that needs the person's confirmation.
            warnings = r.warnings[1:] if r.new_sender else r.warnings
            note = " ".join((["Lần đầu nhận của đơn vị này: cần đối chiếu dấu vân tay."]
                             if r.new_sender else []) + warnings)
            counts = [format_number(n) for n in (r.inserted, r.updated, r.deleted,
                                                 r.unchanged)]
        else:
            note, counts = r.reason, [""] * 4
        rows.append(Row([Path(r.path).name, sender, str(r.sequence or ""), status, *counts,
                         note], colour, r, tip=r.reason))
    return rows


class ImportPreviewDialog(QDialog):
    """What taking the chosen files in would do, file by file; nothing written yet."""

    HEADERS = ["Tệp", "Đơn vị gửi", "Số gói", "Tình trạng", "Thêm mới", "Cập nhật",
               "Xóa", "Không đổi", "Ghi chú"]

    def __init__(self, results, parent=None):
        super().__init__(parent)
        self.results = results
        self.setWindowTitle("Kiểm tra trước khi nhận")
        self.resize(1100, 420)
        layout = QVBoxLayout(self)
        ready = [r for r in results if r.status == "dry_run"]
        head = (f"{len(ready)}/{len(results)} tệp có thể nhận. Chưa có gì được ghi; "
                "kiểm tra rồi nhấn “Nhận vào”." if ready else
                "Không có tệp nào cần nhận (xem cột Ghi chú).")
        self.heading = QLabel(head, self)
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.heading)
        self.model = RowsModel(self.HEADERS, {2, 4, 5, 6, 7}, self)
        self.model.set_rows(preview_rows(results))
        self.view = table_view(self.model, self, [130, 200, 55, 180, 70, 70, 45, 70])
        self.view.setWordWrap(True)
        self.view.resizeRowsToContents()
        layout.addWidget(self.view, 1)
        buttons = QDialogButtonBox(self)
        self.apply_button = buttons.addButton("Nhận vào", QDialogButtonBox.AcceptRole)
        self.apply_button.setEnabled(bool(ready))
        buttons.addButton("Đóng", QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class TrustDialog(QDialog):
    """First contact with a sender: its name, code and fingerprint, to compare by phone."""

    def __init__(self, result, parent=None):
        super().__init__(parent)
        self.result_ = result
        self.setWindowTitle("Xác nhận đơn vị gửi mới")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Đây là lần đầu nhận tệp của đơn vị này. Tệp được ký bằng khóa của đơn vị gửi; "
            "từ nay chương trình chỉ nhận tệp của đơn vị này khi được ký bằng đúng khóa đó.",
            self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        grid = QGridLayout()
        grid.addWidget(QLabel("Đơn vị gửi:", self), 0, 0)
        grid.addWidget(QLabel(f"<b>{result.sender_name}</b>", self), 0, 1)
        grid.addWidget(QLabel("Mã đơn vị:", self), 1, 0)
        grid.addWidget(QLabel(f"<b>{result.sender}</b>", self), 1, 1)
        grid.addWidget(QLabel("Dấu vân tay:", self), 2, 0)
        self.fingerprint = QLabel(result.fingerprint, self)
        self.fingerprint.setStyleSheet(FINGERPRINT_STYLE)
        self.fingerprint.setTextInteractionFlags(Qt.TextSelectableByMouse)
        grid.addWidget(self.fingerprint, 2, 1)
        layout.addLayout(grid)
        warning = QLabel(
            "Chỉ xác nhận khi dấu vân tay trùng với dấu vân tay do đơn vị gửi báo trực tiếp "
            "(qua điện thoại hoặc văn bản). Nếu không trùng, có thể tệp đã bị giả mạo: "
            "hãy nhấn “Không nhận”.", self)
        warning.setWordWrap(True)
        warning.setStyleSheet("color: #b00020; font-weight: bold;")
        layout.addWidget(warning)
        buttons = QDialogButtonBox(self)
        self.trust_button = buttons.addButton("Dấu vân tay trùng khớp — tin cậy",
                                              QDialogButtonBox.AcceptRole)
        buttons.addButton("Không nhận", QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(620, self.sizeHint().height())


# -- the page ------------------------------------------------------------------

class ExchangePage(LoadOnFirstShow, QWidget):
    """Trao đổi dữ liệu: send, take in, the import log and (province) completeness."""

    title = "Trao đổi dữ liệu"
    tables = frozenset()

    def __init__(self, window):
        super().__init__(window)
        self.window_ = window
        self.ctx = window.ctx
        self.shown_once = False  # the data is read when the page is first shown
        self.province_level = self.ctx.station.level == "tinh"
        layout = QVBoxLayout(self)
        layout.addWidget(self._identity_box())
        if self.province_level:
            self.inner = QTabWidget(self)
            exchange = QWidget(self.inner)
            inner = QVBoxLayout(exchange)
            inner.addWidget(self._send_down_box())
            inner.addWidget(self._receive_box(), 1)
            self.inner.addTab(exchange, "Gửi và nhận tệp")
            self.inner.addTab(self._completeness_box(), "Tình hình gửi dữ liệu của các xã")
            layout.addWidget(self.inner, 1)
        else:
            layout.addWidget(self._send_up_box())
            layout.addWidget(self._receive_box(), 1)

    # -- building -------------------------------------------------------------

    def _identity_box(self) -> QGroupBox:
        station = self.ctx.station
        box = QGroupBox("Đơn vị này", self)
        grid = QGridLayout(box)
        level = "Công an tỉnh" if self.province_level else "Công an xã"
        grid.addWidget(QLabel(f"<b>{station.display_name}</b> — mã {station.code} ({level})", box),
                       0, 0, 1, 2)
        grid.addWidget(QLabel("Dấu vân tay khóa:", box), 1, 0)
        self.fingerprint = QLabel(station.fingerprint, box)
        self.fingerprint.setStyleSheet(FINGERPRINT_STYLE)
        self.fingerprint.setTextInteractionFlags(Qt.TextSelectableByMouse)
        grid.addWidget(self.fingerprint, 1, 1)
        whom = "các xã" if self.province_level else "Công an tỉnh"
        hint = QLabel(f"Đọc hoặc gửi văn bản dấu vân tay này cho {whom} để đối chiếu khi "
                      "nhận tệp lần đầu.", box)
        hint.setStyleSheet("color: #555;")
        grid.addWidget(hint, 2, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        return box

    def _send_up_box(self) -> QGroupBox:
        box = QGroupBox("Gửi dữ liệu lên Công an tỉnh", self)
        grid = QGridLayout(box)
        grid.addWidget(QLabel("Công an tỉnh:", box), 0, 0)
        self.province_label = QLabel(box)
        self.province_label.setWordWrap(True)
        self.province_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        grid.addWidget(self.province_label, 0, 1)
        grid.addWidget(QLabel("Lần xuất gần nhất:", box), 1, 0)
        self.last_export_label = QLabel(box)
        self.last_export_label.setWordWrap(True)
        grid.addWidget(self.last_export_label, 1, 1)
        self.export_button = QPushButton("Xuất tệp gửi Công an tỉnh…", box)
        self.export_button.clicked.connect(lambda: self.export_package())
        row = QHBoxLayout()
        row.addWidget(self.export_button)
        row.addStretch(1)
        grid.addLayout(row, 2, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        return box

    def _send_down_box(self) -> QGroupBox:
        box = QGroupBox("Gửi tệp xuống các xã", self)
        row = QHBoxLayout(box)
        row.addWidget(QLabel("Gửi cho:", box))
        self.target = QComboBox(box)
        self.target.setMinimumWidth(260)
        row.addWidget(self.target)
        self.export_button = QPushButton("Xuất tệp gửi xã…", box)
        self.export_button.clicked.connect(lambda: self.export_package())
        row.addWidget(self.export_button)
        note = QLabel("Tệp chung: danh mục loại mô hình, khóa của tỉnh, biên nhận. "
                      "Tệp cho một xã: thêm các quyết định khen thưởng liên quan, mã hóa "
                      "riêng cho xã đó.", box)
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        row.addWidget(note, 1)
        return box

    def _receive_box(self) -> QGroupBox:
        box = QGroupBox("Nhận tệp và nhật ký nhận", self)
        layout = QVBoxLayout(box)
        row = QHBoxLayout()
        source = "các xã" if self.province_level else "Công an tỉnh"
        self.import_button = QPushButton("Nhận tệp…", box)
        self.import_button.setToolTip(f"Chọn một hoặc nhiều tệp do {source} gửi")
        self.import_button.clicked.connect(lambda: self.take_in())
        row.addWidget(self.import_button)
        if self.province_level:
            self.folder_button = QPushButton("Nhận cả thư mục…", box)
            self.folder_button.clicked.connect(lambda: self.take_in_folder())
            row.addWidget(self.folder_button)
        self.receipt_button = QPushButton("In biên nhận…", box)
        self.receipt_button.setToolTip("In biên nhận của lần nhận đang chọn trong nhật ký")
        self.receipt_button.clicked.connect(lambda: self.print_receipt())
        row.addWidget(self.receipt_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.log_model = RowsModel(["Nhận lúc", "Đơn vị gửi", "Số gói", "Lập lúc",
                                    "Thêm mới", "Cập nhật", "Xóa", "Không đổi", "Tệp"],
                                   {2, 4, 5, 6, 7}, self)
        self.log_view = table_view(self.log_model, box,
                                   [130, 240, 60, 130, 75, 75, 55, 80, 200])
        self.log_view.selectionModel().selectionChanged.connect(self._sync_receipt)
        self.log_empty = QLabel("Chưa nhận tệp nào.", box)
        self.log_empty.setStyleSheet("color: #555;")
        layout.addWidget(self.log_empty)
        layout.addWidget(self.log_view, 1)
        return box

    def _completeness_box(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Kỳ:", page))
        self.period = PeriodPicker(page, default=last_closed_month())
        self.period.changed.connect(self.show_completeness)
        bar.addWidget(self.period)
        self.show_button = QPushButton("Xem", page)
        self.show_button.clicked.connect(self.show_completeness)
        bar.addWidget(self.show_button)
        self.remind_button = QPushButton("In danh sách nhắc nhở…", page)
        self.remind_button.clicked.connect(lambda: self.print_reminders())
        bar.addWidget(self.remind_button)
        bar.addStretch(1)
        bar.addWidget(QLabel("Xã đang chọn:", page))
        self.note_button = QPushButton("Ghi dấu vân tay…", page)
        self.note_button.clicked.connect(lambda: self.note_fingerprint())
        bar.addWidget(self.note_button)
        self.revoke_button = QPushButton("Thu hồi khóa…", page)
        self.revoke_button.clicked.connect(lambda: self.revoke_key())
        bar.addWidget(self.revoke_button)
        layout.addLayout(bar)
        self.completeness_heading = QLabel(page)
        self.completeness_heading.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.completeness_heading)
        self.completeness_model = RowsModel(
            ["Mã", "Tên đơn vị", "Tình trạng", "Đủ kỳ từ lúc", "Số gói gần nhất",
             "Nhận lúc", "Số liệu đến ngày", "Khóa của xã"], {4}, self)
        self.completeness_view = table_view(self.completeness_model, page,
                                            [70, 250, 170, 120, 90, 120, 110, 220])
        self.completeness_view.selectionModel().selectionChanged.connect(self._sync_register)
        self.completeness_view.doubleClicked.connect(lambda _: self._register_default())
        layout.addWidget(self.completeness_view, 1)
        return page

    # -- refreshing -------------------------------------------------------------

    def refresh(self) -> None:
        """Show the current state: province key, last export, the import log."""
        if not self.ready_to_refresh():
            return
        if self.province_level:
            self._refresh_targets()
            self.show_completeness()
        else:
            self._refresh_status()
        self._refresh_log()

    def focus_search(self) -> None:
        """Ctrl+F: nothing to search here; the period's kind at a province."""
        if self.province_level:
            self.period.kind.setFocus()

    def _refresh_status(self) -> None:
        status = export_status(self.ctx)
        province = status["province"]
        if province is None:
            self.province_label.setText(
                "<span style='color:#b00020'><b>Chưa có khóa của Công an tỉnh.</b></span> "
                "Trước khi gửi được dữ liệu lên tỉnh, phải nhận tệp của Công an tỉnh "
                "(tệp .antq mang khóa của tỉnh): chép tệp từ USB do Công an tỉnh giao hoặc "
                "tải từ kênh chính thức của tỉnh, rồi bấm “Nhận tệp…” bên dưới và đối chiếu "
                "dấu vân tay với Công an tỉnh (qua điện thoại hoặc văn bản).")
            self.export_button.setEnabled(False)
            self.export_button.setToolTip("Hãy nhận tệp của Công an tỉnh trước")
        else:
            self.province_label.setText(
                f"<b>{province['name']}</b> (mã {province['code']}) — dấu vân tay "
                f"<span style='font-family: monospace'>{province['fingerprint']}</span>")
            self.export_button.setEnabled(True)
            self.export_button.setToolTip("")
        last = next((e for e in status["exports"] if e["status"] == "written"), None)
        if last is None:
            self.last_export_label.setText("Chưa xuất tệp nào.")
            return
        confirmed = (f"<span style='color:#1b6e20'>Công an tỉnh đã xác nhận nhận lúc "
                     f"{format_moment(last['confirmed_at'])}.</span>" if last["confirmed_at"]
                     else "Chưa có xác nhận của Công an tỉnh (xác nhận có trong tệp tỉnh "
                          "gửi xuống lần sau).")
        self.last_export_label.setText(
            f"Tệp số {last['sequence']} lập lúc {format_moment(last['created_at'])}"
            f" ({last['file_name']}). {confirmed}")

    def _refresh_targets(self) -> None:
        current = self.target.currentData()
        self.target.clear()
        self.target.addItem("Tất cả các xã (tệp chung)", None)
        from core.exchange.register import register
        for commune in register(self.ctx):        # every commune of the register
            if commune.enrolled:
                self.target.addItem(f"{commune.name} ({commune.code})", commune.code)
            else:                                  # no key yet: nothing can be encrypted
                self.target.addItem(f"{commune.name} ({commune.code}) — chưa có khóa",
                                    commune.code)
                item = self.target.model().item(self.target.count() - 1)
                item.setEnabled(False)
        index = self.target.findData(current)
        self.target.setCurrentIndex(max(index, 0))

    def _refresh_log(self) -> None:
        names = {p.code: p.name for p in ledger.peers(self.ctx.db)}
        rows = [Row([format_moment(e["imported_at"]),
                     f"{names.get(e['sender'], e['sender'])} ({e['sender']})",
                     str(e["sequence"]), format_moment(e["created_at"]),
                     format_number(e["inserted"]), format_number(e["updated"]),
                     format_number(e["deleted"]), format_number(e["unchanged"]),
                     e["file_name"]], key=e["id"])
                for e in ledger.import_log(self.ctx.db)]
        self.log_model.set_rows(rows)
        self.log_empty.setVisible(not rows)
        self._sync_receipt()

    def _sync_receipt(self, *args) -> None:
        self.receipt_button.setEnabled(self.selected_log_id() is not None)

    def selected_log_id(self) -> int | None:
        """The import-log line chosen in the table."""
        rows = self.log_view.selectionModel().selectedRows()
        return self.log_model.rows[rows[0].row()].key if rows else None

    # -- sending ----------------------------------------------------------------

    def suggested_name(self) -> str:
        """<station code>[-<commune>]-<yyyymmdd>.antq."""
        target = self.target.currentData() if self.province_level else None
        middle = f"-{target}" if target else ""
        return f"{self.ctx.station.code}{middle}-{local_today():%Y%m%d}.antq"

    def export_package(self, path: str | None = None) -> None:
        """Choose where (a USB drive), then write, read back and verify the package."""
        if not self.export_button.isEnabled() or not jobs.may(self, self.ctx, "edit"):
            return
        to = self.target.currentData() if self.province_level else None
        if path is None:
            title = "Xuất tệp gửi xã" if self.province_level else "Xuất tệp gửi Công an tỉnh"
            path = QFileDialog.getSaveFileName(
                self, f"{title} — chọn ổ USB hoặc thư mục",
                str(Path.home() / self.suggested_name()), PACKAGE_FILTER)[0]
        if not path:
            return
        jobs.run_on_station(self, self.ctx, lambda ctx, control: export_at(ctx, path, to),
                            needs="edit", on_success=self._exported,
                            label="Đang xuất và kiểm tra tệp…", cancellable=False)

    def _exported(self, result) -> None:
        self.refresh()
        sealed = ("mã hóa cho " + result.recipient) if result.encrypted else "ký, không mã hóa"
        dialogs.inform(self, f"Đã xuất tệp số {result.sequence} ({sealed}), đã đọc lại và "
                             f"kiểm tra:\n{result.path}\nDung lượng: {size_text(result.size)}",
                       "Xuất tệp")

    # -- taking in -------------------------------------------------------------

    def take_in_folder(self, folder: str | None = None) -> None:
        """Take in every package file of a folder (a USB drive with many communes' files)."""
        if not jobs.may(self, self.ctx, "edit"):
            return
        folder = folder or QFileDialog.getExistingDirectory(self, "Chọn thư mục chứa các tệp")
        if not folder:
            return
        paths = sorted(str(p) for p in Path(folder).glob("*.antq") if p.is_file())
        if not paths:
            dialogs.show_error(self, f"Thư mục “{folder}” không có tệp .antq nào.")
            return
        self.take_in(paths)

    def take_in(self, paths: list[str] | None = None) -> None:
        """Check the files (dry run), show the preview, confirm new senders, then apply."""
        if not jobs.may(self, self.ctx, "edit"):         # refused before anything runs
            return
        if paths is None:
            paths = QFileDialog.getOpenFileNames(self, "Chọn tệp nhận", "", PACKAGE_FILTER)[0]
        if not paths:
            return
        jobs.run_on_station(self, self.ctx, lambda ctx, control: import_at(
            ctx, list(paths), dry_run=True, control=control), needs="edit",
            on_success=self._previewed, label="Đang kiểm tra tệp…")

    def _previewed(self, results) -> None:
        dialog = ImportPreviewDialog(results, self)
        self.preview = dialog            # reachable from tests
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        ready = [r for r in results if r.status == "dry_run"]
        answers = self.ask_trust(ready)
        if not any(answers.get((r.sender, r.fingerprint), True) for r in ready):
            refused = sorted({f"{r.sender_name} ({r.sender})" for r in ready})
            dialogs.inform(self, "Không nhận tệp nào." + (
                " Không tin cậy: " + ", ".join(refused) + "." if refused else ""), "Nhận tệp")
            return
        paths = [r.path for r in ready]
        jobs.run_on_station(self, self.ctx, lambda ctx, control: import_at(
            ctx, paths, dry_run=False, answers=answers, control=control), needs="edit",
            on_success=self._applied, on_changed=self.window_.data_changed,
            label="Đang nhận dữ liệu…")

    def ask_trust(self, ready) -> dict[tuple[str, str], bool]:
        """Each new sender (code, fingerprint) once: trusted or refused, on its own."""
        answers: dict[tuple[str, str], bool] = {}
        for r in ready:
            key = (r.sender, r.fingerprint)
            if r.new_sender and key not in answers:
                trust = TrustDialog(r, self)
                self.trust_dialog = trust
                answers[key] = trust.exec() == QDialog.DialogCode.Accepted
        return answers

    def _applied(self, results) -> None:
        self.last_results = results
        self.refresh()             # the import log (its tables are not the pages' tables)
        lines = []
        for r in results:
            name = Path(r.path).name
            if r.status == "applied":
                lines.append(f"{name}: đã nhận gói số {r.sequence} của {r.sender} — thêm "
                             f"{r.inserted}, cập nhật {r.updated}, xóa {r.deleted}, không đổi "
                             f"{r.unchanged}.")
            else:
                lines.append(f"{name}: {STATUS_TEXT.get(r.status, r.status)} — {r.reason}")
        dialogs.inform(self, "\n".join(lines), "Kết quả nhận tệp")

    def print_receipt(self, path: str | None = None) -> None:
        """Write the receipt of the chosen import (PDF) and show it."""
        log_id = self.selected_log_id()
        if log_id is None:
            return
        row = self.log_model.rows[self.log_view.selectionModel().selectedRows()[0].row()]
        if path is None:
            suggested = f"Bien_nhan_{row.cells[1].split('(')[-1].rstrip(')')}_so{row.cells[2]}.pdf"
            path = QFileDialog.getSaveFileName(self, "Lưu biên nhận", str(Path.home() / suggested),
                                               PDF_FILTER)[0]
        if not path:
            return
        from core.documents.exchange_docs import import_receipt_pdf
        jobs.run_on_station(self, self.ctx, lambda ctx, control: import_receipt_pdf(
            ctx, log_id, path), needs="read",
            on_success=lambda done: show_pdf(self, done[0], "Biên nhận"),
            label="Đang in biên nhận…")

    # -- completeness (province) ---------------------------------------------

    def chosen_period(self):
        """The period typed, or None after telling the person what is wrong."""
        try:
            return self.period.period()
        except UserError as exc:
            dialogs.show_error(self, str(exc))
            return None

    def show_completeness(self) -> None:
        """Which communes sent data covering the chosen period."""
        from core.exchange import completeness
        period = self.chosen_period()
        if period is None:
            return
        from core.exchange.register import register
        chosen = self.selected_commune()
        rows = completeness(self.ctx, period)
        self.register_lines = {line.code: line for line in register(self.ctx)}
        colours = {"du": GREEN, "chua_du": QColor("#9a6700"), "chua_gui": RED}
        self.completeness_model.set_rows([Row(
            [r["code"], r["name"], r["status_label"], format_moment(r["covered_at"]),
             str(r["last_sequence"] or ""), format_moment(r["last_imported_at"]),
             format_date(r["last_period_to"]) if r["last_period_to"] else "",
             key_state(self.register_lines.get(r["code"]))],
            colours[r["status"]], r) for r in rows])
        if chosen is not None:
            self._select_commune(chosen.code)
        self._sync_register()
        from core.exchange.completeness import period_ended
        sent = sum(r["status"] == "du" for r in rows)
        ended = period_ended(period)
        running = "" if ended else (
            " Kỳ này chưa kết thúc (đến hết ngày "
            f"{format_date(period.end.isoformat())}): danh sách nhắc nhở in lúc này chỉ cho "
            "biết tình hình đến hôm nay.")
        self.completeness_heading.setText(
            f"Kỳ {period.label} (từ {format_date(period.start.isoformat())} đến "
            f"{format_date(period.end.isoformat())}): {sent}/{len(rows)} xã đã gửi đủ.{running}"
            if rows else "Sổ theo dõi chưa có xã nào (đơn vị ngoài danh mục đơn vị hành "
                         "chính: các xã xuất hiện ở đây sau lần nhận tệp đầu tiên).")
        # A period not ended is said (here and before printing), never refused.
        self.remind_button.setEnabled(sent < len(rows))
        self.remind_button.setToolTip("" if ended else "Kỳ này chưa kết thúc: các xã chưa "
                                                       "đến hạn gửi dữ liệu của kỳ")

    def print_reminders(self, path: str | None = None) -> None:
        """The PDF list of communes that have not sent data for the period."""
        period = self.chosen_period()
        if period is None:
            return
        from core.documents.exchange_docs import reminder_warnings
        warnings = reminder_warnings(period)
        if warnings:                       # said before printing, never blocking
            dialogs.inform(self, "\n".join(warnings), "Kỳ chưa kết thúc")
        if path is None:
            suggested = f"Danh_sach_nhac_nho_{self.period.code()}.pdf"
            path = QFileDialog.getSaveFileName(self, "Lưu danh sách nhắc nhở",
                                               str(Path.home() / suggested), PDF_FILTER)[0]
        if not path:
            return
        from core.documents.exchange_docs import reminder_list_pdf
        jobs.run_on_station(self, self.ctx, lambda ctx, control: reminder_list_pdf(
            ctx, period, path), needs="read",
            on_success=lambda done: show_pdf(self, done[0],
                                             f"Danh sách nhắc nhở kỳ {period.label}"),
            label="Đang in danh sách nhắc nhở…")

    # -- the register of communes (province) ------------------------------------

    def selected_commune(self):
        """The register line of the commune chosen in the table, or None."""
        if not hasattr(self, "completeness_view"):
            return None
        rows = self.completeness_view.selectionModel().selectedRows()
        if not rows:
            return None
        code = self.completeness_model.rows[rows[0].row()].key["code"]
        return getattr(self, "register_lines", {}).get(code)

    def _select_commune(self, code: str) -> None:
        for number, row in enumerate(self.completeness_model.rows):
            if row.key["code"] == code:
                self.completeness_view.selectRow(number)
                return

    def _sync_register(self, *args) -> None:
        """The two buttons follow the chosen commune and the account's role."""
        line = self.selected_commune()
        can_edit = self.window_.can_edit
        viewer = "Tài khoản chỉ xem không được thay đổi sổ theo dõi các xã"
        self.note_button.setEnabled(can_edit and line is not None and not line.enrolled)
        self.revoke_button.setEnabled(can_edit and line is not None and line.enrolled)
        if not can_edit:
            tips = (viewer, viewer)
        elif line is None:
            tips = ("Chọn một xã trong bảng",) * 2
        elif line.enrolled:
            tips = ("Xã đã có khóa được ghi nhận; muốn ghi khóa mới, hãy thu hồi khóa cũ "
                    "trước", "Thu hồi khóa của xã (máy bị mất hoặc xã đổi khóa)")
        else:
            tips = ("Ghi dấu vân tay khóa do xã đọc qua điện thoại hoặc văn bản",
                    "Xã chưa có khóa được ghi nhận")
        self.note_button.setToolTip(tips[0])
        self.revoke_button.setToolTip(tips[1])

    def follow_user(self) -> None:
        """After a sign-in or sign-out: the register's buttons follow the new role."""
        if self.province_level:
            self._sync_register()

    def _register_default(self) -> None:
        """Double click: the action that fits the commune (note before a key, else none)."""
        if self.note_button.isEnabled():
            self.note_fingerprint()

    def note_fingerprint(self) -> None:
        """“Ghi dấu vân tay…” for the chosen commune (an editor; as ``note-fingerprint``)."""
        from core.exchange.register import note_fingerprint
        from ui.forms.register import FingerprintDialog
        line = self.selected_commune()
        if line is None or not jobs.may(self, self.ctx, "edit"):
            return
        dialog = FingerprintDialog(line, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        value, source = dialog.values()
        jobs.run_on_station(
            self, self.ctx, lambda ctx, control: note_fingerprint(ctx, line.code, value, source),
            needs="edit", label="Đang ghi dấu vân tay…", cancellable=False,
            on_success=lambda done: self._register_changed(
                f"Đã ghi dấu vân tay của {line.name} ({line.code}): {done}. Tệp đầu tiên "
                "của xã sẽ được đối chiếu với dấu vân tay này."))

    def revoke_key(self) -> None:
        """“Thu hồi khóa…” for the chosen commune (an editor; as ``revoke-key``)."""
        from core.exchange.register import revoke
        from ui.forms.register import RevokeDialog
        line = self.selected_commune()
        if line is None or not jobs.may(self, self.ctx, "edit"):
            return
        dialog = RevokeDialog(line, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        reason = dialog.reason_text()
        jobs.run_on_station(
            self, self.ctx, lambda ctx, control: revoke(ctx, line.code, reason),
            needs="edit", label="Đang thu hồi khóa…", cancellable=False,
            on_success=lambda done: self._register_changed(
                f"Đã thu hồi khóa {done} của {line.name} ({line.code}). Tệp sau của xã "
                "(khóa mới) cần được xác nhận khi nhận, hoặc khớp dấu vân tay ghi trước."))

    def _register_changed(self, text: str) -> None:
        self.show_completeness()
        self._refresh_targets()
        dialogs.inform(self, text, "Sổ theo dõi các xã")
