"""The same entry rules at the forms (services) and the data workbook.

Control characters, impossible sizes and a joining date before the birth date
are refused with a located Vietnamese message, and nothing is written.
"""
from __future__ import annotations

import shutil
import zipfile

import pytest
from test_workbook import base_sheets, db_state, error_cells, set_cell, write_book

from core.errors import ValidationError
from core.records import Membership, Model, Person, Unit
from core.services import members, models, units
from core.workbook import import_workbook
from core.workbook.exporter import export_workbook


@pytest.mark.parametrize("text", ["Lê Thị\x07 Bé", "Lê\x00Thị", "Lê Thị \x9b", "Lê \ud800"])
def test_a_form_refuses_control_characters(ctx, text):
    with pytest.raises(ValidationError) as caught:
        members.save_person(ctx, Person(full_name=text))
    assert any(e.field == "full_name" and "ký tự điều khiển" in e.message
               for e in caught.value.errors)
    assert ctx.db.execute("SELECT COUNT(*) FROM persons").fetchone()[0] == 0


def test_a_form_refuses_a_text_no_document_can_hold(ctx):
    with pytest.raises(ValidationError) as caught:
        units.save(ctx, Unit(name="Thôn " * 100, type="khu_dan_cu"))
    assert caught.value.errors[0].field == "name"
    notes = "Ghi chú dài. " * 150          # 1.950 characters: a paragraph is fine
    unit_id, _ = units.save(ctx, Unit(name="Thôn Đông", type="khu_dan_cu", notes=notes))
    assert unit_id


def test_a_form_refuses_joining_before_birth(ctx):
    unit_id, _ = units.save(ctx, Unit(name="Thôn Đông", type="khu_dan_cu"))
    model_id, _ = models.save(ctx, Model(name="Tổ ANND", unit_ids=[unit_id]))
    person_id, _ = members.save_person(ctx, Person(full_name="Lê Văn Nam",
                                                   birth_date="1990-06-01"))
    with pytest.raises(ValidationError) as caught:
        members.save_membership(ctx, Membership(person_id=person_id, model_id=model_id,
                                                join_date="1989-01-01"))
    assert caught.value.errors[0].field == "join_date"
    members.save_membership(ctx, Membership(person_id=person_id, model_id=model_id,
                                            join_date="2010-01-01"))


def _with_control_character(path, marker: str, code: str):
    """Rewrite the workbook so that *marker* reads back with a control character.

    openpyxl refuses to write one; a workbook from elsewhere carries it escaped
    as ``_xHHHH_``, which readers decode.
    """
    temp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(temp, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            out.writestr(item, data.replace(marker.encode(), f"_x{code}_".encode()))
    shutil.move(temp, path)


def test_the_workbook_refuses_control_characters_as_cell_errors(ctx, tmp_path):
    sheets = base_sheets()
    set_cell(sheets, "Thành viên", 2, "Họ và tên", "Lê Thị ZZCTRL Bé")
    path = write_book(tmp_path / "data.xlsx", sheets)
    _with_control_character(path, "ZZCTRL", "0007")
    before = db_state(ctx)
    report = import_workbook(ctx, path)
    assert ("Thành viên", 2, "Họ và tên") in error_cells(report)
    assert db_state(ctx) == before


def test_the_workbook_refuses_huge_numbers_and_joining_before_birth(ctx, tmp_path):
    sheets = base_sheets()
    set_cell(sheets, "Đơn vị", 4, "Số hộ", 1e30)
    set_cell(sheets, "Thành viên", 2, "Ngày tham gia", "01/01/1970")
    before = db_state(ctx)
    report = import_workbook(ctx, write_book(tmp_path / "data.xlsx", sheets))
    cells = error_cells(report)
    assert ("Đơn vị", 4, "Số hộ") in cells
    assert ("Thành viên", 2, "Ngày tham gia") in cells
    assert any("quá lớn" in e.message for e in report.errors)
    assert db_state(ctx) == before


def test_a_formula_typed_in_a_form_is_exported_as_text(ctx, tmp_path):
    import openpyxl
    units.save(ctx, Unit(name='=HYPERLINK("http://x.invalid","Bấm")', type="khu_dan_cu"))
    units.save(ctx, Unit(name="@SUM(A1)", type="khu_dan_cu"))
    export_workbook(ctx, tmp_path / "out.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx")["Đơn vị"]
    names = [c for c in sheet["A"][1:]]
    assert {c.value for c in names} == {'=HYPERLINK("http://x.invalid","Bấm")', "@SUM(A1)"}
    assert all(c.data_type == "s" for c in names)


def test_rules_api():
    from core import rules
    assert rules.text_problem("Nguyễn Văn A") is None
    assert rules.text_problem("a\x1b") and rules.text_problem("a\nb")
    assert rules.text_problem("a\nb", long=True) is None
    assert rules.date_problem("2026-02-30") and rules.date_problem("1800-01-01")
    assert rules.date_problem("2024-02-29") is None
    assert rules.whole_problem(-1) and rules.whole_problem(5) is None
    assert rules.code_problem("x", {"a"}) and rules.code_problem("a", {"a"}) is None


def test_a_form_refuses_dates_outside_the_years_of_any_record(ctx):
    """1900–2100, as a received package has it: a form may not store what the province
    would then refuse."""
    with pytest.raises(ValidationError) as caught:
        members.save_person(ctx, Person(full_name="Lê Văn Cổ", birth_date="1850-01-01"))
    assert [(e.field, e.message) for e in caught.value.errors] == [
        ("birth_date", "Ngày “01/01/1850”: năm 1850 nằm ngoài khoảng 1900–2100.")]
    with pytest.raises(ValidationError) as caught:
        members.save_person(ctx, Person(full_name="Lê Văn Cổ", birth_date="1850"))
    assert caught.value.errors[0].field == "birth_date"
    unit_id, _ = units.save(ctx, Unit(name="Thôn Đông", type="khu_dan_cu"))
    with pytest.raises(ValidationError) as caught:
        models.save(ctx, Model(name="Tổ ANND", unit_ids=[unit_id], launch_date="2150-03-01"))
    assert caught.value.errors[0].field == "launch_date"
    assert ctx.db.execute("SELECT COUNT(*) FROM persons").fetchone()[0] == 0
    members.save_person(ctx, Person(full_name="Lê Văn Cổ", birth_date="1900"))


def test_the_workbook_refuses_the_same_dates_with_the_same_words(ctx, tmp_path):
    sheets = base_sheets()
    set_cell(sheets, "Thành viên", 2, "Ngày tham gia", "01/01/2150")
    before = db_state(ctx)
    report = import_workbook(ctx, write_book(tmp_path / "data.xlsx", sheets))
    assert ("Thành viên", 2, "Ngày tham gia") in error_cells(report)
    assert any("Ngày “01/01/2150”: năm 2150 nằm ngoài khoảng 1900–2100." in e.message
               for e in report.errors), [e.message for e in report.errors]
    assert db_state(ctx) == before


def test_the_workbook_refuses_a_text_no_document_can_hold(ctx, tmp_path):
    """The length rule of the forms, as a cell error of the data workbook."""
    sheets = base_sheets()
    set_cell(sheets, "Thành viên", 2, "Họ và tên", "Lê Văn " + "Dài " * 80)
    set_cell(sheets, "Đơn vị", 4, "Địa chỉ", "Thôn " * 50)
    before = db_state(ctx)
    report = import_workbook(ctx, write_book(tmp_path / "data.xlsx", sheets))
    cells = error_cells(report)
    assert ("Thành viên", 2, "Họ và tên") in cells and ("Đơn vị", 4, "Địa chỉ") in cells
    assert any("quá giới hạn 200 ký tự" in e.message for e in report.errors)
    assert db_state(ctx) == before


def test_a_count_the_province_would_refuse_is_refused_by_the_form_and_the_workbook(
        ctx, tmp_path):
    with pytest.raises(ValidationError) as caught:
        units.save(ctx, Unit(name="Thôn Đông", type="khu_dan_cu", households=20_000_000))
    assert [(e.field, e.message) for e in caught.value.errors] == [
        ("households", "Số phải từ 0 đến 10.000.000.")]
    sheets = base_sheets()
    set_cell(sheets, "Đơn vị", 4, "Số hộ", 20_000_000)
    before = db_state(ctx)
    report = import_workbook(ctx, write_book(tmp_path / "data.xlsx", sheets))
    assert ("Đơn vị", 4, "Số hộ") in error_cells(report)
    assert db_state(ctx) == before
