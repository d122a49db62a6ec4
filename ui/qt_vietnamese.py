"""Vietnamese for the texts Qt draws itself (standard buttons, file and print dialogs).

PySide6 ships no ``qtbase_vi.qm``, so the buttons of message boxes and button
boxes (“OK”, “Cancel”, “Yes”…), the wizard's, the context menu of a text field,
and the file and print dialogs Qt draws on Linux (Windows shows its own, already
in Vietnamese) would speak English. :func:`install` puts a translator answering
Qt's own ``tr()`` calls from :data:`TEXTS` on
the application before any widget exists (``ui.app.make_application``), so every
dialog the program draws gets the texts, those that set no text of their own too.
:data:`TEXTS` is compiled into ``resources/translations/qt_vi.qm`` by
``scripts/make_qt_vi.py``; ``tests/ui/test_vietnamese.py`` checks the two agree.

The list was gathered by asking which texts Qt requests while it builds each of
those dialogs (see ``tests/ui/test_vietnamese.py``).
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QTranslator

from core.resources import resource_path

log = logging.getLogger(__name__)

_BUTTONS = {
    "OK": "Đồng ý", "Cancel": "Hủy", "&Yes": "&Có", "&No": "&Không", "Yes": "Có", "No": "Không",
    "Yes to &All": "Có với &tất cả", "N&o to All": "Khô&ng với tất cả",
    "Save": "Lưu", "Save All": "Lưu tất cả", "Open": "Mở", "Close": "Đóng",
    "Apply": "Áp dụng", "Reset": "Đặt lại", "Restore Defaults": "Khôi phục mặc định",
    "Help": "Trợ giúp", "Discard": "Bỏ", "Abort": "Dừng", "Retry": "Thử lại",
    "Ignore": "Bỏ qua", "Don't Save": "Không lưu", "Close without Saving": "Đóng không lưu",
}

_EDITING = {
    "&Undo": "&Hoàn tác", "&Redo": "&Làm lại", "Cu&t": "Cắ&t", "&Copy": "&Sao chép",
    "&Paste": "&Dán", "Delete": "Xóa", "Select All": "Chọn tất cả",
    "Copy &Link Location": "Sao chép địa chỉ &liên kết",
}

_FILE_DIALOG = {
    "&Choose": "&Chọn", "&Delete": "&Xóa", "&Look in:": "&Tìm trong:", "&New Folder": "Thư mục &mới",
    "&Open": "&Mở", "&Rename": "Đổi &tên", "&Save": "&Lưu", "All Files (*)": "Mọi tệp (*)",
    "Back": "Lùi", "Forward": "Tiến", "Go back": "Quay lại", "Go forward": "Đi tiếp",
    "Go to the parent directory": "Lên thư mục cha", "Parent Directory": "Thư mục cha",
    "Change to detail view mode": "Xem chi tiết", "Change to list view mode": "Xem danh sách",
    "Detail View": "Xem chi tiết", "List View": "Xem danh sách",
    "Create New Folder": "Tạo thư mục mới", "Create a New Folder": "Tạo thư mục mới",
    "New Folder": "Thư mục mới", "Directories": "Thư mục", "Directory:": "Thư mục:",
    "File &name:": "&Tên tệp:", "Files": "Tệp", "Files of &type:": "&Kiểu tệp:",
    "Folder &name:": "&Tên thư mục:",
    "List of places and bookmarks": "Các nơi và dấu trang", "Sidebar": "Thanh bên",
    "Show ": "Hiện ", "Show &hidden files": "Hiện tệp &ẩn", "Recent Places": "Nơi mở gần đây",
    "My Computer": "Máy tính", "Computer": "Máy tính", "Open": "Mở", "Save As": "Lưu thành",
    "Find Directory": "Tìm thư mục", "Save": "Lưu", "Remove": "Bỏ",
    "%1 already exists.\nDo you want to replace it?":
        "%1 đã có.\nGhi đè lên tệp đó?",
    "%1\nFile not found.\nPlease verify the correct file name was given.":
        "%1\nKhông tìm thấy tệp.\nHãy kiểm tra lại tên tệp.",
    "%1\nDirectory not found.\nPlease verify the correct directory name was given.":
        "%1\nKhông tìm thấy thư mục.\nHãy kiểm tra lại tên thư mục.",
    "'%1' is write protected.\nDo you want to delete it anyway?":
        "“%1” được bảo vệ chống ghi.\nVẫn xóa?",
    "Are you sure you want to delete '%1'?": "Xóa “%1”?",
    "Could not delete directory.": "Không xóa được thư mục.",
    "Unknown": "Không rõ", "Drive": "Ổ đĩa", "File": "Tệp", "File Folder": "Thư mục",
    "Folder": "Thư mục", "Alias": "Lối tắt", "Shortcut": "Lối tắt",
}

_FILE_MODEL = {
    "Name": "Tên", "Size": "Cỡ", "Type": "Loại", "Date Modified": "Ngày sửa",
    "Computer": "Máy tính", "My Computer": "Máy tính", "Kind": "Loại",
    "Invalid filename": "Tên tệp không hợp lệ",
    "<b>The name \"%1\" cannot be used.</b><p>Try using another name, with fewer characters "
    "or no punctuation marks.": "<b>Không dùng được tên “%1”.</b><p>Hãy chọn tên khác, "
    "ngắn hơn hoặc không có dấu câu.",
    "%1 TB": "%1 TB", "%1 GB": "%1 GB", "%1 MB": "%1 MB", "%1 KB": "%1 KB",
    "%1 bytes": "%1 byte", "%1 byte(s)": "%1 byte",
}

_PRINT_DIALOG = {
    "&Options >>": "&Tùy chọn >>", "&Options <<": "&Tùy chọn <<", "&Print": "&In", "Print": "In",
    "All Pages": "Mọi trang", "Odd Pages": "Trang lẻ", "Even Pages": "Trang chẵn",
    "Bottom to Top, Left to Right": "Dưới lên trên, trái sang phải",
    "Bottom to Top, Right to Left": "Dưới lên trên, phải sang trái",
    "Left to Right, Bottom to Top": "Trái sang phải, dưới lên trên",
    "Left to Right, Top to Bottom": "Trái sang phải, trên xuống dưới",
    "Right to Left, Bottom to Top": "Phải sang trái, dưới lên trên",
    "Right to Left, Top to Bottom": "Phải sang trái, trên xuống dưới",
    "Top to Bottom, Left to Right": "Trên xuống dưới, trái sang phải",
    "Top to Bottom, Right to Left": "Trên xuống dưới, phải sang trái",
    "Local file": "Tệp trên máy", "Print to File (PDF)": "In ra tệp (PDF)",
    "Write PDF file": "Ghi tệp PDF", "Print To File ...": "In ra tệp…",
    "Print current page": "In trang hiện tại", "Print selection": "In phần đang chọn",
    "Print range": "Phạm vi in", "Print all": "In tất cả",
    "File exists": "Tệp đã có",
    "<qt>Do you want to overwrite it?</qt>": "<qt>Ghi đè lên tệp đó?</qt>",
    "%1 already exists.\nDo you want to overwrite it?": "%1 đã có.\nGhi đè lên tệp đó?",
    "The 'From' value cannot be greater than the 'To' value.":
        "Trang “từ” không được lớn hơn trang “đến”.",
    "%1 is a directory.\nPlease choose a different file name.":
        "%1 là một thư mục.\nHãy chọn tên tệp khác.",
    "File %1 is not writable.\nPlease choose a different file name.":
        "Không ghi được tệp %1.\nHãy chọn tên tệp khác.",
    "Options 'Pages Per Sheet' and 'Page Set' cannot be used together.\n"
    "Please turn one of those options off.":
        "Không dùng được cùng lúc “Số trang mỗi tờ” và “Nhóm trang”.\nHãy tắt một trong hai.",
    "Automatic": "Tự động",
}

_PRINT_WIDGET = {
    "&Name:": "&Tên:", "...": "...", "Form": "Mẫu", "Location:": "Vị trí:",
    "Output &file:": "&Tệp xuất:", "P&roperties": "Th&uộc tính", "Preview": "Xem trước",
    "Printer": "Máy in", "Type:": "Loại:",
}

_PRINT_OUTPUT = {
    "Collate": "Sắp theo bộ", "Color": "Màu", "Color Mode": "Chế độ màu", "Copies": "Số bản",
    "Copies:": "Số bản:", "Current Page": "Trang hiện tại",
    "Double Sided Printing": "In hai mặt", "Form": "Mẫu", "Grayscale": "Thang xám",
    "Long side binding": "Đóng gáy cạnh dài", "Short side binding": "Đóng gáy cạnh ngắn",
    "Off": "Tắt", "Options": "Tùy chọn", "Output Settings": "Thiết lập in",
    "Page &Set:": "&Nhóm trang:", "Pages": "Trang", "Pages from": "Trang từ",
    "Print all": "In tất cả", "Print range": "Phạm vi in", "Reverse": "Ngược thứ tự",
    "Selection": "Phần đang chọn", "to": "đến",
    "Specify pages or ranges separated by commas. Ranges are specified by two numbers "
    "separated by a hyphen. E.g: 3,5-7,9 prints pages 3, 5, 6, 7 and 9.":
        "Ghi các trang hoặc khoảng trang, cách nhau bằng dấu phẩy; khoảng trang là hai số "
        "nối bằng dấu gạch ngang. Ví dụ: 3,5-7,9 in các trang 3, 5, 6, 7 và 9.",
}

_PAGE_SETUP = {
    "Cicero (CC)": "Cicero (CC)", "Custom": "Tùy chỉnh", "Didot (DD)": "Didot (DD)",
    "Form": "Mẫu", "Height:": "Cao:", "Width:": "Rộng:", "Inches (in)": "Inch (in)",
    "Millimeters (mm)": "Milimét (mm)", "Points (pt)": "Điểm (pt)", "Pica (P̸)": "Pica (P̸)",
    "Landscape": "Ngang", "Portrait": "Dọc", "Reverse landscape": "Ngang, ngược",
    "Reverse portrait": "Dọc, ngược", "Margins": "Lề", "Orientation": "Hướng giấy",
    "Page &order:": "&Thứ tự trang:", "Page Layout": "Bố cục trang", "Page size:": "Khổ giấy:",
    "Pages &per sheet:": "Số trang mỗi &tờ:", "Paper": "Giấy", "Paper source:": "Nguồn giấy:",
    "bottom margin": "lề dưới", "left margin": "lề trái", "right margin": "lề phải",
    "top margin": "lề trên", "mm": "mm", "Centimeters (cm)": "Xentimét (cm)",
}

_PAGE_SIZES = {
    "Custom": "Tùy chỉnh", "Postcard": "Bưu thiếp", "Double Postcard": "Bưu thiếp đôi",
    "Note": "Giấy ghi chú",
    **{f"Envelope {name}": f"Phong bì {name}" for name in (
        "B4", "B5", "B6", "C0", "C1", "C2", "C3", "C4", "C5", "C6", "C65", "C7", "Chou 3",
        "Chou 4", "DL", "Invite", "Italian", "Kaku 2", "Kaku 3", "Monarch", "PRC 1", "PRC 10",
        "PRC 2", "PRC 3", "PRC 4", "PRC 5", "PRC 6", "PRC 7", "PRC 8", "PRC 9", "Personal",
        "US 10", "US 11", "US 12", "US 14", "US 9")},
}

TEXTS: dict[str, dict[str, str]] = {
    "QPlatformTheme": _BUTTONS,
    "QDialogButtonBox": {**_BUTTONS, "&OK": "Đồng &ý", "&Cancel": "&Hủy", "&Close": "Đó&ng",
                         "&Save": "&Lưu", "&Help": "&Trợ giúp"},
    "QMessageBox": {**_BUTTONS, "Show Details...": "Xem chi tiết…",
                    "Hide Details...": "Ẩn chi tiết…", "About Qt": "Giới thiệu Qt"},
    "QInputDialog": {"Enter a value:": "Nhập giá trị:"},
    "QWizard": {"&Finish": "&Xong", "&Next >": "&Tiếp >", "< &Back": "< &Quay lại",
                "Cancel": "Hủy", "Commit": "Xác nhận", "Continue": "Tiếp tục",
                "Done": "Xong", "Go Back": "Quay lại", "Help": "Trợ giúp", "&Next": "&Tiếp"},
    "QProgressDialog": {"Cancel": "Hủy"},
    "QLineEdit": _EDITING,
    "QWidgetTextControl": _EDITING,
    "QAbstractSpinBox": {"&Select All": "&Chọn tất cả", "&Step up": "&Tăng",
                         "Step &down": "&Giảm"},
    "QScrollBar": {"Scroll here": "Cuộn tới đây", "Left edge": "Mép trái", "Top": "Trên cùng",
                   "Right edge": "Mép phải", "Bottom": "Dưới cùng", "Page left": "Trang trái",
                   "Page up": "Lên một trang", "Page right": "Trang phải",
                   "Page down": "Xuống một trang", "Scroll left": "Cuộn trái",
                   "Scroll up": "Cuộn lên", "Scroll right": "Cuộn phải",
                   "Scroll down": "Cuộn xuống"},
    "QTabBar": {"Scroll Left": "Cuộn trái", "Scroll Right": "Cuộn phải"},
    "QFileDialog": _FILE_DIALOG,
    "QFileSystemModel": _FILE_MODEL,
    "QAbstractFileIconProvider": {"Drive": "Ổ đĩa", "Folder": "Thư mục", "File": "Tệp",
                                  "Unknown": "Không rõ"},
    "QPrintDialog": _PRINT_DIALOG,
    "QPrintWidget": _PRINT_WIDGET,
    "QUnixPrintWidget": _PRINT_WIDGET,
    "QPrintSettingsOutput": _PRINT_OUTPUT,
    "QPageSetupWidget": _PAGE_SETUP,
    "QPageSetupDialog": {"Page Setup": "Thiết lập trang"},
    "QPrintPreviewDialog": {"Page Setup": "Thiết lập trang", "Print Preview": "Xem trước khi in",
                            "Print": "In", "Close": "Đóng"},
    "QPrintPropertiesDialog": {"Printer Properties": "Thuộc tính máy in",
                               "Job Options": "Tùy chọn lệnh in", "Page": "Trang",
                               "Advanced": "Nâng cao", "Form": "Mẫu"},
    "QPageSize": _PAGE_SIZES,
    "QColorDialog": {"Select Color": "Chọn màu"},
}


QM_PATH = resource_path("translations/qt_vi.qm")
"""The compiled :data:`TEXTS` (``scripts/make_qt_vi.py`` builds it)."""

_installed: list[QTranslator] = []


def install(app: QCoreApplication) -> QTranslator | None:
    """Load the Vietnamese texts on *app* (once); widgets built afterwards use them.

    A plain QTranslator reading the .qm: Qt answers every tr() call in C++, from
    worker threads too (a Python translator would be called back from them).
    """
    if not _installed:
        translator = QTranslator(app)
        if not translator.load(str(QM_PATH)):
            log.warning("Qt's Vietnamese texts not found: %s", QM_PATH)
            return None
        app.installTranslator(translator)
        _installed.append(translator)
    return _installed[0]


ENGLISH_BUTTONS = frozenset(
    text.replace("&", "") for text in (*_BUTTONS, "&OK", "Show Details...", "Hide Details...",
                                       "&Finish", "&Next >", "< &Back", "Commit", "&Print",
                                       "&Options >>"))
"""The English texts a standard button shows when nothing translates it (for tests)."""
