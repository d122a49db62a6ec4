"""The anchored audit trail: attacks made with raw sqlite3 on a station's file are named by
``check``, and a normal day's work checks clean.

Each attack is one a person holding the database file can make with any SQLite tool,
without the program (and without its audit key): the trail it leaves is consistent for
the unkeyed hash chain of earlier versions, whose ``check`` reported nothing.
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from exchange_support import commune, fill, link, province, send_up
from security_fixtures import PASSWORD, make_users, seed

from core import audit, backup
from core.cli import run
from core.exchange import export_package, import_files
from core.migrations import migrations
from core.records import Person, Unit
from core.services import members, units
from core.station import fingerprint, init_station, open_station
from core.workbook import import_workbook, write_template

RAW = (serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def check(capsys, path: Path, monkeypatch) -> tuple[int, list[str]]:
    """``check --json`` as the administrator; (exit code, problems)."""
    monkeypatch.setenv("ANTQ_PASSWORD", PASSWORD)
    capsys.readouterr()
    code = run(["--db", str(path), "--user", "quantri", "check", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is (code == 0)
    return code, out["problems"]


def raw(path: Path):
    """The station's file opened behind the program's back by someone who holds its key
    (an account's password unwraps it): the file is encrypted (issue #15)."""
    from core import cipher
    return cipher.connect(str(path), cipher.known_key(path))


def rechain_unkeyed(conn: sqlite3.Connection, from_seq: int) -> None:
    """Recompute the chain from *from_seq* on with the published hash (no key)."""
    rows = conn.execute("SELECT seq, at, user, table_name, record_id, op, before, after, owner"
                        " FROM audit WHERE seq >= ? ORDER BY seq", [from_seq]).fetchall()
    prev = conn.execute("SELECT hash FROM audit WHERE seq = ?", [from_seq - 1]).fetchone()
    prev = prev[0] if prev else audit.GENESIS
    for seq, at, user, table, rid, op, before, after, owner in rows:
        digest = audit.entry_hash(prev, seq, at, user, table, rid, op, before, after, owner)
        conn.execute("UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?",
                     [prev, digest, seq])
        prev = digest


def forge_entry(conn: sqlite3.Connection, table: str, rid: str, op: str,
                before: dict | None, after: dict | None, user: str = "quantri") -> int:
    """Append an entry chained with the published hash; returns its number."""
    seq, prev, at = conn.execute("SELECT seq + 1, hash, at FROM audit ORDER BY seq DESC"
                                 " LIMIT 1").fetchone()
    b = None if before is None else audit.canonical(before)
    a = None if after is None else audit.canonical(after)
    owner = str((after or before or {}).get("owner") or "")
    digest = audit.entry_hash(prev, seq, at, user, table, rid, op, b, a, owner)
    conn.execute("INSERT INTO audit (seq, at, user, table_name, record_id, op, before, after,"
                 " prev_hash, hash, owner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 [seq, at, user, table, rid, op, b, a, prev, digest, owner])
    return seq


def cut_tail(conn: sqlite3.Connection, from_seq: int) -> None:
    """Delete the last entries from *from_seq* on, and the records they created."""
    created = conn.execute("SELECT table_name, record_id FROM audit WHERE seq >= ?"
                           " AND op = 'insert' ORDER BY seq DESC", [from_seq]).fetchall()
    conn.execute("DELETE FROM audit WHERE seq >= ?", [from_seq])
    for table, rid in created:
        if table == "memberships" or table == "units" or table == "persons":
            conn.execute(f"DELETE FROM {table} WHERE id = ?", [rid])
        elif table == "import_log":
            conn.execute("DELETE FROM import_log WHERE id = ?", [int(rid)])


def last_seq(conn) -> int:
    return conn.execute("SELECT MAX(seq) FROM audit").fetchone()[0]


@pytest.fixture
def station(ctx) -> Path:
    """A station with accounts and one record of every kind, closed; its file."""
    make_users(ctx)
    seed(ctx)
    path = ctx.path
    ctx.close()
    return path


# -- a normal day -----------------------------------------------------------------

def test_a_normal_day_checks_clean(tmp_path, capsys, monkeypatch):
    """Forms, a workbook import, settings, accounts and the whole exchange cycle
    (commune → province → receipt back), with backups on the way: nothing reported."""
    tinh, xa = province(tmp_path), commune(tmp_path, "X01")
    make_users(xa)
    link(tinh, xa, tmp_path)
    fill(xa, seed=1, persons=6)
    template = tmp_path / "mau.xlsx"
    write_template(template)
    import_workbook(xa, template)
    xa.set_setting("doc.signer", "Nguyễn Văn Trưởng")
    members.save_person(xa, Person(full_name="Trần Thị Bích", birth_date="1990"))
    from core import accounts
    accounts.set_role(xa, "xem", "editor")
    accounts.change_password(xa, "nhaplieu", "mat-khau-moi-456")
    accounts.remove_user(xa, "xem")
    backup.make_auto_backup(xa, "daily")
    _, result = send_up(xa, tinh, tmp_path)
    assert result.status == "applied"
    head = audit.head(xa.db)
    logged = tinh.db.execute("SELECT audit_seq, audit_mac FROM import_log WHERE sender = 'X01'"
                             ).fetchone()
    assert logged == head                      # the province keeps the head it received
    from core.exchange.register import register
    assert [r.last_audit_seq for r in register(tinh) if r.code == "X01"] == [head[0]]
    down = tmp_path / "down-again.antq"
    export_package(tinh, down, to="X01")
    [back] = import_files(xa, [down])
    assert back.status == "applied", back.reason
    confirmed = xa.db.execute("SELECT audit_seq, audit_mac FROM receipts WHERE sender = 'X01'"
                              ).fetchone()
    assert confirmed == head                   # the commune keeps the confirmed head
    backup.make_auto_backup(xa, "daily")
    units.save(xa, Unit(name="Thôn Sau Cùng"))
    path = xa.path
    xa.close()
    assert check(capsys, path, monkeypatch) == (0, [])
    assert run(["--db", str(tinh.path), "check"]) == 0


# -- deleted last entries, with the records they made ------------------------------

def test_cut_tail_found_by_the_head_the_province_confirmed(tmp_path, capsys, monkeypatch):
    tinh, xa = province(tmp_path), commune(tmp_path, "X01")
    make_users(xa)
    link(tinh, xa, tmp_path)
    fill(xa, seed=2, persons=3)
    first = last_seq(xa.db) + 1
    members.save_person(xa, Person(full_name="Lê Văn Xóa", birth_date="1971"))
    send_up(xa, tinh, tmp_path)
    down = tmp_path / "receipt.antq"
    export_package(tinh, down, to="X01")
    assert import_files(xa, [down])[0].status == "applied"
    path = xa.path
    xa.close()
    conn = raw(path)
    cut_tail(conn, first)
    # make the rows written since match the shortened trail: the pinned key's counters,
    # the import log, the export log (an attacker would)
    pinned = conn.execute("SELECT after FROM audit WHERE table_name = 'peers'"
                          " ORDER BY seq DESC LIMIT 1").fetchone()
    if pinned:      # (the pinned key's counters were not audited before)
        after = json.loads(pinned[0])
        conn.execute("UPDATE peers SET last_sequence = ?, last_created_at = ?,"
                     " last_imported_at = ?, last_period_from = ?, last_period_to = ?",
                     [after["last_sequence"], after["last_created_at"],
                      after["last_imported_at"], after["last_period_from"],
                      after["last_period_to"]])
    conn.execute("DELETE FROM export_log")
    conn.commit()
    conn.close()
    code, problems = check(capsys, path, monkeypatch)
    assert code == 1
    assert any(p.startswith("Các mục cuối của nhật ký bị xóa: Biên nhận của Công an tỉnh T01")
               for p in problems), problems


def test_cut_tail_found_by_a_backup(station, capsys, monkeypatch):
    ctx = open_station(station)
    from core import accounts
    accounts.sign_in(ctx, "quantri", PASSWORD)
    first = last_seq(ctx.db) + 1
    units.save(ctx, Unit(name="Thôn Bị Xóa"))
    backup.make_auto_backup(ctx, "daily")
    ctx.close()
    conn = raw(station)
    cut_tail(conn, first)
    conn.commit()
    conn.close()
    code, problems = check(capsys, station, monkeypatch)
    assert code == 1
    assert any(p.startswith("Các mục cuối của nhật ký bị xóa: Bản sao lưu") for p in problems)


def test_cut_tail_found_by_the_export_log(tmp_path, capsys, monkeypatch):
    tinh, xa = province(tmp_path), commune(tmp_path, "X01")
    make_users(xa)
    link(tinh, xa, tmp_path)
    first = last_seq(xa.db) + 1
    members.save_person(xa, Person(full_name="Đỗ Văn Gửi", birth_date="1980"))
    export_package(xa, tmp_path / "up.antq")
    path = xa.path
    xa.close()
    conn = raw(path)
    cut_tail(conn, first)
    conn.commit()
    conn.close()
    code, problems = check(capsys, path, monkeypatch)
    assert code == 1
    assert any(p.startswith("Các mục cuối của nhật ký bị xóa: Sổ gói đã xuất (gói số 1")
               for p in problems), problems


# -- entries forged, re-attributed, back-dated --------------------------------------

def test_forged_entry_chained_without_the_key(station, capsys, monkeypatch):
    conn = raw(station)
    now = conn.execute("SELECT at FROM audit ORDER BY seq DESC LIMIT 1").fetchone()[0]
    conn.execute("INSERT INTO units (id, owner, created_at, updated_at, name, name_fold, type)"
                 " VALUES ('u-gia', 'X01', ?, ?, 'Thôn Giả', 'thon gia', 'khu_dan_cu')",
                 [now, now])
    snap = dict(zip(("id", "owner", "created_at", "updated_at", "version", "deleted", "name",
                     "type", "parent_id", "address", "head", "phone", "households", "notes"),
                    ("u-gia", "X01", now, now, 1, 0, "Thôn Giả", "khu_dan_cu", None, None,
                     None, None, None, None)))
    seq = forge_entry(conn, "units", "u-gia", "insert", None, snap)
    conn.commit()
    conn.close()
    code, problems = check(capsys, station, monkeypatch)
    assert code == 1
    assert f"Mục nhật ký giả mạo: mục số {seq} không do chương trình ghi (mã xác thực sai): " \
           "đã được thêm hoặc thay ngoài chương trình." in problems
    # the record it covers is compared with the trusted trail: added behind the back
    assert any("u-gia" in p and "không có trong nhật ký" in p for p in problems)


def test_entry_given_to_someone_else(station, capsys, monkeypatch):
    conn = raw(station)
    seq = conn.execute("SELECT MIN(seq) FROM audit WHERE table_name = 'persons'").fetchone()[0]
    conn.execute("UPDATE audit SET user = 'xem' WHERE seq = ?", [seq])
    rechain_unkeyed(conn, seq)
    conn.commit()
    conn.close()
    code, problems = check(capsys, station, monkeypatch)
    assert code == 1
    assert any(p.startswith(f"Mục nhật ký bị gán cho người khác: mục số {seq} ghi người "
                            "thực hiện là “xem”") for p in problems), problems
    assert any(p.startswith("Chuỗi nhật ký bị tính lại:") for p in problems)


def test_entry_back_dated(station, capsys, monkeypatch):
    conn = raw(station)
    seq = conn.execute("SELECT MIN(seq) FROM audit WHERE table_name = 'events'").fetchone()[0]
    conn.execute("UPDATE audit SET at = '2025-01-02T08:00:00+07:00' WHERE seq = ?", [seq])
    rechain_unkeyed(conn, seq)
    conn.commit()
    conn.close()
    code, problems = check(capsys, station, monkeypatch)
    assert code == 1
    assert any(p.startswith(f"Mục nhật ký bị đổi thời điểm: mục số {seq} ghi thời điểm "
                            "02/01/2025") for p in problems), problems


# -- accounts, pinned keys, station identity, import log, settings -------------------

def test_viewer_made_admin_with_a_chained_entry(station, capsys, monkeypatch):
    conn = raw(station)
    row = conn.execute("SELECT name, role, password_hash, created_at FROM users"
                       " WHERE name = 'xem'").fetchone()
    before = audit.user_content(dict(zip(("name", "role", "password_hash", "created_at"), row)))
    conn.execute("UPDATE users SET role = 'admin' WHERE name = 'xem'")
    forge_entry(conn, "users", "xem", "update", before, dict(before, role="admin"))
    conn.commit()
    conn.close()
    code, problems = check(capsys, station, monkeypatch)
    assert code == 1
    assert "Quyền tài khoản bị đổi ngoài chương trình: tài khoản “xem” có quyền Quản trị " \
           "nhưng mục nhật ký cuối cùng do chương trình ghi về tài khoản này ghi quyền " \
           "Chỉ xem." in problems
    assert any(p.startswith("Mục nhật ký giả mạo:") for p in problems)


def _new_keys() -> tuple[bytes, bytes]:
    sign = Ed25519PrivateKey.generate().public_key().public_bytes(*RAW)
    box = X25519PrivateKey.generate().public_key().public_bytes(*RAW)
    return sign, box


def test_pinned_key_swapped_outside_the_program(tmp_path, capsys, monkeypatch):
    tinh, xa = province(tmp_path), commune(tmp_path, "X01")
    make_users(xa)
    link(tinh, xa, tmp_path)
    path = xa.path
    xa.close()
    # a fake province: its own keys, the real one's code
    fake = init_station(tmp_path / "fake.sqlite3", level="tinh", code="T01",
                        name="Công an tỉnh T01")
    sign, box = fake.station.sign_public, fake.station.box_public
    conn = raw(path)
    conn.execute("UPDATE peers SET sign_public = ?, box_public = ?, fingerprint = ?"
                 " WHERE code = 'T01'", [sign, box, fingerprint(sign, box)])
    conn.commit()
    conn.close()
    code, problems = check(capsys, path, monkeypatch)
    assert code == 1
    assert any(p.startswith("Khóa đã ghi nhận bị thay: khóa đã ghi nhận của đơn vị T01 đã bị "
                            "thay ngoài chương trình") for p in problems), problems
    # and a package signed with the swapped-in key is refused
    forged = tmp_path / "forged.antq"
    export_package(fake, forged, to=None)
    xa = open_station(path)
    from core import accounts
    accounts.sign_in(xa, "quantri", PASSWORD)
    [result] = import_files(xa, [forged])
    assert result.status == "rejected" and result.error_kind == "tampered_key", result.reason


def test_station_identity_changed(station, capsys, monkeypatch):
    sign, box = _new_keys()
    conn = raw(station)
    conn.execute("UPDATE station SET name = 'Công an xã Mạo Danh', sign_public = ?,"
                 " box_public = ?", [sign, box])
    conn.commit()
    conn.close()
    code, problems = check(capsys, station, monkeypatch)
    assert code == 1
    assert any(p.startswith("Định danh đơn vị bị sửa: định danh của đơn vị này") and
               "box_public, name, sign_public" in p for p in problems), problems


def test_import_log_and_document_settings_edited(tmp_path, capsys, monkeypatch):
    tinh, xa = province(tmp_path), commune(tmp_path, "X01")
    make_users(xa)
    link(tinh, xa, tmp_path)
    xa.set_setting("doc.signer", "Nguyễn Văn Trưởng")
    path = xa.path
    xa.close()
    conn = raw(path)
    conn.execute("UPDATE settings SET value = '\"Kẻ Mạo Danh\"' WHERE key = 'doc.signer'")
    conn.execute("UPDATE import_log SET file_name = 'khac.antq'")
    conn.commit()
    conn.close()
    code, problems = check(capsys, path, monkeypatch)
    assert code == 1
    assert "Bản ghi doc.signer (bảng settings) đã bị sửa ngoài chương trình (trường: value)." \
        in problems
    assert any("(bảng import_log) đã bị sửa ngoài chương trình (trường: file_name)" in p
               for p in problems)


# -- the upgrade ---------------------------------------------------------------------

@pytest.fixture
def older_station(tmp_path, monkeypatch):
    """A station made by a program before migration 0017 (unkeyed chain), with data."""
    with monkeypatch.context() as patch:
        patch.setattr(migrations, "_migrations", [
            m for m in migrations._migrations if m.name != "0017_audit_key"])
        ctx = init_station(tmp_path / "older.sqlite3", level="xa", code="X09",
                           name="Công an xã Cũ")
        make_users(ctx)
        seed(ctx)
        ctx.set_setting("doc.signer", "Trần Văn Cũ")
        assert audit.sealer(ctx.db) is None
        path = ctx.path
        ctx.close()
    return path


def test_upgrade_rechains_once_and_records_it(older_station, capsys, monkeypatch):
    conn = raw(older_station)
    count = conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0]
    old_head = conn.execute("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()[0]
    conn.close()
    ctx = open_station(older_station)
    assert audit.sealer(ctx.db) is not None
    entry = ctx.db.execute("SELECT seq, after FROM audit WHERE op = 'rechain'").fetchall()
    assert len(entry) == 1 and entry[0][0] == count + 1
    assert json.loads(entry[0][1]) == {"entries": count, "old_head": old_head, "problems": []}
    tracked = {r[0] for r in ctx.db.execute("SELECT table_name FROM audit WHERE seq > ?",
                                            [count + 1])}
    assert tracked == {"station", "settings"}
    ctx.close()
    assert check(capsys, older_station, monkeypatch) == (0, [])
    ctx = open_station(older_station)    # opened again: nothing re-chained a second time
    assert ctx.db.execute("SELECT COUNT(*) FROM audit WHERE op = 'rechain'").fetchone() == (1,)
    ctx.close()


def test_upgrade_keeps_what_the_old_check_found(older_station, capsys, monkeypatch):
    conn = raw(older_station)
    conn.execute("DELETE FROM audit WHERE seq = 4")
    conn.commit()
    conn.close()
    open_station(older_station).close()
    code, problems = check(capsys, older_station, monkeypatch)
    assert code == 1
    assert "Nhật ký đã hỏng từ trước khi nâng cấp: Nhật ký thay đổi thiếu mục số 4: có mục " \
           "đã bị xóa." in problems


def test_deleting_the_key_is_reported(station, capsys, monkeypatch):
    conn = raw(station)
    conn.execute("DELETE FROM secrets")
    conn.commit()
    conn.close()
    code, problems = check(capsys, station, monkeypatch)
    assert code == 1 and problems[0].startswith("Khóa xác thực nhật ký bị xóa:")


# -- a restore ------------------------------------------------------------------------

def test_restore_leaves_the_newer_heads_behind_but_not_the_later_ones(station, capsys,
                                                                        monkeypatch):
    from core import accounts
    ctx = open_station(station)
    accounts.sign_in(ctx, "quantri", PASSWORD)
    units.save(ctx, Unit(name="Thôn Trước"))
    older = backup.make_auto_backup(ctx, "daily")
    units.save(ctx, Unit(name="Thôn Bỏ Đi"))
    backup.make_auto_backup(ctx, "daily")          # a head the restore will leave behind
    ctx.close()
    monkeypatch.setenv("ANTQ_PASSWORD", PASSWORD)
    assert run(["--db", str(station), "--user", "quantri", "restore", str(older)]) == 0
    assert check(capsys, station, monkeypatch) == (0, [])
    ctx = open_station(station)
    entry = ctx.db.execute("SELECT user, after FROM audit WHERE op = 'restore'").fetchone()
    assert entry[0] == "quantri" and json.loads(entry[1])["backup"] == older.name
    accounts.sign_in(ctx, "quantri", PASSWORD)
    first = last_seq(ctx.db) + 1
    units.save(ctx, Unit(name="Thôn Sau Khôi Phục"))
    backup.make_auto_backup(ctx, "daily")          # taken after the restore: it counts
    ctx.close()
    conn = raw(station)
    cut_tail(conn, first)
    conn.commit()
    conn.close()
    code, problems = check(capsys, station, monkeypatch)
    assert code == 1
    assert any(p.startswith("Các mục cuối của nhật ký bị xóa: Bản sao lưu") for p in problems)


# -- the head in packages ---------------------------------------------------------------

def test_a_malformed_head_refuses_the_package(tmp_path):
    from test_exchange_bad import keys, parts, reseal
    tinh, xa = province(tmp_path), commune(tmp_path, "X01")
    link(tinh, xa, tmp_path)
    fill(xa, seed=3, persons=2)
    good = tmp_path / "good.antq"
    export_package(xa, good)
    manifest, plain = parts(good.read_bytes(), keys(tinh)[1])
    assert manifest["audit_head"] == audit.head_json(xa.db)
    for bad in ({"seq": "1", "mac": "0" * 64}, {"seq": 3, "mac": "xyz"}, [1, "a"]):
        forged = tmp_path / "bad.antq"
        forged.write_bytes(reseal(dict(manifest, audit_head=bad), plain, keys(xa)[0],
                                  tinh.station.box_public))
        [result] = import_files(tinh, [forged], trust_new=True)
        assert result.status == "rejected" and result.error_kind == "malformed"
        assert "đầu chuỗi nhật ký không hợp lệ" in result.reason
    older = dict(manifest)
    del older["audit_head"]                   # a package of an older version: still fine
    (tmp_path / "older.antq").write_bytes(reseal(older, plain, keys(xa)[0],
                                                 tinh.station.box_public))
    [result] = import_files(tinh, [tmp_path / "older.antq"], trust_new=True)
    assert result.status == "applied", result.reason


def test_the_province_warns_when_a_communes_trail_got_shorter(tmp_path):
    tinh, xa = province(tmp_path), commune(tmp_path, "X01")
    link(tinh, xa, tmp_path)
    fill(xa, seed=4, persons=2)
    older = backup.make_auto_backup(xa, "daily")
    for n in range(3):      # entries the restore will leave behind
        members.save_person(xa, Person(full_name=f"Vũ Thị Sau {n}", birth_date="1990"))
    _, first = send_up(xa, tinh, tmp_path, "first")
    assert first.status == "applied" and not first.warnings[1:]
    path = xa.path
    xa.close()
    backup.restore_file(path, older)
    xa = open_station(path)
    _, again = send_up(xa, tinh, tmp_path, "again")   # number 1 again (docs: known limits)
    assert again.status == "already_applied"
    _, second = send_up(xa, tinh, tmp_path, "second")
    assert second.status == "applied"
    assert any("ít hơn gói số 1 đã nhận" in w for w in second.warnings), second.warnings
