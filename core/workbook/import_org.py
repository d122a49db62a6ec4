"""Importing the “Đơn vị” and “Mô hình” sheets."""
from __future__ import annotations

import functools
import re

from core.records import Model, Unit, UnitYear
from core.repos.models import ModelRepo
from core.repos.units import UnitRepo, UnitYearRepo
from core.services import models as model_service
from core.services import units as unit_service
from core.services.common import entry_errors, normalise
from core.text import fold
from core.workbook.layout import MODELS, UNITS
from core.workbook.names import NameIndex, Named
from core.workbook.session import Row, Session, apply, check, finish

UNIT_FIELDS = ("name", "type", "address", "head", "phone", "households")
YEAR_FIELDS = ("registered", "recognised", "decision_no")
MODEL_FIELDS = ("name", "type", "launch_date", "decision_no", "decision_date", "status",
                "advanced", "notes")
_QUALIFIER = re.compile(r"\s*\([^()]*\)\s*$")


# -- indexes ---------------------------------------------------------------------

def load_indexes(session: Session) -> None:
    """Build the name indexes of the units and models already in the database."""
    units = session.repo(UnitRepo).all()
    session.units = NameIndex(Named(u.id, u.name, {"parent_id": u.parent_id}) for u in units)
    for item in list(session.units.by_id.values()):
        item.qualifiers = unit_qualifiers(session.units, item.data["parent_id"])
    session.models = NameIndex(
        model_named(session, m) for m in session.repo(ModelRepo).all())


def unit_qualifiers(units: NameIndex, parent_id: str | None) -> set[str]:
    """A unit is told apart from its namesakes by its parent's name."""
    parent = units.by_id.get(parent_id) if parent_id else None
    return {fold(parent.name)} if parent else set()


def model_named(session: Session, model: Model) -> Named:
    """A model for the index: told apart from namesakes by its units' names."""
    names = {fold(session.units.by_id[u].name) for u in model.unit_ids
             if u in session.units.by_id}
    return Named(model.id, model.name, {"unit_ids": list(model.unit_ids),
                                        "type": model.type}, names)


# -- units -------------------------------------------------------------------------

def import_units(session: Session) -> None:
    """Write the unit rows, parents before their children."""
    for row in parents_first(session.rows(UNITS)):
        ok, unit = session.run(UNITS, row, functools.partial(_unit_row, session, row),
                               name=str(row.get("name") or ""))
        if ok:
            session.units.add(Named(unit.id, unit.name, {"parent_id": unit.parent_id},
                                    unit_qualifiers(session.units, unit.parent_id)))


def parents_first(rows: list[Row]) -> list[Row]:
    """Order rows so that a unit named in “Thuộc” comes before the units below it."""
    by_name: dict[str, list[Row]] = {}
    for row in rows:
        by_name.setdefault(fold(str(row.get("name") or "")), []).append(row)
    depths: dict[int, int] = {}

    def depth(row: Row, seen: frozenset[int]) -> int:
        if row.number in depths:
            return depths[row.number]
        parent = str(row.get("parent_id") or "")
        above = by_name.get(fold(parent)) or by_name.get(fold(_QUALIFIER.sub("", parent)), [])
        result = 1 + max((depth(r, seen | {row.number}) for r in above
                          if r.number not in seen and r is not row), default=-1)
        depths[row.number] = result
        return result

    return sorted(rows, key=lambda r: depth(r, frozenset()))


def _unit_row(session: Session, row: Row) -> Unit:
    problems: list[tuple[str, str]] = []
    parent_id = None
    if row.get("parent_id"):
        parent = session.resolve(session.units, row.get("parent_id"), kind="unit",
                                 key="parent_id", problems=problems, sheet_name=UNITS.name)
        parent_id = parent.id if parent else None
    if row.get("year") is None and any(row.get(k) not in (None, "") for k in YEAR_FIELDS):
        problems.append(("year", "Cần ghi “Năm” cho thông tin đăng ký / công nhận."))
    match = _match_unit(session, row, parent_id, problems)
    repo = session.repo(UnitRepo)
    unit = repo.get(match.id) if match else Unit()
    apply(unit, row, UNIT_FIELDS)
    if row.has("parent_id"):
        unit.parent_id = parent_id
    normalise(unit)
    errors = entry_errors(unit) + unit_service.validate(session.ctx, unit)
    if row.get("year") is not None:     # the year's rules too, before anything is written
        entry = UnitYear(unit_id=unit.id or "", year=row.get("year"))
        apply(entry, row, YEAR_FIELDS)
        errors += [e for e in entry_errors(entry)
                   + unit_service.validate_year(session.ctx, entry)
                   if e.field != "unit_id"]
    finish(row, problems, errors)
    unit.id = repo.save(unit)
    if row.get("year") is not None:
        _set_year(session, unit.id, row)
    return unit


def _match_unit(session: Session, row: Row, parent_id: str | None,
                problems: list[tuple[str, str]]) -> Named | None:
    """The unit this row describes: same name and parent (any parent without “Thuộc”)."""
    hits = session.units.named(str(row.get("name")))
    if row.has("parent_id"):
        hits = [h for h in hits if h.data["parent_id"] == parent_id]
    elif len(hits) > 1:
        problems.append(("name", f"Có {len(hits)} đơn vị cùng tên “{row.get('name')}”; "
                                 "thêm cột “Thuộc” để phân biệt."))
        return None
    return hits[0] if hits else None


def _set_year(session: Session, unit_id: str, row: Row) -> None:
    """Registration / recognition for one year (one entry per unit and year)."""
    repo = session.repo(UnitYearRepo)
    entry = repo.for_unit(unit_id, row.get("year")) or UnitYear(unit_id=unit_id,
                                                                year=row.get("year"))
    apply(entry, row, YEAR_FIELDS)
    normalise(entry)
    check(entry_errors(entry) + unit_service.validate_year(session.ctx, entry))
    repo.save(entry)


# -- models ------------------------------------------------------------------------

def import_models(session: Session) -> None:
    """Write the model rows."""
    for row in session.rows(MODELS):
        ok, model = session.run(MODELS, row, functools.partial(_model_row, session, row),
                                name=str(row.get("name") or ""),
                                savepoint=session.skip_invalid)  # written last
        if ok:
            session.models.add(model_named(session, model))


def _model_row(session: Session, row: Row) -> Model:
    problems: list[tuple[str, str]] = []
    unit_ids = session.resolve_many(session.units, row.get("unit_ids"), kind="unit",
                                    key="unit_ids", problems=problems,
                                    sheet_name=UNITS.name)
    hits = [m for m in session.models.named(str(row.get("name")))
            if set(m.data["unit_ids"]) & set(unit_ids)]
    repo = session.repo(ModelRepo)
    model = repo.get(hits[0].id) if hits else Model()
    apply(model, row, MODEL_FIELDS)
    model.unit_ids = unit_ids
    normalise(model)
    finish(row, problems, entry_errors(model)
           + model_service.validate(session.ctx, model, types=session.model_types))
    model.id = repo.save(model)
    return model
