"""Planning what a list would write: persons matched or new, review items, errors.

:func:`plan` compares an :class:`~core.intake.inspect.Inspection` with what the
station holds and returns a :class:`Plan`; it writes nothing. Matching follows the
contract (docs/intake.md):

- the same ID number (CCCD, or old CMND) is the same person;
- the same full name (tone marks kept; case, spacing and old/new tone placement
  ignored) with the same full birth date is the same person;
- weaker matches (the same folded name with only a birth year on one side or no
  birth date, or names differing only by tone marks) go to the review queue with
  the reason, and are written only when decided (:mod:`core.intake.review`);
- a row already decided (same file, sheet and row) follows the decision, and a
  row still waiting is not queued twice.

When a row matches a stored person, the more precise value wins (a full date
over a year; a value over an empty field) and every difference of spelling is
listed in :attr:`Plan.changes`, never applied silently.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field

from core import rules
from core.activity import iso_day
from core.catalog import EVENT_TYPES, MODEL_TYPES, role_label
from core.intake.inspect import Inspection, SheetInspection
from core.intake.matching import (better_case, decisions, full_date, load, name_key,
                                  numbers_differ, planned_key, weak_reason)
from core.records import Event, Membership, Model, Person, Result, Unit
from core.repos.models import model_types
from core.services.members import complete_name
from core.store import new_id
from core.text import clean, fold, parse_date
from core.workbook.report import CellError  # one located error for both imports

PERSON_FIELDS = ("full_name", "birth_date", "gender", "id_number", "old_id_number",
                 "address", "phone", "ethnicity", "religion", "occupation", "education")
FILLABLE = ("gender", "id_number", "old_id_number", "address", "phone", "ethnicity",
            "religion", "occupation", "education")
LEFT_REASON = "Dòng bị ẩn trong danh sách nhập (đã thôi tham gia)"


@dataclass
class Candidate:
    """A stored person a queued row may be."""

    person_id: str
    name: str
    birth: str | None
    id_number: str
    reason: str

    def to_json(self) -> dict:
        return {"person_id": self.person_id, "name": self.name, "birth": self.birth,
                "id_number": self.id_number, "reason": self.reason}


@dataclass
class ReviewItem:
    """A row waiting for a decision: its person, its membership, the candidates."""

    sheet: str
    row: int
    person: Person
    candidates: list[Candidate]
    membership: dict | None = None   # model_id, role, join_date, leave_date, leave_reason
    queued: bool = False             # already waiting in the queue (not added again)


@dataclass
class Change:
    """A stored value the list changes or differs on (shown, never silent)."""

    sheet: str
    row: int
    person_id: str
    field: str
    stored: str
    in_file: str
    applied: bool      # True: the file's value is written (more precise); False: kept

    def to_json(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "person_id": self.person_id,
                "field": self.field, "stored": self.stored, "in_file": self.in_file,
                "applied": self.applied}


@dataclass
class Plan:
    """Everything a list would write, and why not when it cannot."""

    inspection: Inspection
    new_units: list[Unit] = field(default_factory=list)
    new_models: list[Model] = field(default_factory=list)
    new_persons: list[Person] = field(default_factory=list)
    updated_persons: list[Person] = field(default_factory=list)
    matched_persons: int = 0
    new_memberships: list[Membership] = field(default_factory=list)
    updated_memberships: list[Membership] = field(default_factory=list)
    matched_memberships: int = 0
    events: list[Event] = field(default_factory=list)
    matched_events: int = 0
    results: list[Result] = field(default_factory=list)
    matched_results: int = 0
    review: list[ReviewItem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    unmatched: list[dict] = field(default_factory=list)   # attendance names not found
    errors: list[CellError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped_hidden: int = 0

    @property
    def excluded(self) -> int:
        """How many rows were set apart as not data."""
        return sum(len(s.excluded) for s in self.inspection.sheets)

    @property
    def left(self) -> int:
        """Memberships the list ends (hidden rows taken as members who left)."""
        return (sum(1 for m in self.new_memberships if m.leave_date)
                + sum(1 for m in self.updated_memberships if m.leave_date))

    def to_json(self, applied: bool) -> dict:
        """``import-list --json``."""
        return {
            "applied": applied,
            "persons": {"new": len(self.new_persons), "matched": self.matched_persons,
                        "updated": len(self.updated_persons)},
            "memberships": {"new": len(self.new_memberships),
                            "matched": self.matched_memberships, "left": self.left},
            "models": {"new": [m.name for m in self.new_models]},
            "events": {"new": len(self.events), "matched": self.matched_events},
            "results": {"new": len(self.results), "matched": self.matched_results},
            "review": len(self.review),
            "excluded_rows": self.excluded,
            "hidden_skipped": self.skipped_hidden,
            "proposals": sum(len(s.proposals) for s in self.inspection.sheets),
            "changes": [c.to_json() for c in self.changes],
            "unmatched": self.unmatched,
            "errors": [e.to_json() for e in self.errors],
            "warnings": self.warnings,
        }


class _Planner:
    def __init__(self, ctx, inspection: Inspection):
        self.ctx = ctx
        self.inspection = inspection
        self.choices = inspection.choices
        self.plan = Plan(inspection)
        self.index, self.stored_memberships = load(ctx, inspection)
        self.touched: set[str] = set()           # persons planned new or updated
        self.decided, self.decided_values = decisions(ctx, self.choices.source)
        self.models: dict[str, Model] = {}       # folded name -> model (stored or new)
        self._by_id: dict[str, Model] = {}
        self.units: dict[str, Unit] = {}
        self.memberships: dict[tuple[str, str], Membership] = {}
        self.leaders: dict[str, list[str]] = defaultdict(list)  # model id -> person ids
        self.types = model_types(ctx.db)
        self.today = iso_day()
        self.refused: set[str] = set()      # model names the entry rules refused
        self._load_models()

    # -- models and units ------------------------------------------------------------

    def _load_models(self) -> None:
        for model_id, name, kind in self.ctx.db.execute(
                "SELECT id, name, type FROM models WHERE deleted = 0 ORDER BY rowid"):
            self.models.setdefault(fold(name), Model(id=model_id, name=name, type=kind))
        for unit_id, name in self.ctx.db.execute(
                "SELECT id, name FROM units WHERE deleted = 0 ORDER BY rowid"):
            self.units.setdefault(fold(name), Unit(id=unit_id, name=name))

    def unit_for(self, model_name: str) -> str:
        """The unit a new model works in: --unit, a place named in the model's name,
        the station's only unit, or a unit "Chưa rõ địa bàn" made for it."""
        name = clean(self.choices.unit)
        if not name:
            match = re.search(r"\b(thôn|xóm|ấp|bản|làng|buôn|tổ dân phố|khu phố|khu)\s+(.+)$",
                              model_name, re.IGNORECASE)
            if match:
                name = clean(match.group(1)).capitalize() + " " + clean(match.group(2))
        if not name and len(self.units) == 1:
            return next(iter(self.units.values())).id
        name = name or "Chưa rõ địa bàn"
        unit = self.units.get(fold(name))
        if unit is None:
            kind = "khac" if name == "Chưa rõ địa bàn" else "khu_dan_cu"
            unit = Unit(id=new_id(), name=name, type=kind)
            self.units[fold(name)] = unit
            self.plan.new_units.append(unit)
        return unit.id

    def model_for(self, name: str, sheet: SheetInspection, number: int) -> str | None:
        """The id of the model named *name* (a new one planned when unknown)."""
        name = clean(name)
        if not name:
            return None
        model = self.models.get(fold(name))
        if model is None and (name in self.refused or
                              not self.text_fits(sheet, number, "Mô hình", "name", name)):
            self.refused.add(name)          # said once, not on every row naming it
            return None
        if model is None:
            kind = self.choices.model_type or _guess_type(name)
            if kind not in self.types.codes():
                self.plan.errors.append(CellError(sheet.name, number, "Mô hình",
                                                  f"Loại mô hình “{kind}” không có trong danh mục."))
                return None
            model = Model(id=new_id(), name=name, type=kind, unit_ids=[self.unit_for(name)])
            self.models[fold(name)] = model
            self.plan.new_models.append(model)
        return model.id

    def text_fits(self, sheet: SheetInspection, number: int, column: str, key: str,
                  value: str) -> bool:
        """True when *value* meets the entry rules of the field *key*; else an error."""
        problem = rules.field_problem(key, value)
        if problem:
            self.plan.errors.append(CellError(sheet.name, number, column, f"Nội dung {problem}"))
        return problem is None

    def model_by_id(self, model_id: str) -> Model:
        """The stored or planned model with this id."""
        if len(self._by_id) != len(self.models):
            self._by_id = {m.id: m for m in self.models.values()}
        return self._by_id[model_id]

    def row_model(self, sheet: SheetInspection, values: dict, number: int) -> str | None:
        if self.choices.model_per_sheet:
            return self.model_for(sheet.name, sheet, number)
        if self.choices.model:
            return self.model_for(self.choices.model, sheet, number)
        return self.model_for(values.get("model", ""), sheet, number)

    # -- persons ---------------------------------------------------------------------

    def match(self, person: Person) -> tuple[str, str | None, list[Candidate]]:
        """("matched", id, []) | ("review", None, candidates) | ("new", None, [])."""
        index = self.index
        for number in (person.id_number, person.old_id_number):
            if number and number in index.by_number:
                return "matched", index.by_number[number], []
        within = index.planned.get(planned_key(person))
        if within:
            return "matched", within, []
        key, birth = name_key(person.full_name), person.birth_date
        for name, born, kept in index.merged_names.get(fold(person.full_name), ()):
            if name_key(name) == key and (born or None) == (birth or None):
                return "matched", kept, []
        candidates = []
        for other_id in index.by_fold.get(fold(person.full_name), ()):
            other = index.persons[other_id]
            if numbers_differ(person, other):
                continue
            same_name = name_key(other.full_name) == key
            if same_name and full_date(birth) and birth == other.birth_date:
                return "matched", other_id, []
            reason = weak_reason(person, other, same_name)
            if reason:
                candidates.append(Candidate(other.id, other.full_name, other.birth_date,
                                            other.id_number or other.old_id_number, reason))
        if candidates:
            return "review", None, candidates
        return "new", None, []

    def merge(self, sheet: str, number: int, stored: Person, person: Person) -> bool:
        """Take the more precise values of *person* into *stored*; True when changed."""
        changed = False
        if person.birth_date and stored.birth_date != person.birth_date:
            precise = (full_date(person.birth_date) and not full_date(stored.birth_date)
                       and (not stored.birth_date or stored.birth_date == person.birth_date[:4]))
            self.plan.changes.append(Change(sheet, number, stored.id, "birth_date",
                                            stored.birth_date or "", person.birth_date, precise))
            if precise:
                stored.birth_date, changed = person.birth_date, True
        for name in FILLABLE:
            mine, theirs = getattr(stored, name), getattr(person, name)
            if theirs and not mine:
                setattr(stored, name, theirs)
                changed = True
            elif theirs and mine != theirs and name in ("id_number", "old_id_number", "phone"):
                self.plan.changes.append(Change(sheet, number, stored.id, name, mine, theirs,
                                                False))
        if person.full_name != stored.full_name:
            better = better_case(stored.full_name, person.full_name)
            self.plan.changes.append(Change(sheet, number, stored.id, "full_name",
                                            stored.full_name, person.full_name, better))
            if better:
                stored.full_name = person.full_name
                stored.family_name = stored.middle_name = stored.given_name = ""
                complete_name(stored)
                changed = True
        return changed

    def take_person(self, sheet: SheetInspection, number: int, person: Person,
                    model_id: str | None) -> str | None:
        """The id the row's person will have (None: queued for review)."""
        decided = self.decided.get((sheet.name, number))
        if decided is None and self.decided_values:
            decided = self.decided_values.get(person_json(person))
        if decided and decided[0] == "decided" and decided[1] in self.index.persons:
            kind, person_id, candidates = "matched", decided[1], []
        elif decided and decided[0] == "decided" and decided[1]:
            kind, person_id, candidates = "decided", decided[1], []
        else:
            kind, person_id, candidates = self.match(person)
        if kind == "review" and model_id:
            for candidate in candidates:
                if (candidate.person_id, model_id) in self.stored_memberships \
                        and name_key(candidate.name) == name_key(person.full_name) \
                        and (candidate.birth or "") == (person.birth_date or ""):
                    kind, person_id = "matched", candidate.person_id   # already a member
                    break
        if kind == "review":
            item = ReviewItem(sheet.name, number, person, candidates,
                              queued=decided is not None and decided[0] == "pending")
            self.plan.review.append(item)
            return None
        if kind == "decided":   # decided, but the person is not among those read
            self.plan.matched_persons += 1
            return person_id
        if kind == "matched":
            self.plan.matched_persons += 1
            stored = self.index.persons[person_id]
            if person_id in self.touched:
                self.merge(sheet.name, number, stored, person)
                return person_id
            clone = Person(**{k: v for k, v in stored.__dict__.items()})
            if self.merge(sheet.name, number, clone, person):
                self.index.persons[person_id] = clone
                self.plan.updated_persons.append(clone)
                self.touched.add(person_id)
            return person_id
        person.id = new_id()
        self.touched.add(person.id)
        self.index.add(person)
        self.index.planned[planned_key(person)] = person.id
        self.plan.new_persons.append(person)
        return person.id

    # -- memberships -----------------------------------------------------------------

    def take_membership(self, sheet: SheetInspection, number: int, person_id: str,
                        model_id: str, values: dict, hidden: bool) -> None:
        pair = (person_id, model_id)
        if pair in self.memberships:
            return
        item = self.stored_memberships.get(pair)
        leave = hidden and self.choices.hidden == "left"
        if item is not None:
            self.memberships[pair] = item
            self.plan.matched_memberships += 1
            if leave and not item.leave_date:
                item.leave_date, item.leave_reason = self.today, LEFT_REASON
                self.plan.updated_memberships.append(item)
            return
        item = Membership(id=new_id(), person_id=person_id, model_id=model_id,
                          role=values.get("role", "thanh_vien"),
                          join_date=values.get("join_date"))
        if leave:
            item.leave_date, item.leave_reason = self.today, LEFT_REASON
            if item.join_date and item.join_date > item.leave_date:
                item.join_date = None
        model = self.model_by_id(model_id)
        person = self.index.persons.get(person_id)
        birth = person.birth_date if person else None
        if problem := rules.join_problem(birth, item.join_date):
            self.plan.errors.append(CellError(sheet.name, number, sheet.header_of("join_date"),
                                              problem))
            return
        if warning := rules.age_warning(person.full_name if person else "", birth,
                                        item.join_date or self.today, model.type,
                                        self.types.label(model.type)):
            self.plan.warnings.append(f"Trang “{sheet.name}”, dòng {number}: {warning}")
        if item.role == "to_truong" and not item.leave_date:
            leaders = self._leaders(model_id)
            if leaders and leaders[0] != person_id:
                title = role_label("to_truong", model.type, self.types.label(model.type))
                self.plan.errors.append(CellError(
                    sheet.name, number, sheet.header_of("role"),
                    f"Mô hình đã có {title} đang hoạt động: {leaders[0][1]}."))
                return
            self.leaders[model_id].append((person_id, values.get("full_name", "")))
        self.memberships[pair] = item
        self.plan.new_memberships.append(item)

    def _leaders(self, model_id: str) -> list:
        if model_id not in self.leaders:
            rows = self.ctx.db.execute(
                "SELECT m.person_id, p.full_name FROM memberships m JOIN persons p"
                " ON p.id = m.person_id WHERE m.model_id = ? AND m.role = 'to_truong'"
                " AND m.deleted = 0 AND (m.leave_date IS NULL OR m.leave_date > ?)",
                [model_id, self.today]).fetchall()
            self.leaders[model_id] = [tuple(r) for r in rows]
        return self.leaders[model_id]

    # -- sheets ----------------------------------------------------------------------

    def run(self) -> Plan:
        unit = clean(self.choices.unit)
        if unit and (problem := rules.field_problem("name", unit)):
            self.plan.errors.append(CellError("", 0, "Đơn vị", f"Nội dung {problem}"))
        for sheet in self.inspection.sheets:
            for header in sheet.blocked:
                self.plan.errors.append(CellError(
                    sheet.name, sheet.header_row or 1, header,
                    "Chưa rõ bảng mã của cột (Unicode, TCVN3 hay VNI): hãy chọn trước khi nhập."))
            for row in sheet.rows:
                for column, message in row.problems:
                    self.plan.errors.append(CellError(sheet.name, row.number, column, message))
                for warning in row.warnings:
                    self.plan.warnings.append(f"Trang “{sheet.name}”, dòng {row.number}: {warning}")
            if sheet.kind in ("hidden", "empty"):
                self.plan.warnings.extend(f"Trang “{sheet.name}”: {n}" for n in sheet.notes)
                continue
            if sheet.kind == "members":
                self._members(sheet)
            elif sheet.kind == "attendance":
                self._attendance(sheet)
            elif sheet.kind == "households":
                self._households(sheet)
        return self.plan

    def _members(self, sheet: SheetInspection) -> None:
        for row in sheet.rows:
            if row.problems:
                continue
            if row.hidden and self.choices.hidden == "skip":
                self.plan.skipped_hidden += 1
                continue
            if problem := rules.join_problem(row.values.get("birth_date"),
                                             row.values.get("join_date")):
                self.plan.errors.append(CellError(sheet.name, row.number,
                                                  sheet.header_of("join_date"), problem))
                continue
            person = person_from(row.values)
            model_id = self.row_model(sheet, row.values, row.number)
            person_id = self.take_person(sheet, row.number, person, model_id)
            if person_id is None:
                self.plan.review[-1].membership = self._membership_values(
                    model_id, row.values, row.hidden)
                continue
            if model_id:
                self.take_membership(sheet, row.number, person_id, model_id, row.values,
                                     row.hidden)

    def _membership_values(self, model_id: str | None, values: dict, hidden: bool) -> dict | None:
        if not model_id:
            return None
        leave = hidden and self.choices.hidden == "left"
        return {"model_id": model_id, "role": values.get("role", "thanh_vien"),
                "join_date": values.get("join_date"),
                "leave_date": self.today if leave else None,
                "leave_reason": LEFT_REASON if leave else ""}

    def _activity_date(self, sheet: SheetInspection) -> str | None:
        found = (parse_date(self.choices.event_date) if self.choices.event_date
                 else date_in_title(sheet.title))
        if found is None:
            self.plan.errors.append(CellError(
                sheet.name, sheet.first_header_row or 1, "Tiêu đề",
                "Không tìm thấy ngày trong tiêu đề danh sách; ghi ngày bằng --date dd/mm/yyyy."))
        elif problem := rules.date_message("date", found):
            self.plan.errors.append(CellError(sheet.name, sheet.first_header_row or 1,
                                              "Tiêu đề", problem))
            return None
        return found

    def _attendance(self, sheet: SheetInspection) -> None:
        date = self._activity_date(sheet)
        model_id = None
        if self.choices.model:
            model_id = self.model_for(self.choices.model, sheet, sheet.header_row or 1)
        attendees = []
        for row in sheet.rows:
            if row.problems:
                continue
            person = person_from(row.values)
            kind, person_id, candidates = self.match(person)
            exact = [c for c in candidates if name_key(c.name) == name_key(person.full_name)]
            if kind == "review" and len(exact) == 1 and not person.birth_date:
                kind, person_id = "matched", exact[0].person_id   # a name alone, one such
            if kind == "matched" and person_id not in attendees:
                attendees.append(person_id)
            elif kind != "matched":
                self.plan.unmatched.append({"sheet": sheet.name, "row": row.number,
                                            "name": person.full_name})
        title = _title_line(sheet) or sheet.name
        if not self.text_fits(sheet, sheet.first_header_row or 1, "Tiêu đề", "title", title):
            return
        if date is None:
            return
        kind = _guess_event_type(title)
        stored = self.ctx.db.execute(
            "SELECT id FROM events WHERE deleted = 0 AND date = ? AND title_fold = ?",
            [date, fold(title)]).fetchone()
        if stored:
            self.plan.matched_events += 1
            return
        self.plan.events.append(Event(
            id=new_id(), date=date, type=kind, title=title, participants=len(sheet.rows),
            attendee_ids=attendees, model_ids=[model_id] if model_id else [],
            unit_id=self._unit_id(),
            notes=rules.printable(f"Nhập từ danh sách “{self.inspection.book.path.name}”")))

    def _unit_id(self) -> str | None:
        unit = self.units.get(fold(self.choices.unit)) if self.choices.unit else None
        return unit.id if unit else None

    def _households(self, sheet: SheetInspection) -> None:
        date = self._activity_date(sheet)
        if date is None:
            return
        model_id = None
        if self.choices.model:
            model_id = self.model_for(self.choices.model, sheet, sheet.header_row or 1)
        description = _title_line(sheet) or sheet.name
        if not self.text_fits(sheet, sheet.first_header_row or 1, "Tiêu đề", "description",
                              description):
            return
        if problem := rules.result_place_problem(self._unit_id(), model_id):
            self.plan.errors.append(CellError(
                sheet.name, sheet.first_header_row or 1, "Tiêu đề",
                f"{problem} Hãy chọn đơn vị (--unit) hoặc mô hình (--model) của danh sách hộ."))
            return
        count = sum(1 for r in sheet.rows if not r.problems)
        stored = self.ctx.db.execute(
            "SELECT id FROM results WHERE deleted = 0 AND type = 'ho_ky_cam_ket' AND date = ?"
            " AND description = ?", [date, description]).fetchone()
        if stored:
            self.plan.matched_results += 1
            return
        self.plan.results.append(Result(id=new_id(), date=date, type="ho_ky_cam_ket",
                                        quantity=count, unit_id=self._unit_id(),
                                        model_id=model_id, description=description))


def person_from(values: dict) -> Person:
    """The person a row describes."""
    person = Person(**{k: values[k] for k in PERSON_FIELDS if values.get(k)})
    complete_name(person)
    return person


def plan(ctx, inspection: Inspection) -> Plan:
    """What taking in *inspection* (with its choices) would write; writes nothing."""
    return _Planner(ctx, inspection).run()


_DATE_WORDS = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
_DATE_NUMBERS = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")


def date_in_title(title: str) -> str | None:
    """A date written in a title ("ngày 15 tháng 3 năm 2025", "15/3/2025")."""
    folded = fold(title)
    for pattern in (_DATE_WORDS, _DATE_NUMBERS):
        match = pattern.search(folded)
        if match:
            day, month, year = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day).isoformat()
            except ValueError:
                continue
    return None


def _title_line(sheet: SheetInspection) -> str:
    """The list's own title: the title rows after the station's name lines."""
    text = clean(sheet.title)
    match = re.search(r"(DANH SÁCH|Danh sách).*", text)
    return clean(match.group(0)) if match else text


def _guess_type(name: str) -> str:
    """A model type from a model's name ("Tổ ANND thôn Đông" → to_an_ninh_nhan_dan)."""
    folded = fold(name)
    best, length = "khac", 0
    for item in MODEL_TYPES.items:
        for label in (item.label, *item.aliases):
            label = fold(label)
            if folded.startswith(label) and len(label) > length:
                best, length = item.code, len(label)
    return best


def _guess_event_type(title: str) -> str:
    folded = fold(title)
    for item in EVENT_TYPES.items:
        for label in (item.label, *item.aliases):
            if item.code != "khac" and fold(label) in folded:
                return item.code
    return "khac"


def person_json(person: Person) -> str:
    """A queued row's person as stored in the review queue."""
    return json.dumps({k: getattr(person, k) for k in PERSON_FIELDS if getattr(person, k)},
                      ensure_ascii=False)
