"""The station: its identity (code, name, level, key pair) and the open session.

A :class:`Context` is what every service receives: the database, the store that
writes it, the station's identity and (once accounts exist) the signed-in user.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from core import accounts, audit
from core import db as dbmod
from core.context import Context, Station, fingerprint  # noqa: F401 - their old place
from core.errors import UserError
from core.store import Store, now
from core.tempfiles import remove_stale_copies
from core.text import clean

if TYPE_CHECKING:   # sqlite-utils loads on first use (see core.db.LazyDatabase)
    from sqlite_utils import Database

_CODE = re.compile(r"^[A-Za-z0-9_.\-]{1,32}$")


def _load_station(db: Database) -> Station:
    row = db.execute(
        "SELECT code, name, level, parent_code, sign_public, box_public FROM station"
    ).fetchone()
    return Station(*row)


def validate_identity(level: str, code: str, name: str) -> tuple[str, str, str]:
    """Check and normalise the station's level, code and name."""
    level, code, name = clean(level), clean(code), clean(name)
    if level not in ("xa", "tinh"):
        raise UserError("Cấp đơn vị phải là “xa” (Công an xã) hoặc “tinh” (Công an tỉnh).")
    if not _CODE.match(code):
        raise UserError("Mã đơn vị chỉ gồm chữ không dấu, chữ số, “_”, “-”, “.” "
                        "(tối đa 32 ký tự).")
    if not name:
        raise UserError("Tên đơn vị không được để trống.")
    return level, code, name


def init_station(path: Path | str, *, level: str, code: str, name: str,
                 parent_code: str | None = None) -> Context:
    """Create the database and the station's identity with a fresh key pair."""
    # cryptography loads here, not when a station is opened (window start)
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    raw = (serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    raw_private = (serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                   serialization.NoEncryption())
    level, code, name = validate_identity(level, code, name)
    sign_key = Ed25519PrivateKey.generate()
    box_key = X25519PrivateKey.generate()
    existed = Path(path).exists()
    try:
        db = dbmod.create(path)
    except UserError:
        raise
    except Exception:
        if not existed:
            Path(path).unlink(missing_ok=True)
        raise
    with db.atomic():
        db.execute(
            "INSERT INTO station (singleton, code, name, level, parent_code, created_at,"
            " sign_private, sign_public, box_private, box_public)"
            " VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [code, name, level, clean(parent_code) or None, now(),
             sign_key.private_bytes(*raw_private),
             sign_key.public_key().public_bytes(*raw),
             box_key.private_bytes(*raw_private),
             box_key.public_key().public_bytes(*raw)])
    return _context(db, path)


def open_station(path: Path | str) -> Context:
    """Open an existing station database (an automatic backup first if it must migrate).

    Copies a killed restore left next to it are removed first.
    """
    remove_stale_copies(Path(path).parent, Path(path).stem)  # .<stem>.truoc-khoi-phuc… too
    return _context(dbmod.open_existing(path, before_migration=lambda db: (
        _backup_before_migration(db, path))), path)


def _backup_before_migration(db: Database, path: Path | str) -> None:
    """An automatic backup before the schema of an existing database changes."""
    from core.backup import auto_backup
    code = db.execute("SELECT code FROM station").fetchone()[0]
    auto_backup(db.conn, path, code, "migration")


def _context(db: Database, path: Path | str) -> Context:
    station = _load_station(db)
    ctx = Context(db=db, store=Store(db, station.code), station=station, path=Path(path))
    audit.attach(ctx, accounts.require)
    return ctx
