"""The full exchange cycle: a province and three communes, through the command line."""
from __future__ import annotations

import re
import zlib

from exchange_support import cli, commune, db_state, fill, province

from core.exchange import completeness, export_status, import_files
from core.periods import parse_period
from core.records import Commendation
from core.report import build_report, sum_indicators
from core.repos.models import model_types
from core.services import activities, members


def _report(capsys, db) -> dict:
    code, report = cli(capsys, db, "report", "--period", "2026")
    assert code == 0
    return report


def test_full_cycle_province_and_three_communes(tmp_path, capsys):
    tinh = province(tmp_path)
    xas = [commune(tmp_path, code) for code in ("X01", "X02", "X03")]
    tinh_db = tinh.path
    xa_dbs = [x.path for x in xas]
    for x in xas:
        x.close()
    tinh.close()

    # Before the province's key is known, a commune cannot export (and is told why).
    code, out = cli(capsys, xa_dbs[0], "export-package", "--out", str(tmp_path / "no.antq"))
    assert code == 1 and "khóa công khai của Công an tỉnh" in out["error"]
    assert not (tmp_path / "no.antq").exists()

    # Province catalogue down; each commune pins the province key on first import.
    down = tmp_path / "down.antq"
    code, out = cli(capsys, tinh_db, "export-package", "--out", str(down))
    assert code == 0 and out["recipient"] == "*" and out["encrypted"] is False
    for db in xa_dbs:
        code, out = cli(capsys, db, "import-package", str(down))
        assert code == 1 and out["files"][0]["status"] == "rejected"
        assert "--trust-new" in out["files"][0]["reason"]
        code, out = cli(capsys, db, "import-package", str(down), "--trust-new")
        assert code == 0 and out["files"][0]["status"] == "applied"

    # Communes enter data through the services, then export.
    people = {}
    for seed, db in enumerate(xa_dbs, 1):
        ctx = reopen_path(db)
        people[db] = fill(ctx, seed=seed, persons=8 + seed)
        ctx.close()
    ups = []
    for db in xa_dbs:
        path = tmp_path / f"up-{db.stem}.antq"
        code, out = cli(capsys, db, "export-package", "--out", str(path))
        assert code == 0 and out["sequence"] == 1 and out["encrypted"] is True
        assert out["records"]["persons"] >= 9
        ups.append(path)

    # The province verifies, dry-runs, then takes in all three files at once.
    code, out = cli(capsys, tinh_db, "verify-package", str(ups[0]))
    assert code == 0 and out["ok"] is True and out["sender"] == "X01" and out["sequence"] == 1
    before = db_state(reopen_path(tinh_db))
    code, out = cli(capsys, tinh_db, "import-package", *map(str, ups), "--dry-run",
                    "--trust-new")
    assert code == 0 and [f["status"] for f in out["files"]] == ["dry_run"] * 3
    assert db_state(reopen_path(tinh_db)) == before
    code, out = cli(capsys, tinh_db, "import-package", *map(str, ups), "--trust-new")
    assert code == 0, out
    assert [f["status"] for f in out["files"]] == ["applied"] * 3
    assert [f["sender"] for f in out["files"]] == ["X01", "X02", "X03"]
    assert all(f["inserted"] > 20 and f["updated"] == 0 for f in out["files"])
    assert set(out["files"][0]) == {"path", "status", "reason", "sender", "sequence",
                                    "inserted", "updated", "deleted", "unchanged"}

    # Province totals equal the sum of the communes' own reports.
    commune_reports = [_report(capsys, db) for db in xa_dbs]
    tinh_report = _report(capsys, tinh_db)
    assert tinh_report["level"] == "tinh"
    assert set(tinh_report["by_commune"]) == {"X01", "X02", "X03"}
    for db, rep in zip(xa_dbs, commune_reports):
        assert tinh_report["by_commune"][db.stem] == rep["indicators"]
    codes = model_types(reopen_path(tinh_db).db).codes()
    assert tinh_report["indicators"] == sum_indicators(
        [r["indicators"] for r in commune_reports], codes)
    assert tinh_report["indicators"]["members_total"] == 9 + 10 + 11

    # Taking the same files in again changes nothing.
    state = db_state(reopen_path(tinh_db))
    code, out = cli(capsys, tinh_db, "import-package", *map(str, ups))
    assert code == 0 and {f["status"] for f in out["files"]} == {"already_applied"}
    assert db_state(reopen_path(tinh_db)) == state

    # A commune edits one member and deletes another; the province follows.
    ctx = reopen_path(xa_dbs[1])
    mine = people[xa_dbs[1]]["people"]
    person = members.PersonRepo(ctx.store).get(mine[0]["id"])
    person.occupation = "Nông dân"
    members.save_person(ctx, person)
    members.delete_person(ctx, mine[1]["id"])
    activities.delete_event(ctx, people[xa_dbs[1]]["events"][0])
    ctx.close()
    second = tmp_path / "up-X02-2.antq"
    code, out = cli(capsys, xa_dbs[1], "export-package", "--out", str(second))
    assert code == 0 and out["sequence"] == 2
    code, out = cli(capsys, tinh_db, "import-package", str(second))
    assert code == 0
    [f] = out["files"]
    assert f["status"] == "applied" and f["inserted"] == 0
    assert f["updated"] == 1
    assert f["deleted"] == 3        # the person, their membership and the event
    tinh_ctx = reopen_path(tinh_db)
    assert tinh_ctx.db.execute("SELECT occupation, owner FROM persons WHERE id = ?",
                               [mine[0]["id"]]).fetchone() == ("Nông dân", "X02")
    assert tinh_ctx.db.execute("SELECT deleted FROM persons WHERE id = ?",
                               [mine[1]["id"]]).fetchone() == (1,)
    tinh_ctx.close()
    tinh_report = _report(capsys, tinh_db)
    assert tinh_report["by_commune"]["X02"] == _report(capsys, xa_dbs[1])["indicators"]
    assert tinh_report["indicators"]["members_total"] == 9 + 9 + 11

    # Taking the first file in again after the second changes nothing.
    state = db_state(reopen_path(tinh_db))
    code, out = cli(capsys, tinh_db, "import-package", str(ups[1]))
    assert code == 0 and out["files"][0]["status"] == "already_applied"
    assert db_state(reopen_path(tinh_db)) == state

    # An older file never taken in, arriving after a newer one, changes nothing;
    # a gap in the sequence is reported but the complete snapshot is taken in.
    older, newer = tmp_path / "X03-2.antq", tmp_path / "X03-3.antq"
    for path in (older, newer):
        assert cli(capsys, xa_dbs[2], "export-package", "--out", str(path))[0] == 0
    ctx = reopen_path(xa_dbs[2])
    members.delete_person(ctx, people[xa_dbs[2]]["people"][0]["id"])
    ctx.close()
    newest = tmp_path / "X03-4.antq"
    assert cli(capsys, xa_dbs[2], "export-package", "--out", str(newest))[0] == 0
    code, out = cli(capsys, tinh_db, "import-package", str(newest))
    assert code == 0 and out["files"][0]["status"] == "applied"
    assert "từ số 2 đến 3" in out["files"][0]["reason"]
    assert out["files"][0]["deleted"] == 3     # the person and two memberships
    state = db_state(reopen_path(tinh_db))
    code, out = cli(capsys, tinh_db, "import-package", str(older), str(newer))
    assert code == 0 and [f["status"] for f in out["files"]] == ["already_applied"] * 2
    assert "cũ hơn" in out["files"][0]["reason"]
    assert db_state(reopen_path(tinh_db)) == state

    # Completeness: all three covered the period that has ended; none the next year.
    code, out = cli(capsys, tinh_db, "completeness", "--period", "2026-6T")
    assert code == 0 and [c["status"] for c in out["communes"]] == ["du"] * 3
    code, out = cli(capsys, tinh_db, "completeness", "--period", "2099")
    assert out["missing"] == ["X01", "X02", "X03"]

    # The province's next package carries receipts; the commune sees its export confirmed.
    code, out = cli(capsys, tinh_db, "export-package", "--out", str(tmp_path / "down2.antq"))
    assert code == 0 and out["sequence"] == 2
    code, out = cli(capsys, xa_dbs[1], "import-package", str(tmp_path / "down2.antq"))
    assert code == 0 and out["files"][0]["status"] == "applied"
    status = export_status(reopen_path(xa_dbs[1]))
    assert status["province"]["code"] == "T01"
    assert [e["sequence"] for e in status["exports"]] == [2, 1]
    assert all(e["confirmed_at"] for e in status["exports"])


def reopen_path(path):
    from core.station import open_station
    return open_station(path)


def test_province_commendation_travels_down_encrypted_to_one_commune(tmp_path, capsys):
    tinh = province(tmp_path)
    xa = commune(tmp_path, "X01")
    from exchange_support import link, send_up
    link(tinh, xa, tmp_path)
    data = fill(xa, seed=5, persons=3, events=1)
    _, result = send_up(xa, tinh, tmp_path)
    assert result.status == "applied"
    person = data["people"][0]
    activities.save_commendation(tinh, Commendation(
        recipient_kind="person", recipient_id=person["id"], form="giay_khen",
        authority="giam_doc_cong_an_tinh", decision_no="123/QĐ-CAT",
        decision_date="2026-08-19", achievement="Thành tích xuất sắc"))
    # Without --to nothing personal travels: no commendation in the clear package.
    code, out = cli(capsys, tinh.path, "export-package", "--out", str(tmp_path / "all.antq"))
    assert "commendations" not in out["records"]
    code, out = cli(capsys, tinh.path, "export-package", "--out", str(tmp_path / "x01.antq"),
                    "--to", "X01")
    assert code == 0 and out["records"]["commendations"] == 1 and out["encrypted"] is True
    raw = (tmp_path / "x01.antq").read_bytes()
    assert b"123/Q" not in raw and "Thành tích".encode() not in raw
    [r] = import_files(xa, [tmp_path / "x01.antq"])
    assert r.status == "applied" and r.inserted == 1
    row = xa.db.execute("SELECT owner, decision_no FROM commendations").fetchone()
    assert row == ("T01", "123/QĐ-CAT")
    # The commune's own report does not count the province's record as its own.
    assert build_report(xa, parse_period("2026"))["indicators"]["commendations_individual"] == 0
    # A package addressed to X01 is refused by another commune.
    other = commune(tmp_path, "X02")
    link(tinh, other, tmp_path)
    [r] = import_files(other, [tmp_path / "x01.antq"])
    assert r.status == "rejected" and "X01" in r.reason
    for c in (tinh, xa, other):
        c.close()


def test_no_name_or_id_number_in_package_bytes(tmp_path):
    tinh = province(tmp_path)
    xa = commune(tmp_path, "X01")
    from exchange_support import link
    link(tinh, xa, tmp_path)
    data = fill(xa, seed=7, persons=20, events=3)
    from core.exchange import export_package
    path = tmp_path / "up.antq"
    export_package(xa, path)
    raw = path.read_bytes()
    secrets = []
    for p in data["people"]:
        secrets += [p["full_name"], p["id_number"], p["full_name"].split()[-2]]
    for text in secrets:
        for form in (text.encode("utf-8"), text.encode("utf-16-le"),
                     text.lower().encode("utf-8")):
            assert form not in raw
    # No readable deflate stream hides them either: try every offset that inflates.
    for match in re.finditer(rb"\x78[\x01\x5e\x9c\xda]", raw):
        try:
            plain = zlib.decompressobj().decompress(raw[match.start():], 50_000_000)
        except zlib.error:
            continue
        assert not any(t.encode() in plain for t in secrets)
    # The content is ciphertext: it does not even look compressible.
    from core.exchange.envelope import open_envelope
    envelope = open_envelope(raw)
    body = envelope.body
    assert envelope.manifest["encryption"] is not None
    assert len(body) > 1000 and len(zlib.compress(body, 9)) > 0.98 * len(body)
    manifest_text = raw[:len(envelope.prefix)].decode("ascii", "replace")
    assert "persons" in manifest_text           # counts are in clear, names are not
    tinh.close()
    xa.close()


def test_known_commune_without_data_shows_zeros_in_report(tmp_path):
    tinh = province(tmp_path)
    empty = commune(tmp_path, "X09")
    from exchange_support import link, send_up
    link(tinh, empty, tmp_path)
    _, result = send_up(empty, tinh, tmp_path)
    assert result.status == "applied"
    report = build_report(tinh, parse_period("2026"))
    assert report["by_commune"]["X09"]["members_total"] == 0
    assert report["by_commune"]["X09"] == report["indicators"]
    rows = completeness(tinh, parse_period("2026-03"))
    assert rows[0]["code"] == "X09" and rows[0]["status"] == "du"
    tinh.close()
    empty.close()


def test_province_cannot_edit_or_delete_a_communes_record(tmp_path):
    import pytest
    from core.errors import PermissionDenied
    from exchange_support import link, send_up
    tinh = province(tmp_path)
    xa = commune(tmp_path, "X01")
    link(tinh, xa, tmp_path)
    data = fill(xa, seed=6, persons=2, events=1)
    send_up(xa, tinh, tmp_path)
    person = members.PersonRepo(tinh.store).get(data["people"][0]["id"])
    person.notes = "sửa ở tỉnh"
    with pytest.raises(PermissionDenied):
        members.save_person(tinh, person)
    with pytest.raises(PermissionDenied):
        members.delete_person(tinh, person.id)
    assert tinh.db.execute("SELECT notes, deleted FROM persons WHERE id = ?",
                           [person.id]).fetchone() == ("", 0)
    tinh.close()
    xa.close()


def test_received_records_are_audited_and_edits_behind_the_back_are_found(tmp_path):
    """Bulk inserts and updates of received records keep `check` sound and strict."""
    from exchange_support import link, send_up

    from core import audit
    from core.integrity import check_database
    tinh = province(tmp_path)
    xa = commune(tmp_path, "X01")
    link(tinh, xa, tmp_path)
    data = fill(xa, seed=8, persons=5, events=2)
    send_up(xa, tinh, tmp_path, "first")
    person = members.PersonRepo(xa.store).get(data["people"][0]["id"])
    person.notes = "đã sửa ở xã"
    members.save_person(xa, person)
    _, second = send_up(xa, tinh, tmp_path, "second")
    assert second.status == "applied" and second.updated == 1
    assert check_database(tinh) == []
    history = audit.history(tinh, "persons", person.id)
    assert [e.op for e in history] == ["insert", "update"]
    assert history[-1].after["notes"] == "đã sửa ở xã"
    assert audit.changed_fields(history[-1]) == ["notes"]
    event = tinh.db.execute("SELECT event_id FROM event_attendees LIMIT 1").fetchone()[0]
    tinh.db.conn.execute("UPDATE persons SET phone = '0900000000' WHERE id = ?", [person.id])
    tinh.db.conn.execute("DELETE FROM event_attendees WHERE event_id = ?", [event])
    tinh.db.conn.commit()
    problems = check_database(tinh)
    assert any(person.id in p and "phone" in p for p in problems)
    assert any(event in p and "attendee_ids" in p for p in problems)
    tinh.close()
    xa.close()
