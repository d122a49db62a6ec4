"""Importing the data workbook: the rules and every error kind of docs/workbook.md."""
from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import openpyxl
import pytest

from core.errors import UserError
from core.records import Membership, Model, Person, Unit
from core.repos.activities import CommendationRepo, EventRepo, ResultRepo
from core.repos.models import ModelRepo
from core.repos.persons import MembershipRepo, PersonRepo
from core.repos.units import UnitRepo, UnitYearRepo
from core.schema import ENTITIES
from core.services import members, models, units
from core.workbook import ImportReport, import_workbook

UNIT_HEADERS = ["Tên đơn vị", "Loại", "Thuộc", "Địa chỉ", "Người đứng đầu",
                "Số điện thoại", "Số hộ", "Năm", "Đăng ký an toàn", "Đạt chuẩn an toàn",
                "Số quyết định công nhận"]
MODEL_HEADERS = ["Tên mô hình", "Loại mô hình", "Đơn vị", "Ngày ra mắt",
                 "Số quyết định thành lập", "Ngày quyết định", "Tình trạng",
                 "Điển hình tiên tiến", "Ghi chú"]
MEMBER_HEADERS = ["Họ và tên", "Ngày sinh", "Giới tính", "Số định danh", "Dân tộc",
                  "Tôn giáo", "Nghề nghiệp", "Địa chỉ", "Số điện thoại", "Mô hình",
                  "Chức vụ", "Ngày tham gia", "Ngày thôi tham gia", "Ghi chú"]
EVENT_HEADERS = ["Ngày", "Loại sự kiện", "Nội dung", "Đơn vị", "Mô hình",
                 "Số lượt người tham gia", "Ghi chú"]
RESULT_HEADERS = ["Ngày", "Loại kết quả", "Số lượng", "Đơn vị", "Mô hình", "Mô tả"]
COMMENDATION_HEADERS = ["Số quyết định", "Ngày quyết định", "Hình thức", "Cấp khen",
                        "Đối tượng", "Loại đối tượng", "Thành tích", "Số sổ"]


def base_sheets() -> dict[str, list[list]]:
    """A small valid workbook: header row first, then data rows (Excel row 2…)."""
    return {
        "Đơn vị": [
            UNIT_HEADERS,
            ["Thôn Đông", "Thôn", None, "Xóm 1", "Nguyễn Văn Trưởng", "0912345678", 120,
             2025, "Có", "Có", "12/QĐ-UBND"],
            ["Trường THCS Hòa Bình", "Trường học", None, "Thôn Đông", None, None, None,
             None, None, None, None],
            ["Tổ 1", "Khu dân cư", "Thôn Đông", None, None, None, 40, None, None, None,
             None],
        ],
        "Mô hình": [
            MODEL_HEADERS,
            ["Tổ ANND Thôn Đông", "Tổ ANND", "Thôn Đông", dt.date(2020, 2, 1), "05/QĐ",
             "15/01/2020", "Hoạt động hiệu quả", "Có", "Mô hình điểm"],
            ["CLB phòng chống ma túy", "CLB", "Thôn Đông; Trường THCS Hòa Bình", None,
             None, None, None, "Không", None],
        ],
        "Thành viên": [
            MEMBER_HEADERS,
            ["Nguyễn Văn An", 1980, "Nam", "001080000001", "Kinh", "Không", "Nông dân",
             "Thôn Đông", "0911111111", "Tổ ANND Thôn Đông", "Tổ trưởng", "01/03/2020",
             None, None],
            ["Nguyễn Văn An", 1980, "Nam", "001080000001", "Kinh", "Không", "Nông dân",
             "Thôn Đông", "0911111111", "CLB phòng chống ma túy", "Thành viên",
             dt.date(2021, 5, 1), None, None],
            ["Trần Thị Bình", "12/05/1990", "Nữ", None, "Kinh", None, "Giáo viên",
             "Thôn Đông", None, "Tổ ANND Thôn Đông", "Tổ viên", "01/03/2020", None,
             "Phụ trách tuyên truyền"],
        ],
        "Sự kiện": [
            EVENT_HEADERS,
            [dt.date(2025, 8, 19), "Ngày hội", "Ngày hội toàn dân bảo vệ ANTQ năm 2025",
             "Thôn Đông", "Tổ ANND Thôn Đông; CLB phòng chống ma túy", 150, None],
        ],
        "Kết quả": [
            RESULT_HEADERS,
            ["10/06/2025", "Tin báo", 3.0, "Thôn Đông", "Tổ ANND Thôn Đông",
             "Tin báo về trộm cắp"],
        ],
        "Khen thưởng": [
            COMMENDATION_HEADERS,
            ["15/QĐ-UBND", "20/12/2025", "Giấy khen", "Chủ tịch UBND xã", "Nguyễn Văn An",
             "Cá nhân", "Đã có thành tích xuất sắc", "01"],
            ["15/QĐ-UBND", "20/12/2025", "Giấy khen", "Chủ tịch UBND xã",
             "Tổ ANND Thôn Đông", "Tập thể", "Đã có thành tích xuất sắc", "02"],
        ],
    }


def write_book(path: Path, sheets: dict[str, list[list]]) -> Path:
    """Write *sheets* (name -> rows) as an .xlsx file."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def set_cell(sheets: dict, sheet: str, row: int, header: str, value: object) -> None:
    """Change one cell, addressed as Excel shows it (row 2 = first data row)."""
    rows = sheets[sheet]
    rows[row - 1][rows[0].index(header)] = value


def db_state(ctx) -> dict:
    """Every row of every entity table, for “nothing changed” checks."""
    state = {}
    for table in ENTITIES:
        state[table] = sorted(map(repr, ctx.db.execute(f"SELECT * FROM {table}").fetchall()))
    return state


def run(ctx, tmp_path, sheets, **options) -> ImportReport:
    """Write *sheets* to a file and import it."""
    return import_workbook(ctx, write_book(tmp_path / "data.xlsx", sheets), **options)


def error_cells(report: ImportReport) -> set[tuple[str, int, str]]:
    return {(e.sheet, e.row, e.column) for e in report.errors}


# -- a valid workbook ----------------------------------------------------------------

def test_valid_workbook_is_imported(ctx, tmp_path):
    report = run(ctx, tmp_path, base_sheets())
    assert report.errors == []
    assert report.applied
    assert report.inserted == {"Đơn vị": 3, "Mô hình": 2, "Thành viên": 3, "Sự kiện": 1,
                               "Kết quả": 1, "Khen thưởng": 2}
    store = ctx.store
    thon = UnitRepo(store).get(UnitRepo(store).ids_by_name("thon dong")[0])
    assert (thon.type, thon.households, thon.phone) == ("khu_dan_cu", 120, "0912345678")
    assert UnitRepo(store).get(UnitRepo(store).ids_by_name("Tổ 1")[0]).parent_id == thon.id
    year = UnitYearRepo(store).for_unit(thon.id, 2025)
    assert (year.registered, year.recognised, year.decision_no) == (True, True, "12/QĐ-UBND")
    annd = ModelRepo(store).get(ModelRepo(store).ids_by_name("Tổ ANND Thôn Đông")[0])
    assert (annd.type, annd.status, annd.advanced) == ("to_an_ninh_nhan_dan", "hieu_qua", True)
    assert (annd.launch_date, annd.decision_date) == ("2020-02-01", "2020-01-15")
    club = ModelRepo(store).get(ModelRepo(store).ids_by_name("CLB phòng chống ma túy")[0])
    assert len(club.unit_ids) == 2 and club.type == "cau_lac_bo"
    assert PersonRepo(store).count() == 2  # An is in two models, created once
    an = PersonRepo(store).get(PersonRepo(store).ids_by_id_number("001080000001")[0])
    assert (an.family_name, an.middle_name, an.given_name, an.birth_date) == (
        "Nguyễn", "Văn", "An", "1980")
    assert {m.role for m in MembershipRepo(store).of_person(an.id)} == {"to_truong",
                                                                       "thanh_vien"}
    event = EventRepo(store).all()[0]
    assert (event.type, event.participants, len(event.model_ids)) == ("ngay_hoi", 150, 2)
    assert ResultRepo(store).all()[0].quantity == 3
    kinds = sorted(c.recipient_kind for c in CommendationRepo(store).all())
    assert kinds == ["model", "person"]
    assert CommendationRepo(store).all()[0].authority == "chu_tich_ubnd_xa"


def test_reimport_changes_nothing(ctx, tmp_path):
    run(ctx, tmp_path, base_sheets())
    before = db_state(ctx)
    report = run(ctx, tmp_path, base_sheets())
    assert report.errors == []
    assert sum(report.inserted.values()) == sum(report.updated.values()) == 0
    assert report.unchanged == {"Đơn vị": 3, "Mô hình": 2, "Thành viên": 3, "Sự kiện": 1,
                                "Kết quả": 1, "Khen thưởng": 2}
    assert not report.applied
    assert db_state(ctx) == before


def test_matching_row_updates_only_present_columns(ctx, tmp_path):
    run(ctx, tmp_path, base_sheets())
    sheets = {"Mô hình": [["Tên mô hình", "Loại mô hình", "Đơn vị", "Tình trạng"],
                          ["tổ annd thôn đông", "Tổ ANND", "Thôn Đông", "Yếu"]]}
    report = run(ctx, tmp_path, sheets)
    assert report.updated["Mô hình"] == 1 and report.inserted["Mô hình"] == 0
    model = ModelRepo(ctx.store).get(ModelRepo(ctx.store).ids_by_name("Tổ ANND Thôn Đông")[0])
    assert model.status == "yeu"
    assert model.notes == "Mô hình điểm" and model.advanced  # columns absent: kept


def test_dry_run_writes_nothing_and_reports(ctx, tmp_path):
    before = db_state(ctx)
    report = run(ctx, tmp_path, base_sheets(), dry_run=True)
    assert report.inserted["Thành viên"] == 3 and report.inserted["Đơn vị"] == 3
    assert not report.applied and report.error_copy is None
    assert db_state(ctx) == before


# -- one test per error kind -----------------------------------------------------------

ERROR_CASES = {
    "missing required value": ("Thành viên", 4, "Họ và tên", ""),
    "unknown catalogue value": ("Mô hình", 2, "Loại mô hình", "Tổ bay"),
    "unknown unit": ("Mô hình", 3, "Đơn vị", "Thôn Đông; Thôn Tây"),
    "unknown model": ("Thành viên", 4, "Mô hình", "Tổ không có"),
    "impossible date": ("Sự kiện", 2, "Ngày", "31/02/2026"),
    "impossible birth date": ("Thành viên", 4, "Ngày sinh", "30/02/1990"),
    "leave before join": ("Thành viên", 4, "Ngày thôi tham gia", "01/01/2019"),
    "ID number not 12 digits": ("Thành viên", 4, "Số định danh", "12345"),
    "same ID, another name": ("Thành viên", 4, "Số định danh", "001080000001"),
    "negative quantity": ("Kết quả", 2, "Số lượng", -1),
    "fractional quantity": ("Kết quả", 2, "Số lượng", 2.5),
    "second Tổ trưởng": ("Thành viên", 4, "Chức vụ", "Tổ trưởng"),
    "bad yes/no": ("Mô hình", 2, "Điển hình tiên tiến", "Có lẽ"),
    "unknown person recipient": ("Khen thưởng", 2, "Đối tượng", "Lê Văn Không"),
    "unknown parent unit": ("Đơn vị", 4, "Thuộc", "Thôn Bắc"),
}


@pytest.mark.parametrize("case", list(ERROR_CASES))
def test_each_error_kind_is_located_and_nothing_written(ctx, tmp_path, case):
    sheet, row, column, value = ERROR_CASES[case]
    sheets = base_sheets()
    set_cell(sheets, sheet, row, column, value)
    before = db_state(ctx)
    report = run(ctx, tmp_path, sheets)
    assert (sheet, row, column) in error_cells(report), report.errors
    assert all(e.message for e in report.errors)
    assert not report.applied
    assert sum(report.inserted.values()) == 0
    assert db_state(ctx) == before


def test_ambiguous_unit_reference(ctx, tmp_path):
    sheets = base_sheets()
    sheets["Đơn vị"] += [["Thôn Tây", "Thôn"] + [None] * 9,
                         ["Tổ 1", "Khu dân cư", "Thôn Tây"] + [None] * 8]
    set_cell(sheets, "Mô hình", 3, "Đơn vị", "Tổ 1")
    before = db_state(ctx)
    report = run(ctx, tmp_path, sheets)
    assert ("Mô hình", 3, "Đơn vị") in error_cells(report)
    assert "cùng tên" in report.errors[0].message
    # Rows that use the faulty model are faulty too, and say which row to fix.
    assert all("dòng 3" in e.message for e in report.errors[1:])
    assert db_state(ctx) == before
    set_cell(sheets, "Mô hình", 3, "Đơn vị", "Tổ 1 (Thôn Tây)")  # a qualifier resolves it
    report = run(ctx, tmp_path, sheets)
    assert report.errors == []
    club = ModelRepo(ctx.store).get(ModelRepo(ctx.store).ids_by_name("CLB phòng chống ma túy")[0])
    assert UnitRepo(ctx.store).get(club.unit_ids[0]).parent_id is not None


def test_same_id_number_as_another_person_in_the_database(ctx, tmp_path):
    members.save_person(ctx, Person(full_name="Lê Văn Cường", id_number="001090000009"))
    sheets = base_sheets()
    set_cell(sheets, "Thành viên", 4, "Số định danh", "001090000009")
    before = db_state(ctx)
    report = run(ctx, tmp_path, sheets)
    assert error_cells(report) == {("Thành viên", 4, "Số định danh")}
    assert "Lê Văn Cường" in report.errors[0].message
    assert db_state(ctx) == before


def test_second_leader_against_the_database(ctx, tmp_path):
    unit_id, _ = units.save(ctx, Unit(name="Thôn Đông", type="khu_dan_cu"))
    model_id, _ = models.save(ctx, Model(name="Tổ ANND Thôn Đông", unit_ids=[unit_id]))
    person_id, _ = members.save_person(ctx, Person(full_name="Phạm Văn Lãnh"))
    members.save_membership(ctx, Membership(person_id=person_id, model_id=model_id,
                                            role="to_truong"))
    before = db_state(ctx)
    report = run(ctx, tmp_path, base_sheets())
    assert error_cells(report) == {("Thành viên", 2, "Chức vụ")}
    assert "Phạm Văn Lãnh" in report.errors[0].message
    assert db_state(ctx) == before


def test_missing_required_column_is_reported_on_the_header_row(ctx, tmp_path):
    sheets = base_sheets()
    sheets["Mô hình"] = [[c for i, c in enumerate(r) if i != 1] for r in sheets["Mô hình"]]
    report = run(ctx, tmp_path, sheets)
    assert ("Mô hình", 1, "Loại mô hình") in error_cells(report)
    assert not report.applied


def test_recognised_without_registration_is_an_error(ctx, tmp_path):
    sheets = base_sheets()
    set_cell(sheets, "Đơn vị", 2, "Đăng ký an toàn", "Không")
    report = run(ctx, tmp_path, sheets)
    assert ("Đơn vị", 2, "Đăng ký an toàn") in error_cells(report)


def test_every_error_is_listed_at_once(ctx, tmp_path):
    sheets = base_sheets()
    set_cell(sheets, "Sự kiện", 2, "Ngày", "31/02/2026")
    set_cell(sheets, "Kết quả", 2, "Số lượng", -4)
    set_cell(sheets, "Thành viên", 4, "Số định danh", "99")
    report = run(ctx, tmp_path, sheets)
    assert error_cells(report) == {("Sự kiện", 2, "Ngày"), ("Kết quả", 2, "Số lượng"),
                                   ("Thành viên", 4, "Số định danh")}


# -- skip-invalid and the error copy -------------------------------------------------

def test_skip_invalid_writes_valid_rows_and_dependents_fail(ctx, tmp_path):
    sheets = base_sheets()
    set_cell(sheets, "Mô hình", 3, "Loại mô hình", "Không rõ")  # the club is invalid
    report = run(ctx, tmp_path, sheets, skip_invalid=True)
    assert report.applied
    cells = error_cells(report)
    assert ("Mô hình", 3, "Loại mô hình") in cells
    assert ("Thành viên", 3, "Mô hình") in cells  # An's row in the club depends on it
    assert ("Sự kiện", 2, "Mô hình") in cells
    dependent = next(e for e in report.errors if e.sheet == "Thành viên")
    assert "dòng 3" in dependent.message
    assert report.inserted["Mô hình"] == 1 and report.inserted["Thành viên"] == 2
    assert ModelRepo(ctx.store).count() == 1
    assert MembershipRepo(ctx.store).count() == 2
    assert PersonRepo(ctx.store).count() == 2
    assert EventRepo(ctx.store).count() == 0 and ResultRepo(ctx.store).count() == 1


def test_skip_invalid_person_failure_is_undone_with_its_row(ctx, tmp_path):
    sheets = base_sheets()
    # An's first row fails on its membership (second leader), the second succeeds.
    sheets["Thành viên"].insert(1, ["Lê Thị Cúc", None, "Nữ", None, None, None, None, None,
                                    None, "Tổ ANND Thôn Đông", "Tổ trưởng", None, None,
                                    None])
    report = run(ctx, tmp_path, sheets, skip_invalid=True)
    assert error_cells(report) == {("Thành viên", 3, "Chức vụ")}
    assert PersonRepo(ctx.store).count() == 3
    assert len(PersonRepo(ctx.store).ids_by_id_number("001080000001")) == 1


def test_error_copy_marks_the_faulty_cell(ctx, tmp_path):
    sheets = base_sheets()
    set_cell(sheets, "Kết quả", 2, "Số lượng", 2.5)
    report = run(ctx, tmp_path, sheets)
    assert report.error_copy == str(tmp_path / "data.loi.xlsx")
    sheet = openpyxl.load_workbook(report.error_copy)["Kết quả"]
    cell = sheet.cell(row=2, column=RESULT_HEADERS.index("Số lượng") + 1)
    assert cell.comment is not None and "số nguyên" in cell.comment.text
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet.cell(row=2, column=1).comment is None


def test_error_copy_for_a_missing_column_adds_its_header(ctx, tmp_path):
    sheets = {"Kết quả": [["Ngày", "Số lượng"], ["10/06/2025", 3]]}
    report = run(ctx, tmp_path, sheets)
    sheet = openpyxl.load_workbook(report.error_copy)["Kết quả"]
    assert sheet.cell(row=1, column=3).value == "Loại kết quả"
    assert "Thiếu cột" in sheet.cell(row=1, column=3).comment.text


# -- reading rules -------------------------------------------------------------------

def test_nfd_and_nfc_spellings_are_one_person(ctx, tmp_path):
    sheets = base_sheets()
    nfd = unicodedata.normalize("NFD", "Trần Thị Bình")
    sheets["Thành viên"].append([nfd, "12/05/1990", "Nữ", None, None, None, None, None,
                                 None, "CLB phòng chống ma túy", None, None, None, None])
    report = run(ctx, tmp_path, sheets)
    assert report.errors == []
    ids = PersonRepo(ctx.store).ids_by_name("Trần Thị Bình")
    assert len(ids) == 1
    assert PersonRepo(ctx.store).get(ids[0]).full_name == "Trần Thị Bình"  # stored NFC
    assert len(MembershipRepo(ctx.store).of_person(ids[0])) == 2


@pytest.mark.parametrize("spelling", ["to an ninh nhan dan", "Tổ ANND", "to_an_ninh_nhan_dan",
                                      "TỔ AN NINH NHÂN DÂN"])
def test_catalogue_labels_aliases_and_codes(ctx, tmp_path, spelling):
    sheets = base_sheets()
    set_cell(sheets, "Mô hình", 2, "Loại mô hình", spelling)
    set_cell(sheets, "Đơn vị", 3, "Loại", "nha truong")
    set_cell(sheets, "Thành viên", 4, "Chức vụ", "to vien")
    assert run(ctx, tmp_path, sheets).errors == []
    model = ModelRepo(ctx.store).get(ModelRepo(ctx.store).ids_by_name("Tổ ANND Thôn Đông")[0])
    assert model.type == "to_an_ninh_nhan_dan"
    school = UnitRepo(ctx.store).get(UnitRepo(ctx.store).ids_by_name("Trường THCS Hòa Bình")[0])
    assert school.type == "nha_truong"


def test_unknown_column_is_a_warning(ctx, tmp_path):
    sheets = base_sheets()
    sheets["Kết quả"][0] = sheets["Kết quả"][0] + ["Người báo cáo"]
    sheets["Kết quả"][1] = sheets["Kết quả"][1] + ["Ai đó"]
    report = run(ctx, tmp_path, sheets)
    assert report.errors == [] and report.applied
    assert any("Người báo cáo" in w for w in report.warnings)


def test_columns_in_another_order_and_loose_headers(ctx, tmp_path):
    sheets = base_sheets()
    for name, rows in sheets.items():
        sheets[name] = [list(reversed(r)) for r in rows]
    sheets["Thành viên"][0] = [h.upper() if i % 2 else h for i, h in
                               enumerate(sheets["Thành viên"][0])]
    sheets["Thành viên"][0][-1] = " ho va ten "
    sheets["don vi"] = sheets.pop("Đơn vị")
    report = run(ctx, tmp_path, sheets)
    assert report.errors == [] and report.warnings == []
    assert report.inserted == {"Đơn vị": 3, "Mô hình": 2, "Thành viên": 3, "Sự kiện": 1,
                               "Kết quả": 1, "Khen thưởng": 2}


def test_missing_sheets_and_empty_rows_are_skipped(ctx, tmp_path):
    sheets = base_sheets()
    sheets = {"Đơn vị": sheets["Đơn vị"][:2] + [[None] * 11, ["", " "]]
              + sheets["Đơn vị"][2:]}
    report = run(ctx, tmp_path, sheets)
    assert report.errors == [] and report.inserted["Đơn vị"] == 3
    assert report.inserted["Mô hình"] == 0


def test_child_unit_before_its_parent_and_several_year_rows(ctx, tmp_path):
    rows = [UNIT_HEADERS,
            ["Tổ 2", "Tổ dân phố", "Phường Mới"] + [None] * 8,
            ["Phường Mới", "Khác", None, None, None, None, None, 2024, "Có", "Không", None],
            ["Phường Mới", "Khác", None, None, None, None, None, 2025, "Có", "Có", "9/QĐ"]]
    report = run(ctx, tmp_path, {"Đơn vị": rows})
    assert report.errors == []
    assert report.inserted["Đơn vị"] == 3
    parent = UnitRepo(ctx.store).ids_by_name("Phường Mới")[0]
    assert [(y.year, y.recognised) for y in units.years(ctx, parent)] == [(2025, True),
                                                                         (2024, False)]
    assert run(ctx, tmp_path, {"Đơn vị": rows}).unchanged["Đơn vị"] == 3


def test_numeric_cells_for_text_columns(ctx, tmp_path):
    sheets = base_sheets()
    set_cell(sheets, "Thành viên", 2, "Số định danh", 1080000001)  # lost its zeros
    set_cell(sheets, "Thành viên", 3, "Số định danh", "001080000001")
    set_cell(sheets, "Thành viên", 2, "Số điện thoại", 911111111)
    assert run(ctx, tmp_path, sheets).errors == []
    person = PersonRepo(ctx.store).get(PersonRepo(ctx.store).ids_by_id_number(
        "001080000001")[0])
    assert person.phone == "0911111111"


def test_collective_recipient_falls_back_to_a_unit(ctx, tmp_path):
    sheets = base_sheets()
    set_cell(sheets, "Khen thưởng", 3, "Đối tượng", "thon dong")
    set_cell(sheets, "Khen thưởng", 3, "Cấp khen", "Ban chỉ đạo xã")
    assert run(ctx, tmp_path, sheets).errors == []
    item = [c for c in CommendationRepo(ctx.store).all() if c.recipient_kind != "person"][0]
    assert item.recipient_kind == "unit" and item.authority == "Ban chỉ đạo xã"


def test_progress_is_reported_and_cancel_writes_nothing(ctx, tmp_path):
    calls = []
    run(ctx, tmp_path, base_sheets(), dry_run=True,
        progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 12) and calls[-1] == (12, 12)
    before = db_state(ctx)
    with pytest.raises(UserError, match="Đã hủy"):
        run(ctx, tmp_path, base_sheets(), progress=lambda done, total: done < 5)
    assert db_state(ctx) == before


# -- files that are not workbooks ------------------------------------------------------

@pytest.mark.parametrize("content, words", [
    (b"Ho va ten;Ngay sinh\nA;1980\n", "không phải là sổ Excel"),
    (b"", "rỗng"),
    (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 4096, "được bảo vệ bằng mật khẩu"),
    (b"PK\x03\x04" + b"\0" * 200, "bị hỏng"),
])
def test_unreadable_files_raise_one_clear_user_error(ctx, tmp_path, content, words):
    path = tmp_path / "data.xlsx"
    path.write_bytes(content)
    before = db_state(ctx)
    with pytest.raises(UserError, match=words):
        import_workbook(ctx, path)
    assert db_state(ctx) == before
    assert not (tmp_path / "data.loi.xlsx").exists()


def test_missing_file_and_workbook_without_known_sheets(ctx, tmp_path):
    with pytest.raises(UserError, match="Không tìm thấy tệp"):
        import_workbook(ctx, tmp_path / "nope.xlsx")
    with pytest.raises(UserError, match="không có trang nào"):
        run(ctx, tmp_path, {"Sheet1": [["a", "b"], [1, 2]]})


def test_person_only_row_and_membership_details_without_a_model(ctx, tmp_path):
    sheets = base_sheets()
    sheets["Thành viên"].append(["Lò Văn Một", 1990, "Nam"] + [None] * 11)
    report = run(ctx, tmp_path, sheets)
    assert report.errors == [] and report.inserted["Thành viên"] == 4
    lone = PersonRepo(ctx.store).ids_by_name("Lò Văn Một")
    assert len(lone) == 1 and MembershipRepo(ctx.store).of_person(lone[0]) == []
    set_cell(sheets, "Thành viên", 5, "Chức vụ", "Tổ phó")  # a role needs a model
    report = run(ctx, tmp_path, sheets)
    assert error_cells(report) == {("Thành viên", 5, "Mô hình")}


def test_report_is_json_ready(ctx, tmp_path):
    import json
    sheets = base_sheets()
    set_cell(sheets, "Kết quả", 2, "Số lượng", "nhiều")
    data = json.loads(json.dumps(run(ctx, tmp_path, sheets).as_dict()))
    assert data["errors"] == [{"sheet": "Kết quả", "row": 2, "column": "Số lượng",
                               "message": "“nhiều” không phải là số nguyên."}]
    assert data["applied"] is False and data["inserted"]["Đơn vị"] == 0


def test_skip_invalid_also_writes_an_error_copy(ctx, tmp_path):
    sheets = base_sheets()
    set_cell(sheets, "Sự kiện", 2, "Loại sự kiện", "Liên hoan")
    report = run(ctx, tmp_path, sheets, skip_invalid=True)
    assert report.applied and report.error_copy
    assert Path(report.error_copy).exists()
    assert report.inserted["Thành viên"] == 3 and report.inserted["Sự kiện"] == 0


def test_unit_namesakes_need_the_parent_column(ctx, tmp_path):
    sheets = base_sheets()
    sheets["Đơn vị"] += [["Thôn Tây", "Thôn"] + [None] * 9,
                         ["Tổ 1", "Khu dân cư", "Thôn Tây"] + [None] * 8]
    for row in sheets["Mô hình"][1:]:
        row[2] = "Thôn Đông"
    assert run(ctx, tmp_path, sheets).errors == []
    report = run(ctx, tmp_path, {"Đơn vị": [["Tên đơn vị", "Loại", "Số hộ"],
                                            ["Tổ 1", "Khu dân cư", 50]]})
    assert error_cells(report) == {("Đơn vị", 2, "Tên đơn vị")}


def test_a_sheet_without_data_needs_no_columns(ctx, tmp_path):
    sheets = base_sheets()
    sheets["Sự kiện"] = [[]]
    sheets["Kết quả"] = [["Ngày"]]
    report = run(ctx, tmp_path, sheets)
    assert report.errors == [] and report.applied
