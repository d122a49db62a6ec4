"""The data workbook import: .xls and .csv files, and every error of a row at once."""
from __future__ import annotations

import datetime as dt
import unicodedata

import openpyxl
import pytest
import xlwt
from test_workbook import base_sheets, db_state, run

from core.errors import UserError
from core.repos.models import ModelRepo
from core.repos.persons import MembershipRepo, PersonRepo
from core.repos.units import UnitRepo
from core.workbook import import_workbook
from core.workbook.reader import read_workbook


def write_xls(path, sheets: dict[str, list[list]]):
    """The sheets as an old Excel 97–2003 (.xls, BIFF8) file."""
    book = xlwt.Workbook(encoding="utf-8")
    dates = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.date):
                    sheet.write(r, c, value, dates)
                elif value is not None:
                    sheet.write(r, c, value)
    book.save(str(path))
    return path


def test_an_xls_workbook_imports_like_the_xlsx(ctx, tmp_path):
    report = import_workbook(ctx, write_xls(tmp_path / "cu.xls", base_sheets()))
    assert report.errors == [] and report.applied
    xls_state = db_state(ctx)
    assert {p.full_name for p in PersonRepo(ctx.store).all()} == {"Nguyễn Văn An",
                                                                  "Trần Thị Bình"}
    assert PersonRepo(ctx.store).get(PersonRepo(ctx.store).ids_by_id_number(
        "001080000001")[0]).birth_date == "1980"
    assert len(MembershipRepo(ctx.store).all()) == 3
    again = run(ctx, tmp_path, base_sheets())          # the same data as .xlsx: no change
    assert again.errors == [] and not again.applied
    assert db_state(ctx) == xls_state


def test_an_xls_with_errors_gets_an_error_copy(ctx, tmp_path):
    sheets = base_sheets()
    sheets["Thành viên"][1][1] = "31/02/1980"
    report = import_workbook(ctx, write_xls(tmp_path / "cu.xls", sheets))
    assert [(e.sheet, e.row, e.column) for e in report.errors] == [
        ("Thành viên", 2, "Ngày sinh")]
    assert report.error_copy and report.error_copy.endswith("cu.loi.xlsx")
    marked = openpyxl.load_workbook(report.error_copy)["Thành viên"]
    assert marked.cell(2, 2).comment is not None


def _csv(path, rows, *, encoding="utf-8", delimiter=",", bom=False):
    text = "\r\n".join(delimiter.join(f'"{c}"' if delimiter in c else c for c in row)
                       for row in rows) + "\r\n"
    data = text.encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


TONES = "\u0300\u0301\u0303\u0309\u0323"


def windows_1258_spelling(text: str) -> str:
    """Text as Windows-1258 holds it: â, ơ, đ… precomposed, the tone as a combining mark."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(m for m in parts if m in TONES)
        out.append(unicodedata.normalize("NFC", "".join(m for m in parts if m not in TONES))
                   + tones)
    return "".join(out)


MEMBER_ROWS = [
    ["Họ và tên", "Ngày sinh", "Giới tính", "Số định danh", "Số điện thoại", "Địa chỉ"],
    ["Nguyễn Văn Hòa", "27/04/1987", "Nam", "001087000123", "0912345678", "Xóm 1, thôn Đông"],
    ["Lê Thị Ánh", "1990", "Nữ", "", "", ""],
]


@pytest.mark.parametrize("encoding, delimiter, bom", [
    ("utf-8", ",", False), ("utf-8", ";", True), ("cp1258", ";", False),
    ("utf-8", "\t", False)])
def test_a_csv_is_the_member_sheet(ctx, tmp_path, encoding, delimiter, bom):
    rows = MEMBER_ROWS
    if encoding == "cp1258":       # Windows-1258 writes tone marks as combining marks
        rows = [[windows_1258_spelling(c) for c in row] for row in rows]
    path = _csv(tmp_path / "danh_sach.csv", rows, encoding=encoding, delimiter=delimiter,
                bom=bom)
    report = import_workbook(ctx, path)
    assert report.errors == [], report.errors
    assert "Tệp CSV “danh_sach.csv” được đọc như trang “Thành viên”." in report.warnings
    people = {p.full_name: p for p in PersonRepo(ctx.store).all()}
    assert set(people) == {"Nguyễn Văn Hòa", "Lê Thị Ánh"}
    assert all(unicodedata.is_normalized("NFC", name) for name in people)
    hoa = people["Nguyễn Văn Hòa"]
    assert (hoa.birth_date, hoa.id_number, hoa.phone, hoa.address) == (
        "1987-04-27", "001087000123", "0912345678", "Xóm 1, thôn Đông")
    again = import_workbook(ctx, path)
    assert sum(again.inserted.values()) + sum(again.updated.values()) == 0


def test_a_csv_named_after_a_sheet_or_carrying_its_headers_is_that_sheet(ctx, tmp_path):
    units = _csv(tmp_path / "ANTQ - Đơn vị.csv", [["Tên đơn vị", "Loại", "Số hộ"],
                                                  ["Thôn Đông", "Thôn", "120"]])
    assert list(read_workbook(units).sheets) == ["Đơn vị"]
    assert import_workbook(ctx, units).errors == []
    models = _csv(tmp_path / "xuat.csv", [["Tên mô hình", "Loại mô hình", "Đơn vị"],
                                          ["Tổ ANND thôn Đông", "Tổ ANND", "Thôn Đông"]])
    assert list(read_workbook(models).sheets) == ["Mô hình"]
    assert import_workbook(ctx, models).errors == []
    assert [u.households for u in UnitRepo(ctx.store).all()] == [120]
    assert [m.name for m in ModelRepo(ctx.store).all()] == ["Tổ ANND thôn Đông"]


def test_a_csv_errors_are_located_and_copied(ctx, tmp_path):
    path = _csv(tmp_path / "ds.csv", [MEMBER_ROWS[0], ["Lê Văn Sai", "abc", "X", "12", "", ""]])
    before = db_state(ctx)
    report = import_workbook(ctx, path)
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "Ngày sinh"), (2, "Giới tính"), (2, "Số định danh")]
    assert db_state(ctx) == before
    assert report.error_copy.endswith("ds.loi.xlsx")


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04garbage", b"\x00\x01\x02"])
def test_a_file_that_is_no_csv_is_refused_in_vietnamese(tmp_path, content):
    path = tmp_path / "hong.csv"
    path.write_bytes(content)
    with pytest.raises(UserError, match="“hong.csv”"):
        read_workbook(path)


# -- every error of a row at once ---------------------------------------------------------

def test_every_error_of_a_member_row_is_reported_at_once(ctx, tmp_path):
    sheets = base_sheets()
    row = sheets["Thành viên"][1]
    row[1] = "abc"                      # Ngày sinh: cannot be read
    row[3] = "123"                      # Số định danh: not 12 digits
    row[9] = "Mô hình không có"         # Mô hình: unknown
    row[11], row[12] = "01/01/2021", "01/01/2020"   # left before joining
    sheets["Thành viên"][3][2] = "X"    # another row: gender unknown, ID number fine
    sheets["Thành viên"][3][3] = "12"
    before = db_state(ctx)
    report = run(ctx, tmp_path, sheets)
    found = [(e.row, e.column, e.message) for e in report.errors]
    assert found == [
        (2, "Ngày sinh", "“abc” không phải là ngày (nhập theo dạng dd/mm/yyyy)."),
        (2, "Số định danh", "Số định danh phải gồm đúng 12 chữ số."),
        (2, "Mô hình", "Không tìm thấy mô hình “Mô hình không có” trong tệp và trong cơ sở "
                       "dữ liệu."),
        (2, "Ngày thôi tham gia", "Ngày thôi tham gia không được trước ngày tham gia."),
        (4, "Giới tính", "“X” không có trong danh mục giới tính (chọn: Nam, Nữ)."),
        (4, "Số định danh", "Số định danh phải gồm đúng 12 chữ số."),
    ]
    assert db_state(ctx) == before


def test_every_error_of_other_rows_is_reported_at_once(ctx, tmp_path):
    sheets = base_sheets()
    sheets["Đơn vị"][1][1] = "Không có loại này"    # Loại
    sheets["Đơn vị"][1][6] = -5                      # Số hộ
    sheets["Sự kiện"][1][1] = "Loại lạ"
    sheets["Sự kiện"][1][3] = "Thôn Không Có"
    sheets["Sự kiện"][1][5] = -1
    sheets["Kết quả"][1][0] = "32/13/2025"
    sheets["Kết quả"][1][2] = -3
    report = run(ctx, tmp_path, sheets)
    found = {(e.sheet, e.row, e.column) for e in report.errors}
    assert {("Đơn vị", 2, "Loại"), ("Đơn vị", 2, "Số hộ"),
            ("Sự kiện", 2, "Loại sự kiện"), ("Sự kiện", 2, "Đơn vị"),
            ("Sự kiện", 2, "Số lượt người tham gia"),
            ("Kết quả", 2, "Ngày"), ("Kết quả", 2, "Số lượng")} <= found
    # A cell that could not be read is reported once, not again by the rule it breaks.
    assert len([e for e in report.errors if (e.sheet, e.row, e.column) ==
                ("Kết quả", 2, "Ngày")]) == 1


def test_a_row_with_an_unreadable_cell_writes_nothing_even_when_skipping(ctx, tmp_path):
    sheets = base_sheets()
    sheets["Thành viên"][3][11] = "không phải ngày"     # Bình's join date
    report = run(ctx, tmp_path, sheets, skip_invalid=True)
    assert [(e.row, e.column) for e in report.errors] == [(4, "Ngày tham gia")]
    assert {p.full_name for p in PersonRepo(ctx.store).all()} == {"Nguyễn Văn An"}
