"""``settings set KEY VALUE`` / ``settings show``: values the documents print."""
from __future__ import annotations

import argparse
import re

from core.cli.base import Outcome
from core.cli.common import add_command, opened
from core.errors import UserError
from core.text import clean

_KEY = re.compile(r"^(doc|cert)\.[a-z0-9_.]+$")


def register(sub) -> None:
    """Add the settings command (with its two actions)."""
    p = add_command(sub, "settings", cmd_settings,
                    "cài đặt văn bản: người ký, địa danh, số văn bản, phôi in sẵn")
    actions = p.add_subparsers(dest="action", parser_class=type(p))
    s = actions.add_parser("set", help="đặt một giá trị")
    s.add_argument("key")
    s.add_argument("value")
    show = actions.add_parser("show", help="xem các giá trị đã đặt")
    for action in (s, show):  # --json also after the action (the parent's stays the default)
        action.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                            help="in một đối tượng JSON ra stdout")


def cmd_settings(args: argparse.Namespace) -> Outcome:
    """Set one document setting, or show them all."""
    from core.documents.common import SETTING_HELP
    with opened(args, write=args.action == "set") as ctx:
        if args.action is None:
            args.action = "show"
        if args.action == "set":
            key = clean(args.key)
            if not _KEY.match(key):
                raise UserError(f"Khóa “{key}” không hợp lệ: dùng doc.… hoặc cert.… "
                                "(xem “settings show”).")
            from core.documents.settings import setting_problem
            value = clean(args.value)
            if problem := setting_problem(value):
                raise UserError(f"Giá trị của {key} {problem} Chưa ghi gì.")
            ctx.set_setting(key, value)
        rows = ctx.db.execute("SELECT key, value FROM settings WHERE key LIKE 'doc.%'"
                              " OR key LIKE 'cert.%' ORDER BY key").fetchall()
        values = {key: ctx.setting(key) for key, _ in rows}
    if args.action == "set":
        return Outcome({"settings": values}, f"Đã ghi: {key} = {values.get(key, '')}")
    text = "\n".join(f"{k} = {v}" for k, v in values.items()) or "Chưa đặt giá trị nào."
    text += "\n\nCác khóa dùng được:\n" + "\n".join(f"  {k}: {v}" for k, v in SETTING_HELP.items())
    return Outcome({"settings": values}, text)
