"""The first-run wizard: who this station is, who signs its documents, what data to start with.

Three pages: the station (level, then the province and the commune picked from
the official list of administrative units, or a free code and name), the document texts
(chief's name and title, place name, parent agency, certificate signer) stored as
the settings keys of :mod:`core.documents`, and an optional starting point (the
province's package, an existing data workbook, or sample data for training).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QFileDialog, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton,
                               QRadioButton, QVBoxLayout, QWidget, QWizard, QWizardPage)

from core.errors import UserError
from core.station import Context, init_station, validate_identity
from core.text import clean, fold, format_number
from ui import dialogs, jobs, tasks
from ui.widgets import ChoiceCombo

# The starting points offered on the last page.
START_EMPTY, START_PACKAGE, START_WORKBOOK, START_SAMPLE = "empty", "package", "workbook", "sample"
SAMPLE_SCALE = 0.2
SAMPLE_LABEL = "Dữ liệu mẫu để tập huấn"


def _error_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setStyleSheet("color: #b00020;")
    label.setWordWrap(True)
    return label


LEVEL_CHOICES = [("Công an xã / phường / đặc khu", "xa"), ("Công an tỉnh / thành phố", "tinh")]
COMMUNE_FIRST_DAY = (
    "Trước khi gửi được dữ liệu lên tỉnh, xã cần nhận tệp của Công an tỉnh (tệp .antq, "
    "mang theo khóa của tỉnh): chép tệp từ USB do Công an tỉnh giao hoặc tải từ kênh "
    "chính thức của tỉnh, rồi chọn “Nhận gói dữ liệu do Công an tỉnh gửi” ở bước cuối "
    "hoặc ở thẻ “Trao đổi dữ liệu” ▸ “Nhận tệp…”.")


class StationPage(QWizardPage):
    """Level, then the province and the commune from the official list (or a free code)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        from core import admin_units
        self.setTitle("Thông tin đơn vị")
        self.setSubTitle("Chào mừng! Đây là lần đầu chương trình chạy trên máy này. "
                         "Hãy chọn đơn vị sử dụng chương trình trong danh mục đơn vị "
                         "hành chính (từ 01/07/2025).")
        self.units = admin_units.bundled_units()
        form = QFormLayout(self)
        self.level = ChoiceCombo(LEVEL_CHOICES, self)
        self.level.setToolTip("Công an xã, phường, đặc khu: nhập dữ liệu phong trào và gửi "
                              "lên tỉnh.\nCông an tỉnh, thành phố: nhận tệp của các xã và "
                              "tổng hợp.")
        self.province = ChoiceCombo(
            [(u.name, u.code) for u in sorted(
                (u for u in self.units if u.level == "tinh"), key=lambda u: fold(u.name))],
            self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Gõ tên để tìm, không cần dấu: “quy nhon”")
        self.search.setClearButtonEnabled(True)
        self.commune = QListWidget(self)
        self.commune.setMinimumHeight(120)
        self.commune_label = QLabel("Xã / phường / đặc khu:", self)
        self.chosen = QLabel(self)
        self.chosen.setStyleSheet("font-weight: bold;")
        self.unlisted = QCheckBox("Đơn vị không có trong danh mục (tập huấn, đơn vị mới "
                                  "thành lập): tự nhập mã và tên", self)
        self.code = QLineEdit(self)
        self.code.setPlaceholderText("ví dụ: TAPHUAN-01")
        self.code.setToolTip("Mã ngắn, không dấu, không khoảng trắng. Không đổi được sau khi "
                             "khởi tạo.")
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("ví dụ: Công an xã Tân Phú")
        self.parent_code = QLineEdit(self)
        self.parent_code.setPlaceholderText("ví dụ: 52")
        self.parent_code.setToolTip("Mã của Công an tỉnh nhận tệp của xã. Có thể để trống.")
        self.parent_label = QLabel("Mã Công an tỉnh (cấp trên):", self)
        self.code_label, self.name_label = QLabel("Mã đơn vị:", self), QLabel("Tên đơn vị:", self)
        form.addRow("Cấp:", self.level)
        form.addRow("Tỉnh / thành phố:", self.province)
        form.addRow(self.commune_label, self.search)
        form.addRow("", self.commune)
        form.addRow("Tên đơn vị:", self.chosen)
        form.addRow(self.unlisted)
        form.addRow(self.code_label, self.code)
        form.addRow(self.name_label, self.name)
        form.addRow(self.parent_label, self.parent_code)
        self.first_day = QLabel(COMMUNE_FIRST_DAY, self)
        self.first_day.setWordWrap(True)
        self.first_day.setStyleSheet("color: #555;")
        form.addRow(self.first_day)
        self.error = _error_label(self)
        form.addRow(self.error)
        self.level.currentIndexChanged.connect(self._level_changed)
        self.province.currentIndexChanged.connect(self._fill_communes)
        self.search.textChanged.connect(self._fill_communes)
        self.commune.currentRowChanged.connect(self._show_choice)
        self.unlisted.toggled.connect(self._level_changed)
        self._level_changed()

    def _level_changed(self) -> None:
        commune, free = self.level.value() == "xa", self.unlisted.isChecked()
        for widget in (self.province, self.chosen):
            widget.setEnabled(not free)
        for widget in (self.commune_label, self.search, self.commune):
            widget.setVisible(commune and not free)
        for widget in (self.code, self.name, self.code_label, self.name_label):
            widget.setVisible(free)
        self.parent_label.setVisible(commune and free)
        self.parent_code.setVisible(commune and free)
        self.first_day.setVisible(commune)
        self._fill_communes()

    def _fill_communes(self) -> None:
        words = fold(clean(self.search.text())).split()
        province = self.province.value()
        self.commune.clear()
        for unit in sorted((u for u in self.units if u.parent_code == province),
                           key=lambda u: fold(u.name)):
            if all(w in fold(unit.name) for w in words):
                item = QListWidgetItem(f"{unit.name}  ({unit.code})")
                item.setData(Qt.ItemDataRole.UserRole, unit)
                self.commune.addItem(item)
        if self.commune.count() == 1:
            self.commune.setCurrentRow(0)
        self._show_choice()

    def selected_unit(self):
        """The official unit chosen (province or commune), or None."""
        if self.unlisted.isChecked():
            return None
        if self.level.value() == "tinh":
            return next((u for u in self.units if u.code == self.province.value()), None)
        item = self.commune.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _show_choice(self, *_) -> None:
        unit = self.selected_unit()
        self.chosen.setText(f"{unit.station_name} — mã {unit.code}" if unit else "")

    def identity(self) -> dict:
        """The arguments of init_station for the choice made."""
        unit = self.selected_unit()
        if unit is not None:
            return {"level": unit.level, "code": unit.code}
        commune = self.level.value() == "xa"
        return {"level": self.level.value(), "code": self.code.text(),
                "name": self.name.text(),
                "parent_code": self.parent_code.text() if commune else None}

    def validatePage(self) -> bool:
        """Check the identity before going on (nothing is written yet)."""
        try:
            if not self.unlisted.isChecked():
                if self.selected_unit() is None:
                    raise UserError("Hãy chọn xã, phường hoặc đặc khu trong danh sách (gõ "
                                    "tên để tìm), hoặc đánh dấu “không có trong danh mục”.")
            else:
                ident = self.identity()
                validate_identity(ident["level"], ident["code"], ident["name"])
                if any(u.code == clean(ident["code"]) and u.level == ident["level"]
                       for u in self.units):
                    raise UserError(f"Mã “{clean(ident['code'])}” có trong danh mục: hãy "
                                    "bỏ đánh dấu “không có trong danh mục” và chọn trong "
                                    "danh sách.")
        except UserError as exc:
            self.error.setText(str(exc))
            return False
        self.error.clear()
        return True


class DocumentsPage(QWizardPage):
    """The texts printed on reports and certificates (settings of core.documents)."""

    def __init__(self, station: StationPage, parent=None):
        super().__init__(parent)
        self.station = station
        self.setTitle("Thông tin in trên văn bản")
        self.setSubTitle("In ở đầu và cuối báo cáo, quyết định và giấy khen. Có thể để trống "
                         "và nhập sau ở Tệp ▸ Cài đặt văn bản…; khi in, chương trình "
                         "sẽ nhắc nếu còn thiếu.")
        form = QFormLayout(self)
        self.place = QLineEdit(self)
        self.place.setPlaceholderText("ví dụ: Tân Phú")
        self.place.setToolTip("Địa danh ghi trước ngày tháng: “Tân Phú, ngày … tháng … năm …”.")
        self.signer_name = QLineEdit(self)
        self.signer_name.setPlaceholderText("ví dụ: Bùi Văn Thắng")
        self.signer_title = QLineEdit(self)
        self.signer_title.setToolTip("Chức vụ in ở khối chữ ký của báo cáo (chữ in hoa).")
        self.parent_agency = QLineEdit(self)
        self.parent_agency.setToolTip("Dòng trên cùng của tiêu đề văn bản, bên trái.")
        self.cert_signer = QLineEdit(self)
        self.cert_signer.setPlaceholderText("ví dụ: Nguyễn Văn An")
        self.cert_label = QLabel(self)
        form.addRow("Địa danh:", self.place)
        form.addRow("Họ tên lãnh đạo ký báo cáo:", self.signer_name)
        form.addRow("Chức vụ người ký:", self.signer_title)
        form.addRow("Cơ quan cấp trên:", self.parent_agency)
        form.addRow(self.cert_label, self.cert_signer)

    def initializePage(self) -> None:
        """Defaults that follow the level chosen on the first page."""
        commune = self.station.level.value() == "xa"
        # The defaults are shown, not stored: left empty, the documents work them out
        # from what is known when printing (the station's kind, the province's name from
        # the official list or from its package), which a stored text would freeze.
        title, parent = self.default_texts()
        self.signer_title.setPlaceholderText(f"mặc định: {title}")
        self.parent_agency.setPlaceholderText(f"mặc định: {parent}")
        self.cert_label.setText("Chủ tịch UBND xã (ký giấy khen):" if commune
                                else "Giám đốc Công an tỉnh (ký giấy khen):")
        self.cert_signer.setToolTip("Người ký giấy khen và quyết định khen thưởng "
                                    + ("của Chủ tịch UBND xã." if commune
                                       else "của Giám đốc Công an tỉnh."))
        if not commune and not self.cert_signer.text():
            self.cert_signer.setText(self.signer_name.text())

    def default_texts(self) -> tuple[str, str]:
        """(signer's title, parent agency) the documents print when these are left empty."""
        if self.station.level.value() != "xa":
            return "GIÁM ĐỐC", "BỘ CÔNG AN"
        unit = self.station.selected_unit()
        name = (unit.station_name if unit else clean(self.station.name.text())).lower()
        kind = "PHƯỜNG" if "phường" in name else "ĐẶC KHU" if "đặc khu" in name else "XÃ"
        parent_code = unit.parent_code if unit else clean(self.station.parent_code.text())
        province = next((u for u in self.station.units
                         if u.code == parent_code and u.level == "tinh"), None)
        parent = (province.station_name.upper() if province else
                  "CÔNG AN TỈNH (tên tỉnh lấy từ tệp Công an tỉnh gửi xuống)")
        return f"TRƯỞNG CÔNG AN {kind}", parent

    def settings(self) -> dict[str, str]:
        """The document settings to store (only the ones filled in)."""
        authority = ("chu_tich_ubnd_xa" if self.station.level.value() == "xa"
                     else "giam_doc_ca_tinh")
        values = {"doc.place": self.place.text(), "doc.signer_name": self.signer_name.text(),
                  "doc.signer_title": self.signer_title.text(),
                  "doc.parent_agency": self.parent_agency.text(),
                  f"cert.{authority}.signer_name": self.cert_signer.text()}
        return {key: clean(value) for key, value in values.items() if clean(value)}


class StartPage(QWizardPage):
    """An optional starting point: nothing, a package, a workbook or sample data."""

    def __init__(self, station: StationPage | None = None, parent=None):
        super().__init__(parent)
        self.station = station
        self.setTitle("Dữ liệu ban đầu")
        self.setSubTitle("Chọn cách bắt đầu. Nếu chưa chắc, chọn “dữ liệu trống”: nhập Excel "
                         "làm được sau ở trình đơn Tệp, nhận gói ở thẻ “Trao đổi dữ liệu”.")
        layout = QVBoxLayout(self)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for code, text in (
                (START_EMPTY, "Bắt đầu với dữ liệu trống"),
                (START_PACKAGE, "Nhận gói dữ liệu do Công an tỉnh gửi (tệp .antq)"),
                (START_WORKBOOK, "Nhập sổ Excel dữ liệu đang có (theo sổ mẫu của chương trình)"),
                (START_SAMPLE, f"{SAMPLE_LABEL} (không dùng cho dữ liệu thật)")):
            button = QRadioButton(text, self)
            self.group.addButton(button)
            self.buttons[code] = button
            layout.addWidget(button)
        self.buttons[START_EMPTY].setChecked(True)
        self.buttons[START_SAMPLE].setToolTip(
            "Điền khoảng 400 hội viên, mô hình, sự kiện… hư cấu để tập huấn cách dùng.\n"
            "Không dùng trên máy chứa dữ liệu thật.")
        row = QHBoxLayout()
        self.file = QLineEdit(self)
        self.file.setPlaceholderText("Đường dẫn tệp gói (.antq) hoặc sổ Excel (.xlsx)")
        self.browse = QPushButton("Chọn tệp…", self)
        self.browse.clicked.connect(self._browse)
        row.addWidget(self.file)
        row.addWidget(self.browse)
        layout.addLayout(row)
        self.error = _error_label(self)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.group.buttonToggled.connect(lambda *_: self._choice_changed())
        self._choice_changed()

    def initializePage(self) -> None:
        """A province receives no province's package: that choice is for communes only."""
        commune = self.station is None or self.station.level.value() == "xa"
        self.buttons[START_PACKAGE].setVisible(commune)
        if not commune and self.buttons[START_PACKAGE].isChecked():
            self.buttons[START_EMPTY].setChecked(True)
        self.setSubTitle(
            "Chọn cách bắt đầu. Nếu chưa chắc, chọn “dữ liệu trống”. " + (
                COMMUNE_FIRST_DAY if commune else
                "Nhập Excel làm được sau ở trình đơn Tệp; tệp của các xã nhận ở thẻ "
                "“Trao đổi dữ liệu”."))

    def choice(self) -> str:
        """The starting point chosen."""
        return next(code for code, button in self.buttons.items() if button.isChecked())

    def _choice_changed(self) -> None:
        needs_file = self.choice() in (START_PACKAGE, START_WORKBOOK)
        self.file.setEnabled(needs_file)
        self.browse.setEnabled(needs_file)
        self.error.clear()

    def _browse(self) -> None:
        pattern = ("Gói dữ liệu (*.antq)" if self.choice() == START_PACKAGE
                   else "Sổ Excel (*.xlsx)")
        path = QFileDialog.getOpenFileName(self, "Chọn tệp", "", pattern)[0]
        if path:
            self.file.setText(path)

    def validatePage(self) -> bool:
        """A package or workbook start needs an existing file."""
        if self.choice() in (START_PACKAGE, START_WORKBOOK):
            path = clean(self.file.text())
            if not path or not Path(path).is_file():
                self.error.setText("Hãy chọn tệp (nút “Chọn tệp…”), hoặc chọn "
                                   "“Bắt đầu với dữ liệu trống”.")
                return False
        return self.wizard().finish_setup()


class FirstRunWizard(QWizard):
    """Create the station database, store the document texts, take in the first data."""

    def __init__(self, path: Path, parent=None):
        super().__init__(parent)
        self.path = Path(path)
        self.context: Context | None = None
        self.follow_up: tuple[str, str] | None = None   # (START_WORKBOOK, path) for the window
        self.sample_written: int | None = None           # records of sample data filled
        self.sample_task = None                          # the filling under way
        self.setWindowTitle("Khởi tạo đơn vị sử dụng")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, False)
        self.setButtonText(QWizard.WizardButton.NextButton, "Tiếp tục >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< Quay lại")
        self.setButtonText(QWizard.WizardButton.FinishButton, "Bắt đầu")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Thoát")
        self.station = StationPage(self)
        self.documents = DocumentsPage(self.station, self)
        self.start = StartPage(self.station, self)
        for page in (self.station, self.documents, self.start):
            self.addPage(page)
        self.resize(680, 600)

    def finish_setup(self) -> bool:
        """Create the station, store the settings, apply the starting point; False keeps the page."""
        if self.context is None:
            try:
                self.context = init_station(self.path, **self.station.identity())
            except UserError as exc:
                self.start.error.setText(str(exc))
                return False
            for key, value in self.documents.settings().items():
                self.context.set_setting(key, value)
        choice, path = self.start.choice(), clean(self.start.file.text())
        try:
            if choice == START_SAMPLE:
                return self._sample_ready()
            elif choice == START_PACKAGE:
                return self._take_package(path)
            elif choice == START_WORKBOOK:
                self.follow_up = (START_WORKBOOK, path)
        except UserError as exc:
            self.start.error.setText(str(exc))
            return False
        return True

    def _sample_ready(self) -> bool:
        """True once the sample data is in; else start filling it (False keeps the page).

        The filling (about a second) runs through :func:`ui.jobs.run_on_station` on its own
        connection, in one transaction: a failure leaves the new station empty.
        When it is done the wizard finishes by itself.
        """
        if self.sample_written is not None:
            return True
        if self.sample_task is not None:          # already filling: a second click waits
            return False
        from core import sample_data

        def work(own: Context, control: tasks.TaskControl) -> int:
            return sample_data.fill(own, sample_data.generate(SAMPLE_SCALE))

        def done(written: int) -> None:
            self.sample_task = None
            self.sample_written = written
            self.context.set_setting("ui.sample_data", True)
            self.start.setEnabled(True)
            dialogs.inform(self, f"Đã điền {format_number(written)} bản ghi "
                                 f"{SAMPLE_LABEL.lower()}.\nĐây là dữ liệu hư cấu, chỉ để "
                                 "tập huấn.", SAMPLE_LABEL)
            self.accept()

        def failed(exc: BaseException) -> None:
            self.sample_task = None
            self.start.setEnabled(True)
            if not isinstance(exc, UserError):
                dialogs.show_bug(self, exc)          # logged with its traceback
            self.start.error.setText(
                "Không điền được dữ liệu mẫu" + (f": {exc}" if isinstance(exc, UserError)
                                                 else ".")
                + " Đơn vị vẫn trống; có thể thử lại hoặc chọn cách bắt đầu khác.")

        self.start.error.clear()
        self.start.setEnabled(False)
        self.sample_task = jobs.run_on_station(self, self.context, work, needs="edit",
                                               on_success=done, on_failure=failed,
                                               label="Đang điền dữ liệu mẫu…",
                                               cancellable=False)
        return False

    def _take_package(self, path: str) -> bool:
        """Verify the province's package, confirm its fingerprint, take it in."""
        from core.exchange import import_files, verify_file
        check = verify_file(self.context, path)
        if not check.ok:
            self.start.error.setText(check.reason)
            return False
        if not check.trusted and not dialogs.confirm(
                self, f"Gói của “{check.sender_name}” ({check.sender}).\n\n"
                      f"Dấu vân tay khóa:\n{check.fingerprint}\n\n"
                      "Hãy đối chiếu dấu vân tay này với đơn vị gửi (qua điện thoại hoặc "
                      "văn bản). Tin cậy đơn vị này và nhận gói?", "Xác nhận đơn vị gửi"):
            self.start.error.setText("Chưa nhận gói. Có thể chọn cách bắt đầu khác.")
            return False
        (result,) = import_files(self.context, [path], trust_new=True)
        if result.status not in ("applied", "already_applied"):
            self.start.error.setText(result.reason or "Không nhận được gói.")
            return False
        dialogs.inform(self, f"Đã nhận gói số {result.sequence} của {result.sender}: "
                             f"thêm {format_number(result.inserted)}, cập nhật "
                             f"{format_number(result.updated)} bản ghi.", "Nhận gói dữ liệu")
        return True


# The dialog's old name, kept for callers.
FirstRunDialog = FirstRunWizard
