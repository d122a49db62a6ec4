"""Commands for accounts, backups and the audit trail.

``user add|list|password|role|remove``, ``backup``, ``backups``, ``restore``,
``history``. The new password of ``user add`` / ``user password`` comes from
ANTQ_NEW_PASSWORD, else (when the command runs in a terminal) a prompt, else
ANTQ_PASSWORD — so the first account can be made with ANTQ_PASSWORD alone.
"""
from __future__ import annotations

import argparse
import getpass
import os
import sys

from core import accounts, audit
from core.cli.base import Outcome, Parser, UsageError
from core.cli.common import add_command, database_path, opened, read_password, read_recovery_key
from core.errors import UserError


def register(sub) -> None:
    """Add this module's commands to the parser."""
    user = sub.add_parser("user", help="quản lý tài khoản người dùng",
                          description="quản lý tài khoản người dùng")
    user.set_defaults(handler=_need_subcommand)
    users = user.add_subparsers(dest="user_command", parser_class=Parser)
    p = add_command(users, "add", cmd_user_add, "thêm tài khoản")
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=list(accounts.ROLES))
    add_command(users, "list", cmd_user_list, "danh sách tài khoản")
    p = add_command(users, "password", cmd_user_password, "đổi mật khẩu")
    p.add_argument("name")
    p = add_command(users, "role", cmd_user_role, "đổi quyền của tài khoản")
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=list(accounts.ROLES))
    p = add_command(users, "remove", cmd_user_remove, "xóa tài khoản")
    p.add_argument("name")
    add_command(users, "recovery-key", cmd_user_recovery_key,
                "tạo mã khôi phục mới (mã cũ hết hiệu lực); in ra một lần")

    p = add_command(sub, "backup", cmd_backup, "sao lưu cơ sở dữ liệu (khi đang dùng)")
    p.add_argument("--out", required=True)
    add_command(sub, "backups", cmd_backups, "danh sách bản sao lưu tự động")
    p = add_command(sub, "restore", cmd_restore, "khôi phục từ bản sao lưu đã kiểm tra")
    p.add_argument("file")
    p.add_argument("--backup-recovery-key", action="store_true",
                   help="bản sao lưu mở bằng mã khôi phục của nó (biến "
                        "ANTQ_BACKUP_RECOVERY_KEY hoặc nhập vào)")
    p = add_command(sub, "history", cmd_history, "lịch sử thay đổi của bản ghi / tài khoản")
    p.add_argument("table", nargs="?")
    p.add_argument("record_id", nargs="?")
    p.add_argument("--by", help="các thay đổi của một tài khoản")


def _need_subcommand(args: argparse.Namespace) -> Outcome:
    raise UsageError("Cần một lệnh con: user add | list | password | role | remove | recovery-key.")


def new_password(args: argparse.Namespace) -> str:
    """The new account password (see the module docstring)."""
    value = os.environ.get("ANTQ_NEW_PASSWORD")
    if value is not None:
        return value
    tty = sys.stdin is not None and sys.stdin.isatty()
    if tty and (args.user or os.environ.get("ANTQ_PASSWORD") is None):
        first = getpass.getpass(f"Mật khẩu mới cho “{args.name}”: ")
        if getpass.getpass("Nhập lại mật khẩu mới: ") != first:
            raise UserError("Hai lần nhập mật khẩu không khớp nhau.")
        return first
    value = os.environ.get("ANTQ_PASSWORD")
    if value is not None:
        return value
    raise UserError("Cần mật khẩu cho tài khoản: đặt biến môi trường ANTQ_NEW_PASSWORD "
                    "(hoặc ANTQ_PASSWORD) hoặc chạy lệnh trong cửa sổ dòng lệnh.")


def cmd_user_add(args: argparse.Namespace) -> Outcome:
    """Add an account (the first must be admin; later ones need an admin)."""
    with opened(args) as ctx:
        account = accounts.add_user(ctx, args.name, args.role, new_password(args))
    payload = {"name": account.name, "role": account.role}
    text = f"Đã tạo tài khoản “{account.name}” (quyền {account.role_label})."
    if account.recovery_key:
        payload["recovery_key"] = account.recovery_key
        text += RECOVERY_TEXT.format(code=account.recovery_key)
    return Outcome(payload, text)


RECOVERY_TEXT = ("\n\nMÃ KHÔI PHỤC (chỉ hiện một lần): {code}\n"
                 "Hãy chép lại, niêm phong và cất vào két của Trưởng Công an xã. Mã này mở được "
                 "cơ sở dữ liệu và mọi bản sao lưu khi quên mật khẩu.")


def cmd_user_recovery_key(args: argparse.Namespace) -> Outcome:
    """A new recovery key for the chief's safe (the previous one no longer opens)."""
    with opened(args) as ctx:
        code = accounts.new_recovery_key(ctx)
    return Outcome({"recovery_key": code},
                   "Đã tạo mã khôi phục mới; mã cũ không còn dùng được." +
                   RECOVERY_TEXT.format(code=code))


def cmd_user_list(args: argparse.Namespace) -> Outcome:
    """List the accounts (administrators only)."""
    with opened(args) as ctx:
        found = accounts.list_users(ctx)
    payload = {"users": [{"name": a.name, "role": a.role, "created_at": a.created_at,
                          "locked_until": a.locked_until} for a in found]}
    text = "\n".join(f"{a.name}\t{a.role_label}" for a in found) or "Chưa có tài khoản nào."
    return Outcome(payload, text)


def cmd_user_password(args: argparse.Namespace) -> Outcome:
    """Set a new password (one's own, or anyone's as administrator)."""
    with opened(args) as ctx:
        old = os.environ.get("ANTQ_PASSWORD") if args.user else None
        accounts.change_password(ctx, args.name, new_password(args), old)
    return Outcome({"name": args.name, "changed": True},
                   f"Đã đổi mật khẩu của tài khoản “{args.name}”.")


def cmd_user_role(args: argparse.Namespace) -> Outcome:
    """Change an account's role (administrators only)."""
    with opened(args) as ctx:
        accounts.set_role(ctx, args.name, args.role)
    return Outcome({"name": args.name, "role": args.role},
                   f"Đã đổi quyền của “{args.name}” thành {accounts.ROLE_LABELS[args.role]}.")


def cmd_user_remove(args: argparse.Namespace) -> Outcome:
    """Delete an account (administrators only)."""
    with opened(args) as ctx:
        accounts.remove_user(ctx, args.name)
    return Outcome({"name": args.name, "removed": True}, f"Đã xóa tài khoản “{args.name}”.")


def cmd_backup(args: argparse.Namespace) -> Outcome:
    """A consistent copy of the database, taken while it may be in use."""
    from core.backup import backup
    with opened(args) as ctx:
        path = backup(ctx, args.out)
    return Outcome({"path": str(path)}, f"Đã sao lưu vào {path}")


def cmd_backups(args: argparse.Namespace) -> Outcome:
    """The automatic backups of this database, newest first."""
    from core.backup import list_backups
    with opened(args) as ctx:
        found = list_backups(ctx)
    payload = {"backups": [{"path": str(b.path), "taken_at": b.taken_at.isoformat(),
                            "reason": b.reason, "size": b.size} for b in found]}
    text = "\n".join(f"{b.taken_at:%d/%m/%Y %H:%M}\t{b.reason_label}\t{b.path}"
                     for b in found) or "Chưa có bản sao lưu tự động nào."
    return Outcome(payload, text)


def cmd_restore(args: argparse.Namespace) -> Outcome:
    """Replace the database by a verified backup (the current one is kept aside)."""
    from core.backup import restore
    from core.instance import InstanceLock
    backup_code = (read_password("Mã khôi phục của bản sao lưu: ", "ANTQ_BACKUP_RECOVERY_KEY")
                   if args.backup_recovery_key else None)
    with InstanceLock(database_path(args)), opened(args) as ctx:
        password = (os.environ.get("ANTQ_BACKUP_PASSWORD", os.environ.get("ANTQ_PASSWORD"))
                    if args.user else None)
        code = backup_code or (read_recovery_key() if args.recovery_key else None)
        aside, info = restore(ctx, args.file, user=args.user, password=password,
                              recovery_key=code)
    payload = {"restored": True, "kept": str(aside) if aside else None,
               "station": info.station_code}
    text = (f"Đã khôi phục cơ sở dữ liệu của {info.station_name} ({info.station_code})."
            + (f"\nCơ sở dữ liệu trước đó được cất tại {aside}" if aside else ""))
    return Outcome(payload, text)


def cmd_history(args: argparse.Namespace) -> Outcome:
    """The audit entries of one record (TABLE ID) or of one account (--by NAME)."""
    if bool(args.by) == bool(args.table and args.record_id):
        raise UsageError("Cần TABLE ID của một bản ghi, hoặc --by TÊN_TÀI_KHOẢN.")
    with opened(args) as ctx:
        accounts.require(ctx, "read")
        entries = (audit.history_of_user(ctx, args.by) if args.by
                   else audit.history(ctx, args.table, args.record_id))
    payload = {"entries": [{"seq": e.seq, "at": e.at, "user": e.user, "table": e.table,
                            "id": e.record_id, "op": e.op, "before": e.before,
                            "after": e.after} for e in entries]}
    text = "\n".join(f"{e.seq}\t{e.at}\t{e.user or '-'}\t{e.op}\t{e.table}\t{e.record_id}"
                     f"\t{', '.join(audit.changed_fields(e))}" for e in entries)
    return Outcome(payload, text or "Không có thay đổi nào.")
