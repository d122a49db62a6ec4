"""Helpers for the exchange tests: stations, sample data and the command line."""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from core.cli import run  # noqa: E402
from core.exchange import export_package, import_files  # noqa: E402
from core.records import Event, Membership, Model, Person, Result, Unit, UnitYear  # noqa: E402
from core.services import activities, members, models, units  # noqa: E402
from core.station import Context, init_station, open_station  # noqa: E402

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Quang"]
GIVEN = ["Ánh", "Bình", "Cường", "Dũng", "Hòa", "Khánh", "Lan", "Tâm", "Yến", "Đức"]


def province(tmp_path: Path, code: str = "T01") -> Context:
    """A fresh province station."""
    return init_station(tmp_path / f"{code}.sqlite3", level="tinh", code=code,
                        name=f"Công an tỉnh {code}")


def commune(tmp_path: Path, code: str) -> Context:
    """A fresh commune station."""
    return init_station(tmp_path / f"{code}.sqlite3", level="xa", code=code,
                        name=f"Công an xã {code}")


def id_number(rng: random.Random) -> str:
    """A random 12-digit ID number."""
    return "0" + "".join(str(rng.randrange(10)) for _ in range(11))


def fill(ctx: Context, *, seed: int, persons: int = 12, events: int = 6) -> dict:
    """Sample data entered through the services; returns the ids and people made."""
    rng = random.Random(seed)
    unit_id, _ = units.save(ctx, Unit(name=f"Thôn {seed} Đông", type="khu_dan_cu",
                                      households=120 + seed))
    school_id, _ = units.save(ctx, Unit(name=f"Trường {seed}", type="nha_truong"))
    units.set_year(ctx, UnitYear(unit_id=unit_id, year=2026, registered=True,
                                 recognised=bool(seed % 2)))
    model_id, _ = models.save(ctx, Model(name=f"Tổ ANND thôn {seed}", unit_ids=[unit_id],
                                         launch_date="2025-03-01", status="hieu_qua"))
    club_id, _ = models.save(ctx, Model(name=f"CLB {seed}", type="cau_lac_bo",
                                        unit_ids=[unit_id, school_id]))
    people = []
    for i in range(persons):
        full = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)} {seed}x{i}"
        number = id_number(rng)
        pid, _ = members.save_person(ctx, Person(full_name=full, id_number=number,
                                                 birth_date="1980-05-0" + str(1 + i % 9),
                                                 phone="09" + number[:8],
                                                 address=f"Số {i} đường Lạc Long Quân"))
        members.save_membership(ctx, Membership(person_id=pid, model_id=model_id,
                                                role="to_truong" if i == 0 else "thanh_vien",
                                                join_date="2025-04-01"))
        if i % 3 == 0:
            members.save_membership(ctx, Membership(person_id=pid, model_id=club_id,
                                                    join_date="2025-05-01"))
        people.append({"id": pid, "full_name": full, "id_number": number})
    event_ids = []
    for i in range(events):
        attendees = [p["id"] for p in people[: 2 + i]]
        eid, _ = activities.save_event(ctx, Event(
            date=f"2026-0{1 + i % 9}-1{i % 10}", type="tuyen_truyen",
            title=f"Tuyên truyền số {i}", unit_id=unit_id, model_ids=[model_id],
            participants=10 + i + len(attendees), attendee_ids=attendees))
        event_ids.append(eid)
    activities.save_result(ctx, Result(date="2026-02-02", type="tin_bao", quantity=3 + seed,
                                       unit_id=unit_id, model_id=model_id))
    return {"unit": unit_id, "model": model_id, "club": club_id, "people": people,
            "events": event_ids}


def cli(capsys, db: Path | str, *args: str) -> tuple[int, dict]:
    """Run one command with --json; return (exit code, parsed stdout)."""
    capsys.readouterr()
    code = run(["--db", str(db), *args, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else {}


def link(province_ctx: Context, commune_ctx: Context, folder: Path) -> None:
    """Province package down, commune trusts it (the designed first contact)."""
    down = folder / f"down-{commune_ctx.station.code}.antq"
    export_package(province_ctx, down)
    [result] = import_files(commune_ctx, [down], trust_new=True)
    assert result.status == "applied", result.reason


def send_up(commune_ctx: Context, province_ctx: Context, folder: Path, name: str = "up"):
    """Commune exports, province takes it in (trusting it); returns (path, result)."""
    path = folder / f"{name}-{commune_ctx.station.code}.antq"
    export_package(commune_ctx, path)
    [result] = import_files(province_ctx, [path], trust_new=True)
    return path, result


def db_state(ctx: Context) -> list:
    """Every row of every table (a fingerprint of the database for "nothing changed")."""
    tables = [r[0] for r in ctx.db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " ORDER BY name")]
    return [(t, ctx.db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()) for t in tables]


def reopen(ctx: Context) -> Context:
    """Close and open a station again (what the command line does each time)."""
    path = ctx.path
    ctx.close()
    return open_station(path)
