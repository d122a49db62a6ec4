"""The province's register of communes in the audit trail (migration 0022).

A fingerprint noted (or a key revoked) is audited under the signed-in user; a line of
the register changed with a raw SQLite connection is named by ``check`` and refuses the commune's
first file; stations and backups made before the migration still check clean.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from exchange_support import link
from security_fixtures import PASSWORD, make_users

from core import accounts, audit, backup
from core.cli import run
from core.exchange import export_package, import_files
from core.exchange.register import note_fingerprint, register, revoke
from core.integrity import check_database
from core.migrations import migrations
from core.station import init_station, open_station

KIND = "Sổ theo dõi các xã bị sửa ngoài chương trình: "
FORGED = " ".join(["AB12"] * 10)


def check(capsys, path: Path, monkeypatch) -> tuple[int, list[str]]:
    """``check --json`` as the administrator; (exit code, problems)."""
    monkeypatch.setenv("ANTQ_PASSWORD", PASSWORD)
    capsys.readouterr()
    code = run(["--db", str(path), "--user", "quantri", "check", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is (code == 0)
    return code, out["problems"]


def province(tmp_path: Path):
    """A province with accounts, the editor signed in."""
    tinh = init_station(tmp_path / "52.db", level="tinh", code="52")
    make_users(tinh)
    accounts.sign_in(tinh, "nhaplieu", PASSWORD)
    return tinh


def register_entries(ctx, code: str) -> list[tuple[str, str, dict | None]]:
    return [(e.user, e.op, e.after) for e in audit.history(ctx, "commune_register", code)]


def raw_edit(path: Path, sql: str, params=()) -> None:
    """A change made behind the program's back by someone holding the file and its key
    (the file is encrypted: an account's password unwraps the key)."""
    from core import cipher
    conn = cipher.connect(str(path), cipher.known_key(path))
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def test_note_revoke_and_import_are_audited_and_check_clean(tmp_path, capsys, monkeypatch):
    tinh = province(tmp_path)
    xa = init_station(tmp_path / "21583.db", level="xa", code="21583")
    link(tinh, xa, tmp_path)
    note_fingerprint(tinh, "21583", xa.station.fingerprint, "điện thoại")
    [(user, op, after)] = register_entries(tinh, "21583")
    assert (user, op) == ("nhaplieu", "insert")
    assert after["expected_fingerprint"] == xa.station.fingerprint
    assert after["expected_source"] == "điện thoại"
    up = tmp_path / "up.antq"
    export_package(xa, up)
    assert import_files(tinh, [up])[0].status == "applied"      # verified by the note
    user, op, after = register_entries(tinh, "21583")[-1]
    assert (user, op, after["expected_fingerprint"]) == ("nhaplieu", "update", None)
    assert revoke(tinh, "21583", "máy bị mất") == xa.station.fingerprint
    user, op, after = register_entries(tinh, "21583")[-1]
    assert (user, op) == ("nhaplieu", "update")
    assert after["revoked_fingerprint"] == xa.station.fingerprint
    assert after["revoked_reason"] == "máy bị mất"
    note_fingerprint(tinh, "21583", xa.station.fingerprint, "máy đã tìm thấy")
    export_package(xa, up)
    assert import_files(tinh, [up])[0].status == "applied"
    assert [op for _, op, _ in register_entries(tinh, "21583")] == ["insert"] + ["update"] * 4
    assert check_database(tinh) == []
    path = tinh.path
    tinh.close()
    assert check(capsys, path, monkeypatch) == (0, [])


def test_a_fingerprint_noted_with_sqlite_is_reported_and_refused(tmp_path, capsys,
                                                                 monkeypatch):
    tinh = province(tmp_path)
    xa = init_station(tmp_path / "21583.db", level="xa", code="21583")
    impostor = init_station(tmp_path / "fake.db", level="xa", code="21583")
    link(tinh, xa, tmp_path)
    link(tinh, impostor, tmp_path)
    note_fingerprint(tinh, "21583", xa.station.fingerprint, "điện thoại")
    path = tinh.path
    tinh.close()
    copy = tmp_path / "copy" / "52.db"      # the file carried away and changed
    copy.parent.mkdir()
    shutil.copyfile(path, copy)
    # the one holding the file puts the impostor's fingerprint in place of the real one
    raw_edit(copy, "UPDATE commune_register SET expected_fingerprint = ? WHERE code = ?",
             [impostor.station.fingerprint, "21583"])
    code, problems = check(capsys, copy, monkeypatch)
    assert code == 1
    [line] = [p for p in problems if p.startswith(KIND)]
    assert "xã 21583" in line and "dấu vân tay ghi nhận" in line
    assert impostor.station.fingerprint in line and "expected_fingerprint" in line
    forged = tmp_path / "forged.antq"
    export_package(impostor, forged)
    moved = open_station(copy)
    accounts.sign_in(moved, "nhaplieu", PASSWORD)
    [result] = import_files(moved, [forged])
    assert result.status == "rejected" and result.error_kind == "tampered_key"
    assert "sổ theo dõi các xã" in result.reason
    assert not next(r for r in register(moved) if r.code == "21583").enrolled
    moved.close()


def test_a_line_added_or_deleted_with_sqlite_is_reported(tmp_path, capsys, monkeypatch):
    tinh = province(tmp_path)
    xa = init_station(tmp_path / "21583.db", level="xa", code="21583")
    link(tinh, xa, tmp_path)
    up = tmp_path / "up.antq"
    export_package(xa, up)
    assert import_files(tinh, [up], trust_new=True)[0].status == "applied"
    revoke(tinh, "21583", "máy bị mất")
    path = tinh.path
    tinh.close()
    assert check(capsys, path, monkeypatch) == (0, [])
    # the revocation removed (the stolen PC's files would be taken again), and a
    # fingerprint noted for a commune never noted
    raw_edit(path, "DELETE FROM commune_register WHERE code = '21583'")
    raw_edit(path, "INSERT INTO commune_register (code, expected_fingerprint) VALUES (?, ?)",
             ["21584", FORGED])
    code, problems = check(capsys, path, monkeypatch)
    assert code == 1
    found = [p for p in problems if p.startswith(KIND)]
    assert any("xã 21583" in p and "bị xóa" in p for p in found), problems
    assert any("xã 21584" in p and "được thêm" in p and FORGED in p for p in found), problems
    export_package(xa, up)
    tinh = open_station(path)
    accounts.sign_in(tinh, "nhaplieu", PASSWORD)
    [result] = import_files(tinh, [up], trust_new=True)
    assert result.status == "rejected" and result.error_kind == "tampered_key"
    tinh.close()


def test_a_station_and_backup_from_before_0022_check_clean(tmp_path, capsys, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(migrations, "_migrations", [
            m for m in migrations._migrations if not m.name.startswith("0022_")])
        tinh = province(tmp_path)
        xa = init_station(tmp_path / "21583.db", level="xa", code="21583")
        link(tinh, xa, tmp_path)
        up = tmp_path / "up.antq"
        export_package(xa, up)
        assert import_files(tinh, [up], trust_new=True)[0].status == "applied"
        revoke(tinh, "21583", "máy bị mất")
        note_fingerprint(tinh, "21584", FORGED, "công văn")
        assert audit.history(tinh, "commune_register", "21584") == []   # not audited yet
        assert check_database(tinh) == []
        older = backup.make_auto_backup(tinh, "daily")
        path = tinh.path
        tinh.close()
    assert "0022_commune_register_audit" not in backup.verify_database_file(older).migrations
    # the upgrade: a baseline entry for each existing line
    assert check(capsys, path, monkeypatch) == (0, [])
    ctx = open_station(path)
    assert [op for _, op, _ in register_entries(ctx, "21583")] == ["baseline"]
    assert register_entries(ctx, "21584")[0][2]["expected_fingerprint"] == FORGED
    ctx.close()
    # the backup taken before the upgrade is restored, then upgraded itself
    monkeypatch.setenv("ANTQ_PASSWORD", PASSWORD)
    assert run(["--db", str(path), "--user", "quantri", "restore", str(older)]) == 0
    assert check(capsys, path, monkeypatch) == (0, [])
    ctx = open_station(path)
    assert [op for _, op, _ in register_entries(ctx, "21584")] == ["baseline"]
    ctx.close()
    # the baseline holds: a change made behind the program's back is reported
    raw_edit(path, "UPDATE commune_register SET expected_fingerprint = ? WHERE code = ?",
             [" ".join(["CD34"] * 10), "21584"])
    code, problems = check(capsys, path, monkeypatch)
    assert code == 1 and any(p.startswith(KIND) and "xã 21584" in p for p in problems)
