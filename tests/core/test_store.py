"""The store: metadata stamping, change records, savepoints."""
from __future__ import annotations

import pytest

from core.migrations import known_names
from core.records import Unit
from core.repos.units import UnitRepo


def test_a_rolled_back_savepoint_drops_its_changes(ctx):
    repo = UnitRepo(ctx.store)
    with ctx.store.transaction() as changes:
        repo.save(Unit(name="Thôn 1", type="khu_dan_cu"))
        with pytest.raises(ValueError):
            with ctx.store.transaction():
                repo.save(Unit(name="Thôn 2", type="khu_dan_cu"))
                raise ValueError
        repo.save(Unit(name="Thôn 3", type="khu_dan_cu"))
    assert changes.count("units", "insert") == 2
    names = sorted(u.name for u in repo.all())
    assert names == ["Thôn 1", "Thôn 3"]


def test_writes_outside_a_transaction_are_refused(ctx):
    with pytest.raises(RuntimeError):
        UnitRepo(ctx.store).save(Unit(name="Thôn 1", type="khu_dan_cu"))
    assert UnitRepo(ctx.store).count() == 0


def test_a_database_from_a_newer_program_is_refused(ctx, tmp_path):
    from core.errors import DatabaseError
    from core.station import open_station
    with ctx.db.atomic():
        ctx.db.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
                       " VALUES ('antq', '9999_future', 'x')")
    with pytest.raises(DatabaseError, match="phiên bản mới hơn"):
        open_station(ctx.path)
    assert "0001_initial" in known_names()


def test_the_database_uses_wal_and_foreign_keys(ctx):
    assert ctx.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert ctx.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
