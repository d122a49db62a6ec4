"""Clear refusals, never exit 3: a busy database and a full disk (command line)."""
from __future__ import annotations

from exchange_support import cli, commune, db_state, fill, link, province

from core import cipher
from core import db as dbmod
from core.exchange import export_package
from core.instance import InstanceLock


def _hold_write_lock(path):
    other = cipher.driver.connect(str(path), isolation_level=None)
    other.execute(f"PRAGMA key = {cipher.pragma_key(cipher.known_key(path))}")
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE settings SET value = value")
    return other


def test_a_busy_database_waits_then_says_another_command_holds_it(ctx, capsys):
    path = ctx.path
    ctx.close()
    other = _hold_write_lock(path)
    try:
        code, payload = cli(capsys, path, "settings", "set", "doc.place", "Hòa Bình")
    finally:
        other.rollback()
        other.close()
    assert code == 1, payload
    assert "đang bận" in payload["error"] and "lệnh khác" in payload["error"]
    assert cli(capsys, path, "settings", "set", "doc.place", "Hòa Bình")[0] == 0


def test_a_busy_database_held_by_a_window_names_the_window(ctx, capsys):
    path = ctx.path
    ctx.close()
    window = InstanceLock(path).acquire()
    other = _hold_write_lock(path)
    try:
        code, payload = cli(capsys, path, "settings", "set", "doc.place", "Hòa Bình")
    finally:
        other.rollback()
        other.close()
        window.release()
    assert code == 1 and "cửa sổ" in payload["error"], payload


def test_a_full_disk_during_an_import_is_a_refusal_and_changes_nothing(tmp_path, capsys,
                                                                       monkeypatch):
    tinh, xa = province(tmp_path), commune(tmp_path, "X01")
    link(tinh, xa, tmp_path)
    fill(xa, seed=4, persons=40, events=3)
    package = tmp_path / "up.antq"
    export_package(xa, package)
    before = db_state(tinh)
    tinh.close()
    connect = dbmod._connect

    def full_disk(path, key=None):  # the database cannot grow: SQLite's "disk is full"
        db = connect(path, key)
        (pages,) = db.execute("PRAGMA page_count").fetchone()
        db.execute(f"PRAGMA max_page_count = {pages}")
        return db

    monkeypatch.setattr(dbmod, "_connect", full_disk)
    code, payload = cli(capsys, tmp_path / "T01.sqlite3", "import-package", str(package),
                        "--trust-new")
    assert code == 1, payload
    assert "Ổ đĩa đã đầy" in payload["error"]
    monkeypatch.undo()
    from core.station import open_station
    again = open_station(tmp_path / "T01.sqlite3")
    assert db_state(again) == before
    again.close()
    xa.close()


def test_the_report_texts_and_settings_meet_the_entry_rules(ctx, capsys):
    """What the officer types for the documents is text a document can hold."""
    path = ctx.path
    ctx.close()
    code, payload = cli(capsys, path, "report-text", "--period", "2026", "--section",
                        "ton_tai", "--text", "Còn\x07 thiếu sót")
    assert code == 1 and "ký tự điều khiển" in payload["error"], payload
    code, payload = cli(capsys, path, "report-text", "--period", "2026", "--section",
                        "ton_tai", "--text", "Dòng một\nDòng hai")
    assert code == 0, payload                   # line breaks belong in a section
    code, payload = cli(capsys, path, "settings", "set", "doc.signer_name", "Bùi\x00Thắng")
    assert code == 1 and "ký tự điều khiển" in payload["error"], payload
    code, payload = cli(capsys, path, "settings", "show")
    assert "doc.signer_name" not in payload["settings"]
