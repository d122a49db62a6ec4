"""A full disk during export-package, backup and restore: a clear refusal (exit 1).

The disk is made full by the write itself failing the way the system fails it
(ENOSPC from the file write, SQLite's "database or disk is full" from a capped
database file). Each time: a Vietnamese message naming the full disk, nothing
half-written left next to the target, the database as it was.
"""
from __future__ import annotations

import errno

import pytest
from exchange_support import cli, commune, db_state, fill, link, province

from core import backup as backup_module
from core import cipher, files
from core.station import open_station

FULL = "hết chỗ trống"


def _files(folder) -> list[str]:
    """The folder's files (the instance lock file may stay, it holds nothing)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(".lock"))


def _no_space(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def _half_then_full(source, target, *args, **kwargs):
    """shutil.copyfile on a disk that fills up half-way."""
    data = open(source, "rb").read()
    with open(target, "wb") as handle:
        handle.write(data[: len(data) // 2])
    _no_space()


def _half_then_full_stream(source, target, *args, **kwargs):
    """shutil.copyfileobj (a backup file's database copied out) on a disk that fills up."""
    data = source.read()
    target.write(data[: len(data) // 2])
    _no_space()


def _capped_connect(marker: str, connect=cipher.connect):
    """cipher.connect where a temp copy whose name holds *marker* cannot grow."""
    def capped(path, *args, **kwargs):
        conn = connect(path, *args, **kwargs)
        if marker in str(path) and str(path).endswith(".tmp"):
            conn.execute("PRAGMA max_page_count = 2")
        return conn
    return capped


@pytest.fixture
def linked(tmp_path):
    tinh, xa = province(tmp_path), commune(tmp_path, "X01")
    link(tinh, xa, tmp_path)
    fill(xa, seed=3, persons=20, events=2)
    tinh.close()
    yield xa.path
    xa.close()


def test_a_full_disk_during_export_package_is_a_refusal(linked, tmp_path, capsys,
                                                        monkeypatch):
    out = tmp_path / "stick"
    out.mkdir()
    monkeypatch.setattr(files, "fsync_file", _no_space)   # the content does not fit
    code, payload = cli(capsys, linked, "export-package", "--out", str(out / "up.antq"))
    assert code == 1, payload
    assert FULL in payload["error"] and "dở dang" in payload["error"]
    assert _files(out) == []
    monkeypatch.undo()
    ctx = open_station(linked)
    # The reserved number stays taken (by design: never reused); nothing is “written”.
    assert ctx.db.execute("SELECT COUNT(*) FROM export_log WHERE status = 'written'"
                          ).fetchone()[0] == 0
    ctx.close()
    code, payload = cli(capsys, linked, "export-package", "--out", str(out / "up.antq"))
    assert code == 0, payload
    assert _files(out) == ["up.antq"]


def test_a_full_disk_during_backup_is_a_refusal(linked, tmp_path, capsys, monkeypatch):
    out = tmp_path / "usb"
    out.mkdir()
    monkeypatch.setattr(backup_module.cipher, "connect", _capped_connect("copy.sqlite3"))
    code, payload = cli(capsys, linked, "backup", "--out", str(out / "copy.sqlite3"))
    assert code == 1, payload
    assert FULL in payload["error"]
    assert _files(out) == []
    monkeypatch.undo()
    assert cli(capsys, linked, "backup", "--out", str(out / "copy.sqlite3"))[0] == 0


def test_a_full_disk_during_restore_is_a_refusal(linked, tmp_path, capsys, monkeypatch):
    copy = tmp_path / "copy.sqlite3"
    assert cli(capsys, linked, "backup", "--out", str(copy))[0] == 0
    ctx = open_station(linked)
    before = db_state(ctx)
    ctx.close()
    folder = _files(linked.parent)
    # The verified copy does not fit next to the database ...
    monkeypatch.setattr(backup_module.shutil, "copyfileobj", _half_then_full_stream)
    code, payload = cli(capsys, linked, "restore", str(copy))
    assert code == 1, payload
    assert FULL in payload["error"] and "không thay đổi" in payload["error"]
    assert _files(linked.parent) == folder
    monkeypatch.undo()
    # ... nor does the copy of the current database kept aside.
    monkeypatch.setattr(backup_module.cipher, "connect", _capped_connect("truoc-khoi-phuc"))
    code, payload = cli(capsys, linked, "restore", str(copy))
    assert code == 1, payload
    assert FULL in payload["error"] and "không thay đổi" in payload["error"]
    assert _files(linked.parent) == folder
    monkeypatch.undo()
    ctx = open_station(linked)
    assert db_state(ctx) == before
    ctx.close()


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_a_full_disk_during_export_workbook_is_a_refusal_without_traceback(
        linked, tmp_path, capsys, monkeypatch):
    import builtins
    import io

    from core.cli import run
    out = tmp_path / "stick"
    out.mkdir()
    real_open = builtins.open

    def full(path, mode="r", *args, **kwargs):     # the workbook's bytes find no room
        if "w" in mode and str(path).startswith(str(out)):
            _no_space()
        return real_open(path, mode, *args, **kwargs)

    import tempfile
    private = tmp_path / "private"               # the program's private temporary folder
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    monkeypatch.setattr(builtins, "open", full)
    monkeypatch.setattr(io, "open", full)         # zipfile (openpyxl) opens through io
    capsys.readouterr()
    code = run(["--db", str(linked), "export-workbook", "--out", str(out / "all.xlsx")])
    monkeypatch.undo()
    import gc
    gc.collect()        # an unfinished sheet stream would complain (a traceback) here
    captured = capsys.readouterr()
    assert code == 1, captured
    assert FULL in captured.err + captured.out
    assert "Traceback" not in captured.err + captured.out
    assert _files(out) == []
    assert list(private.iterdir()) == []         # the sheets' rows went at once


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_a_cancelled_list_workbook_leaves_no_sheet_file(linked, tmp_path, monkeypatch):
    """“Lưu danh sách ra Excel” cancelled (or the disk full) half-way: the rows written
    so far (names) do not stay in the temporary folder until the window closes."""
    import gc
    import tempfile

    from core import queries
    from core.documents.list_print import ListRequest, list_table, list_xlsx
    from core.errors import UserError
    private = tmp_path / "private"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    ctx = open_station(linked)
    table = list_table(ctx, ListRequest(queries.PERSONS, "Danh sách thành viên"))

    def cancel() -> None:
        assert list(private.iterdir())      # the sheet's file exists: its head is written
        raise UserError("Đã hủy.")

    with pytest.raises(UserError):
        list_xlsx(ctx, table, tmp_path / "ds.xlsx", check=cancel)
    gc.collect()
    ctx.close()
    assert list(private.iterdir()) == [] and not (tmp_path / "ds.xlsx").exists()
