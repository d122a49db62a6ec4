"""export_workbook: all current data in the data workbook's layout.

Choices of the export (also in docs/workbook.md, “What the export chooses”):

* “Đơn vị” has **one row per unit and year** of registration/recognition (a unit
  without any yearly entry has one row with “Năm” empty), so every year survives
  export → import. The import accepts several rows of one unit for that reason.
* Labels are written, not codes; dates are real Excel date cells shown dd/mm/yyyy;
  a birth year alone is written as the number (1980); ID numbers and phone numbers
  are text so that leading zeros stay.
* A name shared by two records is written “name (qualifier)” where it is used as a
  reference (see :mod:`core.workbook.names`), so the import can tell them apart.
* Fields the layout has no column for (unit notes, a model's funding or
  replication, a person's education, an event's attendance list, …) are not
  exported. A person in no model gets a row with “Mô hình” empty.
"""
from __future__ import annotations


import datetime as dt
from collections import defaultdict
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from core.catalog import AUTHORITIES, Catalog, role_label
from core.repos.activities import CommendationRepo, EventRepo, ResultRepo
from core.repos.models import ModelRepo, model_types
from core.repos.persons import MembershipRepo, PersonRepo
from core.repos.units import UnitRepo, UnitYearRepo
from core.services.common import guard
from core.station import Context
from core.text import format_date, name_sort_key, text_sort_key
from core.workbook import layout as L
from core.workbook.cells import STATIC_CATALOGS
from core.files import atomic_path
from core.workbook.names import Named, display_names
from core.workbook.plain import discard, has_unprintable, plain_cell, printable
from core.workbook.template import style_header

DATE_FORMAT = "dd/mm/yyyy"


def export_workbook(ctx: Context, path: Path | str) -> dict[str, int]:
    """Write every live record to *path*; returns rows written per sheet."""
    guard(ctx, "read")
    with atomic_path(path) as temp:
        data = _Data(ctx)
        catalogs = dict(STATIC_CATALOGS, model_type=model_types(ctx.db))
        book = Workbook(write_only=True)
        counts = {}
        try:
            for spec, rows in ((L.UNITS, data.unit_rows()), (L.MODELS, data.model_rows()),
                               (L.MEMBERS, data.member_rows()), (L.EVENTS, data.event_rows()),
                               (L.RESULTS, data.result_rows()),
                               (L.COMMENDATIONS, data.commendation_rows())):
                counts[spec.name] = _write_sheet(book, spec, rows, catalogs)
            book.save(temp)
        except BaseException:
            discard(book)
            raise
    return counts


def _write_sheet(book: Workbook, spec: L.Sheet, rows: list[dict],
                 catalogs: dict[str, Catalog]) -> int:
    sheet = book.create_sheet(spec.name)
    for number, column in enumerate(spec.columns, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    sheet.freeze_panes = "A2"
    header = []
    for column in spec.columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        style_header(cell, column, with_comment=False)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        values = [_cell(sheet, c, row.get(c.key), catalogs) for c in spec.columns]
        if has_unprintable(values):     # stored before the entry rules refused them
            values = [printable(v) for v in values]
        sheet.append(values)
    return len(rows)


def _cell(sheet, column: L.Column, value: object, catalogs: dict[str, Catalog]) -> object:
    """The value to write for one cell: labels, real dates, Có/Không."""
    if value is None or value == "":
        return None
    if column.kind in (L.DATE, L.BIRTH):
        if len(str(value)) == 4:
            return int(value)
        cell = WriteOnlyCell(sheet, value=dt.date.fromisoformat(str(value)[:10]))
        cell.number_format = DATE_FORMAT
        return cell
    if column.kind == L.BOOL:
        return "Có" if value else "Không"
    if column.kind == L.CATALOG:
        return plain_cell(sheet, catalogs[column.catalog].label(value))
    if column.key == "authority":
        return plain_cell(sheet, AUTHORITIES.label(value))
    return plain_cell(sheet, value)


class _Data:
    """The station's live records, loaded once, and the names to refer to them by."""

    def __init__(self, ctx: Context):
        store = ctx.store
        self.units = {u.id: u for u in UnitRepo(store).all()}
        self.models = {m.id: m for m in ModelRepo(store).all()}
        self.persons = {p.id: p for p in PersonRepo(store).all()}
        self.type_labels = model_types(ctx.db)
        self.unit_names = display_names(
            (Named(u.id, u.name) for u in self.units.values()), self._unit_parent)
        self.model_names = display_names(
            (Named(m.id, m.name) for m in self.models.values()), self._model_unit)
        self.person_names = display_names(
            (Named(p.id, p.full_name) for p in self.persons.values()), self._person_tag)
        self.store = store

    def _unit_parent(self, item: Named) -> str:
        parent = self.units.get(self.units[item.id].parent_id or "")
        return parent.name if parent else ""

    def _model_unit(self, item: Named) -> str:
        names = sorted((self.units[u].name for u in self.models[item.id].unit_ids
                        if u in self.units), key=text_sort_key)
        return names[0] if names else ""

    def _person_tag(self, item: Named) -> str:
        person = self.persons[item.id]
        return person.id_number or format_date(person.birth_date)

    # -- sheets ------------------------------------------------------------------

    def unit_rows(self) -> list[dict]:
        """One row per unit and year (parents before children)."""
        years = defaultdict(list)
        for entry in UnitYearRepo(self.store).all(order_by="year"):
            years[entry.unit_id].append(entry)
        rows = []
        for unit in sorted(self.units.values(), key=self._unit_order):
            base = {"name": unit.name, "type": unit.type, "address": unit.address,
                    "parent_id": self.unit_names.get(unit.parent_id or ""),
                    "head": unit.head, "phone": unit.phone, "households": unit.households}
            rows += [dict(base, year=y.year, registered=y.registered,
                          recognised=y.recognised, decision_no=y.decision_no)
                     for y in years[unit.id]] or [base]
        return rows

    def _unit_order(self, unit) -> tuple:
        depth, current, seen = 0, unit, set()
        while current.parent_id in self.units and current.parent_id not in seen:
            seen.add(current.parent_id)
            current = self.units[current.parent_id]
            depth += 1
        return depth, text_sort_key(unit.name)

    def model_rows(self) -> list[dict]:
        """One row per model."""
        rows = []
        for model in sorted(self.models.values(), key=lambda m: text_sort_key(m.name)):
            units = "; ".join(sorted((self.unit_names[u] for u in model.unit_ids
                                      if u in self.unit_names), key=text_sort_key))
            rows.append({"name": model.name, "type": model.type, "unit_ids": units,
                         "launch_date": model.launch_date, "decision_no": model.decision_no,
                         "decision_date": model.decision_date, "status": model.status,
                         "advanced": model.advanced, "notes": model.notes})
        return rows

    def member_rows(self) -> list[dict]:
        """One row per membership, persons in Vietnamese name order.

        A person in no (live) model gets one row with “Mô hình” empty.
        """
        rows, covered = [], set()
        for membership in MembershipRepo(self.store).all():
            person = self.persons.get(membership.person_id)
            if person is None or membership.model_id not in self.model_names:
                continue
            covered.add(person.id)
            kind = self.models[membership.model_id].type
            rows.append(dict(self._person_values(person),
                             model_id=self.model_names[membership.model_id],
                             # the kind's title (“Chủ nhiệm” in a câu lạc bộ): read back
                             # as the same stored role
                             role=role_label(membership.role, kind,
                                             self.type_labels.label(kind)),
                             join_date=membership.join_date,
                             leave_date=membership.leave_date, notes=membership.notes))
        rows += [self._person_values(p) for p in self.persons.values() if p.id not in covered]
        model_keys = {name: text_sort_key(name) for name in self.model_names.values()}
        return sorted(rows, key=lambda r: (r["_order"], model_keys.get(r.get("model_id"), "")))

    @staticmethod
    def _person_values(person) -> dict:
        return {"full_name": person.full_name, "birth_date": person.birth_date,
                "gender": person.gender, "id_number": person.id_number,
                "old_id_number": person.old_id_number,
                "ethnicity": person.ethnicity, "religion": person.religion,
                "occupation": person.occupation, "address": person.address,
                "phone": person.phone,
                "_order": (name_sort_key(person.given_name, person.middle_name,
                                         person.family_name), person.id)}

    def event_rows(self) -> list[dict]:
        """One row per event, by date."""
        rows = []
        for event in EventRepo(self.store).all(order_by="date, rowid"):
            models = "; ".join(sorted((self.model_names[m] for m in event.model_ids
                                       if m in self.model_names), key=text_sort_key))
            rows.append({"date": event.date, "type": event.type, "title": event.title,
                         "unit_id": self.unit_names.get(event.unit_id or ""),
                         "model_ids": models, "participants": event.participants,
                         "notes": event.notes})
        return rows

    def result_rows(self) -> list[dict]:
        """One row per result, by date."""
        return [{"date": r.date, "type": r.type, "quantity": r.quantity,
                 "unit_id": self.unit_names.get(r.unit_id or ""),
                 "model_id": self.model_names.get(r.model_id or ""),
                 "description": r.description}
                for r in ResultRepo(self.store).all(order_by="date, rowid")]

    def commendation_rows(self) -> list[dict]:
        """One row per commendation, by decision date and number."""
        names = {"person": self.person_names, "model": self.model_names,
                 "unit": self.unit_names}
        return [{"decision_no": c.decision_no, "decision_date": c.decision_date,
                 "form": c.form, "authority": c.authority,
                 "recipient_id": names[c.recipient_kind].get(c.recipient_id, ""),
                 "recipient_kind": "ca_nhan" if c.recipient_kind == "person" else "tap_the",
                 "achievement": c.achievement, "register_no": c.register_no}
                for c in CommendationRepo(self.store).all(
                    order_by="decision_date, decision_no, rowid")]
