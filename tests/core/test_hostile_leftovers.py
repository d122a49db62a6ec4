"""No copies left behind: temporary files in the program's private folder, and
the hidden copies of a killed backup or restore removed at the next start.
"""
from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core import cipher
from core.integrity import check_database
from core.station import init_station, open_station
from security_fixtures import copy_station, open_backup

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def big_db(tmp_path_factory) -> Path:
    """A station with the sample data (a few seconds to copy or export)."""
    from core import sample_data
    path = tmp_path_factory.mktemp("big") / "big.sqlite3"
    ctx = init_station(path, level="xa", code="S01", name="Công an xã Nguồn")
    sample_data.fill(ctx, sample_data.generate(1.0))
    ctx.close()
    return path


def _main(db: Path, *args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--db", str(db), *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, **(env or {})})


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_killed_backup_leaves_no_copy_on_the_stick_after_the_next_one(big_db, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    out = usb / "antq.sqlite3"
    rng = random.Random(16)
    started = time.monotonic()
    assert _main(big_db, "backup", "--out", str(out)).wait(timeout=300) == 0
    duration = time.monotonic() - started
    for _ in range(4):
        child = _main(big_db, "backup", "--out", str(out))
        time.sleep(rng.uniform(0.2, duration))
        child.kill()
        child.wait()
    # What a kill mid-copy leaves (made for sure, under a dead process's id).
    (usb / f".antq.sqlite3.p{_dead_pid()}.x1y2z3.tmp").write_bytes(b"SQLite format 3\0" * 64)
    assert _hidden(usb)
    assert _main(big_db, "backup", "--out", str(out)).wait(timeout=300) == 0
    assert _hidden(usb) == []
    ctx = open_backup(out, cipher.known_key(big_db))
    assert check_database(ctx) == []
    ctx.close()


def test_a_killed_restore_leaves_no_staging_copy_after_the_next_start(big_db, tmp_path):
    import shutil
    db = tmp_path / "station.sqlite3"
    copy_station(big_db, db)
    backup = tmp_path / "copy.sqlite3"
    assert _main(db, "backup", "--out", str(backup)).wait(timeout=300) == 0
    started = time.monotonic()
    assert _main(db, "restore", str(backup)).wait(timeout=300) == 0
    duration = time.monotonic() - started
    rng = random.Random(61)
    for _ in range(4):
        child = _main(db, "restore", str(backup))
        time.sleep(rng.uniform(0.1, duration))
        child.kill()
        child.wait()
        ctx = open_station(db)          # the database is whole after each kill
        assert check_database(ctx) == []
        ctx.close()
    (tmp_path / f".station.sqlite3.restore-{_dead_pid()}.tmp").write_bytes(b"x" * 4096)
    assert any(".restore-" in n for n in _hidden(tmp_path))
    aside = f".station.truoc-khoi-phuc-20261201-000000.sqlite3.p{_dead_pid()}.q9.tmp"
    (tmp_path / aside).write_bytes(b"x")      # a kill while the old database is set aside
    open_station(db).close()
    assert not any(".restore-" in n or n.endswith(".tmp") for n in _hidden(tmp_path))


def test_sheet_files_of_a_killed_export_never_reach_the_system_temp(big_db, tmp_path):
    system_temp = tmp_path / "system-tmp"
    system_temp.mkdir()
    data = tmp_path / "data"
    env = {"TMPDIR": str(system_temp), "TEMP": str(system_temp), "ANTQ_DATA_DIR": str(data)}
    out = tmp_path / "out.xlsx"
    started = time.monotonic()
    assert _main(big_db, "export-workbook", "--out", str(out), env=env).wait(timeout=300) == 0
    duration = time.monotonic() - started
    child = _main(big_db, "export-workbook", "--out", str(tmp_path / "k.xlsx"), env=env)
    private = data / "tmp" / str(child.pid)
    deadline = time.monotonic() + duration
    while time.monotonic() < deadline and not any(private.glob("openpyxl*")):
        time.sleep(0.05)
    assert any(private.glob("openpyxl*")), "the sheet files go to the private folder"
    child.kill()
    child.wait()
    assert list(system_temp.iterdir()) == []
    assert oct((data / "tmp").stat().st_mode & 0o777) == "0o700"
    assert _main(big_db, "check", env=env).wait(timeout=300) == 0    # the next start
    assert not private.exists()
    # The killed export's own hidden copy next to its target goes with the next export.
    (tmp_path / f".k.xlsx.p{_dead_pid()}.abc123.tmp").write_bytes(b"PK" * 100)
    assert _main(big_db, "export-workbook", "--out", str(tmp_path / "k.xlsx"),
                 env=env).wait(timeout=300) == 0
    assert _hidden(tmp_path) == []
