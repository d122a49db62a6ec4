"""The old 9-digit CMND: its own person field, checked, in the workbook and the exchange."""
from __future__ import annotations

import dataclasses
import json

import openpyxl
import pytest
from exchange_support import commune, fill, link, province, send_up
from test_exchange_bad import keys, parts, reseal

from core import audit, schema
from core.cli import run
from core.errors import ValidationError
from core.exchange import export_package, import_file, verify_file
from core.migrations import migrations
from core.records import Person
from core.repos.persons import PersonRepo
from core.services import members
from core.station import init_station, open_station
from core.workbook import export_workbook, import_workbook, write_template


def test_nine_digits_are_kept_and_anything_else_is_refused(ctx):
    person_id, _ = members.save_person(ctx, Person(full_name="Lê Văn Tám",
                                                   old_id_number="012345678"))
    assert PersonRepo(ctx.store).get(person_id).old_id_number == "012345678"
    for bad in ("12345678", "0123456789", "01234567a"):
        with pytest.raises(ValidationError) as exc:
            members.save_person(ctx, Person(full_name="Lê Văn Chín", old_id_number=bad))
        assert [(e.field, e.message) for e in exc.value.errors] == [
            ("old_id_number", "Số CMND cũ phải gồm đúng 9 chữ số.")]
    assert PersonRepo(ctx.store).count() == 1


def test_a_person_saved_without_one_stores_an_empty_value(ctx):
    person_id, _ = members.save_person(ctx, Person(full_name="Lê Văn Tám"))
    row = ctx.db.execute("SELECT old_id_number FROM persons WHERE id = ?",
                         [person_id]).fetchone()
    assert row == ("",)


# -- a database made before migration 0010 -------------------------------------------

@pytest.fixture
def older_station(tmp_path, monkeypatch):
    """A station made by a program without the field, holding persons; its path."""
    older = dataclasses.replace(schema.PERSON, columns=tuple(
        c for c in schema.PERSON.columns if c not in ("old_id_number", "merged_into")))
    with monkeypatch.context() as patch:
        patch.setitem(schema.ENTITIES, "persons", older)
        patch.setattr(PersonRepo, "entity", older)
        patch.setattr(migrations, "_migrations", [
            m for m in migrations._migrations
            if m.name not in ("0010_old_id_number", "0011_person_number_search",
                              "0012_person_merged_into")])
        ctx = init_station(tmp_path / "older.sqlite3", level="xa", code="X09",
                           name="Công an xã Cũ")
        first, _ = members.save_person(ctx, Person(full_name="Phạm Văn Cũ",
                                                   id_number="001070000001"))
        second, _ = members.save_person(ctx, Person(full_name="Phạm Thị Xưa"))
        assert "old_id_number" not in ctx.store.row("persons", first)
        ctx.close()
    return tmp_path / "older.sqlite3", first, second


def test_migration_keeps_the_audit_check_sound(older_station, capsys):
    path, first, second = older_station
    ctx = open_station(path)
    try:
        assert ctx.db.execute("SELECT old_id_number FROM persons ORDER BY rowid"
                              ).fetchall() == [("",), ("",)]
        indexes = [r[1] for r in ctx.db.execute("PRAGMA index_list(persons)")]
        assert "persons_old_id_number" in indexes
        assert audit.verify(ctx.db) == []
        person = PersonRepo(ctx.store).get(first)
        person.old_id_number = "123456789"
        members.save_person(ctx, person)
        assert audit.verify(ctx.db) == []
        # From the change on, the field is covered: an edit behind the back shows.
        with ctx.db.atomic():
            ctx.db.execute("UPDATE persons SET old_id_number = '999999999' WHERE id = ?",
                           [first])
        assert audit.verify(ctx.db) == [
            f"Bản ghi {first} (bảng persons) đã bị sửa ngoài chương trình "
            "(trường: old_id_number)."]
        with ctx.db.atomic():
            ctx.db.execute("UPDATE persons SET old_id_number = '123456789' WHERE id = ?",
                           [first])
    finally:
        ctx.close()
    capsys.readouterr()
    assert run(["--db", str(path), "check", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True


# -- the data workbook ----------------------------------------------------------------

def _member_sheet(path):
    sheet = openpyxl.load_workbook(path)["Thành viên"]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    return rows[0], rows[1:]


def test_template_and_export_have_the_column(ctx, tmp_path):
    write_template(tmp_path / "mau.xlsx")
    header, _ = _member_sheet(tmp_path / "mau.xlsx")
    assert "Số CMND cũ" in [str(h).rstrip("*") for h in header]
    members.save_person(ctx, Person(full_name="Lê Văn Tám", old_id_number="012345678"))
    export_workbook(ctx, tmp_path / "out.xlsx")
    header, rows = _member_sheet(tmp_path / "out.xlsx")
    assert rows[0][header.index("Số CMND cũ")] == "012345678"


def test_import_reads_the_column_and_pads_a_number_cell(ctx, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Thành viên"
    sheet.append(["Họ và tên", "Ngày sinh", "Số CMND cũ"])
    sheet.append(["Lê Văn Tám", 1970, 12345678])        # lost its leading zero
    sheet.append(["Lê Văn Chín", 1971, "123 456 789"])
    book.save(tmp_path / "in.xlsx")
    report = import_workbook(ctx, tmp_path / "in.xlsx")
    assert report.errors == []
    repo = PersonRepo(ctx.store)
    stored = {p.full_name: p.old_id_number for p in repo.all()}
    assert stored == {"Lê Văn Tám": "012345678", "Lê Văn Chín": "123456789"}
    again = import_workbook(ctx, tmp_path / "in.xlsx")
    assert sum(again.inserted.values()) + sum(again.updated.values()) == 0


def test_import_refuses_a_bad_cmnd_with_its_cell(ctx, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Thành viên"
    sheet.append(["Họ và tên", "Số CMND cũ"])
    sheet.append(["Lê Văn Tám", "12345"])
    book.save(tmp_path / "in.xlsx")
    report = import_workbook(ctx, tmp_path / "in.xlsx")
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "Số CMND cũ", "Số CMND cũ phải gồm đúng 9 chữ số.")]
    assert PersonRepo(ctx.store).count() == 0


# -- the exchange package ---------------------------------------------------------------

def test_the_field_travels_to_the_province(tmp_path):
    tinh, xa = province(tmp_path), commune(tmp_path, "X01")
    try:
        link(tinh, xa, tmp_path)
        made = fill(xa, seed=3, persons=3, events=1)
        person = PersonRepo(xa.store).get(made["people"][0]["id"])
        person.old_id_number = "012345678"
        members.save_person(xa, person)
        _, result = send_up(xa, tinh, tmp_path)
        assert result.status == "applied"
        copy = tinh.store.row("persons", person.id)
        assert copy["old_id_number"] == "012345678"
        assert audit.verify(tinh.db) == []
    finally:
        tinh.close()
        xa.close()


def test_a_package_from_an_older_version_verifies_and_imports(tmp_path):
    """A package whose persons carry no old_id_number column (made before 0010)."""
    tinh, xa = province(tmp_path), commune(tmp_path, "X01")
    try:
        link(tinh, xa, tmp_path)
        made = fill(xa, seed=4, persons=3, events=1)
        export_package(xa, tmp_path / "new.antq")
        manifest, plain = parts((tmp_path / "new.antq").read_bytes(), keys(tinh)[1])
        body = json.loads(plain)
        block = body["records"]["persons"]
        for name in ("merged_into", "old_id_number"):    # neither existed then
            at = block["columns"].index(name)
            block["columns"].pop(at)
            for row in block["rows"]:
                row.pop(at)
        old = tmp_path / "old.antq"
        old.write_bytes(reseal(manifest, json.dumps(body).encode(), keys(xa)[0],
                               tinh.station.box_public))
        assert verify_file(tinh, old).ok
        result = import_file(tinh, old, trust_new=True)
        assert result.status == "applied", result.reason
        first = made["people"][0]
        copy = tinh.store.row("persons", first["id"])
        assert (copy["full_name"], copy["old_id_number"], copy["merged_into"]) == (
            first["full_name"], "", None)
        assert audit.verify(tinh.db) == []
        # Any other change of the column list is still refused.
        block["columns"].insert(at, "something_else")
        for row in block["rows"]:
            row.insert(at, "")
        odd = tmp_path / "odd.antq"
        odd.write_bytes(reseal(manifest, json.dumps(body).encode(), keys(xa)[0],
                               tinh.station.box_public))
        assert verify_file(tinh, odd).ok is False
    finally:
        tinh.close()
        xa.close()
