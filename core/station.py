"""The station: its identity (code, name, level, key pair) and the open session.

A :class:`Context` is what every service receives: the database, the store that
writes it, the station's identity and (once accounts exist) the signed-in user.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from core import accounts, audit, cipher, keyslots, rules
from core import db as dbmod
from core.context import Context, Station, fingerprint  # noqa: F401 - their old place
from core.errors import DatabaseError, PermissionDenied, UserError
from core.store import Store, now
from core.tempfiles import remove_stale_copies
from core.text import clean

if TYPE_CHECKING:   # sqlite-utils loads on first use (see core.db.LazyDatabase)
    from sqlite_utils import Database



def _load_station(db: Database) -> Station:
    row = db.execute(
        "SELECT code, name, level, parent_code, sign_public, box_public, official_code"
        " FROM station"
    ).fetchone()
    return Station(*row)


def validate_identity(level: str, code: str, name: str) -> tuple[str, str, str]:
    """Check and normalise the station's level, code and name."""
    level, code, name = clean(level), clean(code), clean(name)
    if level not in ("xa", "tinh"):
        raise UserError("Cấp đơn vị phải là “xa” (Công an xã) hoặc “tinh” (Công an tỉnh).")
    if problem := rules.station_code_problem(code):
        raise UserError(problem)
    if not name:
        raise UserError("Tên đơn vị không được để trống.")
    if problem := rules.text_problem(name):
        raise UserError(f"Tên đơn vị {problem}")
    return level, code, name


def official_identity(db: Database, level: str, code: str, name: str | None,
                      parent_code: str | None) -> tuple[str, str, str | None, str | None]:
    """(code, name, parent, official code) for a code of the official list, or a free one.

    A listed code gives the name and the parent province; an unlisted code needs
    a name (a training station, a unit created after the list).
    """
    from core import admin_units
    unit = admin_units.find(db, code, clean(level)) if clean(level) in ("xa", "tinh") else None
    if unit is None:
        if not clean(name):
            raise UserError(f"Mã “{clean(code)}” không có trong danh mục đơn vị hành chính "
                            "(2025); hãy kiểm tra lại mã, hoặc ghi tên đơn vị bằng --name "
                            "(đơn vị sẽ được đánh dấu “ngoài danh mục”).")
        return clean(code), clean(name), clean(parent_code) or None, None
    if unit.level == "xa" and clean(parent_code) and clean(parent_code) != unit.parent_code:
        raise UserError(f"{unit.name} thuộc tỉnh có mã {unit.parent_code}, không phải "
                        f"“{clean(parent_code)}”.")
    return unit.code, clean(name) or unit.station_name, unit.parent_code, unit.code


def init_station(path: Path | str, *, level: str, code: str, name: str | None = None,
                 parent_code: str | None = None) -> Context:
    """Create the database and the station's identity with a fresh key pair.

    *code* is looked up in the official list (see :func:`official_identity`).
    """
    # cryptography loads here, not when a station is opened (window start)
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    raw = (serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    raw_private = (serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                   serialization.NoEncryption())
    validate_identity(level, code, name or "-")
    sign_key = Ed25519PrivateKey.generate()
    box_key = X25519PrivateKey.generate()
    existed = Path(path).exists()
    if existed and dbmod.holds_station(path):
        raise UserError(f"Cơ sở dữ liệu “{path}” đã được khởi tạo trước đó.")
    key = keyslots.new_key()
    try:
        _keep_for_os_user(path, key)     # before the file: a kill leaves it openable
        db = dbmod.create(path, key)
    except UserError:
        raise
    except Exception:
        if not existed:
            Path(path).unlink(missing_ok=True)
        raise
    try:
        code, name, parent_code, official = official_identity(db, level, code, name,
                                                              parent_code)
        level, code, name = validate_identity(level, code, name)
    except UserError:
        db.close()
        if not existed:
            Path(path).unlink(missing_ok=True)
        raise
    with db.atomic():
        db.execute(
            "INSERT INTO station (singleton, code, name, level, parent_code, created_at,"
            " sign_private, sign_public, box_private, box_public, official_code)"
            " VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [code, name, level, parent_code, now(),
             sign_key.private_bytes(*raw_private),
             sign_key.public_key().public_bytes(*raw),
             box_key.private_bytes(*raw_private),
             box_key.public_key().public_bytes(*raw), official])
        audit.note(db, "", "station", audit.STATION_ID, None)
    cipher.remember(path, key)
    return _context(db, path)


def _keep_for_os_user(path: Path | str, key: bytes) -> None:
    """New key slots for a station without accounts: the key kept for the OS user."""
    slots = keyslots.KeySlots(Path(f"{path}.keys"))
    slots.set_os_user(key, path)
    slots.save()


OFFICIAL_ASKED = "station.official_asked"


def needs_official_entry(ctx: Context) -> bool:
    """True for a station with a free code that was not yet asked to pick its list entry."""
    return not ctx.station.listed and not ctx.setting(OFFICIAL_ASKED, False)


def adopt_official(ctx: Context, code: str | None) -> Station:
    """Link a station set up with a free code to its entry of the official list.

    The station keeps its code (its records and the province's pinned key use
    it); its name becomes the official one and it is no longer unlisted.
    ``None`` records the answer "not in the list" so the question is not asked
    again. Needs an administrator once accounts exist.
    """
    from core import accounts, admin_units
    if ctx.accounts_exist:
        accounts.require(ctx, "admin")
    unit = admin_units.find(ctx.db, code, ctx.station.level) if code else None
    if code and unit is None:
        raise UserError(f"Mã “{code}” không có trong danh mục đơn vị hành chính ở cấp này.")
    with ctx.db.atomic():
        before = audit.tracked_snapshot(ctx.db, "station", audit.STATION_ID)
        asked = audit.tracked_snapshot(ctx.db, "settings", OFFICIAL_ASKED)
        if unit is not None:
            ctx.db.execute("UPDATE station SET official_code = ?, name = ?,"
                           " parent_code = COALESCE(?, parent_code)",
                           [unit.code, unit.station_name, unit.parent_code])
        ctx.db.execute("INSERT INTO settings (key, value) VALUES (?, 'true')"
                       " ON CONFLICT(key) DO UPDATE SET value = 'true'", [OFFICIAL_ASKED])
        audit.note(ctx.db, ctx.user or "", "station", audit.STATION_ID, before)
        audit.note(ctx.db, ctx.user or "", "settings", OFFICIAL_ASKED, asked)
    ctx.station = _load_station(ctx.db)
    return ctx.station


LOCKED = ("Cần đăng nhập để xem dữ liệu (dòng lệnh: --user TÊN, mật khẩu trong biến "
          "ANTQ_PASSWORD; hoặc --recovery-key với mã khôi phục).")
RECOVERY_USER = "(mã khôi phục)"


def open_station(path: Path | str, *, user: str | None = None, password: str | None = None,
                 recovery_key: str | None = None) -> Context:
    """Open an existing station database (an automatic backup first if it must migrate).

    The database is encrypted (:mod:`core.cipher`): its key is unwrapped from the
    slot of *user* with *password*, or with *recovery_key*, or (a station without
    accounts) with the OS user's key file; a key this process already unlocked
    needs nothing. A database made before encryption is converted first
    (:func:`core.encrypt.convert`). Nobody is signed in yet: the caller signs in.
    Copies a killed restore left next to it are removed first.
    """
    remove_stale_copies(Path(path).parent, Path(path).stem)  # .<stem>.truoc-khoi-phuc… too
    if not Path(path).is_file() or Path(path).stat().st_size == 0:
        dbmod.open_existing(path)                             # its message
    recovery_code = None
    if cipher.is_plain(path):
        from core.encrypt import convert
        key, recovery_code = convert(path, user, password)
        how = ("account", (user or "").lower())
    else:
        key, how = unlock(path, user=user, password=password, recovery_key=recovery_key)
    db = dbmod.open_existing(path, key=key, before_migration=lambda db: (
        _backup_before_migration(db, path)))
    db.unlocked_by = how
    cipher.remember(path, key)
    ctx = _context(db, path)
    # a conversion signed in by an administrator made the recovery key: to be shown
    # once, by the caller, to that administrator (core.encrypt.convert)
    ctx.new_recovery_key = recovery_code
    return ctx


def unlock(path: Path | str, *, user: str | None = None, password: str | None = None,
           recovery_key: str | None = None) -> tuple[bytes, tuple[str, str]]:
    """The key of the encrypted database at *path*, and how it was unlocked."""
    slots = keyslots.KeySlots.for_database(path)
    if recovery_key:
        return slots.unlock_recovery(recovery_key), ("recovery", "")
    if user and password is not None and slots.sign_in_slot(user.strip()) is not None:
        kind = slots.sign_in_slot(user.strip()).kind       # "account" or "pending"
        return _unlock_account(slots, user.strip(), password), (kind, user.strip().lower())
    key = cipher.known_key(path)
    if key is not None:
        return key, ("known", "")
    if slots.has_os_user(path):
        return slots.unlock_os_user(path), ("os", "")
    if not slots.path.exists():
        raise DatabaseError(f"Tệp “{path}” không phải là cơ sở dữ liệu của chương trình hoặc "
                            f"đã bị hỏng (hoặc thiếu tệp khóa “{slots.path.name}” đi kèm).")
    if user and password is not None:
        raise accounts.AuthError(accounts.WRONG)
    raise PermissionDenied(LOCKED)


def _unlock_account(slots: keyslots.KeySlots, name: str, password: str) -> bytes:
    """The key from account *name*'s slot, with the accounts' lock-out.

    Before the database is open the failure counter cannot live in it: it is kept in
    the slot (5 wrong passwords in a row lock the slot for 5 minutes, as a sign-in
    on an open station does). Whoever can write the slots file can reset it, but such
    a person can try passwords against the file directly anyway: the counter is for
    the sign-in screen, scrypt for the file.
    """
    import datetime as dt
    slot = slots.sign_in_slot(name)      # a pending slot (after a conversion) too
    now = dt.datetime.now(dt.timezone.utc)
    if slot.locked_until and dt.datetime.fromisoformat(slot.locked_until) > now:
        raise accounts.AuthError(accounts._locked_message(slot.name, slot.locked_until))
    try:
        key = slots.unlock_sign_in(name, password)
    except UserError:
        slot.failed += 1
        locked = slot.failed >= accounts.MAX_FAILED
        if locked:
            slot.failed = 0
            slot.locked_until = (now + dt.timedelta(minutes=accounts.LOCK_MINUTES)).isoformat(
                timespec="seconds")
        slots.save()
        if locked:
            raise accounts.AuthError(f"Sai mật khẩu {accounts.MAX_FAILED} lần: tài khoản bị "
                                     f"khóa {accounts.LOCK_MINUTES} phút.") from None
        raise accounts.AuthError(accounts.WRONG) from None
    if slot.failed or slot.locked_until:
        slot.failed, slot.locked_until = 0, ""
        slots.save()
    return key


def needs_sign_in(path: Path | str) -> bool:
    """True when the station at *path* opens only with an account (or the recovery key).

    The window asks for the name and password before it opens such a station.
    """
    path = Path(path)
    if not path.is_file():
        return False
    if cipher.is_plain(path):
        from core.encrypt import plain_has_accounts
        return plain_has_accounts(path)
    if cipher.known_key(path) is not None:
        return False
    try:
        slots = keyslots.KeySlots.for_database(path)
    except UserError:
        return True
    return slots.path.exists() and not slots.has_os_user(path)


def _backup_before_migration(db: Database, path: Path | str) -> None:
    """An automatic backup before the schema of an existing database changes."""
    from core.backup import auto_backup
    code = db.execute("SELECT code FROM station").fetchone()[0]
    auto_backup(db.conn, path, code, "migration", key=db.key)


def _context(db: Database, path: Path | str) -> Context:
    station = _load_station(db)
    ctx = Context(db=db, store=Store(db, station.code), station=station, path=Path(path))
    audit.attach(ctx, accounts.require)
    return ctx
