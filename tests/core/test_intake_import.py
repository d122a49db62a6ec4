"""Lists of every kind go in through ``import-list`` and nothing garbled is stored."""
from __future__ import annotations

import json
import unicodedata

import pytest

from core import cipher
from core.cli import run
import intake_files as F

BASES = "aăâeêioôơuưy"
TONES = ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]
_LETTERS = {unicodedata.normalize("NFC", unicodedata.normalize("NFD", b) + t)
            for b in BASES for t in TONES} | set("bcdđfghjklmnpqrstvwxz")
ALLOWED = _LETTERS | {c.upper() for c in _LETTERS} | {chr(i) for i in range(32, 127)}
TEXT_COLUMNS = {"persons": ("full_name", "family_name", "middle_name", "given_name",
                            "address", "notes"),
                "models": ("name",), "units": ("name",), "events": ("title",),
                "results": ("description",)}


def garbled(db) -> list[str]:
    """Every stored text holding a character outside the Vietnamese alphabet and ASCII."""
    conn = cipher.connect(db, cipher.known_key(db))
    found = []
    for table, columns in TEXT_COLUMNS.items():
        for column in columns:
            for (value,) in conn.execute(f"SELECT {column} FROM {table}"):
                if value and (set(value) - ALLOWED or not unicodedata.is_normalized("NFC", value)):
                    found.append(f"{table}.{column}: {value!r}")
    conn.close()
    return found


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


def rows(db, sql, params=()):
    conn = cipher.connect(db, cipher.known_key(db))
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def members(db, model):
    return sorted(rows(db, "SELECT p.full_name, p.birth_date, m.role, m.leave_date IS NOT NULL"
                           " FROM memberships m JOIN persons p ON p.id = m.person_id"
                           " JOIN models o ON o.id = m.model_id WHERE o.name = ?"
                           " AND m.deleted = 0", (model,)))


@pytest.mark.parametrize("encoding,font,caps", [("tcvn3", ".VnTime", False),
                                                ("vni", "VNI-Times", True),
                                                ("unicode", "Times New Roman", True)])
def test_member_list_in_any_encoding(tmp_path, capsys, db, encoding, font, caps):
    path = F.member_book(tmp_path / "list.xlsx", encoding=encoding, font=font, caps=caps,
                         hidden=(5,))
    code, seen = cli(capsys, db, "inspect-list", path)
    assert code == 0
    sheet = seen["sheets"][0]
    assert sheet["header_row"] == 4 and sheet["data_rows"] == 6
    assert sheet["columns"]["Họ và tên"] == "full_name"
    assert sheet["encodings"]["Họ và tên"] == encoding
    assert sheet["hidden_rows"] == [9]
    assert [r["reason"] for r in sheet["excluded_rows"]][0] == "Dòng tổng cộng"
    assert len(sheet["excluded_rows"]) == 4        # total, place/date, titles, signatures
    assert rows(db, "SELECT COUNT(*) FROM persons") == [(0,)]   # inspecting wrote nothing

    code, done = cli(capsys, db, "import-list", path, "--model", "Tổ ANND thôn Đông")
    assert code == 0, done
    assert done["applied"] is True and done["errors"] == []
    assert done["persons"] == {"new": 6, "matched": 0, "updated": 0}
    assert done["memberships"]["new"] == 6 and done["memberships"]["left"] == 1
    assert done["excluded_rows"] == 4 and done["review"] == 0
    got = members(db, "Tổ ANND thôn Đông")
    names = {g[0] for g in got}
    assert "Nguyễn Văn Hòa" in names and "Phạm Thị Hường" in names and "Trần Thị Lan" in names
    assert ("Nguyễn Văn Hòa", "1987-04-27", "to_truong", 0) in got
    assert ("Phạm Thị Hường", "1976-03-27", "thanh_vien", 0) in got   # from 27.3.76
    assert ("Trần Thị Lan", "1973-11-10", "to_pho", 0) in got         # from 10-11-1973
    assert [g for g in got if g[3]] == [("Hoàng Văn Ất" if encoding != "tcvn3"
                                         else "Hoàng Văn ất", "1990", "thanh_vien", 1)]
    assert rows(db, "SELECT id_number, phone FROM persons WHERE full_name = ?",
                ("Nguyễn Văn Hòa",)) == [("038087001234", "0912345678")]  # zeros put back
    assert garbled(db) == []
    if encoding == "tcvn3":   # "Ánh" has no TCVN3 code: flagged, never guessed
        assert any("ánh" in w for w in done["warnings"])

    again = cli(capsys, db, "import-list", path, "--model", "Tổ ANND thôn Đông")[1]
    assert again["persons"]["new"] == 0 and again["memberships"]["new"] == 0
    assert again["persons"]["matched"] == 6 and again["review"] == 0
    assert rows(db, "SELECT COUNT(*) FROM persons") == [(6,)]


def test_a_later_unicode_list_restores_the_lost_capitals(tmp_path, capsys, db):
    cli(capsys, db, "import-list", F.member_book(tmp_path / "a.xlsx", encoding="tcvn3",
                                                 font=".VnTime"), "--model", "Tổ A")
    done = cli(capsys, db, "import-list", F.member_book(tmp_path / "b.xlsx"), "--model", "Tổ A")[1]
    assert done["persons"]["new"] == 0
    change = [c for c in done["changes"] if c["field"] == "full_name"]
    assert {(c["stored"], c["in_file"], c["applied"]) for c in change} == {
        ("Hoàng Văn ất", "Hoàng Văn Ất", True), ("Vũ Thị ánh", "Vũ Thị Ánh", True)}
    assert rows(db, "SELECT given_name FROM persons WHERE full_name = 'Vũ Thị Ánh'") == [("Ánh",)]


def test_hidden_rows_skip_or_active(tmp_path, capsys, db):
    path = F.member_book(tmp_path / "list.xlsx", hidden=(2, 3))
    done = cli(capsys, db, "import-list", path, "--model", "Tổ A", "--hidden", "skip")[1]
    assert done["persons"]["new"] == 4 and done["hidden_skipped"] == 2
    done = cli(capsys, db, "import-list", path, "--model", "Tổ B", "--hidden", "active")[1]
    # Hoàng Văn Ất (born "1990", no ID) in another model: only a year to compare, so
    # he waits for review; the two hidden ones are new, the others matched.
    assert done["memberships"]["new"] == 5 and done["memberships"]["left"] == 0
    assert done["persons"]["new"] == 2 and done["review"] == 1


def test_two_row_header_split_name_and_gender_from_column(tmp_path, capsys, db):
    path = F.two_row_header(tmp_path / "two.xlsx")
    sheet = cli(capsys, db, "inspect-list", path)[1]["sheets"][0]
    assert sheet["header_row"] == 6
    assert sheet["columns"]["Năm sinh / Nam"] == "birth_male"
    assert sheet["columns"]["Năm sinh / Nữ"] == "birth_female"
    assert {"row": 7, "reason": "Dòng đánh số cột"} in sheet["excluded_rows"]
    code, done = cli(capsys, db, "import-list", path, "--model-per-sheet")
    assert code == 0 and done["persons"]["new"] == 4
    got = dict((r[0], r[1:]) for r in rows(db, "SELECT full_name, gender, birth_date, given_name"
                                               " FROM persons"))
    assert got["Đỗ Văn Minh"] == ("nam", "1965", "Minh")
    assert got["Ngô Thị Hoa"] == ("nu", "1970", "Hoa")
    assert got["Bùi Văn Nam"] == ("nam", "1982-05-06", "Nam")
    assert got["Đặng Thị Thu"] == ("nu", "1976-08-28", "Thu")   # Excel serial 28000
    assert rows(db, "SELECT name, type FROM models") == [("Tổ tự quản", "to_tu_quan")]


def test_old_xls_in_tcvn3_with_cmnd_and_numeric_cccd(tmp_path, capsys, db):
    path = F.xls_book(tmp_path / "old.xls")
    sheet = cli(capsys, db, "inspect-list", path)[1]["sheets"][0]
    assert sheet["encodings"]["Họ tên"] == "tcvn3" and sheet["hidden_rows"] == [5]
    assert sheet["title"] == "DANH SÁCH TỔ AN NINH NHÂN DÂN THÔN NAM"   # .VnTimeH
    code, done = cli(capsys, db, "import-list", path, "--model", "Tổ ANND thôn Nam")
    assert code == 0, done
    got = {r[0]: r[1:] for r in rows(db, "SELECT full_name, id_number, old_id_number, address"
                                         " FROM persons")}
    assert got["Trịnh Thị Mận"] == ("", "123456789", "Thôn Nam")
    assert got["Lý Văn Sơn"] == ("038068009999", "", "Thôn Nam")
    assert members(db, "Tổ ANND thôn Nam")[2] == ("Trịnh Thị Mận", "1979-06-05", "thanh_vien", 1)
    assert rows(db, "SELECT u.name FROM units u") == [("Thôn Nam",)]
    assert garbled(db) == []


@pytest.mark.parametrize("encoding,delimiter", [("utf-8-sig", ";"), ("utf-8", ","),
                                                ("cp1258", ",")])
def test_csv_lists(tmp_path, capsys, db, encoding, delimiter):
    path = F.csv_book(tmp_path / "list.csv", encoding=encoding, delimiter=delimiter)
    sheet = cli(capsys, db, "inspect-list", path)[1]["sheets"][0]
    assert sheet["header_row"] == 3 and sheet["data_rows"] == 3
    assert sheet["encodings"]["Họ và tên"] == ("cp1258" if encoding == "cp1258" else "unicode")
    code, done = cli(capsys, db, "import-list", path, "--model", "Tổ hòa giải thôn Bắc")
    assert code == 0 and done["persons"]["new"] == 3
    assert members(db, "Tổ hòa giải thôn Bắc")[0] == ("Mai Thị Yến", "1991-09-21",
                                                     "thanh_vien", 0)
    assert rows(db, "SELECT type FROM models") == [("to_hoa_giai",)]
    assert garbled(db) == []


def test_model_per_sheet_and_combined_list(tmp_path, capsys, db):
    east, west = F.PEOPLE[:3], F.PEOPLE[3:]
    path = F.member_book(tmp_path / "sheets.xlsx", sheets={"Tổ ANND thôn Đông": east,
                                                           "Tổ tự quản thôn Tây": west})
    code, done = cli(capsys, db, "import-list", path, "--model-per-sheet")
    assert code == 0 and done["persons"]["new"] == 6
    assert len(members(db, "Tổ tự quản thôn Tây")) == 3
    assert rows(db, "SELECT name FROM units ORDER BY name") == [("Thôn Tây",), ("Thôn Đông",)]
    people = [p + (("CLB phòng chống ma túy",) if i % 2 else ("Tổ ANND thôn Đông",))
              for i, p in enumerate(F.PEOPLE)]
    combined = F.member_book(tmp_path / "combined.xlsx", people=people, model_column="Mô hình")
    done = cli(capsys, db, "import-list", combined)[1]
    assert done["persons"] == {"new": 0, "matched": 5, "updated": 0}
    assert done["review"] == 1          # Lê Văn Đức, born "1977": a year only
    assert done["memberships"] == {"new": 3, "matched": 2, "left": 0}
    assert done["models"]["new"] == ["CLB phòng chống ma túy"]
    assert len(members(db, "CLB phòng chống ma túy")) == 3


def test_formulas_use_cached_values(tmp_path, capsys, db):
    from core.intake import read_file
    path = F.member_book(tmp_path / "f.xlsx", formulas=True)
    grid = read_file(path).sheets[0]
    assert [grid.cell(r, 1) for r in range(5, 11)] == [1, 2, 3, 4, 5, 6]
    assert cli(capsys, db, "import-list", path, "--model", "Tổ A")[1]["persons"]["new"] == 6


def test_attendance_sheet_becomes_one_event(tmp_path, capsys, db):
    cli(capsys, db, "import-list", F.member_book(tmp_path / "m.xlsx"), "--model", "Tổ A")
    path = F.attendance_book(tmp_path / "att.xlsx")
    assert cli(capsys, db, "inspect-list", path)[1]["sheets"][0]["kind"] == "attendance"
    code, done = cli(capsys, db, "import-list", path)
    assert code == 0 and done["events"]["new"] == 1 and done["persons"]["new"] == 0
    assert {u["name"] for u in done["unmatched"]} == {"Người Lạ Mặt", "Đoàn Văn Khách"}
    (event_id, date, kind, participants), = rows(
        db, "SELECT id, date, type, participants FROM events")
    assert (date, kind, participants) == ("2025-03-15", "tuyen_truyen", 4)
    assert len(rows(db, "SELECT person_id FROM event_attendees WHERE event_id = ?",
                    (event_id,))) == 2
    assert cli(capsys, db, "import-list", path)[1]["events"] == {"new": 0, "matched": 1}


def test_household_list_becomes_a_result(tmp_path, capsys, db):
    path = F.household_book(tmp_path / "hh.xlsx")
    # A result is counted for a unit or a model (the forms' rule): the list names neither.
    code, done = cli(capsys, db, "import-list", path)
    assert code == 1 and done["applied"] is False
    assert "Chưa ghi đơn vị hoặc mô hình" in done["errors"][0]["message"]
    assert rows(db, "SELECT COUNT(*) FROM results") == [(0,)]
    code, done = cli(capsys, db, "import-list", path, "--model", "Tổ tự quản thôn Đông")
    assert code == 0 and done["results"]["new"] == 1 and done["persons"]["new"] == 0
    assert rows(db, "SELECT type, quantity, date FROM results") == [
        ("ho_ky_cam_ket", 7, "2025-04-01")]
    again = cli(capsys, db, "import-list", path, "--model", "Tổ tự quản thôn Đông")[1]
    assert again["results"] == {"new": 0, "matched": 1}


def test_every_error_of_a_row_at_once_and_nothing_written(tmp_path, capsys, db):
    bad = [("Nguyễn Văn Sai", "31/02/1980", "Thôn Đông", "Tổ viên", "12345", ""),
           ("Trần Văn Đúng", "1980", "Thôn Đông", "Tổ viên", "", "")]
    path = F.member_book(tmp_path / "bad.xlsx", people=bad)
    code, done = cli(capsys, db, "import-list", path, "--model", "Tổ A")
    assert code == 1 and done["applied"] is False
    assert {(e["row"], e["column"]) for e in done["errors"]} == {(5, "Năm sinh"), (5, "Số CCCD")}
    assert rows(db, "SELECT COUNT(*) FROM persons") == [(0,)]
    assert rows(db, "SELECT COUNT(*) FROM models") == [(0,)]


def test_bad_input_is_refused_in_vietnamese(tmp_path, capsys, db):
    text = tmp_path / "x.docx"
    text.write_bytes(b"not a list")
    assert run(["--db", str(db), "import-list", str(text)]) == 1
    assert "không phải bảng tính" in capsys.readouterr().err
    assert run(["--db", str(db), "import-list", str(tmp_path / "none.xlsx")]) == 1
    assert run(["--db", str(db), "inspect-list", str(F.member_book(tmp_path / "s.xlsx")),
                "--sheet", "Không có"]) == 1
    assert "không có trang" in capsys.readouterr().err
    mapping = tmp_path / "m.json"
    mapping.write_text('{"Họ và tên": "khong_co"}', encoding="utf-8")
    path = F.member_book(tmp_path / "l.xlsx")
    assert run(["--db", str(db), "import-list", str(path), "--mapping", str(mapping)]) == 1
    assert "không có" in capsys.readouterr().err


def test_mapping_file_and_remembered_mapping(tmp_path, capsys, db):
    path = F.member_book(tmp_path / "l.xlsx", header=("STT", "Tên người", "Năm sinh", "Chỗ ở",
                                                      "Chức vụ", "Số CCCD", "SĐT"))
    sheet = cli(capsys, db, "inspect-list", path)[1]["sheets"][0]
    assert sheet["columns"]["Tên người"] is None     # the program does not know it
    mapping = tmp_path / "m.json"
    mapping.write_text(json.dumps({"Tên người": "full_name"}, ensure_ascii=False), "utf-8")
    code, done = cli(capsys, db, "import-list", path, "--model", "Tổ A", "--mapping", mapping)
    assert code == 0 and done["persons"]["new"] == 6
    # The confirmed mapping is remembered for the next file with the same headers.
    sheet = cli(capsys, db, "inspect-list", path)[1]["sheets"][0]
    assert sheet["columns"]["Tên người"] == "full_name"


def test_writes_need_an_editor(tmp_path, capsys, db, monkeypatch):
    from core import accounts
    from core.station import open_station
    ctx = open_station(db)
    accounts.add_user(ctx, "quantri", "admin", "matkhau-dai-1")
    accounts.sign_in(ctx, "quantri", "matkhau-dai-1")
    accounts.add_user(ctx, "canbo", "editor", "matkhau-dai-2")
    accounts.add_user(ctx, "xem", "viewer", "matkhau-dai-3")
    ctx.close()
    path = F.member_book(tmp_path / "l.xlsx")
    args = ["import-list", str(path), "--model", "Tổ A"]
    assert run(["--db", str(db), *args]) == 1                  # nobody signed in
    monkeypatch.setenv("ANTQ_PASSWORD", "matkhau-dai-3")
    assert run(["--db", str(db), "--user", "xem", *args]) == 1     # a viewer
    assert run(["--db", str(db), "--user", "xem", "inspect-list", str(path)]) == 0
    capsys.readouterr()
    assert rows(db, "SELECT COUNT(*) FROM persons") == [(0,)]
    monkeypatch.setenv("ANTQ_PASSWORD", "matkhau-dai-2")
    assert run(["--db", str(db), "--user", "canbo", *args]) == 0


def test_attendance_without_a_date_needs_one(tmp_path, capsys, db):
    import openpyxl
    path = F.attendance_book(tmp_path / "att.xlsx")
    wb = openpyxl.load_workbook(path)
    wb.active["A2"].value = "DANH SÁCH ĐIỂM DANH HỘI NGHỊ"
    wb.save(path)
    code, done = cli(capsys, db, "import-list", path)
    assert code == 1 and "--date" in done["errors"][0]["message"]
    code, done = cli(capsys, db, "import-list", path, "--date", "02/09/2025")
    assert code == 0 and rows(db, "SELECT date, type FROM events") == [("2025-09-02", "hoi_nghi")]


def test_undecidable_encoding_blocks_the_column_until_chosen(tmp_path, capsys, db):
    people = [("Ø¸Ø¸ µ¶·", "1980", "Thôn Đông", "Tổ viên", "", ""),
              ("ÞÞÞ ¹¹", "1981", "Thôn Đông", "Tổ viên", "", "")]
    path = F.member_book(tmp_path / "odd.xlsx", people=people)
    sheet = cli(capsys, db, "inspect-list", path)[1]["sheets"][0]
    assert sheet["ambiguous"] == ["Họ và tên"]
    code, done = cli(capsys, db, "import-list", path, "--model", "Tổ A")
    assert code == 1 and any(e["column"] == "Họ và tên" and "bảng mã" in e["message"]
                             for e in done["errors"])
    assert rows(db, "SELECT COUNT(*) FROM persons") == [(0,)]
    choice = tmp_path / "choice.json"
    choice.write_text(json.dumps({"encodings": {"Danh sách": {"Họ và tên": "tcvn3"}}}), "utf-8")
    code, done = cli(capsys, db, "import-list", path, "--model", "Tổ A", "--mapping", choice)
    assert code == 0 and done["persons"]["new"] == 2
    assert garbled(db) == []
