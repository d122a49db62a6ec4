"""Any list to paper and Excel: exactly the rows of the list's query, in its order."""
from __future__ import annotations

import datetime as dt

import pytest
from docdata import make_station, seed
from openpyxl import load_workbook
from pdfcheck import fonts_of, page_sizes_mm, text_of

from core import queries
from core.documents.list_print import (ListRequest, ListTable, column_widths, list_pdf,
                                       list_table, list_xlsx)


@pytest.fixture()
def station(tmp_path):
    ctx = make_station(tmp_path)
    ids = seed(ctx)
    yield ctx, ids
    ctx.close()


def _shown(ctx, spec, **query):
    """What the window's table model would show: list_ids then load_rows."""
    ids = queries.list_ids(ctx.db, spec, **query)
    rows = queries.load_rows(ctx.db, spec, ids)
    return [rows[i] for i in ids]


@pytest.mark.parametrize("spec", list(queries.SPECS.values()), ids=list(queries.SPECS))
def test_every_list_prints_the_rows_of_its_query(station, tmp_path, spec):
    ctx, _ = station
    table = list_table(ctx, ListRequest(spec, "Danh sách"))
    assert table.rows == _shown(ctx, spec)
    assert table.rows, "the seeded station has rows in every list"
    out = tmp_path / f"{spec.name}.pdf"
    path, pages = list_pdf(ctx, table, out)
    assert pages >= 1 and path == str(out)
    assert all(embedded and "LiberationSerif" in name for name, embedded in fonts_of(out))


def test_filters_search_order_and_hidden_columns_are_kept(station, tmp_path):
    ctx, ids = station
    request = ListRequest(queries.PERSONS, "Danh sách thành viên", search="van",
                          filters={"model_id": ids["models"][0]}, sort=1, descending=True,
                          columns=(1, 0, 5), conditions=("Tổ an ninh nhân dân thôn Đồng Tâm",
                                                         "tìm “van”"))
    table = list_table(ctx, request)
    expected = [(r[1], r[0], r[5]) for r in _shown(
        ctx, queries.PERSONS, search="van", filters={"model_id": ids["models"][0]}, sort=1,
        descending=True)]
    assert table.rows == expected
    assert [r[1] for r in table.rows] == ["Đỗ Văn Hùng", "Lê Văn An", "Nguyễn Văn Đức"]
    assert table.headers == ["Ngày sinh", "Họ và tên", "Điện thoại"]
    out = tmp_path / "tv.pdf"
    list_pdf(ctx, table, out)
    text = text_of(out)
    assert "DANH SÁCH THÀNH VIÊN" in text
    assert "(Tổ an ninh nhân dân thôn Đồng Tâm; tìm “van”)" in text
    assert "Tổng số: 3 dòng" in text
    assert "Số CCCD" not in text and "Giới tính" not in text    # hidden columns left out
    assert text.index("Đỗ Văn Hùng") < text.index("Lê Văn An") < text.index("Nguyễn Văn Đức")
    assert "Trần Thị Ánh" not in text
    assert page_sizes_mm(out) == [(210, 297)]          # three columns fit portrait


def test_a_wide_list_goes_landscape_and_repeats_its_header_on_every_page(station, tmp_path):
    ctx, _ = station
    rows = [(f"Người thứ {i}", "Thôn Đồng Tâm, xã Yên Thủy, tỉnh Phú Thọ", "0912345678",
             "Tổ an ninh nhân dân thôn Đồng Tâm; Tổ hòa giải thôn Đồng Tâm", "Thành viên")
            for i in range(120)]
    table = ListTable("Danh sách dài", ["Họ và tên", "Địa chỉ", "Điện thoại", "Mô hình",
                                        "Chức vụ"], rows)
    landscape, widths = column_widths(table)
    assert landscape and sum(widths) <= 252 + 0.01
    out = tmp_path / "dai.pdf"
    _, pages = list_pdf(ctx, table, out)
    assert pages >= 2
    sizes = page_sizes_mm(out)
    assert set(sizes) == {(297, 210)}
    from pypdf import PdfReader
    for page in PdfReader(str(out)).pages:
        assert "Họ và tên" in page.extract_text()


def test_workbook_reads_back_with_title_header_and_real_values(station, tmp_path):
    ctx, _ = station
    request = ListRequest(queries.EVENTS, "Danh sách sự kiện", sort=4, descending=True,
                          conditions=("Từ ngày 01/01/2026",))
    table = list_table(ctx, request)
    out = tmp_path / "sk.xlsx"
    path, count = list_xlsx(ctx, table, out)
    assert (path, count) == (str(out), 4)
    sheet = load_workbook(out).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "DANH SÁCH SỰ KIỆN"
    assert "Công an xã Yên Thủy" in values[1][0] and "Từ ngày 01/01/2026" in values[1][0]
    assert values[3][:7] == ("STT", "Ngày", "Loại", "Nội dung", "Đơn vị",
                             "Lượt người tham gia", "Đơn vị tổ chức")
    data = values[4:]
    assert [r[0] for r in data] == [1, 2, 3, 4]
    assert [r[5] for r in data] == [1051, 120, 45, 30]          # numbers, in the list's order
    assert data[0][1] == dt.datetime(2026, 8, 19)               # a real date
    assert sheet.freeze_panes == "A5"


def test_formula_looking_text_stays_text_in_the_workbook(station, tmp_path):
    ctx, _ = station
    table = ListTable("Thử", ["Tên"], [("=HYPERLINK(\"http://x\")",)])
    out = tmp_path / "f.xlsx"
    list_xlsx(ctx, table, out)
    cell = load_workbook(out).active.cell(5, 2)
    assert cell.value == "=HYPERLINK(\"http://x\")" and cell.data_type == "s"


def test_unit_tree_indents_are_kept_on_paper(station, tmp_path):
    ctx, _ = station
    table = ListTable("Danh sách đơn vị", ["Tên đơn vị", "Số hộ"],
                      [("Thôn Đồng Tâm", "215"), ("Xóm Trên", "40")], ["text", "number"],
                      indents=[0, 1])
    out = tmp_path / "dv.pdf"
    list_pdf(ctx, table, out)
    assert "Thôn Đồng Tâm" in text_of(out) and "Xóm Trên" in text_of(out)


def test_workbook_streams_a_long_list_chunk_by_chunk(station, tmp_path, monkeypatch):
    from core.documents import list_print
    ctx, _ = station
    monkeypatch.setattr(list_print, "CHUNK", 3)            # 8 persons: chunks of 3, 3, 2
    request = ListRequest(queries.PERSONS, "Thành viên", sort=1)
    stream = list_print.list_stream(ctx, request)
    assert stream.total == 8 and len(stream.head.rows) == 3
    checks = []
    path, count = list_xlsx(ctx, stream, tmp_path / "s.xlsx", check=lambda: checks.append(1))
    assert count == 8 and len(checks) >= 3
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[2][0] == "Tổng số: 8 dòng"
    names = [r[1] for r in rows[4:]]
    assert names == [r[0] for r in _shown(ctx, queries.PERSONS, sort=1)]
    assert list_table(ctx, request).rows == _shown(ctx, queries.PERSONS, sort=1)
