"""The small pieces every command module shares: exit codes, the outcome of a command,
the Vietnamese argument parser and the progress printer.

They live here, below the command modules, so that ``core.cli`` (which registers those
modules) and the modules themselves import in one direction only; ``core.cli`` re-exports
them under their old names.
"""
from __future__ import annotations

import argparse
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


class Parser(argparse.ArgumentParser):
    """argparse that reports mistakes in Vietnamese and never exits by itself."""

    def error(self, message: str):  # noqa: D102 - argparse hook
        raise UsageError(f"Lệnh không đúng cú pháp: {message}. "
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
