"""The data workbook's layout (docs/workbook.md): sheets, their columns and how to read them.

The import, the export and the blank template all work from these definitions, so
the three always agree. A column's ``key`` is the name of the record field it fills
(``Membership.model_id`` for "Mô hình" on "Thành viên"), which is also how a
:class:`core.errors.FieldError` from a service validator finds its column.
"""
from __future__ import annotations

from dataclasses import dataclass

from core.text import fold

# How a cell is read (see core.workbook.cells).
TEXT, DATE, BIRTH, WHOLE, YEAR, BOOL = "text", "date", "birth", "whole", "year", "bool"
ID_NUMBER, PHONE, CATALOG, REF, REFS = "id_number", "phone", "catalog", "ref", "refs"
OLD_ID_NUMBER = "old_id_number"


@dataclass(frozen=True)
class Column:
    """One column of a sheet."""

    header: str
    key: str
    kind: str = TEXT
    required: bool = False
    catalog: str | None = None  # catalogue name for CATALOG (and the template's list)
    width: int = 18
    hint: str = ""
    # Required only when one of these columns has a value in the same row.
    required_with: tuple[str, ...] = ()

    @property
    def folded(self) -> str:
        """The header as it is matched (case, diacritics and spaces ignored)."""
        return fold(self.header)


@dataclass(frozen=True)
class Sheet:
    """One sheet of the workbook."""

    name: str
    columns: tuple[Column, ...]

    @property
    def folded(self) -> str:
        """The sheet name as it is matched."""
        return fold(self.name)

    def column(self, key: str) -> Column | None:
        """The column filling record field *key*, if the sheet has one."""
        for column in self.columns:
            if column.key == key:
                return column
        return None

    def header_for(self, key: str) -> str:
        """The header of *key*'s column, or the first column's for other fields."""
        column = self.column(key)
        return (column or self.columns[0]).header

    def by_folded_header(self) -> dict[str, Column]:
        """Columns by folded header."""
        return {c.folded: c for c in self.columns}


_DATE_HINT = "Ngày dạng dd/mm/yyyy hoặc ô kiểu ngày của Excel."
_YES_NO = "Có hoặc Không."

UNITS = Sheet("Đơn vị", (
    Column("Tên đơn vị", "name", required=True, width=30),
    Column("Loại", "type", CATALOG, required=True, catalog="unit_type", width=18),
    Column("Thuộc", "parent_id", REF, width=26,
           hint="Tên đơn vị cấp trên (nếu có)."),
    Column("Địa chỉ", "address", width=30),
    Column("Người đứng đầu", "head", width=24),
    Column("Số điện thoại", "phone", PHONE, width=16),
    Column("Số hộ", "households", WHOLE, width=10),
    Column("Năm", "year", YEAR, width=8,
           hint="Năm đăng ký / công nhận “An toàn về an ninh, trật tự”."),
    Column("Đăng ký an toàn", "registered", BOOL, catalog="yes_no", width=16, hint=_YES_NO),
    Column("Đạt chuẩn an toàn", "recognised", BOOL, catalog="yes_no", width=18,
           hint=_YES_NO),
    Column("Số quyết định công nhận", "decision_no", width=24),
))

MODELS = Sheet("Mô hình", (
    Column("Tên mô hình", "name", required=True, width=32),
    Column("Loại mô hình", "type", CATALOG, required=True, catalog="model_type", width=30),
    Column("Đơn vị", "unit_ids", REFS, required=True, width=30,
           hint="Nơi mô hình hoạt động; nhiều đơn vị cách nhau bằng dấu “;”."),
    Column("Ngày ra mắt", "launch_date", DATE, width=14, hint=_DATE_HINT),
    Column("Số quyết định thành lập", "decision_no", width=22),
    Column("Ngày quyết định", "decision_date", DATE, width=16, hint=_DATE_HINT),
    Column("Tình trạng", "status", CATALOG, catalog="model_status", width=20),
    Column("Điển hình tiên tiến", "advanced", BOOL, catalog="yes_no", width=18,
           hint=_YES_NO),
    Column("Ghi chú", "notes", width=30),
))

MEMBERS = Sheet("Thành viên", (
    Column("Họ và tên", "full_name", required=True, width=26),
    Column("Ngày sinh", "birth_date", BIRTH, width=12,
           hint="dd/mm/yyyy, hoặc chỉ năm sinh (1980)."),
    Column("Giới tính", "gender", CATALOG, catalog="gender", width=10),
    Column("Số định danh", "id_number", ID_NUMBER, width=16,
           hint="Số định danh cá nhân / CCCD: 12 chữ số (nhập dạng văn bản)."),
    Column("Số CMND cũ", "old_id_number", OLD_ID_NUMBER, width=14,
           hint="Số chứng minh nhân dân cũ: 9 chữ số (nhập dạng văn bản)."),
    Column("Dân tộc", "ethnicity", width=12,
           hint="Tên một trong 54 dân tộc Việt Nam (Kinh, Tày, Ê-đê, Mông, …)."),
    Column("Tôn giáo", "religion", width=12),
    Column("Nghề nghiệp", "occupation", width=20),
    Column("Địa chỉ", "address", width=30),
    Column("Số điện thoại", "phone", PHONE, width=14),
    Column("Mô hình", "model_id", REF, width=30,
           required_with=("role", "join_date", "leave_date", "notes"),
           hint="Mỗi dòng là một lần tham gia một mô hình. Chỉ để trống ở dòng chỉ ghi "
                "thông tin người (chưa tham gia mô hình nào)."),
    Column("Chức vụ", "role", CATALOG, catalog="role", width=14,
           hint="Tổ trưởng, Tổ phó hoặc Thành viên (mặc định); ở câu lạc bộ: Chủ nhiệm, "
                "Phó chủ nhiệm hoặc Hội viên."),
    Column("Ngày tham gia", "join_date", DATE, width=14, hint=_DATE_HINT),
    Column("Ngày thôi tham gia", "leave_date", DATE, width=16, hint=_DATE_HINT),
    Column("Ghi chú", "notes", width=30),
))

EVENTS = Sheet("Sự kiện", (
    Column("Ngày", "date", DATE, required=True, width=12, hint=_DATE_HINT),
    Column("Loại sự kiện", "type", CATALOG, required=True, catalog="event_type", width=28),
    Column("Nội dung", "title", required=True, width=40),
    Column("Đơn vị", "unit_id", REF, width=26),
    Column("Mô hình", "model_ids", REFS, width=30,
           hint="Nhiều mô hình cách nhau bằng dấu “;”."),
    Column("Số lượt người tham gia", "participants", WHOLE, width=14),
    Column("Ghi chú", "notes", width=30),
))

RESULTS = Sheet("Kết quả", (
    Column("Ngày", "date", DATE, required=True, width=12, hint=_DATE_HINT),
    Column("Loại kết quả", "type", CATALOG, required=True, catalog="result_type", width=36),
    Column("Số lượng", "quantity", WHOLE, required=True, width=10,
           hint="Số nguyên không âm."),
    Column("Đơn vị", "unit_id", REF, width=26),
    Column("Mô hình", "model_id", REF, width=30),
    Column("Mô tả", "description", width=40),
))

COMMENDATIONS = Sheet("Khen thưởng", (
    Column("Số quyết định", "decision_no", required=True, width=18),
    Column("Ngày quyết định", "decision_date", DATE, required=True, width=16,
           hint=_DATE_HINT),
    Column("Hình thức", "form", CATALOG, required=True, catalog="commendation_form",
           width=20),
    Column("Cấp khen", "authority", catalog="authority", width=30,
           hint="Chọn trong danh sách hoặc ghi tự do."),
    Column("Đối tượng", "recipient_id", REF, required=True, width=30,
           hint="Họ tên thành viên, hoặc tên mô hình / đơn vị (tập thể)."),
    Column("Loại đối tượng", "recipient_kind", CATALOG, catalog="recipient_kind", width=16,
           hint="Cá nhân (mặc định) hoặc Tập thể."),
    Column("Thành tích", "achievement", required=True, width=40),
    Column("Số sổ", "register_no", width=10),
))

# In import order: a sheet only refers to sheets listed before it.
SHEETS: tuple[Sheet, ...] = (UNITS, MODELS, MEMBERS, EVENTS, RESULTS, COMMENDATIONS)
SHEET_NAMES: tuple[str, ...] = tuple(s.name for s in SHEETS)

# Sheets of the template that hold no data: read past without a warning.
GUIDE_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"
IGNORED_SHEETS = frozenset(fold(n) for n in (GUIDE_SHEET, LISTS_SHEET))


def header_key(value: object) -> str:
    """Fold a header cell for matching; a trailing “*” (required mark) is ignored."""
    return fold(str(value or "")).rstrip("*").strip()
