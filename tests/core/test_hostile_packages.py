"""Hostile but correctly signed packages: refused whole, and the province keeps working.

A commune's genuine key does not make its content trustworthy: every received
value passes the entry rules, records stay within the sender's own, and after
the attempts every export, print and report of the province still succeeds.
"""
from __future__ import annotations

import json

import pytest
from exchange_support import cli, commune, db_state, fill, link, province, send_up
from test_exchange_bad import keys, parts, reseal

from core.exchange import export_package, import_file
from core.logs import data_dir

VICTIM = "Lê Thị Hiểm Độc"


@pytest.fixture
def world(tmp_path):
    """A province with two communes taken in, and X01's next package (plain JSON)."""
    tinh = province(tmp_path)
    x1, x2 = commune(tmp_path, "X01"), commune(tmp_path, "X02")
    for xa, seed in ((x1, 1), (x2, 2)):
        link(tinh, xa, tmp_path)
        fill(xa, seed=seed, persons=3, events=1)
        assert send_up(xa, tinh, tmp_path, "first")[1].status == "applied"
    good = tmp_path / "next.antq"
    export_package(x1, good)
    manifest, plain = parts(good.read_bytes(), keys(tinh)[1])
    yield tinh, x1, x2, manifest, json.loads(plain), tmp_path
    for c in (tinh, x1, x2):
        c.close()


def _set(body: dict, table: str, column: str, value, row: int = 0) -> None:
    block = body["records"][table]
    block["rows"][row][block["columns"].index(column)] = value


def _other_unit(tinh) -> str:
    return tinh.db.execute("SELECT id FROM units WHERE owner = 'X02' LIMIT 1").fetchone()[0]


def _seeded_type(body: dict, tinh) -> None:
    """A model-type row with the seeded catalogue's empty owner, relabelled."""
    row = tinh.db.execute("SELECT id, owner, created_at, updated_at, version, deleted, code,"
                          " label, aliases, sort_order FROM model_types WHERE owner = ''"
                          " LIMIT 1").fetchone()
    row = list(row)
    row[4] += 1
    row[7] = "Đã bị xã sửa"
    from core.exchange.content import columns
    body["records"]["model_types"] = {"columns": columns("model_types"), "rows": [row]}


HOSTILE = {
    "seeded_catalogue": (lambda b, t: _seeded_type(b, t), "foreign_owner"),
    "other_communes_unit": (lambda b, t: _set(b, "unit_years", "unit_id", _other_unit(t)),
                            "foreign_reference"),
    "other_communes_person_as_residence": (
        lambda b, t: _set(b, "persons", "residence_unit_id", _other_unit(t)),
        "foreign_reference"),
    "control_character": (lambda b, t: _set(b, "persons", "full_name", VICTIM + "\x07"),
                          "invalid_value"),
    "line_break_in_name": (lambda b, t: _set(b, "persons", "full_name", VICTIM + "\nX"),
                           "invalid_value"),
    "lone_surrogate": (lambda b, t: _set(b, "persons", "address", "Số 1 \ud800"),
                       "invalid_value"),
    "huge_text": (lambda b, t: _set(b, "persons", "full_name", VICTIM * 1300),
                  "invalid_value"),
    "impossible_date": (lambda b, t: _set(b, "persons", "birth_date", "2026-02-30"),
                        "invalid_value"),
    "year_out_of_range": (lambda b, t: _set(b, "events", "date", "0001-01-01"),
                          "invalid_value"),
    "unknown_code": (lambda b, t: _set(b, "memberships", "role", "vua"), "invalid_value"),
    "unknown_model_type": (lambda b, t: _set(b, "models", "type", "khong_co"),
                           "invalid_value"),
    "joined_before_birth": (lambda b, t: _set(b, "memberships", "join_date", "1901-01-01"),
                            "invalid_value"),
    "left_before_joining": (lambda b, t: _set(b, "memberships", "leave_date", "2001-01-01"),
                            "invalid_value"),
    "negative_count": (lambda b, t: _set(b, "events", "participants", -5), "invalid_value"),
    "bad_id_number": (lambda b, t: _set(b, "persons", "id_number", "12ab"), "invalid_value"),
}


DECISION = "12/QĐ-CAT"


def _decide(tinh) -> None:
    """A decision of the province commending a commune's person and model."""
    from core.records import Commendation
    from core.services import activities
    person = tinh.db.execute("SELECT id FROM persons WHERE owner = 'X01' LIMIT 1").fetchone()[0]
    model = tinh.db.execute("SELECT id FROM models WHERE owner = 'X01' LIMIT 1").fetchone()[0]
    for kind, recipient in (("person", person), ("model", model)):
        activities.save_commendation(tinh, Commendation(
            recipient_kind=kind, recipient_id=recipient, form="giay_khen",
            authority="giam_doc_ca_tinh", decision_no=DECISION, decision_date="2026-08-19",
            achievement="Có thành tích xuất sắc trong phong trào toàn dân bảo vệ an ninh"
                        " Tổ quốc"))


def _send(world, name: str, change, step: int = 1) -> object:
    tinh, x1, _, manifest, body, tmp = world
    body = json.loads(json.dumps(body))
    change(body, tinh)
    manifest = dict(manifest, sequence=manifest["sequence"] + step)
    manifest["counts"] = {t: len(b["rows"]) for t, b in body["records"].items()}
    path = tmp / f"{name}.antq"
    path.write_bytes(reseal(manifest, json.dumps(body).encode(), keys(x1)[0],
                            tinh.station.box_public))
    return import_file(tinh, path)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_package_is_refused_whole_with_its_reason(world, name):
    tinh = world[0]
    before = db_state(tinh)
    change, kind = HOSTILE[name]
    result = _send(world, name, change)
    assert result.status == "rejected", (name, result.reason)
    assert result.error_kind == kind, (result.error_kind, result.reason)
    assert "không" in result.reason
    assert db_state(tinh) == before


def test_a_sender_name_no_document_can_print_is_refused(world):
    """The manifest's sender name heads the receipt and the register of communes."""
    tinh, x1, _, manifest, body, tmp = world
    before = db_state(tinh)
    manifest = dict(manifest, sequence=manifest["sequence"] + 1,
                    sender=dict(manifest["sender"], name="Công an xã\x1b[2J X01"))
    path = tmp / "name.antq"
    path.write_bytes(reseal(manifest, json.dumps(body).encode(), keys(x1)[0],
                            tinh.station.box_public))
    result = import_file(tinh, path)
    assert result.status == "rejected" and "tên đơn vị gửi" in result.reason, result.reason
    assert db_state(tinh) == before


def test_a_station_name_with_a_control_character_is_refused_at_init(tmp_path, capsys):
    code, payload = cli(capsys, tmp_path / "x.sqlite3", "init", "--level", "xa", "--code",
                        "TAPHUAN1", "--name", "Công an xã\x07 Tập huấn")
    assert code == 1 and "ký tự điều khiển" in payload["error"], payload
    assert not (tmp_path / "x.sqlite3").exists()


def test_the_unchanged_package_still_goes_in(world):
    """The control: the same package without a change is taken in."""
    assert _send(world, "plain", lambda b, t: None).status == "applied"


def test_after_hostile_packages_every_export_print_and_report_works(world, capsys):
    tinh, _, x2, _, _, tmp = world
    # Each with its own sequence number: were one taken in, the next is still tried.
    for step, (name, (change, _)) in enumerate(HOSTILE.items(), 1):
        _send(world, name, change, step)
    # A formula-looking name is a genuine value: taken in, exported as text.
    formula = _send(world, "formula", lambda b, t: _set(
        b, "persons", "full_name", '=HYPERLINK("http://x.invalid","Bấm")'), len(HOSTILE) + 1)
    assert formula.status == "applied", formula.reason
    # No attempt blocked the other commune: X02's next genuine package goes in.
    from exchange_support import fill as more
    more(x2, seed=22, persons=2, events=1)
    assert send_up(x2, tinh, tmp, "second")[1].status == "applied"
    db = tinh.path
    out = tmp / "out"
    out.mkdir()
    _decide(tinh)
    commands = [
        ["export-workbook", "--out", str(out / "all.xlsx")],
        ["print-members", "--out", str(out / "members.pdf")],
        ["print-members", "--format", "docx", "--out", str(out / "members.docx")],
        ["print-decision", "--decision", DECISION, "--out", str(out / "d.pdf")],
        ["print-decision", "--decision", DECISION, "--format", "docx",
         "--out", str(out / "d.docx")],
        ["print-commendations", "--out", str(out / "c.pdf")],
        ["report", "--period", "2026", "--format", "pdf", "--out", str(out / "r.pdf")],
        ["report", "--period", "2026", "--format", "xlsx", "--out", str(out / "r.xlsx")],
        ["report", "--period", "2026", "--format", "docx", "--out", str(out / "r.docx")],
        ["report", "--period", "2026", "--format", "json"],
        ["completeness", "--period", "2026"],
        ["communes"],
        ["check"],
        ["export-package", "--out", str(out / "down.antq"), "--to", x2.station.code],
        ["export-package", "--out", str(out / "all.antq")],
    ]
    from docdata import SETTINGS
    for key, value in SETTINGS.items():
        tinh.set_setting(key, value)
    tinh.set_setting("cert.giam_doc_ca_tinh.title", "Giám đốc Công an tỉnh")
    tinh.set_setting("cert.giam_doc_ca_tinh.signer_name", "Đinh Công Hiển")
    # The window's prints: a receipt of every file taken in (the refused ones are not
    # in the log) and the reminder list of communes without data.
    from core.documents.exchange_docs import import_receipt_pdf, reminder_list_pdf
    from core.exchange import ledger
    from core.periods import parse_period
    entries = ledger.import_log(tinh.db)
    assert {"formula.antq", "second-X02.antq"} <= {e["file_name"] for e in entries}
    assert len(entries) == 4
    for entry in entries:
        import_receipt_pdf(tinh, entry["id"], out / f"receipt-{entry['id']}.pdf")
    assert reminder_list_pdf(tinh, parse_period("2099"), out / "remind.pdf")[2] == 2
    event = tinh.db.execute("SELECT event_id FROM event_attendees LIMIT 1").fetchone()[0]
    commands += [["print-attendance", event, "--out", str(out / "attendance.pdf")],
                 ["print-minutes", event, "--out", str(out / "minutes.pdf")]]
    formula_entry = next(e for e in entries if e["file_name"] == "formula.antq")
    commands += [["print-receipt", "--sender", "X01", "--sequence",
                  str(formula_entry["sequence"]), "--out", str(out / "receipt.pdf")],
                 ["print-reminders", "--period", "2099", "--out", str(out / "remind2.pdf")]]
    tinh.close()
    for command in commands:
        code, payload = cli(capsys, db, *command)
        assert code == 0, (command, payload)
    log = data_dir() / "logs" / "antq.log"
    assert not log.exists() or VICTIM not in log.read_text(encoding="utf-8")
    from openpyxl import load_workbook
    book = load_workbook(out / "all.xlsx")
    cells = [c for ws in book for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]
    assert cells and all(c.data_type == "s" for c in cells)
