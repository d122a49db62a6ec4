"""The audit trail: every change, who made it and when, chained with a key.

Each entry holds the record's content before and after the change (canonical
JSON: sorted keys, derived search/sort columns left out) and a MAC chained to
the previous entry's: HMAC-SHA256 under a random key kept inside the database
(table ``secrets``, made by migration 0017, which re-chained the older, unkeyed
trail once; see :class:`Sealer`). Without the key nobody can write an entry the
check accepts, even with the published construction. Two short tags per entry
(its number with its author, and with its time) let ``check`` name what was done
to an entry: forged, re-attributed, back-dated or edited (:func:`check_chain`).
:func:`verify_records` also compares every record's current content with its
last trusted entry, so a record edited behind the program's back (with a SQLite
browser, say) is reported. Besides the records and accounts, the station's
identity, pinned keys, import log, settings and (at a province) the register of
communes are audited (:data:`TRACKED`).

The head of the chain (number and MAC of the last entry, :func:`head`) is
recorded outside the trail: in every package (the province keeps it and confirms
it in its receipt), in every backup's metadata and in the export log;
:func:`check_head` compares the trail with such a head, which catches the last
entries deleted together with the records they made.

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

import datetime as dt
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core import cipher
from core.schema import ENTITIES

if TYPE_CHECKING:  # pragma: no cover
    from core.context import Context
    from core.store import Change, Store

GENESIS = "0" * 64
USERS_TABLE = "users"
REPORT_TEXTS_TABLE = "report_texts"  # core.report_texts writes its own entries
OPS = ("insert", "update", "delete", "undelete", "baseline", "remove", "password", "rechain",
       "restore")
SECRETS_TABLE = "secrets"
KEY_NAME = "audit_key"
# Tables outside the records that are audited like them (migration 0017): the
# station's identity, the pinned keys of other stations, the import log and the
# settings the documents print. Their key column, by table.
# Migration 0022 added the province's register of communes (noted and revoked
# fingerprints): it is audited from that migration on (:data:`TRACKED_SINCE`).
TRACKED = {"station": "singleton", "peers": "code", "import_log": "id", "settings": "key",
           "commune_register": "code"}
TRACKED_0017 = ("station", "peers", "import_log", "settings")   # baselined by 0017
TRACKED_SINCE = {"commune_register": "0022_"}   # the migration whose baseline covers it
STATION_ID = "station"
# Settings that are the program's own bookkeeping, not audited.
UNAUDITED_SETTINGS = frozenset({"admin_units_version", "backup_last_daily"})
CHAIN_TABLE, CHAIN_ID, RESTORE_ID = "audit", "chain", "restore"   # the trail's own entries


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


def _entry_head(prev_hash: str, seq: int, at: str, user: str, table: str,
                record_id: str, op: str, before: str | None, after: str | None,
                owner: str) -> bytes:
    text = _STRING   # the canonical JSON of a string, as _ENCODER writes it
    head = (f"[{int(seq)},{text(at)},{text(user)},{text(table)},{text(record_id)},"
            f"{text(op)},{text(owner)},{-1 if before is None else len(before)},"
            f"{-1 if after is None else len(after)}]")
    return (prev_hash + head + "\n").encode("utf-8")


def entry_hash(prev_hash: str, seq: int, at: str, user: str, table: str,
               record_id: str, op: str, before: str | None, after: str | None,
               owner: str = "") -> str:
    """The chained hash of one entry (before/after are already canonical JSON).

    ``sha256(prev_hash + head + "\\n" + before + after)`` where *head* is the
    canonical JSON list ``[seq, at, user, table, id, op, owner, len(before),
    len(after)]`` (-1 for a missing text). The content texts are hashed as they
    are stored, not encoded again; the lengths (and the head, which never holds
    a raw line break) make the split between the parts unambiguous.

    This is the unkeyed hash of trails written before migration 0017; since then
    :class:`Sealer` computes the same message under the station's audit key.
    """
    digest = hashlib.sha256(_entry_head(prev_hash, seq, at, user, table, record_id, op,
                                        before, after, owner))
    if before:
        digest.update(before.encode("utf-8"))
    if after:
        digest.update(after.encode("utf-8"))
    return digest.hexdigest()


class Sealer:
    """The keyed MACs of entries: HMAC-SHA256 under the station's audit key.

    :meth:`mac` is the chained MAC (the message of :func:`entry_hash`); :meth:`tags`
    are two short MACs (keyed BLAKE2b, 64 bits each) of the entry's number with its
    author and with its time,
    so that ``check`` can tell an entry given to someone else, or dated
    otherwise, from one whose content was changed or that was never written by
    the program at all.
    """

    def __init__(self, key: bytes):
        self._base = hmac.new(key, digestmod=hashlib.sha256)
        # the tags: keyed BLAKE2b (one pass, a third of an HMAC's time) under a key of
        # their own derived from the audit key
        self._tag_key = hmac.digest(key, b"antq audit tags", "sha256")

    def mac(self, prev_hash: str, seq: int, at: str, user: str, table: str, record_id: str,
            op: str, before: str | None, after: str | None, owner: str = "") -> str:
        """The chained MAC of one entry."""
        digest = self._base.copy()
        digest.update(_entry_head(prev_hash, seq, at, user, table, record_id, op, before,
                                  after, owner))
        if before:
            digest.update(before.encode("utf-8"))
        if after:
            digest.update(after.encode("utf-8"))
        return digest.hexdigest()

    def _tag(self, kind: str, seq: int, value: str) -> str:
        return hashlib.blake2b(f"{kind}\n{int(seq)}\n{value}".encode("utf-8"),
                               key=self._tag_key, digest_size=8).hexdigest()

    def tags(self, seq: int, at: str, user: str) -> str:
        """32 hex digits: the tag of (seq, user) then the tag of (seq, at)."""
        return self._tag("user", seq, user) + self._tag("at", seq, at)

    def tag_checks(self, seq: int, at: str, user: str, tags: str | None) -> tuple[bool, bool]:
        """(author tag right, time tag right) for stored *tags*."""
        tags = tags or ""
        return (hmac.compare_digest(tags[:16], self._tag("user", seq, user)),
                hmac.compare_digest(tags[16:32], self._tag("at", seq, at)))


def _has_table(db, name: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                      [name]).fetchone() is not None


def audit_key(db) -> bytes | None:
    """The station's audit key (migration 0017), or None for an older trail."""
    try:
        row = db.execute(f"SELECT value FROM {SECRETS_TABLE} WHERE name = ?",
                         [KEY_NAME]).fetchone()
    except cipher.OperationalError:
        return None
    return bytes(row[0]) if row else None


def keyed_expected(db) -> bool:
    """True when the database went through migration 0017 (its trail must be keyed)."""
    if _has_table(db, SECRETS_TABLE):
        return True
    try:
        return db.execute("SELECT 1 FROM _sqlite_migrations WHERE migration_set = 'antq'"
                          " AND name LIKE '0017_%'").fetchone() is not None
    except cipher.OperationalError:
        return False


def _migrated(db, prefix: str) -> bool:
    """True when the migration whose name starts with *prefix* was applied."""
    try:
        return db.execute("SELECT 1 FROM _sqlite_migrations WHERE migration_set = 'antq'"
                          " AND name LIKE ?", [prefix + "%"]).fetchone() is not None
    except sqlite3.OperationalError:
        return False


def tracked_tables(db) -> list[str]:
    """The tracked tables this database audits: none before migration 0017, and a
    table of :data:`TRACKED_SINCE` only once its migration (and baseline) ran."""
    if not keyed_expected(db):
        return []
    return [t for t in TRACKED if t not in TRACKED_SINCE or _migrated(db, TRACKED_SINCE[t])]


def sealer(db) -> Sealer | None:
    """The :class:`Sealer` of this database's trail, or None before migration 0017."""
    key = audit_key(db)
    return Sealer(key) if key is not None else None


def head(db) -> tuple[int, str] | None:
    """The head of the chain: (number, MAC) of the last entry, or None."""
    if not has_trail(db):
        return None
    row = db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    return (int(row[0]), str(row[1])) if row else None


def head_json(db) -> dict | None:
    """The head as packages and backups carry it: ``{"seq": n, "mac": hex}``."""
    found = head(db)
    return {"seq": found[0], "mac": found[1]} if found else None


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
    keyed = sealer(db)
    rows = []
    for table, record_id, op, before_text, after_text, before, after in items:
        owner = str((after or before or {}).get("owner") or "") if with_owner else ""
        if keyed is not None:
            digest = keyed.mac(prev, seq, at, user, table, record_id, op, before_text,
                               after_text, owner)
            rows.append((seq, at, user, table, record_id, op, before_text, after_text, prev,
                         digest, owner, keyed.tags(seq, at, user)))
        else:
            digest = entry_hash(prev, seq, at, user, table, record_id, op, before_text,
                                after_text, owner)
            rows.append((seq, at, user, table, record_id, op, before_text, after_text, prev,
                         digest, owner))
        seq, prev = seq + 1, digest
    conn = getattr(db, "conn", db)
    if keyed is not None:
        conn.executemany(
            "INSERT INTO audit (seq, at, user, table_name, record_id, op, before, after,"
            " prev_hash, hash, owner, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    elif with_owner:
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
    A setting stored with ``ctx.set_setting`` gets its entry in the same way.
    """
    allowed: list = [None]   # the transaction already allowed (checked once each)

    def listener(store: "Store", change: "Change") -> None:
        if store.changes is not None and allowed[0] is store.changes:
            return
        require(ctx, "edit")
        allowed[0] = store.changes

    def committer(store: "Store", changes: list["Change"]) -> None:
        _append_encoded(store.db, ctx.user or "", [_encoded_change(c) for c in changes])

    def setting_written(key: str, before: dict | None) -> None:
        note(ctx.db, ctx.user or "", "settings", key, before)
    ctx.store.listeners.append(listener)
    ctx.store.committers.append(committer)
    ctx.setting_hooks.append(setting_written)


def write_baseline(db) -> None:
    """A ``baseline`` entry for every existing record (migration 0003)."""
    at = _now()
    items = [(table, record_id, "baseline", None, snap) for table in ENTITIES
             for record_id, snap in current_contents(db, table).items()]
    if items:
        append_many(db, "", items, at=at)


# -- the station's own tables, audited like records ----------------------------

def _plain(value: Any) -> Any:
    """A column value as JSON keeps it (bytes as hex)."""
    return value.hex() if isinstance(value, (bytes, bytearray, memoryview)) \
        else value


def _tracked_row(table: str, row: dict) -> dict:
    """One row of a tracked table as the trail keeps it.

    The station's private keys are kept as a digest (like a password), never as
    they are.
    """
    if table == "settings":
        return {"key": row["key"], "value": row["value"]}
    kept = {k: _plain(v) for k, v in row.items() if not k.endswith("_private")}
    private = [bytes(row[k]) for k in sorted(row) if k.endswith("_private") and row[k]]
    if private:
        kept["private"] = hashlib.sha256(b"".join(private)).hexdigest()[:16]
    return dict(sorted(kept.items()))


def tracked_contents(db, table: str) -> dict[str, dict]:
    """Every row of a tracked table as the trail keeps it, by record id."""
    if not _has_table(db, table):
        return {}
    cur = db.execute(f"SELECT * FROM {table}")
    names = [d[0] for d in cur.description]
    found = {}
    for values in cur:
        row = dict(zip(names, values))
        if table == "settings" and row["key"] in UNAUDITED_SETTINGS:
            continue
        found[tracked_id(table, row[TRACKED[table]])] = _tracked_row(table, row)
    return found


def tracked_id(table: str, key: Any) -> str:
    """The record id of a tracked row in the trail."""
    return STATION_ID if table == "station" else str(key)


def tracked_snapshot(db, table: str, record_id: str) -> dict | None:
    """One tracked row as the trail keeps it, or None when it does not exist."""
    if table == "station":
        cur = db.execute("SELECT * FROM station")
    else:
        cur = db.execute(f"SELECT * FROM {table} WHERE {TRACKED[table]} = ?", [record_id])
    values = cur.fetchone()
    if values is None:
        return None
    return _tracked_row(table, dict(zip([d[0] for d in cur.description], values)))


def note(db, user: str, table: str, record_id: Any, before: dict | None) -> None:
    """Append the entry of a change to a tracked row (inside its transaction).

    *before* is :func:`tracked_snapshot` taken before the change (None for a new
    row); nothing is written when the row did not change, for an unaudited
    setting, or before migration 0017 (whose baseline covers the row).
    """
    record_id = tracked_id(table, record_id)
    if (table == "settings" and record_id in UNAUDITED_SETTINGS) \
            or table not in tracked_tables(db):
        return
    after = tracked_snapshot(db, table, record_id)
    if after == before:
        return
    op = "insert" if before is None else ("delete" if after is None else "update")
    append(db, user, table, record_id, op, before, after)


def tracked_intact(db, table: str, record_id: Any) -> bool:
    """True when a tracked row matches its last entry and that entry's MAC is right.

    A quick check for one row (the exchange asks it of a pinned key before trusting
    it); ``check`` goes through the whole trail. True before migration 0017.
    """
    keyed = sealer(db)
    if keyed is None:
        return not keyed_expected(db)
    if table not in tracked_tables(db):
        return True     # not audited yet (before its migration)
    record_id = tracked_id(table, record_id)
    row = db.execute("SELECT seq, at, user, table_name, record_id, op, before, after,"
                     " prev_hash, hash, owner, tags FROM audit WHERE owner = ''"
                     " AND table_name = ? AND record_id = ? ORDER BY seq DESC LIMIT 1",
                     [table, record_id]).fetchone()
    current = tracked_snapshot(db, table, record_id)
    if row is None:
        return current is None
    seq, at, user, tbl, rid, op, before, after, prev, digest, owner, tags = row
    if not hmac.compare_digest(keyed.mac(prev, seq, at, user, tbl, rid, op, before, after,
                                         owner), digest) \
            or keyed.tag_checks(seq, at, user, tags) != (True, True):
        return False
    recorded = json.loads(after) if after else None
    if recorded is None or current is None:
        return recorded == current
    return not _differs(current, recorded)


def write_key_and_rechain(db) -> None:
    """Migration 0017: a random audit key, and the existing trail re-chained under it.

    The trail as it stands is checked the old way first; what that finds is
    kept in the ``rechain`` entry that ends the work (``check`` reports it), so
    re-chaining never hides an older break. Then the station's own tables get
    their baseline entries.
    """
    old_problems = verify_chain(db) if has_trail(db) else []
    last = head(db)
    key = secrets.token_bytes(32)
    db.execute(f"INSERT INTO {SECRETS_TABLE} (name, value) VALUES (?, ?)", [KEY_NAME, key])
    keyed = Sealer(key)
    conn = getattr(db, "conn", db)
    prev, after_seq, count = GENESIS, 0, 0
    while True:
        rows = db.execute("SELECT seq, at, user, table_name, record_id, op, before, after, owner"
                          " FROM audit WHERE seq > ? ORDER BY seq LIMIT 5000",
                          [after_seq]).fetchall()
        if not rows:
            break
        updates = []
        for seq, at, user, table, rid, op, before, after, owner in rows:
            digest = keyed.mac(prev, seq, at, user, table, rid, op, before, after, owner)
            updates.append((prev, digest, keyed.tags(seq, at, user), seq))
            prev = digest
        conn.executemany("UPDATE audit SET prev_hash = ?, hash = ?, tags = ? WHERE seq = ?",
                         updates)
        after_seq, count = rows[-1][0], count + len(rows)
    items = [(CHAIN_TABLE, CHAIN_ID, "rechain", None,
              {"entries": count, "old_head": last[1] if last else None,
               "problems": old_problems})]
    items += [(table, rid, "baseline", None, snap) for table in TRACKED_0017
              for rid, snap in tracked_contents(db, table).items()]
    append_many(db, "", items)


def write_tracked_baseline(db, table: str) -> None:
    """A ``baseline`` entry for every existing row of a table tracked from a later
    migration on (0022: the register of communes)."""
    items = [(table, rid, "baseline", None, snap)
             for rid, snap in tracked_contents(db, table).items()]
    if items and has_trail(db):
        append_many(db, "", items)


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


KINDS = {
    "deleted": "Mục nhật ký bị xóa",
    "broken": "Chuỗi nhật ký bị đứt",
    "forged": "Mục nhật ký giả mạo",
    "reattributed": "Mục nhật ký bị gán cho người khác",
    "backdated": "Mục nhật ký bị đổi thời điểm",
    "edited": "Mục nhật ký bị sửa",
    "rechained": "Chuỗi nhật ký bị tính lại",
    "key_missing": "Khóa xác thực nhật ký bị xóa",
    "before_upgrade": "Nhật ký đã hỏng từ trước khi nâng cấp",
    "truncated": "Các mục cuối của nhật ký bị xóa",
    "rewritten": "Nhật ký bị viết lại",
    "record_edited": "Bản ghi bị sửa ngoài chương trình",
    "role_raised": "Quyền tài khoản bị đổi ngoài chương trình",
    "key_swapped": "Khóa đã ghi nhận bị thay",
    "identity_changed": "Định danh đơn vị bị sửa",
    "tracked_edited": "Dữ liệu hệ thống bị sửa ngoài chương trình",
    "register_changed": "Sổ theo dõi các xã bị sửa ngoài chương trình",
}


def _label(kind: str, text: str) -> str:
    return f"{KINDS[kind]}: {text}"


def _moment(at: str) -> str:
    """An entry's time as the station shows it (dd/mm/yyyy HH:MM)."""
    try:
        return dt.datetime.fromisoformat(at).astimezone().strftime("%d/%m/%Y %H:%M")
    except (TypeError, ValueError):
        return str(at)


def _span(first: int, last: int) -> str:
    return f"mục số {first}" if first == last else f"các mục số {first} đến {last}"


@dataclass
class ChainReport:
    """What :func:`check_chain` found: problems, and entries not to be trusted."""

    problems: list[str]
    untrusted: set[int]


def check_chain(db) -> ChainReport:
    """The chain checked: the keyed MACs since migration 0017, else the old hashes.

    Entries whose content cannot be trusted (forged, edited) are listed in
    ``untrusted``: the records are then compared with their last trusted entry.
    """
    keyed = sealer(db)
    if keyed is None:
        problems = verify_chain(db)
        if keyed_expected(db):
            problems.insert(0, _label("key_missing", "khóa xác thực của nhật ký không còn "
                                      "trong cơ sở dữ liệu (đã bị xóa ngoài chương trình)."))
        return ChainReport(problems, set())
    problems: list[str] = []
    untrusted: set[int] = set()
    runs: list[list] = []      # [kind, first, last] of consecutive entries of one kind
    expected_prev, expected_seq, previous_sound, rechained = GENESIS, 1, True, False
    rows = db.execute("SELECT seq, at, user, table_name, record_id, op, before, after,"
                      " prev_hash, hash, owner, tags FROM audit ORDER BY seq")

    def found(kind: str, seq: int) -> None:
        if runs and runs[-1][0] == kind and runs[-1][2] == seq - 1:
            runs[-1][2] = seq
        else:
            runs.append([kind, seq, seq])

    for seq, at, user, table, rid, op, before, after, prev, digest, owner, tags in rows:
        if seq != expected_seq:
            problems.append(_label("deleted", f"nhật ký thay đổi thiếu mục số {expected_seq}"
                            + (f" đến {seq - 1}" if seq - 1 > expected_seq else "")
                            + ": có mục đã bị xóa."))
        elif prev != expected_prev:
            problems.append(_label("broken", f"nhật ký thay đổi bị đứt tại mục số {seq}: "
                                   "mục trước đó đã bị sửa hoặc xóa."))
        mac_ok = hmac.compare_digest(
            keyed.mac(prev, seq, at, user, table, rid, op, before, after, owner), digest or "")
        user_ok, at_ok = keyed.tag_checks(seq, at, user, tags)
        sound = mac_ok and user_ok and at_ok
        if not user_ok and not at_ok:
            found("forged", seq)
            untrusted.add(seq)
        elif not user_ok:
            problems.append(_label("reattributed", f"mục số {seq} ghi người thực hiện là "
                                   f"“{user or '(không có tài khoản)'}” nhưng người thực hiện "
                                   "đã bị sửa ngoài chương trình."))
        elif not at_ok:
            problems.append(_label("backdated", f"mục số {seq} ghi thời điểm {_moment(at)} "
                                   "nhưng thời điểm đã bị sửa ngoài chương trình."))
        elif not mac_ok:
            if previous_sound and prev == expected_prev:
                problems.append(_label("edited", f"Mục nhật ký số {seq} đã bị sửa ngoài chương "
                                       "trình (mã xác thực không khớp)."))
                untrusted.add(seq)
            else:
                found("rechained", seq)
        if op == "rechain" and table == CHAIN_TABLE:
            rechained = True
        if sound and op == "rechain" and table == CHAIN_TABLE and after:
            for old in json.loads(after).get("problems") or []:
                problems.append(_label("before_upgrade", old))
        expected_prev, expected_seq, previous_sound = digest, seq + 1, sound
    if not rechained:
        problems.append(_label("deleted", "mục ghi việc chuyển nhật ký sang mã xác thực có "
                               "khóa (khi nâng cấp) không còn: nhật ký đã bị cắt ngoài "
                               "chương trình."))
    for kind, first, last in runs:
        if kind == "forged":
            problems.append(_label("forged", f"{_span(first, last)} không do chương trình ghi "
                                   "(mã xác thực sai): đã được thêm hoặc thay ngoài chương "
                                   "trình."))
        else:
            problems.append(_label("rechained", f"{_span(first, last)} có mã xác thực sai: "
                                   "chuỗi đã bị tính lại ngoài chương trình (không có khóa)."))
    return ChainReport(problems, untrusted)


def keyed_since(db) -> int:
    """How many entries the trail had when it was re-chained under its key (migration 0017).

    A head recorded before that (an automatic backup taken just before the upgrade)
    holds an unkeyed hash and cannot be compared with the keyed chain.
    """
    row = db.execute("SELECT after FROM audit WHERE table_name = ? AND record_id = ?"
                     " AND op = 'rechain' ORDER BY seq LIMIT 1",
                     [CHAIN_TABLE, CHAIN_ID]).fetchone()
    try:
        return int(json.loads(row[0])["entries"]) if row and row[0] else 0
    except (ValueError, KeyError, TypeError):
        return 0


def last_restore(db, untrusted: set[int] | None = None) -> tuple[int, str] | None:
    """(number, time) of the latest ``restore`` entry the program wrote, or None."""
    for seq, at in db.execute("SELECT seq, at FROM audit WHERE table_name = ? AND"
                              " record_id = ? AND op = 'restore' ORDER BY seq DESC",
                              [CHAIN_TABLE, RESTORE_ID]):
        if not untrusted or seq not in untrusted:
            return int(seq), str(at)
    return None


def check_head(db, seq: int, mac: str) -> str | None:
    """Compare the chain with a head recorded elsewhere (a receipt, a backup, a package).

    None when the entry numbered *seq* exists with that MAC; ``"truncated"`` when
    the trail no longer reaches it; ``"rewritten"`` when it holds another entry.
    """
    row = db.execute("SELECT hash FROM audit WHERE seq = ?", [int(seq)]).fetchone()
    if row is None:
        return "truncated"
    return None if hmac.compare_digest(str(row[0]), str(mac)) else "rewritten"


def head_problem(kind: str, seq: int, where: str) -> str:
    """The message of :func:`check_head`'s finding, *where* naming the anchor."""
    if kind == "truncated":
        return _label("truncated", f"{where} ghi nhật ký đến mục số {seq}, nhưng nhật ký hiện "
                      "chỉ còn đến trước mục đó: các mục cuối (và các thay đổi chúng ghi) đã "
                      "bị xóa ngoài chương trình.")
    return _label("rewritten", f"{where} ghi mục số {seq} với mã xác thực khác với mục số "
                  f"{seq} hiện có: nhật ký đến mục đó đã bị viết lại.")


def verify_chain(db) -> list[str]:
    """Problems of the unkeyed hash chain (trails before migration 0017), in Vietnamese."""
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


def last_contents(db, untrusted: set[int] | None = None) -> dict[tuple[str, str], dict | None]:
    """The ``after`` of the last entry of every (table, record id).

    Entries numbered in *untrusted* (forged or edited ones) are passed over, so a
    record is compared with the last entry the program really wrote.
    """
    skip, params = "", []
    if untrusted:
        skip, params = " WHERE seq NOT IN (SELECT value FROM json_each(?))", \
            [json.dumps(sorted(untrusted))]
    rows = db.execute(
        "SELECT a.table_name, a.record_id, a.after FROM audit a JOIN"
        " (SELECT table_name, record_id, MAX(seq) AS seq FROM audit"
        f"{skip} GROUP BY table_name, record_id) m ON a.seq = m.seq", params)
    return {(t, r): json.loads(after) if after else None for t, r, after in rows}


def _differs(current: dict, recorded: dict) -> list[str]:
    """Fields whose current value differs from the recorded one.

    Only fields the entry recorded are compared: a column added by a later
    migration is covered from the record's next change on.
    """
    return sorted(k for k in recorded if canonical(current.get(k)) != canonical(recorded[k]))


_ROLE_LABELS = {"admin": "Quản trị", "editor": "Nhập liệu", "viewer": "Chỉ xem"}
_KEY_FIELDS = {"sign_public", "box_public", "fingerprint", "level", "code"}


def _record_problem(table: str, rid: str, snap: dict, recorded: dict,
                    fields: list[str]) -> list[str]:
    """The messages for a record that differs from its last entry, by kind."""
    found = []
    if table == USERS_TABLE and "role" in fields:
        found.append(_label("role_raised", f"tài khoản “{rid}” có quyền "
                            f"{_ROLE_LABELS.get(snap['role'], snap['role'])} nhưng mục nhật ký "
                            "cuối cùng do chương trình ghi về tài khoản này ghi quyền "
                            f"{_ROLE_LABELS.get(recorded['role'], recorded['role'])}."))
        fields = [f for f in fields if f != "role"]
    elif table == "peers" and _KEY_FIELDS & set(fields):
        found.append(_label("key_swapped", f"khóa đã ghi nhận của đơn vị {rid} đã bị thay "
                            f"ngoài chương trình (trường: {', '.join(fields)}); gói ký bằng "
                            "khóa đó không đáng tin."))
        fields = []
    elif table == "commune_register":
        found.append(_label("register_changed", _register_text(rid, snap, fields)))
        fields = []
    elif table == "station":
        found.append(_label("identity_changed", "định danh của đơn vị này (mã, tên, cấp hoặc "
                            f"khóa) đã bị sửa ngoài chương trình (trường: {', '.join(fields)})."))
        fields = []
    if fields:
        found.append(f"Bản ghi {rid} (bảng {table}) đã bị sửa ngoài chương "
                     f"trình (trường: {', '.join(fields)}).")
    return found


def _register_text(code: str, snap: dict | None, fields: list[str] | None = None) -> str:
    """What was done to a commune's line of the register behind the program's back."""
    if fields is None and snap is not None:
        held = [f"{label}: {snap[key]}" for key, label in (
            ("expected_fingerprint", "dấu vân tay ghi nhận"),
            ("revoked_fingerprint", "khóa đã thu hồi")) if snap.get(key)]
        return (f"dòng của xã {code} được thêm ngoài chương trình"
                + (f" ({'; '.join(held)})" if held else "")
                + "; gói đối chiếu với dòng đó không đáng tin.")
    if snap is None:
        return (f"dòng của xã {code} (dấu vân tay ghi nhận hoặc khóa đã thu hồi) đã bị xóa "
                "ngoài chương trình.")
    what = []
    if "expected_fingerprint" in fields:
        what.append("dấu vân tay ghi nhận "
                    f"(hiện là {snap.get('expected_fingerprint') or 'không có'})")
    if "revoked_fingerprint" in fields:
        what.append("khóa đã thu hồi")
    what = " và ".join(what) or "nội dung"
    return (f"ở dòng của xã {code}, {what} đã bị sửa ngoài chương trình (trường: "
            f"{', '.join(fields)}); gói đối chiếu với dòng đó không đáng tin.")


def verify_records(db, untrusted: set[int] | None = None) -> list[str]:
    """Records whose current content does not match their last (trusted) audit entry."""
    problems: list[str] = []
    last = last_contents(db, untrusted)
    seen: set[tuple[str, str]] = {(CHAIN_TABLE, CHAIN_ID)}
    tables: dict[str, dict[str, dict]] = {t: current_contents(db, t) for t in ENTITIES}
    tables[USERS_TABLE] = current_users(db)
    tables[REPORT_TEXTS_TABLE] = current_report_texts(db)
    tables.update({t: tracked_contents(db, t) for t in tracked_tables(db)})
    for table, records in tables.items():
        for rid, snap in records.items():
            key = (table, rid)
            seen.add(key)
            if key not in last:
                if table == "peers":
                    problems.append(_label("key_swapped", f"khóa của đơn vị {rid} được ghi "
                                           "nhận ngoài chương trình."))
                elif table == "commune_register":
                    problems.append(_label("register_changed", _register_text(rid, snap)))
                problems.append(f"Bản ghi {rid} (bảng {table}) không có trong nhật ký thay "
                                "đổi: đã được thêm ngoài chương trình.")
            elif last[key] is None:
                problems.append(f"Bản ghi {rid} (bảng {table}) đã bị xóa theo nhật ký "
                                "nhưng vẫn còn trong cơ sở dữ liệu.")
            else:
                fields = _differs(snap, last[key])
                if fields:
                    problems += _record_problem(table, rid, snap, last[key], fields)
    for (table, rid), after in last.items():
        if (table, rid) not in seen and after is not None and table != CHAIN_TABLE:
            if table == "commune_register" and table in tables:
                problems.append(_label("register_changed", _register_text(rid, None)))
            problems.append(f"Bản ghi {rid} (bảng {table}) có trong nhật ký thay đổi nhưng "
                            "đã bị xóa khỏi cơ sở dữ liệu ngoài chương trình.")
    return problems


def verify(db) -> list[str]:
    """All audit problems: the chain, then the records against it."""
    if not has_trail(db):
        return []
    chain = check_chain(db)
    return chain.problems + verify_records(db, chain.untrusted)
