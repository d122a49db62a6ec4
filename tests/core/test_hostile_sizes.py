"""Huge workbooks are refused with a clear message and bounded memory (exit 1)."""
from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from core.station import init_station

ROOT = Path(__file__).resolve().parents[2]
PEAK_LIMIT_MB = 500

PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
        '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/></Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target='
        '"xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
        'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships"><sheets><sheet name="Đơn vị" sheetId="1" '
        'r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target='
        '"worksheets/sheet1.xml"/></Relationships>'),
}
HEAD = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
        'openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
TAIL = "</sheetData></worksheet>"


def _book(path: Path, body) -> Path:
    """A minimal .xlsx whose only sheet ("Đơn vị") is HEAD + the chunks of *body* + TAIL."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(HEAD.encode())
            for chunk in body:
                sheet.write(chunk)
            sheet.write(TAIL.encode())
    return path


def _rows(count: int):
    cell = '<c r="A{0}" t="inlineStr"><is><t>Thôn {0}</t></is></c><c r="B{0}" t="inlineStr">' \
           '<is><t>Thôn</t></is></c>'
    header = ('<row r="1"><c r="A1" t="inlineStr"><is><t>Tên đơn vị</t></is></c>'
              '<c r="B1" t="inlineStr"><is><t>Loại</t></is></c></row>')
    yield header.encode()
    for start in range(2, count + 1, 10_000):
        yield "".join(f'<row r="{n}">{cell.format(n)}</row>'
                      for n in range(start, min(start + 10_000, count + 1))).encode()


def _blanks(size: int):
    chunk = b" " * (1 << 24)
    for _ in range(size // len(chunk)):
        yield chunk


MEASURED = """
import resource, runpy, sys
sys.argv = sys.argv[1:]
sys.path.insert(0, sys.argv[0].rsplit("/", 1)[0])
try:
    runpy.run_path(sys.argv[0], run_name="__main__")
finally:
    sys.stderr.write(f"\\npeak-kb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n")
"""


def _import_measured(tmp_path: Path, workbook: Path) -> tuple[int, dict, float]:
    """Run ``main.py import-workbook`` in a child that reports its own peak RSS."""
    db = tmp_path / "station.sqlite3"
    init_station(db, level="xa", code="X01", name="Công an xã Thử").close()
    done = subprocess.run([sys.executable, "-c", MEASURED, str(ROOT / "main.py"), "--db",
                           str(db), "import-workbook", str(workbook), "--json"],
                          capture_output=True, text=True, timeout=900)
    peak_kb = int(done.stderr.rsplit("peak-kb ", 1)[1].split()[0])
    return done.returncode, json.loads(done.stdout or "{}"), peak_kb / 1024


@pytest.mark.parametrize("kind", ["rows_1048576", "blank_1GiB"])
def test_a_huge_sheet_is_refused_clearly_with_bounded_memory(tmp_path, kind):
    body = _rows(1_048_576) if kind.startswith("rows") else _blanks(1 << 30)
    workbook = _book(tmp_path / f"{kind}.xlsx", body)
    code, payload, peak_mb = _import_measured(tmp_path, workbook)
    print(f"\n{kind}: {workbook.stat().st_size / 2 ** 20:.1f} MB file, exit {code}, "
          f"peak RSS {peak_mb:.0f} MB")
    assert code == 1, payload
    assert "hãy chia thành nhiều tệp" in payload["error"]
    assert peak_mb <= PEAK_LIMIT_MB


def _list_measured(tmp_path: Path, path: Path, command: str) -> tuple[int, dict, float]:
    """``main.py inspect-list`` / ``import-list`` in a child reporting its peak RSS."""
    db = tmp_path / "list.sqlite3"
    if not db.exists():
        init_station(db, level="xa", code="X01", name="Công an xã Thử").close()
    extra = ["--model", "Tổ A"] if command == "import-list" else []
    done = subprocess.run([sys.executable, "-c", MEASURED, str(ROOT / "main.py"), "--db",
                           str(db), command, str(path), *extra, "--json"],
                          capture_output=True, text=True, timeout=900)
    peak_kb = int(done.stderr.rsplit("peak-kb ", 1)[1].split()[0])
    return done.returncode, json.loads(done.stdout or "{}"), peak_kb / 1024


@pytest.mark.parametrize("command", ["inspect-list", "import-list"])
def test_a_huge_list_is_refused_clearly_with_bounded_memory(tmp_path, command):
    """The list intake has the data workbook's limits: a sheet of 1,048,576 rows."""
    workbook = _book(tmp_path / "ds.xlsx", _rows(1_048_576))
    code, payload, peak_mb = _list_measured(tmp_path, workbook, command)
    print(f"\n{command} of 1,048,576 rows: exit {code}, peak RSS {peak_mb:.0f} MB")
    assert code == 1, payload
    assert "hãy chia thành nhiều tệp" in payload["error"]
    assert peak_mb <= PEAK_LIMIT_MB


def test_a_huge_csv_list_is_refused_before_it_is_read(tmp_path):
    rows = tmp_path / "ds.csv"
    with open(rows, "w", encoding="utf-8") as handle:
        handle.write("STT,Họ và tên\n")
        for start in range(0, 300_000, 10_000):
            handle.write("".join(f"{n},Nguyễn Văn {n}\n" for n in range(start, start + 10_000)))
    code, payload, peak_mb = _list_measured(tmp_path, rows, "inspect-list")
    assert code == 1 and "250.000 dòng" in payload["error"], payload
    assert peak_mb <= PEAK_LIMIT_MB
    big = tmp_path / "big.csv"
    with open(big, "wb") as handle:
        handle.truncate(101 * 1024 * 1024)          # sparse: 101 MB of nothing
    code, payload, _ = _list_measured(tmp_path, big, "inspect-list")
    assert code == 1 and "quá lớn" in payload["error"], payload
