"""The official list of administrative units, init by code, the province's register
of communes and completeness against it (issue 18)."""
from __future__ import annotations

import datetime as dt

import pytest
from exchange_support import cli, fill, link

from core import admin_units
from core.errors import UserError
from core.exchange import export_package, import_files
from core.exchange.completeness import completeness, next_cutoff, period_ended
from core.exchange.register import note_fingerprint, register, revoke
from core.periods import parse_period
from core.station import init_station, open_station


def test_bundled_list_counts():
    units = admin_units.bundled_units()
    provinces = [u for u in units if u.level == "tinh"]
    assert len(provinces) == 34 and len(units) - 34 == 3321
    gia_lai = [u for u in units if u.parent_code == "52"]
    assert len(gia_lai) == 135
    assert {u.division_type for u in units if u.level == "xa"} == {"xã", "phường", "đặc khu"}


@pytest.mark.parametrize("name, kind, expected", [
    ("Phường Quy Nhơn", "phường", "Công an phường Quy Nhơn"),
    ("Xã Ia Grai", "xã", "Công an xã Ia Grai"),
    ("Đặc khu Côn Đảo", "đặc khu", "Công an đặc khu Côn Đảo"),
    ("Gia Lai", "tỉnh", "Công an tỉnh Gia Lai"),
    ("Thành phố Hà Nội", "thành phố trung ương", "Công an thành phố Hà Nội"),
])
def test_station_names(name, kind, expected):
    assert admin_units.station_name(name, kind) == expected


def test_init_by_code(tmp_path, capsys):
    code, out = cli(capsys, tmp_path / "x.db", "init", "--level", "xa", "--code", "21583")
    assert code == 0 and out["name"] == "Công an phường Quy Nhơn"
    assert out["parent_code"] == "52" and out["listed"] is True
    code, out = cli(capsys, tmp_path / "t.db", "init", "--level", "tinh", "--code", "52")
    assert code == 0 and out["name"] == "Công an tỉnh Gia Lai" and out["listed"] is True
    code, out = cli(capsys, tmp_path / "h.db", "init", "--level", "tinh", "--code", "01")
    assert out["name"] == "Công an thành phố Hà Nội"


def test_unlisted_code_needs_a_name(tmp_path, capsys):
    code, out = cli(capsys, tmp_path / "u.db", "init", "--level", "xa", "--code", "99999")
    assert code == 1 and "--name" in out["error"]
    assert not (tmp_path / "u.db").exists()
    # a commune code given as a province is not a listed province either
    code, out = cli(capsys, tmp_path / "w.db", "init", "--level", "tinh", "--code", "21583")
    assert code == 1
    code, out = cli(capsys, tmp_path / "u.db", "init", "--level", "xa", "--code", "99999",
                    "--name", "Công an xã Tập Huấn", "--parent", "52")
    assert code == 0 and out["listed"] is False
    ctx = open_station(tmp_path / "u.db")
    assert ctx.station.display_name == "Công an xã Tập Huấn (ngoài danh mục)"
    ctx.close()


def test_wrong_parent_for_a_listed_commune(tmp_path):
    with pytest.raises(UserError, match="thuộc tỉnh có mã 52"):
        init_station(tmp_path / "x.db", level="xa", code="21583", parent_code="01")


def test_search_without_diacritics(ctx):
    found = admin_units.communes(ctx.db, "52", "quy nhon")
    assert [u.name for u in found][:1] == ["Phường Quy Nhơn"]
    assert all("Quy Nhơn" in u.name for u in found)
    assert admin_units.communes(ctx.db, "52", "dak") == admin_units.communes(ctx.db, "52", "đắk")


def _province(tmp_path):
    return init_station(tmp_path / "gl.db", level="tinh", code="52")


def _commune(tmp_path, code):
    return init_station(tmp_path / f"{code}.db", level="xa", code=code)


def test_register_lists_every_commune_from_the_first_minute(tmp_path, capsys):
    tinh = _province(tmp_path)
    rows = register(tinh)
    assert len(rows) == 135 and not any(r.enrolled for r in rows)
    db = tinh.path
    tinh.close()
    code, out = cli(capsys, db, "communes")
    assert code == 0 and len(out["communes"]) == 135
    assert {"code", "name", "enrolled", "fingerprint", "last_sequence",
            "last_imported_at"} <= set(out["communes"][0])
    code, out = cli(capsys, db, "completeness", "--period", "2026-06")
    assert code == 0 and {r["status"] for r in out["communes"]} == {"chua_gui"}
    assert len(out["missing"]) == 135 and out["ended"] is True


def test_completeness_after_one_commune_sent(tmp_path):
    tinh, xa = _province(tmp_path), _commune(tmp_path, "21583")
    link(tinh, xa, tmp_path)
    fill(xa, seed=3, persons=2, events=1)
    up = tmp_path / "up.antq"
    export_package(xa, up)
    [result] = import_files(tinh, [up], trust_new=True)
    assert result.status == "applied"
    period = parse_period(f"{dt.date.today().year - 1}")
    rows = {r["code"]: r for r in completeness(tinh, period)}
    assert len(rows) == 135 and rows["21583"]["status"] == "du"
    assert rows["21583"]["name"] == "Phường Quy Nhơn"
    assert sum(r["status"] == "chua_gui" for r in rows.values()) == 134
    line = next(r for r in register(tinh) if r.code == "21583")
    assert line.enrolled and line.fingerprint == xa.station.fingerprint
    assert line.last_sequence == 1 and line.last_imported_at
    from core.report import build_report
    report = build_report(tinh, period)
    assert report["commune_names"] == {"21583": "Phường Quy Nhơn"}


def test_noted_fingerprint_verifies_the_first_file(tmp_path):
    tinh, xa, other = (_province(tmp_path), _commune(tmp_path, "21583"),
                       init_station(tmp_path / "o.db", level="xa", code="21583"))
    link(tinh, xa, tmp_path)
    link(tinh, other, tmp_path)
    note_fingerprint(tinh, "21583", xa.station.fingerprint.replace(" ", "").lower(), "điện thoại")
    forged = tmp_path / "forged.antq"
    export_package(other, forged)
    [result] = import_files(tinh, [forged], trust_new=True)
    assert result.status == "rejected" and result.error_kind == "fingerprint_mismatch"
    up = tmp_path / "up.antq"
    export_package(xa, up)
    [result] = import_files(tinh, [up])          # no --trust-new: verified by the note
    assert result.status == "applied" and "khớp" in result.reason


def test_revoke_then_new_key_pinned_on_confirmation(tmp_path):
    tinh, xa = _province(tmp_path), _commune(tmp_path, "21583")
    link(tinh, xa, tmp_path)
    first = tmp_path / "first.antq"
    export_package(xa, first)
    assert import_files(tinh, [first], trust_new=True)[0].status == "applied"
    new_pc = init_station(tmp_path / "new.db", level="xa", code="21583")
    link(tinh, new_pc, tmp_path)
    later = tmp_path / "later.antq"
    export_package(new_pc, later)
    assert import_files(tinh, [later], trust_new=True)[0].error_kind == "rekeyed"
    assert revoke(tinh, "21583", "máy bị mất") == xa.station.fingerprint
    line = next(r for r in register(tinh) if r.code == "21583")
    assert not line.enrolled and line.revoked_at
    assert import_files(tinh, [later])[0].error_kind == "untrusted"
    assert import_files(tinh, [later], trust_new=True)[0].status == "applied"
    line = next(r for r in register(tinh) if r.code == "21583")
    assert line.fingerprint == new_pc.station.fingerprint


def test_note_fingerprint_refuses_bad_input(tmp_path):
    tinh = _province(tmp_path)
    with pytest.raises(UserError, match="40 chữ số"):
        note_fingerprint(tinh, "21583", "12345")
    with pytest.raises(UserError, match="không có trong sổ"):
        note_fingerprint(tinh, "00004", "A" * 40)     # Ba Đình is Hà Nội's
    with pytest.raises(UserError, match="chưa có khóa"):
        revoke(tinh, "21583")


def test_period_ended_and_next_cutoff():
    period = parse_period("2026-06")
    assert not period_ended(period, dt.date(2026, 6, 14))
    assert period_ended(period, dt.date(2026, 6, 15))
    assert next_cutoff(dt.date(2026, 6, 14)) == dt.date(2026, 6, 14)
    assert next_cutoff(dt.date(2026, 12, 15)) == dt.date(2027, 1, 14)


def test_load_a_newer_list(tmp_path, capsys):
    db = tmp_path / "t.db"
    init_station(db, level="tinh", code="52").close()
    newer = tmp_path / "dvhc.csv"
    newer.write_text("# phien_ban=2026-01-01\nma,ten,loai,ma_tinh\n52,Gia Lai,tỉnh,\n"
                     "21583,Phường Quy Nhơn,phường,52\n30000,Xã Mới,xã,52\n", encoding="utf-8")
    code, out = cli(capsys, db, "load-units", str(newer))
    assert code == 0 and out == {"version": "2026-01-01", "provinces": 1, "communes": 2}
    code, out = cli(capsys, db, "communes")
    assert [c["name"] for c in out["communes"]] == ["Phường Quy Nhơn", "Xã Mới"]
    bad = tmp_path / "bad.csv"
    bad.write_text("ma,ten,loai,ma_tinh\n30001,Xã Lạc,xã,77\n", encoding="utf-8")
    code, out = cli(capsys, db, "load-units", str(bad))
    assert code == 1 and "77" in out["error"]
    code, out = cli(capsys, db, "communes")
    assert len(out["communes"]) == 2                      # nothing changed
    # A name the documents could not print (the entry rules): refused, line named.
    bad.write_text("ma,ten,loai,ma_tinh\n52,Gia Lai,tỉnh,\n30001,Xã\x07 Lạc,xã,52\n",
                   encoding="utf-8")
    code, out = cli(capsys, db, "load-units", str(bad))
    assert code == 1 and "Dòng 3" in out["error"] and "ký tự điều khiển" in out["error"], out
    assert len(cli(capsys, db, "communes")[1]["communes"]) == 2


def _as_before_0014(path):
    ctx = open_station(path)
    ctx.db.executescript("""
        DROP TABLE admin_units; DROP TABLE commune_register;
        ALTER TABLE station DROP COLUMN official_code;
        DELETE FROM _sqlite_migrations WHERE name = '0014_admin_units';""")
    ctx.close()


def test_existing_databases_keep_working(tmp_path):
    """0014 on an older database: a listed code is recognised, a free code stays unlisted."""
    init_station(tmp_path / "t.db", level="tinh", code="52", name="CA tỉnh Gia Lai").close()
    init_station(tmp_path / "f.db", level="xa", code="T64-01", name="Công an xã Cũ").close()
    for name in ("t.db", "f.db"):
        _as_before_0014(tmp_path / name)
    listed, free = open_station(tmp_path / "t.db"), open_station(tmp_path / "f.db")
    assert listed.station.official_code == "52" and listed.station.name == "CA tỉnh Gia Lai"
    assert len(register(listed)) == 135
    assert free.station.listed is False and free.station.name == "Công an xã Cũ"
    listed.close()
    free.close()


def test_register_commands_contract(tmp_path, capsys):
    db = tmp_path / "t.db"
    init_station(db, level="tinh", code="52").close()
    code, out = cli(capsys, db, "note-fingerprint", "21583", "AB12 " * 10, "--source",
                    "công văn 12/CAT")
    assert code == 0 and out == {"code": "21583", "fingerprint": " ".join(["AB12"] * 10)}
    code, out = cli(capsys, db, "communes")
    line = next(c for c in out["communes"] if c["code"] == "21583")
    assert line["expected_fingerprint"] == " ".join(["AB12"] * 10) and not line["enrolled"]
    code, out = cli(capsys, db, "note-fingerprint", "21583", "xyz")
    assert code == 1 and "40 chữ số" in out["error"]
    code, out = cli(capsys, db, "revoke-key", "21583")
    assert code == 1 and "chưa có khóa" in out["error"]
    xa = tmp_path / "x.db"
    init_station(xa, level="xa", code="21583").close()
    code, out = cli(capsys, xa, "communes")
    assert code == 1 and "Công an tỉnh" in out["error"]


def test_revoked_key_is_refused_until_noted_again(tmp_path):
    tinh, xa = _province(tmp_path), _commune(tmp_path, "21583")
    link(tinh, xa, tmp_path)
    up = tmp_path / "up.antq"
    export_package(xa, up)
    assert import_files(tinh, [up], trust_new=True)[0].status == "applied"
    revoke(tinh, "21583", "máy bị mất")
    export_package(xa, up)                         # the stolen PC sends again
    result = import_files(tinh, [up], trust_new=True)[0]
    assert result.status == "rejected" and result.error_kind == "revoked_key"
    assert "thu hồi" in result.reason
    assert not next(r for r in register(tinh) if r.code == "21583").enrolled
    note_fingerprint(tinh, "21583", xa.station.fingerprint, "máy đã tìm thấy")
    assert import_files(tinh, [up])[0].status == "applied"


def test_register_changes_need_an_editor(tmp_path):
    from core import accounts
    from core.errors import PermissionDenied
    tinh = _province(tmp_path)
    accounts.add_user(tinh, "quantri", "admin", "mat-khau-123")
    accounts.sign_in(tinh, "quantri", "mat-khau-123")
    accounts.add_user(tinh, "xem", "viewer", "mat-khau-123")
    accounts.sign_in(tinh, "xem", "mat-khau-123")
    with pytest.raises(PermissionDenied):
        note_fingerprint(tinh, "21583", "AB12" * 10)
    with pytest.raises(PermissionDenied):
        revoke(tinh, "21583")
    assert next(r for r in register(tinh) if r.code == "21583").expected_fingerprint is None
