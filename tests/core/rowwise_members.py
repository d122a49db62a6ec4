"""The membership import as it was before the bulk path: row by row, in the database.

Kept for the tests only, as the reference the in-memory bulk path must agree with
(tests/core/test_workbook_bulk.py): each row is validated by the services against
the database and written at once, in a savepoint (the former code skipped the
savepoint when any error rolled everything back anyway; then a person written by
a row whose membership failed stayed visible to later rows until the rollback,
e.g. in a commendation's “Có 3 người cùng tên …”; the bulk path leaves no trace
of a faulty row in either mode).
"""
from __future__ import annotations

import functools

from core.records import Membership, Person
from core.repos.persons import MembershipRepo, PersonRepo
from core.services import members as member_service
from core.text import fold, split_full_name
from core.workbook.import_members import (MEMBERSHIP_FIELDS, PERSON_FIELDS, PersonGroup, _alone,
                                         group_rows)
from core.workbook.layout import MEMBERS, MODELS
from core.workbook.session import Row, RowErrors, Session, apply, check, finish


def import_members_rowwise(session: Session) -> None:
    """Write the membership rows (and their persons)."""
    rows = session.rows(MEMBERS)
    session.unnumbered_persons = bool(session.repo(PersonRepo).ids(
        "COALESCE(id_number, '') = ''"))
    groups = group_rows(session, rows)
    for row in rows:
        group = groups.get(row.number) or _alone(session, row)
        ok, person_id = session.run(
            MEMBERS, row, functools.partial(_member_row, session, row, group),
            name=str(row.get("full_name") or ""), savepoint=True)
        if ok:
            group.person_id = person_id


# -- one row -------------------------------------------------------------------------

def _member_row(session: Session, row: Row, group: PersonGroup) -> str:
    """Write one row in the run's savepoint; every problem of the row raises at the
    end (and the savepoint rolls back what was written)."""
    if not row.get("model_id"):  # a person who is in no model (yet)
        return group.person_id or _write_person(session, row, group)[0]
    problems: list[tuple[str, str]] = []
    model = session.resolve(session.models, str(row.get("model_id")), kind="model",
                            key="model_id", problems=problems, sheet_name=MODELS.name)
    person_id, created = None, False
    if group.error_row is not None and group.error_row != row.number:
        problems.append(("full_name", f"Thông tin của người này có lỗi ở dòng "
                                      f"{group.error_row}."))
    elif group.person_id:
        person_id = group.person_id
    else:
        try:
            person_id, created = _write_person(session, row, group)
        except RowErrors as exc:
            problems += exc.problems
    if person_id is None or model is None:
        membership = Membership(person_id=person_id or "", model_id=model.id if model else "")
        apply(membership, row, MEMBERSHIP_FIELDS)
        finish(row, problems, [e for e in member_service.validate_membership(
            session.ctx, membership) if e.field not in ("person_id", "model_id")])
    try:
        _write_membership(session, row, person_id, model, new_person=created)
    except RowErrors as exc:
        problems += exc.problems
    finish(row, problems)
    return person_id


def _write_person(session: Session, row: Row, group: PersonGroup) -> tuple[str, bool]:
    """Create or update the group's person: (id, created). A failure marks the group."""
    problems: list[tuple[str, str]] = []
    repo = session.repo(PersonRepo)
    existing = _find_person(session, group, problems)
    person = existing or Person()
    old_name = person.full_name
    apply(person, Row(row.number, group.values), PERSON_FIELDS)
    if person.full_name != old_name:  # keep họ / chữ đệm / tên as typed before
        person.family_name, person.middle_name, person.given_name = split_full_name(
            person.full_name)
    if group.id_number:  # an empty cell never erases an ID number
        person.id_number = group.id_number
    problems += [(e.field, e.message)
                 for e in member_service.validate_person(session.ctx, person)]
    if problems:
        group.error_row = row.number
        raise RowErrors(problems)
    return repo.save(person), existing is None


def _find_person(session: Session, group: PersonGroup,
                 problems: list[tuple[str, str]]) -> Person | None:
    """The person on file: same ID number, else same folded name and birth date."""
    repo = session.repo(PersonRepo)
    name = str(group.values.get("full_name"))
    if group.id_number:
        ids = repo.ids_by_id_number(group.id_number)
        if ids:
            person = repo.get(ids[0])
            if fold(person.full_name) != fold(name):
                problems.append(("id_number", f"Số định danh {group.id_number} đã thuộc về "
                                              f"“{person.full_name}” trong cơ sở dữ liệu."))
            return person
        if not session.unnumbered_persons:
            return None
        # A person entered earlier without an ID number gets it now.
        ids = _ids_by_name(repo, group, "AND COALESCE(id_number, '') = ''")
        return repo.get(ids[0]) if len(ids) == 1 else None
    ids = _ids_by_name(repo, group)
    if len(ids) > 1:
        problems.append(("full_name", f"Có {len(ids)} người tên “{name}” cùng ngày sinh "
                                      "trong cơ sở dữ liệu; ghi Số định danh để phân biệt."))
    return repo.get(ids[0]) if ids else None


def _ids_by_name(repo: PersonRepo, group: PersonGroup, extra: str = "") -> list[str]:
    """Persons with the group's folded name and birth date (name alone without the column)."""
    name = fold(str(group.values.get("full_name")))
    if "birth_date" not in group.values:
        return repo.ids(f"name_fold = ? {extra}", [name])
    return repo.ids(f"name_fold = ? AND birth_date IS ? {extra}",
                    [name, group.values.get("birth_date")])


def _write_membership(session: Session, row: Row, person_id: str, model, *,
                      new_person: bool) -> None:
    """Create or update the person's membership of *model*.

    The cells were cleaned (NFC, trimmed) when read, so the records are not
    normalised again: this runs for every row of the largest sheet.
    """
    repo = session.repo(MembershipRepo)
    ids = [] if new_person else repo.ids_for(person_id, model.id)
    membership = repo.get(ids[0]) if ids else Membership(person_id=person_id,
                                                         model_id=model.id)
    apply(membership, row, MEMBERSHIP_FIELDS)
    check(member_service.validate_membership(session.ctx, membership))
    repo.save(membership)
    if model.data["type"] == "to_bao_ve_antt":
        for message in member_service.warnings(session.ctx, membership):
            session.warn(MEMBERS, row, message)
