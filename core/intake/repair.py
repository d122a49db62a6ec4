"""Mending legacy text already stored (names typed in TCVN3 or VNI and taken in as is).

:func:`repair_text` looks at every text column of the station's own records and
converts only the values that really are legacy-encoded: text within Latin-1
whose conversion turns garbled words into Vietnamese syllables. Correct Unicode
is never touched. The records are written through the store (search and sort
keys rebuilt, the audit trail records each change).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from core import rules
from core.errors import UserError
from core.intake import legacy
from core.repos.activities import CommendationRepo, EventRepo, ResultRepo
from core.repos.models import ModelRepo
from core.repos.persons import MembershipRepo, PersonRepo
from core.repos.units import UnitRepo
from core.services.common import guard
from core.store import Changes
from core.text import clean

REPOS = (PersonRepo, UnitRepo, ModelRepo, MembershipRepo, EventRepo, ResultRepo,
         CommendationRepo)
SKIP = {"id", "owner", "id_number", "old_id_number", "phone", "gender", "role", "type",
        "status", "form", "authority", "recipient_kind", "rating"}


@dataclass
class RepairResult:
    """How many records of each table were (or would be) mended, with samples."""

    changed: dict[str, int] = field(default_factory=dict)
    samples: list[tuple[str, str]] = field(default_factory=list)
    changes: Changes | None = None


def mended(value: str, encoding: str) -> str | None:
    """The Unicode of a stored *value* when it really is *encoding*; else None."""
    if not value or not legacy.is_legacy_candidate(value):
        return None
    converted = legacy.convert(value, encoding)
    if converted == value:
        return None
    # Only text that reads as Vietnamese once converted, and did not before.
    if legacy.implausible_words(converted) or legacy.garbled_chars(converted) \
            or not (legacy.implausible_words(value) or legacy.garbled_chars(value)):
        return None
    return converted


def without_controls(value: str, name: str) -> str | None:
    """*value* without what the entry rules refuse in field *name*; None when fine."""
    long = name in rules.LONG_FIELDS
    if not value or not (rules.CONTROL.search(value)
                         or (not long and rules.LINE_BREAK.search(value))):
        return None
    text = rules.CONTROL.sub("", value)
    return text if long else clean(rules.LINE_BREAK.sub(" ", text))


def repair_text(ctx, encoding: str, *, dry_run: bool = False) -> RepairResult:
    """Convert text stored in *encoding* ("tcvn3" or "vni") to Unicode, or with
    ``"control"`` take the control characters out of the stored text."""
    if encoding not in ("tcvn3", "vni", "control"):
        raise UserError("Bảng mã phải là “tcvn3” hoặc “vni” (hoặc “control” để bỏ ký tự "
                        "điều khiển).")
    guard(ctx, "read" if dry_run else "edit")
    result = RepairResult()
    with ctx.store.transaction() as changes:
        for kind in REPOS:
            repo = kind(ctx.store)
            table = repo.entity.table
            for record in repo.all("owner = ?", [ctx.station.code]):
                touched = False
                for spec in dataclasses.fields(record):
                    value = getattr(record, spec.name)
                    if not isinstance(value, str) or (spec.name in SKIP
                                                      and encoding != "control"):
                        continue
                    fixed = (without_controls(value, spec.name) if encoding == "control"
                             else mended(value, encoding))
                    if fixed is not None:
                        if len(result.samples) < 10:
                            result.samples.append((value, fixed))
                        setattr(record, spec.name, fixed)
                        touched = True
                if touched:
                    if table == "persons":
                        from core.services.members import complete_name
                        record.given_name = record.family_name = record.middle_name = ""
                        complete_name(record)
                    result.changed[table] = result.changed.get(table, 0) + 1
                    if not dry_run:
                        repo.save(record)
        if dry_run:
            changes.items.clear()
    result.changes = None if dry_run else changes
    return result
