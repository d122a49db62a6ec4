"""A person and their memberships, saved together (the person form's service)."""
from __future__ import annotations

from core.errors import FieldError, ValidationError
from core.records import Membership, Person
from core.repos.models import ModelRepo
from core.services import members
from core.services.common import guard
from core.station import Context
from core.store import Changes


def save_person_with_memberships(ctx: Context, person: Person,
                                 memberships: list[Membership],
                                 removed_ids: list[str] = ()) -> tuple[str, Changes]:
    """Save a person, drop *removed_ids* and save *memberships*, all or nothing.

    A membership's problems come back as ``FieldError("memberships", …)`` naming
    the model, so the form can show them under its list of memberships.
    """
    guard(ctx, "edit")
    with ctx.store.transaction() as changes:
        person_id, _ = members.save_person(ctx, person)
        for membership_id in removed_ids:
            members.delete_membership(ctx, membership_id)
        errors: list[FieldError] = []
        for membership in memberships:
            membership.person_id = person_id
            try:
                members.save_membership(ctx, membership)
            except ValidationError as exc:
                model = ModelRepo(ctx.store).find(membership.model_id)
                name = model.name if model else "?"
                errors += [FieldError("memberships", f"{name}: {e.message}")
                           for e in exc.errors]
        if errors:
            raise ValidationError(errors)
    return person_id, changes


def person_warnings(ctx: Context, person_id: str) -> list[str]:
    """The non-blocking warnings of every live membership of a person."""
    found: list[str] = []
    for membership in members.MembershipRepo(ctx.store).of_person(person_id):
        found += members.warnings(ctx, membership)
    return found
