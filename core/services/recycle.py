"""The recycle bin (Thùng rác): delete a record with what goes with it, list what was
deleted, bring it back as it was.

A deletion is a tombstone (``deleted = 1``, the version bumped), as everywhere in
the program, so it travels to the province like any change: a record restored
before the next package was sent arrives there as an ordinary update (it was never
seen deleted); one restored after arrives as a newer version of the tombstone the
province already holds, and comes back there too.

What goes with a record, tombstoned in the same transaction and restored with it:

- a person: their memberships and the commendations they received;
- a model: its memberships and its commendations;
- a unit: its commendations;
- an event, a result, a commendation: nothing more.

Attendance is a list kept by each event, so it is never changed by deleting a person:
the person comes back on the same attendance lists. The bin row (table
``recycle_bin``, migration 0018) keeps the local time, the signed-in user and the
companions; a tombstone made before the bin existed is listed too, from its own
time stamp and the audit trail.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from core.accounts import require
from core.activity import local_now
from core.catalog import COMMENDATION_FORMS, RESULT_TYPES
from core.errors import NotFound, UserError
from core.station import Context
from core.store import Changes
from core.text import format_date

# The contract's kinds (``deleted --kind``) and the tables that hold them.
KIND_TABLES = {"unit": "units", "model": "models", "person": "persons",
               "event": "events", "result": "results", "commendation": "commendations"}
TABLE_KINDS = {table: kind for kind, table in KIND_TABLES.items()}
KIND_LABELS = {"unit": "đơn vị", "model": "mô hình", "person": "thành viên",
               "event": "sự kiện", "result": "kết quả", "commendation": "khen thưởng"}


@dataclass(frozen=True)
class Companions:
    """What goes with a record when it is deleted, and what it keeps."""

    memberships: list[str] = field(default_factory=list)
    commendations: list[str] = field(default_factory=list)
    attendance: int = 0         # events a person attended (kept on the events' lists)
    attendees: int = 0          # an event's attendance list (kept in the event)
    members_of_model: bool = False

    def records(self) -> list[tuple[str, str]]:
        """The (table, id) pairs tombstoned with the record."""
        return ([("memberships", i) for i in self.memberships]
                + [("commendations", i) for i in self.commendations])

    def text(self) -> str:
        """“cùng 2 lần tham gia mô hình và 1 khen thưởng” (empty when nothing goes)."""
        parts = []
        if self.memberships:
            parts.append(f"danh sách {len(self.memberships)} thành viên"
                         if self.members_of_model
                         else f"{len(self.memberships)} lần tham gia mô hình")
        if self.attendance:
            parts.append(f"{self.attendance} lần điểm danh sự kiện")
        if self.attendees:
            parts.append(f"danh sách {self.attendees} người tham dự")
        if self.commendations:
            parts.append(f"{len(self.commendations)} khen thưởng")
        if not parts:
            return ""
        joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " và " + parts[-1]
        return "cùng " + joined


@dataclass(frozen=True)
class Binned:
    """One record in the recycle bin."""

    id: str
    kind: str
    name: str
    deleted_at: str
    deleted_by: str
    companions: tuple[tuple[str, str], ...] = ()


def companions_text(ctx: Context, entry: Binned) -> str:
    """What was deleted with a binned record: “2 lần tham gia mô hình và 1 khen thưởng”
    (an event: its attendance list, which it keeps)."""
    attendees = ctx.db.execute("SELECT COUNT(*) FROM event_attendees WHERE event_id = ?",
                               [entry.id]).fetchone()[0] if entry.kind == "event" else 0
    going = Companions([i for t, i in entry.companions if t == "memberships"],
                       [i for t, i in entry.companions if t == "commendations"],
                       attendees=attendees, members_of_model=entry.kind == "model")
    return going.text().removeprefix("cùng ")


# -- finding a record --------------------------------------------------------

def table_of(ctx: Context, record_id: str) -> str:
    """The table of the record with this id (live or deleted); NotFound otherwise."""
    for table in KIND_TABLES.values():
        if ctx.db.execute(f"SELECT 1 FROM {table} WHERE id = ?", [record_id]).fetchone():
            return table
    raise NotFound(f"Không có bản ghi nào mang mã “{record_id}” (đơn vị, mô hình, thành "
                   "viên, sự kiện, kết quả hoặc khen thưởng). Kiểm tra lại mã.")


_NAME_SQL = {
    "units": "SELECT name FROM units WHERE id = ?",
    "models": "SELECT name FROM models WHERE id = ?",
    "persons": "SELECT full_name FROM persons WHERE id = ?",
}


def name_of(ctx: Context, table: str, record_id: str) -> str:
    """How a record is named to people (a result or a commendation by what it is)."""
    if table in _NAME_SQL:
        row = ctx.db.execute(_NAME_SQL[table], [record_id]).fetchone()
        return row[0] if row else ""
    if table == "events":
        date, title = ctx.db.execute("SELECT date, title FROM events WHERE id = ?",
                                     [record_id]).fetchone()
        return f"{title} ({format_date(date)})" if date else title
    if table == "results":
        date, kind, quantity = ctx.db.execute(
            "SELECT date, type, quantity FROM results WHERE id = ?", [record_id]).fetchone()
        return f"{RESULT_TYPES.label(kind)}: {quantity} ({format_date(date)})"
    form, kind, recipient, number = ctx.db.execute(
        "SELECT form, recipient_kind, recipient_id, decision_no FROM commendations"
        " WHERE id = ?", [record_id]).fetchone()
    who = name_of(ctx, KIND_TABLES[kind], recipient) if kind in KIND_TABLES else ""
    return " – ".join(filter(None, (COMMENDATION_FORMS.label(form), who, number)))


def companions(ctx: Context, table: str, record_id: str) -> Companions:
    """What goes with a live record if it is deleted now."""
    def live(sql: str) -> list[str]:
        return [r[0] for r in ctx.db.execute(sql, [record_id]).fetchall()]
    kind = TABLE_KINDS[table]
    praised = (live("SELECT id FROM commendations WHERE deleted = 0 AND recipient_id = ?"
                    f" AND recipient_kind = '{kind}' ORDER BY rowid")
               if kind in ("person", "model", "unit") else [])
    if table == "persons":
        attended = ctx.db.execute(
            "SELECT COUNT(*) FROM event_attendees a JOIN events e ON e.id = a.event_id"
            " WHERE a.person_id = ? AND e.deleted = 0", [record_id]).fetchone()[0]
        return Companions(live("SELECT id FROM memberships WHERE deleted = 0 AND"
                               " person_id = ? ORDER BY rowid"), praised, attendance=attended)
    if table == "models":
        return Companions(live("SELECT id FROM memberships WHERE deleted = 0 AND"
                               " model_id = ? ORDER BY rowid"), praised,
                          members_of_model=True)
    if table == "events":
        count = ctx.db.execute("SELECT COUNT(*) FROM event_attendees WHERE event_id = ?",
                               [record_id]).fetchone()[0]
        return Companions(attendees=count)
    return Companions(commendations=praised)


def question(ctx: Context, record_id: str) -> str:
    """The confirmation asked before deleting: “Xóa “Nguyễn Văn A” cùng 2 lần tham gia
    mô hình?”."""
    table = table_of(ctx, record_id)
    going = companions(ctx, table, record_id).text()
    return f"Xóa “{name_of(ctx, table, record_id)}”{' ' + going if going else ''}?"


# -- delete and restore ------------------------------------------------------

def delete(ctx: Context, record_id: str) -> tuple[str, Changes]:
    """Move a record to the recycle bin with what goes with it; return (kind, changes).

    Refused (nothing changed) for an unknown or already deleted id, a record of
    another station, or an account that may not edit.
    """
    require(ctx, "edit")
    table = table_of(ctx, record_id)
    if _is_deleted(ctx, table, record_id):
        raise UserError(f"“{name_of(ctx, table, record_id)}” đã nằm trong Thùng rác.")
    going = companions(ctx, table, record_id)
    with ctx.store.transaction() as changes:
        for other_table, other_id in going.records():
            ctx.store.set_deleted(other_table, other_id, True)
        ctx.store.set_deleted(table, record_id, True)
        ctx.db.execute(
            "INSERT OR REPLACE INTO recycle_bin (record_id, table_name, deleted_at,"
            " deleted_by, companions) VALUES (?, ?, ?, ?, ?)",
            [record_id, table, local_now(), ctx.user or "", json.dumps(going.records())])
    return TABLE_KINDS[table], changes


def restore(ctx: Context, record_id: str) -> tuple[str, Changes]:
    """Bring a deleted record back as it was, with what was deleted with it;
    return (kind, changes). Refused for a record not in the bin."""
    require(ctx, "edit")
    table = table_of(ctx, record_id)
    name = name_of(ctx, table, record_id)
    if not _is_deleted(ctx, table, record_id):
        raise UserError(f"“{name}” không nằm trong Thùng rác (chưa bị xóa).")
    _check_restorable(ctx, table, record_id)
    with ctx.store.transaction() as changes:
        ctx.store.set_deleted(table, record_id, False)
        for other_table, other_id in _companions_kept(ctx, table, record_id):
            row = ctx.store.row(other_table, other_id)
            if row is None or not row["deleted"]:
                continue
            side = _deleted_side(ctx, row) if other_table == "memberships" else None
            if side is None:
                ctx.store.set_deleted(other_table, other_id, False)
            else:       # its person (or model) is in the bin: it comes back with that one
                _hand_over(ctx, side, (other_table, other_id))
        ctx.db.execute("DELETE FROM recycle_bin WHERE record_id = ?", [record_id])
    return TABLE_KINDS[table], changes


def _deleted_side(ctx: Context, membership: dict) -> str | None:
    """The id of a membership's person or model when that one is deleted."""
    for table, column in (("persons", "person_id"), ("models", "model_id")):
        row = ctx.db.execute(f"SELECT deleted FROM {table} WHERE id = ?",
                             [membership[column]]).fetchone()
        if row is not None and row[0]:
            return membership[column]
    return None


def _hand_over(ctx: Context, record_id: str, pair: tuple[str, str]) -> None:
    """Add *pair* to what comes back with the binned record *record_id*."""
    row = ctx.db.execute("SELECT companions FROM recycle_bin WHERE record_id = ?",
                         [record_id]).fetchone()
    if row is not None:
        going = [*map(tuple, json.loads(row[0])), pair]
        ctx.db.execute("UPDATE recycle_bin SET companions = ? WHERE record_id = ?",
                       [json.dumps(going), record_id])


def _is_deleted(ctx: Context, table: str, record_id: str) -> bool:
    return bool(ctx.db.execute(f"SELECT deleted FROM {table} WHERE id = ?",
                               [record_id]).fetchone()[0])


def _check_restorable(ctx: Context, table: str, record_id: str) -> None:
    """Refuse what cannot come back: a person merged into another, or one whose ID
    number another person now carries."""
    if table != "persons":
        return
    merged, number = ctx.db.execute("SELECT merged_into, id_number FROM persons"
                                    " WHERE id = ?", [record_id]).fetchone()
    if merged:
        raise UserError(f"Người này đã được gộp vào “{name_of(ctx, 'persons', merged)}” nên"
                        " không khôi phục riêng được.")
    if number:
        other = ctx.db.execute("SELECT full_name FROM persons WHERE deleted = 0 AND"
                               " id_number = ? AND id != ?", [number, record_id]).fetchone()
        if other:
            raise UserError(f"Không khôi phục được: số định danh {number} nay là của "
                            f"“{other[0]}”. Sửa hoặc xóa người đó trước.")


def _companions_kept(ctx: Context, table: str, record_id: str) -> list[tuple[str, str]]:
    """What was deleted with the record: from its bin row, or (a tombstone made before
    the bin) a person's deleted memberships, as the program did then."""
    row = ctx.db.execute("SELECT companions FROM recycle_bin WHERE record_id = ?",
                         [record_id]).fetchone()
    if row is not None:
        return [tuple(pair) for pair in json.loads(row[0])]
    if table == "persons":
        return [("memberships", r[0]) for r in ctx.db.execute(
            "SELECT id FROM memberships WHERE person_id = ? AND deleted = 1", [record_id])]
    return []


# -- the list ----------------------------------------------------------------

def binned(ctx: Context, kind: str | None = None) -> list[Binned]:
    """The station's own deleted records (of one *kind*, or all), newest first.

    Persons merged into others are not listed: they live on in the kept person.
    """
    require(ctx, "read")
    if kind is not None and kind not in KIND_TABLES:
        raise UserError(f"Loại “{kind}” không có; chọn một trong: {', '.join(KIND_TABLES)}.")
    tables = [KIND_TABLES[kind]] if kind else list(KIND_TABLES.values())
    gone_with_others = {other_id for (going,) in ctx.db.execute(
        "SELECT companions FROM recycle_bin") for _, other_id in json.loads(going)}
    found = []
    for table in tables:
        merged = " AND t.merged_into IS NULL" if table == "persons" else ""
        rows = ctx.db.execute(
            f"SELECT t.id, t.updated_at, b.deleted_at, b.deleted_by, b.companions, b.rowid"
            f" FROM {table} t LEFT JOIN recycle_bin b ON b.record_id = t.id"
            f" WHERE t.deleted = 1 AND t.owner = ?{merged}", [ctx.station.code]).fetchall()
        for record_id, updated_at, at, by, going, order in rows:
            if record_id in gone_with_others:   # listed under the record it went with
                continue
            if at is None:
                at, by = _local(updated_at), _deleted_by(ctx, table, record_id)
            found.append((_instant(at), order or 0, Binned(
                record_id, TABLE_KINDS[table], name_of(ctx, table, record_id), at, by or "",
                tuple(tuple(p) for p in json.loads(going or "[]")))))
    found.sort(key=lambda item: item[:2], reverse=True)    # the same second: the later row
    return [item[2] for item in found]


def _local(utc_text: str) -> str:
    """A stored UTC time stamp as the station's local time (ISO, with offset)."""
    return dt.datetime.fromisoformat(utc_text).astimezone().isoformat(timespec="seconds")


def _instant(text: str) -> dt.datetime:
    """An ISO time (with offset) as a comparable instant."""
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.astimezone()


def _deleted_by(ctx: Context, table: str, record_id: str) -> str:
    """Who made the last deletion of a record, from the audit trail."""
    row = ctx.db.execute("SELECT user FROM audit WHERE owner = ? AND table_name = ? AND"
                         " record_id = ? AND op = 'delete' ORDER BY seq DESC LIMIT 1",
                         [ctx.station.code, table, record_id]).fetchone()   # its index
    return row[0] if row else ""
