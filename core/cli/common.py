"""Helpers shared by the command modules."""
from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from pathlib import Path

from core import db as dbmod
from core.station import Context, open_station


def database_path(args: argparse.Namespace) -> Path:
    """The database the command works on: --db, or the user's default."""
    return Path(args.db) if args.db else dbmod.default_path()


@contextlib.contextmanager
def opened(args: argparse.Namespace) -> Iterator[Context]:
    """Open the station database for one command and close it afterwards."""
    ctx = open_station(database_path(args))
    try:
        yield ctx
    finally:
        ctx.close()


def add_command(sub, name: str, handler, help_text: str) -> argparse.ArgumentParser:
    """Register a command with the --json option every command has."""
    parser = sub.add_parser(name, help=help_text, description=help_text)
    parser.add_argument("--json", action="store_true", help="in một đối tượng JSON ra stdout")
    parser.set_defaults(handler=handler)
    return parser
