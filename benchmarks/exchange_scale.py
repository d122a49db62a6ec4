"""Scale of the exchange: one commune's file size, and a province taking in N files.

Run:  /tmp/venv/bin/python benchmarks/exchange_scale.py [--communes 100] [--members 2000]

Each commune gets units, models, N members (most in one model, some in two),
a year of events with attendance lists, results and commendations, written
straight through the store (no per-record validation, to keep set-up short).
Prints the size of a commune's package and the time the province needs to
take in all packages (first import, then a re-import that changes nothing).
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.exchange import export_package, import_files  # noqa: E402
from core.station import init_station  # noqa: E402
from core.text import fold, name_sort_key  # noqa: E402

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Vũ", "Võ", "Đặng", "Bùi"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Quang", "Thanh", "Đức"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hòa", "Khánh", "Lan", "Tâm", "Yến", "Phúc"]


def populate(ctx, members: int, rng: random.Random) -> None:
    """A commune with *members* members and a year of activity."""
    s = ctx.store
    with s.transaction():
        units = [s.insert("units", {"name": f"Thôn {i}", "name_fold": fold(f"Thôn {i}"),
                                    "type": "khu_dan_cu", "households": rng.randrange(80, 400)})
                 for i in range(30)]
        for u in units:
            s.insert("unit_years", {"unit_id": u, "year": 2026, "registered": 1,
                                    "recognised": rng.randrange(2)})
        models = [s.insert("models", {"name": f"Tổ ANND {i}", "name_fold": f"to annd {i}",
                                      "type": "to_an_ninh_nhan_dan", "status": "hieu_qua", "advanced": 0,
                                      "launch_date": "2024-05-01", "unit_ids": [units[i % 30]]})
                  for i in range(60)]
        persons = []
        for i in range(members):
            fam, mid, giv = rng.choice(FAMILY), rng.choice(MIDDLE), rng.choice(GIVEN)
            full = f"{fam} {mid} {giv}"
            pid = s.insert("persons", {
                "family_name": fam, "middle_name": mid, "given_name": giv, "full_name": full,
                "name_fold": fold(full), "sort_key": name_sort_key(giv, mid, fam),
                "birth_date": f"19{rng.randrange(50, 99)}-0{rng.randrange(1, 10)}-1{rng.randrange(10)}",
                "gender": rng.choice(["nam", "nu"]),
                "id_number": "0" + "".join(str(rng.randrange(10)) for _ in range(11)),
                "ethnicity": "Kinh", "occupation": "Làm nông",
                "address": f"Số {i}, thôn {i % 30}", "residence_unit_id": units[i % 30],
                "phone": "09" + "".join(str(rng.randrange(10)) for _ in range(8))})
            persons.append(pid)
            s.insert("memberships", {"person_id": pid, "model_id": models[i % 60],
                                     "role": "thanh_vien", "join_date": "2024-06-01"})
            if i % 5 == 0:
                s.insert("memberships", {"person_id": pid, "model_id": models[(i + 7) % 60],
                                         "role": "thanh_vien", "join_date": "2025-01-01"})
        for i in range(150):
            attendees = rng.sample(persons, 20)
            s.insert("events", {"date": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
                                "type": "tuyen_truyen", "title": f"Tuyên truyền {i}",
                                "title_fold": f"tuyen truyen {i}", "unit_id": units[i % 30],
                                "participants": 40, "model_ids": [models[i % 60]],
                                "attendee_ids": attendees})
        for i in range(100):
            s.insert("results", {"date": f"2026-{1 + i % 12:02d}-05", "type": "tin_bao",
                                 "quantity": rng.randrange(1, 5), "unit_id": units[i % 30]})
        for i in range(30):
            s.insert("commendations", {"recipient_kind": "person", "recipient_id": persons[i],
                                       "form": "giay_khen", "decision_no": f"{i}/QĐ",
                                       "decision_date": "2026-08-19",
                                       "achievement": "Có thành tích"})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--members", type=int, default=2000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="antq-bench-"))
    tinh = init_station(folder / "tinh.sqlite3", level="tinh", code="T01", name="Công an tỉnh")
    down = folder / "down.antq"
    export_package(tinh, down)
    rng = random.Random(1)
    files, sizes, t_fill, t_export = [], [], 0.0, 0.0
    for n in range(args.communes):
        xa = init_station(folder / f"x{n}.sqlite3", level="xa", code=f"X{n:03d}",
                          name=f"Công an xã {n}")
        import_files(xa, [down], trust_new=True)
        t0 = time.perf_counter()
        populate(xa, args.members, rng)
        t1 = time.perf_counter()
        path = folder / f"x{n}.antq"
        export_package(xa, path)
        t_export += time.perf_counter() - t1
        t_fill += t1 - t0
        files.append(path)
        sizes.append(path.stat().st_size)
        xa.close()
    print(f"communes: {args.communes}, members each: {args.members}")
    print(f"package size: min {min(sizes):,} B, max {max(sizes):,} B "
          f"({max(sizes) / 1024:.0f} KiB)")
    print(f"export time per commune: {t_export / args.communes * 1000:.0f} ms "
          f"(set-up of data took {t_fill:.1f} s in all)")
    t0 = time.perf_counter()
    results = import_files(tinh, files, trust_new=True)
    t1 = time.perf_counter()
    assert all(r.status == "applied" for r in results), [r.reason for r in results][:3]
    inserted = sum(r.inserted for r in results)
    print(f"province first import: {t1 - t0:.1f} s for {len(files)} files "
          f"({inserted:,} records inserted)")
    t0 = time.perf_counter()
    again = import_files(tinh, files)
    print(f"province re-import (already applied): {time.perf_counter() - t0:.1f} s; "
          f"statuses {sorted({r.status for r in again})}")
    print(f"province database: {(folder / 'tinh.sqlite3').stat().st_size / 1e6:.0f} MB "
          f"in {folder}")


if __name__ == "__main__":
    main()
