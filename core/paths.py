"""Where the program keeps its files: the user's data folder and the backups folder in it.

The bottom layer beside errors and text: it imports nothing of the project, so the
database, the log and the backups can all ask it without importing one another.
"""
from __future__ import annotations

import os
from pathlib import Path


def default_path() -> Path:
    """The default database in the user's data folder (created on first use)."""
    if os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    folder = Path(os.environ.get("ANTQ_DATA_DIR") or base / "ANTQ")
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "antq.sqlite3"


def data_dir() -> Path:
    """The user's data folder (database, logs, backups)."""
    return default_path().parent


def backups_dir() -> Path:
    """The folder of automatic backups in the user's data folder."""
    folder = data_dir() / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
