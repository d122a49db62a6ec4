"""What every service does: check the user's role, normalise, validate, write."""
from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from typing import TypeVar

from core import rules
from core.activity import iso_day
from core.accounts import ACTION_ROLE, ROLE_RANK, require  # noqa: F401 (re-exported)
from core.errors import FieldError, ValidationError
from core.records import Record
from core.repos.base import Repo
from core.services import recycle
from core.station import Context
from core.store import Changes
from core.text import clean

R = TypeVar("R", bound=Record)


def guard(ctx: Context, action: str = "edit") -> None:
    """Refuse *action* ("read", "edit", "admin") when the user's role is too low.

    Without accounts everything is allowed, as on a station that has not set up
    accounts yet; once accounts exist, nobody signed in may do nothing, not even read (see
    :func:`core.accounts.require`).
    """
    require(ctx, action)


def normalise(record: Record) -> None:
    """NFC-normalise and trim every text field of *record* in place."""
    for spec in dataclasses.fields(record):
        value = getattr(record, spec.name)
        if isinstance(value, str):
            setattr(record, spec.name, rules.paragraphs(value)
                    if spec.name in rules.PARAGRAPH_FIELDS else clean(value))
        elif isinstance(value, list):
            setattr(record, spec.name, [clean(v) for v in value if clean(v)])


def text_errors(record: Record) -> list[FieldError]:
    """The entry rules for every text field of *record* (control characters, length)."""
    errors = []
    for spec in dataclasses.fields(record):
        values = getattr(record, spec.name)
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, str) and (problem := rules.field_problem(spec.name, value)):
                errors.append(FieldError(spec.name, f"Nội dung {problem}"))
                break
    return errors


@functools.lru_cache(maxsize=None)
def _checked_fields(kind: type) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The names of *kind*'s fields the entry rules look at: dates, counts, the rest."""
    names = [spec.name for spec in dataclasses.fields(kind)]
    return (tuple(n for n in names if n in rules.DATE_FIELDS),
            tuple(n for n in names if n in rules.WHOLE_FIELDS),
            tuple(n for n in names if n not in rules.DATE_FIELDS
                  and n not in rules.WHOLE_FIELDS))


def date_errors(record: Record) -> list[FieldError]:
    """The entry rules for every date field of *record*: a possible date, 1900–2100."""
    return [FieldError(name, problem) for name in _checked_fields(type(record))[0]
            if (problem := rules.date_message(name, getattr(record, name)))]


def number_errors(record: Record) -> list[FieldError]:
    """The entry rules for the counts of *record*: whole, 0–10.000.000."""
    return [FieldError(name, f"Số {problem}") for name in _checked_fields(type(record))[1]
            if (problem := rules.whole_problem(getattr(record, name)))]


def entry_errors(record: Record) -> list[FieldError]:
    """The entry rules of every way data comes in (texts, dates, counts), for one record.

    The forms run them through :func:`save_record`; the data workbook calls this
    beside the record's own validator, for every row; a received package is
    checked by the same functions of :mod:`core.rules` (:mod:`core.exchange.content`).
    The texts are first looked at together: only a record that trips a rule is
    looked at field by field for the located message.
    """
    dates, counts, others = _checked_fields(type(record))
    texts = []
    for name in others:
        value = getattr(record, name)
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, list):
            texts.extend(v for v in value if isinstance(v, str))
    joined = " ".join(texts)
    errors = text_errors(record) if (
        rules.CONTROL.search(joined) or rules.LINE_BREAK.search(joined)
        or max(map(len, texts), default=0) > rules.SHORT_TEXT) else []
    if any(getattr(record, name) for name in dates):
        errors += date_errors(record)
    if any(getattr(record, name) is not None for name in counts):
        errors += number_errors(record)
    return errors


def today() -> str:
    """Today's date on the station's clock as ISO text (see core.activity)."""
    return iso_day()


def check_date_order(errors: list[FieldError], first: str | None, later: str | None,
                     field: str, message: str) -> None:
    """Add an error when *later* is before *first* (both ISO, either may be empty)."""
    if first and later and later < first:
        errors.append(FieldError(field, message))


def exists(ctx: Context, table: str, record_id: str | None) -> bool:
    """True when a live record with this id exists in *table*."""
    if not record_id:
        return False
    row = ctx.db.execute(f"SELECT 1 FROM {table} WHERE id = ? AND deleted = 0",
                         [record_id]).fetchone()
    return row is not None


Validator = Callable[[Context, R], list[FieldError]]


def save_record(ctx: Context, repo: Repo[R], record: R,
                validate: Validator) -> tuple[str, Changes]:
    """Validate *record* and write it in one transaction; return (id, changes)."""
    guard(ctx, "edit")
    normalise(record)
    errors = entry_errors(record) + validate(ctx, record)
    if errors:
        raise ValidationError(errors)
    with ctx.store.transaction() as changes:
        record_id = repo.save(record)
    return record_id, changes


def delete_record(ctx: Context, repo: Repo, record_id: str) -> Changes:
    """Delete a record in one transaction: a unit, model, person, event, result or
    commendation goes to the recycle bin with what goes with it
    (:mod:`core.services.recycle`); a membership or a yearly entry is tombstoned."""
    if repo.entity.table in recycle.TABLE_KINDS:
        return recycle.delete(ctx, record_id)[1]
    guard(ctx, "edit")
    with ctx.store.transaction() as changes:
        repo.delete(record_id)
    return changes


def undelete_record(ctx: Context, repo: Repo, record_id: str) -> Changes:
    """Undo a delete (from the recycle bin for the kinds it holds)."""
    if repo.entity.table in recycle.TABLE_KINDS:
        return recycle.restore(ctx, record_id)[1]
    guard(ctx, "edit")
    with ctx.store.transaction() as changes:
        repo.undelete(record_id)
    return changes
