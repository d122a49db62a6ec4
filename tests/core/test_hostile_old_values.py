"""Values stored before the entry rules existed: every export and print still works.

An older database may hold control characters in any text (typed, pasted, or
taken in from a package before the checks). Written here behind the services,
into every text column of every table, then each export, print and report is
run: none may fail, none may carry the raw characters into its file, and the
log never quotes a value.
"""
from __future__ import annotations

import zipfile

import pytest
from docdata import make_station, seed
from exchange_support import cli

from core.exchange.content import CODE_COLUMNS, DATE_COLUMNS, REFERENCES
from core.logs import data_dir
from core.rules import CONTROL
from core.schema import ENTITIES

JUNK = "\x07\x00\x1b\x7f\x9f\ufffe"
KEEP = {"decision_no", "aliases", "authority"}   # a number, a JSON list, a code


def _spoil(ctx) -> int:
    """Append control characters to every stored text value; the count spoiled."""
    spoiled = 0
    for table, entity in ENTITIES.items():
        for column in entity.columns:
            if column in entity.derived or column in DATE_COLUMNS or column in KEEP \
                    or column in CODE_COLUMNS.get(table, {}) \
                    or column in REFERENCES.get(table, {}) or column == "type" \
                    or column.endswith("_id"):
                continue
            kind = ctx.db.execute(f"SELECT type FROM pragma_table_info('{table}')"
                                  " WHERE name = ?", [column]).fetchone()[0]
            if kind.upper() != "TEXT":
                continue
            spoiled += ctx.db.execute(
                f"UPDATE {table} SET {column} = coalesce(NULLIF({column}, ''), 'x') || ?",
                [JUNK]).rowcount
    ctx.db.commit()
    for (key,) in ctx.db.execute("SELECT key FROM settings WHERE key LIKE 'doc.%'"
                                 " OR key LIKE 'cert.%'").fetchall():
        if isinstance(value := ctx.setting(key), str):
            ctx.set_setting(key, value + JUNK)
    return spoiled


@pytest.fixture
def old_station(tmp_path):
    from core.records import Event
    from core.services import activities
    ctx = make_station(tmp_path)
    ids = seed(ctx)
    activities.save_event(ctx, Event(date="2026-09-02", type="hoi_nghi", title="Hội nghị",
                                     unit_id=ids["units"][0], participants=5,
                                     attendee_ids=ids["people"][:4]))
    assert _spoil(ctx) > 50
    path = ctx.path
    ctx.close()
    return path


def _text_of(path) -> str:
    if path.suffix in (".xlsx", ".docx"):
        with zipfile.ZipFile(path) as z:
            return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                           if n.endswith(".xml"))
    if path.suffix == ".pdf":
        import subprocess
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                              text=True, check=True).stdout.replace("\f", "")  # pages
    return path.read_text(encoding="utf-8")


def test_every_export_and_print_of_old_unprintable_values_works(old_station, tmp_path,
                                                                capsys):
    out = tmp_path / "out"
    out.mkdir()
    runs = {
        "all.xlsx": ["export-workbook"],
        "members.pdf": ["print-members"],
        "members.docx": ["print-members", "--format", "docx"],
        "decision.pdf": ["print-decision", "--decision", "25/QĐ-UBND"],
        "decision.docx": ["print-decision", "--decision", "25/QĐ-UBND", "--format", "docx"],
        "certificates.pdf": ["print-commendations"],
        "report.pdf": ["report", "--period", "2026", "--format", "pdf"],
        "report.xlsx": ["report", "--period", "2026", "--format", "xlsx"],
        "report.docx": ["report", "--period", "2026", "--format", "docx"],
        "template.xlsx": ["template"],
    }
    for name, command in runs.items():
        code, payload = cli(capsys, old_station, *command, "--out", str(out / name))
        assert code == 0, (command, payload)
        text = _text_of(out / name)
        assert not CONTROL.search(text.replace("\ufffd", "")), name
    code, payload = cli(capsys, old_station, "report", "--period", "2026")
    assert code == 0, payload
    for name, command in (("attendance.pdf", ["print-attendance", "02/09/2026"]),
                          ("minutes.pdf", ["print-minutes", "02/09/2026"])):
        code, payload = cli(capsys, old_station, *command, "--out", str(out / name))
        assert code == 0, (command, payload)
        assert not CONTROL.search(_text_of(out / name).replace("\ufffd", "")), name
    # The lists of the window's screens, printed and saved as a workbook.
    from core import queries
    from core.documents.list_print import ListRequest, list_pdf, list_table, list_xlsx
    from core.station import open_station
    ctx = open_station(old_station)
    for spec in queries.SPECS.values():
        table = list_table(ctx, ListRequest(spec, "Danh sách"))
        assert table.rows, spec.name
        list_pdf(ctx, table, out / f"list-{spec.name}.pdf")
        list_xlsx(ctx, table, out / f"list-{spec.name}.xlsx")
        assert not CONTROL.search(_text_of(out / f"list-{spec.name}.xlsx")), spec.name
    ctx.close()
    log = data_dir() / "logs" / "antq.log"
    assert not log.exists() or "Nguyễn Văn Đức" not in log.read_text(encoding="utf-8")


def test_an_older_communes_unprintable_values_are_named_then_mended(tmp_path, capsys):
    """export-package refuses what the province would refuse, naming the record;
    repair-text --from control mends it (audited); the package then goes in."""
    from exchange_support import commune, fill, link, province

    from core.exchange import import_files
    from core.integrity import check_database
    from core.station import open_station
    tinh, xa = province(tmp_path), commune(tmp_path, "X01")
    link(tinh, xa, tmp_path)
    made = fill(xa, seed=7, persons=4, events=1)
    victim = made["people"][1]
    xa.db.execute("UPDATE persons SET full_name = full_name || ?, address = ? WHERE id = ?",
                  ["\x07", "Số 1\nđường Lạc Long Quân\x00", victim["id"]])
    xa.db.commit()
    path = xa.path
    xa.close()
    out = tmp_path / "up.antq"
    code, payload = cli(capsys, path, "export-package", "--out", str(out))
    assert code == 1, payload
    assert f"Người “{victim['full_name']}?”" in payload["error"]
    assert "repair-text --from control" in payload["error"] and not out.exists()
    code, payload = cli(capsys, path, "repair-text", "--from", "control", "--dry-run")
    assert code == 0 and payload["changed"] == {"persons": 1}
    code, payload = cli(capsys, path, "repair-text", "--from", "control")
    assert code == 0 and payload["changed"] == {"persons": 1}, payload
    ctx = open_station(path)
    assert ctx.db.execute("SELECT full_name, address FROM persons WHERE id = ?",
                          [victim["id"]]).fetchone() == (victim["full_name"],
                                                         "Số 1 đường Lạc Long Quân")
    assert check_database(ctx) == []            # written through the store, audited
    ctx.close()
    assert cli(capsys, path, "export-package", "--out", str(out))[0] == 0
    [result] = import_files(tinh, [out], trust_new=True)
    assert result.status == "applied", result.reason
    tinh.close()
