"""Backups, rotation, verified restore, refusal of bad backups, the instance lock."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from core import backup, instance
from core.cli import run
from core.errors import UserError
from core.integrity import check_database
from core.migrations import migrations
from core.records import Unit
from core.services import units
from core.station import open_station
from security_fixtures import PASSWORD, backup_database, edit_backup, make_users, seed


def unit_names(path) -> list[str]:
    if backup.read_header(path) is not None:       # a backup file: its database
        path = backup_database(path, path.with_name(f"{path.name}.db"))
    ctx = open_station(path)
    try:
        return sorted(r[0] for r in ctx.db.execute("SELECT name FROM units"))
    finally:
        ctx.close()


def test_backup_restore_round_trip(ctx, tmp_path):
    seed(ctx)
    units.save(ctx, Unit(name="Trước sao lưu"))
    copy = backup.backup(ctx, tmp_path / "out" / "copy.sqlite3")
    assert not list(copy.parent.glob(".*tmp*"))  # no temporary file left
    units.save(ctx, Unit(name="Sau sao lưu"))
    path = ctx.path
    before, after = unit_names(copy), unit_names(path)
    assert "Sau sao lưu" in after and "Sau sao lưu" not in before
    aside, info = backup.restore(ctx, copy)
    assert info.station_code == "X01"
    assert unit_names(path) == before
    assert unit_names(aside) == after  # the previous database was kept aside
    restored = open_station(path)
    assert check_database(restored) == []
    units.save(restored, Unit(name="Sau khôi phục"))  # usable and audited
    assert check_database(restored) == []
    restored.close()


def _refused(ctx, bad, match):
    path = ctx.path
    names = unit_names(path)
    files = sorted(p.name for p in path.parent.iterdir())
    with pytest.raises(UserError, match=match):
        backup.restore_file(path, bad)
    assert unit_names(path) == names
    assert sorted(p.name for p in path.parent.iterdir()) == files  # nothing left behind


def test_damaged_backup_is_refused(ctx, tmp_path):
    seed(ctx)
    copy = backup.backup(ctx, tmp_path / "copy.sqlite3")
    data = bytearray(copy.read_bytes())
    for offset in range(4096, len(data), 997):
        data[offset] ^= 0x5A
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(bytes(data))
    _refused(ctx, bad, "Cơ sở dữ liệu hiện tại không thay đổi")
    truncated = tmp_path / "cut.sqlite3"
    truncated.write_bytes(copy.read_bytes()[:len(data) // 2])
    _refused(ctx, truncated, "không thay đổi")
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database" * 100)
    _refused(ctx, junk, "không thay đổi")
    _refused(ctx, tmp_path / "missing.sqlite3", "Không tìm thấy")


def test_foreign_newer_or_tampered_backup_is_refused(ctx, tmp_path):
    seed(ctx)
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    _refused(ctx, other, "không phải cơ sở dữ liệu của chương trình")

    newer = backup.backup(ctx, tmp_path / "newer.sqlite3")
    edit_backup(newer, "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
                       " VALUES ('antq', '9999_future', 'x')")
    _refused(ctx, newer, "phiên bản mới hơn")

    tampered = backup.backup(ctx, tmp_path / "tampered.sqlite3")
    edit_backup(tampered, "UPDATE persons SET full_name = 'Người khác'")
    _refused(ctx, tampered, "nhật ký thay đổi không toàn vẹn")

    chain = backup.backup(ctx, tmp_path / "chain.sqlite3")
    edit_backup(chain, "DELETE FROM audit WHERE seq = 3")
    _refused(ctx, chain, "nhật ký")


def test_automatic_backups_rotate(ctx):
    ctx.set_setting(backup.KEEP_SETTING, 3)
    made = [backup.make_auto_backup(ctx, "import") for _ in range(5)]
    listed = backup.list_backups(ctx)
    assert [b.path for b in listed] == list(reversed(made))[:3]
    assert all(not p.exists() for p in made[:2])
    assert listed[0].reason_label == "trước khi nhập dữ liệu"
    assert backup.verify_database_file(listed[0].path).station_code == "X01"


def test_daily_backup_once_a_day(ctx):
    assert backup.auto_backup_if_due(ctx) is not None
    assert backup.auto_backup_if_due(ctx) is None
    assert [b.reason for b in backup.list_backups(ctx)] == ["daily"]


def test_backup_before_a_migration(ctx, monkeypatch):
    path = ctx.path
    ctx.close()
    ran = []
    monkeypatch.setattr(migrations, "_migrations", list(migrations._migrations))
    migrations(name="9000_test_only")(lambda db: ran.append(True))
    reopened = open_station(path)
    try:
        assert ran == [True]
        found = backup.list_backups(reopened)
        assert [b.reason for b in found] == ["migration"]
        names = backup.verify_database_file(found[0].path).migrations
        assert "9000_test_only" not in names  # taken before the migration ran
    finally:
        reopened.close()


def test_instance_lock_is_exclusive_and_freed_by_a_killed_process(tmp_path):
    db = tmp_path / "x.sqlite3"
    lock = instance.acquire(db)
    with pytest.raises(instance.AlreadyOpen, match="cửa sổ khác"):
        instance.acquire(db)
    instance.release(lock)
    instance.acquire(db).release()
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(instance.__file__.rsplit('/core/', 1)[0])!r})
        from core import instance
        instance.acquire({str(db)!r})
        print("held", flush=True)
        time.sleep(60)
        """)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "held"
        with pytest.raises(instance.AlreadyOpen):
            instance.acquire(db)
    finally:
        child.kill()
        child.wait()
    instance.acquire(db).release()  # the lock died with the process


def test_restore_command_refused_while_a_window_holds_the_lock(ctx, tmp_path, capsys):
    copy = backup.backup(ctx, tmp_path / "copy.sqlite3")
    db = str(ctx.path)
    with instance.InstanceLock(db):
        assert run(["--db", db, "restore", str(copy), "--json"]) == 1
    assert run(["--db", db, "restore", str(copy), "--json"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["restored"] is True


def test_cli_backup_and_restore_with_accounts(ctx, tmp_path, monkeypatch, capsys):
    make_users(ctx)
    seed(ctx)
    db = str(ctx.path)
    out = tmp_path / "b.sqlite3"
    assert run(["--db", db, "backup", "--out", str(out), "--json"]) == 1  # no --user
    assert not out.exists()
    monkeypatch.setenv("ANTQ_PASSWORD", PASSWORD)
    capsys.readouterr()
    assert run(["--db", db, "--user", "xem", "backup", "--out", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"path": str(out)}
    assert run(["--db", db, "restore", str(out), "--json"]) == 1  # no --user
    assert run(["--db", db, "--user", "nhaplieu", "restore", str(out), "--json"]) == 1
    assert run(["--db", db, "--user", "quantri", "restore", str(out), "--json"]) == 0
    assert run(["--db", db, "--user", "xem", "check", "--json"]) == 0
