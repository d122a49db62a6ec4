"""Duplicates across lists: automatic only when sure, the review queue otherwise; repair-text."""
from __future__ import annotations

import json

import openpyxl
import pytest

from core import cipher
from core.cli import run
from core.intake.legacy import encode_tcvn3, encode_vni


@pytest.fixture
def db(tmp_path):
    from core.station import init_station
    path = tmp_path / "station.sqlite3"
    init_station(path, level="xa", code="X01", name="Công an xã Hòa Bình").close()
    return path


def cli(capsys, db, *args) -> tuple[int, dict]:
    code = run(["--db", str(db), *map(str, args), "--json"])
    out = capsys.readouterr().out.strip().splitlines()
    return code, json.loads(out[-1]) if out else {}


def sql(db, query, params=()):
    conn = cipher.connect(db, cipher.known_key(db))
    try:
        return conn.execute(query, params).fetchall()
    finally:
        conn.close()


def book(path, people, header=("STT", "Họ và tên", "Ngày sinh", "Số CCCD", "Địa chỉ")):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH THÀNH VIÊN"])
    ws.append([])
    ws.append(list(header))
    for n, person in enumerate(people, 1):
        ws.append([n, *person])
    wb.save(path)
    return path


def test_names_differing_by_a_tone_mark_are_never_merged_silently(tmp_path, capsys, db):
    cli(capsys, db, "import-list", book(tmp_path / "a.xlsx", [("Nguyễn Thị Hoa", "1970", "", "")]),
        "--model", "Tổ A")
    code, done = cli(capsys, db, "import-list",
                     book(tmp_path / "b.xlsx", [("Nguyễn Thị Hòa", "1970", "", "")]),
                     "--model", "Tổ B")
    assert code == 0 and done["review"] == 1 and done["persons"]["new"] == 0
    assert sql(db, "SELECT COUNT(*) FROM persons") == [(1,)]         # nothing written yet
    items = cli(capsys, db, "review", "list")[1]["items"]
    assert len(items) == 1 and items[0]["name"] == "Nguyễn Thị Hòa"
    (candidate,) = items[0]["candidates"]
    assert candidate["name"] == "Nguyễn Thị Hoa" and "khác dấu" in candidate["reason"]
    # the same file again: still one item waiting, nothing added
    again = cli(capsys, db, "import-list", book(tmp_path / "b.xlsx", [("Nguyễn Thị Hòa", "1970",
                                                                       "", "")]), "--model", "Tổ B")[1]
    assert again["review"] == 1 and len(cli(capsys, db, "review", "list")[1]["items"]) == 1
    code, decided = cli(capsys, db, "review", "decide", items[0]["id"], "--new")
    assert code == 0
    assert sql(db, "SELECT full_name FROM persons ORDER BY full_name") == [
        ("Nguyễn Thị Hoa",), ("Nguyễn Thị Hòa",)]
    assert sql(db, "SELECT o.name FROM memberships m JOIN models o ON o.id = m.model_id"
                   " WHERE m.person_id = ?", (decided["person_id"],)) == [("Tổ B",)]
    assert cli(capsys, db, "review", "list")[1]["items"] == []
    assert cli(capsys, db, "review", "decide", items[0]["id"], "--new")[0] == 1
    # decided: the same file a third time follows the decision
    third = cli(capsys, db, "import-list", tmp_path / "b.xlsx", "--model", "Tổ B")[1]
    assert third["review"] == 0 and third["persons"] == {"new": 0, "matched": 1, "updated": 0}
    assert third["memberships"] == {"new": 0, "matched": 1, "left": 0}


def test_year_in_one_list_full_date_in_another_goes_to_review_then_merges(tmp_path, capsys, db):
    cli(capsys, db, "import-list", book(tmp_path / "a.xlsx", [("Trần Văn Bình", "1975", "", "Xóm 1")]),
        "--model", "Tổ A")
    done = cli(capsys, db, "import-list",
               book(tmp_path / "b.xlsx", [("TRẦN VĂN BÌNH", "12/08/1975", "", "")]),
               "--model", "Tổ B")[1]
    assert done["review"] == 1 and done["persons"]["new"] == 0
    item = cli(capsys, db, "review", "list")[1]["items"][0]
    assert "chỉ có năm sinh" in item["candidates"][0]["reason"]
    person_id = item["candidates"][0]["person_id"]
    code, decided = cli(capsys, db, "review", "decide", item["id"], "--same", person_id)
    assert code == 0 and decided["person_id"] == person_id
    # the more precise value wins; the stored address is kept
    assert sql(db, "SELECT full_name, birth_date, address FROM persons") == [
        ("Trần Văn Bình", "1975-08-12", "Xóm 1")]
    assert sql(db, "SELECT COUNT(*) FROM memberships WHERE person_id = ?", (person_id,)) == [(2,)]


def test_same_id_number_or_same_name_and_full_date_merge_automatically(tmp_path, capsys, db):
    cli(capsys, db, "import-list", book(tmp_path / "a.xlsx", [
        ("Lê Văn Hùng", "1980", "038080001111", ""),
        ("Phan Thị Mai", "02/03/1990", "", "")]), "--model", "Tổ A")
    done = cli(capsys, db, "import-list", book(tmp_path / "b.xlsx", [
        ("Lê Văn Hưng", "05/06/1980", "038080001111", "Thôn 2"),   # same ID, other spelling
        ("Phan Thị  MAI", "2/3/1990", "", "")]), "--model", "Tổ B")[1]
    assert done["review"] == 0 and done["persons"]["matched"] == 2 and done["persons"]["new"] == 0
    spelling = [c for c in done["changes"] if c["field"] == "full_name"]
    assert [(c["stored"], c["in_file"], c["applied"]) for c in spelling] == [
        ("Lê Văn Hùng", "Lê Văn Hưng", False), ("Phan Thị Mai", "Phan Thị MAI", False)]
    assert sql(db, "SELECT full_name, birth_date, address FROM persons ORDER BY full_name") == [
        ("Lê Văn Hùng", "1980-06-05", "Thôn 2"), ("Phan Thị Mai", "1990-03-02", "")]


def test_different_full_dates_are_different_people(tmp_path, capsys, db):
    cli(capsys, db, "import-list", book(tmp_path / "a.xlsx", [("Đỗ Văn Long", "01/01/1960", "", "")]),
        "--model", "Tổ A")
    done = cli(capsys, db, "import-list",
               book(tmp_path / "b.xlsx", [("Đỗ Văn Long", "09/09/1991", "", "")]), "--model", "Tổ A")[1]
    assert done["persons"]["new"] == 1 and done["review"] == 0


def test_review_decide_refuses_bad_input(capsys, db):
    assert run(["--db", str(db), "review", "decide", "99", "--new"]) == 1
    assert "Không có dòng" in capsys.readouterr().err
    assert run(["--db", str(db), "review", "decide"]) == 1


def test_repair_text_mends_tcvn3_and_vni_and_leaves_unicode(tmp_path, capsys, db):
    from core.records import Person
    from core.services.members import save_person, search_persons
    from core.station import open_station
    ctx = open_station(db)
    save_person(ctx, Person(full_name=encode_tcvn3("Nguyễn Văn Hòa"), birth_date="1980"))
    save_person(ctx, Person(full_name=encode_vni("Trần Thị Lụa"), address=encode_vni("Thôn Đông")))
    save_person(ctx, Person(full_name="Ngô Thị Tây", address="Thôn Tây"))
    ctx.close()
    code, dry = cli(capsys, db, "repair-text", "--from", "tcvn3", "--dry-run")
    assert code == 0 and dry["changed"] == {"persons": 1}
    assert sql(db, "SELECT COUNT(*) FROM persons WHERE full_name = 'Nguyễn Văn Hòa'") == [(0,)]
    assert cli(capsys, db, "repair-text", "--from", "tcvn3")[1]["changed"] == {"persons": 1}
    assert cli(capsys, db, "repair-text", "--from", "vni")[1]["changed"] == {"persons": 1}
    assert sql(db, "SELECT full_name, given_name, address FROM persons ORDER BY rowid") == [
        ("Nguyễn Văn Hòa", "Hòa", ""), ("Trần Thị Lụa", "Lụa", "Thôn Đông"),
        ("Ngô Thị Tây", "Tây", "Thôn Tây")]
    assert cli(capsys, db, "repair-text", "--from", "tcvn3")[1]["changed"] == {}
    ctx = open_station(db)
    try:
        assert len(search_persons(ctx, "nguyen van hoa").ids) == 1     # search key rebuilt
        audited = ctx.db.execute("SELECT COUNT(*) FROM audit WHERE table_name = 'persons'"
                                 " AND op = 'update'").fetchone()[0]
        assert audited == 2
    finally:
        ctx.close()


def test_a_merged_away_person_does_not_come_back(tmp_path, capsys, db):
    first = book(tmp_path / "a.xlsx", [("Võ Văn Tài", "1966", "", "Xóm 3")])
    cli(capsys, db, "import-list", first, "--model", "Tổ A")
    second = book(tmp_path / "b.xlsx", [("Võ Văn Tài", "04/07/1966", "038066002222", "")])
    cli(capsys, db, "import-list", second, "--model", "Tổ A")
    (item,) = cli(capsys, db, "review", "list")[1]["items"]
    cli(capsys, db, "review", "decide", item["id"], "--new")     # wrongly taken as new
    keep = sql(db, "SELECT id FROM persons WHERE id_number = '038066002222'")[0][0]
    gone = sql(db, "SELECT id FROM persons WHERE id_number = ''")[0][0]
    merged = run(["--db", str(db), "merge-persons", keep, gone])
    assert merged == 0, capsys.readouterr().err
    for path in (first, second):
        done = cli(capsys, db, "import-list", path, "--model", "Tổ A")[1]
        assert done["persons"]["new"] == 0 and done["review"] == 0, done
    assert sql(db, "SELECT COUNT(*) FROM persons WHERE deleted = 0") == [(1,)]
