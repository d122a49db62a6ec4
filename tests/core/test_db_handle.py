"""The open database handle: sqlite-utils' behaviour, without loading it at start."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from core import cipher
from core import db as dbmod
from core.station import init_station

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def handle(tmp_path):
    init_station(tmp_path / "s.sqlite3", level="xa", code="X01", name="Công an xã A").close()
    db = dbmod.open_existing(tmp_path / "s.sqlite3",
                             key=cipher.known_key(tmp_path / "s.sqlite3"))
    db.execute("CREATE TABLE t (x INTEGER)")
    yield db, tmp_path / "s.sqlite3"
    db.close()


def _seen_elsewhere(path: Path) -> list[int]:
    other = cipher.connect(path, cipher.known_key(path))
    try:
        return [r[0] for r in other.execute("SELECT x FROM t ORDER BY x")]
    finally:
        other.close()


def test_a_write_outside_a_transaction_is_committed_at_once(handle):
    db, path = handle
    db.execute("INSERT INTO t VALUES (?)", [1])
    assert not db.conn.in_transaction
    assert _seen_elsewhere(path) == [1]


def test_atomic_commits_or_rolls_back_and_nests_as_savepoints(handle):
    db, path = handle
    with pytest.raises(ValueError):
        with db.atomic():
            db.execute("INSERT INTO t VALUES (2)")
            raise ValueError
    assert _seen_elsewhere(path) == []
    with db.atomic():
        db.execute("INSERT INTO t VALUES (3)")
        with pytest.raises(ValueError):
            with db.atomic():
                db.execute("INSERT INTO t VALUES (4)")
                raise ValueError
    assert _seen_elsewhere(path) == [3]


def test_the_rest_of_sqlite_utils_is_there_on_first_use(handle):
    db, _ = handle
    assert db["station"].exists() and "t" in db.table_names()
    db.execute("INSERT INTO t VALUES (5)")     # the same connection, sqlite-utils' execute
    assert db.execute("SELECT x FROM t").fetchall() == [(5,)]


def test_opening_a_station_does_not_load_sqlite_utils(tmp_path):
    """Only the AES-GCM part of cryptography loads, to unwrap the database key."""
    init_station(tmp_path / "s.sqlite3", level="xa", code="X01", name="Công an xã A").close()
    code = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from core.station import open_station
        from core import queries
        ctx = open_station({str(tmp_path / "s.sqlite3")!r})
        queries.list_ids(ctx.db, queries.PERSONS, limit=10)
        ctx.close()
        print(sorted(m for m in ("sqlite_utils", "cryptography.hazmat.primitives.asymmetric")
                     if m in sys.modules))
        """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
