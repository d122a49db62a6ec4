"""Builders of the lists a station keeps, of every kind docs/intake.md lists.

Each builder writes one file the way an officer would have made it (title rows,
own headers, legacy fonts, footers, hidden rows) and returns its path. The
people are given in Unicode; the builders encode them as the file needs.
"""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

from core.intake.legacy import encode_tcvn3, encode_vni

TITLE = ["CÔNG AN XÃ HÒA BÌNH", "DANH SÁCH THÀNH VIÊN TỔ AN NINH NHÂN DÂN THÔN ĐÔNG"]
FOOTER = [["Tổng cộng: {n} người"], ["", "", "Hòa Bình, ngày 15 tháng 3 năm 2025"],
          ["NGƯỜI LẬP BIỂU", "", "TRƯỞNG THÔN"], ["Lê Văn Tám", "", "Phạm Văn Chín"]]

PEOPLE = [  # name, birth (as typed), address, role, id number (as typed), phone
    ("Nguyễn Văn Hòa", "27/4/1987", "Thôn Đông", "Tổ trưởng", "038087001234", "0912345678"),
    ("Trần Thị Lan", "10-11-1973", "Thôn Đông", "Tổ phó", "", ""),
    ("Lê Văn Đức", "1977", "Thôn Đông", "Tổ viên", "", "0987654321"),
    ("Phạm Thị Hường", "27.3.76", "Thôn Đông", "Tổ viên", "", ""),
    ("Hoàng Văn Ất", "1990", "Xóm Giữa", "Tổ viên", "", ""),
    ("Vũ Thị Ánh", "12/12/1985", "Thôn Đông", "Tổ viên", "", ""),
]


def _encode(text, encoding: str):
    if not isinstance(text, str):
        return text
    if encoding == "tcvn3":
        return encode_tcvn3(text)
    if encoding == "vni":
        return encode_vni(text)
    return text


def member_book(path: Path, *, encoding: str = "unicode", font: str = "Times New Roman",
                people=PEOPLE, hidden: tuple[int, ...] = (), caps: bool = False,
                header=("STT", "Họ và tên", "Năm sinh", "Chỗ ở", "Chức vụ", "Số CCCD", "SĐT"),
                sheets: dict[str, list] | None = None, model_column: str | None = None,
                formulas: bool = False) -> Path:
    """A member list: two title rows (merged), a header on row 4, people, a footer."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet_name, sheet_people in (sheets or {"Danh sách": people}).items():
        ws = book.create_sheet(sheet_name)
        cell_font = Font(name=font)
        for r, line in enumerate(TITLE, 1):
            ws.cell(r, 1).value = _encode(line, encoding)
            ws.cell(r, 1).font = Font(name=font + ("H" if font == ".VnTime" else ""), bold=True)
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(header))
            if font == ".VnTime":   # the capitals font is typed in lower case
                ws.cell(r, 1).value = _encode(line.lower(), encoding)
        cols = list(header) + ([model_column] if model_column else [])
        for c, text in enumerate(cols, 1):
            ws.cell(4, c).value = _encode(text, encoding)
            ws.cell(4, c).font = Font(name=font, bold=True)
        row = 5
        for n, person in enumerate(sheet_people, 1):
            name, birth, address, role, number, phone = person[:6]
            values = [n, name.upper() if caps else name, birth, address, role, number, phone]
            if model_column:
                values.append(person[6])
            for c, value in enumerate(values, 1):
                if isinstance(value, str) and value.isdigit() and c > 2:
                    value = int(value)  # typed as a number: leading zero lost
                if c == 3 and isinstance(value, int) and not formulas:
                    pass
                cell = ws.cell(row, c)
                cell.value = _encode(value, encoding) if value != "" else None
                cell.font = cell_font
            if formulas:
                ws.cell(row, 1).value = "=ROW()-4"
            if n in hidden:
                ws.row_dimensions[row].hidden = True
            row += 1
        for line in FOOTER:
            for c, text in enumerate(line, 1):
                if text:
                    ws.cell(row, c).value = _encode(text.format(n=len(sheet_people)), encoding)
                    ws.cell(row, c).font = cell_font
            row += 1
    book.save(path)
    if formulas:
        _cache_formula_values(path)
    return path


def _cache_formula_values(path: Path) -> None:
    """Give each ``=ROW()-4`` formula its cached value, as Excel would have saved it."""
    with zipfile.ZipFile(path) as source:
        items = {name: source.read(name) for name in source.namelist()}
    for name, data in items.items():
        if name.startswith("xl/worksheets/sheet"):
            text = data.decode("utf-8")
            text = re.sub(r'<c r="A(\d+)"([^>]*)><f>ROW\(\)-4</f><v\s*/?>(</v>)?</c>',
                          lambda m: f'<c r="A{m.group(1)}"{m.group(2)}><f>ROW()-4</f>'
                                    f'<v>{int(m.group(1)) - 4}</v></c>', text)
            items[name] = text.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in items.items():
            target.writestr(name, data)


def two_row_header(path: Path) -> Path:
    """"Họ và tên đệm" + "Tên" split, "Năm sinh" over "Nam" / "Nữ", a numbering row."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Tổ tự quản"
    ws["A1"] = "CÔNG AN XÃ HÒA BÌNH"
    ws["A2"] = "DANH SÁCH TỔ TỰ QUẢN VỀ AN NINH, TRẬT TỰ THÔN TÂY"
    ws.merge_cells("A2:G2")
    for c, text in enumerate(["TT", "Họ và tên đệm", "Tên", "Năm sinh", None, "Địa chỉ",
                              "Ghi chú"], 1):
        ws.cell(5, c).value = text
    ws.merge_cells("D5:E5")
    for c in (1, 2, 3, 6, 7):
        ws.merge_cells(start_row=5, start_column=c, end_row=6, end_column=c)
    ws.cell(6, 4).value = "Nam"
    ws.cell(6, 5).value = "Nữ"
    for c in range(1, 8):
        ws.cell(7, c).value = c
    rows = [(1, "Đỗ Văn", "Minh", 1965, None, "Thôn Tây", None),
            (2, "Ngô Thị", "Hoa", None, 1970, "Thôn Tây", None),
            (3, "Bùi Văn", "Nam", dt.datetime(1982, 5, 6), None, "Thôn Tây", "Mới"),
            (4, "Đặng Thị", "Thu", None, 28000, "Thôn Tây", None)]
    for r, values in enumerate(rows, 8):
        for c, value in enumerate(values, 1):
            ws.cell(r, c).value = value
    ws.cell(13, 1).value = "Tổng số: 4 người"
    book.save(path)
    return path


def xls_book(path: Path, *, font: str = ".VnTime", hidden: tuple[int, ...] = (2,)) -> Path:
    """An old .xls (BIFF8) list in TCVN3 with a hidden row."""
    import xlwt
    book = xlwt.Workbook(encoding="latin-1")
    ws = book.add_sheet("To ANND")
    style = xlwt.easyxf(f"font: name {font}")
    ws.write_merge(0, 0, 0, 4, encode_tcvn3("danh sách tổ an ninh nhân dân thôn nam"),
                   xlwt.easyxf(f"font: name {font}H, bold on"))
    for c, text in enumerate(["STT", "Họ tên", "Ngày sinh", "Số CMND/CCCD", "Thôn/Tổ"]):
        ws.write(2, c, encode_tcvn3(text), style)
    people = [("Nguyễn Văn Hòa", "27/4/1987", "038087001234", "Thôn Nam"),
              ("Trịnh Thị Mận", "05/06/1979", 123456789, "Thôn Nam"),
              ("Lý Văn Sơn", "1968", 38068009999, "Thôn Nam")]
    for r, (name, birth, number, address) in enumerate(people, 3):
        ws.write(r, 0, r - 2, style)
        ws.write(r, 1, encode_tcvn3(name), style)
        ws.write(r, 2, birth, style)
        ws.write(r, 3, number, style)
        ws.write(r, 4, encode_tcvn3(address), style)
        if r - 2 in hidden:
            ws.row(r).hidden = True
    ws.write(7, 0, encode_tcvn3("Tổng cộng: 3 người"), style)
    book.save(str(path))
    return path


def csv_book(path: Path, *, encoding: str = "utf-8-sig", delimiter: str = ";") -> Path:
    """A CSV list; with "cp1258" the text is written with combining tone marks."""
    import unicodedata
    lines = [["Danh sách thành viên Tổ hòa giải thôn Bắc"], [],
             ["STT", "Họ và tên", "Ngày tháng năm sinh", "Nơi thường trú", "Chức danh"],
             ["1", "Nguyễn Thị Huyền", "03/02/1980", "Thôn Bắc", "Tổ trưởng"],
             ["2", "Đinh Văn Quý", "1958", "Thôn Bắc", "Tổ viên"],
             ["3", "Mai Thị Yến", "21/9/1991", "Thôn Bắc", "Tổ viên"],
             ["Tổng cộng: 3 người"]]
    text = "\r\n".join(delimiter.join(cells) for cells in lines) + "\r\n"
    if encoding == "cp1258":
        data = _cp1258(unicodedata.normalize("NFD", text))
    else:
        data = text.encode(encoding)
    path.write_bytes(data)
    return path


def _cp1258(decomposed: str) -> bytes:
    """Windows-1258 bytes: base letters (ă â ê ô ơ ư đ precomposed) + combining tones."""
    import unicodedata
    out = bytearray()
    for ch in unicodedata.normalize("NFC", decomposed):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(p for p in parts
                                                    if p not in "\u0300\u0301\u0303\u0309\u0323"))
        tones = "".join(p for p in parts if p in "\u0300\u0301\u0303\u0309\u0323")
        out += base.encode("cp1258") + tones.encode("cp1258")
    return bytes(out)


def attendance_book(path: Path) -> Path:
    """An attendance sheet of a meeting, with a signature column."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Điểm danh"
    ws["A1"] = "CÔNG AN XÃ HÒA BÌNH"
    ws["A2"] = "DANH SÁCH ĐIỂM DANH HỘI NGHỊ TUYÊN TRUYỀN PHÁP LUẬT NGÀY 15/3/2025"
    for c, text in enumerate(["STT", "Họ và tên", "Địa chỉ", "Ký tên"], 1):
        ws.cell(4, c).value = text
    names = ["Nguyễn Văn Hòa", "Trần Thị Lan", "Người Lạ Mặt", "Đoàn Văn Khách"]
    for r, name in enumerate(names, 5):
        ws.cell(r, 1).value = r - 4
        ws.cell(r, 2).value = name
        ws.cell(r, 3).value = "Thôn Đông"
    ws.cell(10, 1).value = "Tổng cộng: 4 người"
    book.save(path)
    return path


def household_book(path: Path) -> Path:
    """A list of households that signed the commitment."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Cam kết"
    ws["A1"] = "DANH SÁCH HỘ GIA ĐÌNH KÝ CAM KẾT AN TOÀN VỀ AN NINH, TRẬT TỰ"
    ws["A2"] = "Thôn Đông, ngày 01 tháng 4 năm 2025"
    for c, text in enumerate(["STT", "Họ tên chủ hộ", "Địa chỉ", "Số nhân khẩu"], 1):
        ws.cell(4, c).value = text
    for r in range(5, 12):
        ws.cell(r, 1).value = r - 4
        ws.cell(r, 2).value = ["Hà Văn Một", "Lưu Thị Hai", "Tạ Văn Ba", "Kiều Thị Bốn",
                               "Mạc Văn Năm", "Quách Thị Sáu", "Tăng Văn Bảy"][r - 5]
        ws.cell(r, 3).value = "Thôn Đông"
        ws.cell(r, 4).value = 4
    ws.cell(12, 1).value = "Tổng cộng: 7 hộ"
    book.save(path)
    return path
