"""The blank template, the export, and export → import into an empty station."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
import python_calamine

from core import sample_data
from core.errors import UserError
from core.records import Commendation, Membership, Model, Person, Unit, UnitYear
from core.repos.activities import CommendationRepo, EventRepo, ResultRepo
from core.repos.models import ModelRepo
from core.repos.persons import MembershipRepo, PersonRepo
from core.repos.units import UnitRepo, UnitYearRepo
from core.services import activities, members, models, units
from core.station import init_station
from core.workbook import export_workbook, import_workbook, write_template
from core.workbook.layout import SHEETS

SHEET_NAMES = ["Đơn vị", "Mô hình", "Thành viên", "Sự kiện", "Kết quả", "Khen thưởng"]


@pytest.fixture
def empty(tmp_path):
    """A second, empty station to import an export into."""
    context = init_station(tmp_path / "other.sqlite3", level="xa", code="X02",
                           name="Công an xã Mới")
    yield context
    context.close()


# -- template --------------------------------------------------------------------------

def test_template_has_every_sheet_and_header(tmp_path):
    path = tmp_path / "mau.xlsx"
    write_template(path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:6] == SHEET_NAMES
    assert "Hướng dẫn" in book.sheetnames
    for spec in SHEETS:
        sheet = book[spec.name]
        assert [c.value for c in sheet[1]] == [c.header for c in spec.columns]
        assert sheet.freeze_panes == "A2"
        assert all(c.font.b for c in sheet[1])
    first = book["Thành viên"]["A1"]
    assert "Bắt buộc" in first.comment.text
    assert book["Mô hình"].data_validations.dataValidation  # drop-down lists
    assert book.active.title == "Đơn vị"


def test_blank_template_imports_nothing_without_warnings(ctx, tmp_path):
    write_template(tmp_path / "mau.xlsx")
    report = import_workbook(ctx, tmp_path / "mau.xlsx")
    assert report.errors == [] and report.warnings == [] and not report.applied


def test_template_write_failure_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="Không ghi được"):
        write_template(tmp_path / "missing-folder" / "mau.xlsx")


# -- export ----------------------------------------------------------------------------

def fill_varied(ctx) -> None:
    """Data with namesakes, several years, a person in no model, free-text authority."""
    east, _ = units.save(ctx, Unit(name="Thôn Đông", type="khu_dan_cu", households=120,
                                   phone="0912345678", head="Nguyễn Văn Trưởng"))
    west, _ = units.save(ctx, Unit(name="Thôn Tây", type="khu_dan_cu", address="Xóm 3"))
    school, _ = units.save(ctx, Unit(name="Trường THCS Hòa Bình", type="nha_truong"))
    east1, _ = units.save(ctx, Unit(name="Tổ 1", type="khu_dan_cu", parent_id=east))
    units.save(ctx, Unit(name="Tổ 1", type="khu_dan_cu", parent_id=west))
    units.set_year(ctx, UnitYear(unit_id=east, year=2024, registered=True))
    units.set_year(ctx, UnitYear(unit_id=east, year=2025, registered=True, recognised=True,
                                 decision_no="12/QĐ-UBND"))
    m_east, _ = models.save(ctx, Model(name="Tổ hòa giải", type="to_hoa_giai",
                                       unit_ids=[east], launch_date="2020-02-01",
                                       status="hieu_qua", advanced=True, notes="Điểm"))
    m_west, _ = models.save(ctx, Model(name="Tổ hòa giải", type="to_hoa_giai",
                                       unit_ids=[west, east1], decision_no="7/QĐ",
                                       decision_date="2019-12-30"))
    club, _ = models.save(ctx, Model(name="CLB phòng chống ma túy", type="cau_lac_bo",
                                     unit_ids=[east, school], status="yeu"))
    an1, _ = members.save_person(ctx, Person(full_name="Nguyễn Văn An", birth_date="1980",
                                             gender="nam", id_number="001080000001",
                                             phone="0911111111", ethnicity="Kinh"))
    an2, _ = members.save_person(ctx, Person(full_name="Nguyễn Văn An",
                                             birth_date="1975-04-30", address="Thôn Tây"))
    binh, _ = members.save_person(ctx, Person(full_name="Trần Thị Bình", gender="nu",
                                              occupation="Giáo viên"))
    lone, _ = members.save_person(ctx, Person(full_name="Lò Văn Một", birth_date="1990"))
    for person, model, role, join, leave in (
            (an1, m_east, "to_truong", "2020-03-01", None),
            (an1, club, "thanh_vien", None, None),
            (an2, m_west, "to_truong", "2019-01-01", None),
            (binh, m_west, "to_pho", "2019-01-01", "2024-06-30"),
            (binh, club, "thanh_vien", None, None)):
        members.save_membership(ctx, Membership(person_id=person, model_id=model, role=role,
                                                join_date=join, leave_date=leave,
                                                notes="Ghi chú" if leave else ""))
    from core.records import Event, Result
    activities.save_event(ctx, Event(date="2025-08-19", type="ngay_hoi", title="Ngày hội 2025",
                                     unit_id=east, model_ids=[m_east, m_west],
                                     participants=150, notes="Đông vui"))
    activities.save_event(ctx, Event(date="2025-03-02", type="tuyen_truyen",
                                     title="Tuyên truyền phòng chống ma túy"))
    activities.save_result(ctx, Result(date="2025-06-10", type="tin_bao", quantity=3,
                                       unit_id=west, model_id=m_west, description="Trộm"))
    activities.save_result(ctx, Result(date="2025-06-11", type="hoa_giai", quantity=0,
                                       unit_id=east))
    for kind, recipient, authority, number in (
            ("person", an2, "Chủ tịch UBND xã", "01"), ("person", lone, "Ban chỉ đạo xã", "02"),
            ("model", m_west, "giam_doc_ca_tinh", ""), ("unit", school, "", "03")):
        activities.save_commendation(ctx, Commendation(
            recipient_kind=kind, recipient_id=recipient, form="giay_khen",
            authority=authority, decision_no="15/QĐ-UBND", decision_date="2025-12-20",
            achievement="Đã có thành tích xuất sắc", register_no=number))


def content(ctx) -> dict[str, list[str]]:
    """Every record's workbook fields, with references as names instead of ids."""
    store = ctx.store
    all_units = {u.id: u for u in UnitRepo(store).all()}
    all_models = {m.id: m for m in ModelRepo(store).all()}
    all_persons = {p.id: p for p in PersonRepo(store).all()}

    def unit(uid):
        path = []
        while uid:
            path.append(all_units[uid].name)
            uid = all_units[uid].parent_id
        return tuple(path) or None

    def model(mid):
        m = all_models.get(mid)
        return (m.name, tuple(sorted(unit(u) for u in m.unit_ids))) if m else None

    def person(pid):
        p = all_persons[pid]
        return p.full_name, p.birth_date, p.id_number

    recipients = {"person": person, "model": model, "unit": unit}
    table = {
        "units": [(unit(u.id), u.type, u.address, u.head, u.phone, u.households)
                  for u in all_units.values()],
        "years": [(unit(y.unit_id), y.year, y.registered, y.recognised, y.decision_no)
                  for y in UnitYearRepo(store).all()],
        "models": [(model(m.id), m.type, m.launch_date, m.decision_no, m.decision_date,
                    m.status, m.advanced, m.notes) for m in all_models.values()],
        "persons": [(p.full_name, p.family_name, p.middle_name, p.given_name, p.birth_date,
                     p.gender, p.id_number, p.ethnicity, p.religion, p.occupation,
                     p.address, p.phone) for p in all_persons.values()],
        "memberships": [(person(m.person_id), model(m.model_id), m.role, m.join_date,
                         m.leave_date, m.notes) for m in MembershipRepo(store).all()],
        "events": [(e.date, e.type, e.title, unit(e.unit_id),
                    sorted(model(i) for i in e.model_ids), e.participants, e.notes)
                   for e in EventRepo(store).all()],
        "results": [(r.date, r.type, r.quantity, unit(r.unit_id), model(r.model_id),
                     r.description) for r in ResultRepo(store).all()],
        "commendations": [(c.recipient_kind, recipients[c.recipient_kind](c.recipient_id),
                           c.form, c.authority, c.decision_no, c.decision_date,
                           c.achievement, c.register_no)
                          for c in CommendationRepo(store).all()],
    }
    return {name: sorted(map(repr, rows)) for name, rows in table.items()}


def test_export_writes_labels_real_dates_and_text_ids(ctx, tmp_path):
    fill_varied(ctx)
    path = tmp_path / "xuat.xlsx"
    rows = export_workbook(ctx, path)
    assert rows == {"Đơn vị": 6, "Mô hình": 3, "Thành viên": 6, "Sự kiện": 2,
                    "Kết quả": 2, "Khen thưởng": 4}
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == SHEET_NAMES
    unit_rows = list(book["Đơn vị"].values)
    assert unit_rows[0][0] == "Tên đơn vị" and book["Đơn vị"]["A1"].font.b
    assert ("Thôn Đông", "Khu dân cư") == unit_rows[1][:2]
    assert {r[2] for r in unit_rows[1:]} >= {"Thôn Đông", "Thôn Tây"}
    model_rows = {r[2]: r for r in list(book["Mô hình"].values)[1:]}
    assert "Thôn Tây; Tổ 1 (Thôn Đông)" in model_rows
    launch = book["Mô hình"].cell(row=2, column=4)
    members_sheet = book["Thành viên"]
    header = [c.value for c in members_sheet[1]]
    an = next(r for r in members_sheet.iter_rows(min_row=2)
              if r[header.index("Số định danh")].value == "001080000001")
    assert an[header.index("Ngày sinh")].value == 1980
    assert an[header.index("Số điện thoại")].value == "0911111111"
    dated = next(r for r in members_sheet.iter_rows(min_row=2)
                 if r[header.index("Ngày tham gia")].value)
    assert isinstance(dated[header.index("Ngày tham gia")].value, dt.datetime)
    assert dated[header.index("Ngày tham gia")].number_format == "dd/mm/yyyy"
    assert {launch.number_format} <= {"dd/mm/yyyy", "General"}
    recipients = [r[4] for r in list(book["Khen thưởng"].values)[1:]]
    assert "Nguyễn Văn An (30/04/1975)" in recipients
    assert {r[3] for r in list(book["Khen thưởng"].values)[1:]} >= {
        "Chủ tịch Ủy ban nhân dân xã", "Ban chỉ đạo xã", "Giám đốc Công an tỉnh"}


def test_export_then_import_into_an_empty_station_reproduces_the_data(ctx, empty,
                                                                     tmp_path):
    fill_varied(ctx)
    path = tmp_path / "xuat.xlsx"
    export_workbook(ctx, path)
    report = import_workbook(empty, path)
    assert report.errors == [], report.errors
    assert report.applied
    assert content(empty) == content(ctx)
    again = import_workbook(empty, path)  # and a second time changes nothing
    assert sum(again.inserted.values()) + sum(again.updated.values()) == 0


def test_round_trip_of_sample_data(ctx, empty, tmp_path):
    sample_data.fill(ctx, sample_data.generate(scale=0.1))
    path = tmp_path / "xuat.xlsx"
    export_workbook(ctx, path)
    report = import_workbook(empty, path)
    assert report.errors == [], report.errors[:5]
    assert content(empty) == content(ctx)


def test_export_is_readable_by_calamine_as_dates(ctx, tmp_path):
    fill_varied(ctx)
    path = tmp_path / "xuat.xlsx"
    export_workbook(ctx, path)
    grid = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(
        "Sự kiện").to_python()
    assert isinstance(grid[1][0], (dt.date, dt.datetime))


def test_export_failure_leaves_no_file_and_is_a_user_error(ctx, tmp_path):
    with pytest.raises(UserError, match="Không ghi được"):
        export_workbook(ctx, tmp_path / "missing-folder" / "xuat.xlsx")
    target = tmp_path / "xuat.xlsx"
    target.mkdir()  # a folder where the file should go: the rename fails
    with pytest.raises(UserError):
        export_workbook(ctx, target)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_export_of_an_empty_station(ctx, tmp_path):
    rows = export_workbook(ctx, tmp_path / "xuat.xlsx")
    assert rows == dict.fromkeys(SHEET_NAMES, 0)
    assert Path(tmp_path / "xuat.xlsx").exists()
