"""The audit trail: entries in the same transaction, the hash chain, tampering found."""
from __future__ import annotations

import json

import pytest

from core import accounts, audit
from core.cli import run
from core.errors import ValidationError
from core.integrity import check_database
from core.records import Unit
from core.services import units
from security_fixtures import PASSWORD, make_users, seed


def tamper(ctx, sql: str, params=()) -> None:
    """A change made behind the program's back (as a SQLite browser would)."""
    ctx.db.conn.execute(sql, list(params))
    ctx.db.conn.commit()


def test_fresh_station_is_sound_and_seed_is_baseline(ctx):
    assert check_database(ctx) == []
    entries = ctx.db.execute("SELECT DISTINCT table_name, op, user FROM audit"
                             " ORDER BY seq").fetchall()
    # the seeded types, the re-chaining under the key (migration 0017), the station itself
    assert entries == [("model_types", "baseline", ""), ("audit", "rechain", ""),
                       ("station", "insert", "")]


def test_every_change_is_recorded_with_who_and_before_after(ctx):
    make_users(ctx)
    accounts.sign_in(ctx, "nhaplieu", PASSWORD)
    unit_id, _ = units.save(ctx, Unit(name="Thôn Đông"))
    units.save(ctx, Unit(id=unit_id, name="Thôn Tây"))
    units.delete(ctx, unit_id)
    history = audit.history(ctx, "units", unit_id)
    assert [e.op for e in history] == ["insert", "update", "delete"]
    assert {e.user for e in history} == {"nhaplieu"}
    assert history[0].before is None and history[0].after["name"] == "Thôn Đông"
    assert history[1].before["name"] == "Thôn Đông" and history[1].after["name"] == "Thôn Tây"
    assert "name_fold" not in history[1].after  # derived columns are not kept
    assert audit.changed_fields(history[1]) == ["name"]
    assert history[2].after["deleted"] == 1
    mine = audit.history_of_user(ctx, "nhaplieu")
    assert [e.record_id for e in mine] == [unit_id] * 3
    assert audit.history_of_user(ctx, "nhaplieu", limit=1)[0].op == "delete"
    assert check_database(ctx) == []


def test_a_refused_change_leaves_no_entry(ctx):
    before = ctx.db.execute("SELECT COUNT(*) FROM audit").fetchone()[0]
    with pytest.raises(ValidationError):
        units.save(ctx, Unit(name=""))
    with pytest.raises(RuntimeError):
        with ctx.store.transaction():
            units.UnitRepo(ctx.store).save(Unit(name="Tạm"))
            raise RuntimeError("rolled back")
    assert ctx.db.execute("SELECT COUNT(*) FROM audit").fetchone()[0] == before
    assert check_database(ctx) == []


@pytest.fixture
def seeded(ctx):
    ids = seed(ctx)
    units.save(ctx, Unit(id=ids["unit"], name="Thôn Mới"))
    assert check_database(ctx) == []
    return ids


def last_seq(ctx) -> int:
    return ctx.db.execute("SELECT MAX(seq) FROM audit").fetchone()[0]


def test_deleted_entry_in_the_middle_is_detected(ctx, seeded):
    tamper(ctx, "DELETE FROM audit WHERE seq = ?", [last_seq(ctx) - 3])
    problems = check_database(ctx)
    assert any("thiếu mục số" in p for p in problems)


def test_deleted_first_entry_is_detected(ctx, seeded):
    tamper(ctx, "DELETE FROM audit WHERE seq = 1")
    assert any("thiếu mục số 1" in p for p in check_database(ctx))


def test_deleted_last_entry_is_detected(ctx, seeded):
    tamper(ctx, "DELETE FROM audit WHERE seq = ?", [last_seq(ctx)])
    problems = check_database(ctx)
    assert any(seeded["unit"] in p and "sửa ngoài chương trình" in p for p in problems)


def test_edited_entry_is_detected(ctx, seeded):
    seq = last_seq(ctx) - 2
    after = json.loads(ctx.db.execute("SELECT after FROM audit WHERE seq = ?", [seq])
                       .fetchone()[0])
    after["notes"] = "sửa lén"
    tamper(ctx, "UPDATE audit SET after = ? WHERE seq = ?", [audit.canonical(after), seq])
    assert any(f"số {seq} đã bị sửa" in p for p in check_database(ctx))


def test_edited_entry_with_its_hash_recomputed_is_detected(ctx, seeded):
    seq = 5
    row = ctx.db.execute("SELECT at, user, table_name, record_id, op, before, after, prev_hash,"
                         " owner FROM audit WHERE seq = ?", [seq]).fetchone()
    at, user, table, rid, op, before, after, prev, owner = row
    new_hash = audit.entry_hash(prev, seq, at, "ke_gian", table, rid, op, before, after, owner)
    tamper(ctx, "UPDATE audit SET user = 'ke_gian', hash = ? WHERE seq = ?", [new_hash, seq])
    assert any(f"bị đứt tại mục số {seq + 1}" in p for p in check_database(ctx))


def test_edited_record_is_detected(ctx, seeded):
    tamper(ctx, "UPDATE persons SET id_number = '001122334455' WHERE id = ?",
           [seeded["person"]])
    problems = check_database(ctx)
    assert problems == [f"Bản ghi {seeded['person']} (bảng persons) đã bị sửa ngoài chương "
                        "trình (trường: id_number)."]


def test_edited_link_list_is_detected(ctx, seeded):
    tamper(ctx, "DELETE FROM model_units WHERE model_id = ?", [seeded["model"]])
    assert any("unit_ids" in p for p in check_database(ctx))


def test_record_added_or_removed_behind_the_back_is_detected(ctx, seeded):
    tamper(ctx, "INSERT INTO results (id, owner, created_at, updated_at, date, type, quantity)"
                " VALUES ('lén', 'X01', 'x', 'x', '2026-01-01', 'tin_bao', 9)")
    tamper(ctx, "DELETE FROM commendations WHERE id = ?", [seeded["commendation"]])
    problems = check_database(ctx)
    assert any("lén" in p and "không có trong nhật ký" in p for p in problems)
    assert any(seeded["commendation"] in p and "đã bị xóa khỏi" in p for p in problems)


def test_account_added_or_password_replaced_behind_the_back_is_detected(ctx):
    make_users(ctx)
    assert check_database(ctx) == []
    tamper(ctx, "UPDATE users SET password_hash = ? WHERE name = 'xem'",
           [accounts.hash_password("mat-khau-ke-gian")])
    tamper(ctx, "INSERT INTO users (name, role, password_hash, created_at)"
                " VALUES ('lén', 'admin', 'x', 'x')")
    problems = check_database(ctx)
    assert any("xem" in p and "password" in p for p in problems)
    assert any("lén" in p and "không có trong nhật ký" in p for p in problems)


def test_failed_sign_ins_do_not_break_the_check(ctx):
    make_users(ctx)
    for _ in range(6):
        with pytest.raises(accounts.AuthError):
            accounts.verify(ctx, "xem", "sai")
    assert check_database(ctx) == []


def test_check_command_reports_tampering(ctx, capsys):
    seed(ctx)
    db = str(ctx.path)
    assert run(["--db", db, "check", "--json"]) == 0
    tamper(ctx, "UPDATE units SET name = 'Sửa lén'")
    capsys.readouterr()
    assert run(["--db", db, "check", "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is False and "sửa ngoài chương trình" in out["problems"][0]


def test_entries_of_a_rolled_back_savepoint_are_not_written(ctx):
    """Entries are written in one batch at commit; a savepoint undone inside leaves none."""
    before = ctx.db.execute("SELECT COUNT(*) FROM audit").fetchone()[0]
    repo = units.UnitRepo(ctx.store)
    with ctx.store.transaction():
        kept = repo.save(Unit(name="Thôn Giữ"))
        with pytest.raises(RuntimeError):
            with ctx.store.transaction():
                repo.save(Unit(name="Thôn Bỏ"))
                raise RuntimeError("savepoint rolled back")
        repo.save(Unit(id=kept, name="Thôn Giữ Lại"))
    rows = ctx.db.execute("SELECT record_id, op FROM audit WHERE seq > ? ORDER BY seq",
                          [before]).fetchall()
    assert rows == [(kept, "insert"), (kept, "update")]
    assert audit.history(ctx, "units", kept)[1].after["name"] == "Thôn Giữ Lại"
    assert check_database(ctx) == []


def test_entries_hashed_the_older_way_still_verify(ctx, seeded):
    """A trail without a key (an old backup, before migration 0017) still verifies the old
    way, entries hashed before the content texts were hashed as stored included."""
    import sqlite3
    old = sqlite3.connect(":memory:")
    old.execute("CREATE TABLE audit (seq INTEGER PRIMARY KEY, at TEXT, user TEXT,"
                " table_name TEXT, record_id TEXT, op TEXT, before TEXT, after TEXT,"
                " prev_hash TEXT, hash TEXT, owner TEXT NOT NULL DEFAULT '')")
    rows = ctx.db.execute("SELECT seq, at, user, table_name, record_id, op, before, after,"
                          " owner FROM audit ORDER BY seq").fetchall()
    prev = audit.GENESIS
    for n, (seq, at, user, table, rid, op, before, after, owner) in enumerate(rows):
        if n < len(rows) // 2:      # the older way, then the newer (with the owner)
            digest, owner = audit.legacy_entry_hash(prev, seq, at, user, table, rid, op,
                                                    before, after), ""
        else:
            digest = audit.entry_hash(prev, seq, at, user, table, rid, op, before, after, owner)
        old.execute("INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [seq, at, user, table, rid, op, before, after, prev, digest, owner])
        prev = digest
    assert audit.sealer(old) is None and audit.check_chain(old).problems == []
    old.execute("UPDATE audit SET user = 'ke_gian' WHERE seq = 3")
    assert any("số 3 đã bị sửa" in p for p in audit.check_chain(old).problems)


def test_the_hash_covers_where_before_ends_and_after_begins():
    args = ("0" * 64, 7, "2026-01-01T00:00:00+00:00", "a", "units", "r", "update")
    assert audit.entry_hash(*args, '{"a":1}', '{"b":2}') \
        != audit.entry_hash(*args, '{"a":1}{"b":2}', None) \
        != audit.entry_hash(*args, None, '{"a":1}{"b":2}')
    assert audit.entry_hash(*args, None, "{}") != audit.entry_hash(*args, "{}", None)
    assert audit.entry_hash(*args, "", "{}") != audit.entry_hash(*args, None, "{}")


def test_the_owner_kept_with_an_entry_is_covered_by_its_hash(ctx, seeded):
    seq, owner = ctx.db.execute("SELECT seq, owner FROM audit WHERE table_name = 'units'"
                                " ORDER BY seq DESC LIMIT 1").fetchone()
    assert owner == "X01"
    assert [e.op for e in audit.history(ctx, "units", seeded["unit"])] == ["insert", "update"]
    tamper(ctx, "UPDATE audit SET owner = '' WHERE seq = ?", [seq])
    assert any(f"số {seq} đã bị sửa" in p for p in check_database(ctx))
