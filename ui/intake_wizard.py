"""Tệp ▸ Nhập danh sách có sẵn…: the wizard over :mod:`core.intake` (issue 14).

The steps follow the core's flow (read_file → inspect(Choices) → plan → apply):
the file and its sheets, a grid preview with the header row, the field of each
column, the encoding of each column, excluded / hidden rows and proposals, the
review queue of this file, a summary, and the import in the background. Each
step only changes :class:`~core.intake.Choices` and sees the file again; nothing
is written before the last step, which runs through :func:`ui.jobs.run_on_station`.
The review decisions taken here are applied right after the file went in.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QEventLoop, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QCheckBox, QComboBox,
                               QFileDialog, QFormLayout, QGroupBox, QHBoxLayout,
                               QLabel, QLineEdit, QListWidget, QListWidgetItem, QProgressBar,
                               QPushButton, QRadioButton, QSpinBox, QTableView, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWizard, QWizardPage)

from core.catalog import GENDERS
from core.errors import UserError
from core.intake import Choices, file_hash, inspect, load_mappings, plan, read_file
from core.intake import apply as apply_plan
from core.intake import legacy, review
from core.intake.fields import FIELDS, normal_case, read_date
from core.repos.models import model_types
from core.repos.persons import PersonRepo
from core.text import format_date, format_number
from ui import dialogs, jobs, tasks

PREVIEW_ROWS = 200
BIG_ROWS = 3000          # sheets' rows above which inspect/plan run in the background
BIG_FILE = 2 << 20       # bytes above which the file is read in the background
DATE_FIELDS = ("birth_date", "join_date")
IGNORE = "— bỏ qua —"
ENCODINGS = (("unicode", "Unicode"), ("tcvn3", "TCVN3 (ABC)"), ("vni", "VNI"))
ENCODING_LABEL = dict(ENCODINGS) | {"cp1258": "Windows-1258"}
HIDDEN = (("left", "Đã thôi tham gia (ghi ngày rời)"), ("skip", "Bỏ qua, không nhập"),
          ("active", "Vẫn đang tham gia"))
FILE_FILTER = "Danh sách (*.xlsx *.xlsm *.xls *.csv)"
HEADER_BRUSH = QBrush(QColor("#fff3b0"))
HIDDEN_BRUSH = QBrush(QColor("#8a8a8a"))


def open_wizard(window, path: str | None = None) -> "IntakeWizard | None":
    """Open the wizard (editors and administrators; a viewer is refused first)."""
    if not jobs.may(window, window.ctx, "edit"):
        return None
    wizard = IntakeWizard(window, path)
    window.intake_wizard = wizard
    wizard.show()
    return wizard


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(True)
    table.horizontalHeader().setStretchLastSection(True)
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    return table


def _item(text: object, editable: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem("" if text is None else str(text))
    if not editable:
        item.setFlags(item.flags() & ~Qt.ItemIsEditable)
    return item


def _letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class GridModel(QAbstractTableModel):
    """The first rows of one sheet as typed, legacy text shown converted."""

    def __init__(self, grid, sheet=None, parent=None):
        super().__init__(parent)
        self.grid = grid
        self.rows = grid.rows[:PREVIEW_ROWS]
        self.width = max((len(r) for r in self.rows), default=0)
        self.header_rows: set[int] = set()
        self.encodings: dict[int, legacy.Detection] = {}
        self.hidden = set(grid.hidden_rows)
        self.set_sheet(sheet)

    def set_sheet(self, sheet) -> None:
        self.beginResetModel()
        self.header_rows = set()
        self.encodings = {}
        if sheet is not None and sheet.header_row:
            self.header_rows = set(range(sheet.first_header_row or sheet.header_row,
                                         sheet.header_row + 1))
            self.encodings = {c.index: c.detection for c in sheet.columns}
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else self.width

    def text(self, row: int, column: int) -> str:
        cells = self.rows[row]
        value = cells[column] if column < len(cells) else None
        if value is None:
            return ""
        if isinstance(value, str):
            found = self.encodings.get(column + 1)
            if value.isascii():
                return value
            encoding, capitals = legacy.font_encoding(self.grid.font(row + 1, column + 1) or "")
            above = row + 1 <= max(self.header_rows, default=0)
            if found and found.encoding in ("tcvn3", "vni") and not (above and encoding):
                return legacy.convert(value, found.encoding, capitals=found.capitals)
            if encoding and legacy.is_legacy_candidate(value):   # title and header rows
                return legacy.convert(value, encoding, capitals=capitals)
            return value
        if hasattr(value, "strftime"):
            return value.strftime("%d/%m/%Y")
        return str(value)

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        number = index.row() + 1
        if role == Qt.DisplayRole:
            return self.text(index.row(), index.column())
        if role == Qt.BackgroundRole and number in self.header_rows:
            return HEADER_BRUSH
        if role == Qt.ForegroundRole and number in self.hidden:
            return HIDDEN_BRUSH
        if role == Qt.FontRole and number in self.header_rows:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(self, section: int, orientation, role: int = Qt.DisplayRole):  # noqa: N802
        if role != Qt.DisplayRole:
            return None
        if orientation == Qt.Horizontal:
            return _letter(section + 1)
        number = section + 1
        mark = " (tiêu đề)" if number in self.header_rows else (
            " (ẩn)" if number in self.hidden else "")
        return f"{number}{mark}"


class IntakeWizard(QWizard):
    """The steps of taking in one list; see the module docstring."""

    def __init__(self, window, path: str | None = None):
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx
        self.setWindowTitle("Nhập danh sách có sẵn")
        self.setWizardStyle(QWizard.ClassicStyle)
        self.setOption(QWizard.NoBackButtonOnStartPage, True)
        for button, text in ((QWizard.BackButton, "< Quay lại"), (QWizard.NextButton, "Tiếp >"),
                             (QWizard.CancelButton, "Hủy"), (QWizard.FinishButton, "Xong"),
                             (QWizard.CommitButton, "Nhập vào dữ liệu")):
            self.setButtonText(button, text)
        self.resize(1100, 680)
        self.path: Path | None = None
        self.book = None
        self.choices = Choices()
        self.remembered = load_mappings(self.ctx)
        self.seen = None
        self.todo = None
        self.decisions: dict[tuple[str, int], str] = {}   # (sheet, row) -> "new" | person id
        self.result = None
        self.file_page = FilePage(self)
        self.preview_page = PreviewPage(self)
        self.mapping_page = MappingPage(self)
        self.encoding_page = EncodingPage(self)
        self.rows_page = RowsPage(self)
        self.review_page = ReviewPage(self)
        self.summary_page = SummaryPage(self)
        self.import_page = ImportPage(self)
        for page in (self.file_page, self.preview_page, self.mapping_page, self.encoding_page,
                     self.rows_page, self.review_page, self.summary_page, self.import_page):
            self.addPage(page)
        if path:
            self.file_page.load(path)

    def reject(self) -> None:
        """Closing is refused while the import runs (its own button cancels it)."""
        page = self.import_page
        if self.currentPage() is page and page.control is not None and not page.done:
            return
        super().reject()

    # -- seeing the file again after each choice ---------------------------------

    def reinspect(self) -> None:
        """See the file with the current choices (reads nothing from the database)."""
        book, choices, remembered = self.book, self.choices, self.remembered
        self.seen = self.work(lambda _ctx: inspect(book, choices, remembered),
                              "Đang xem danh sách…", big=self.big)

    def plan(self):
        """What the file would write (reads the database; a big file in the background)."""
        seen = self.seen
        self.todo = self.work(lambda ctx: plan(ctx, seen), "Đang đối chiếu với dữ liệu…",
                              big=self.big, database=True)
        return self.todo

    @property
    def big(self) -> bool:
        return self.book is not None and sum(len(g.rows) for g in self.book.sheets) > BIG_ROWS

    def work(self, fn, label: str, *, big: bool, database: bool = False):
        """``fn(ctx)`` at once for a small file; for a big one in the background (the
        window stays responsive, with a progress dialog) while this step waits."""
        if not big:
            return fn(self.ctx)
        outcome: dict = {}
        loop = QEventLoop(self)

        def done(value) -> None:
            outcome["value"] = value
            loop.quit()

        def failed(exc: BaseException) -> None:
            outcome["error"] = exc
            loop.quit()

        if database:
            started = jobs.run_on_station(self, self.ctx, lambda ctx, _control: fn(ctx),
                                          needs="read", on_success=done, on_failure=failed,
                                          label=label, cancellable=False)
            if started is None:
                raise UserError(jobs.refusal(self.ctx, "read") or label)
        else:
            tasks.run_task(self, lambda _control: fn(None), on_success=done,
                           on_failure=failed, label=label, cancellable=False)
        if not outcome:
            loop.exec()
        if "error" in outcome:
            raise outcome["error"]
        return outcome["value"]

    def sheets(self) -> list:
        """The sheets taken in (those with a header)."""
        return [s for s in self.seen.sheets if s.columns] if self.seen else []

    def sheet(self, name: str):
        return next((s for s in self.seen.sheets if s.name == name), None)

    def grid(self, name: str):
        return next(g for g in self.book.sheets if g.name == name)


def _sheet_combo(page) -> QComboBox:
    combo = QComboBox()
    combo.setMinimumContentsLength(24)
    combo.currentTextChanged.connect(lambda _text: page.show_sheet())
    return combo


def _fill_sheets(combo: QComboBox, names: list[str]) -> None:
    current = combo.currentText()
    combo.blockSignals(True)
    combo.clear()
    combo.addItems(names)
    if current in names:
        combo.setCurrentText(current)
    combo.blockSignals(False)


class FilePage(QWizardPage):
    """Step 1: the file, its sheets, the model the list is of."""

    def __init__(self, wizard: IntakeWizard):
        super().__init__()
        self.w = wizard
        self.setTitle("Bước 1/8. Tệp danh sách và các trang")
        self.setSubTitle("Chọn tệp Excel (.xlsx, .xls) hoặc CSV và các trang cần nhập.")
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText("Chưa chọn tệp")
        browse = QPushButton("Chọn tệp…")
        browse.clicked.connect(self.browse)
        row.addWidget(QLabel("Tệp:"))
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        self.info = QLabel("")
        self.info.setWordWrap(True)
        layout.addWidget(self.info)
        layout.addWidget(QLabel("Các trang cần nhập:"))
        self.sheet_list = QListWidget()
        self.sheet_list.itemChanged.connect(lambda _item: self.completeChanged.emit())
        layout.addWidget(self.sheet_list, 1)
        box = QGroupBox("Danh sách này thuộc mô hình nào")
        form = QFormLayout(box)
        self.per_sheet = QCheckBox("Mỗi trang là một mô hình (tên mô hình là tên trang)")
        form.addRow(self.per_sheet)
        self.model_name = QLineEdit()
        self.model_name.setPlaceholderText("Để trống nếu danh sách có cột “Mô hình”")
        form.addRow("Tên mô hình:", self.model_name)
        self.model_type = QComboBox()
        self.model_type.addItem("Đoán theo tên mô hình", "")
        types = model_types(wizard.ctx.db)
        for code in types.codes():
            self.model_type.addItem(types.label(code), code)
        form.addRow("Loại mô hình:", self.model_type)
        self.unit = QLineEdit()
        self.unit.setPlaceholderText("Để trống: lấy theo tên mô hình (thôn, xóm, …)")
        form.addRow("Địa bàn:", self.unit)
        self.per_sheet.toggled.connect(lambda on: self.model_name.setEnabled(not on))
        layout.addWidget(box)

    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Chọn danh sách", "", FILE_FILTER)
        if path:
            self.load(path)

    def load(self, path: str) -> None:
        """Read the file and list its sheets (hidden sheets left unticked)."""
        try:
            big = Path(path).stat().st_size > BIG_FILE
            book = self.w.work(lambda _ctx: read_file(path), "Đang đọc tệp…", big=big)
        except UserError as exc:
            dialogs.show_error(self, str(exc))
            return
        except OSError:
            dialogs.show_error(self, f"Không mở được tệp “{Path(path).name}”.")
            return
        self.w.path, self.w.book = Path(path), book
        self.w.choices = Choices(source=file_hash(path))
        self.w.decisions.clear()
        self.path_edit.setText(str(path))
        self.sheet_list.clear()
        for grid in book.sheets:
            label = f"{grid.name} ({format_number(len(grid.rows))} dòng)"
            if grid.hidden:
                label += " — trang ẩn"
            item = QListWidgetItem(label)
            item.setData(Qt.UserRole, grid.name)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Unchecked if grid.hidden else Qt.Checked)
            self.sheet_list.addItem(item)
        kinds = {"xlsx": "Excel", "xls": "Excel 97-2003", "csv": "CSV"}
        self.info.setText(f"{kinds.get(book.kind, book.kind)}, {len(book.sheets)} trang.")
        self.completeChanged.emit()

    def chosen(self) -> list[str]:
        return [self.sheet_list.item(i).data(Qt.UserRole) for i in range(self.sheet_list.count())
                if self.sheet_list.item(i).checkState() == Qt.Checked]

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return self.w.book is not None and bool(self.chosen())

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        choices = self.w.choices
        choices.sheets = self.chosen()
        choices.model_per_sheet = self.per_sheet.isChecked()
        choices.model = "" if choices.model_per_sheet else self.model_name.text().strip()
        choices.model_type = self.model_type.currentData() or ""
        choices.unit = self.unit.text().strip()
        self.w.reinspect()
        if not self.w.sheets():
            dialogs.show_error(self, "Không tìm thấy dòng tiêu đề cột (Họ và tên, Năm sinh, …) "
                                     "trong các trang đã chọn.")
            return False
        return True


class _SheetPage(QWizardPage):
    """A step that shows one sheet at a time, chosen in a “Trang:” box above its table.

    Subclasses add their widgets to ``self.sheet_row`` (after the box) and
    ``self.body``, and implement ``show_sheet``.
    """

    def __init__(self, wizard: "IntakeWizard", title: str, subtitle: str):
        super().__init__()
        self.w = wizard
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.body = QVBoxLayout(self)
        self.sheet_row = QHBoxLayout()
        self.sheet_box = _sheet_combo(self)
        self.sheet_row.addWidget(QLabel("Trang:"))
        self.sheet_row.addWidget(self.sheet_box)
        self.body.addLayout(self.sheet_row)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        _fill_sheets(self.sheet_box, [s.name for s in self.w.sheets()])
        self.show_sheet()

    def show_sheet(self) -> None:
        raise NotImplementedError


class PreviewPage(_SheetPage):
    """Step 2: the sheet as typed, the header row marked (changeable)."""

    def __init__(self, wizard: IntakeWizard):
        super().__init__(wizard, "Bước 2/8. Xem trước và dòng tiêu đề",
                         "Dòng tô vàng là dòng tiêu đề cột; dòng chữ xám là dòng bị ẩn.")
        layout, row = self.body, self.sheet_row
        row.addSpacing(16)
        row.addWidget(QLabel("Dòng tiêu đề:"))
        self.header_spin = QSpinBox()
        self.header_spin.setRange(1, PREVIEW_ROWS)
        row.addWidget(self.header_spin)
        self.use_selected = QPushButton("Dòng tiêu đề là dòng đang chọn")
        self.use_selected.clicked.connect(self.header_from_selection)
        row.addWidget(self.use_selected)
        row.addStretch(1)
        self.view = QTableView()
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.view.horizontalHeader().setDefaultSectionSize(140)
        layout.addWidget(self.view, 1)
        self.note = QLabel("")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.header_spin.valueChanged.connect(self.set_header)
        self.model = None


    def show_sheet(self) -> None:
        name = self.sheet_box.currentText()
        sheet = self.w.sheet(name)
        if sheet is None:
            return
        grid = self.w.grid(name)
        self.model = GridModel(grid, sheet, self.view)
        self.view.setModel(self.model)
        self.view.clearSpans()
        for r1, c1, r2, c2 in grid.merged:     # title rows merged across the columns
            if r1 <= PREVIEW_ROWS and (r2 > r1 or c2 > c1):
                self.view.setSpan(r1 - 1, c1 - 1, min(r2, PREVIEW_ROWS) - r1 + 1, c2 - c1 + 1)
        self.header_spin.blockSignals(True)
        self.header_spin.setValue(sheet.header_row or 1)
        self.header_spin.blockSignals(False)
        self.note.setText(f"Đang xem {min(len(self.model.rows), PREVIEW_ROWS)} dòng đầu. "
                          f"Tiêu đề trang: {sheet.title or '(không có)'}")
        if sheet.header_row:
            self.view.scrollTo(self.model.index(sheet.header_row - 1, 0))

    def header_from_selection(self) -> None:
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        if rows:
            self.header_spin.setValue(rows[0].row() + 1)

    def set_header(self, number: int) -> None:
        """The user's header row for this sheet: see the file again."""
        name = self.sheet_box.currentText()
        self.w.choices.header_rows[name] = number
        self.w.reinspect()
        sheet = self.w.sheet(name)
        if self.model is not None:
            self.model.set_sheet(sheet)


class MappingPage(_SheetPage):
    """Step 3: the field each column feeds."""

    def __init__(self, wizard: IntakeWizard):
        super().__init__(wizard, "Bước 3/8. Cột nào là thông tin gì",
                         "Chương trình đã đoán; sửa nếu sai. Lựa chọn được nhớ cho tệp "
                         "cùng tiêu đề cột lần sau.")
        layout = self.body
        self.sheet_row.addStretch(1)
        self.table = _table(["Cột", "Tiêu đề trong tệp", "Thông tin", "Ví dụ"])
        layout.addWidget(self.table, 1)
        self.combos: dict[str, QComboBox] = {}


    def show_sheet(self) -> None:
        sheet = self.w.sheet(self.sheet_box.currentText())
        if sheet is None:
            return
        self.table.setRowCount(len(sheet.columns))
        self.combos = {}
        shown = GridModel(self.w.grid(sheet.name), sheet)
        for r, column in enumerate(sheet.columns):
            self.table.setItem(r, 0, _item(_letter(column.index)))
            self.table.setItem(r, 1, _item(column.header))
            combo = QComboBox()
            combo.addItem(IGNORE, None)
            for key, (label, _) in FIELDS.items():
                combo.addItem(label, key)
            combo.setCurrentIndex(max(combo.findData(column.field), 0)
                                  if column.field else 0)
            combo.currentIndexChanged.connect(
                lambda _i, h=column.header, c=combo: self.changed(h, c.currentData()))
            self.table.setCellWidget(r, 2, combo)
            self.combos[column.header] = combo
            values = [shown.text(row.number - 1, column.index - 1) for row in sheet.rows[:3]
                      if row.number <= len(shown.rows)]
            self.table.setItem(r, 3, _item(", ".join(v for v in values if v)))
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(2, 220)

    def changed(self, header: str, key: str | None) -> None:
        self.w.choices.mapping[header] = key
        self.w.reinspect()


class EncodingPage(_SheetPage):
    """Step 4: the encoding of each column, with samples before and after."""

    def __init__(self, wizard: IntakeWizard):
        super().__init__(wizard, "Bước 4/8. Bảng mã chữ tiếng Việt",
                         "Chữ gõ bằng phông .VnTime (TCVN3) hoặc VNI-Times được chuyển sang "
                         "Unicode. Cột tô đỏ phải được chọn bảng mã trước khi đi tiếp.")
        layout = self.body
        self.sheet_row.addStretch(1)
        self.table = _table(["Cột", "Nhận ra", "Bảng mã", "Trong tệp", "Sau khi chuyển"])
        layout.addWidget(self.table, 1)
        self.blocked = QLabel("")
        self.blocked.setWordWrap(True)
        self.blocked.setStyleSheet("color: #b00020;")
        layout.addWidget(self.blocked)
        self.combos: dict[str, QComboBox] = {}


    def show_sheet(self) -> None:
        sheet = self.w.sheet(self.sheet_box.currentText())
        if sheet is None:
            return
        columns = [c for c in sheet.columns if c.field]
        self.table.setRowCount(len(columns))
        self.combos = {}
        for r, column in enumerate(columns):
            found = column.detection
            self.table.setItem(r, 0, _item(column.header))
            seen = ("Chưa rõ: " + found.reason) if column.header in sheet.blocked else \
                f"{ENCODING_LABEL.get(found.encoding, found.encoding)} ({found.reason})"
            item = _item(seen)
            if column.header in sheet.blocked:
                item.setBackground(QBrush(QColor("#f8d0d0")))
            self.table.setItem(r, 1, item)
            combo = QComboBox()
            for code, label in ENCODINGS:
                combo.addItem(label, code)
            if found.encoding == "cp1258":
                combo.insertItem(0, "Windows-1258", "cp1258")
            combo.setCurrentIndex(max(combo.findData(found.encoding), 0))
            combo.currentIndexChanged.connect(
                lambda _i, h=column.header, c=combo: self.changed(h, c.currentData()))
            self.table.setCellWidget(r, 2, combo)
            self.combos[column.header] = combo
            samples = found.samples[:3]
            self.table.setItem(r, 3, _item("\n".join(b for b, _ in samples)))
            self.table.setItem(r, 4, _item("\n".join(a for _, a in samples)))
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()
        blocked = [f"“{h}” (trang {s.name})" for s in self.w.sheets() for h in s.blocked]
        self.blocked.setText("Cần chọn bảng mã cho: " + ", ".join(blocked) if blocked else "")
        self.completeChanged.emit()

    def changed(self, header: str, encoding: str) -> None:
        sheet = self.sheet_box.currentText()
        if encoding == "cp1258":
            self.w.choices.encodings.get(sheet, {}).pop(header, None)
        else:
            self.w.choices.encodings.setdefault(sheet, {})[header] = encoding
        self.w.reinspect()
        self.show_sheet()

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return not any(s.blocked for s in self.w.sheets())


class RowsPage(QWizardPage):
    """Step 5: rows set apart, hidden rows, and the values to confirm."""

    def __init__(self, wizard: IntakeWizard):
        super().__init__()
        self.w = wizard
        self.setTitle("Bước 5/8. Dòng không nhập, dòng ẩn và giá trị cần xác nhận")
        self.setSubTitle("Chọn cách nhập các dòng bị ẩn; kiểm tra các giá trị chương trình "
                         "đọc lại (nhấp đúp vào ô “Đề xuất” để sửa).")
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        excluded = QGroupBox("Dòng không phải dữ liệu (không nhập)")
        box = QVBoxLayout(excluded)
        self.excluded = _table(["Trang", "Dòng", "Lý do"])
        box.addWidget(self.excluded)
        top.addWidget(excluded, 1)
        hidden = QGroupBox("Dòng bị ẩn trong tệp")
        box = QVBoxLayout(hidden)
        self.hidden_label = QLabel("")
        self.hidden_label.setWordWrap(True)
        box.addWidget(self.hidden_label)
        self.hidden_group = QButtonGroup(self)
        self.hidden_buttons = {}
        for code, label in HIDDEN:
            button = QRadioButton(label)
            self.hidden_group.addButton(button)
            self.hidden_buttons[code] = button
            box.addWidget(button)
        box.addStretch(1)
        top.addWidget(hidden, 1)
        layout.addLayout(top, 2)
        proposals = QGroupBox("Giá trị chương trình đọc lại (sửa ô “Đề xuất” nếu chưa đúng)")
        box = QVBoxLayout(proposals)
        self.accept = QCheckBox("Chấp nhận các đề xuất")
        self.accept.setChecked(True)
        box.addWidget(self.accept)
        self.proposals = _table(["Trang", "Dòng", "Cột", "Trong tệp", "Đề xuất", "Lý do"])
        self.proposals.setEditTriggers(QAbstractItemView.DoubleClicked
                                       | QAbstractItemView.EditKeyPressed
                                       | QAbstractItemView.AnyKeyPressed)
        box.addWidget(self.proposals)
        layout.addWidget(proposals, 3)
        self.shown: list = []
        self.core_count = 0

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        sheets = self.w.sheets()
        excluded = [(s.name, r, why) for s in sheets for r, why in s.excluded]
        self.excluded.setRowCount(len(excluded))
        for r, values in enumerate(excluded):
            for c, value in enumerate(values):
                self.excluded.setItem(r, c, _item(value))
        self.excluded.resizeColumnsToContents()
        hidden = [(s.name, r) for s in sheets for r in s.hidden_rows]
        listed = "; ".join(f"trang {n}, dòng {r}" for n, r in hidden[:20])
        more = f" và {format_number(len(hidden) - 20)} dòng khác" if len(hidden) > 20 else ""
        self.hidden_label.setText(f"Có {format_number(len(hidden))} dòng ẩn: {listed}{more}. "
                                  "Những người này:" if hidden else "Không có dòng ẩn.")
        for button in self.hidden_buttons.values():
            button.setEnabled(bool(hidden))
        self.hidden_buttons[self.w.choices.hidden].setChecked(True)
        self.accept.setChecked(self.w.choices.accept_proposals)
        self.shown = self._to_confirm(sheets)
        self.core_count = sum(len(s.proposals) for s in sheets)
        self.proposals.setRowCount(len(self.shown))
        for r, (sheet, number, key, header, before, proposed, reason) in enumerate(self.shown):
            after = self.w.choices.corrections.get((sheet, number, key), proposed)
            if key in DATE_FIELDS:
                after = format_date(str(after))
            for c, value in enumerate((sheet, number, header, before)):
                self.proposals.setItem(r, c, _item(value))
            self.proposals.setItem(r, 4, _item(after, editable=True))
            self.proposals.setItem(r, 5, _item(reason))
        self.proposals.resizeColumnsToContents()
        self.proposals.setColumnWidth(5, 360)

    @staticmethod
    def _to_confirm(sheets) -> list[tuple]:
        """(sheet, row, field, header, in the file, proposed, reason) of every value to
        confirm: the core's proposals, and names whose TCVN3 capitals may be lost (the
        capitals proposed back)."""
        found = [(p.sheet, p.row, p.field, p.column, p.before, p.after, p.reason)
                 for s in sheets for p in s.proposals]
        for sheet in sheets:
            header = sheet.header_of("full_name")
            for row in sheet.rows:
                name = row.values.get("full_name", "")
                if name and any("chữ hoa có dấu" in w for w in row.warnings):
                    found.append((sheet.name, row.number, "full_name", header, name,
                                  normal_case(name), "TCVN3 không có mã cho chữ hoa có dấu: "
                                  "kiểm tra chữ đầu của tên"))
        return found

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        choices = self.w.choices
        choices.hidden = next(c for c, b in self.hidden_buttons.items() if b.isChecked())
        choices.accept_proposals = self.accept.isChecked()
        for r, (sheet, number, key, header, before, proposed, _) in enumerate(self.shown):
            text = self.proposals.item(r, 4).text().strip()
            where = (sheet, number, key)
            if key in DATE_FIELDS:
                if text == format_date(proposed):
                    choices.corrections.pop(where, None)
                    continue
                reading = read_date(text, allow_year=key == "birth_date")
                if reading.problem or reading.value is None:
                    dialogs.show_error(self, f"Trang {sheet}, dòng {number}, cột {header}: "
                                             f"{reading.problem or 'ngày không đọc được.'}")
                    return False
                choices.corrections[where] = reading.value
            elif r < self.core_count and text == proposed:
                choices.corrections.pop(where, None)     # the core's proposal as it is
            elif text and text != before:
                choices.corrections[where] = text
            else:
                choices.corrections.pop(where, None)
        self.w.reinspect()
        return True


PERSON_ROWS = (("full_name", "Họ và tên"), ("birth_date", "Ngày sinh"), ("gender", "Giới tính"),
               ("id_number", "Số CCCD"), ("address", "Chỗ ở"))


class ReviewPage(QWizardPage):
    """Step 6: rows matching a stored person only weakly; decide or leave them queued."""

    def __init__(self, wizard: IntakeWizard):
        super().__init__()
        self.w = wizard
        self.setTitle("Bước 6/8. Người có thể đã có trong dữ liệu")
        self.setSubTitle("Mỗi dòng dưới đây giống một người đã lưu nhưng chưa chắc chắn. "
                         "Quyết định ngay, hoặc để lại chờ xem xét sau.")
        layout = QHBoxLayout(self)
        self.items = QListWidget()
        self.items.currentRowChanged.connect(self.show_item)
        layout.addWidget(self.items, 1)
        right = QVBoxLayout()
        self.compare = _table(["", "Trong tệp"])
        right.addWidget(self.compare, 1)
        self.reason = QLabel("")
        self.reason.setWordWrap(True)
        right.addWidget(self.reason)
        row = QHBoxLayout()
        row.addWidget(QLabel("Quyết định:"))
        self.decision = QComboBox()
        self.decision.currentIndexChanged.connect(self.decided)
        row.addWidget(self.decision, 1)
        right.addLayout(row)
        layout.addLayout(right, 2)
        self.empty = QLabel("")

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        self.w.plan()
        self.items.clear()
        for item in self.w.todo.review:
            self.items.addItem(f"Trang {item.sheet}, dòng {item.row}: {item.person.full_name}")
        if self.w.todo.review:
            self.items.setCurrentRow(0)
        else:
            self.compare.setRowCount(0)
            self.reason.setText("Không có dòng nào cần xem xét.")
            self.decision.clear()

    def current(self):
        row = self.items.currentRow()
        return self.w.todo.review[row] if 0 <= row < len(self.w.todo.review) else None

    def show_item(self, _row: int) -> None:
        item = self.current()
        if item is None:
            return
        self.compare.setColumnCount(2 + len(item.candidates))
        self.compare.setHorizontalHeaderLabels(
            ["", "Trong tệp"] + [f"Đã lưu {i}" for i in range(1, len(item.candidates) + 1)])
        self.compare.setRowCount(len(PERSON_ROWS))
        person = item.person
        for r, (key, label) in enumerate(PERSON_ROWS):
            self.compare.setItem(r, 0, _item(label))
            value = getattr(person, key, "") or ""
            if key == "birth_date":
                value = format_date(value)
            elif key == "gender" and value:
                value = GENDERS.label(value)
            self.compare.setItem(r, 1, _item(value))
        for c, candidate in enumerate(item.candidates, 2):
            found = PersonRepo(self.w.ctx.store).find(candidate.person_id)
            stored = {"full_name": candidate.name, "birth_date": format_date(candidate.birth),
                      "id_number": candidate.id_number,
                      "gender": GENDERS.label(found.gender) if found and found.gender else "",
                      "address": found.address if found else ""}
            for r, (key, _) in enumerate(PERSON_ROWS):
                self.compare.setItem(r, c, _item(stored.get(key, "")))
        self.compare.resizeColumnsToContents()
        self.reason.setText("Lý do: " + "; ".join(c.reason for c in item.candidates))
        self.decision.blockSignals(True)
        self.decision.clear()
        self.decision.addItem("Để lại chờ xem xét", None)
        self.decision.addItem("Là người mới", "new")
        for candidate in item.candidates:
            self.decision.addItem(f"Cùng một người với {candidate.name} "
                                  f"({format_date(candidate.birth) or 'không rõ ngày sinh'})",
                                  candidate.person_id)
        chosen = self.w.decisions.get((item.sheet, item.row))
        self.decision.setCurrentIndex(max(self.decision.findData(chosen), 0) if chosen else 0)
        self.decision.blockSignals(False)

    def decided(self, _index: int) -> None:
        item = self.current()
        if item is None:
            return
        value = self.decision.currentData()
        if value:
            self.w.decisions[(item.sheet, item.row)] = value
        else:
            self.w.decisions.pop((item.sheet, item.row), None)


class SummaryPage(QWizardPage):
    """Step 7: what will be written, or the errors that keep the file out."""

    def __init__(self, wizard: IntakeWizard):
        super().__init__()
        self.w = wizard
        self.setTitle("Bước 7/8. Những gì sẽ được ghi")
        self.setSubTitle("Chưa có gì được ghi. Kiểm tra lại rồi bấm “Nhập vào dữ liệu”; "
                         "có thể quay lại các bước trước.")
        self.setCommitPage(True)
        layout = QVBoxLayout(self)
        self.text = QLabel("")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.PlainText)
        layout.addWidget(self.text)
        self.errors = _table(["Trang", "Dòng", "Cột", "Lỗi"])
        layout.addWidget(self.errors, 1)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        todo = self.w.plan()
        n = format_number
        decided = sum(1 for item in todo.review if (item.sheet, item.row) in self.w.decisions)
        lines = [
            f"Người mới: {n(len(todo.new_persons))}; người đã có: {n(todo.matched_persons)} "
            f"(cập nhật {n(len(todo.updated_persons))}).",
            f"Tham gia mô hình: thêm {n(len(todo.new_memberships))}, đã có "
            f"{n(todo.matched_memberships)}, đã thôi tham gia {n(todo.left)}.",
        ]
        if todo.new_models:
            lines.append("Mô hình mới: " + ", ".join(m.name for m in todo.new_models) + ".")
        if todo.events or todo.results:
            lines.append(f"Hoạt động: {n(len(todo.events))}; kết quả: {n(len(todo.results))}.")
        lines.append(f"Chờ xem xét: {n(len(todo.review))} (quyết định ngay: {n(decided)}). "
                     f"Dòng không nhập: {n(todo.excluded)}; dòng ẩn bỏ qua: "
                     f"{n(todo.skipped_hidden)}.")
        corrected = [f"Trang “{sheet}”, dòng {row}:" for sheet, row, key
                     in self.w.choices.corrections if key == "full_name"]
        warnings = [w for w in todo.warnings   # a name corrected at step 5 is settled
                    if not ("chữ hoa có dấu" in w and any(w.startswith(c) for c in corrected))]
        for warning in warnings[:10]:
            lines.append("Lưu ý: " + warning)
        for change in todo.changes[:10]:
            lines.append(f"Trang {change.sheet}, dòng {change.row}: {change.field} đã lưu "
                         f"“{change.stored}”, trong tệp “{change.in_file}”"
                         + (" (ghi theo tệp)." if change.applied else " (giữ như đã lưu)."))
        if todo.errors:
            lines.append(f"Có {n(len(todo.errors))} lỗi: tệp chưa thể nhập. Sửa tệp hoặc quay "
                         "lại các bước trước (dữ liệu không thay đổi).")
        else:
            lines.append("Không có lỗi. Bấm “Nhập vào dữ liệu” để ghi.")
        self.text.setText("\n".join(lines))
        self.errors.setRowCount(len(todo.errors))
        for r, error in enumerate(todo.errors):
            for c, value in enumerate((error.sheet, error.row, error.column, error.message)):
                self.errors.setItem(r, c, _item(value))
        self.errors.resizeColumnsToContents()
        self.errors.setVisible(bool(todo.errors))
        self.layout().setStretch(2, 0 if todo.errors else 1)
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return self.w.todo is not None and not self.w.todo.errors


class ImportPage(QWizardPage):
    """Step 8: the import in the background, with progress and Cancel."""

    moved = Signal(int, int)    # progress from the worker

    def __init__(self, wizard: IntakeWizard):
        super().__init__()
        self.w = wizard
        self.setTitle("Bước 8/8. Nhập vào dữ liệu")
        self.setSubTitle("Tệp được nhập trọn vẹn hoặc không nhập gì; hủy giữa chừng thì dữ "
                         "liệu không thay đổi.")
        layout = QVBoxLayout(self)
        self.status = QLabel("Đang nhập…")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.bar = QProgressBar()
        layout.addWidget(self.bar)
        self.cancel = QPushButton("Hủy nhập")
        self.cancel.clicked.connect(self.stop)
        row = QHBoxLayout()
        row.addWidget(self.cancel)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.control = None
        self.done = False
        self.moved.connect(self.advanced, Qt.QueuedConnection)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        self.done = False
        self.cancel.setEnabled(True)
        self.status.setText("Đang nhập…")
        self.bar.setRange(0, 0)
        todo, decisions = self.w.todo, dict(self.w.decisions)
        source = self.w.choices.source

        def work(job_ctx, control):
            def progress(done: int, total: int) -> bool:
                self.moved.emit(done, total)        # queued to the UI thread
                return control.report(done, total)

            result = apply_plan(job_ctx, todo, progress=progress)
            settled = 0
            for (sheet, row), value in decisions.items():
                item_id = review.queued_id(job_ctx, source, sheet, row)
                if item_id is None:
                    continue
                if value == "new":
                    review.decide(job_ctx, item_id, new=True)
                else:
                    review.decide(job_ctx, item_id, same=value)
                settled += 1
            return result, settled

        self.w.button(QWizard.CancelButton).setEnabled(False)
        self.control = jobs.run_on_station(
            self, self.w.ctx, work, needs="edit", on_success=self.finished,
            on_failure=self.failed, on_changed=self.w.window.data_changed,
            label="Đang nhập danh sách…", quiet=True)

    def advanced(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def stop(self) -> None:
        if self.control is not None:
            self.control.cancel()
            self.cancel.setEnabled(False)
            self.status.setText("Đang hủy…")

    def finished(self, outcome) -> None:
        result, settled = outcome
        self.w.result = result
        todo = self.w.todo
        n = format_number
        self.bar.setRange(0, 1)
        self.bar.setValue(1)
        self.status.setText(
            f"Đã nhập: {n(len(todo.new_persons))} người mới, {n(len(todo.new_memberships))} "
            f"lượt tham gia mô hình; {n(len(result.queued))} dòng chờ xem xét mới; "
            f"{n(settled)} dòng đã quyết định.")
        self._end()

    def failed(self, exc: BaseException) -> None:
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        if isinstance(exc, UserError):
            self.status.setText(str(exc))
        else:
            self.status.setText("Không nhập được; dữ liệu không thay đổi.")
            dialogs.show_exception(self, exc)
        self._end()

    def _end(self) -> None:
        self.done = True
        self.w.button(QWizard.CancelButton).setVisible(False)
        self.cancel.setEnabled(False)
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return self.done
