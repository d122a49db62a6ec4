"""The store: the single path through which every record is written.

It stamps metadata (UUID, owner, timestamps, version), keeps deletions as
tombstones, writes link lists, and records each change in the open transaction's
:class:`Changes`. Listeners (the audit trail, later) see every change inside the
same transaction, so a change and its record commit or roll back together.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import operator
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.errors import NotFound, PermissionDenied
from core.schema import ENTITIES, META_COLUMNS, Entity

if TYPE_CHECKING:   # sqlite-utils loads on first use (see core.db.LazyDatabase)
    from sqlite_utils import Database


def now() -> str:
    """The current time as UTC ISO text."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def new_id() -> str:
    """A new global record id: a random (version 4) UUID as text, like ``uuid.uuid4()``."""
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


@dataclass(frozen=True)
class Change:
    """One write: which record, what kind, and its content before and after."""

    table: str
    id: str
    op: str  # "insert" | "update" | "delete" | "undelete"
    before: dict | None
    after: dict | None


@dataclass
class Changes:
    """What a transaction changed, so views refresh only what they must."""

    items: list[Change] = field(default_factory=list)

    def tables(self) -> set[str]:
        """Names of the tables touched."""
        return {c.table for c in self.items}

    def count(self, table: str, op: str) -> int:
        """How many changes of kind *op* hit *table*."""
        return sum(1 for c in self.items if c.table == table and c.op == op)

    def __bool__(self) -> bool:
        return bool(self.items)


Listener = Callable[["Store", Change], None]
Committer = Callable[["Store", list[Change]], None]


class Store:
    """Writes entity records for one station's database."""

    def __init__(self, db: Database, station_code: str):
        self.db = db
        self.station_code = station_code
        self.listeners: list[Listener] = []
        # Called once with every change of the outermost transaction just before
        # it commits (still inside it): the audit trail writes its entries here in
        # one batch. A savepoint that rolled back has already dropped its changes.
        self.committers: list[Committer] = []
        self._changes: Changes | None = None
        self._declared: dict[str, dict[str, str]] = {}  # table -> column -> type

    # -- transactions ---------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Changes]:
        """One atomic unit of work; nested calls join the outer transaction."""
        if self._changes is not None:
            # A savepoint: if it rolls back, so do the changes it recorded.
            outer, mark = self._changes, len(self._changes.items)
            try:
                with self.db.atomic():
                    yield outer
            except BaseException:
                del outer.items[mark:]
                raise
            return
        self._changes = Changes()
        try:
            with self.db.atomic():
                yield self._changes
                if self._changes.items:
                    for committer in self.committers:
                        committer(self, self._changes.items)
        finally:
            self._changes = None

    @property
    def changes(self) -> Changes | None:
        """The open outermost transaction's changes (None outside a transaction)."""
        return self._changes

    def _require_transaction(self) -> None:
        if self._changes is None:
            raise RuntimeError("store writes must run inside store.transaction()")

    def _record(self, change: Change) -> None:
        self._changes.items.append(change)
        for listener in self.listeners:
            listener(self, change)

    def _record_many(self, changes: list[Change]) -> None:
        self._changes.items.extend(changes)
        for listener in self.listeners:
            for change in changes:
                listener(self, change)

    # -- reads ----------------------------------------------------------------

    def row(self, table: str, record_id: str) -> dict | None:
        """The raw row of a record (tombstones included), or None."""
        cur = self.db.execute(f"SELECT * FROM {table} WHERE id = ?", [record_id])
        found = cur.fetchone()
        if found is None:
            return None
        return dict(zip([d[0] for d in cur.description], found))

    def links(self, entity: Entity, record_id: str) -> dict[str, list[str]]:
        """The link lists of a record, each sorted for stable comparison."""
        result = {}
        for name, link in entity.links.items():
            rows = self.db.execute(
                f"SELECT {link.child} FROM {link.table} WHERE {link.parent} = ?"
                f" ORDER BY {link.child}", [record_id]).fetchall()
            result[name] = [r[0] for r in rows]
        return result

    def snapshot(self, table: str, record_id: str) -> dict | None:
        """A record's full content: metadata, columns and link lists."""
        row = self.row(table, record_id)
        if row is None:
            return None
        row.update(self.links(ENTITIES[table], record_id))
        return row

    # -- writes ---------------------------------------------------------------

    def insert(self, table: str, values: dict, *, record_id: str | None = None,
               owner: str | None = None) -> str:
        """Insert a new record and return its id."""
        self._require_transaction()
        entity = ENTITIES[table]
        record_id = record_id or new_id()
        stamp = now()
        row = {c: values.get(c) for c in entity.columns}
        row.update(id=record_id, owner=owner if owner is not None else self.station_code,
                   created_at=stamp, updated_at=stamp, version=1, deleted=0)
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        # RETURNING gives the row exactly as stored (type affinity applied), so the
        # snapshot need not be read back; every entity column is TEXT or INTEGER.
        cur = self.db.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks}) RETURNING *",
                              list(row.values()))
        after = self._returned(cur)
        self._write_links(entity, record_id, values)
        for name in entity.links:
            after[name] = sorted(set(values.get(name) or ()))
        self._record(Change(table, record_id, "insert", None, after))
        return record_id

    def insert_many(self, table: str, values_list: list[dict], *,
                    record_ids: list[str | None] | None = None,
                    owner: str | None = None) -> list[str]:
        """:meth:`insert` for many new records: one ``executemany`` per table.

        Each record is stamped exactly as :meth:`insert` stamps it (a new id unless
        one is given, the owner, created/updated time, version 1, not deleted), its
        link lists are written, and one ``insert`` change is recorded per record
        (so the audit trail still has an entry per record). *values_list* holds what
        a repository's ``values()`` gives, derived columns included. A value SQLite
        would store in another form (a number in a text column, say) is read back,
        so each change holds the row exactly as stored. Returns the ids in order.
        """
        self._require_transaction()
        if not values_list:
            return []
        entity = ENTITIES[table]
        ids = [i or new_id() for i in (record_ids or [None] * len(values_list))]
        stamp = now()
        owner = owner if owner is not None else self.station_code
        columns = (*META_COLUMNS, *entity.columns)
        declared = self._affinities(table)
        affinity = {c: _PLAIN_TYPE.get(t) for c, t in declared.items()}
        rows: list[dict] = []
        doubtful: list[int] = []
        for index, (record_id, values) in enumerate(zip(ids, values_list)):
            row = {"id": record_id, "owner": owner, "created_at": stamp,
                   "updated_at": stamp, "version": 1, "deleted": 0}
            for column in entity.columns:
                value = values.get(column)
                if value is not None and type(value) is not affinity[column]:
                    if isinstance(value, bool):
                        value = int(value)
                    if not _stored_as_is(value, declared[column]):
                        doubtful.append(index)
                row[column] = value
            rows.append(row)
        marks = ", ".join("?" for _ in columns)
        self.db.conn.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
            [tuple(row.values()) for row in rows])
        for index in dict.fromkeys(doubtful):  # read back what SQLite converted
            rows[index] = self.row(table, ids[index])
        for name, link in entity.links.items():
            lists = [sorted(set(values.get(name) or ())) for values in values_list]
            self.db.conn.executemany(
                f"INSERT OR IGNORE INTO {link.table} ({link.parent}, {link.child})"
                " VALUES (?, ?)",
                [(record_id, child) for record_id, children in zip(ids, lists)
                 for child in children])
            for row, children in zip(rows, lists):
                row[name] = children
        for record_id, row in zip(ids, rows):
            self._record(Change(table, record_id, "insert", None, row))
        return ids

    def _affinities(self, table: str) -> dict[str, str]:
        """Each column's declared type (upper case), read once per table."""
        if table not in self._declared:
            self._declared[table] = {
                r[1]: str(r[2]).upper()
                for r in self.db.execute(f"PRAGMA table_info({table})").fetchall()}
        return self._declared[table]

    @staticmethod
    def _returned(cur) -> dict:
        """The single row of an ``INSERT/UPDATE ... RETURNING *`` as a dict."""
        rows = cur.fetchall()
        return dict(zip([d[0] for d in cur.description], rows[0]))

    def update(self, table: str, record_id: str, values: dict) -> bool:
        """Update a record's columns/links; return False when nothing differed."""
        self._require_transaction()
        entity = ENTITIES[table]
        before = self.snapshot(table, record_id)
        if before is None:
            raise NotFound(f"Không tìm thấy bản ghi {record_id}.")
        self._check_owned(before)
        changed_cols = {c: values[c] for c in entity.columns
                        if c in values and values[c] != before[c]}
        changed_links = {n: sorted(values[n]) for n in entity.links
                         if n in values and sorted(values[n]) != before[n]}
        if not changed_cols and not changed_links:
            return False
        changed_cols.update(updated_at=now(), version=before["version"] + 1)
        sets = ", ".join(f"{c} = ?" for c in changed_cols)
        cur = self.db.execute(f"UPDATE {table} SET {sets} WHERE id = ? RETURNING *",
                              [*changed_cols.values(), record_id])
        after = self._returned(cur)
        self._write_links(entity, record_id, changed_links)
        for name in entity.links:
            after[name] = (sorted(set(changed_links[name])) if name in changed_links
                           else before[name])
        self._record(Change(table, record_id, "update", before, after))
        return True

    def set_deleted(self, table: str, record_id: str, deleted: bool = True) -> bool:
        """Tombstone a record (or bring it back); False when already so."""
        self._require_transaction()
        before = self.snapshot(table, record_id)
        if before is None:
            raise NotFound(f"Không tìm thấy bản ghi {record_id}.")
        self._check_owned(before)
        if bool(before["deleted"]) == deleted:
            return False
        cur = self.db.execute(
            f"UPDATE {table} SET deleted = ?, updated_at = ?, version = version + 1"
            " WHERE id = ? RETURNING *", [int(deleted), now(), record_id])
        after = self._returned(cur)
        after.update({name: before[name] for name in ENTITIES[table].links})
        self._record(Change(table, record_id, "delete" if deleted else "undelete",
                            before, after))
        return True

    def _check_owned(self, before: dict) -> None:
        """Refuse to change a copy of another station's record (it is read-only here)."""
        if before["owner"] not in (self.station_code, ""):
            raise PermissionDenied(
                f"Bản ghi này thuộc đơn vị {before['owner']} (nhận qua gói dữ liệu); "
                "ở đây chỉ được xem, không được sửa hoặc xóa.")

    def put_remote(self, table: str, record: dict, before: dict | None) -> str | None:
        """Write a record received from another station exactly as it is there.

        *record* holds every metadata column (id, owner, created_at, updated_at,
        version, deleted), every column and every link list; *before* is the
        record's current snapshot (None when it is new here). Nothing is stamped:
        the sender's id, owner, version and timestamps are kept, so the receiver
        holds a read-only copy. Returns the kind of change recorded ("insert",
        "update", "delete", "undelete") or None when the copy was already equal.
        """
        entity = ENTITIES[table]
        row = {c: record.get(c) for c in (*META_COLUMNS, *entity.columns)}
        links = {name: sorted(record.get(name) or []) for name in entity.links}
        after = {**row, **links}
        if before is None:
            cols = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            self.db.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})",
                            list(row.values()))
            self._write_links(entity, row["id"], links)
            op = "insert"
        else:
            if after == before:
                return None
            sets = ", ".join(f"{c} = ?" for c in row if c != "id")
            self.db.execute(f"UPDATE {table} SET {sets} WHERE id = ?",
                            [*(v for c, v in row.items() if c != "id"), row["id"]])
            self._write_links(entity, row["id"],
                              {n: v for n, v in links.items() if v != before.get(n)})
            if bool(row["deleted"]) != bool(before["deleted"]):
                op = "delete" if row["deleted"] else "undelete"
            else:
                op = "update"
        self._record(Change(table, row["id"], op, before, after))
        return op

    def insert_remote_many(self, table: str, records: list[dict]) -> None:
        """:meth:`put_remote` for records that do not exist here yet, in bulk.

        Each record holds exactly the package columns (metadata, columns, link
        lists). One ``executemany`` for the rows and one per link table; every
        record is still recorded as an ``insert`` change (so the audit trail has
        its entry).
        """
        self._require_transaction()
        entity = ENTITIES[table]
        columns = (*META_COLUMNS, *entity.columns)
        values = operator.itemgetter(*columns)
        marks = ", ".join("?" for _ in columns)
        self.db.conn.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
            map(values, records))
        afters = list(map(dict, records))
        for name, link in entity.links.items():
            for after in afters:
                after[name] = sorted(set(after[name] or ()))
            self.db.conn.executemany(
                f"INSERT OR IGNORE INTO {link.table} ({link.parent}, {link.child})"
                " VALUES (?, ?)",
                [(after["id"], child) for after in afters for child in after[name]])
        self._record_many([Change(table, after["id"], "insert", None, after)
                           for after in afters])

    def _write_links(self, entity: Entity, record_id: str, values: dict) -> None:
        for name, link in entity.links.items():
            if name not in values:
                continue
            self.db.execute(f"DELETE FROM {link.table} WHERE {link.parent} = ?",
                            [record_id])
            self.db.conn.executemany(
                f"INSERT OR IGNORE INTO {link.table} ({link.parent}, {link.child})"
                " VALUES (?, ?)", [(record_id, child) for child in values[name]])


_PLAIN_TYPE = {"TEXT": str, "INTEGER": int}  # what such a column stores unchanged


def _stored_as_is(value: object, declared: str) -> bool:
    """True when SQLite stores *value* unchanged in a column of type *declared*."""
    if isinstance(value, str):  # text affinity, or none at all
        return declared == "" or any(t in declared for t in ("CHAR", "CLOB", "TEXT"))
    if isinstance(value, int):  # integer affinity, or none at all
        return declared == "" or "INT" in declared
    return False
