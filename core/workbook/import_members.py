"""Importing the “Thành viên” sheet: one row per membership, a person created once.

A row with “Mô hình” empty (and no membership details) records a person who is in
no model, e.g. a commendation recipient; the export writes such persons that way.

Rows are first grouped by person (the same ID number, or without one the same
folded full name and birth date) and the person's fields merged across the group
(the first non-empty value wins; a different value later is a warning). The
person is written once, at the group's first row that succeeds, so importing the
same workbook twice changes nothing.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

from core.records import Membership, Person
from core.services import members as member_service
from core.services.common import entry_errors
from core.store import new_id
from core.text import fold, split_full_name
from core.workbook.layout import MEMBERS, MODELS
from core.workbook.member_book import MemberBook
from core.workbook.session import Row, RowErrors, Session, apply, check, finish

PERSON_FIELDS = ("full_name", "birth_date", "gender", "old_id_number", "ethnicity",
                 "religion", "occupation", "address", "phone")
MEMBERSHIP_FIELDS = ("role", "join_date", "leave_date", "notes")


@dataclass
class PersonGroup:
    """The rows of one person and the person's merged fields."""

    first: Row
    values: dict[str, object] = field(default_factory=dict)
    person_id: str | None = None
    error_row: int | None = None  # the row where the person's own fields failed
    merged: bool = False  # found as a person merged into another: fill gaps only

    @property
    def id_number(self) -> str:
        """The person's ID number ("" when none)."""
        return str(self.values.get("id_number") or "")


def import_members(session: Session) -> None:
    """Check the membership rows in memory, then write them (and their persons) in bulk."""
    rows = session.rows(MEMBERS)
    book = MemberBook(session, rows)
    groups = group_rows(session, rows)
    for row in rows:
        group = groups.get(row.number) or _alone(session, row)
        ok, person_id = session.check_row(
            MEMBERS, row, functools.partial(_member_row, session, book, row, group),
            name=str(row.get("full_name") or ""))
        if ok:
            group.person_id = person_id
    book.flush()


# -- grouping ----------------------------------------------------------------------

def group_rows(session: Session, rows: list[Row]) -> dict[int, PersonGroup]:
    """Each valid row's person group, by row number.

    Rows with an ID number are grouped first; a row without one joins the single
    ID group with the same name and birth date, if there is one.
    """
    by_row: dict[int, PersonGroup] = {}
    by_id: dict[str, PersonGroup] = {}
    by_name: dict[tuple, list[PersonGroup]] = {}
    for row in rows:
        id_number = str(row.get("id_number") or "")
        if row.problems or not id_number:
            continue
        group = by_id.get(id_number)
        if group is None:
            group = by_id[id_number] = PersonGroup(row)
            by_name.setdefault(_name_key(row), []).append(group)
        elif fold(str(row.get("full_name"))) != fold(str(group.first.get("full_name"))):
            row.problems.append(("id_number", (
                f"Số định danh {id_number} đã ghi cho “{group.first.get('full_name')}” "
                f"ở dòng {group.first.number}.")))
            continue
        _merge(session, group, row)
        by_row[row.number] = group
    for row in rows:
        if row.problems or row.get("id_number"):
            continue
        candidates = by_name.setdefault(_name_key(row), [])
        if not candidates:
            candidates.append(PersonGroup(row))
        elif len(candidates) > 1:
            row.problems.append(("full_name", (
                f"Trong tệp có {len(candidates)} người tên “{row.get('full_name')}” cùng "
                "ngày sinh; ghi Số định danh để biết là người nào.")))
            continue
        group = candidates[0]
        _merge(session, group, row)
        by_row[row.number] = group
    return by_row


def _alone(session: Session, row: Row) -> PersonGroup:
    """A group of its own for a row left out of the grouping (a cell it could not
    read, or a clash): it is still checked so that all its problems are reported
    at once, and writes nothing."""
    group = PersonGroup(row)
    _merge(session, group, row)
    return group


def _name_key(row: Row) -> tuple:
    return fold(str(row.get("full_name") or "")), row.get("birth_date")


def _merge(session: Session, group: PersonGroup, row: Row) -> None:
    """Fold one row's person fields into the group's (first non-empty value wins)."""
    for key in (*PERSON_FIELDS, "id_number"):
        if not row.has(key):
            continue
        value, kept = row.values[key], group.values.get(key)
        if kept in (None, ""):
            group.values[key] = value
        elif value not in (None, "") and _differs(key, value, kept):
            header = MEMBERS.header_for(key)
            session.warn(MEMBERS, row, f"“{header}” khác với dòng {group.first.number} "
                                       "của cùng người; giữ giá trị đã ghi trước.")


def _differs(key: str, value: object, kept: object) -> bool:
    if key == "full_name":
        return fold(str(value)) != fold(str(kept))
    return value != kept


# -- one row -------------------------------------------------------------------------

def _member_row(session: Session, book: MemberBook, row: Row,
                group: PersonGroup) -> tuple[str, set[str]]:
    """Check one row; keep its person and membership in *book*: (person id, ops).

    Every problem of the row is collected before anything is kept: the model
    named, the person's fields and the membership's, so that the user fixes a
    row in one round.
    """
    if not row.get("model_id"):  # a person who is in no model (yet)
        if group.person_id:
            finish(row, [])
            return group.person_id, set()
        person, op = _check_person(session, book, row, group)
        finish(row, [])
        book.keep_person(person, op)
        return person.id, {op} - {None}
    problems: list[tuple[str, str]] = []
    model = session.resolve(session.models, str(row.get("model_id")), kind="model",
                            key="model_id", problems=problems, sheet_name=MODELS.name)
    person, person_op = None, None
    if group.error_row is not None and group.error_row != row.number:
        problems.append(("full_name", f"Thông tin của người này có lỗi ở dòng "
                                      f"{group.error_row}."))
    elif group.person_id:
        person = book.persons[group.person_id]
    else:
        try:
            person, person_op = _check_person(session, book, row, group)
        except RowErrors as exc:
            problems += exc.problems
    if person is None or model is None:     # the membership's own rules still apply
        finish(row, problems, membership_rules(session, book, row, person, model))
    if person.id is None:
        person.id = new_id()
    book.pending_person = person.id
    try:
        membership, op = _check_membership(session, book, row, person, model,
                                           new_person=person_op == "insert")
    except RowErrors as exc:
        problems += exc.problems
    finally:
        book.pending_person = None
    finish(row, problems)
    book.keep_person(person, person_op)
    book.keep_membership(membership, op)
    kind = model.data["type"]
    for message in member_service.membership_warnings(membership, person, kind,
                                                      session.model_types.label(kind)):
        session.warn(MEMBERS, row, message)
    return person.id, {person_op, op} - {None}


def _check_person(session: Session, book: MemberBook, row: Row,
                  group: PersonGroup) -> tuple[Person, str | None]:
    """The group's person as it is to be stored, and the write it needs (None: none).

    A failure marks the group.
    """
    problems: list[tuple[str, str]] = []
    existing = _find_person(book, group, problems)
    person = book.copy(existing) if existing else Person()
    old_name = person.full_name
    if group.merged:  # the row names a merged person: its values only fill gaps
        gaps = tuple(k for k in PERSON_FIELDS if getattr(person, k) in (None, ""))
        apply(person, Row(row.number, group.values), gaps)
    else:
        apply(person, Row(row.number, group.values), PERSON_FIELDS)
    if person.full_name != old_name:  # keep họ / chữ đệm / tên as typed before
        person.family_name, person.middle_name, person.given_name = split_full_name(
            person.full_name)
    if group.id_number and not (group.merged and person.id_number):
        person.id_number = group.id_number  # an empty cell never erases an ID number
    problems += [(e.field, e.message)
                 for e in entry_errors(person)
                 + member_service.validate_person(session.ctx, person, book)]
    if problems:
        group.error_row = row.number
        raise RowErrors(problems)
    if existing is None:
        return person, "insert"
    return person, "update" if book.differs(person, existing) else None


def _find_person(book: MemberBook, group: PersonGroup,
                 problems: list[tuple[str, str]]) -> Person | None:
    """The person known: same ID number, else same folded name and birth date."""
    name = str(group.values.get("full_name"))
    birth, with_birth = group.values.get("birth_date"), "birth_date" in group.values
    if group.id_number:
        ids = book.person_ids_by_id_number(group.id_number)
        if ids:
            person = book.persons[ids[0]]
            if book.fold(person.full_name) != book.fold(name) and book.merged_into(
                    name, None, with_birth=False) == person.id:
                group.merged = True     # the name of a person merged into this one
            elif book.fold(person.full_name) != book.fold(name):
                problems.append(("id_number", f"Số định danh {group.id_number} đã thuộc về "
                                              f"“{person.full_name}” trong cơ sở dữ liệu."))
            return person
        keep = book.merged_into(name, birth, with_birth=with_birth,
                                id_number=group.id_number)
        if keep is not None:
            group.merged = True
            return book.persons[keep]
        # A person entered earlier without an ID number gets it now.
        ids = book.ids_by_name(name, birth, with_birth=with_birth, unnumbered=True)
        return book.persons[ids[0]] if len(ids) == 1 else None
    ids = book.ids_by_name(name, birth, with_birth=with_birth)
    if len(ids) > 1:
        problems.append(("full_name", f"Có {len(ids)} người tên “{name}” cùng ngày sinh "
                                      "trong cơ sở dữ liệu; ghi Số định danh để phân biệt."))
    if not ids:
        keep = book.merged_into(name, birth, with_birth=with_birth)
        if keep is not None:
            group.merged = True
            return book.persons[keep]
    return book.persons[ids[0]] if ids else None


def membership_rules(session: Session, book, row: Row, person: Person | None,
                     model) -> list:
    """The membership rules that hold without its person or its model (dates, role),
    for a row whose person or model failed: reported in the same round."""
    membership = Membership(person_id=(person.id or "") if person else "",
                            model_id=model.id if model else "")
    apply(membership, row, MEMBERSHIP_FIELDS)
    return [e for e in entry_errors(membership)
            + member_service.validate_membership(session.ctx, membership, book)
            if e.field not in ("person_id", "model_id")]


def _check_membership(session: Session, book: MemberBook, row: Row, person: Person,
                      model, *, new_person: bool) -> tuple[Membership, str | None]:
    """The person's membership of *model* as it is to be stored, and its write.

    The cells were cleaned (NFC, trimmed) when read, so the records are not
    normalised again: this runs for every row of the largest sheet.
    """
    ids = [] if new_person else book.membership_ids_for(person.id, model.id)
    stored = book.memberships[ids[0]] if ids else None
    membership = book.copy(stored) if stored else Membership(person_id=person.id,
                                                             model_id=model.id)
    apply(membership, row, MEMBERSHIP_FIELDS)
    check(entry_errors(membership)
          + member_service.validate_membership(session.ctx, membership, book,
                                               born=person.birth_date))
    if stored is None:
        return membership, "insert"
    return membership, "update" if book.differs(membership, stored) else None
