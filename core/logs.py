"""Logging to a rotating file in the user's data folder (never personal data)."""
from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

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
        handler.setFormatter(logging.Formatter(
            "%(asctime)s %(levelname)s %(name)s [%(process)d]: %(message)s"))
        root.addHandler(handler)
        root.setLevel(os.environ.get("ANTQ_LOG_LEVEL", "INFO"))
    return path
