"""The exchange's own tables: pinned keys of other stations, logs and receipts.

These are not synchronised records (they belong to this database only), so they
are written with plain SQL inside the caller's store transaction.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from sqlite_utils import Database

from core import audit


@dataclass(frozen=True)
class Peer:
    """Another station whose key this station has pinned."""

    code: str
    name: str
    level: str
    sign_public: bytes
    box_public: bytes
    fingerprint: str
    pinned_at: str
    last_sequence: int
    last_created_at: str | None
    last_imported_at: str | None
    last_period_from: str | None
    last_period_to: str | None


_PEER_COLUMNS = ("code, name, level, sign_public, box_public, fingerprint, pinned_at,"
                 " last_sequence, last_created_at, last_imported_at, last_period_from,"
                 " last_period_to")


def get_peer(db: Database, code: str) -> Peer | None:
    """The pinned station with this code, or None."""
    row = db.execute(f"SELECT {_PEER_COLUMNS} FROM peers WHERE code = ?", [code]).fetchone()
    return Peer(*row) if row else None


def peers(db: Database, level: str | None = None) -> list[Peer]:
    """Pinned stations (of one level), by code."""
    where, params = ("WHERE level = ?", [level]) if level else ("", [])
    return [Peer(*r) for r in db.execute(
        f"SELECT {_PEER_COLUMNS} FROM peers {where} ORDER BY code", params)]


def province(db: Database) -> Peer | None:
    """The province this commune has pinned (from its first province package)."""
    found = peers(db, "tinh")
    return found[0] if found else None


def known_commune_codes(db: Database) -> list[str]:
    """Codes of the communes this province has pinned."""
    return [r[0] for r in db.execute(
        "SELECT code FROM peers WHERE level = 'xa' ORDER BY code")]


def station_private_keys(db: Database) -> tuple[bytes, bytes]:
    """This station's raw Ed25519 (signing) and X25519 (box) private keys."""
    return tuple(db.execute("SELECT sign_private, box_private FROM station").fetchone())


def pin(db: Database, *, code: str, name: str, level: str, sign_public: bytes,
        box_public: bytes, fingerprint: str, at: str, user: str | None = None) -> None:
    """Record a new sender's keys (first contact, confirmed by the user); audited."""
    db.execute("INSERT INTO peers (code, name, level, sign_public, box_public, fingerprint,"
               " pinned_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
               [code, name, level, sign_public, box_public, fingerprint, at])
    audit.note(db, user or "", "peers", code, None)


def note_applied(db: Database, code: str, *, name: str, sequence: int, created_at: str,
                 imported_at: str, period_from: str | None, period_to: str | None,
                 user: str | None = None) -> None:
    """Remember the newest package taken in from *code*; audited."""
    before = audit.tracked_snapshot(db, "peers", code)
    db.execute("UPDATE peers SET name = ?, last_sequence = ?, last_created_at = ?,"
               " last_imported_at = ?, last_period_from = ?, last_period_to = ?"
               " WHERE code = ?",
               [name, sequence, created_at, imported_at, period_from, period_to, code])
    audit.note(db, user or "", "peers", code, before)


def unpin(db: Database, code: str, user: str | None = None) -> None:
    """Forget a pinned key (a revoked commune); audited."""
    before = audit.tracked_snapshot(db, "peers", code)
    db.execute("DELETE FROM peers WHERE code = ?", [code])
    audit.note(db, user or "", "peers", code, before)


def was_imported(db: Database, sha256: str) -> bool:
    """True when a file with this digest was already taken in."""
    return db.execute("SELECT 1 FROM import_log WHERE sha256 = ?",
                      [sha256]).fetchone() is not None


def log_import(db: Database, **values) -> None:
    """Add a line to the import log (what was taken in, when, counts)."""
    values["warnings"] = json.dumps(values.get("warnings", []), ensure_ascii=False)
    cols = ", ".join(values)
    cur = db.execute(f"INSERT INTO import_log ({cols}) VALUES ({', '.join('?' * len(values))})",
                     list(values.values()))
    audit.note(db, values.get("user") or "", "import_log", cur.lastrowid, None)


def import_log(db: Database, sender: str | None = None) -> list[dict]:
    """The import log, newest first (optionally for one sender)."""
    where, params = ("WHERE sender = ?", [sender]) if sender else ("", [])
    cur = db.execute(f"SELECT * FROM import_log {where} ORDER BY id DESC", params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur]


def receipts_for(db: Database, sender: str | None = None) -> list[dict]:
    """Receipts to send down: what this province took in (from one commune or all)."""
    where, params = ("AND sender = ?", [sender]) if sender else ("", [])
    found = []
    for s, q, c, i, seq, mac in db.execute(
            "SELECT sender, sequence, created_at, MIN(imported_at), audit_seq, audit_mac"
            f" FROM import_log WHERE kind = 'up' {where} GROUP BY sender, sequence"
            " ORDER BY sender, sequence", params):
        receipt = {"sender": s, "sequence": q, "created_at": c, "imported_at": i}
        if seq is not None and mac:     # the head of the commune's trail it carried
            receipt["audit_head"] = {"seq": seq, "mac": mac}
        found.append(receipt)
    return found


def last_head(db: Database, sender: str) -> tuple[int, int, str] | None:
    """(package sequence, entry number, MAC) of the last head received from *sender*."""
    row = db.execute("SELECT sequence, audit_seq, audit_mac FROM import_log"
                     " WHERE sender = ? AND audit_seq IS NOT NULL"
                     " ORDER BY sequence DESC, id DESC LIMIT 1", [sender]).fetchone()
    return tuple(row) if row else None


def record_receipts(db: Database, receipts: list[dict], confirmed_by: str, own_code: str,
                    at: str) -> int:
    """Keep the receipts that concern this station; return how many were new."""
    added = 0
    for r in receipts:
        if r["sender"] != own_code:
            continue
        head = r.get("audit_head")
        cur = db.execute(
            "INSERT OR IGNORE INTO receipts (sender, sequence, confirmed_by, created_at,"
            " imported_at, recorded_at, audit_seq, audit_mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [r["sender"], r["sequence"], confirmed_by, r["created_at"], r["imported_at"], at,
             head[0] if head else None, head[1] if head else None])
        added += cur.rowcount
    return added


def reserve_sequence(db: Database, recipient: str, created_at: str,
                     user: str | None) -> int:
    """Take the next export sequence number (kept even if writing the file fails)."""
    with db.atomic():
        # Above both what was exported and what the province confirmed it took in,
        # so a database restored from an old backup never reuses a number.
        sequence = db.execute(
            "SELECT COALESCE(MAX(n), 0) + 1 FROM (SELECT MAX(sequence) n FROM export_log"
            " UNION ALL SELECT MAX(sequence) FROM receipts"
            " WHERE sender = (SELECT code FROM station))").fetchone()[0]
        db.execute("INSERT INTO export_log (sequence, recipient, created_at, user)"
                   " VALUES (?, ?, ?, ?)", [sequence, recipient, created_at, user])
    return sequence


def finish_export(db: Database, sequence: int, *, period_from: str | None,
                  period_to: str | None, counts: dict, sha256: str, file_name: str,
                  audit_head: dict | None = None) -> None:
    """Mark a reserved export as written and verified (with the chain head it carried)."""
    head = audit_head or {}
    with db.atomic():
        db.execute("UPDATE export_log SET status = 'written', period_from = ?, period_to = ?,"
                   " counts = ?, sha256 = ?, file_name = ?, audit_seq = ?, audit_mac = ?"
                   " WHERE sequence = ?",
                   [period_from, period_to, json.dumps(counts), sha256, file_name,
                    head.get("seq"), head.get("mac"), sequence])


def export_log(db: Database) -> list[dict]:
    """Exports, newest first, each with the receipt confirming it (if any)."""
    cur = db.execute(
        "SELECT e.sequence, e.recipient, e.created_at, e.period_from, e.period_to,"
        " e.counts, e.file_name, e.status, r.imported_at FROM export_log e"
        " LEFT JOIN receipts r ON r.sequence = e.sequence AND r.confirmed_by = e.recipient"
        " AND r.sender = (SELECT code FROM station)"
        " ORDER BY e.sequence DESC")
    return [{"sequence": s, "recipient": to, "created_at": c, "period_from": pf,
             "period_to": pt, "counts": json.loads(n or "{}"), "file_name": f,
             "status": st, "confirmed_at": conf}
            for s, to, c, pf, pt, n, f, st, conf in cur]
