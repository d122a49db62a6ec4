"""The province's register of communes: every commune of the province from the
official list, plus any commune that has sent a package.

For each commune it tells whether its key is pinned (enrolled), the key's
fingerprint, the last package and the last day of data it covered. The province
can note a commune's fingerprint read out by phone or written in an official
letter before its first file (that file is then verified against it), and can
revoke a commune's key (a stolen PC): the key is unpinned, a file signed with the
revoked key is refused (``revoked_key``) unless that same fingerprint is noted
again, and the next file, signed with the new key, is pinned on confirmation (or
by a noted fingerprint).

Every change to the register is audited (table ``commune_register``, by the
signed-in user; migration 0022 wrote the baseline of the lines it found), so a
fingerprint noted behind the program's back is reported by ``check`` and refused
by the import (``tampered_key``).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from core import admin_units, audit
from core.accounts import require
from core.errors import UserError
from core.exchange import ledger
from core.station import Context, Station
from core.store import now
from core.text import clean


TABLE = "commune_register"


@dataclass(frozen=True)
class RegisteredCommune:
    """One line of the register."""

    code: str
    name: str
    listed: bool
    enrolled: bool
    fingerprint: str | None
    expected_fingerprint: str | None
    revoked_at: str | None
    last_sequence: int
    last_imported_at: str | None
    last_created_at: str | None
    last_period_to: str | None
    # the number of the last entry of the commune's audit trail in its last package
    # (its head, kept with the MAC in import_log and confirmed in the receipts)
    last_audit_seq: int | None = None

    def to_json(self) -> dict:
        """The contract's keys (cli.md ``communes``) and a few more."""
        return asdict(self)


def _need_province(station: Station) -> None:
    if station.level != "tinh":
        raise UserError("Sổ theo dõi các xã chỉ dùng ở Công an tỉnh.")


def register(ctx: Context) -> list[RegisteredCommune]:
    """Every commune of the register, listed ones by name first, then the others."""
    _need_province(ctx.station)
    province = ctx.station.official_code
    listed = admin_units.communes(ctx.db, province) if province else []
    peers = {p.code: p for p in ledger.peers(ctx.db, "xa")}
    notes = {r[0]: r[1:] for r in ctx.db.execute(
        "SELECT code, expected_fingerprint, revoked_at FROM commune_register")}
    last = {r[0]: r[1:] for r in ctx.db.execute(
        "SELECT sender, MAX(sequence), MAX(imported_at), MAX(created_at), MAX(period_to)"
        " FROM import_log"
        " WHERE kind = 'up' GROUP BY sender")}
    heads = dict(ctx.db.execute(
        "SELECT sender, audit_seq FROM import_log WHERE id IN (SELECT MAX(id) FROM import_log"
        " WHERE kind = 'up' AND audit_seq IS NOT NULL GROUP BY sender)").fetchall())
    rows = [_line(u.code, u.name, True, peers, notes, last) for u in listed]
    codes = {u.code for u in listed}
    for code in sorted(set(peers) | set(last) | set(notes)):
        if code not in codes:
            unit = admin_units.get(ctx.db, code)
            name = peers[code].name if code in peers else (unit.name if unit else code)
            rows.append(_line(code, name, False, peers, notes, last))
    return [replace(r, last_audit_seq=heads.get(r.code)) for r in rows]


def _line(code, name, listed, peers, notes, last) -> RegisteredCommune:
    peer = peers.get(code)
    expected, revoked_at = notes.get(code, (None, None))
    sequence, imported_at, created_at, period_to = last.get(code, (0, None, None, None))
    return RegisteredCommune(
        code=code, name=name, listed=listed, enrolled=peer is not None,
        fingerprint=peer.fingerprint if peer else None, expected_fingerprint=expected,
        revoked_at=revoked_at, last_sequence=sequence or 0, last_imported_at=imported_at,
        last_created_at=created_at, last_period_to=period_to)


def normalise_fingerprint(text: str) -> str:
    """"ab12cd34…" or "AB12 CD34 …" -> "AB12 CD34 …" (40 hex digits)."""
    digits = "".join(ch for ch in clean(text).upper() if not ch.isspace() and ch != "-")
    if len(digits) != 40 or any(ch not in "0123456789ABCDEF" for ch in digits):
        raise UserError("Dấu vân tay gồm 40 chữ số hệ 16 (0-9, A-F), thường viết thành "
                        "10 nhóm 4 ký tự.")
    return " ".join(digits[i:i + 4] for i in range(0, 40, 4))


def note_fingerprint(ctx: Context, code: str, fingerprint: str, source: str = "") -> str:
    """Record the fingerprint a commune read out before its first file (needs an editor)."""
    _need_province(ctx.station)
    require(ctx, "edit")
    code, value = clean(code), normalise_fingerprint(fingerprint)
    known = {c.code for c in register(ctx)}
    unit = admin_units.get(ctx.db, code)
    if code not in known and unit is not None:      # a listed unit of another province
        raise UserError(f"Mã “{code}” ({unit.name}) không có trong sổ theo dõi của tỉnh.")
    if not code:
        raise UserError("Cần mã xã.")
    peer = ledger.get_peer(ctx.db, code)
    if peer is not None:
        raise UserError(f"Xã {code} đã được ghi nhận khóa ({peer.fingerprint}). Nếu máy của "
                        "xã bị mất hoặc thay khóa, hãy thu hồi khóa cũ trước.")
    with ctx.db.atomic():
        before = audit.tracked_snapshot(ctx.db, TABLE, code)
        ctx.db.execute(
            "INSERT INTO commune_register (code, expected_fingerprint, expected_noted_at,"
            " expected_source) VALUES (?, ?, ?, ?) ON CONFLICT(code) DO UPDATE SET"
            " expected_fingerprint = excluded.expected_fingerprint,"
            " expected_noted_at = excluded.expected_noted_at,"
            " expected_source = excluded.expected_source",
            [code, value, now(), clean(source)])
        audit.note(ctx.db, ctx.user or "", TABLE, code, before)
    return value


def revoke(ctx: Context, code: str, reason: str = "") -> str:
    """Unpin a commune's key (a stolen PC); returns the revoked fingerprint (needs an editor).

    The unpinning is audited (table ``peers``, op ``delete``, by the signed-in user).
    """
    _need_province(ctx.station)
    require(ctx, "edit")
    code = clean(code)
    peer = ledger.get_peer(ctx.db, code)
    if peer is None:
        raise UserError(f"Xã {code} chưa có khóa được ghi nhận; không có gì để thu hồi.")
    with ctx.db.atomic():
        ledger.unpin(ctx.db, code, ctx.user)
        before = audit.tracked_snapshot(ctx.db, TABLE, code)
        ctx.db.execute(
            "INSERT INTO commune_register (code, revoked_fingerprint, revoked_at,"
            " revoked_reason) VALUES (?, ?, ?, ?) ON CONFLICT(code) DO UPDATE SET"
            " revoked_fingerprint = excluded.revoked_fingerprint,"
            " revoked_at = excluded.revoked_at, revoked_reason = excluded.revoked_reason,"
            " expected_fingerprint = NULL",
            [code, peer.fingerprint, now(), clean(reason)])
        audit.note(ctx.db, ctx.user or "", TABLE, code, before)
    return peer.fingerprint


def expected_fingerprint(ctx: Context, code: str) -> str | None:
    """The fingerprint noted for a commune not yet enrolled, or None."""
    row = ctx.db.execute("SELECT expected_fingerprint FROM commune_register WHERE code = ?",
                         [code]).fetchone()
    return row[0] if row else None


def revoked_fingerprint(ctx: Context, code: str) -> str | None:
    """The last key revoked for a commune: a file signed with it is refused until the
    province notes that fingerprint again."""
    row = ctx.db.execute("SELECT revoked_fingerprint FROM commune_register WHERE code = ?",
                         [code]).fetchone()
    return row[0] if row else None


def forget_expected(ctx: Context, code: str) -> None:
    """Clear the noted fingerprint once the key is pinned (inside the caller's transaction)."""
    before = audit.tracked_snapshot(ctx.db, TABLE, code)
    ctx.db.execute("UPDATE commune_register SET expected_fingerprint = NULL WHERE code = ?",
                   [code])
    audit.note(ctx.db, ctx.user or "", TABLE, code, before)


def register_intact(ctx: Context, code: str) -> bool:
    """True when the commune's line of the register matches its last audit entry
    (a fingerprint noted, changed or removed behind the program's back makes it False)."""
    return audit.tracked_intact(ctx.db, TABLE, code)
