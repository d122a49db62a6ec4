"""Writing a plan: all or nothing, through the store (so the audit trail has it).

:func:`apply` writes one file's :class:`~core.intake.plan.Plan` in one
transaction: units and models first, then persons and memberships in bulk (one
``executemany`` per table, :meth:`core.repos.base.Repo.insert_many`), the rare
updates one by one, events and results, the review queue's new rows and the
confirmed column mappings. A plan with errors writes nothing. A progress callback
returning False cancels (and rolls everything back).
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import UserError
from core.intake.plan import Plan, person_json
from core.records import Membership
from core.repos.activities import EventRepo, ResultRepo
from core.repos.models import ModelRepo
from core.repos.persons import MembershipRepo, PersonRepo
from core.repos.units import UnitRepo
from core.services.common import guard
from core.store import Changes, now

Progress = Callable[[int, int], object]


@dataclass
class ApplyResult:
    """What :func:`apply` wrote."""

    applied: bool
    changes: Changes | None = None
    queued: list[int] = field(default_factory=list)   # ids of new review-queue rows


def file_hash(path: Path | str) -> str:
    """The content hash a file's rows are remembered by in the review queue."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_mappings(ctx) -> dict[str, dict[str, str | None]]:
    """Every mapping the station confirmed, by header set."""
    rows = ctx.db.execute("SELECT header_set, mapping FROM intake_mappings").fetchall()
    return {key: json.loads(mapping) for key, mapping in rows}


def remember_mappings(ctx, plan: Plan) -> None:
    """Keep the mappings of a plan for the next file with the same headers."""
    stamp = now()
    for key, mapping in plan.inspection.header_sets().items():
        ctx.db.execute(
            "INSERT INTO intake_mappings (header_set, mapping, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT(header_set) DO UPDATE SET mapping = excluded.mapping,"
            " updated_at = excluded.updated_at",
            [key, json.dumps(mapping, ensure_ascii=False), stamp])


def apply(ctx, plan: Plan, *, progress: Progress | None = None) -> ApplyResult:
    """Write *plan* in one transaction (nothing when it has errors)."""
    guard(ctx, "edit")
    if plan.errors:
        return ApplyResult(False)
    total = (len(plan.new_persons) + len(plan.new_memberships) + len(plan.updated_persons)
             + len(plan.updated_memberships) + len(plan.review) + 1)
    done = 0

    def tick(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None and progress(min(done, total), total) is False:
            raise UserError("Đã hủy; dữ liệu không thay đổi.")

    store = ctx.store
    with store.transaction() as changes:
        units = UnitRepo(store)
        for unit in plan.new_units:
            units.save(unit)
        models = ModelRepo(store)
        for model in plan.new_models:
            models.save(model)
        persons = PersonRepo(store)
        _insert_in_chunks(persons, plan.new_persons, tick)
        for person in plan.updated_persons:
            persons.save(person)
        tick(len(plan.updated_persons))
        memberships = MembershipRepo(store)
        _insert_in_chunks(memberships, plan.new_memberships, tick)
        for item in plan.updated_memberships:
            memberships.save(item)
        for event in plan.events:
            EventRepo(store).save(event)
        for result in plan.results:
            ResultRepo(store).save(result)
        queued = _queue(ctx, plan)
        tick(len(plan.review) + 1)
        remember_mappings(ctx, plan)
    return ApplyResult(True, changes, queued)


def _queue(ctx, plan: Plan) -> list[int]:
    """Put the plan's new review items in the queue; their ids."""
    ids = []
    source = plan.inspection.choices.source
    name = plan.inspection.book.path.name
    for item in plan.review:
        if item.queued:
            continue
        person = item.person
        values = person_json(person)
        waiting = ctx.db.execute("SELECT 1 FROM intake_review WHERE status = 'pending'"
                                 " AND person = ?", [values]).fetchone()
        if waiting:      # the same row of a list saved again: one item is enough
            continue
        cur = ctx.db.execute(
            "INSERT INTO intake_review (source, file_name, sheet, row, name, birth, person,"
            " membership, candidates, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(source, sheet, row) DO NOTHING RETURNING id",
            [source, name, item.sheet, item.row, person.full_name, person.birth_date,
             values, json.dumps(item.membership, ensure_ascii=False)
             if item.membership else None,
             json.dumps([c.to_json() for c in item.candidates], ensure_ascii=False), now()])
        found = cur.fetchone()
        if found:
            ids.append(found[0])
    return ids


def membership_from(values: dict, person_id: str) -> Membership:
    """A queued row's membership, for its person once decided."""
    return Membership(person_id=person_id, model_id=values["model_id"],
                      role=values.get("role") or "thanh_vien",
                      join_date=values.get("join_date"), leave_date=values.get("leave_date"),
                      leave_reason=values.get("leave_reason") or "")


CHUNK = 2000   # records per insert_many: progress (and Cancel) between chunks


def _insert_in_chunks(repo, records: list, tick) -> None:
    """Insert *records* through the repo's bulk path, reporting progress per chunk."""
    for start in range(0, len(records), CHUNK):
        chunk = records[start:start + CHUNK]
        repo.insert_many(chunk)
        tick(len(chunk))
