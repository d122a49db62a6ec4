"""The same entry rules at every way in: services (forms), data workbook, list intake, packages.

Age per model type (the law's 18–70 for a Tổ bảo vệ ANTT; a minor pointed out
elsewhere), joining not before birth, a result needs a unit or a model, Dân tộc from
the official list of 54, messages that say what is missing; quarterly periods;
role titles by model kind.
"""
from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_workbook import base_sheets, db_state, error_cells, run, set_cell

from core import ethnicities, rules
from core.catalog import role_choices, role_label
from core.cli import run as cli_run
from core.errors import UserError, ValidationError
from core.periods import code_parts, parse_period, period_code, report_quarter
from core.records import Membership, Model, Person, Result, Unit
from core.repos.persons import PersonRepo
from core.services import activities, members, models, units
from core.station import init_station


@pytest.fixture
def village(ctx):
    return units.save(ctx, Unit(name="Thôn Đông", type="khu_dan_cu"))[0]


# -- the rules themselves --------------------------------------------------------------

def test_age_rule_per_model_type():
    assert "18 đến 70" in rules.age_warning("A", "2012-05-01", "2026-06-01", "to_bao_ve_antt")
    assert "71 tuổi" in rules.age_warning("A", "1955-01-01", "2026-06-01", "to_bao_ve_antt")
    assert rules.age_warning("A", "1990-01-01", "2026-06-01", "to_bao_ve_antt") is None
    # No law sets an age for a Tổ an ninh nhân dân: a 14-year-old is pointed out, never refused.
    warning = rules.age_warning("Lê Văn Nhỏ", "2012-01-01", "2026-06-01",
                                "to_an_ninh_nhan_dan", "Tổ an ninh nhân dân")
    assert "14 tuổi" in warning and "không quy định" in warning \
        and "Tổ an ninh nhân dân" in warning
    assert rules.age_warning("A", "1950", "2026-06-01", "to_an_ninh_nhan_dan") is None
    assert rules.age_warning("A", None, "2026-06-01", "to_bao_ve_antt") is None


def test_join_not_before_birth_and_a_year_alone():
    assert rules.join_problem("1990-05-01", "1990-04-30")
    assert rules.join_problem("1990", "1989-12-31")
    assert rules.join_problem("1990", "1990-01-01") is None     # born some day in 1990
    assert rules.join_problem(None, "1990-01-01") is None


def test_messages_say_what_is_missing():
    assert rules.station_code_problem("") == "Chưa nhập mã đơn vị."
    assert "chữ không dấu" in rules.station_code_problem("xã 1")
    assert rules.account_name_problem("  ") == "Chưa nhập tên tài khoản."
    assert "đơn vị hoặc mô hình" in rules.result_place_problem(None, None)
    with pytest.raises(UserError, match="Chưa nhập mã đơn vị"):
        from core.station import validate_identity
        validate_identity("xa", "", "Xã A")


def test_init_without_a_code_says_so(tmp_path, capsys):
    code = cli_run(["--db", str(tmp_path / "a.sqlite3"), "init", "--level", "xa",
                    "--code", "", "--name", "Xã A"])
    assert code == 1 and "Chưa nhập mã đơn vị" in capsys.readouterr().err
    assert not (tmp_path / "a.sqlite3").exists() or (tmp_path / "a.sqlite3").stat().st_size >= 0


def test_the_official_list_of_54_ethnic_groups():
    names = ethnicities.names()
    assert len(names) == len(set(names)) == 54 and names[0] == "Kinh"
    for typed, official in (("ê đê", "Ê-đê"), ("Êđê", "Ê-đê"), ("KHMER", "Khơ-me"),
                            ("H'Mông", "Mông"), ("bru van kieu", "Bru-Vân Kiều"),
                            (" Tày ", "Tày")):
        assert ethnicities.match(typed) == official, typed
    assert ethnicities.problem("Kinhh") and ethnicities.problem("") is None


def test_role_titles_by_model_kind():
    assert role_label("to_truong", "cau_lac_bo") == "Chủ nhiệm"
    assert role_label("to_pho", "cau_lac_bo") == "Phó chủ nhiệm"
    assert role_label("thanh_vien", "cau_lac_bo") == "Hội viên"
    assert role_label("to_truong", "to_an_ninh_nhan_dan") == "Tổ trưởng"
    assert role_label("to_truong", "moi_cua_tinh", "CLB võ thuật") == "Chủ nhiệm"
    assert [c for _, c in role_choices("cau_lac_bo")] == ["to_truong", "to_pho", "thanh_vien"]


# -- periods ---------------------------------------------------------------------------

@pytest.mark.parametrize("code, start, end", [
    ("2026-Q1", "2025-12-15", "2026-03-14"), ("2026-Q2", "2026-03-15", "2026-06-14"),
    ("2026-q3", "2026-06-15", "2026-09-14"), ("2026-Q4", "2026-09-15", "2026-12-14")])
def test_quarters_follow_decree_09_2019(code, start, end):
    period = parse_period(code)
    assert (period.start.isoformat(), period.end.isoformat()) == (start, end)
    assert period.label.startswith("quý ")


def test_a_fifth_quarter_is_refused():
    with pytest.raises(UserError, match="Q1 đến YYYY-Q4"):
        parse_period("2026-Q5")


@given(st.integers(2001, 2099))
def test_the_four_quarters_tile_the_year(year):
    quarters = [parse_period(f"{year}-Q{q}") for q in range(1, 5)]
    assert quarters[0].start == parse_period(str(year)).start
    assert quarters[-1].end == parse_period(str(year)).end
    for before, after in zip(quarters, quarters[1:]):
        assert after.start - before.end == dt.timedelta(days=1)
    assert quarters[1].end == parse_period(f"{year}-6T").end
    assert quarters[2].end == parse_period(f"{year}-9T").end


@given(st.dates(dt.date(2001, 1, 1), dt.date(2099, 12, 14)))
def test_every_day_is_in_the_quarter_it_is_reported_in(day):
    year, quarter = report_quarter(day)
    period = parse_period(period_code("quarter", year, quarter))
    assert period.start <= day <= period.end


@pytest.mark.parametrize("code", ["2026", "2026-6T", "2026-9T", "2026-Q2", "2026-03"])
def test_code_parts_and_period_code_are_inverse(code):
    assert period_code(*code_parts(code)) == code


def test_report_and_completeness_take_a_quarter(tmp_path, capsys):
    db = tmp_path / "x.sqlite3"
    init_station(db, level="xa", code="X01", name="Công an xã Hòa Bình").close()
    assert cli_run(["--db", str(db), "report", "--period", "2026-Q1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["period"]["from"], out["period"]["to"]) == ("2025-12-15", "2026-03-14")
    province = tmp_path / "t.sqlite3"
    init_station(province, level="tinh", code="T01", name="Công an tỉnh Thử").close()
    assert cli_run(["--db", str(province), "completeness", "--period", "2026-Q2",
                    "--json"]) == 0
    assert "2026-06-14" in json.dumps(json.loads(capsys.readouterr().out)["period"])


# -- the services (what the forms call) ------------------------------------------------

def test_a_result_needs_a_unit_or_a_model(ctx, village):
    before = db_state(ctx)
    with pytest.raises(ValidationError) as exc:
        activities.save_result(ctx, Result(date="2026-01-05", type="tin_bao", quantity=1))
    assert [e.field for e in exc.value.errors] == ["unit_id"]
    assert "Chưa ghi đơn vị hoặc mô hình" in exc.value.errors[0].message
    assert db_state(ctx) == before
    activities.save_result(ctx, Result(date="2026-01-05", type="tin_bao", quantity=1,
                                       unit_id=village))


def test_a_minor_in_a_people_security_team_is_a_warning(ctx, village):
    team = models.save(ctx, Model(name="Tổ ANND thôn Đông", type="to_an_ninh_nhan_dan",
                                  unit_ids=[village]))[0]
    child, _ = members.save_person(ctx, Person(full_name="Lê Văn Nhỏ", birth_date="2012-03-01"))
    membership = Membership(person_id=child, model_id=team, join_date="2026-04-01")
    members.save_membership(ctx, membership)       # not refused
    warnings = members.warnings(ctx, membership)
    assert len(warnings) == 1 and "14 tuổi" in warnings[0]


def test_joining_before_birth_is_refused(ctx, village):
    team = models.save(ctx, Model(name="Tổ ANND", type="to_an_ninh_nhan_dan",
                                  unit_ids=[village]))[0]
    person, _ = members.save_person(ctx, Person(full_name="Trần Văn Sau", birth_date="1990"))
    with pytest.raises(ValidationError) as exc:
        members.save_membership(ctx, Membership(person_id=person, model_id=team,
                                                join_date="1989-06-01"))
    assert [e.field for e in exc.value.errors] == ["join_date"]


def test_a_club_has_one_chu_nhiem(ctx, village):
    club = models.save(ctx, Model(name="CLB phòng chống ma túy", type="cau_lac_bo",
                                  unit_ids=[village]))[0]
    a, _ = members.save_person(ctx, Person(full_name="Nguyễn Văn An"))
    b, _ = members.save_person(ctx, Person(full_name="Lê Thị Bình"))
    members.save_membership(ctx, Membership(person_id=a, model_id=club, role="to_truong"))
    with pytest.raises(ValidationError, match="đã có Chủ nhiệm đang hoạt động: Nguyễn Văn An"):
        members.save_membership(ctx, Membership(person_id=b, model_id=club, role="to_truong"))


def test_ethnicity_is_checked_and_stored_as_officially_written(ctx):
    with pytest.raises(ValidationError) as exc:
        members.save_person(ctx, Person(full_name="Y Bih", ethnicity="Ê đê x"))
    assert [e.field for e in exc.value.errors] == ["ethnicity"]
    person_id, _ = members.save_person(ctx, Person(full_name="Y Bih", ethnicity="ê đê",
                                                   religion="Tin lành"))
    stored = PersonRepo(ctx.store).get(person_id)
    assert (stored.ethnicity, stored.religion) == ("Ê-đê", "Tin lành")


# -- the data workbook -----------------------------------------------------------------

def _member_row(sheets, **cells):
    row = list(sheets["Thành viên"][-1])
    sheets["Thành viên"].append(row)
    for header, value in cells.items():
        set_cell(sheets, "Thành viên", len(sheets["Thành viên"]), header, value)


def test_workbook_warns_for_a_minor_and_refuses_joining_before_birth(ctx, tmp_path):
    sheets = base_sheets()
    _member_row(sheets, **{"Họ và tên": "Lê Văn Nhỏ", "Ngày sinh": "01/01/2012",
                           "Ngày tham gia": "01/03/2026", "Chức vụ": "Tổ viên"})
    report = run(ctx, tmp_path, sheets)
    assert report.errors == [] and report.applied
    assert any("Lê Văn Nhỏ 14 tuổi" in w or "Lê Văn Nhỏ mới 14 tuổi" in w
               for w in report.warnings), report.warnings
    sheets = base_sheets()
    set_cell(sheets, "Thành viên", 4, "Ngày tham gia", "01/01/1985")   # born 12/05/1990
    before = db_state(ctx)
    report = run(ctx, tmp_path, sheets)
    assert ("Thành viên", 4, "Ngày tham gia") in error_cells(report)
    assert db_state(ctx) == before


def test_workbook_result_without_unit_or_model_is_a_cell_error(ctx, tmp_path):
    sheets = base_sheets()
    set_cell(sheets, "Kết quả", 2, "Đơn vị", None)
    set_cell(sheets, "Kết quả", 2, "Mô hình", None)
    report = run(ctx, tmp_path, sheets)
    assert ("Kết quả", 2, "Đơn vị") in error_cells(report) and not report.applied


def test_workbook_checks_ethnicity_against_the_list(ctx, tmp_path):
    sheets = base_sheets()
    set_cell(sheets, "Thành viên", 4, "Dân tộc", "Kinh tế")
    report = run(ctx, tmp_path, sheets)
    assert ("Thành viên", 4, "Dân tộc") in error_cells(report)
    sheets = base_sheets()
    set_cell(sheets, "Thành viên", 4, "Dân tộc", "khmer")
    assert run(ctx, tmp_path, sheets).applied
    ids = PersonRepo(ctx.store).ids_by_name("Trần Thị Bình", "1990-05-12")
    assert PersonRepo(ctx.store).get(ids[0]).ethnicity == "Khơ-me"


def test_workbook_takes_club_titles_and_exports_them(ctx, tmp_path):
    from core.workbook import export_workbook
    sheets = base_sheets()
    set_cell(sheets, "Thành viên", 3, "Chức vụ", "Chủ nhiệm")   # the CLB row
    assert run(ctx, tmp_path, sheets).applied
    role = ctx.db.execute("SELECT ms.role FROM memberships ms JOIN models m ON m.id ="
                          " ms.model_id WHERE m.type = 'cau_lac_bo'").fetchone()[0]
    assert role == "to_truong"      # stored as before: the title depends on the kind
    out = export_workbook(ctx, tmp_path / "out.xlsx")
    sheet = openpyxl.load_workbook(out.path if hasattr(out, "path") else tmp_path / "out.xlsx")[
        "Thành viên"]
    header = [c.value for c in sheet[1]]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    by_model = {(r[header.index("Mô hình")], r[header.index("Họ và tên")]):
                r[header.index("Chức vụ")] for r in rows}
    assert by_model[("CLB phòng chống ma túy", "Nguyễn Văn An")] == "Chủ nhiệm"
    assert by_model[("Tổ ANND Thôn Đông", "Nguyễn Văn An")] == "Tổ trưởng"


# -- the list intake -------------------------------------------------------------------

def _intake_book(path, people):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Danh sách"
    ws.append(["DANH SÁCH THÀNH VIÊN TỔ AN NINH NHÂN DÂN THÔN ĐÔNG"])
    ws.append([])
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Dân tộc", "Chức vụ", "Ngày tham gia"])
    for n, person in enumerate(people, 1):
        ws.append([n, *person])
    book.save(path)
    return path


def _intake(capsys, db, path, *extra):
    code = cli_run(["--db", str(db), "import-list", str(path), "--model", "Tổ ANND thôn Đông",
                    "--model-type", "to_an_ninh_nhan_dan", *extra, "--json"])
    return code, json.loads(capsys.readouterr().out.strip().splitlines()[-1])


@pytest.fixture
def station(tmp_path):
    path = tmp_path / "station.sqlite3"
    init_station(path, level="xa", code="X01", name="Công an xã Hòa Bình").close()
    return path


def test_intake_warns_for_a_minor_and_refuses_joining_before_birth(tmp_path, capsys, station):
    good = _intake_book(tmp_path / "a.xlsx", [
        ("Lê Văn Nhỏ", "01/01/2012", "Kinh", "Tổ viên", "01/03/2026"),
        ("Trần Văn Lớn", "01/01/1980", "ê đê", "Tổ trưởng", "01/03/2020")])
    code, done = _intake(capsys, station, good, "--dry-run")
    assert code == 0 and done["errors"] == []
    assert any("Lê Văn Nhỏ mới 14 tuổi" in w for w in done["warnings"]), done["warnings"]
    bad = _intake_book(tmp_path / "b.xlsx", [
        ("Trần Văn Sớm", "01/01/1990", "Kinh", "Tổ viên", "01/01/1985"),
        ("Y Bih", "01/01/1980", "Ê đê x", "Tổ viên", "01/01/2020")])
    code, done = _intake(capsys, station, bad)
    assert code == 1 and done["applied"] is False
    located = {(e["row"], e["column"]): e["message"] for e in done["errors"]}
    assert "trước ngày sinh" in located[(4, "Ngày tham gia")]
    assert "54 dân tộc" in located[(5, "Dân tộc")]


def test_intake_stores_ethnicity_as_officially_written(tmp_path, capsys, station):
    path = _intake_book(tmp_path / "a.xlsx", [
        ("Trần Văn Lớn", "01/01/1980", "khmer", "Tổ trưởng", "01/03/2020")])
    assert _intake(capsys, station, path)[0] == 0
    from core import cipher
    conn = cipher.connect(station, cipher.known_key(station))
    try:
        assert conn.execute("SELECT ethnicity FROM persons").fetchall() == [("Khơ-me",)]
    finally:
        conn.close()


# -- received packages -----------------------------------------------------------------

@pytest.fixture
def world(tmp_path):
    from exchange_support import commune, fill, link, province, send_up
    from test_exchange_bad import keys, parts
    from core.exchange import export_package
    tinh = province(tmp_path)
    xa = commune(tmp_path, "X01")
    link(tinh, xa, tmp_path)
    fill(xa, seed=1, persons=3, events=1)
    assert send_up(xa, tinh, tmp_path, "first")[1].status == "applied"
    good = tmp_path / "next.antq"
    export_package(xa, good)
    manifest, plain = parts(good.read_bytes(), keys(tinh)[1])
    yield tinh, xa, manifest, json.loads(plain), tmp_path
    tinh.close()
    xa.close()


def _resend(world, change):
    from test_exchange_bad import keys, reseal
    from core.exchange import import_file
    tinh, xa, manifest, body, tmp = world
    change(body)
    manifest = dict(manifest, sequence=manifest["sequence"] + 1)
    path = tmp / "changed.antq"
    path.write_bytes(reseal(manifest, json.dumps(body).encode(), keys(xa)[0],
                            tinh.station.box_public))
    return import_file(tinh, path)


def test_a_package_with_a_result_of_no_unit_nor_model_is_refused(world):
    from exchange_support import db_state as package_state
    tinh = world[0]
    before = package_state(tinh)

    def strip(body):
        block = body["records"]["results"]
        for row in block["rows"]:
            row[block["columns"].index("unit_id")] = None
            row[block["columns"].index("model_id")] = None
    result = _resend(world, strip)
    assert result.status == "rejected" and result.error_kind == "invalid_value"
    assert "đơn vị hoặc mô hình" in result.reason and "ngày 02/02/2026" in result.reason
    assert package_state(tinh) == before


def test_a_package_whose_member_joined_before_birth_is_refused(world):
    def early(body):
        block = body["records"]["memberships"]
        block["rows"][0][block["columns"].index("join_date")] = "1901-01-01"
    result = _resend(world, early)
    assert result.status == "rejected" and "trước ngày sinh" in result.reason


def test_a_queued_row_decided_onto_a_later_born_person_is_refused(tmp_path, capsys, station):
    first = _intake_book(tmp_path / "a.xlsx", [
        ("Trần Văn Bình", "12/08/1975", "Kinh", "Tổ viên", "01/01/2000")])
    assert _intake(capsys, station, first)[0] == 0
    later = _intake_book(tmp_path / "b.xlsx", [   # a year alone: queued for review
        ("TRẦN VĂN BÌNH", "1975", "Kinh", "Tổ viên", "01/03/1975")])
    code = cli_run(["--db", str(station), "import-list", str(later), "--model", "Tổ B",
                    "--json"])
    done = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert code == 0 and done["review"] == 1
    cli_run(["--db", str(station), "review", "list", "--json"])
    item = json.loads(capsys.readouterr().out)["items"][0]
    code = cli_run(["--db", str(station), "review", "decide", str(item["id"]), "--same",
                    item["candidates"][0]["person_id"], "--json"])
    assert code == 1 and "trước ngày sinh" in capsys.readouterr().err


def test_an_account_without_a_name_says_so(ctx):
    from core import accounts
    with pytest.raises(UserError, match="^Chưa nhập tên tài khoản.$"):
        accounts.add_user(ctx, "  ", "admin", "mat-khau-123")
    with pytest.raises(UserError, match="chữ không dấu"):
        accounts.add_user(ctx, "quản trị", "admin", "mat-khau-123")


def test_a_commune_is_told_before_sending_a_result_the_province_would_refuse(world):
    from core.exchange import export_package
    from core.repos.activities import ResultRepo
    tinh, xa, _, _, tmp = world
    with xa.store.transaction():    # saved before the rule (the repository skips it)
        ResultRepo(xa.store).save(Result(date="2025-11-03", type="tin_bao", quantity=2))
    sequences = xa.db.execute("SELECT COUNT(*) FROM export_log").fetchone()[0]
    with pytest.raises(UserError, match=r"1 kết quả chưa ghi đơn vị hoặc mô hình "
                                        r"\(ngày 03/11/2025\)"):
        export_package(xa, tmp / "refused.antq")
    assert not (tmp / "refused.antq").exists()
    assert xa.db.execute("SELECT COUNT(*) FROM export_log").fetchone()[0] == sequences


def test_attendance_lists_use_the_club_titles(ctx, village):
    from core.services import attendance
    club = models.save(ctx, Model(name="CLB phòng chống ma túy", type="cau_lac_bo",
                                  unit_ids=[village]))[0]
    team = models.save(ctx, Model(name="Tổ ANND", type="to_an_ninh_nhan_dan",
                                  unit_ids=[village]))[0]
    person, _ = members.save_person(ctx, Person(full_name="Nguyễn Văn An"))
    members.save_membership(ctx, Membership(person_id=person, model_id=club, role="to_truong"))
    members.save_membership(ctx, Membership(person_id=person, model_id=team, role="to_pho"))
    assert attendance.describe(ctx, [person], [club], with_roles=True)[person].role == \
        "Chủ nhiệm"
    both = attendance.describe(ctx, [person], [club, team], with_roles=True)[person].role
    assert both == "Chủ nhiệm (CLB phòng chống ma túy); Tổ phó (Tổ ANND)"
