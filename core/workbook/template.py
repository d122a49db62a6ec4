"""write_template: the blank data workbook, ready to fill in.

Every sheet of docs/workbook.md with its headers (bold, row 1 frozen, sensible widths),
required columns filled yellow with a “Bắt buộc” comment, drop-down lists for
catalogue columns (they only suggest: aliases typed by hand are still accepted),
a hidden “Danh mục” sheet holding those lists and a short “Hướng dẫn” sheet.
"""
from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.catalog import AUTHORITIES, CLUB_ROLE_LABELS, MODEL_TYPES
from core.workbook.cells import STATIC_CATALOGS
from core.files import write_with
from core.workbook.layout import GUIDE_SHEET, LISTS_SHEET, SHEETS, Column, Sheet
from core.workbook.plain import defuse

HEADER_FONT = Font(bold=True)
REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
VALIDATION_ROWS = 5000

GUIDE = (
    "HƯỚNG DẪN NHẬP SỔ DỮ LIỆU PHONG TRÀO TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC",
    "",
    "• Mỗi trang là một loại dữ liệu: Đơn vị, Mô hình, Thành viên, Sự kiện, Kết quả, "
    "Khen thưởng. Có thể bỏ trang không dùng.",
    "• Dòng 1 là tiêu đề cột, dữ liệu từ dòng 2. Cột tô vàng là bắt buộc.",
    "• Ngày ghi dạng dd/mm/yyyy (ví dụ 05/01/2026) hoặc ô kiểu ngày của Excel; "
    "Ngày sinh có thể chỉ ghi năm (1980).",
    "• Có/Không: ghi “Có” hoặc “Không”.",
    "• Đơn vị, Mô hình, Đối tượng ghi đúng tên (không phân biệt hoa thường, có dấu hay "
    "không dấu). Mô hình hoạt động ở nhiều đơn vị: tên các đơn vị cách nhau bằng “;”.",
    "• Hai bản ghi trùng tên: ghi thêm trong ngoặc tên đơn vị cấp trên (đơn vị), tên "
    "một đơn vị (mô hình) hoặc số định danh / năm sinh (người), ví dụ “Tổ hòa giải "
    "(Thôn 1)”.",
    "• Trang Thành viên: mỗi dòng là một lần tham gia một mô hình; người tham gia hai "
    "mô hình ghi hai dòng. Số định danh gồm 12 chữ số (nên định dạng ô là Văn bản).",
    "• Nhập lại cùng một tệp không tạo bản ghi trùng: dòng đã có sẽ được cập nhật.",
    "• Nếu có lỗi, chương trình không ghi gì và tạo bản sao “<tên tệp>.loi.xlsx” với "
    "các ô lỗi tô đỏ kèm ghi chú.",
)


def catalog_labels() -> dict[str, list[str]]:
    """The drop-down list of each catalogue column (labels, in display order)."""
    lists = {name: [item.label for item in catalog.items]
             for name, catalog in STATIC_CATALOGS.items()}
    lists["model_type"] = [item.label for item in MODEL_TYPES.items]
    lists["role"] += list(CLUB_ROLE_LABELS.values())     # a câu lạc bộ's titles
    lists["authority"] = [item.label for item in AUTHORITIES.items]
    lists["yes_no"] = ["Có", "Không"]
    return lists


def style_header(cell, column: Column, *, with_comment: bool = True) -> None:
    """Bold header; a required column filled yellow; its hint as a comment."""
    cell.font = HEADER_FONT
    cell.fill = REQUIRED_FILL if column.required or column.required_with else HEADER_FILL
    cell.alignment = Alignment(vertical="center", wrap_text=True)
    note = "Bắt buộc." if column.required else ""
    note = " ".join(p for p in (note, column.hint) if p)
    if with_comment and note:
        cell.comment = Comment(note, "ANTQ")


def write_template(path: Path | str) -> None:
    """Write the blank data workbook to *path* (raises UserError if it cannot)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    lists = _write_lists(book)
    for spec in SHEETS:
        _write_sheet(book, spec, lists)
    _write_guide(book)
    book.move_sheet(LISTS_SHEET, offset=len(book.sheetnames) - 1)
    book.active = 0
    defuse(book)
    write_with(path, book.save)


def _write_sheet(book, spec: Sheet, lists: dict[str, str]) -> None:
    sheet = book.create_sheet(spec.name)
    for number, column in enumerate(spec.columns, start=1):
        style_header(sheet.cell(row=1, column=number, value=column.header), column)
        letter = get_column_letter(number)
        sheet.column_dimensions[letter].width = column.width
        if column.catalog in lists:
            check = DataValidation(type="list", formula1=lists[column.catalog],
                                   allow_blank=True, showErrorMessage=False)
            check.add(f"{letter}2:{letter}{VALIDATION_ROWS}")
            sheet.add_data_validation(check)
    sheet.freeze_panes = "A2"


LIST_TITLES = {
    "unit_type": "Loại đơn vị", "model_status": "Tình trạng", "role": "Chức vụ",
    "gender": "Giới tính", "event_type": "Loại sự kiện", "result_type": "Loại kết quả",
    "commendation_form": "Hình thức khen thưởng", "recipient_kind": "Loại đối tượng",
    "model_type": "Loại mô hình", "authority": "Cấp khen", "yes_no": "Có/Không",
}


def _write_lists(book) -> dict[str, str]:
    """The hidden “Danh mục” sheet; returns each list's range formula."""
    sheet = book.create_sheet(LISTS_SHEET)
    sheet.sheet_state = "hidden"
    formulas = {}
    for number, (name, labels) in enumerate(catalog_labels().items(), start=1):
        letter = get_column_letter(number)
        sheet.cell(row=1, column=number, value=LIST_TITLES.get(name, name)).font = HEADER_FONT
        for row, label in enumerate(labels, start=2):
            sheet.cell(row=row, column=number, value=label)
        formulas[name] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(labels) + 1}"
    return formulas


def _write_guide(book) -> None:
    sheet = book.create_sheet(GUIDE_SHEET)
    sheet.column_dimensions["A"].width = 120
    for row, line in enumerate(GUIDE, start=1):
        cell = sheet.cell(row=row, column=1, value=line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if row == 1:
            cell.font = Font(bold=True, size=13)
