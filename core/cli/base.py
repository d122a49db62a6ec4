"""The small pieces every command module shares: exit codes, the outcome of a command,
the Vietnamese argument parser and the progress printer.

They live here, below the command modules, so that ``core.cli`` (which registers those
modules) and the modules themselves import in one direction only; ``core.cli`` re-exports
them under their old names.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3


@dataclass
class Outcome:
    """What a command produced: the JSON payload and a text for people."""

    payload: dict
    text: str = ""
    exit_code: int = EXIT_OK
    messages: list[str] = field(default_factory=list)


class UsageError(Exception):
    """The command line itself is wrong."""


# argparse's own messages (Python 3.11), in the order they nest: “argument X: …” wraps the rest.
_ARGPARSE = [
    (re.compile(r"^argument (.+?): (.*)$", re.S), r"tùy chọn \1: \2"),
    (re.compile(r"invalid choice: (.+?) \(choose from (.+)\)$"), r"giá trị \1 không có trong danh sách (chọn một trong: \2)"),
    (re.compile(r"invalid int value: (.+)$"), r"giá trị \1 không hợp lệ (cần một số nguyên)"),
    (re.compile(r"invalid float value: (.+)$"), r"giá trị \1 không hợp lệ (cần một số)"),
    (re.compile(r"invalid \w+ value: (.+)$"), r"giá trị \1 không hợp lệ"),
    (re.compile(r"^expected one argument$"), "thiếu giá trị"),
    (re.compile(r"^expected at least one argument$"), "cần ít nhất một giá trị"),
    (re.compile(r"^not allowed with argument (.+)$"), r"không dùng cùng với \1"),
    (re.compile(r"^the following arguments are required: (.+)$"), r"thiếu: \1"),
    (re.compile(r"^one of the arguments (.+) is required$"), r"cần một trong các tùy chọn \1"),
    (re.compile(r"^unrecognized arguments: (.+)$"), r"không hiểu: \1"),
    (re.compile(r"^ambiguous option: (.+?) could match (.+)$"), r"tùy chọn \1 không rõ: có thể là \2"),
]


def vietnamese_usage(message: str) -> str:
    """argparse's English complaint in Vietnamese (the names of options stay as typed)."""
    head, rest = "", message
    match = _ARGPARSE[0][0].match(message)
    if match:
        head, rest = f"tùy chọn {match.group(1)}: ", match.group(2)
    for pattern, replacement in _ARGPARSE[1:]:
        if pattern.search(rest):
            return head + pattern.sub(replacement, rest)
    return head + rest


class Parser(argparse.ArgumentParser):
    """argparse that reports mistakes in Vietnamese and never exits by itself."""

    def error(self, message: str):  # noqa: D102 - argparse hook
        raise UsageError(f"Lệnh không đúng cú pháp: {vietnamese_usage(message)}. "
                         f"Xem “python main.py --help”.")


def progress_printer(label: str) -> Callable[[int, int], bool] | None:
    """A progress callback writing to stderr when it is a terminal."""
    if not sys.stderr.isatty():
        return None

    def report(done: int, total: int) -> bool:
        percent = 100 * done // total if total else 100
        sys.stderr.write(f"\r{label}… {percent}%")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()
        return True
    return report
