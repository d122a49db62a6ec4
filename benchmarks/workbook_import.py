"""Workbook import against the calamine + executemany baseline, on an existing workbook.

    python benchmarks/workbook_import.py WORKBOOK.xlsx [--folder DIR]

Imports the workbook into a fresh station (in DIR, default a temporary folder), then
imports it again (which must change nothing), and times ``calamine_executemany`` of
benchmarks/run.py on the same file (best of two runs, before and after). Prints wall
and CPU seconds and the ratios. The workbook of ``benchmarks/run.py --keep DIR`` is
``DIR/wb.xlsx`` (20,000 memberships); copy it, never write into that folder.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from run import calamine_executemany  # noqa: E402

from core.station import init_station  # noqa: E402
from core.workbook import import_workbook  # noqa: E402


def baseline(path: Path, folder: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of the best of two baseline runs."""
    runs = []
    for _ in range(2):
        wall, cpu = time.perf_counter(), time.process_time()
        calamine_executemany(path, folder / f"plain{time.time_ns()}.sqlite3")
        runs.append((time.perf_counter() - wall, time.process_time() - cpu))
    return min(runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workbook", type=Path)
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="wbimport"))
    folder.mkdir(parents=True, exist_ok=True)
    before = baseline(args.workbook, folder)
    ctx = init_station(folder / f"new{time.time_ns()}.sqlite3", level="xa", code="XWB2",
                       name="Công an xã Hai")
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        report = import_workbook(ctx, args.workbook)
        ours = (time.perf_counter() - wall, time.process_time() - cpu)
        assert not report.errors, report.errors[:3]
        wall = time.perf_counter()
        again = import_workbook(ctx, args.workbook)
        second = time.perf_counter() - wall
        assert not again.applied and not again.errors
    finally:
        ctx.close()
    after = baseline(args.workbook, folder)
    base = min(before, after)
    print(f"inserted: {dict(report.inserted)}")
    print(f"import     {ours[0]:7.3f} s wall ({ours[0] / base[0]:5.2f}×), "
          f"{ours[1]:7.3f} s CPU ({ours[1] / base[1]:5.2f}×)")
    print(f"re-import  {second:7.3f} s wall ({second / base[0]:5.2f}×), nothing changed")
    print(f"baseline   {base[0]:7.3f} s wall, {base[1]:7.3f} s CPU (calamine + executemany)")
    print(f"database   {ctx.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
