"""The audit trail: every change, who made it and when, hash-chained.

Each entry holds the record's content before and after the change (canonical
JSON: sorted keys, derived search/sort columns left out) and a hash chained to
the previous entry's (see :func:`entry_hash`). Removing, inserting or editing
an entry breaks the chain; :func:`verify_records` also compares every record's
current content with its last entry, so a record edited behind the program's
back (with a SQLite browser, say) is reported.

Entries are appended by a store listener (:func:`attach`) inside the same
transaction as the change, so a change and its entry commit or roll back
together. Records that existed before the trail (the model types seeded by
migration 0001, data entered before migration 0003) get a ``baseline`` entry
written by migration 0003.

The functions take any object with an ``execute`` method (a sqlite3 connection
or a sqlite-utils Database), so a backup can be verified before it is opened
as a station.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core.schema import ENTITIES

if TYPE_CHECKING:  # pragma: no cover
    from core.context import Context
    from core.store import Change, Store

GENESIS = "0" * 64
USERS_TABLE = "users"
REPORT_TEXTS_TABLE = "report_texts"  # core.report_texts writes its own entries
OPS = ("insert", "update", "delete", "undelete", "baseline", "remove", "password")


@dataclass(frozen=True)
class AuditEntry:
    """One entry of the trail, as the history screens show it."""

    seq: int
    at: str
    user: str
    table: str
    record_id: str
    op: str
    before: dict | None
    after: dict | None


_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
_STRING = json.encoder.encode_basestring


def _make_encoder(sort_keys: bool):
    """The C encoder ``_ENCODER`` builds on every call, made once (no circular check:
    the contents are plain rows). Without *sort_keys* the keys must come sorted."""
    make = json.encoder.c_make_encoder
    if make is None:    # no C accelerator: the pure-Python encoder, same text
        encoder = json.JSONEncoder(sort_keys=sort_keys, ensure_ascii=False,
                                   separators=(",", ":"), check_circular=False)
        return lambda value: encoder.encode(value)
    chunks = make(None, _ENCODER.default, _STRING, None, ":", ",", sort_keys, False, True)
    return lambda value: "".join(chunks(value, 0))


_SORTED = _make_encoder(True)
_IN_ORDER = _make_encoder(False)


def canonical(value: Any) -> str:
    """Canonical JSON text: sorted keys, no spaces, UTF-8 kept."""
    if isinstance(value, str):
        return _ENCODER.encode(value)
    return _SORTED(value)


def entry_hash(prev_hash: str, seq: int, at: str, user: str, table: str,
               record_id: str, op: str, before: str | None, after: str | None,
               owner: str = "") -> str:
    """The chained hash of one entry (before/after are already canonical JSON).

    ``sha256(prev_hash + head + "\\n" + before + after)`` where *head* is the
    canonical JSON list ``[seq, at, user, table, id, op, owner, len(before),
    len(after)]`` (-1 for a missing text). The content texts are hashed as they
    are stored, not encoded again; the lengths (and the head, which never holds
    a raw line break) make the split between the parts unambiguous.
    """
    text = _STRING   # the canonical JSON of a string, as _ENCODER writes it
    head = (f"[{int(seq)},{text(at)},{text(user)},{text(table)},{text(record_id)},"
            f"{text(op)},{text(owner)},{-1 if before is None else len(before)},"
            f"{-1 if after is None else len(after)}]")
    digest = hashlib.sha256((prev_hash + head + "\n").encode("utf-8"))
    if before:
        digest.update(before.encode("utf-8"))
    if after:
        digest.update(after.encode("utf-8"))
    return digest.hexdigest()


def legacy_entry_hash(prev_hash: str, seq: int, at: str, user: str, table: str,
                      record_id: str, op: str, before: str | None, after: str | None) -> str:
    """The hash of an entry written before the content texts were hashed as stored.

    ``sha256(prev_hash + canonical(entry))`` with the texts inside the entry;
    :func:`verify_chain` still accepts it so older trails keep verifying.
    """
    body = canonical({"seq": seq, "at": at, "user": user, "table": table,
                      "id": record_id, "op": op, "before": before, "after": after})
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


_DERIVED = {table: entity.derived for table, entity in ENTITIES.items()}
_KEPT_KEYS: dict[tuple, tuple[str, ...]] = {}


def content(table: str, snapshot: dict | None) -> dict | None:
    """A record's snapshot as the trail keeps it (derived columns left out).

    The keys come sorted (the snapshots of a table share their keys, so the
    order is worked out once per table and key set), which lets the audit
    encode the content without sorting it again.
    """
    if snapshot is None:
        return None
    shape = (table, *snapshot)
    keys = _KEPT_KEYS.get(shape)
    if keys is None:
        derived = _DERIVED.get(table, ())
        keys = _KEPT_KEYS[shape] = tuple(sorted(k for k in snapshot if k not in derived))
    return {key: snapshot[key] for key in keys}


def _canonical_content(value: dict) -> str:
    """:func:`canonical` of what :func:`content` gives (keys already sorted)."""
    return _IN_ORDER(value)


def user_content(row: dict) -> dict:
    """An account as the trail keeps it: never the password hash itself.

    A digest of the hash is kept so that a password replaced behind the
    program's back is detected; sign-in counters are not audited.
    """
    digest = hashlib.sha256(row["password_hash"].encode("utf-8")).hexdigest()[:16]
    return {"name": row["name"], "role": row["role"], "password": digest,
            "created_at": row["created_at"]}


def _now() -> str:
    from core.store import now
    return now()


def append(db, user: str, table: str, record_id: str, op: str,
           before: dict | None, after: dict | None, *, at: str | None = None) -> str:
    """Append one entry (call inside the transaction of the change); return its hash."""
    return append_many(db, user, [(table, record_id, op, before, after)], at=at)


def append_many(db, user: str, items: list[tuple[str, str, str, dict | None, dict | None]],
                *, at: str | None = None) -> str:
    """Append entries (table, id, op, before, after) in order, in one statement.

    Call inside the transaction of the changes; returns the last entry's hash.
    The chain is read once and the entries are inserted with one ``executemany``.
    """
    return _append_encoded(db, user, [
        (table, record_id, op, None if before is None else canonical(before),
         None if after is None else canonical(after), before, after)
        for table, record_id, op, before, after in items], at=at)


def _append_encoded(db, user: str, items: list[tuple], *, at: str | None = None) -> str:
    """:func:`append_many` of entries whose contents are already canonical JSON:
    (table, id, op, before_text, after_text, before, after)."""
    last = db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    at = at or _now()
    with_owner = has_owner_column(db)
    rows = []
    for table, record_id, op, before_text, after_text, before, after in items:
        owner = str((after or before or {}).get("owner") or "") if with_owner else ""
        digest = entry_hash(prev, seq, at, user, table, record_id, op, before_text,
                            after_text, owner)
        rows.append((seq, at, user, table, record_id, op, before_text, after_text, prev,
                     digest, owner))
        seq, prev = seq + 1, digest
    conn = getattr(db, "conn", db)
    if with_owner:
        conn.executemany(
            "INSERT INTO audit (seq, at, user, table_name, record_id, op, before, after,"
            " prev_hash, hash, owner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    else:   # a trail not yet migrated (migration 0003 writing its baseline)
        conn.executemany(
            "INSERT INTO audit (seq, at, user, table_name, record_id, op, before, after,"
            " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [row[:-1] for row in rows])
    return prev


def _encoded_change(change: "Change") -> tuple:
    """One change as :func:`_append_encoded` takes it (contents without derived columns)."""
    before = content(change.table, change.before)
    after = content(change.table, change.after)
    return (change.table, change.id, change.op,
            None if before is None else _canonical_content(before),
            None if after is None else _canonical_content(after), before, after)


def has_owner_column(db) -> bool:
    """True when the trail keeps each entry's record owner (migration 0008)."""
    return any(r[1] == "owner" for r in db.execute("PRAGMA table_info(audit)"))


def attach(ctx: "Context", require: Callable[["Context", str], None]) -> None:
    """Make every write through ``ctx.store`` append its audit entry.

    The listener refuses the write at once when accounts exist and the signed-in
    user may not edit (a second line of defence behind the services' guard):
    *require* is that check, :func:`core.accounts.require`, handed in by
    :mod:`core.station` because the accounts sit above the trail they write to. The
    entries themselves are written in one batch just before the transaction
    commits (inside it), so a change and its entry still commit or roll back
    together, and changes undone by a rolled-back savepoint leave no entry.
    """
    allowed: list = [None]   # the transaction already allowed (checked once each)

    def listener(store: "Store", change: "Change") -> None:
        if store.changes is not None and allowed[0] is store.changes:
            return
        require(ctx, "edit")
        allowed[0] = store.changes

    def committer(store: "Store", changes: list["Change"]) -> None:
        _append_encoded(store.db, ctx.user or "", [_encoded_change(c) for c in changes])
    ctx.store.listeners.append(listener)
    ctx.store.committers.append(committer)


def write_baseline(db) -> None:
    """A ``baseline`` entry for every existing record (migration 0003)."""
    at = _now()
    items = [(table, record_id, "baseline", None, snap) for table in ENTITIES
             for record_id, snap in current_contents(db, table).items()]
    if items:
        append_many(db, "", items, at=at)


# -- reads for the history screens ------------------------------------------

def _entries(db, where: str, params: list, limit: int | None = None) -> list[AuditEntry]:
    sql = ("SELECT seq, at, user, table_name, record_id, op, before, after FROM audit"
           f" WHERE {where} ORDER BY seq")
    if limit is not None:
        sql = (f"SELECT * FROM ({sql.replace('ORDER BY seq', 'ORDER BY seq DESC')}"
               f" LIMIT {int(limit)}) ORDER BY seq")
    return [AuditEntry(seq, at, user, table, rid, op,
                       json.loads(before) if before else None,
                       json.loads(after) if after else None)
            for seq, at, user, table, rid, op, before, after in db.execute(sql, params)]


def history(ctx: "Context", table: str, record_id: str) -> list[AuditEntry]:
    """Every entry about one record, oldest first.

    Entries are found through the record's owner (the trail's index starts with
    it, so that taking in a commune's package touches only that commune's part
    of the index); entries written before migration 0008 have an empty owner.
    """
    owner = ""
    if table in ENTITIES:
        row = ctx.db.execute(f"SELECT owner FROM {table} WHERE id = ?", [record_id]).fetchone()
        if row is None:     # gone from the table: look through the whole trail
            return _entries(ctx.db, "table_name = ? AND record_id = ?", [table, record_id])
        owner = row[0] or ""
    return _entries(ctx.db, "owner IN (?, '') AND table_name = ? AND record_id = ?",
                    [owner, table, record_id])


def history_of_user(ctx: "Context", name: str, limit: int | None = 1000) -> list[AuditEntry]:
    """The latest changes made by one account (at most *limit*), oldest first."""
    return _entries(ctx.db, "user = ? COLLATE NOCASE", [name], limit)


def recent(ctx: "Context", limit: int = 1000) -> list[AuditEntry]:
    """The latest *limit* entries of the whole trail, oldest first."""
    return _entries(ctx.db, "1 = 1", [], limit)


def authors(ctx: "Context") -> list[str]:
    """Every account name that appears in the trail (empty name: before accounts)."""
    return [r[0] for r in ctx.db.execute(
        "SELECT DISTINCT user FROM audit ORDER BY user COLLATE NOCASE")]


def changed_fields(entry: AuditEntry) -> list[str]:
    """Names of the fields an entry changed (metadata left out)."""
    before, after = entry.before or {}, entry.after or {}
    skip = {"updated_at", "version", "created_at"}
    return sorted(k for k in set(before) | set(after)
                  if k not in skip and before.get(k) != after.get(k))


# -- verification ------------------------------------------------------------

def has_trail(db) -> bool:
    """True when the database has an audit table (migration 0003 applied)."""
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table'"
                      " AND name = 'audit'").fetchone() is not None


def verify_chain(db) -> list[str]:
    """Problems of the hash chain, in Vietnamese (empty when intact)."""
    problems: list[str] = []
    expected_prev, expected_seq = GENESIS, 1
    owner = "owner" if has_owner_column(db) else "''"
    rows = db.execute("SELECT seq, at, user, table_name, record_id, op, before, after,"
                      f" prev_hash, hash, {owner} FROM audit ORDER BY seq")
    for seq, at, user, table, rid, op, before, after, prev, digest, owner in rows:
        if seq != expected_seq:
            problems.append(f"Nhật ký thay đổi thiếu mục số {expected_seq}"
                            + (f" đến {seq - 1}" if seq - 1 > expected_seq else "")
                            + ": có mục đã bị xóa.")
        elif prev != expected_prev:
            problems.append(f"Nhật ký thay đổi bị đứt tại mục số {seq}: "
                            "mục trước đó đã bị sửa hoặc xóa.")
        if entry_hash(prev, seq, at, user, table, rid, op, before, after, owner) != digest \
                and (owner or legacy_entry_hash(prev, seq, at, user, table, rid, op, before,
                                                after) != digest):
            problems.append(f"Mục nhật ký số {seq} đã bị sửa (mã băm không khớp).")
        expected_prev, expected_seq = digest, seq + 1
    return problems


def _columns(db, table: str) -> list[str]:
    return [r[1] for r in db.execute(f"PRAGMA table_info({table})").fetchall()]


def current_contents(db, table: str) -> dict[str, dict]:
    """Every record of *table* as the trail keeps it (tombstones included)."""
    entity = ENTITIES[table]
    names = _columns(db, table)
    found: dict[str, dict] = {}
    for row in db.execute(f"SELECT * FROM {table} ORDER BY rowid"):
        found[row[names.index("id")]] = dict(zip(names, row))
    for name, link in entity.links.items():
        for snap in found.values():
            snap[name] = []
        for parent, child in db.execute(
                f"SELECT {link.parent}, {link.child} FROM {link.table}"
                f" ORDER BY {link.parent}, {link.child}"):
            if parent in found:
                found[parent][name].append(child)
    return {rid: content(table, snap) for rid, snap in found.items()}


def current_users(db) -> dict[str, dict]:
    """Every account as the trail keeps it, by name."""
    rows = db.execute("SELECT name, role, password_hash, created_at FROM users")
    return {r[0]: user_content(dict(zip(("name", "role", "password_hash", "created_at"), r)))
            for r in rows}


def current_report_texts(db) -> dict[str, dict]:
    """Every stored report text (core.report_texts) as the trail keeps it, by record id."""
    if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                      [REPORT_TEXTS_TABLE]).fetchone():
        return {}
    return {f"{p}/{k}": {"key": k, "period": p, "value": v}
            for p, k, v in db.execute(f"SELECT period, key, value FROM {REPORT_TEXTS_TABLE}")}


def last_contents(db) -> dict[tuple[str, str], dict | None]:
    """The ``after`` of the last entry of every (table, record id)."""
    rows = db.execute(
        "SELECT a.table_name, a.record_id, a.after FROM audit a JOIN"
        " (SELECT table_name, record_id, MAX(seq) AS seq FROM audit"
        "  GROUP BY table_name, record_id) m ON a.seq = m.seq")
    return {(t, r): json.loads(after) if after else None for t, r, after in rows}


def _differs(current: dict, recorded: dict) -> list[str]:
    """Fields whose current value differs from the recorded one.

    Only fields the entry recorded are compared: a column added by a later
    migration is covered from the record's next change on.
    """
    return sorted(k for k in recorded if canonical(current.get(k)) != canonical(recorded[k]))


def verify_records(db) -> list[str]:
    """Records whose current content does not match their last audit entry."""
    problems: list[str] = []
    last = last_contents(db)
    seen: set[tuple[str, str]] = set()
    tables: dict[str, dict[str, dict]] = {t: current_contents(db, t) for t in ENTITIES}
    tables[USERS_TABLE] = current_users(db)
    tables[REPORT_TEXTS_TABLE] = current_report_texts(db)
    for table, records in tables.items():
        for rid, snap in records.items():
            key = (table, rid)
            seen.add(key)
            if key not in last:
                problems.append(f"Bản ghi {rid} (bảng {table}) không có trong nhật ký thay "
                                "đổi: đã được thêm ngoài chương trình.")
            elif last[key] is None:
                problems.append(f"Bản ghi {rid} (bảng {table}) đã bị xóa theo nhật ký "
                                "nhưng vẫn còn trong cơ sở dữ liệu.")
            else:
                fields = _differs(snap, last[key])
                if fields:
                    problems.append(f"Bản ghi {rid} (bảng {table}) đã bị sửa ngoài chương "
                                    f"trình (trường: {', '.join(fields)}).")
    for (table, rid), after in last.items():
        if (table, rid) not in seen and after is not None:
            problems.append(f"Bản ghi {rid} (bảng {table}) có trong nhật ký thay đổi nhưng "
                            "đã bị xóa khỏi cơ sở dữ liệu ngoài chương trình.")
    return problems


def verify(db) -> list[str]:
    """All audit problems: the chain, then the records against it."""
    if not has_trail(db):
        return []
    return verify_chain(db) + verify_records(db)
