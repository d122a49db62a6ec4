"""Helpers shared by the command modules."""
from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from core import accounts, paths
from core import db as dbmod
from core.accounts import require
from core.errors import UserError
from core.station import RECOVERY_USER, Context, open_station


def database_path(args: argparse.Namespace) -> Path:
    """The database the command works on: --db, or the user's default."""
    return Path(args.db) if args.db else dbmod.default_path()


@contextlib.contextmanager
def opened(args: argparse.Namespace, write: bool = False) -> Iterator[Context]:
    """Open the station database for one command and close it afterwards.

    With ``--user NAME`` the user signs in (password from ANTQ_PASSWORD or a
    prompt). Once accounts exist, every command needs a signed-in user (the
    viewer role reads), and a command that changes data (*write*) one who may
    edit; the services check again for each change. An ``--out`` file is
    checked first: never the database, its side files or the program's folders.
    """
    check_out(args)
    name = getattr(args, "user", None)
    recovery = read_recovery_key() if getattr(args, "recovery_key", False) else None
    password = read_password() if name else None
    ctx = open_station(database_path(args), user=name, password=password,
                       recovery_key=recovery)
    try:
        if name:
            sign_in(ctx, args, password)
        elif recovery:     # the chief's safe: full rights, the trail names it
            ctx.user, ctx.role = RECOVERY_USER, "admin"
        if ctx.new_recovery_key and ctx.role == "admin" and ctx.user != RECOVERY_USER:
            _session["payload"]["recovery_key"] = ctx.new_recovery_key
            _session["messages"].append(CONVERTED_RECOVERY.format(code=ctx.new_recovery_key))
        require(ctx, "edit" if write else "read")
        yield ctx
    finally:
        try:
            if accounts.recovery_missing(ctx):   # still none after the command
                _session["messages"].append(NO_RECOVERY_YET)
        finally:
            ctx.close()


CONVERTED_RECOVERY = (
    "Cơ sở dữ liệu vừa được mã hóa. MÃ KHÔI PHỤC (chỉ hiện một lần): {code} — hãy chép "
    "lại, niêm phong và cất vào két của Trưởng Công an xã; mã này mở được cơ sở dữ liệu "
    "và mọi bản sao lưu khi quên mật khẩu.")
NO_RECOVERY_YET = (
    "Cơ sở dữ liệu chưa có mã khôi phục (được mã hóa khi một tài khoản không phải quản trị "
    "đăng nhập): hãy tạo bằng lệnh “user recovery-key” rồi cất mã vào két.")

# What the opening of the station has to tell besides the command's own outcome (the
# recovery key a conversion made; the reminder that there is none): printed by
# core.cli.run on stderr (and added to the JSON), also when the command then fails.
_session: dict = {"messages": [], "payload": {}}


def take_session_notes() -> tuple[list[str], dict]:
    """The messages and JSON keys of the opening (emptied)."""
    messages, payload = _session["messages"], _session["payload"]
    _session["messages"], _session["payload"] = [], {}
    return messages, payload


def check_out(args: argparse.Namespace) -> None:
    """Refuse an --out that would overwrite the database or the program's own files."""
    out = getattr(args, "out", None)
    if out:
        paths.check_output(out, database_path(args))


def read_password(prompt: str = "Mật khẩu: ", env: str = "ANTQ_PASSWORD") -> str:
    """The password from the environment, or typed in when run in a terminal."""
    value = os.environ.get(env)
    if value is not None:
        return value
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(prompt)
    raise UserError(f"Cần mật khẩu: đặt biến môi trường {env} hoặc chạy lệnh trong cửa sổ "
                    "dòng lệnh để nhập mật khẩu.")


def read_recovery_key() -> str:
    """The recovery key from ANTQ_RECOVERY_KEY, or typed in when run in a terminal."""
    return read_password("Mã khôi phục: ", "ANTQ_RECOVERY_KEY")


def sign_in(ctx: Context, args: argparse.Namespace, password: str | None = None) -> None:
    """Sign in the user named by --user, if any (exit 1 on a wrong password)."""
    name = getattr(args, "user", None)
    if not name:
        return
    if not accounts.accounts_exist(ctx.db):
        raise UserError("Cơ sở dữ liệu chưa có tài khoản nào: bỏ --user, hoặc tạo tài "
                        "khoản quản trị bằng lệnh “user add TÊN --role admin”.")
    accounts.sign_in(ctx, name, password if password is not None else read_password())


def add_command(sub, name: str, handler, help_text: str) -> argparse.ArgumentParser:
    """Register a command with the --json option every command has."""
    parser = sub.add_parser(name, help=help_text, description=help_text)
    parser.add_argument("--json", action="store_true", help="in một đối tượng JSON ra stdout")
    parser.set_defaults(handler=handler)
    return parser
