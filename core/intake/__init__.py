"""Taking in the lists a station already keeps (issue 14; docs/intake.md).

The flow, each step a plain function over plain dataclasses (no Qt, nothing
written before the last step)::

    book = read_file(path)                      # reader.Book: sheets, cells, fonts,
                                                # hidden rows/sheets, merged ranges
    choices = Choices(model="Tổ ANND thôn Đông", hidden="left", source=file_hash(path))
    seen = inspect(book, choices, load_mappings(ctx))   # inspect.Inspection
    todo = plan(ctx, seen)                      # plan.Plan (reads the database only)
    done = apply(ctx, todo, progress=callback)  # apply.ApplyResult, one transaction

Modules:

- :mod:`~core.intake.reader` — ``read_file(path) -> Book``; ``Book(path, kind,
  sheets: list[Grid], encoding)``; ``Grid(name, rows, fonts, hidden_rows, hidden,
  merged)`` with ``cell(r, c)`` / ``font(r, c)`` (1-based).
- :mod:`~core.intake.legacy` — ``decode_tcvn3/encode_tcvn3/decode_vni/encode_vni``,
  ``convert(text, encoding, capitals=False)``, ``detect(texts, fonts) -> Detection
  (encoding, capitals, reason, ambiguous, candidates, samples[(before, after)])``,
  ``garbled_chars(text)``, ``lost_capitals(original, converted)``.
- :mod:`~core.intake.fields` — ``FIELDS`` (field key -> label, aliases),
  ``field_for(header)``, the cell readers (dates, ID numbers, phones, names).
- :mod:`~core.intake.inspect` — ``Choices`` (what the user decided: mapping,
  encodings, header_rows, corrections, accept_proposals, hidden, sheets, model,
  model_type, unit, model_per_sheet, event_date, source), ``inspect(book, choices,
  remembered) -> Inspection(book, choices, sheets: list[SheetInspection])``;
  ``SheetInspection(name, kind, header_row, first_header_row, title, columns:
  list[Column(index, header, field, guessed, detection)], rows: list[RowData(number,
  values, hidden, problems[(column, message)], warnings)], excluded[(row, reason)],
  hidden_rows, proposals: list[Proposal], blocked, notes)``; ``to_json()`` gives
  ``inspect-list --json``.
- :mod:`~core.intake.plan` — ``plan(ctx, inspection) -> Plan`` (new_units,
  new_models, new_persons, updated_persons, matched_persons, new_memberships,
  updated_memberships, matched_memberships, events, results, review:
  list[ReviewItem], changes: list[Change], unmatched, errors: list[CellError],
  warnings); ``to_json(applied)`` gives ``import-list --json``.
- :mod:`~core.intake.matching` — the duplicate rules: ``name_key`` (tone marks kept;
  case, spacing, tone placement ignored), ``weak_reason``, merged-away persons.
- :mod:`~core.intake.apply` — ``apply(ctx, plan, progress=None) -> ApplyResult``
  (all or nothing; a progress callback returning False cancels), ``file_hash``,
  ``load_mappings``.
- :mod:`~core.intake.review` — ``pending(ctx)``, ``decide(ctx, id, same=ID | new=True)``.
- :mod:`~core.intake.repair` — ``repair_text(ctx, "tcvn3" | "vni", dry_run=False)``.

:func:`take_in` runs the whole flow for one file (the CLI's ``import-list``).
"""
from __future__ import annotations

from pathlib import Path

from core.intake.apply import ApplyResult, apply, file_hash, load_mappings
from core.intake.inspect import Choices, Inspection, inspect
from core.intake.plan import Plan, plan
from core.intake.reader import Book, read_file

__all__ = ["ApplyResult", "Book", "Choices", "Inspection", "Plan", "apply", "file_hash",
           "inspect", "load_mappings", "plan", "read_file", "take_in", "see"]


def see(ctx, path: Path | str, choices: Choices | None = None) -> Inspection:
    """Read and inspect a file with the station's remembered mappings; writes nothing."""
    choices = choices or Choices()
    book = read_file(path)
    missing = [name for name in choices.sheets or () if name not in {g.name for g in book.sheets}]
    if missing:
        from core.errors import UserError
        raise UserError(f"Tệp không có trang “{missing[0]}”; các trang: "
                        + ", ".join(f"“{g.name}”" for g in book.sheets) + ".")
    choices.source = choices.source or file_hash(path)
    return inspect(book, choices, load_mappings(ctx) if ctx else None)


def take_in(ctx, path: Path | str, choices: Choices | None = None, *, dry_run: bool = False,
            progress=None) -> tuple[Plan, ApplyResult]:
    """Inspect, plan and (unless *dry_run* or the plan has errors) apply one file."""
    todo = plan(ctx, see(ctx, path, choices))
    if dry_run or todo.errors:
        return todo, ApplyResult(False)
    return todo, apply(ctx, todo, progress=progress)
