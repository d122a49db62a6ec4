"""The command line with accounts: --user, ANTQ_PASSWORD, roles, exit codes."""
from __future__ import annotations

import json
import re

import pytest

from core.cli import run
from security_fixtures import PASSWORD


@pytest.fixture
def db(ctx):
    path = str(ctx.path)
    ctx.close()
    return path


def cli(capsys, *argv) -> tuple[int, dict | None, str]:
    capsys.readouterr()
    code = run(list(argv))
    captured = capsys.readouterr()
    out = captured.out.strip()
    return code, json.loads(out) if out.startswith("{") else None, captured.err


def test_user_add_flow(db, capsys, monkeypatch):
    monkeypatch.setenv("ANTQ_PASSWORD", PASSWORD)
    code, out, err = cli(capsys, "--db", db, "user", "add", "an", "--role", "editor", "--json")
    assert code == 1 and "quản trị" in err
    code, out, _ = cli(capsys, "--db", db, "user", "add", "quantri", "--role", "admin", "--json")
    recovery = out.pop("recovery_key")     # the first account: shown this once
    assert (code, out) == (0, {"name": "quantri", "role": "admin"})
    assert re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){7}", recovery)
    # accounts exist: adding needs an admin signed in
    code, _, err = cli(capsys, "--db", db, "user", "add", "an", "--role", "editor", "--json")
    assert code == 1 and "--user" in err
    monkeypatch.setenv("ANTQ_NEW_PASSWORD", "mat-khau-cua-an")
    code, out, _ = cli(capsys, "--db", db, "--user", "quantri", "user", "add", "an",
                       "--role", "editor", "--json")
    assert (code, out) == (0, {"name": "an", "role": "editor"})
    monkeypatch.setenv("ANTQ_PASSWORD", "mat-khau-cua-an")
    code, _, err = cli(capsys, "--db", db, "--user", "an", "user", "add", "binh",
                       "--role", "viewer", "--json")
    assert code == 1 and "không được phép" in err
    code, out, _ = cli(capsys, "--db", db, "--user", "an", "history", "--by", "quantri",
                       "--json")
    assert code == 0 and [e["id"] for e in out["entries"]] == ["an"]


def test_wrong_password_exits_1(db, capsys, monkeypatch):
    monkeypatch.setenv("ANTQ_PASSWORD", PASSWORD)
    assert cli(capsys, "--db", db, "user", "add", "quantri", "--role", "admin")[0] == 0
    monkeypatch.setenv("ANTQ_PASSWORD", "sai-mat-khau")
    code, out, err = cli(capsys, "--db", db, "--user", "quantri", "check", "--json")
    assert code == 1 and "Sai tên tài khoản hoặc mật khẩu" in err
    code, _, err = cli(capsys, "--db", db, "--user", "khongco", "check", "--json")
    assert code == 1


def test_missing_password_without_terminal_exits_1(db, capsys, monkeypatch):
    monkeypatch.setenv("ANTQ_PASSWORD", PASSWORD)
    assert cli(capsys, "--db", db, "user", "add", "quantri", "--role", "admin")[0] == 0
    monkeypatch.delenv("ANTQ_PASSWORD")
    code, _, err = cli(capsys, "--db", db, "--user", "quantri", "check")
    assert code == 1 and "ANTQ_PASSWORD" in err


def test_user_without_accounts_is_refused(db, capsys, monkeypatch):
    monkeypatch.setenv("ANTQ_PASSWORD", PASSWORD)
    code, _, err = cli(capsys, "--db", db, "--user", "ai", "check")
    assert code == 1 and "chưa có tài khoản" in err


def test_reads_need_a_user_and_usage_errors_exit_2(db, capsys, monkeypatch):
    monkeypatch.setenv("ANTQ_PASSWORD", PASSWORD)
    assert cli(capsys, "--db", db, "user", "add", "quantri", "--role", "admin")[0] == 0
    code, out, _ = cli(capsys, "--db", db, "--user", "quantri", "check", "--json")
    assert code == 0 and out == {"ok": True, "problems": []}
    monkeypatch.delenv("ANTQ_PASSWORD")
    code, _, err = cli(capsys, "--db", db, "check", "--json")
    assert code == 1 and "Cần đăng nhập" in err
    assert cli(capsys, "--db", db, "user")[0] == 2
    assert cli(capsys, "--db", db, "user", "add", "x", "--role", "chief")[0] == 2
    code, _, err = cli(capsys, "--db", db, "user", "list")
    assert code == 1
