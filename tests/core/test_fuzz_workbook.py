"""Fuzzing the workbook import: random and mutated files never crash it.

Four strategies: random bytes; the zip bytes of a valid small workbook with bytes
flipped, inserted or deleted; a valid zip whose sheet XML is mutated; valid
sheets filled with random cell values (text, numbers, dates, empty). Every case
must end in a :class:`UserError` or a report; when the import refuses (an error,
or a report with errors and nothing applied) the database content is unchanged,
byte for byte (a digest of every data table and the audit trail).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from core import sample_data
from core.errors import UserError
from core.station import init_station
from core.workbook import export_workbook, import_workbook
from core.workbook.layout import SHEETS

TABLES = ("units", "unit_years", "models", "model_units", "persons", "memberships", "events",
          "event_models", "event_attendees", "results", "commendations", "audit")
FUZZ = settings(deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])
CASES: dict[str, int] = {}
pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")


def digest(ctx) -> str:
    """A digest of every data table and of the audit trail."""
    sha = hashlib.sha256()
    names = {r[0] for r in ctx.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    for table in TABLES:
        if table not in names:
            continue
        for text in sorted(repr(row) for row in ctx.db.execute(f"SELECT * FROM {table}")):
            sha.update(text.encode("utf-8"))
    return sha.hexdigest()


@pytest.fixture(scope="module", autouse=True)
def _count_cases():
    """Print how many cases ran (the figure for the issue's note; run with -s)."""
    yield
    total = sum(CASES.values())
    print(f"\nworkbook fuzz: {total} cases (" + ", ".join(f"{k}: {v}" for k, v in CASES.items())
          + ")")


@pytest.fixture(scope="module")
def valid_workbook(tmp_path_factory) -> bytes:
    """The bytes of a small, valid data workbook (exported from sample data)."""
    folder = tmp_path_factory.mktemp("source")
    source = init_station(folder / "source.sqlite3", level="xa", code="S01",
                          name="Công an xã Nguồn")
    sample_data.fill(source, sample_data.generate(0.02))
    export_workbook(source, folder / "small.xlsx")
    source.close()
    return (folder / "small.xlsx").read_bytes()


@pytest.fixture
def station(tmp_path):
    """A station holding a little data already, so “unchanged” means something."""
    ctx = init_station(tmp_path / "fuzz.sqlite3", level="xa", code="X01",
                       name="Công an xã Hòa Bình")
    sample_data.fill(ctx, sample_data.generate(0.01, seed=7))
    yield ctx
    ctx.close()


def attempt(ctx, folder: Path, content: bytes, strategy: str) -> None:
    """Import *content*; only UserError or a report, and nothing changed on refusal."""
    CASES[strategy] = CASES.get(strategy, 0) + 1
    path = folder / "fuzz.xlsx"
    path.write_bytes(content)
    before = digest(ctx)
    try:
        report = import_workbook(ctx, path)
    except UserError:
        assert digest(ctx) == before
        return
    if not report.applied:
        assert digest(ctx) == before
    if report.errors:
        assert not report.applied
        assert digest(ctx) == before


@given(content=st.one_of(st.binary(max_size=3000),
                         st.binary(max_size=3000).map(lambda b: b"PK\x03\x04" + b),
                         st.binary(max_size=600).map(lambda b: b"\xd0\xcf\x11\xe0" + b)))
@settings(FUZZ, max_examples=1400)
def test_random_bytes(station, tmp_path, content):
    attempt(station, tmp_path, content, "random bytes")


MUTATION = st.tuples(st.sampled_from(("flip", "insert", "delete")),
                     st.integers(min_value=0), st.integers(min_value=0, max_value=255))


def mutate(data: bytes, mutations: list[tuple[str, int, int]]) -> bytes:
    """Flip, insert or delete bytes at the given (wrapped) positions."""
    buf = bytearray(data)
    for op, where, value in mutations:
        pos = where % max(len(buf), 1)
        if op == "flip" and buf:
            buf[pos] ^= value or 0x55
        elif op == "insert":
            buf.insert(pos, value)
        elif op == "delete" and buf:
            del buf[pos]
    return bytes(buf)


@given(mutations=st.lists(MUTATION, min_size=1, max_size=6))
@settings(FUZZ, max_examples=700)
def test_mutated_zip_bytes(station, tmp_path, valid_workbook, mutations):
    attempt(station, tmp_path, mutate(valid_workbook, mutations), "mutated zip bytes")


def rezip(original: bytes, member_pick: int, edit) -> bytes:
    """The workbook with one sheet's XML replaced by ``edit(xml)``."""
    source = zipfile.ZipFile(io.BytesIO(original))
    sheets = sorted(n for n in source.namelist() if n.startswith("xl/worksheets/sheet")
                    or n == "xl/sharedStrings.xml")
    target_name = sheets[member_pick % len(sheets)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == target_name:
                data = edit(data)
            target.writestr(info.filename, data)
    return out.getvalue()


XML_BITS = st.sampled_from([b"<", b">", b"</c>", b"<c r=\"A2\" t=\"s\"><v>99999</v></c>",
                            b"<v>-1e308</v>", b"\x00", b"&amp;", b"&#xD800;", b"<row r=\"0\">",
                            b"t=\"d\"", b"<v>45000.5</v>", b"\"", "Đoàn Kết".encode(), b""])


@given(pick=st.integers(min_value=0, max_value=50),
       edits=st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0,
                                                                      max_value=40),
                                st.one_of(XML_BITS, st.binary(max_size=12))),
                      min_size=1, max_size=4))
@settings(FUZZ, max_examples=400)
def test_mutated_sheet_xml(station, tmp_path, valid_workbook, pick, edits):
    def edit(xml: bytes) -> bytes:
        buf = bytearray(xml)
        for where, length, text in edits:
            pos = where % max(len(buf), 1)
            buf[pos:pos + length] = text
        return bytes(buf)
    attempt(station, tmp_path, rezip(valid_workbook, pick, edit), "mutated sheet XML")


CELL = st.one_of(
    st.none(), st.just(""),
    st.text(max_size=30),
    st.sampled_from(["Nguyễn Văn An", "Tổ tự quản", "01/02/1980", "31/02/2020", "2026",
                     "Nam", "Nữ", "Có", "không", "x", "=1+1", "Thôn Đông", "   ", "12/13/2020"]),
    st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=False),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    st.booleans(),
)


def _clean_text(value):
    if isinstance(value, str):  # openpyxl refuses control characters in cells
        return "".join(ch for ch in value if ch >= " " or ch in "\t\n")
    return value


@given(sheet_pick=st.lists(st.integers(min_value=0, max_value=len(SHEETS) - 1),
                           min_size=1, max_size=3, unique=True),
       rows=st.lists(st.lists(CELL, max_size=25), max_size=6),
       drop_header=st.booleans())
@settings(FUZZ, max_examples=400)
def test_random_cell_values(station, tmp_path, sheet_pick, rows, drop_header):
    book = Workbook()
    book.remove(book.active)
    for index in sheet_pick:
        spec = SHEETS[index]
        sheet = book.create_sheet(spec.name)
        headers = [c.header for c in spec.columns]
        if drop_header and len(headers) > 1:
            headers = headers[1:]
        sheet.append(headers)
        for row in rows:
            sheet.append([_clean_text(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    attempt(station, tmp_path, out.getvalue(), "random cell values")
