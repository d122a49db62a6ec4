"""One atomic write for every file the program produces (core/files.py).

The tests run as root, where a read-only folder is still writable: the refusals
are simulated by making ``os.replace`` or ``open`` raise what Windows and a full
disk raise (PermissionError, OSError(ENOSPC)).
"""
from __future__ import annotations

import errno
import json
import os

import pytest

from core import files
from core.backup import copy_database
from core.cli import run
from core.errors import FileWriteError, UserError
from core.workbook.exporter import export_workbook
from core.workbook.template import write_template

REFUSALS = {
    "open elsewhere": PermissionError(errno.EACCES, "Permission denied"),
    "full disk": OSError(errno.ENOSPC, "No space left on device"),
    "read-only disk": OSError(errno.EROFS, "Read-only file system"),
}
REASONS = {"open elsewhere": "đang được mở trong chương trình khác",
           "full disk": "ổ đĩa đã hết chỗ trống",
           "read-only disk": "chỉ cho phép đọc"}


def _leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp")
                  or ".tmp-" in p.name)


def _refuse_replace(monkeypatch, exc: OSError) -> None:
    def refuse(*_args, **_kwargs):
        raise exc
    monkeypatch.setattr(files.os, "replace", refuse)


@pytest.mark.parametrize("kind", REFUSALS)
def test_refused_rename_keeps_old_target_and_leaves_no_temp(tmp_path, monkeypatch, kind):
    target = tmp_path / "out.pdf"
    target.write_bytes(b"old")
    _refuse_replace(monkeypatch, REFUSALS[kind])
    with pytest.raises(FileWriteError) as caught:
        files.write_bytes(target, b"new content")
    message = str(caught.value)
    assert message.startswith(f"Không ghi được tệp “{target}”")
    assert REASONS[kind] in message and "Errno" not in message
    assert target.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


def test_a_writer_failing_half_way_leaves_no_temp(tmp_path):
    target = tmp_path / "book.xlsx"
    target.write_bytes(b"old")

    def half_then_crash(path: str) -> None:
        with open(path, "wb") as handle:
            handle.write(b"half")
        raise RuntimeError("writer bug")

    with pytest.raises(RuntimeError):
        files.write_with(target, half_then_crash)
    assert target.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


def test_a_user_error_inside_passes_through_and_leaves_no_temp(tmp_path):
    target = tmp_path / "a.pdf"
    with pytest.raises(UserError, match="không có dữ liệu") as caught:
        with files.atomic_path(target) as temp:
            open(temp, "wb").close()
            raise UserError("không có dữ liệu")
    assert not isinstance(caught.value, FileWriteError)
    assert not target.exists() and _leftovers(tmp_path) == []


def test_full_disk_while_writing_is_the_same_message(tmp_path, monkeypatch):
    real_open = open

    def full(path, mode="r", *args, **kwargs):
        if "w" in mode and str(path).endswith(".tmp"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", full)
    with pytest.raises(FileWriteError, match="ổ đĩa đã hết chỗ trống"):
        files.write_bytes(tmp_path / "pkg.antq", b"data")
    assert _leftovers(tmp_path) == []


def test_success_fsyncs_the_file_and_the_folder(tmp_path, monkeypatch):
    synced = []
    monkeypatch.setattr(files, "fsync_file", lambda p: synced.append(("file", p)))
    monkeypatch.setattr(files, "fsync_dir", lambda p: synced.append(("dir", str(p))))
    files.write_bytes(tmp_path / "x.bin", b"x")
    assert (tmp_path / "x.bin").read_bytes() == b"x"
    assert [k for k, _ in synced] == ["file", "dir"] and synced[1][1] == str(tmp_path)


def test_missing_folder_and_folder_named_like_the_target(tmp_path):
    with pytest.raises(FileWriteError, match="thư mục không tồn tại"):
        files.write_bytes(tmp_path / "no" / "x.pdf", b"x")
    (tmp_path / "d.pdf").mkdir()
    with pytest.raises(FileWriteError, match="thư mục trùng tên"):
        files.write_bytes(tmp_path / "d.pdf", b"x")


def test_workbook_export_and_template_go_through_the_helper(ctx, tmp_path, monkeypatch):
    """The workbook writers had no fsync at all: now they are flushed before the rename."""
    synced = []
    real = files.fsync_file
    monkeypatch.setattr(files, "fsync_file", lambda p: (synced.append(p), real(p)))
    export_workbook(ctx, tmp_path / "data.xlsx")
    write_template(tmp_path / "mau.xlsx")
    assert len(synced) == 2
    _refuse_replace(monkeypatch, REFUSALS["open elsewhere"])
    (tmp_path / "data.xlsx").write_bytes(b"old")
    with pytest.raises(FileWriteError, match="đang được mở trong chương trình khác"):
        export_workbook(ctx, tmp_path / "data.xlsx")
    assert (tmp_path / "data.xlsx").read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


def test_backup_full_disk_leaves_no_temp_and_no_journal(ctx, tmp_path, monkeypatch):
    out = tmp_path / "b" / "copy.sqlite3"
    _refuse_replace(monkeypatch, REFUSALS["full disk"])
    with pytest.raises(FileWriteError, match="ổ đĩa đã hết chỗ trống"):
        copy_database(ctx.db.conn, out, ctx.db.key)
    assert not out.exists() and list(out.parent.iterdir()) == []


@pytest.mark.parametrize("command", [
    ["export-workbook", "--out", "{dir}/data.xlsx"],
    ["template", "--out", "{dir}/mau.xlsx"],
    ["backup", "--out", "{dir}/copy.sqlite3"],
    ["report", "--period", "2026", "--format", "xlsx", "--out", "{dir}/bc.xlsx"],
])
def test_cli_exits_1_with_the_message(ctx, tmp_path, monkeypatch, capsys, command):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    _refuse_replace(monkeypatch, REFUSALS["open elsewhere"])
    args = [a.format(dir=out_dir) for a in command]
    assert run(["--db", str(ctx.path), *args]) == 1
    err = capsys.readouterr().err
    assert "Không ghi được tệp" in err and "đang được mở trong chương trình khác" in err
    assert "Traceback" not in err
    assert _leftovers(out_dir) == []


def test_cli_writes_when_nothing_refuses(ctx, tmp_path, capsys):
    out = tmp_path / "copy.sqlite3"
    assert run(["--db", str(ctx.path), "backup", "--out", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["path"] == str(out)
    assert out.stat().st_size > 0 and not os.path.exists(f"{out}-journal")
