"""Persons (thành viên) and their memberships in models."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from core import ethnicities, rules
from core.catalog import GENDERS, MODEL_TYPES, ROLES, role_label
from core.errors import FieldError
from core.records import Membership, Person
from core.repos.models import ModelRepo, model_types
from core.repos.persons import MembershipRepo, PersonRepo
from core.services import recycle
from core.services.common import (check_date_order, delete_record, exists,
                                  save_record, today)
from core.station import Context
from core.store import Changes
from core.text import join_name, split_full_name, to_date

ID_NUMBER = re.compile(r"^\d{12}$")
OLD_ID_NUMBER = re.compile(r"^\d{9}$")  # the old chứng minh nhân dân (CMND)


def complete_name(person: Person) -> None:
    """Fill họ / chữ đệm / tên from the full name, or the full name from the parts."""
    if person.full_name and not person.given_name:
        person.family_name, person.middle_name, person.given_name = split_full_name(
            person.full_name)
    person.full_name = join_name(person.family_name, person.middle_name, person.given_name)


class MemberFacts:
    """What the person and membership rules need to know about stored records.

    This one answers from the database; a bulk import answers the same
    questions from memory (what is stored plus what it is about to write), so
    each rule is written once, here, for both.
    """

    def __init__(self, ctx: Context):
        self.ctx = ctx

    def exists(self, table: str, record_id: str | None) -> bool:
        """True when a live record with this id exists in *table*."""
        return exists(self.ctx, table, record_id)

    def person_ids_by_id_number(self, id_number: str) -> list[str]:
        """Live persons with this ID number."""
        return PersonRepo(self.ctx.store).ids_by_id_number(id_number)

    def person_name(self, person_id: str) -> str:
        """A person's full name."""
        return PersonRepo(self.ctx.store).get(person_id).full_name

    def person_birth_date(self, person_id: str) -> str | None:
        """A person's birth date (ISO, or a year alone), if known."""
        return PersonRepo(self.ctx.store).get(person_id).birth_date

    def membership_ids_for(self, person_id: str, model_id: str) -> list[str]:
        """Live memberships of a person in a model."""
        return MembershipRepo(self.ctx.store).ids_for(person_id, model_id)

    def active_leaders(self, model_id: str, on: str) -> list[str]:
        """Memberships that are Tổ trưởng of the model and active on *on*."""
        return MembershipRepo(self.ctx.store).active_leaders(model_id, on)

    def membership_person(self, membership_id: str) -> str:
        """The person of a membership."""
        return MembershipRepo(self.ctx.store).get(membership_id).person_id

    def model_kind(self, model_id: str) -> tuple[str | None, str]:
        """(type code, type label) of a model, for the titles of its roles."""
        row = self.ctx.db.execute(
            "SELECT m.type, coalesce(mt.label, '') FROM models m LEFT JOIN model_types mt"
            " ON mt.code = m.type WHERE m.id = ?", [model_id]).fetchone()
        return (row[0], row[1]) if row else (None, "")


def validate_person(ctx: Context, person: Person,
                    facts: MemberFacts | None = None) -> list[FieldError]:
    """Located problems of a person, in Vietnamese (empty when valid)."""
    facts = facts or MemberFacts(ctx)
    complete_name(person)
    errors = []
    if not person.given_name:
        errors.append(FieldError("full_name", "Họ và tên không được để trống."))
    if person.id_number:
        if not ID_NUMBER.match(person.id_number):
            errors.append(FieldError("id_number", "Số định danh phải gồm đúng 12 chữ số."))
        else:
            for other_id in facts.person_ids_by_id_number(person.id_number):
                if other_id != person.id:
                    errors.append(FieldError(
                        "id_number",
                        f"Số định danh {person.id_number} đã thuộc về "
                        f"“{facts.person_name(other_id)}”."))
                    break
    if person.old_id_number and not OLD_ID_NUMBER.match(person.old_id_number):
        errors.append(FieldError("old_id_number", "Số CMND cũ phải gồm đúng 9 chữ số."))
    if person.gender and person.gender not in GENDERS.codes():
        errors.append(FieldError("gender", "Giới tính phải là Nam hoặc Nữ."))
    if person.birth_date and person.birth_date > today():
        errors.append(FieldError("birth_date", "Ngày sinh không được sau ngày hôm nay."))
    if person.ethnicity:
        if problem := ethnicities.problem(person.ethnicity):
            errors.append(FieldError("ethnicity", problem))
        else:
            person.ethnicity = ethnicities.match(person.ethnicity)
    if person.residence_unit_id and not facts.exists("units", person.residence_unit_id):
        errors.append(FieldError("residence_unit_id", "Khu dân cư không tồn tại."))
    return errors


def find_existing(ctx: Context, person: Person) -> Person | None:
    """The person already on file that *person* would duplicate, if any.

    The same ID number, or (without one) the same folded full name and birth date.
    """
    repo = PersonRepo(ctx.store)
    complete_name(person)
    if person.id_number:
        ids = repo.ids_by_id_number(person.id_number)
    else:
        ids = repo.ids_by_name(person.full_name, person.birth_date)
    ids = [i for i in ids if i != person.id]
    return repo.get(ids[0]) if ids else None


def save_person(ctx: Context, person: Person) -> tuple[str, Changes]:
    """Create or update a person."""
    return save_record(ctx, PersonRepo(ctx.store), person, validate_person)


def delete_person(ctx: Context, person_id: str) -> Changes:
    """Move a person to the recycle bin with their memberships and commendations
    (see :func:`core.services.recycle.delete`)."""
    return recycle.delete(ctx, person_id)[1]


def undelete_person(ctx: Context, person_id: str) -> Changes:
    """Bring a deleted person back with what was deleted with them (a person merged
    into another is refused; see :func:`core.services.recycle.restore`)."""
    return recycle.restore(ctx, person_id)[1]


def validate_membership(ctx: Context, membership: Membership,
                        facts: MemberFacts | None = None, *,
                        born: str | None = None) -> list[FieldError]:
    """Located problems of a membership, in Vietnamese (empty when valid).

    *born* is the person's birth date when the caller already has it.
    """
    facts = facts or MemberFacts(ctx)
    errors = []
    if not facts.exists("persons", membership.person_id):
        errors.append(FieldError("person_id", "Thành viên không tồn tại."))
    elif problem := rules.join_problem(born or facts.person_birth_date(membership.person_id),
                                       membership.join_date):
        errors.append(FieldError("join_date", problem))
    if not facts.exists("models", membership.model_id):
        errors.append(FieldError("model_id", "Mô hình không tồn tại."))
    if membership.role not in ROLES.codes():
        errors.append(FieldError("role", f"Chức vụ “{membership.role}” không hợp lệ."))
    check_date_order(errors, membership.join_date, membership.leave_date, "leave_date",
                     "Ngày thôi tham gia không được trước ngày tham gia.")
    twins = [i for i in facts.membership_ids_for(membership.person_id, membership.model_id)
             if i != membership.id]
    if twins:
        errors.append(FieldError("model_id", "Người này đã là thành viên của mô hình."))
    if membership.role == "to_truong" and not membership.leave_date:
        leaders = [i for i in facts.active_leaders(membership.model_id, today())
                   if i != membership.id]
        if leaders:
            name = facts.person_name(facts.membership_person(leaders[0]))
            title = role_label("to_truong", *facts.model_kind(membership.model_id))
            errors.append(FieldError(
                "role", f"Mô hình đã có {title} đang hoạt động: {name}."))
    return errors


def warnings(ctx: Context, membership: Membership) -> list[str]:
    """Criteria a member should meet but that do not block saving (see below)."""
    model = ModelRepo(ctx.store).find(membership.model_id)
    person = PersonRepo(ctx.store).find(membership.person_id)
    if model is None or person is None:
        return []
    return membership_warnings(membership, person, model.type,
                               model_types(ctx.db).label(model.type))


def membership_warnings(membership: Membership, person: Person,
                        model_type: str, type_label: str = "") -> list[str]:
    """Criteria a member should meet but that do not block saving.

    The age of :func:`core.rules.age_warning` for every kind of model (the law's
    18–70 for a Tổ bảo vệ an ninh, trật tự; a minor elsewhere), and for a Tổ bảo
    vệ ANTT residence of at least a year.
    """
    found = []
    on = membership.join_date or today()
    if len(on) == 4:
        on = f"{on}-01-01"
    if warning := rules.age_warning(person.full_name, person.birth_date, on, model_type,
                                    type_label or MODEL_TYPES.label(model_type)):
        found.append(warning)
    if model_type == "to_bao_ve_antt" and person.residence_since and (
            to_date(on) - to_date(person.residence_since)) < dt.timedelta(days=365):
        found.append(f"{person.full_name} cư trú chưa đủ 1 năm tại địa bàn.")
    return found


def save_membership(ctx: Context, membership: Membership) -> tuple[str, Changes]:
    """Create or update a membership."""
    return save_record(ctx, MembershipRepo(ctx.store), membership, validate_membership)


def delete_membership(ctx: Context, membership_id: str) -> Changes:
    """Delete a membership (a tombstone)."""
    return delete_record(ctx, MembershipRepo(ctx.store), membership_id)


@dataclass(frozen=True)
class PersonPage:
    """One page of a member search: ids in name order, and the key for the next."""

    ids: list[str]
    next_after: str | None


def search_persons(ctx: Context, query: str, *, limit: int = 50,
                   after: str | None = None) -> PersonPage:
    """Persons whose name matches *query*, ignoring case and diacritics."""
    rows = PersonRepo(ctx.store).search(query, limit=limit, after=after)
    next_after = rows[-1][0] if len(rows) == limit else None
    return PersonPage([r[1] for r in rows], next_after)
