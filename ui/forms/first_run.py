"""The first-run wizard: who this station is, who signs its documents, what data to start with.

Three pages: the station (level, code, name, parent province), the document texts
(chief's name and title, place name, parent agency, certificate signer) stored as
the settings keys of :mod:`core.documents`, and an optional starting point (the
province's package, an existing data workbook, or sample data for training).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QButtonGroup, QFileDialog, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QRadioButton, QVBoxLayout, QWidget,
                               QWizard, QWizardPage)

from core.catalog import STATION_LEVELS
from core.errors import UserError
from core.station import Context, init_station, validate_identity
from core.text import clean, format_number
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


class StationPage(QWizardPage):
    """Level, code, name and (for a commune) the province's code."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTitle("Thông tin đơn vị")
        self.setSubTitle("Chào mừng! Đây là lần đầu chương trình chạy trên máy này. "
                         "Hãy nhập thông tin đơn vị sử dụng chương trình.")
        form = QFormLayout(self)
        self.level = ChoiceCombo([(i.label, i.code) for i in STATION_LEVELS.items], self)
        self.level.setToolTip("Công an xã: nhập dữ liệu phong trào của xã và gửi lên tỉnh.\n"
                              "Công an tỉnh: nhận tệp của các xã và tổng hợp.")
        self.code = QLineEdit(self)
        self.code.setPlaceholderText("ví dụ: CAX-TANPHU")
        self.code.setToolTip("Mã ngắn, không dấu, không khoảng trắng, dùng để nhận biết đơn vị "
                             "khi gửi tệp cho tỉnh.\nKhông đổi được sau khi khởi tạo.")
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("ví dụ: Công an xã Tân Phú")
        self.parent_code = QLineEdit(self)
        self.parent_code.setPlaceholderText("ví dụ: CAT-HOABINH")
        self.parent_code.setToolTip("Mã của Công an tỉnh nhận tệp của xã (hỏi Công an tỉnh). "
                                    "Có thể để trống và nhập sau.")
        self.parent_label = QLabel("Mã Công an tỉnh (cấp trên):", self)
        form.addRow("Cấp:", self.level)
        form.addRow("Mã đơn vị:", self.code)
        form.addRow("Tên đơn vị:", self.name)
        form.addRow(self.parent_label, self.parent_code)
        hint = QLabel("Mã đơn vị dùng để nhận biết đơn vị khi gửi và nhận tệp giữa xã và "
                      "tỉnh: nên dùng mã do Công an tỉnh thống nhất. Mã không đổi được sau "
                      "khi khởi tạo; tên đơn vị thì sửa được.", self)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        form.addRow(hint)
        self.error = _error_label(self)
        form.addRow(self.error)
        self.level.currentIndexChanged.connect(self._level_changed)
        self._level_changed()

    def _level_changed(self) -> None:
        commune = self.level.value() == "xa"
        self.parent_label.setVisible(commune)
        self.parent_code.setVisible(commune)

    def validatePage(self) -> bool:
        """Check the identity before going on (nothing is written yet)."""
        try:
            validate_identity(self.level.value(), self.code.text(), self.name.text())
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
        if not self.signer_title.text():
            self.signer_title.setText("TRƯỞNG CÔNG AN" if commune else "GIÁM ĐỐC")
        if not self.parent_agency.text():
            self.parent_agency.setText("CÔNG AN TỈNH" if commune else "BỘ CÔNG AN")
        self.cert_label.setText("Chủ tịch UBND xã (ký giấy khen):" if commune
                                else "Giám đốc Công an tỉnh (ký giấy khen):")
        self.cert_signer.setToolTip("Người ký giấy khen và quyết định khen thưởng "
                                    + ("của Chủ tịch UBND xã." if commune
                                       else "của Giám đốc Công an tỉnh."))
        if not commune and not self.cert_signer.text():
            self.cert_signer.setText(self.signer_name.text())

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

    def __init__(self, parent=None):
        super().__init__(parent)
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
        self.start = StartPage(self)
        for page in (self.station, self.documents, self.start):
            self.addPage(page)
        self.resize(640, 440)

    def finish_setup(self) -> bool:
        """Create the station, store the settings, apply the starting point; False keeps the page."""
        if self.context is None:
            try:
                self.context = init_station(
                    self.path, level=self.station.level.value(), code=self.station.code.text(),
                    name=self.station.name.text(),
                    parent_code=(self.station.parent_code.text()
                                 if self.station.level.value() == "xa" else None))
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
