"""How fast the window opens and searches on a large station (not a test).

Run: QT_QPA_PLATFORM=offscreen python benchmarks/ui_bench.py [--members 20000] [--db FILE]
Creates (or reuses) a station with that many memberships, then measures the time
from creating the main window to it being shown with every list filled, and the
latency of search-as-you-type on the member list (query + first screen of rows).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def make_station(path: Path, members: int) -> None:
    """A station with *members* memberships of realistic sample data."""
    from core import sample_data
    from core.station import init_station
    ctx = init_station(path, level="xa", code="BENCH", name="Công an xã Thử Nghiệm")
    try:
        sample_data.fill(ctx, sample_data.generate(members_per_commune=members))
    finally:
        ctx.close()


def first_screen(page, rows: int = 30) -> None:
    """Ask for what a view shows on screen (loads the first page of rows)."""
    model = page.model
    for r in range(min(rows, model.rowCount())):
        for c in range(model.columnCount()):
            model.index(r, c).data()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--db")
    args = parser.parse_args()
    path = Path(args.db) if args.db else Path(tempfile.mkdtemp()) / "bench.sqlite3"
    if not path.exists():
        started = time.perf_counter()
        make_station(path, args.members)
        print(f"tạo dữ liệu: {time.perf_counter() - started:.1f} s")

    from PySide6.QtWidgets import QApplication
    from core.station import open_station
    from ui.app import make_application
    from ui.main_window import MainWindow
    app = make_application([])
    ctx = open_station(path)
    counts = ctx.db.execute("SELECT (SELECT COUNT(*) FROM memberships WHERE deleted = 0),"
                            " (SELECT COUNT(*) FROM persons WHERE deleted = 0)").fetchone()
    print(f"thành viên: {counts[1]:,} người, {counts[0]:,} lượt tham gia")

    started = time.perf_counter()
    window = MainWindow(ctx)
    window.show()
    app.processEvents()
    for page in (window.members, window.models, window.events):
        first_screen(page)
    shown = time.perf_counter() - started
    print(f"mở cửa sổ đến khi hiện (các danh sách đã có dữ liệu): {shown * 1000:.0f} ms")
    tasks_done = time.perf_counter()
    while not window.overview.reports and time.perf_counter() - tasks_done < 10:
        app.processEvents()
    print(f"số liệu Tổng quan (luồng nền) xong sau thêm: "
          f"{(time.perf_counter() - tasks_done) * 1000:.0f} ms")

    page = window.members
    timings = []
    for text in ("n", "ng", "ngu", "nguy", "nguye", "nguyen", "nguyen v", "nguyen van",
                 "nguyen van d", "nguyen van duc", "Nguyễn Văn Đức", "thi", "hoa", ""):
        started = time.perf_counter()
        page.model.set_search(text)
        first_screen(page)
        timings.append((text, (time.perf_counter() - started) * 1000, page.model.rowCount()))
    for text, ms, rows in timings:
        print(f"  tìm “{text}”: {ms:6.1f} ms ({rows:,} dòng)")
    values = [ms for _, ms, _ in timings]
    print(f"tìm khi gõ: trung vị {statistics.median(values):.1f} ms, "
          f"chậm nhất {max(values):.1f} ms (chưa kể 150 ms chờ gõ xong)")
    for column in (0, 1):
        started = time.perf_counter()
        page.model.sort(column)
        first_screen(page)
        print(f"sắp xếp theo cột {column}: {(time.perf_counter() - started) * 1000:.1f} ms")
    window.close()
    ctx.close()
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
