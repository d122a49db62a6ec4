"""The generic repository every entity repository builds on."""
from __future__ import annotations

import dataclasses
from typing import Generic, TypeVar

from core.errors import NotFound
from core.records import Record
from core.schema import Entity
from core.store import Store

R = TypeVar("R", bound=Record)


class Repo(Generic[R]):
    """Reads and writes one entity through the store."""

    entity: Entity
    record_type: type[R]
    not_found = "Không tìm thấy bản ghi."

    def __init__(self, store: Store):
        self.store = store
        self.db = store.db
        self._fields = {f.name: f for f in dataclasses.fields(self.record_type)}
        # The stored columns, and whether "" is stored as NULL (ids and dates).
        self._columns = [(name, name.endswith(("_id", "_date")))
                         for name in self.entity.content_columns if name in self._fields]
        self._names = tuple(name for name, _ in self._columns)
        self._null_if_empty = tuple(name for name, empty_is_null in self._columns
                                    if empty_is_null)

    # -- conversion -----------------------------------------------------------

    def from_row(self, row: dict) -> R:
        """Build a record from a snapshot (row + link lists)."""
        values = {}
        for name, spec in self._fields.items():
            if name not in row:
                continue
            value = row[name]
            if spec.default == "" and value is None:
                value = ""
            elif isinstance(spec.default, bool):
                value = bool(value)
            values[name] = value
        return self.record_type(**values)

    def from_rows(self, names: list[str], rows: list[tuple]) -> list[R]:
        """:meth:`from_row` for many rows of one query (*names*: its column names).

        Same records, built without a call per field: a bulk import reads every
        person and membership of the station this way.
        """
        plan = []
        for index, name in enumerate(names):
            spec = self._fields.get(name)
            if spec is not None:
                plan.append((index, name, 1 if spec.default == "" else
                             2 if isinstance(spec.default, bool) else 0))
        if {p[1] for p in plan} != set(self._fields):  # a field the rows lack: the slow way
            return [self.from_row(dict(zip(names, row))) for row in rows]
        make, records = self.record_type, []
        for row in rows:
            record = object.__new__(make)
            values = record.__dict__
            for index, name, kind in plan:
                value = row[index]
                if kind == 1 and value is None:
                    value = ""
                elif kind == 2:
                    value = bool(value)
                values[name] = value
            records.append(record)
        return records

    def derived(self, record: R) -> dict:
        """Computed columns (search and sort keys) for *record*."""
        return {}

    def values(self, record: R) -> dict:
        """The column and link values to store for *record*."""
        values = self.content_values(record)
        values.update(self.derived(record))
        return values

    def content_values(self, record: R) -> dict:
        """:meth:`values` without the derived columns (enough to compare two records)."""
        fields = record.__dict__
        values = {name: fields[name] for name in self._names}
        if bool in set(map(type, values.values())):   # rare: flags are stored as 0/1
            for name, value in values.items():
                if value.__class__ is bool:
                    values[name] = int(value)
        for name in self._null_if_empty:
            if values[name] == "":
                values[name] = None
        for name in self.entity.links:
            values[name] = list(fields[name])
        return values

    # -- reads ----------------------------------------------------------------

    def find(self, record_id: str | None) -> R | None:
        """The live record with this id, or None."""
        if not record_id:
            return None
        snap = self.store.snapshot(self.entity.table, record_id)
        if snap is None or snap["deleted"]:
            return None
        return self.from_row(snap)

    def get(self, record_id: str, *, include_deleted: bool = False) -> R:
        """The record with this id; raises NotFound when missing or deleted."""
        snap = self.store.snapshot(self.entity.table, record_id) if record_id else None
        if snap is None or (snap["deleted"] and not include_deleted):
            raise NotFound(self.not_found)
        return self.from_row(snap)

    def ids(self, where: str = "", params: list | None = None,
            order_by: str = "rowid") -> list[str]:
        """Ids of live records matching a SQL condition, in order."""
        clause = "deleted = 0" + (f" AND ({where})" if where else "")
        rows = self.db.execute(
            f"SELECT id FROM {self.entity.table} WHERE {clause} ORDER BY {order_by}",
            params or []).fetchall()
        return [r[0] for r in rows]

    def all(self, where: str = "", params: list | None = None,
            order_by: str = "rowid") -> list[R]:
        """Live records matching a SQL condition, in order.

        One query for the rows and one per link table, not a query (and link
        queries) per record: an export reads every record this way.
        """
        table = self.entity.table
        clause = "deleted = 0" + (f" AND ({where})" if where else "")
        cur = self.db.execute(f"SELECT * FROM {table} WHERE {clause} ORDER BY {order_by}",
                              params or [])
        names = [d[0] for d in cur.description]
        rows = cur.fetchall()
        if self.entity.links and rows:
            at = names.index("id")
            wanted = {row[at] for row in rows}
            lists = []
            for name, link in self.entity.links.items():
                found: dict[str, list[str]] = {}
                for parent, child in self.db.execute(
                        f"SELECT {link.parent}, {link.child} FROM {link.table}"
                        f" ORDER BY {link.parent}, {link.child}"):
                    if parent in wanted:
                        found.setdefault(parent, []).append(child)
                names.append(name)
                lists.append(found)
            rows = [(*row, *(list(found.get(row[at], ())) for found in lists))
                    for row in rows]
        return self.from_rows(names, rows)

    def count(self) -> int:
        """How many live records there are."""
        return self.db.execute(
            f"SELECT COUNT(*) FROM {self.entity.table} WHERE deleted = 0").fetchone()[0]

    # -- writes (call inside store.transaction()) ----------------------------

    def save(self, record: R) -> str:
        """Insert a new record or update an existing one; returns its id."""
        values = self.values(record)
        if record.id and self.store.row(self.entity.table, record.id) is not None:
            self.store.update(self.entity.table, record.id, values)
            return record.id
        return self.store.insert(self.entity.table, values, record_id=record.id)

    def insert_many(self, records: list[R]) -> list[str]:
        """Insert new *records* in bulk (see :meth:`Store.insert_many`); ids set on them.

        The stored values (derived columns included) are exactly what
        :meth:`save` would store for each record.
        """
        ids = self.store.insert_many(self.entity.table, [self.values(r) for r in records],
                                     record_ids=[r.id or None for r in records])
        for record, record_id in zip(records, ids):
            record.id = record_id
        return ids

    def delete(self, record_id: str) -> bool:
        """Tombstone a record."""
        return self.store.set_deleted(self.entity.table, record_id, True)

    def undelete(self, record_id: str) -> bool:
        """Bring a tombstoned record back (undo of a delete)."""
        return self.store.set_deleted(self.entity.table, record_id, False)
