"""No personal data in logs/antq.log: exception texts are scrubbed of values."""
from __future__ import annotations

import logging

from exchange_support import cli

from core.logs import data_dir, setup_logging
from core.records import Person
from core.services import members

NAME = "Lê Thị Bí Mật"


def _log_text() -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    path = data_dir() / "logs" / "antq.log"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def test_an_exception_quoting_a_name_is_logged_without_it():
    setup_logging()
    log = logging.getLogger("test")
    try:
        try:
            raise KeyError(NAME)
        except KeyError as inner:
            raise ValueError(f"{NAME} cannot be used in worksheets") from inner
    except ValueError as exc:
        log.exception("export failed")
        log.warning("counting failed: %r", exc)
    text = _log_text()
    assert "ValueError" in text and "KeyError" in text and "test_hostile_logs.py" in text
    assert NAME not in text and "Bí Mật" not in text


def test_scrub_keeps_what_carries_no_values():
    from core.logs import scrub_exception
    import sqlite3
    assert "database is locked" in scrub_exception(sqlite3.OperationalError(
        "database is locked"))
    error = OSError(28, "No space left on device", f"/media/{NAME}/x.antq")
    assert "No space left" in scrub_exception(error) and NAME not in scrub_exception(error)


def test_an_export_of_an_old_unprintable_value_neither_crashes_nor_logs_it(ctx, capsys,
                                                                          tmp_path):
    """A value stored before the rules existed (written here behind the services)."""
    person_id, _ = members.save_person(ctx, Person(full_name="Lê Thị Mật"))
    ctx.db.execute("UPDATE persons SET full_name = ? WHERE id = ?",
                   [NAME + "\x07", person_id])
    ctx.db.commit()
    code, payload = cli(capsys, ctx.path, "export-workbook", "--out",
                        str(tmp_path / "all.xlsx"))
    assert code == 0, payload
    assert NAME not in _log_text()
    import openpyxl
    names = [c.value for c in openpyxl.load_workbook(tmp_path / "all.xlsx")["Thành viên"]["A"]]
    assert NAME + "?" in names
