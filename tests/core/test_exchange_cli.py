"""The exchange commands' contract: exit codes and JSON keys."""
from __future__ import annotations

from exchange_support import cli, commune, fill, link, province

from core.exchange import export_package


def test_verify_and_import_contract(tmp_path, capsys):
    tinh, xa = province(tmp_path), commune(tmp_path, "X01")
    link(tinh, xa, tmp_path)
    fill(xa, seed=4, persons=3, events=1)
    good = tmp_path / "good.antq"
    export_package(xa, good)
    bad = tmp_path / "bad.antq"
    data = good.read_bytes()
    bad.write_bytes(data[:-1] + bytes([data[-1] ^ 0xFF]))   # the last byte, always changed
    tinh_db = tinh.path
    tinh.close()
    xa.close()

    code, out = cli(capsys, tinh_db, "verify-package", str(bad))
    assert code == 1 and out["ok"] is False and out["sender"] is None
    assert "chữ ký không hợp lệ" in out["reason"]
    code, out = cli(capsys, tinh_db, "verify-package", str(good))
    assert code == 0 and {"ok", "sender", "sequence", "reason"} <= set(out)

    code, out = cli(capsys, tinh_db, "import-package", str(bad), str(good), "--trust-new")
    assert code == 1
    assert [f["status"] for f in out["files"]] == ["rejected", "applied"]
    assert [f["path"] for f in out["files"]] == [str(bad), str(good)]
    for f in out["files"]:
        assert set(f) == {"path", "status", "reason", "sender", "sequence", "inserted",
                          "updated", "deleted", "unchanged"}
    assert out["files"][1]["inserted"] > 0

    code, out = cli(capsys, tinh_db, "completeness", "--period", "2026-6T")
    assert code == 0 and out["communes"][0]["code"] == "X01"
    code, out = cli(capsys, xa.path, "completeness", "--period", "2026")
    assert code == 1 and "Công an tỉnh" in out["error"]
    code, out = cli(capsys, xa.path, "export-package", "--out", str(tmp_path / "x.antq"),
                    "--to", "T01")
    assert code == 2


def test_export_to_unknown_commune_is_refused(tmp_path, capsys):
    tinh = province(tmp_path)
    db = tinh.path
    tinh.close()
    code, out = cli(capsys, db, "export-package", "--out", str(tmp_path / "d.antq"),
                    "--to", "X99")
    assert code == 1 and "X99" in out["error"]
    assert not (tmp_path / "d.antq").exists()
    code, out = cli(capsys, db, "export-package", "--out", str(tmp_path / "nope" / "d.antq"))
    assert code == 1 and "không tồn tại" in out["error"]


def test_sequence_continues_above_receipts_after_restore(tmp_path):
    from core.exchange import import_files
    tinh, xa = province(tmp_path), commune(tmp_path, "X01")
    link(tinh, xa, tmp_path)
    for n in range(3):
        path = tmp_path / f"up{n}.antq"
        export_package(xa, path)
        assert import_files(tinh, [path], trust_new=True)[0].status == "applied"
    xa.db.execute("DELETE FROM export_log")      # as if restored from an old backup
    down = tmp_path / "down2.antq"
    export_package(tinh, down)
    assert import_files(xa, [down])[0].status == "applied"
    result = export_package(xa, tmp_path / "after.antq")
    assert result.sequence == 4
    assert import_files(tinh, [tmp_path / "after.antq"])[0].status == "applied"
    tinh.close()
    xa.close()
