"""Integrity checks of a station database (the ``check`` command).

Besides the file itself and its references, the audit trail is checked twice:
inside (its keyed chain, and every record against its last entry, see
:func:`core.audit.verify`) and against the heads of the chain recorded outside
it. An entry at or before such a head that is missing or changed means the trail
was cut or rewritten behind the program's back. The heads:

- the head confirmed by the province in its receipt (the strongest: kept at the
  province, out of reach of whoever has this file);
- the head inside each automatic backup of this database;
- the head each package carried, as the export log recorded it.

A restore from a backup writes a ``restore`` entry into the restored trail: the
heads taken before it beyond the point the backup reached are the history the
restore left behind, and are not held against the trail.
"""
from __future__ import annotations

import datetime as dt

from core import audit, backup
from core.station import Context


def check_database(ctx: Context) -> list[str]:
    """Problems found, in Vietnamese (empty when the database is sound)."""
    problems = []
    for (line,) in ctx.db.execute("PRAGMA integrity_check").fetchall():
        if line != "ok":
            problems.append(f"Tệp cơ sở dữ liệu bị hỏng: {line}")
    for table, rowid, parent, _ in ctx.db.execute("PRAGMA foreign_key_check").fetchall():
        problems.append(f"Bảng {table} (dòng {rowid}) tham chiếu tới {parent} không tồn tại.")
    if not problems and audit.has_trail(ctx.db):
        # the audit trail: its chain, every record against it, its heads
        chain = audit.check_chain(ctx.db)
        problems.extend(chain.problems)
        problems.extend(audit.verify_records(ctx.db, chain.untrusted))
        if audit.audit_key(ctx.db) is not None:
            problems.extend(check_heads(ctx, chain.untrusted))
    return problems


def _when(at: str | None) -> str:
    """dd/mm/yyyy of an ISO time (as stored)."""
    text = str(at or "")
    return f"{text[8:10]}/{text[5:7]}/{text[:4]}" if len(text) >= 10 else text


def heads(ctx: Context) -> list[tuple[int, str, str, str]]:
    """Every head of this trail recorded outside it: (entry number, MAC, where, when made).

    *When made* is the time the head was taken (the package made, the backup taken),
    as UTC ISO text.
    """
    found: list[tuple[int, str, str, str]] = []
    for province, sequence, seq, mac, made, at in ctx.db.execute(
            "SELECT confirmed_by, sequence, audit_seq, audit_mac, created_at, recorded_at"
            " FROM receipts WHERE sender = ? AND audit_seq IS NOT NULL ORDER BY sequence",
            [ctx.station.code]):
        found.append((seq, mac, f"Biên nhận của Công an tỉnh {province} (gói số {sequence}, "
                                f"nhận ngày {_when(at)})", made or ""))
    for sequence, seq, mac, at in ctx.db.execute(
            "SELECT sequence, audit_seq, audit_mac, created_at FROM export_log"
            " WHERE audit_seq IS NOT NULL ORDER BY sequence"):
        found.append((seq, mac, f"Sổ gói đã xuất (gói số {sequence}, ngày {_when(at)})",
                      at or ""))
    if ctx.path is not None:
        for item in backup.list_backups(ctx):
            meta = backup.read_meta(item.path, ctx.db.key)
            if meta.get("audit_seq") and meta.get("audit_mac"):
                found.append((int(meta["audit_seq"]), meta["audit_mac"],
                              f"Bản sao lưu “{item.path.name}” "
                              f"({item.taken_at:%d/%m/%Y %H:%M})", meta.get("taken_at", "")))
    return found


def _utc(text: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def check_heads(ctx: Context, untrusted: set[int] | None = None) -> list[str]:
    """The trail against every head recorded outside it (see the module's text).

    Not held against it: heads recorded before the upgrade to the keyed trail (an
    unkeyed hash), and heads taken before the latest restore beyond the point the
    restored backup reached (the history that restore left behind).
    """
    problems = []
    since = audit.keyed_since(ctx.db)
    restore = audit.last_restore(ctx.db, untrusted)
    restored_at = _utc(restore[1]) if restore else None
    for seq, mac, where, made in heads(ctx):
        kind = audit.check_head(ctx.db, seq, mac)
        if kind is None:
            continue
        if seq <= since:
            continue    # recorded before the upgrade: an unkeyed hash, not comparable
        made_at = _utc(made)
        if restore and seq >= restore[0] and made_at and restored_at \
                and made_at <= restored_at:
            continue    # left behind by the restore
        problems.append(audit.head_problem(kind, seq, where))
    return problems
