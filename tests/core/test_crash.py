"""Kill test: a child process writing a large batch is killed at random moments.

The batch (units, models, a few thousand persons and memberships, each audited)
is written in one store transaction, as a workbook import writes its data. After
each SIGKILL the database must pass ``check`` (SQLite integrity, references,
audit chain, every record matching its last audit entry) and hold either the
old data or the whole batch, never part of it.

The second test kills the real thing: ``main.py --db X import-workbook big.xlsx``
on a workbook generated from the sample data (about 2,500 rows). The last three
do the same for ``backup`` and ``restore`` (the database whole, unchanged or
restored, and no hidden copy after the next start) and meet them with another
writer holding the database.
"""
from __future__ import annotations

import random
import shutil
import subprocess
import sys
import textwrap
import time

from pathlib import Path

from core.integrity import check_database
from core.station import open_station
from security_fixtures import copy_station, open_backup

ROOT = Path(__file__).resolve().parents[2]
PERSONS = 1000
KILLS = 20

CHILD = textwrap.dedent("""
    import sys
    sys.path.insert(0, sys.argv[1])
    from core.records import Membership, Model, Person, Unit
    from core.repos.models import ModelRepo
    from core.repos.persons import MembershipRepo, PersonRepo
    from core.repos.units import UnitRepo
    from core.station import open_station
    ctx = open_station(sys.argv[2])
    n, tag = int(sys.argv[3]), sys.argv[4]
    print("ready", flush=True)
    with ctx.store.transaction():
        unit_ids = [UnitRepo(ctx.store).save(Unit(name=f"Thôn {tag}-{i}")) for i in range(20)]
        model_ids = [ModelRepo(ctx.store).save(Model(name=f"Tổ {tag}-{i}",
                     unit_ids=[unit_ids[i % 20]])) for i in range(50)]
        for i in range(n):
            pid = PersonRepo(ctx.store).save(Person(
                family_name="Nguyễn", middle_name="Văn", given_name=f"{tag}{i}",
                full_name=f"Nguyễn Văn {tag}{i}", birth_date="1980-01-01"))
            MembershipRepo(ctx.store).save(Membership(person_id=pid,
                                                      model_id=model_ids[i % 50]))
    ctx.close()
    print("done", flush=True)
""")


def _spawn(db: Path, tag: str) -> subprocess.Popen:
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(ROOT), str(db), str(PERSONS),
                              tag], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "ready"
    return child


def _counts(db: Path) -> tuple[int, int, list[str]]:
    from core import backup
    ctx = open_backup(db) if backup.read_header(db) is not None else open_station(db)
    try:
        persons = ctx.db.execute("SELECT COUNT(*) FROM persons").fetchone()[0]
        members = ctx.db.execute("SELECT COUNT(*) FROM memberships").fetchone()[0]
        return persons, members, check_database(ctx)
    finally:
        ctx.close()


def test_killed_writer_leaves_old_or_new_state(ctx):
    db = ctx.path
    ctx.close()
    started = time.monotonic()
    first = _spawn(db, "base")
    assert first.wait(timeout=600) == 0
    duration = time.monotonic() - started  # to spread the kills over a whole write
    persons, members, problems = _counts(db)
    assert (persons, members, problems) == (PERSONS, PERSONS, [])

    rng = random.Random(20260701)
    interrupted = completed = 0
    for kill in range(KILLS):
        child = _spawn(db, f"k{kill}")
        time.sleep(rng.uniform(0, duration * 1.1))
        child.kill()
        child.wait()
        now_persons, now_members, problems = _counts(db)
        assert problems == [], f"kill {kill}: {problems}"
        assert now_persons == now_members
        assert now_persons in (persons, persons + PERSONS), f"kill {kill}: partial write"
        if now_persons == persons:
            interrupted += 1
        else:
            completed += 1
        persons = now_persons
    print(f"\n{KILLS} kills: {interrupted} mid-write (old state kept), "
          f"{completed} after commit (new state whole); check passed each time")
    assert interrupted >= 1  # the kills did land inside the transaction


WORKBOOK_KILLS = 12
COUNTED = ("units", "models", "persons", "memberships", "events", "results", "commendations")


def _table_counts(db: Path) -> tuple[dict[str, int], list[str]]:
    ctx = open_station(db)
    try:
        counts = {t: ctx.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in COUNTED}
        return counts, check_database(ctx)
    finally:
        ctx.close()


def _import(db: Path, workbook: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--db", str(db),
                             "import-workbook", str(workbook)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_killed_workbook_import_leaves_nothing_or_everything(tmp_path):
    from core import sample_data
    from core.station import init_station
    from core.workbook import export_workbook
    source = init_station(tmp_path / "source.sqlite3", level="xa", code="S01",
                          name="Công an xã Nguồn")
    sample_data.fill(source, sample_data.generate(1.0))
    workbook = tmp_path / "big.xlsx"
    rows = sum(export_workbook(source, workbook).values())
    source.close()
    empty = tmp_path / "empty.sqlite3"
    init_station(empty, level="xa", code="T01", name="Công an xã Đích").close()

    reference = tmp_path / "reference.sqlite3"
    copy_station(empty, reference)
    started = time.monotonic()
    assert _import(reference, workbook).wait(timeout=600) == 0
    duration = time.monotonic() - started
    full, problems = _table_counts(reference)
    nothing, _ = _table_counts(empty)
    assert problems == [] and full["memberships"] > 1000 and full != nothing

    rng = random.Random(20260707)
    interrupted = completed = 0
    for kill in range(WORKBOOK_KILLS):
        target = tmp_path / f"kill{kill}.sqlite3"
        copy_station(empty, target)
        child = _import(target, workbook)
        time.sleep(rng.uniform(0.1, 0.9) * duration)
        child.kill()
        child.wait()
        counts, problems = _table_counts(target)
        assert problems == [], f"kill {kill}: {problems}"
        assert counts in (nothing, full), f"kill {kill}: partial import {counts}"
        if counts == nothing:
            interrupted += 1
        else:
            completed += 1
    print(f"\n{WORKBOOK_KILLS} kills of import-workbook ({rows} rows, {duration:.1f} s): "
          f"{interrupted} left nothing, {completed} after commit left everything; "
          "check passed each time")
    assert interrupted >= 1


# -- backup and restore: killed, and meeting another writer --------------------

BACKUP_KILLS = 8


def _main(db: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--db", str(db), *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def _sample(tmp_path: Path) -> Path:
    from core import sample_data
    from core.station import init_station
    path = tmp_path / "station.sqlite3"
    ctx = init_station(path, level="xa", code="S01", name="Công an xã Nguồn")
    sample_data.fill(ctx, sample_data.generate(1.0))
    ctx.close()
    return path


def test_killed_backup_leaves_the_database_as_it_was(tmp_path):
    from core.backup import verify_database_file
    db = _sample(tmp_path)
    before, problems = _table_counts(db)
    assert problems == []
    station = open_station(db)
    key = station.db.key
    station.close()
    usb = tmp_path / "usb"
    usb.mkdir()
    out = usb / "copy.sqlite3"
    started = time.monotonic()
    assert _main(db, "backup", "--out", str(out)).wait(timeout=300) == 0
    duration = time.monotonic() - started
    out.unlink()
    rng = random.Random(20261202)
    interrupted = 0
    for kill in range(BACKUP_KILLS):
        child = _main(db, "backup", "--out", str(out))
        time.sleep(rng.uniform(0.05, 1.1) * duration)
        child.kill()
        child.wait()
        counts, problems = _table_counts(db)        # the next start: whole and unchanged
        assert problems == [] and counts == before, f"kill {kill}: {problems}"
        if out.exists():                            # finished before the kill: a whole copy
            # with the station key, as restore passes it: the copy has a salt of its own
            assert verify_database_file(out, keys=(key,)).station_code == "S01"
            out.unlink()
        else:
            interrupted += 1
    assert interrupted >= 1                         # the kills did land inside the copy
    assert _main(db, "backup", "--out", str(out)).wait(timeout=300) == 0
    assert _hidden(usb) == []                       # what the kills left is gone
    print(f"\n{BACKUP_KILLS} kills of backup ({duration:.1f} s): {interrupted} mid-copy; "
          "the database unchanged and whole each time")


def test_killed_restore_leaves_the_old_or_the_restored_database(tmp_path):
    from core.records import Unit
    from core.services import units
    db = _sample(tmp_path)
    copy = tmp_path / "copy.sqlite3"
    assert _main(db, "backup", "--out", str(copy)).wait(timeout=300) == 0
    restored, _ = _table_counts(db)
    ctx = open_station(db)
    units.save(ctx, Unit(name="Thôn sau sao lưu", type="khu_dan_cu"))
    ctx.close()
    old, problems = _table_counts(db)
    assert problems == [] and old != restored
    pristine = tmp_path / "pristine.sqlite3"
    shutil.copyfile(db, pristine)
    started = time.monotonic()
    assert _main(db, "restore", str(copy)).wait(timeout=300) == 0
    duration = time.monotonic() - started
    rng = random.Random(20261203)
    interrupted = 0
    for kill in range(BACKUP_KILLS):
        for side in ("-wal", "-shm"):
            Path(f"{db}{side}").unlink(missing_ok=True)
        shutil.copyfile(pristine, db)
        child = _main(db, "restore", str(copy))
        time.sleep(rng.uniform(0.05, 1.1) * duration)
        child.kill()
        child.wait()
        counts, problems = _table_counts(db)        # the next start
        assert problems == [], f"kill {kill}: {problems}"
        assert counts in (old, restored), f"kill {kill}: neither state {counts}"
        assert not [n for n in _hidden(tmp_path) if n.endswith(".tmp")], _hidden(tmp_path)
        interrupted += counts == old
    assert interrupted >= 1
    ctx = open_station(db)                          # usable: a write goes in, audited
    units.save(ctx, Unit(name="Thôn sau khôi phục", type="khu_dan_cu"))
    assert check_database(ctx) == []
    ctx.close()
    print(f"\n{BACKUP_KILLS} kills of restore ({duration:.1f} s): {interrupted} left the old "
          "database; each time whole, usable, no hidden copy after the next start")


def test_backup_and_restore_meet_another_writer(tmp_path, capsys):
    """Another program is writing (an import in progress): the backup holds what was
    committed; the restore is refused, leaving neither a change nor a copy behind."""
    import sqlite3
    from exchange_support import cli, commune, db_state, fill
    ctx = commune(tmp_path, "X01")
    fill(ctx, seed=5, persons=8, events=2)
    before, path = db_state(ctx), ctx.path
    ctx.close()
    copy = tmp_path / "copy.sqlite3"
    assert cli(capsys, path, "backup", "--out", str(copy))[0] == 0
    files = sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock"))
    from core import cipher
    writer = cipher.driver.connect(str(path), isolation_level=None)
    writer.execute(f"PRAGMA key = {cipher.pragma_key(cipher.known_key(path))}")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE units SET name = name || ' (đang ghi)'")
    try:
        code, payload = cli(capsys, path, "backup", "--out", str(tmp_path / "during.sqlite3"))
        assert code == 0, payload
        code, payload = cli(capsys, path, "restore", str(copy))
        assert code == 1, payload
        assert "chương trình khác" in payload["error"] and "Chưa có gì thay đổi" in \
            payload["error"]
    finally:
        writer.rollback()
        writer.close()
    assert sorted(p.name for p in tmp_path.iterdir()
                  if not p.name.endswith(".lock")) == sorted(files + ["during.sqlite3"])
    during = open_backup(tmp_path / "during.sqlite3")
    assert not during.db.execute("SELECT 1 FROM units WHERE name LIKE '%(đang ghi)'"
                                 ).fetchone()
    during.close()
    again = open_station(path)
    assert db_state(again) == before
    again.close()
    assert cli(capsys, path, "restore", str(copy))[0] == 0


def test_a_backup_taken_while_an_import_writes_holds_a_whole_state(ctx, tmp_path):
    """Two processes: a writer's big transaction and ``backup`` at the same time."""
    db = ctx.path
    ctx.close()
    assert _spawn(db, "base").wait(timeout=600) == 0
    writer = _spawn(db, "more")                     # inside its transaction from now on
    copy = tmp_path / "during.sqlite3"
    assert _main(db, "backup", "--out", str(copy)).wait(timeout=300) == 0
    assert writer.wait(timeout=600) == 0
    persons, members, problems = _counts(copy)
    assert problems == [] and persons == members and persons in (PERSONS, 2 * PERSONS)
    assert _counts(db)[:2] == (2 * PERSONS, 2 * PERSONS)
