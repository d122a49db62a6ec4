"""The open session: the station's identity and who is using its database.

:class:`Station` and :class:`Context` live here, below the accounts, the audit trail's
readers and the backups, which all take a context; :mod:`core.station` (which opens and
creates stations) re-exports them under their old names.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from core import cipher, files

if TYPE_CHECKING:   # sqlite-utils loads on first use (see core.db.LazyDatabase)
    from sqlite_utils import Database

    from core.store import Store


def accounts_exist(db) -> bool:
    """True when at least one account exists (then writes need a signed-in user)."""
    try:
        return db.execute("SELECT EXISTS (SELECT 1 FROM users)").fetchone()[0] == 1
    except cipher.OperationalError as exc:  # a database before migration 0003
        if "no such table" in str(exc):
            return False
        raise


@dataclass(frozen=True)
class Station:
    """The identity of the station that owns this database."""

    code: str
    name: str
    level: str
    parent_code: str | None
    sign_public: bytes
    box_public: bytes
    official_code: str | None = None

    @property
    def listed(self) -> bool:
        """True when the station is an entry of the official list of administrative units."""
        return self.official_code is not None

    @property
    def display_name(self) -> str:
        """The name as shown in headers: an unlisted station says so."""
        return self.name if self.listed else f"{self.name} (ngoài danh mục)"

    @property
    def fingerprint(self) -> str:
        """A short, human-comparable fingerprint of the station's public keys."""
        return fingerprint(self.sign_public, self.box_public)


def fingerprint(sign_public: bytes, box_public: bytes) -> str:
    """SHA-256 of both public keys, first 20 bytes, in groups of four hex digits."""
    digest = hashlib.sha256(sign_public + box_public).hexdigest()[:40].upper()
    return " ".join(digest[i:i + 4] for i in range(0, 40, 4))


@dataclass
class Context:
    """An open station database and who is using it."""

    db: Database
    store: Store
    station: Station
    path: Path | None = None
    user: str | None = None
    role: str | None = None
    # the recovery key a conversion signed in by an administrator just made, to be
    # shown once to that administrator (core.encrypt.convert); None otherwise
    new_recovery_key: str | None = None
    # Called inside the transaction of set_setting with (key, {"key", "value"} before
    # or None): the audit trail's entry (core.audit.attach).
    setting_hooks: list[Callable[[str, dict | None], None]] = field(default_factory=list)

    @property
    def accounts_exist(self) -> bool:
        """True once an account exists: then writes need a signed-in user."""
        return accounts_exist(self.db)

    def __post_init__(self) -> None:
        if self.path is not None:
            files.protect(self.path)    # no output may be written onto the open database

    @property
    def closed(self) -> bool:
        """True once :meth:`close` ran (a late timer of a closed window finds it so)."""
        return getattr(self, "_closed", False)

    def close(self) -> None:
        """Close the database connection."""
        if self.path is not None and not self.closed:
            files.unprotect(self.path)
        self._closed = True
        self.db.close()

    def setting(self, key: str, default: object = None) -> object:
        """A stored setting (JSON value), or *default*."""
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return json.loads(row[0]) if row else default

    def set_setting(self, key: str, value: object) -> None:
        """Store a setting (JSON value) in its own transaction (audited, see setting_hooks)."""
        with self.db.atomic():
            row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
            before = {"key": key, "value": row[0]} if row else None
            self.db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key)"
                " DO UPDATE SET value = excluded.value",
                [key, json.dumps(value, ensure_ascii=False)])
            for hook in self.setting_hooks:
                hook(key, before)
