"""The review queue: rows of a list that matched a stored person only weakly.

A queued row is not written until someone decides: :func:`decide` merges it into
the person named (the more precise value wins; a differing spelling is kept as
stored and reported) or makes a new person; the row's membership follows.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from core import rules
from core.errors import UserError
from core.intake.apply import membership_from
from core.records import Person
from core.repos.persons import MembershipRepo, PersonRepo
from core.services.common import guard
from core.services.members import complete_name
from core.store import Changes, now


@dataclass
class QueuedRow:
    """One row waiting for a decision."""

    id: int
    name: str
    birth: str | None
    source: str            # "file name, trang “sheet”, dòng row"
    person: dict
    membership: dict | None
    candidates: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"id": self.id, "name": self.name, "birth": self.birth, "source": self.source,
                "candidates": self.candidates}


def pending(ctx) -> list[QueuedRow]:
    """The rows waiting for a decision, oldest first."""
    guard(ctx, "read")
    rows = ctx.db.execute(
        "SELECT id, name, birth, file_name, sheet, row, person, membership, candidates"
        " FROM intake_review WHERE status = 'pending' ORDER BY id").fetchall()
    return [QueuedRow(r[0], r[1], r[2], f"{r[3]}, trang “{r[4]}”, dòng {r[5]}",
                      json.loads(r[6]), json.loads(r[7]) if r[7] else None, json.loads(r[8]))
            for r in rows]


@dataclass
class Decision:
    """What deciding a queued row wrote."""

    id: int
    person_id: str
    changes: Changes
    spellings: list[str] = field(default_factory=list)


def decide(ctx, item_id: int, *, same: str | None = None, new: bool = False) -> Decision:
    """Settle one queued row: the same person as *same*, or (*new*) a new person."""
    guard(ctx, "edit")
    if bool(same) == bool(new):
        raise UserError("Chọn một trong hai: --same MÃ_NGƯỜI hoặc --new.")
    row = ctx.db.execute("SELECT status, person, membership FROM intake_review WHERE id = ?",
                         [item_id]).fetchone()
    if row is None:
        raise UserError(f"Không có dòng chờ xem xét số {item_id}.")
    if row[0] != "pending":
        raise UserError(f"Dòng chờ xem xét số {item_id} đã được quyết định.")
    values, membership = json.loads(row[1]), json.loads(row[2]) if row[2] else None
    persons = PersonRepo(ctx.store)
    spellings = []
    with ctx.store.transaction() as changes:
        if same:
            person = persons.find(same)
            if person is None:
                raise UserError(f"Không tìm thấy người có mã {same}.")
            spellings = _merge(person, values)
            persons.save(person)
        else:
            person = Person(**values)
            complete_name(person)
            person.id = persons.save(person)
        if membership and (problem := rules.join_problem(person.birth_date,
                                                          membership.get("join_date"))):
            # the same rule as every entry: the decided person's birth date may be later
            raise UserError(f"Không ghi được dòng số {item_id} vào “{person.full_name}”: "
                            f"{problem[0].lower()}{problem[1:]}")
        if membership:
            memberships = MembershipRepo(ctx.store)
            if not memberships.ids_for(person.id, membership["model_id"]):
                memberships.save(membership_from(membership, person.id))
        ctx.db.execute("UPDATE intake_review SET status = 'decided', person_id = ?,"
                       " decided_at = ?, decided_by = ? WHERE id = ?",
                       [person.id, now(), ctx.user or "", item_id])
    return Decision(item_id, person.id, changes, spellings)


def _merge(person: Person, values: dict) -> list[str]:
    """Take the queued values into *person*: the more precise wins; spellings reported."""
    notes = []
    birth = values.get("birth_date")
    if birth and len(birth) == 10 and (not person.birth_date or person.birth_date == birth[:4]):
        person.birth_date = birth
    for name, value in values.items():
        if name in ("full_name", "birth_date"):
            continue
        if value and not getattr(person, name, ""):
            setattr(person, name, value)
    if values.get("full_name") and values["full_name"] != person.full_name:
        notes.append(f"Giữ tên đã lưu “{person.full_name}” (trong tệp: “{values['full_name']}”).")
    return notes


def queued_id(ctx, source: str, sheet: str, row: int) -> int | None:
    """The id of the row of a file (by content hash) still waiting, if any (the wizard
    decides the rows of the file it has just taken in)."""
    guard(ctx, "read")
    found = ctx.db.execute("SELECT id FROM intake_review WHERE status = 'pending'"
                           " AND source = ? AND sheet = ? AND row = ?",
                           [source, sheet, row]).fetchone()
    return found[0] if found else None
