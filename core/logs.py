"""Logging to a rotating file in the user's data folder (never personal data)."""
from __future__ import annotations

import logging
import logging.handlers
import os
import traceback
from pathlib import Path

from core import cipher
from core.paths import data_dir


def setup_logging() -> Path:
    """Send log records to ``antq.log`` (1 MB × 5 files); return its path."""
    folder = data_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "antq.log"
    root = logging.getLogger()
    if not any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
        handler.setFormatter(ScrubbingFormatter(
            "%(asctime)s %(levelname)s %(name)s [%(process)d]: %(message)s"))
        root.addHandler(handler)
        root.setLevel(os.environ.get("ANTQ_LOG_LEVEL", "INFO"))
    return path


HIDDEN = "<nội dung ẩn>"


def scrub_exception(exc: BaseException) -> str:
    """The kind of *exc* and, only where it cannot hold a cell's value, its message.

    SQLite's own messages name tables and columns, never values; an operating
    system error keeps its error text but not the file name (a folder can be
    named after a person). Every other message may quote what was typed or read
    (``IllegalCharacterError: Lê Thị … cannot be used``) and is left out.
    """
    kind = type(exc).__qualname__
    if isinstance(exc, cipher.Error):
        return f"{kind}: {exc}"
    if isinstance(exc, OSError) and exc.strerror:
        return f"{kind}: [errno {exc.errno}] {exc.strerror}"
    return f"{kind}: {HIDDEN}"


class ScrubbingFormatter(logging.Formatter):
    """A formatter that keeps tracebacks (files, lines, functions) but no personal data.

    Exception messages are scrubbed (:func:`scrub_exception`), in the traceback
    and wherever an exception is passed as an argument of the message.
    """

    def format(self, record: logging.LogRecord) -> str:
        if isinstance(record.args, tuple) and any(
                isinstance(a, BaseException) for a in record.args):
            record.args = tuple(scrub_exception(a) if isinstance(a, BaseException) else a
                                for a in record.args)
        record.exc_text = None      # another handler may have cached the raw traceback
        return super().format(record)

    def formatException(self, ei) -> str:  # noqa: N802 (logging's name)
        _, exc, tb = ei
        lines: list[str] = []
        seen: set[int] = set()
        while exc is not None and id(exc) not in seen:
            seen.add(id(exc))
            frames = traceback.format_list(traceback.extract_tb(tb or exc.__traceback__))
            lines[:0] = ["Traceback (most recent call last):\n", *frames,
                         scrub_exception(exc) + "\n"]
            exc, tb = exc.__cause__ or exc.__context__, None
            if exc is not None:
                lines[:0] = ["\n(nguyên nhân trước đó:)\n"]
        return "".join(lines).rstrip("\n")
