"""The benchmark suite: the program against its libraries' own limits, in one run.

Run:  .venv/bin/python benchmarks/run.py [--communes 100] [--members 2000]
      [--workbook-members 20000] [--keep DIR]
      benchmarks/run.py --only ui --db DIR/tinh.sqlite3   (window rows only)
      benchmarks/run.py --only desk [--province 52] [--sending 135] [--members N]
          [--keep DIR]   (the province's desk: a province of the official list)
      benchmarks/run.py --only lists [--members 2000]   (lists to PDF/Excel, attendance)
      benchmarks/run.py --only bin   (the recycle bin: delete, list, restore)

Not part of the test run. Every figure is measured side by side with the same
work done by the bare library on the same data, and printed as a table with the
ratio and the target (see benchmarks/README.md for the recorded figures).

Data: one commune station with ``--workbook-members`` memberships (sample data
written through the audited store), and a province that takes in
``--communes`` commune packages of ``--members`` memberships each (every
commune written through the audited store, its package exported and then taken
in by the province through the normal import path, so every database here
passes ``check``). Commune packages are built two at a time (2 cores).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PROVINCE = "T01"
TYPED = ("n", "ng", "ngu", "nguy", "nguye", "nguyen", "nguyen v", "nguyen van",
         "nguyen van d", "nguyen van duc", "Nguyễn Văn Đức", "thi", "hoa", "tran thi h")


# -- small helpers -------------------------------------------------------------

def timed(work, repeat: int = 1) -> float:
    """The median wall time of *work()* in seconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


class Table:
    """The rows of the final table."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str, str, str]] = []

    def ratio(self, name: str, ours: float, base: float, target: float) -> None:
        """A measurement against a baseline, target as a maximum ratio."""
        ratio = ours / base if base else float("inf")
        self.rows.append((name, f"{ours:.3f} s", f"{base:.3f} s", f"{ratio:.2f}×",
                          f"≤ {target:g}×", "met" if ratio <= target else "MISSED"))
        print(f"  {name}: {ours:.3f} s vs {base:.3f} s = {ratio:.2f}×", flush=True)

    def absolute(self, name: str, value: float, unit: str, target: float) -> None:
        """A measurement against an absolute target."""
        self.rows.append((name, f"{value:.1f} {unit}", "", "", f"≤ {target:g} {unit}",
                          "met" if value <= target else "MISSED"))
        print(f"  {name}: {value:.1f} {unit}", flush=True)

    def print(self) -> None:
        heads = ("measurement", "program", "library", "ratio", "target", "")
        widths = [max(len(r[i]) for r in (heads, *self.rows)) for i in range(6)]
        for row in (heads, tuple("-" * w for w in widths), *self.rows):
            print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)))


# -- building the data ---------------------------------------------------------

def make_commune(folder: str, n: int, members: int, down: str) -> str:
    """Commune *n*: sample data through the audited store, its package exported."""
    from core import sample_data
    from core.exchange import export_package, import_files
    from core.station import init_station
    folder_path = Path(folder)
    ctx = init_station(folder_path / f"x{n:03d}.sqlite3", level="xa", code=f"X{n:03d}",
                       name=f"Công an xã Số {n + 1}")
    try:
        import_files(ctx, [down], trust_new=True)
        sample_data.fill(ctx, sample_data.generate(members_per_commune=members,
                                                   seed=1000 + n))
        path = folder_path / f"x{n:03d}.antq"
        export_package(ctx, path)
    finally:
        ctx.close()
    (folder_path / f"x{n:03d}.sqlite3").unlink()
    return str(path)


def make_listed_commune(folder: str, code: str, members: int, down: str) -> str:
    """A commune of the official list (its code and name), sample data, its package."""
    from core import sample_data
    from core.exchange import export_package, import_files
    from core.station import init_station
    folder_path = Path(folder)
    ctx = init_station(folder_path / f"x{code}.sqlite3", level="xa", code=code)
    try:
        import_files(ctx, [down], trust_new=True)
        sample_data.fill(ctx, sample_data.generate(members_per_commune=members,
                                                   seed=int(code)))
        path = folder_path / f"x{code}.antq"
        export_package(ctx, path)
    finally:
        ctx.close()
    (folder_path / f"x{code}.sqlite3").unlink()
    return str(path)


def build_listed_province(folder: Path, province: str, sending: int, members: int):
    """A province of the official list whose first *sending* communes sent a package."""
    from core import admin_units
    from core.exchange import export_package, import_files
    from core.station import init_station
    tinh = init_station(folder / "tinh.sqlite3", level="tinh", code=province)
    codes = [u.code for u in admin_units.communes(tinh.db, province)][:sending]
    down = folder / "down.antq"
    export_package(tinh, down)
    with ProcessPoolExecutor(max_workers=2) as pool:
        files = list(pool.map(make_listed_commune, [str(folder)] * len(codes), codes,
                              [members] * len(codes), [str(down)] * len(codes)))
    import_files(tinh, files, trust_new=True)
    return tinh


def bench_desk(db: Path, table: Table) -> None:
    """The province's desk (Tổng quan with its communes' table) to first paint with rows."""
    child("desk", str(db))    # untimed: fills the bytecode cache
    desks = [child("desk", str(db)) for _ in range(3)]
    bares = [child("bare_window", "") for _ in range(3)]
    rows = desks[0]["rows"]
    table.ratio(f"province desk ({rows} communes): window start to the desk's first paint "
                "vs bare six-tab window", statistics.median(x["visible"] for x in desks),
                statistics.median(x["seconds"] for x in bares), 2)
    table.absolute(f"province desk: start to its {rows} rows with figures painted",
                   statistics.median(x["seconds"] for x in desks), "s", 2)


def main_desk(province: str, sending: int, members: int, keep: str | None) -> int:
    """Only the province's desk (``--only desk``): a listed province, its communes."""
    folder = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="antq-desk-"))
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "tinh.sqlite3"
    if not target.exists():
        started = time.perf_counter()
        build_listed_province(folder, province, sending, members).close()
        print(f"  (set-up: province {province}, {sending} communes sent packages of "
              f"{members} members, {time.perf_counter() - started:.0f} s)", flush=True)
    table = Table()
    bench_desk(target, table)
    table.print()
    return 0


def build_packages(folder: Path, communes: int, members: int) -> tuple[object, list[str]]:
    """The province station and one package per commune (built two at a time)."""
    from core.exchange import export_package
    from core.station import init_station
    tinh = init_station(folder / "tinh.sqlite3", level="tinh", code=PROVINCE,
                        name="Công an tỉnh Thử Nghiệm")
    down = folder / "down.antq"
    export_package(tinh, down)
    with ProcessPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(make_commune, str(folder), n, members, str(down))
                   for n in range(communes)]
        files = [f.result() for f in futures]
    return tinh, files


# -- 1. the data workbook ------------------------------------------------------

def bench_workbook(folder: Path, members: int, table: Table) -> None:
    """Export and import of a commune's data workbook against openpyxl/calamine."""
    from core import sample_data
    from core.station import init_station
    from core.workbook import export_workbook, import_workbook
    ctx = init_station(folder / "wb.sqlite3", level="xa", code="XWB", name="Công an xã Mẫu")
    started = time.perf_counter()
    sample_data.fill(ctx, sample_data.generate(members_per_commune=members, seed=7))
    print(f"  (set-up: {members:,} memberships written in "
          f"{time.perf_counter() - started:.1f} s)", flush=True)
    path = folder / "wb.xlsx"
    # Medians of three: a single run of either side moved by ±30 % on the shared VM.
    ours = timed(lambda: export_workbook(ctx, path), repeat=3)
    sheets = read_calamine(path)
    base = timed(lambda: write_openpyxl(folder / "plain.xlsx", sheets), repeat=3)
    table.ratio(f"workbook export ({members:,} memberships) vs openpyxl write-only",
                ours, base, 1.5)
    ctx.close()

    times = []
    for n in range(3):      # each time into a fresh station; the median is kept
        fresh = init_station(folder / f"wb{n + 2}.sqlite3", level="xa", code="XWB2",
                             name="Công an xã Hai")
        started = time.perf_counter()
        report = import_workbook(fresh, path)
        times.append(time.perf_counter() - started)
        assert not report.errors, report.errors[:3]
        fresh.close()
    ours = statistics.median(times)
    base = timed(lambda: calamine_executemany(path, folder / f"plain{time.time_ns()}.sqlite3"),
                 repeat=3)
    table.ratio(f"workbook import ({members:,} memberships) vs calamine + executemany",
                ours, base, 3)


def read_calamine(path: Path) -> dict[str, list[list]]:
    """Every sheet's rows, read with python-calamine."""
    from python_calamine import CalamineWorkbook
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def write_openpyxl(path: Path, sheets: dict[str, list[list]]) -> None:
    """The same sheets written with openpyxl's write-only mode."""
    from openpyxl import Workbook
    book = Workbook(write_only=True)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)


def calamine_executemany(path: Path, db_path: Path) -> None:
    """Read the workbook with calamine and insert every row with executemany."""
    sheets = read_calamine(path)
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("BEGIN")
    for index, rows in enumerate(sheets.values()):
        if not rows:
            continue
        width = max(len(r) for r in rows)
        cols = ", ".join(f"c{i} TEXT" for i in range(width))
        conn.execute(f"CREATE TABLE s{index} (id TEXT PRIMARY KEY, {cols})")
        marks = ", ".join("?" for _ in range(width + 1))
        import uuid
        conn.executemany(f"INSERT INTO s{index} VALUES ({marks})",
                         [(str(uuid.uuid4()), *r, *([None] * (width - len(r))))
                          for r in rows[1:]])
    conn.execute("COMMIT")
    conn.close()


# -- 1b. lists taken in (intake) ----------------------------------------------------

def bench_intake(folder: Path, table: Table) -> None:
    """inspect-list of a 500-row TCVN3 list; import-list of the workbook's records as a
    list vs import-workbook of the same records (each into a fresh station)."""
    from intake_lists import records, write_list

    from core.intake import see, take_in
    from core.station import init_station, open_station
    from core.workbook import import_workbook
    source = open_station(folder / "wb.sqlite3")
    rows = records(source.db)
    source.close()
    small = write_list(folder / "list500_tcvn3.xlsx", rows[:500], tcvn3=True)
    big = write_list(folder / "list_all.xlsx", rows)
    fresh = init_station(folder / "intake0.sqlite3", level="xa", code="XI0", name="Xã I")
    seconds = timed(lambda: see(fresh, small), repeat=5)
    seen = see(fresh, small)
    assert seen.sheets[0].columns[1].encoding == "tcvn3" and len(seen.sheets[0].rows) == 500
    fresh.close()
    table.absolute("inspect-list, 500-row TCVN3 list (median of 5)", seconds * 1000, "ms", 1000)
    ours, base = [], []
    for n in range(3):
        station = init_station(folder / f"intake{n + 1}.sqlite3", level="xa", code="XI",
                               name="Xã I")
        started = time.perf_counter()
        todo, done = take_in(station, big)
        ours.append(time.perf_counter() - started)
        assert done.applied and len(todo.new_memberships) == len(rows), todo.errors[:3]
        station.close()
        station = init_station(folder / f"intakewb{n + 1}.sqlite3", level="xa", code="XW",
                               name="Xã W")
        started = time.perf_counter()
        report = import_workbook(station, folder / "wb.xlsx")
        base.append(time.perf_counter() - started)
        assert not report.errors
        station.close()
    table.ratio(f"import-list ({len(rows):,} rows) vs import-workbook of the same records",
                statistics.median(ours), statistics.median(base), 1.5)


# -- 2. the province -------------------------------------------------------------

def bench_province_import(folder: Path, tinh, files: list[str], table: Table) -> None:
    """The province taking in every package vs executemany of the same rows."""
    from core.exchange import import_files
    started = time.perf_counter()
    results = import_files(tinh, files, trust_new=True)
    ours = time.perf_counter() - started
    assert all(r.status == "applied" for r in results), [r.reason for r in results][:3]
    base = executemany_copy(tinh, folder / "copy.sqlite3")
    table.ratio(f"province takes in {len(files)} packages vs executemany of the rows",
                ours, base, 3)


def executemany_copy(tinh, target: Path) -> float:
    """Seconds to insert the rows the province took in into a fresh province (executemany)."""
    from core.schema import ENTITIES
    from core.station import init_station
    rows: dict[str, tuple[list[str], list[tuple]]] = {}
    for table, entity in ENTITIES.items():
        cur = tinh.db.execute(f"SELECT * FROM {table} WHERE owner NOT IN (?, '')", [PROVINCE])
        rows[table] = ([d[0] for d in cur.description], cur.fetchall())
        for link in entity.links.values():
            cur = tinh.db.execute(f"SELECT * FROM {link.table}")
            rows[link.table] = ([d[0] for d in cur.description], cur.fetchall())
    copy = init_station(target, level="tinh", code="T02", name="Công an tỉnh Bản Sao")
    # the bare library writes a plain SQLite file (the program's is encrypted): the
    # same schema, indexes and station row, exported without a key
    from core import cipher
    plain = target.with_name(f"{target.stem}-plain{target.suffix}")
    plain.unlink(missing_ok=True)
    cipher.export(copy.db.conn, plain, None)
    copy.close()
    target = plain
    started = time.perf_counter()
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("BEGIN")
    for table, (cols, values) in rows.items():
        marks = ", ".join("?" for _ in cols)
        conn.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", values)
    conn.execute("COMMIT")
    seconds = time.perf_counter() - started
    conn.close()
    return seconds


def bench_report(tinh, table: Table) -> None:
    """The period report over every commune, in-process."""
    from core.periods import parse_period
    from core.report import build_report
    period = parse_period("2026")
    first = timed(lambda: build_report(tinh, period))
    median = timed(lambda: build_report(tinh, period), repeat=5)
    print(f"  (report: first run {first * 1000:.0f} ms)")
    table.absolute("period report, province (median of 5)", median * 1000, "ms", 200)


def bench_search(tinh, table: Table) -> None:
    """Search as you type on the member list: ids of the matches + first screen.

    Measured three ways: the bare first page of ids (``list_ids(limit=40)``),
    what the window's list model does per keystroke (its first batch of ids
    and the rows of the first screen; the match count runs afterwards and is
    printed on its own), and every matching id (what the model did before).
    """
    from PySide6.QtCore import QCoreApplication
    from core import queries
    from ui.table_model import SqlTableModel
    app = QCoreApplication.instance() or QCoreApplication([])
    model = SqlTableModel(tinh, queries.PERSONS)
    model.refresh()

    def first_page(text: str) -> None:
        ids = queries.list_ids(tinh.db, queries.PERSONS, search=text, limit=40)
        queries.load_rows(tinh.db, queries.PERSONS, ids[:40])

    def list_model(text: str) -> None:
        model.set_search(text)
        for row in range(min(40, model.rowCount())):
            model.index(row, 0).data()

    def all_ids(text: str) -> None:
        ids = queries.list_ids(tinh.db, queries.PERSONS, search=text)
        queries.load_rows(tinh.db, queries.PERSONS, ids[:40])

    def count(text: str) -> None:
        queries.count_ids(tinh.db, queries.PERSONS, search=text)

    for label, work, target, typed in (
            ("first page", first_page, 10, TYPED),
            ("as the list model asks (first batch)", list_model, 10, TYPED),
            ("match count, after the first paint", count, None, TYPED),
            ("all matching ids (the list model before)", all_ids, None, TYPED),
            ("by CCCD / phone digits, first page", first_page, 10, typed_numbers(tinh)),
            ("by CCCD / phone digits, as the list model asks", list_model, 10,
             typed_numbers(tinh))):
        timings = []
        for text in typed:
            started = time.perf_counter()
            work(text)
            timings.append((time.perf_counter() - started) * 1000)
        app.processEvents()          # the model's deferred count
        print(f"  (search per keystroke, {label}, ms: "
              + ", ".join(f"{t:.0f}" for t in timings) + ")")
        median = statistics.median(timings)
        if target is None:
            print(f"  (median {median:.1f} ms)")
        else:
            table.absolute(f"member search as you type, {label} (median)", median, "ms",
                           target)


def typed_numbers(tinh) -> list[str]:
    """A CCCD typed digit by digit from its 4th digit, the last 4–6 digits of
    others, and a phone number typed with spaces (never printed)."""
    ids = [r[0] for r in tinh.db.execute(
        "SELECT id_number FROM persons WHERE id_number != '' ORDER BY rowid LIMIT 5")]
    phone = tinh.db.execute("SELECT phone FROM persons WHERE phone != '' LIMIT 1").fetchone()
    typed = [ids[0][:n] for n in range(4, len(ids[0]) + 1)]
    typed += [i[-n:] for i in ids[1:] for n in (4, 6)]
    if phone:
        digits = phone[0]
        typed += [f"{digits[:4]} {digits[4:7]} {digits[7:]}", digits[-5:]]
    return typed


def bench_certificates(folder: Path, tinh, table: Table, count: int = 1000) -> None:
    """1,000 certificates against plain reportlab drawing of the same text."""
    from core.documents.certificates import write_certificates
    from core.catalog import AUTHORITIES
    from core.documents.commendations import resolve, select
    tinh.set_setting("doc.place", "Thành phố Thử Nghiệm")
    for code in AUTHORITIES.codes():
        tinh.set_setting(f"cert.{code}.signer_name", "Nguyễn Văn Thử")
    certs = resolve(tinh, select(tinh))
    certs = (certs * (count // max(1, len(certs)) + 1))[:count]
    ours = timed(lambda: write_certificates(str(folder / "certs.pdf"), certs), repeat=3)
    base = timed(lambda: plain_certificates(str(folder / "plain.pdf"), certs), repeat=3)
    table.ratio(f"{count:,} certificates vs plain reportlab text", ours, base, 1.5)


def plain_certificates(path: str, certs: list) -> None:
    """The same text drawn with reportlab, one page each, no layout work."""
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas
    from core.documents import fonts
    from core.documents.common import LANDSCAPE
    fonts.register_fonts()
    width, height = LANDSCAPE
    canvas = Canvas(path, pagesize=LANDSCAPE, invariant=1)
    for c in certs:
        y = height - 50 * mm
        for text, font, size in ((c.authority_title, fonts.BOLD, 17), ("TẶNG", fonts.BOLD, 17),
                                 (c.form_title, fonts.BOLD, 40), (c.recipient, fonts.BOLD_ITALIC, 28),
                                 (c.address, fonts.ITALIC, 15), (c.achievement, fonts.REGULAR, 14),
                                 (c.decision_no, fonts.REGULAR, 12.5),
                                 (c.register_no, fonts.REGULAR, 12.5), (c.place, fonts.ITALIC, 14),
                                 (c.signer_title, fonts.BOLD, 15), (c.signer_name, fonts.BOLD, 16)):
            canvas.setFont(font, size)
            canvas.drawCentredString(width / 2, y, text or "")
            y -= 12 * mm
        canvas.showPage()
    canvas.save()


# -- 2b. lists to paper and Excel, an event's whole model ----------------------------

def bench_lists(folder: Path, members: int, table: Table) -> None:
    """The member list as shown: its query (what the worker runs first), then writing it
    to PDF and to Excel against the bare libraries writing the same rows; and a whole
    model put on an attendance list."""
    from core import queries, sample_data
    from core.documents.list_print import ListRequest, list_pdf, list_table, list_xlsx
    from core.services import attendance
    from core.station import init_station
    ctx = init_station(folder / "lists.sqlite3", level="xa", code="L01",
                       name="Công an xã Thử Nghiệm", parent_code=PROVINCE)
    sample_data.fill(ctx, sample_data.generate(members_per_commune=members))
    request = ListRequest(queries.PERSONS, "Danh sách thành viên")
    shown = list_table(ctx, request)
    rows = [("STT", *shown.headers)] + [(str(n), *r) for n, r in enumerate(shown.rows, 1)]
    print(f"  ({len(shown.rows):,} persons listed)", flush=True)
    table.absolute(f"member list ({len(shown.rows):,} rows) query as shown",
                   timed(lambda: list_table(ctx, request), repeat=5) * 1000, "ms", 200)
    ours = timed(lambda: list_pdf(ctx, shown, folder / "list.pdf"), repeat=3)
    base = timed(lambda: plain_table_pdf(str(folder / "plain.pdf"), rows), repeat=3)
    table.ratio(f"member list ({len(shown.rows):,} rows) to PDF vs plain reportlab Table",
                ours, base, 1.5)
    ours = timed(lambda: list_xlsx(ctx, shown, folder / "list.xlsx"), repeat=5)
    from core.documents.list_print import _value
    typed = [("STT", *shown.headers)] + [
        (n, *(_value(k, v) for k, v in zip(shown.kinds, r)))
        for n, r in enumerate(shown.rows, 1)]
    base = timed(lambda: plain_write_only(folder / "plain.xlsx", typed), repeat=5)
    table.ratio(f"member list ({len(shown.rows):,} rows) to Excel vs plain openpyxl write-only",
                ours, base, 1.5)
    biggest = ctx.db.execute("SELECT model_id FROM memberships WHERE deleted = 0 GROUP BY"
                             " model_id ORDER BY COUNT(*) DESC LIMIT 1").fetchone()[0]
    everyone = [r[0] for r in ctx.db.execute("SELECT id FROM persons WHERE deleted = 0")]

    def onto_list(ids: list[str]) -> None:
        ordered = attendance.in_name_order(ctx, ids)
        attendance.labels(list(attendance.describe(ctx, ordered).values()))

    size = len(attendance.model_member_ids(ctx, biggest))
    table.absolute(f"whole model ({size} members) onto an attendance list", timed(
        lambda: onto_list(attendance.model_member_ids(ctx, biggest)), repeat=5) * 1000,
        "ms", 100)
    table.absolute(f"{len(everyone):,} persons onto an attendance list",
                   timed(lambda: onto_list(everyone), repeat=5) * 1000, "ms", 300)
    ctx.close()


def plain_table_pdf(path: str, rows: list[tuple]) -> None:
    """The same rows as one reportlab Table with a repeated header, no wrapping."""
    from reportlab.platypus import SimpleDocTemplate, Table as PdfTable
    from core.documents import fonts
    from core.documents.common import LANDSCAPE
    fonts.register_fonts()
    doc = SimpleDocTemplate(path, pagesize=LANDSCAPE, initialFontName=fonts.REGULAR,
                            invariant=1)
    grid = PdfTable(rows, repeatRows=1)
    grid.setStyle([("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
                   ("FONTSIZE", (0, 0), (-1, -1), 7), ("GRID", (0, 0), (-1, -1), 0.5, "black")])
    doc.build([grid])


def plain_write_only(path: Path, rows: list[tuple]) -> None:
    """The same values (numbers, dates as dd/mm/yyyy cells) appended to a write-only sheet."""
    import datetime as dt
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    book = Workbook(write_only=True)
    sheet = book.create_sheet("x")

    def cell(value):
        if not isinstance(value, dt.date):
            return value
        made = WriteOnlyCell(sheet, value=value)
        made.number_format = "DD/MM/YYYY"
        return made
    for row in rows:
        sheet.append([cell(v) for v in row])
    book.save(path)


def main_lists(members: int, keep: str | None) -> int:
    """Only the lists (``--only lists``)."""
    folder = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="antq-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lists.sqlite3").unlink(missing_ok=True)
    table = Table()
    bench_lists(folder, members, table)
    table.print()
    return 0


# -- 3. the window (child processes) ----------------------------------------------

# What the window children run in: compiled bytecode kept in a cache folder of their
# own (an installed program never compiles its sources at each start, but
# PYTHONDONTWRITEBYTECODE may be set where the benchmark runs) and settings of
# their own (the window opens on its first tab, not on whatever tab another run
# left in the user's settings).
_CHILD_HOME = Path(tempfile.mkdtemp(prefix="antq-bench-child-"))


def child_env() -> dict[str, str]:
    """The environment of a window child process."""
    env = {key: value for key, value in os.environ.items()
           if key != "PYTHONDONTWRITEBYTECODE"}
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONPYCACHEPREFIX=str(_CHILD_HOME / "pyc"),
               XDG_CONFIG_HOME=str(_CHILD_HOME / "config"))
    return env


def child(kind: str, db: str) -> dict:
    """Run one window measurement in a fresh interpreter; return its figures."""
    out = subprocess.run([sys.executable, __file__, "--child", kind, db or "-"],
                         capture_output=True, text=True, timeout=300, env=child_env())
    if out.returncode != 0:
        raise RuntimeError(f"child {kind} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def rss_mb() -> float:
    """Peak resident memory of this process in MB (VmHWM).

    Not ``ru_maxrss``: on Linux that survives ``exec`` and would report the
    benchmark parent's peak for every child.
    """
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def paint(app, view) -> None:
    """Let the window appear and paint the view's visible rows once."""
    app.processEvents()
    view.viewport().repaint()
    app.processEvents()


def child_main(kind: str, db: str) -> None:
    """The body of a child process (prints one JSON line)."""
    started = time.perf_counter()
    from PySide6.QtWidgets import (QApplication, QMainWindow, QTableView, QTabWidget)
    if kind == "window":
        from core.station import open_station
        from ui.app import make_application
        from ui.main_window import MainWindow
        app = make_application([])
        ctx = open_station(Path(db))
        window = MainWindow(ctx)
        window.show()
        # The tab on show (pages are built when first shown: reading window.members
        # here would build the hidden member list inside the measurement).
        app.processEvents()
        window.tabs.currentWidget().repaint()
        app.processEvents()
        visible = time.perf_counter() - started
        for page in (window.members, window.models, window.events):
            model = page.model
            for r in range(min(40, model.rowCount())):
                for c in range(model.columnCount()):
                    model.index(r, c).data()
        window.members.model.set_search("nguyen van")
        window.members.model.set_search("")
        last = window.members.model.rowCount() - 1
        window.members.model.index(last, 0).data()
        print(json.dumps({"seconds": visible, "rss_mb": rss_mb()}))
        window.close()
        ctx.close()
    elif kind == "desk":
        from core.station import open_station
        from ui.app import make_application
        from ui.main_window import MainWindow
        from ui.pages import figures
        app = make_application([])
        ctx = open_station(Path(db))
        window = MainWindow(ctx)
        window.tabs.setCurrentIndex(0)
        window.show()
        app.processEvents()
        window.tabs.currentWidget().repaint()
        app.processEvents()
        visible = time.perf_counter() - started     # as "window": the desk's first paint
        page = window.overview
        while page.desk is None or page.desk.model.rowCount() == 0:
            app.processEvents()
            time.sleep(0.002)
        page.desk.view.viewport().repaint()
        app.processEvents()
        print(json.dumps({"seconds": time.perf_counter() - started, "visible": visible,
                          "rows": page.desk.model.rowCount()}))
        window.close()
        ctx.close()
    elif kind == "bare_window":
        app = QApplication([])
        window = QMainWindow()
        tabs = QTabWidget(window)
        views = []
        for i in range(6):
            view = QTableView()
            views.append(view)
            tabs.addTab(view, f"Trang {i + 1}")
        window.setCentralWidget(tabs)
        window.show()
        paint(app, views[0])
        print(json.dumps({"seconds": time.perf_counter() - started, "rss_mb": rss_mb()}))
    elif kind == "list":
        from core import queries
        from core.station import open_station
        from ui.table_model import SqlTableModel
        app = QApplication([])
        ctx = open_station(Path(db))
        started = time.perf_counter()
        model = SqlTableModel(ctx, queries.PERSONS)
        model.refresh()
        view = QTableView()
        view.setModel(model)
        view.resize(1000, 700)
        view.show()
        paint(app, view)
        print(json.dumps({"seconds": time.perf_counter() - started, "rows": model.rowCount()}))
        ctx.close()
    elif kind == "bare_list":
        from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
        from core import cipher
        from core.station import unlock
        conn = cipher.connect(db, unlock(db)[0])   # the station's file is encrypted
        rows = conn.execute("SELECT full_name, birth_date, gender, '', '', phone, address"
                            " FROM persons WHERE deleted = 0 ORDER BY sort_key").fetchall()
        conn.close()

        class Rows(QAbstractTableModel):
            def rowCount(self, parent=QModelIndex()):
                return len(rows)

            def columnCount(self, parent=QModelIndex()):
                return 7

            def data(self, index, role=Qt.DisplayRole):
                if role == Qt.DisplayRole:
                    return rows[index.row()][index.column()]
                return None

        app = QApplication([])
        started = time.perf_counter()
        view = QTableView()
        view.setModel(Rows())
        view.resize(1000, 700)
        view.show()
        paint(app, view)
        print(json.dumps({"seconds": time.perf_counter() - started, "rows": len(rows)}))


def bench_window(db: Path, table: Table) -> None:
    """Member list to first paint, window start to visible, peak memory."""
    child("window", str(db))   # untimed: fills the bytecode cache, as an installed program has
    lists = [child("list", str(db)) for _ in range(3)]
    bare = [child("bare_list", str(db)) for _ in range(3)]
    ours = statistics.median(x["seconds"] for x in lists)
    base = statistics.median(x["seconds"] for x in bare)
    table.ratio(f"member list ({bare[0]['rows']:,} people) to first paint vs bare QTableView",
                ours, base, 3)
    windows = [child("window", str(db)) for _ in range(3)]
    bares = [child("bare_window", "") for _ in range(3)]
    table.ratio("window start to visible vs bare six-tab window",
                statistics.median(x["seconds"] for x in windows),
                statistics.median(x["seconds"] for x in bares), 2)
    table.absolute("peak memory of the window (RSS)", max(x["rss_mb"] for x in windows), "MB",
                   300)


# -- main --------------------------------------------------------------------------

def bench_recycle(folder: Path, table: Table, count: int = 500) -> None:
    """The recycle bin on a commune of the full sample (1,739 persons, 2,000
    memberships): deleting a member with their memberships (the question's look-ups
    included), the bin of *count* such deletions and *count* older tombstones (read
    from the audit trail), restoring; against a bare tombstone of the same rows."""
    from core import sample_data
    from core.services import members, recycle
    from core.station import init_station
    ctx = init_station(folder / "bin.sqlite3", level="xa", code="X01", name="Công an xã")
    sample_data.fill(ctx, sample_data.generate(1.0))
    ids = [r[0] for r in ctx.db.execute(
        f"SELECT id FROM persons ORDER BY rowid LIMIT {3 * count}")]
    binned, older, bare = ids[:count], ids[count:2 * count], ids[2 * count:]

    def delete_all() -> None:
        for person_id in binned:
            recycle.question(ctx, person_id)
            recycle.delete(ctx, person_id)

    def tombstones() -> None:
        for person_id in bare:
            with ctx.store.transaction():
                for (membership_id,) in ctx.db.execute(
                        "SELECT id FROM memberships WHERE person_id = ? AND deleted = 0",
                        [person_id]).fetchall():
                    ctx.store.set_deleted("memberships", membership_id, True)
                ctx.store.set_deleted("persons", person_id, True)
    ours, base = timed(delete_all), timed(tombstones)
    table.ratio(f"delete {count} members with their memberships (question included)",
                ours, base, 2)
    for person_id in older:
        members.delete_person(ctx, person_id)
    listing = timed(lambda: recycle.binned(ctx), repeat=5)
    table.absolute(f"the bin of {3 * count:,} deleted members (median of 5)",
                   listing * 1000, "ms", 200)
    restore = timed(lambda: [recycle.restore(ctx, i) for i in binned])
    table.absolute(f"restore one member with memberships (mean of {count})",
                   restore / count * 1000, "ms", 20)
    ctx.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--workbook-members", type=int, default=20_000)
    parser.add_argument("--keep", help="folder to keep the databases in")
    parser.add_argument("--province", default="52",
                        help="with --only desk: the province's official code (Gia Lai)")
    parser.add_argument("--sending", type=int, default=135,
                        help="with --only desk: how many of its communes sent a package")
    parser.add_argument("--only", choices=["ui", "province", "intake", "desk", "lists", "bin"],
                        help="ui: only member search and the window rows, on --db; "
                             "intake: only the data workbook and the list rows; "
                             "desk: the province's desk (a province of the official list); "
                             "lists: the member list to PDF and Excel, a whole model "
                             "onto an attendance list (--members)")
    parser.add_argument("--db", help="with --only ui: an existing province database "
                                     "(e.g. DIR/tinh.sqlite3 from an earlier --keep DIR)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(*args.child)
        return 0
    if args.only == "ui":
        return main_ui(parser, args.db)
    if args.only == "province":
        return main_province(args.communes, args.members, args.keep)
    if args.only == "desk":
        return main_desk(args.province, args.sending, args.members, args.keep)
    if args.only == "lists":
        return main_lists(args.members, args.keep)
    if args.only == "bin":
        table = Table()
        with tempfile.TemporaryDirectory(prefix="antq-bench-") as folder:
            bench_recycle(Path(folder), table)
        table.print()
        return 0
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="antq-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    table = Table()
    begun = time.perf_counter()
    print(f"Benchmark in {folder} (Python {sys.version.split()[0]}, "
          f"SQLite {sqlite3.sqlite_version}, {os.cpu_count()} cores)", flush=True)
    print("1. data workbook", flush=True)
    bench_workbook(folder, args.workbook_members, table)
    print("1b. lists taken in", flush=True)
    bench_intake(folder, table)
    if args.only == "intake":
        table.print()
        return 0
    print("2. province", flush=True)
    started = time.perf_counter()
    tinh, files = build_packages(folder, args.communes, args.members)
    print(f"  (set-up: {len(files)} commune packages built in "
          f"{time.perf_counter() - started:.1f} s)", flush=True)
    bench_province_import(folder, tinh, files, table)
    total = tinh.db.execute("SELECT COUNT(*) FROM memberships WHERE deleted = 0").fetchone()[0]
    print(f"  (province holds {total:,} memberships)", flush=True)
    bench_report(tinh, table)
    bench_search(tinh, table)
    bench_certificates(folder, tinh, table)
    tinh.close()
    print("2b. lists", flush=True)
    bench_lists(folder, args.members, table)
    print("3. window", flush=True)
    bench_window(folder / "tinh.sqlite3", table)
    print(f"\nWhole run: {time.perf_counter() - begun:.0f} s\n")
    table.print()
    return 0


def _copy_station(source: Path, target: Path) -> None:
    """Copy a station with its key files (``.keys``, ``.oskey``: no accounts here)."""
    shutil.copy(source, target)
    for side in (".keys", ".oskey"):
        if Path(f"{source}{side}").exists():
            shutil.copy(f"{source}{side}", f"{target}{side}")


def main_province(communes: int, members: int, keep: str | None) -> int:
    """Only the province taking in the packages (``--only province``).

    With ``--keep DIR`` the packages and a copy of the province before it took
    them in (``tinh-fresh.sqlite3``) are kept, and reused by the next run with
    the same DIR, so that before/after can be compared on the same files.
    """
    from core.station import open_station
    folder = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="antq-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    fresh = folder / "tinh-fresh.sqlite3"
    files = sorted(str(f) for f in folder.glob("x*.antq"))
    target = folder / "tinh.sqlite3"
    for name in ("tinh.sqlite3", "tinh.sqlite3-wal", "tinh.sqlite3-shm", "copy.sqlite3"):
        (folder / name).unlink(missing_ok=True)
    if not fresh.exists() or len(files) != communes:
        tinh, files = build_packages(folder, communes, members)
        tinh.close()
        _copy_station(target, fresh)
    else:
        _copy_station(fresh, target)
    tinh = open_station(target)
    table = Table()
    bench_province_import(folder, tinh, files, table)
    tinh.close()
    table.print()
    return 0


def main_ui(parser: argparse.ArgumentParser, db: str | None) -> int:
    """Only the window rows (search as you type, member list, window start, memory)."""
    if not db or not Path(db).is_file():
        parser.error("--only ui needs --db PATH to an existing province database")
    from core.station import open_station
    table = Table()
    begun = time.perf_counter()
    tinh = open_station(Path(db))
    bench_search(tinh, table)
    tinh.close()
    bench_window(Path(db), table)
    print(f"\nWhole run: {time.perf_counter() - begun:.0f} s\n")
    table.print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
