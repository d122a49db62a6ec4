"""Kill test: a child process writing a large batch is killed at random moments.

The batch (units, models, a few thousand persons and memberships, each audited)
is written in one store transaction, as a workbook import writes its data. After
each SIGKILL the database must pass ``check`` (SQLite integrity, references,
audit chain, every record matching its last audit entry) and hold either the
old data or the whole batch, never part of it.

The second test kills the real thing: ``main.py --db X import-workbook big.xlsx``
on a workbook generated from the sample data (about 2,500 rows).
"""
from __future__ import annotations

import random
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from core.integrity import check_database
from core.station import open_station
from security_fixtures import copy_station

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
    ctx = open_station(db)
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
