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
"""
from __future__ import annotations

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
    if not problems:  # the audit trail: its chain, every record against it, its heads
        problems.extend(audit.verify(ctx.db))
        if audit.audit_key(ctx.db) is not None:
            problems.extend(check_heads(ctx))
    return problems


def _when(at: str | None) -> str:
    """dd/mm/yyyy of an ISO time (as stored)."""
    text = str(at or "")
    return f"{text[8:10]}/{text[5:7]}/{text[:4]}" if len(text) >= 10 else text


def heads(ctx: Context) -> list[tuple[int, str, str]]:
    """Every head of this trail recorded outside it: (entry number, MAC, where)."""
    found: list[tuple[int, str, str]] = []
    for province, sequence, seq, mac, at in ctx.db.execute(
            "SELECT confirmed_by, sequence, audit_seq, audit_mac, recorded_at FROM receipts"
            " WHERE sender = ? AND audit_seq IS NOT NULL ORDER BY sequence",
            [ctx.station.code]):
        found.append((seq, mac, f"Biên nhận của Công an tỉnh {province} (gói số {sequence}, "
                                f"nhận ngày {_when(at)})"))
    for sequence, seq, mac, at in ctx.db.execute(
            "SELECT sequence, audit_seq, audit_mac, created_at FROM export_log"
            " WHERE audit_seq IS NOT NULL ORDER BY sequence"):
        found.append((seq, mac, f"Sổ gói đã xuất (gói số {sequence}, ngày {_when(at)})"))
    if ctx.path is not None:
        for item in backup.list_backups(ctx):
            meta = backup.read_meta(item.path)
            if meta.get("audit_seq") and meta.get("audit_mac"):
                found.append((int(meta["audit_seq"]), meta["audit_mac"],
                              f"Bản sao lưu “{item.path.name}” "
                              f"({item.taken_at:%d/%m/%Y %H:%M})"))
    return found


def check_heads(ctx: Context) -> list[str]:
    """The trail against every head recorded outside it (see the module's text)."""
    problems = []
    since = audit.keyed_since(ctx.db)
    for seq, mac, where in heads(ctx):
        if seq <= since and audit.check_head(ctx.db, seq, mac):
            continue    # recorded before the upgrade: an unkeyed hash, not comparable
        kind = audit.check_head(ctx.db, seq, mac)
        if kind:
            problems.append(audit.head_problem(kind, seq, where))
    return problems
