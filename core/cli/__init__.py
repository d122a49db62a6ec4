"""The headless interface (see docs/cli.md): parse, run one command, exit.

Exit codes: 0 done; 1 input or state refused (nothing changed); 2 the command
line is wrong; 3 a bug (logged with its traceback, database unchanged).
"""
from __future__ import annotations

import json
import logging
import os
import sys

from core.cli.base import (EXIT_BUG, EXIT_OK, EXIT_REFUSED, EXIT_USAGE, Outcome,  # noqa: F401
                           Parser, UsageError, progress_printer)
from core.errors import UserError
from core.failures import explain_failure

log = logging.getLogger(__name__)


def build_parser() -> Parser:
    """The full command-line parser, with every command module registered."""
    from core.cli import commands
    parser = Parser(prog="main.py", description="Phong trào toàn dân bảo vệ ANTQ")
    parser.add_argument("--db", help="tệp cơ sở dữ liệu (mặc định: thư mục dữ liệu người dùng)")
    parser.add_argument("--user", help="tên tài khoản (mật khẩu lấy từ ANTQ_PASSWORD)")
    parser.add_argument("--recovery-key", action="store_true",
                        help="mở cơ sở dữ liệu bằng mã khôi phục (lấy từ biến "
                             "ANTQ_RECOVERY_KEY hoặc nhập vào), ví dụ khi quên mật khẩu")
    sub = parser.add_subparsers(dest="command", parser_class=Parser)
    for module in commands.MODULES:
        module.register(sub)
    return parser


def run(argv: list[str]) -> int:
    """Run one command line; return the exit code."""
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    from core.cli.common import take_session_notes
    take_session_notes()
    try:
        outcome = args.handler(args)
    except UserError as exc:
        notes, extra = take_session_notes()
        for message in notes:
            print(message, file=sys.stderr)
        print(f"Lỗi: {exc}", file=sys.stderr)
        if getattr(args, "json", False):
            print(json.dumps({"error": str(exc), **extra}, ensure_ascii=False))
        return EXIT_REFUSED
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        _print_notes()
        print("Đã dừng theo yêu cầu; dữ liệu không thay đổi.", file=sys.stderr)
        return EXIT_REFUSED
    except Exception as exc:  # a bug, unless a busy database or a full disk
        _print_notes()           # a recovery key just made must not be lost
        refusal = explain_failure(exc, args.db)
        if refusal:
            print(f"Lỗi: {refusal}", file=sys.stderr)
            if getattr(args, "json", False):
                print(json.dumps({"error": refusal}, ensure_ascii=False))
            return EXIT_REFUSED
        from core.logs import setup_logging
        log_file = setup_logging()      # first: else the traceback goes to the screen
        log.exception("command %s failed", args.command)
        print("Lỗi nội bộ của chương trình; dữ liệu không thay đổi. Chi tiết đã được "
              f"ghi vào {log_file}. Hãy gửi tệp này cho bộ phận hỗ trợ.",
              file=sys.stderr)
        return EXIT_BUG
    notes, extra = take_session_notes()
    try:
        for message in [*notes, *outcome.messages]:
            print(message, file=sys.stderr)
        if getattr(args, "json", False):
            payload = outcome.payload
            if extra and isinstance(payload, dict):
                payload = {**payload, **extra}
            print(json.dumps(payload, ensure_ascii=False))
        elif outcome.text:
            print(outcome.text)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader stopped early (``| head``): the work is done, nothing to say.
        # Point stdout at devnull so that the interpreter's final flush is quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return outcome.exit_code


def _print_notes() -> None:
    """The opening's messages (see core.cli.common.take_session_notes) on stderr."""
    from core.cli.common import take_session_notes
    for message in take_session_notes()[0]:
        print(message, file=sys.stderr)
