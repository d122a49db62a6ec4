"""Issue #15 groundwork: the database key wrapped per account, recovery key and OS user."""
from __future__ import annotations

import os
import stat

import pytest

from core.errors import UserError
from core.keyslots import KeySlots, new_key, os_key_path


def test_any_account_opens_the_key_and_a_password_change_rewraps_one_slot(tmp_path):
    db = tmp_path / "antq.sqlite3"
    key = new_key()
    slots = KeySlots.for_database(db)
    slots.set_account("quantri", "mat-khau-123", key)
    slots.set_account("xem", "mat-khau-xem", key)
    slots.save()
    loaded = KeySlots.for_database(db)
    assert loaded.unlock_account("quantri", "mat-khau-123") == key
    assert loaded.unlock_account("XEM", "mat-khau-xem") == key
    with pytest.raises(UserError, match="sai mật khẩu"):
        loaded.unlock_account("xem", "mat-khau-123")
    other = {s.name: s.wrapped for s in loaded.slots}
    loaded.set_account("xem", "mat-khau-moi", key)
    loaded.save()
    again = KeySlots.for_database(db)
    assert again.unlock_account("xem", "mat-khau-moi") == key
    with pytest.raises(UserError):
        again.unlock_account("xem", "mat-khau-xem")
    assert {s.name: s.wrapped for s in again.slots}["quantri"] == other["quantri"]
    assert stat.S_IMODE(os.stat(again.path).st_mode) == 0o600
    assert key.hex() not in again.path.read_text()
    again.remove_account("xem")
    assert again.accounts == ["quantri"]


def test_a_slot_copied_under_another_name_does_not_open(tmp_path):
    key = new_key()
    slots = KeySlots.for_database(tmp_path / "db")
    slots.set_account("quantri", "mat-khau-123", key)
    stolen = slots.slots[0]
    stolen.name = "xem"
    with pytest.raises(UserError):
        slots.unlock_account("xem", "mat-khau-123")


def test_recovery_key_and_os_user(tmp_path):
    db = tmp_path / "antq.sqlite3"
    key = new_key()
    slots = KeySlots.for_database(db)
    code = slots.set_recovery(key)
    slots.set_os_user(key, db)
    slots.save()
    loaded = KeySlots.for_database(db)
    assert loaded.unlock_recovery(code.lower().replace("-", " ")) == key
    with pytest.raises(UserError):
        loaded.unlock_recovery(code[:-1] + ("A" if code[-1] != "A" else "B"))
    assert loaded.unlock_os_user(db) == key
    assert stat.S_IMODE(os.stat(os_key_path(db)).st_mode) == 0o600
    loaded.drop_os_user(db)
    assert not os_key_path(db).exists()
    with pytest.raises(UserError, match="đăng nhập"):
        loaded.unlock_os_user(db)


def test_a_damaged_side_file_is_a_clear_refusal(tmp_path):
    db = tmp_path / "antq.sqlite3"
    (tmp_path / "antq.sqlite3.keys").write_text("{not json")
    with pytest.raises(UserError, match="bị hỏng"):
        KeySlots.for_database(db)
