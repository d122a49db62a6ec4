"""Issue #15, item 1: once accounts exist, nothing is read without signing in, and no
output file may overwrite the database or land in the program's own folders."""
from __future__ import annotations

import json
import os

import pytest

from core import accounts, paths
from core.cli import run
from core.errors import PermissionDenied, UserError
from core.station import open_station
from security_fixtures import PASSWORD, make_users, seed


@pytest.fixture
def db(ctx):
    make_users(ctx)
    seed(ctx)
    path = str(ctx.path)
    ctx.close()
    return path


def cli(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    code = run(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


READS = [
    ("export-workbook", "--out", "{tmp}/all.xlsx"),
    ("print-members", "--out", "{tmp}/members.pdf"),
    ("print-commendations", "--out", "{tmp}/certs.pdf"),
    ("report", "--period", "2026", "--format", "pdf", "--out", "{tmp}/report.pdf"),
    ("report", "--period", "2026", "--json"),
    ("backup", "--out", "{tmp}/copy.sqlite3"),
    ("history", "--by", "quantri", "--json"),
    ("backups",),
    ("check",),
]


@pytest.mark.parametrize("argv", READS, ids=[" ".join(a[:2]) for a in READS])
def test_reads_refused_without_sign_in(db, tmp_path, capsys, monkeypatch, argv):
    argv = [a.format(tmp=tmp_path) for a in argv]
    monkeypatch.delenv("ANTQ_PASSWORD", raising=False)
    code, out, err = cli(capsys, "--db", db, *argv)
    assert code == 1 and "Cần đăng nhập" in err
    assert "Nguyễn Văn An" not in out
    assert not any(name.startswith(("all", "members", "certs", "report", "copy"))
                   for name in os.listdir(tmp_path))


def test_wrong_password_refused_and_viewer_reads(db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ANTQ_PASSWORD", "sai-mat-khau")
    code, _, err = cli(capsys, "--db", db, "--user", "xem", "export-workbook",
                       "--out", str(tmp_path / "a.xlsx"))
    assert code == 1 and not (tmp_path / "a.xlsx").exists()
    monkeypatch.setenv("ANTQ_PASSWORD", PASSWORD)
    code, out, err = cli(capsys, "--db", db, "--user", "xem", "export-workbook",
                         "--out", str(tmp_path / "a.xlsx"))
    assert code == 0 and (tmp_path / "a.xlsx").exists()
    code, out, _ = cli(capsys, "--db", db, "--user", "xem", "history", "--by", "quantri",
                       "--json")
    assert code == 0 and json.loads(out)["entries"]
    # a viewer reads but may not write
    code, _, err = cli(capsys, "--db", db, "--user", "xem", "import-workbook",
                       str(tmp_path / "a.xlsx"))
    assert code == 1 and "không được phép" in err


def test_core_read_refused_without_sign_in(db):
    ctx = open_station(db)
    try:
        with pytest.raises(PermissionDenied):
            accounts.require(ctx, "read")
        accounts.sign_in(ctx, "xem", PASSWORD)
        accounts.require(ctx, "read")
    finally:
        ctx.close()


@pytest.mark.parametrize("side", ["", "-wal", "-shm", "-journal"])
def test_export_onto_the_database_refused(db, capsys, monkeypatch, side):
    monkeypatch.setenv("ANTQ_PASSWORD", PASSWORD)
    before = open(db, "rb").read()
    code, _, err = cli(capsys, "--db", db, "--user", "quantri", "export-workbook",
                       "--out", db + side)
    assert code == 1 and "cơ sở dữ liệu" in err
    assert open(db, "rb").read() == before
    code, _, _ = cli(capsys, "--db", db, "--user", "quantri", "check")
    assert code == 0


def test_outputs_into_program_folders_refused(db, capsys, monkeypatch):
    monkeypatch.setenv("ANTQ_PASSWORD", PASSWORD)
    for target in (paths.data_dir() / "x.xlsx", paths.backups_dir() / "b.sqlite3",
                   paths.program_dir() / "core" / "x.pdf"):
        command = "backup" if target.suffix == ".sqlite3" else (
            "print-members" if target.suffix == ".pdf" else "export-workbook")
        code, _, err = cli(capsys, "--db", db, "--user", "quantri", command,
                           "--out", str(target))
        assert code == 1 and "thư mục" in err, (target, err)
        assert not target.exists()
    code, _, err = cli(capsys, "--db", db, "template", "--out", db)
    assert code == 1 and "cơ sở dữ liệu" in err


def test_no_document_is_written_onto_the_open_database(db, tmp_path):
    """The window's save dialogs reach the same writers: they refuse the open database."""
    from core.documents.members import members_list_pdf
    from core.workbook import export_workbook
    ctx = open_station(db)
    try:
        accounts.sign_in(ctx, "quantri", PASSWORD)
        before = open(db, "rb").read()
        for target in (db, db + "-wal", db + "-shm"):
            with pytest.raises(UserError, match="cơ sở dữ liệu đang mở"):
                export_workbook(ctx, target)
            with pytest.raises(UserError, match="cơ sở dữ liệu đang mở"):
                members_list_pdf(ctx, target)
        assert open(db, "rb").read() == before
        export_workbook(ctx, tmp_path / "ok.xlsx")   # elsewhere it still works
        assert (tmp_path / "ok.xlsx").exists()
    finally:
        ctx.close()
