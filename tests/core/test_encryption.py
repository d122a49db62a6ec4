"""Encryption at rest (issue #15): the database and every backup are SQLCipher files.

A copied database or USB backup reveals no citizen and no key to ``sqlite3`` or to
``strings``; any account's password (or the recovery key) opens it, and nothing else;
plain databases made before encryption are converted on first start, keeping every
record; ``restore`` takes old plain backups and other stations' backups.
"""
from __future__ import annotations

import json
import re
import shutil
import sqlite3

import pytest

from core import accounts, backup, cipher, encrypt, keyslots
from core.cli import run
from core.errors import PermissionDenied, UserError
from core.integrity import check_database
from core.records import Person, Unit
from core.services import members, units
from core.station import init_station, open_station
from security_fixtures import PASSWORD, make_users, seed

NAME = "Trần Thị Bí Mật"
CCCD = "001180012345"


def citizen(ctx) -> None:
    members.save_person(ctx, Person(full_name=NAME, birth_date="1980-05-06",
                                    id_number=CCCD, gender="nu"))


def private_keys(ctx) -> list[bytes]:
    return list(ctx.db.execute("SELECT sign_private, box_private FROM station").fetchone())


def secrets_in(data: bytes, keys: list[bytes]) -> list[str]:
    """What of the citizen or the station's private keys shows in raw bytes, or in
    the printable runs ``strings`` would print."""
    printable = b"\n".join(re.findall(rb"[\x20-\x7e]{4,}", data))
    found = []
    for label, needle in (("name", NAME.encode("utf-8")), ("name", b"Bi Mat"),
                          ("name", "Mật".encode("utf-8")), ("cccd", CCCD.encode()),
                          *(("private key", k) for k in keys),
                          *(("private key (hex)", k.hex().encode()) for k in keys)):
        if needle in data or needle.lower() in printable.lower():
            found.append(label)
    return found


def plain_sqlite_refuses(path) -> str:
    conn = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.DatabaseError) as caught:
            conn.execute("SELECT * FROM persons").fetchall()
        return str(caught.value)
    finally:
        conn.close()


def forget(ctx) -> None:
    """Close and forget every key this process unlocked: open as a stranger would."""
    ctx.close()
    cipher.forget_all()


# -- the files reveal nothing ------------------------------------------------

def test_database_wal_and_usb_backup_copied_elsewhere_reveal_no_name_and_no_key(
        ctx, tmp_path):
    citizen(ctx)
    keys = private_keys(ctx)
    usb = tmp_path / "usb"
    usb.mkdir()
    out = backup.backup(ctx, usb / "antq-saoluu.sqlite3")
    wal = ctx.path.with_name(ctx.path.name + "-wal")
    assert wal.stat().st_size > 0                  # the write still sits in the WAL
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for source in (ctx.path, wal, out):
        shutil.copyfile(source, elsewhere / source.name)
    for copy in elsewhere.iterdir():
        assert secrets_in(copy.read_bytes(), keys) == [], copy.name
    assert plain_sqlite_refuses(elsewhere / ctx.path.name) == "file is not a database"
    inner = tmp_path / "inner.sqlite3"
    backup.extract(out, inner)
    assert plain_sqlite_refuses(inner) == "file is not a database"
    # the key slots beside the database hold no key either
    slots = (ctx.path.parent / f"{ctx.path.name}.keys").read_bytes()
    assert secrets_in(slots, keys) == []


def test_the_private_keys_live_only_inside_the_encrypted_database(ctx):
    keys = private_keys(ctx)
    for path in ctx.path.parent.iterdir():
        assert secrets_in(path.read_bytes(), keys) == [], path.name


# -- accounts open it, nothing else --------------------------------------------

def test_every_account_opens_it_and_a_wrong_password_does_not(ctx):
    make_users(ctx)
    path = ctx.path
    assert not keyslots.os_key_path(path).exists()     # accounts: no OS user's key
    forget(ctx)
    with pytest.raises(PermissionDenied, match="Cần đăng nhập"):
        open_station(path)
    with pytest.raises(accounts.AuthError, match="Sai tên tài khoản hoặc mật khẩu"):
        open_station(path, user="quantri", password="sai-mat-khau")
    with pytest.raises(accounts.AuthError):
        open_station(path, user="khong-co", password=PASSWORD)
    for name in ("quantri", "nhaplieu", "xem"):
        opened = open_station(path, user=name, password=PASSWORD)
        assert opened.db.execute("SELECT COUNT(*) FROM users").fetchone()[0] == 3
        forget(opened)


def test_wrong_passwords_before_opening_lock_the_account_out(ctx):
    make_users(ctx)
    path = ctx.path
    forget(ctx)
    for _ in range(accounts.MAX_FAILED - 1):
        with pytest.raises(accounts.AuthError, match="Sai tên"):
            open_station(path, user="xem", password="sai-mat-khau")
    with pytest.raises(accounts.AuthError, match="bị khóa 5 phút"):
        open_station(path, user="xem", password="sai-mat-khau")
    with pytest.raises(accounts.AuthError, match="đang bị khóa tạm thời"):
        open_station(path, user="xem", password=PASSWORD)
    open_station(path, user="quantri", password=PASSWORD).close()   # the others open


def test_a_password_change_rewraps_only_that_slot(ctx):
    make_users(ctx)
    path = ctx.path
    before = {s.name: s for s in keyslots.KeySlots.for_database(path).slots}
    accounts.change_password(ctx, "nhaplieu", "mat-khau-moi-456")
    after = {s.name: s for s in keyslots.KeySlots.for_database(path).slots}
    assert after["nhaplieu"].wrapped != before["nhaplieu"].wrapped
    assert {k: v for k, v in after.items() if k != "nhaplieu"} == \
        {k: v for k, v in before.items() if k != "nhaplieu"}
    forget(ctx)
    with pytest.raises(accounts.AuthError):
        open_station(path, user="nhaplieu", password=PASSWORD)
    opened = open_station(path, user="nhaplieu", password="mat-khau-moi-456")
    accounts.sign_in(opened, "nhaplieu", "mat-khau-moi-456")
    forget(opened)


def test_adding_and_removing_accounts_adds_and_removes_slots(ctx):
    first = accounts.add_user(ctx, "quantri", "admin", PASSWORD)
    slots = keyslots.KeySlots.for_database(ctx.path)
    assert [s.kind for s in slots.slots] == ["account", "recovery"]
    assert re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){7}", first.recovery_key)
    accounts.sign_in(ctx, "quantri", PASSWORD)
    assert accounts.add_user(ctx, "xem", "viewer", PASSWORD).recovery_key is None
    assert keyslots.KeySlots.for_database(ctx.path).accounts == ["quantri", "xem"]
    accounts.remove_user(ctx, "xem")
    assert keyslots.KeySlots.for_database(ctx.path).accounts == ["quantri"]
    path = ctx.path
    forget(ctx)
    with pytest.raises(accounts.AuthError):
        open_station(path, user="xem", password=PASSWORD)


def test_delete_from_users_on_a_copy_is_impossible_without_the_key(ctx, tmp_path):
    make_users(ctx)
    seed(ctx)
    copy = tmp_path / "copy.sqlite3"
    ctx.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(ctx.path, copy)
    shutil.copyfile(f"{ctx.path}.keys", f"{copy}.keys")
    forget(ctx)
    conn = sqlite3.connect(copy)
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        conn.execute("DELETE FROM users")
    conn.close()
    conn = cipher.connect(copy, None)
    with pytest.raises(cipher.DatabaseError, match="file is not a database"):
        conn.execute("DELETE FROM users")
    conn.close()
    # and the program does not treat it as a station without accounts
    with pytest.raises(PermissionDenied):
        open_station(copy)


def test_before_any_account_the_key_is_kept_for_the_os_user(ctx):
    path = ctx.path
    key_file = keyslots.os_key_path(path)
    assert key_file.exists() and oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert oct((path.parent / f"{path.name}.keys").stat().st_mode & 0o777) == "0o600"
    forget(ctx)
    opened = open_station(path)              # another start: the key file opens it
    assert opened.db.unlocked_by == ("os", "")
    key_file.unlink()
    forget(opened)
    with pytest.raises(PermissionDenied):
        open_station(path)


# -- the recovery key ------------------------------------------------------------

def test_the_recovery_key_opens_the_database_and_a_new_one_replaces_it(ctx, tmp_path,
                                                                       capsys, monkeypatch):
    code = accounts.add_user(ctx, "quantri", "admin", PASSWORD).recovery_key
    path = ctx.path
    forget(ctx)
    with pytest.raises(UserError, match="sai mã khôi phục"):
        open_station(path, recovery_key="AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")
    opened = open_station(path, recovery_key=code.lower().replace("-", " "))
    forget(opened)
    # the command line: a lost password is reset with the recovery key
    monkeypatch.setenv("ANTQ_RECOVERY_KEY", code)
    monkeypatch.setenv("ANTQ_NEW_PASSWORD", "mat-khau-moi-789")
    assert run(["--db", str(path), "--recovery-key", "user", "password", "quantri",
                "--json"]) == 0
    monkeypatch.setenv("ANTQ_PASSWORD", "mat-khau-moi-789")
    capsys.readouterr()
    cipher.forget_all()
    assert run(["--db", str(path), "--user", "quantri", "check", "--json"]) == 0
    assert run(["--db", str(path), "--user", "quantri", "user", "recovery-key",
                "--json"]) == 0
    fresh = json.loads(capsys.readouterr().out.splitlines()[-1])["recovery_key"]
    assert fresh != code
    cipher.forget_all()
    assert run(["--db", str(path), "--recovery-key", "check", "--json"]) == 1   # the old one
    monkeypatch.setenv("ANTQ_RECOVERY_KEY", fresh)
    assert run(["--db", str(path), "--recovery-key", "check", "--json"]) == 0


# -- plain databases of before the update ------------------------------------------

def make_plain(tmp_path, name="old.sqlite3", users=False):
    """A station as the program before encryption left it: a plain SQLite file."""
    ctx = init_station(tmp_path / "made.sqlite3", level="xa", code="X09",
                       name="Công an xã Cũ")
    if users:
        make_users(ctx)
    seed(ctx)
    citizen(ctx)
    plain = tmp_path / name
    cipher.export(ctx.db.conn, plain, None)
    conn = sqlite3.connect(plain)            # the old program's own journal mode
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    counts = encrypt.counts(ctx.db.conn)
    forget(ctx)
    return plain, counts


def test_a_plain_database_is_converted_on_first_start_keeping_every_record(tmp_path):
    plain, counts = make_plain(tmp_path)
    assert cipher.is_plain(plain)
    old = cipher.connect(plain, None)          # the old program's daily backup
    earlier = backup.auto_backup(old, plain, "X09", "daily")
    old.close()
    assert cipher.is_plain(earlier)
    ctx = open_station(plain)
    assert not cipher.is_plain(earlier)         # encrypted too, still a sound backup
    assert backup.verify_database_file(earlier, keys=(ctx.db.key,)).station_code == "X09"
    assert not cipher.is_plain(plain)
    assert encrypt.counts(ctx.db.conn) == counts
    assert check_database(ctx) == []
    keys = private_keys(ctx)
    taken = backup.list_backups(ctx)
    assert [b.reason for b in taken] == ["encrypt", "daily"]   # a backup first, encrypted
    assert not cipher.is_plain(taken[0].path)
    assert backup.verify_database_file(taken[0].path, keys=(ctx.db.key,)).station_code == "X09"
    units.save(ctx, Unit(name="Sau khi mã hóa"))
    forget(ctx)
    assert secrets_in(plain.read_bytes(), keys) == []
    assert plain_sqlite_refuses(plain) == "file is not a database"
    again = open_station(plain)                       # the OS user's key file
    assert encrypt.counts(again.db.conn)["units"] == counts["units"] + 1
    forget(again)


def test_a_plain_database_with_accounts_converts_only_after_a_sign_in(tmp_path):
    plain, counts = make_plain(tmp_path, users=True)
    with pytest.raises(PermissionDenied, match="đăng nhập"):
        open_station(plain)
    with pytest.raises(accounts.AuthError):
        open_station(plain, user="quantri", password="sai-mat-khau")
    assert cipher.is_plain(plain)                     # nothing changed
    ctx = open_station(plain, user="quantri", password=PASSWORD)
    accounts.sign_in(ctx, "quantri", PASSWORD)
    assert encrypt.counts(ctx.db.conn) == counts
    assert keyslots.KeySlots.for_database(plain).accounts == ["quantri"]
    assert not keyslots.os_key_path(plain).exists()
    # the others get their slot when the administrator sets their password
    accounts.change_password(ctx, "xem", "mat-khau-xem-1")
    forget(ctx)
    opened = open_station(plain, user="xem", password="mat-khau-xem-1")
    forget(opened)


def test_a_killed_conversion_leaves_the_plain_database_usable(tmp_path, monkeypatch):
    plain, counts = make_plain(tmp_path)
    original = plain.read_bytes()

    def killed(*_args):
        raise KeyboardInterrupt       # as a kill would stop it, before the rename
    with monkeypatch.context() as patched:
        patched.setattr(encrypt, "_check", killed)
        with pytest.raises(KeyboardInterrupt):
            open_station(plain)
    assert plain.read_bytes() == original and cipher.is_plain(plain)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    ctx = open_station(plain)                         # converted at the next start
    assert encrypt.counts(ctx.db.conn) == counts
    forget(ctx)


# -- restore: old plain backups, other stations' backups -----------------------------

def test_restore_takes_an_old_plain_backup(ctx, tmp_path):
    units.save(ctx, Unit(name="Trong bản sao lưu cũ"))
    old = tmp_path / "old-backup.sqlite3"
    cipher.export(ctx.db.conn, old, None)            # what the old program wrote
    units.save(ctx, Unit(name="Sau bản sao lưu"))
    keys = private_keys(ctx)
    path = ctx.path
    aside, info = backup.restore(ctx, old)
    assert info.station_code == "X01" and not cipher.is_plain(path)
    assert secrets_in(path.read_bytes(), keys) == []
    forget_nothing = open_station(path)
    names = {r[0] for r in forget_nothing.db.execute("SELECT name FROM units")}
    assert "Trong bản sao lưu cũ" in names and "Sau bản sao lưu" not in names
    assert check_database(forget_nothing) == []
    forget(forget_nothing)
    open_station(path).close()                        # the OS user's key still opens it


def test_a_backup_opens_on_another_computer_with_a_password_or_the_recovery_key(tmp_path):
    home = init_station(tmp_path / "home.sqlite3", level="xa", code="X01", name="Xã A")
    code = accounts.add_user(home, "quantri", "admin", PASSWORD).recovery_key
    accounts.sign_in(home, "quantri", PASSWORD)
    citizen(home)
    usb = backup.backup(home, tmp_path / "usb.sqlite3")
    forget(home)
    # another computer: a station of its own, with its own key and accounts
    (tmp_path / "other").mkdir()
    (tmp_path / "third").mkdir()
    other = init_station(tmp_path / "other" / "antq.sqlite3", level="xa", code="X01",
                         name="Xã A")
    accounts.add_user(other, "admin2", "admin", "mat-khau-khac-1")
    accounts.sign_in(other, "admin2", "mat-khau-khac-1")
    path = other.path
    with pytest.raises(UserError, match="khóa khác"):
        backup.restore(other, usb)
    other = open_station(path)
    accounts.sign_in(other, "admin2", "mat-khau-khac-1")
    with pytest.raises(UserError, match="sai mật khẩu"):
        backup.restore(other, usb, user="quantri", password="sai-mat-khau")
    other = open_station(path)
    accounts.sign_in(other, "admin2", "mat-khau-khac-1")
    backup.restore(other, usb, user="quantri", password=PASSWORD)
    cipher.forget_all()
    restored = open_station(path, user="quantri", password=PASSWORD)   # the backup's slots
    assert restored.db.execute("SELECT full_name FROM persons").fetchone()[0] == NAME
    forget(restored)
    again = open_station(path, recovery_key=code)
    forget(again)
    # and the recovery key alone restores it too
    third = init_station(tmp_path / "third" / "antq.sqlite3", level="xa", code="X01",
                         name="Xã A")
    backup.restore(third, usb, recovery_key=code)
    cipher.forget_all()
    open_station(third.path, user="quantri", password=PASSWORD).close()


def test_cli_restore_of_another_stations_backup_needs_its_password_or_recovery_key(
        tmp_path, capsys, monkeypatch):
    home = init_station(tmp_path / "home.sqlite3", level="xa", code="X01", name="Xã A")
    code = accounts.add_user(home, "quantri", "admin", PASSWORD).recovery_key
    accounts.sign_in(home, "quantri", PASSWORD)
    citizen(home)
    usb = backup.backup(home, tmp_path / "usb.sqlite3")
    forget(home)
    other = init_station(tmp_path / "other.sqlite3", level="xa", code="X01", name="Xã A")
    accounts.add_user(other, "quantri", "admin", "mat-khau-khac-1")
    forget(other)
    db = str(tmp_path / "other.sqlite3")
    monkeypatch.setenv("ANTQ_PASSWORD", "mat-khau-khac-1")
    restore = ["--db", db, "--user", "quantri", "restore", str(usb), "--json"]
    assert run(restore) == 1
    assert "khóa khác" in json.loads(capsys.readouterr().out.splitlines()[-1])["error"]
    monkeypatch.setenv("ANTQ_BACKUP_PASSWORD", PASSWORD)     # the backup's own password
    cipher.forget_all()
    assert run(restore) == 0
    capsys.readouterr()
    cipher.forget_all()
    monkeypatch.setenv("ANTQ_PASSWORD", PASSWORD)            # the backup's accounts now
    monkeypatch.delenv("ANTQ_BACKUP_PASSWORD")
    assert run(["--db", db, "--user", "quantri", "export-workbook", "--out",
                str(tmp_path / "x.xlsx"), "--json"]) == 0
    # with the recovery key of the backup instead
    third = init_station(tmp_path / "third.sqlite3", level="xa", code="X01", name="Xã A")
    forget(third)
    monkeypatch.setenv("ANTQ_BACKUP_RECOVERY_KEY", code)
    assert run(["--db", str(tmp_path / "third.sqlite3"), "restore", str(usb),
                "--backup-recovery-key", "--json"]) == 0


def test_no_output_is_written_onto_the_key_files(ctx, tmp_path, capsys):
    for side in (".keys", ".oskey"):
        target = f"{ctx.path}{side}"
        assert run(["--db", str(ctx.path), "export-workbook", "--out", target, "--json"]) == 1
        assert "Không được ghi đè" in json.loads(capsys.readouterr().out)["error"]
    assert keyslots.KeySlots.for_database(ctx.path).has_os_user(ctx.path)


# -- the other accounts of a converted database: pending slots, the recovery key ------

def _cli(capsys, monkeypatch, plain, user, password, *argv):
    monkeypatch.setenv("ANTQ_PASSWORD", password)
    capsys.readouterr()
    code = run(["--db", str(plain), "--user", user, *argv])
    captured = capsys.readouterr()
    cipher.forget_all()              # each command is a new start of the program
    out = captured.out.strip()
    return code, json.loads(out) if out.startswith("{") else None, captured.err


def test_a_conversion_by_an_editor_lets_the_others_sign_in_with_their_old_passwords(
        tmp_path):
    plain, counts = make_plain(tmp_path, users=True)
    verifiers = dict(sqlite3.connect(plain).execute("SELECT name, password_hash FROM users"))
    ctx = open_station(plain, user="nhaplieu", password=PASSWORD)
    accounts.sign_in(ctx, "nhaplieu", PASSWORD)
    assert ctx.new_recovery_key is None                  # never for an editor
    assert not accounts.recovery_missing(ctx)            # nor the reminder
    slots = keyslots.KeySlots.for_database(plain)
    assert slots.accounts == ["nhaplieu"] and sorted(slots.pending) == ["quantri", "xem"]
    assert not slots.has_recovery
    pending_salt = slots.pending_slot("xem").salt
    assert pending_salt == verifiers["xem"].split("$")[4]    # the verifier's own salt
    forget(ctx)
    with pytest.raises(accounts.AuthError, match="Sai"):
        open_station(plain, user="xem", password="sai-mat-khau")
    assert keyslots.KeySlots.for_database(plain).pending_slot("xem").failed == 1
    viewer = open_station(plain, user="xem", password=PASSWORD)    # unchanged password
    assert viewer.db.unlocked_by == ("pending", "xem")
    accounts.sign_in(viewer, "xem", PASSWORD)
    assert encrypt.counts(viewer.db.conn) == counts
    slots = keyslots.KeySlots.for_database(plain)
    assert slots.pending == ["quantri"] and slots.has_account("xem")
    assert slots.account_slot("xem").salt != pending_salt       # a fresh salt
    with pytest.raises(UserError):        # the old verifier opens nothing any more
        keyslots._open(slots.account_slot("xem"), keyslots._pending_kek(
            bytes.fromhex(verifiers["xem"].split("$")[5])))
    forget(viewer)
    again = open_station(plain, user="xem", password=PASSWORD)
    assert again.db.unlocked_by == ("account", "xem")
    forget(again)
    with pytest.raises(accounts.AuthError):
        open_station(plain, user="xem", password="sai-mat-khau")
    admin = open_station(plain, user="quantri", password=PASSWORD)
    accounts.sign_in(admin, "quantri", PASSWORD)
    assert admin.new_recovery_key is None
    assert accounts.recovery_missing(admin)                 # the administrator is reminded
    code = accounts.new_recovery_key(admin)
    assert not accounts.recovery_missing(admin)
    slots = keyslots.KeySlots.for_database(plain)
    assert slots.pending == [] and slots.unlock_recovery(code) == admin.db.key
    forget(admin)


def test_a_pending_slot_whoever_holds_the_old_plain_copy_opens_it_until_the_sign_in(
        tmp_path):
    """The documented trade-off, and its end: the verifier of the old plain copy opens a
    pending slot; once the account signed in, it opens nothing."""
    plain, _ = make_plain(tmp_path, users=True)
    old_copy = tmp_path / "ban-cu.sqlite3"
    shutil.copyfile(plain, old_copy)
    verifier = dict(sqlite3.connect(old_copy).execute(
        "SELECT name, password_hash FROM users"))["quantri"]
    digest = keyslots.parse_verifier(verifier)[4]
    forget(open_station(plain, user="xem", password=PASSWORD))
    slot = keyslots.KeySlots.for_database(plain).pending_slot("quantri")
    key = keyslots._open(slot, keyslots._pending_kek(digest))
    assert len(key) == keyslots.KEY_BYTES
    admin = open_station(plain, user="quantri", password=PASSWORD)
    accounts.sign_in(admin, "quantri", PASSWORD)
    assert admin.db.key == key
    forget(admin)
    slots = keyslots.KeySlots.for_database(plain)
    assert slots.pending_slot("quantri") is None
    with pytest.raises(UserError):
        keyslots._open(slots.account_slot("quantri"), keyslots._pending_kek(digest))


def test_removing_or_resetting_an_account_drops_its_pending_slot(tmp_path):
    plain, _ = make_plain(tmp_path, users=True)
    admin = open_station(plain, user="quantri", password=PASSWORD)
    accounts.sign_in(admin, "quantri", PASSWORD)
    assert sorted(keyslots.KeySlots.for_database(plain).pending) == ["nhaplieu", "xem"]
    accounts.remove_user(admin, "xem")
    accounts.change_password(admin, "nhaplieu", "mat-khau-moi-1")
    slots = keyslots.KeySlots.for_database(plain)
    assert slots.pending == [] and slots.accounts == ["quantri", "nhaplieu"]
    forget(admin)
    with pytest.raises(accounts.AuthError):
        open_station(plain, user="nhaplieu", password=PASSWORD)
    forget(open_station(plain, user="nhaplieu", password="mat-khau-moi-1"))


def test_cli_conversion_by_an_editor_then_the_others_sign_in(tmp_path, capsys, monkeypatch):
    plain, _ = make_plain(tmp_path, users=True)
    code, out, err = _cli(capsys, monkeypatch, plain, "nhaplieu", PASSWORD,
                          "check", "--json")
    assert code == 0 and not cipher.is_plain(plain)
    assert "recovery_key" not in out and "MÃ KHÔI PHỤC" not in err
    assert "chưa có mã khôi phục" not in err             # not the editor's business
    code, out, err = _cli(capsys, monkeypatch, plain, "xem", "sai-mat-khau", "check",
                          "--json")
    assert code == 1 and accounts.WRONG in err
    code, out, err = _cli(capsys, monkeypatch, plain, "xem", PASSWORD, "check", "--json")
    assert code == 0 and "recovery_key" not in out
    assert keyslots.KeySlots.for_database(plain).has_account("xem")
    code, out, err = _cli(capsys, monkeypatch, plain, "quantri", PASSWORD, "user", "list",
                          "--json")
    assert code == 0 and "recovery_key" not in out
    assert "chưa có mã khôi phục" in err and "user recovery-key" in err
    code, out, err = _cli(capsys, monkeypatch, plain, "quantri", PASSWORD, "user",
                          "recovery-key", "--json")
    assert code == 0 and "chưa có mã khôi phục" not in err
    monkeypatch.setenv("ANTQ_RECOVERY_KEY", out["recovery_key"])
    capsys.readouterr()
    assert run(["--db", str(plain), "--recovery-key", "check", "--json"]) == 0
    assert keyslots.KeySlots.for_database(plain).pending == []


def test_cli_conversion_by_an_administrator_shows_the_recovery_key_once(
        tmp_path, capsys, monkeypatch):
    plain, _ = make_plain(tmp_path, users=True)
    code, out, err = _cli(capsys, monkeypatch, plain, "quantri", PASSWORD, "check", "--json")
    assert code == 0
    shown = out["recovery_key"]
    assert re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){7}", shown)
    assert f"MÃ KHÔI PHỤC (chỉ hiện một lần): {shown}" in err and "két" in err
    assert "chưa có mã khôi phục" not in err
    code, out, err = _cli(capsys, monkeypatch, plain, "quantri", PASSWORD, "check", "--json")
    assert code == 0 and "recovery_key" not in out and shown not in err    # once
    by_code = open_station(plain, recovery_key=shown)      # it opens the database
    assert keyslots.KeySlots.for_database(plain).unlock_recovery(shown) == by_code.db.key
    forget(by_code)
    code, out, err = _cli(capsys, monkeypatch, plain, "nhaplieu", PASSWORD, "check",
                          "--json")
    assert code == 0 and shown not in err and "recovery_key" not in out


def test_a_conversion_that_then_fails_still_prints_the_recovery_key(
        tmp_path, capsys, monkeypatch):
    plain, _ = make_plain(tmp_path, users=True)
    code, out, err = _cli(capsys, monkeypatch, plain, "quantri", PASSWORD, "user", "remove",
                          "khong-co", "--json")
    assert code == 1 and "khong-co" in out["error"]
    assert keyslots.KeySlots.for_database(plain).unlock_recovery(out["recovery_key"])
    assert out["recovery_key"] in err
