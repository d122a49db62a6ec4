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


def program_dir() -> Path:
    """The folder the program runs from (its sources or the installed bundle)."""
    return Path(__file__).resolve().parent.parent


def check_output(target: str | os.PathLike, database: str | os.PathLike) -> Path:
    """Refuse an output file that would overwrite the database or the program's folders.

    Never the database itself nor SQLite's ``-wal``, ``-shm`` and ``-journal`` beside it
    (nor its key files ``.keys`` and ``.oskey``),
    and nothing inside the data folder (database, logs, backups) or the program's
    folder. Returns *target* as given when it is allowed.
    """
    from core.errors import UserError
    wanted = Path(os.path.realpath(os.fspath(target)))
    db = Path(os.path.realpath(os.fspath(database)))
    if wanted in {db, *(Path(f"{db}{side}") for side in ("-wal", "-shm", "-journal", ".keys",
                                                         ".keys.new", ".oskey"))}:
        raise UserError(f"Không được ghi đè lên tệp cơ sở dữ liệu ({wanted.name}): hãy chọn "
                        "tên tệp khác.")
    for folder, label in ((Path(os.path.realpath(data_dir())), "thư mục dữ liệu"),
                          (program_dir(), "thư mục chương trình")):
        if wanted == folder or folder in wanted.parents:
            raise UserError(f"Không được ghi tệp vào {label} của chương trình ({folder}): "
                            "hãy chọn thư mục khác, ví dụ thư mục Tài liệu.")
    return Path(target)
