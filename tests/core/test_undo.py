"""Undo of a saved form: every record back as it was, in the trail, or refused."""
from __future__ import annotations

import pytest
from exchange_support import db_state
from security_fixtures import PASSWORD, make_users

from core import accounts
from core.errors import PermissionDenied, UserError
from core.records import Membership, Model, Person, Unit
from core.repos.persons import MembershipRepo, PersonRepo
from core.services import members, models, people, recycle, units, undo


@pytest.fixture
def model_id(ctx):
    unit_id, _ = units.save(ctx, Unit(name="Thôn Đông"))
    found, _ = models.save(ctx, Model(name="Tổ ANND thôn Đông", unit_ids=[unit_id]))
    return found


def test_undo_an_added_person_with_memberships_leaves_tombstones(ctx, model_id):
    person_id, changes = people.save_person_with_memberships(
        ctx, Person(full_name="Trần Thị Bình"), [Membership(model_id=model_id)])
    undone = undo.revert(ctx, changes)
    assert undone.count("persons", "delete") == 1 and undone.count("memberships", "delete") == 1
    assert PersonRepo(ctx.store).find(person_id) is None
    assert [b.name for b in recycle.binned(ctx, "person")] == ["Trần Thị Bình"]


def test_undo_an_edit_gives_the_former_content_back_as_a_new_version(ctx, model_id):
    person_id, _ = members.save_person(ctx, Person(full_name="Trần Thị Bình", phone="0911"))
    person = PersonRepo(ctx.store).get(person_id)
    person.phone = "0922"
    person.full_name = "Trần Thị Bính"
    _, changes = people.save_person_with_memberships(ctx, person,
                                                     [Membership(model_id=model_id)])
    undo.revert(ctx, changes)
    back = PersonRepo(ctx.store).get(person_id)
    assert (back.full_name, back.phone) == ("Trần Thị Bình", "0911")
    assert ctx.store.row("persons", person_id)["version"] == 3
    assert MembershipRepo(ctx.store).of_person(person_id) == []
    ops = [r[0] for r in ctx.db.execute("SELECT op FROM audit WHERE record_id = ? ORDER BY"
                                        " seq", [person_id])]
    assert ops == ["insert", "update", "update"]


def test_undo_is_refused_when_the_record_changed_since(ctx):
    unit_id, changes = units.save(ctx, Unit(name="Thôn Tây"))
    unit = units.UnitRepo(ctx.store).get(unit_id)
    unit.households = 40
    units.save(ctx, unit)
    before = db_state(ctx)
    with pytest.raises(UserError, match="đã được sửa hoặc xóa sau đó"):
        undo.revert(ctx, changes)
    assert db_state(ctx) == before


def test_a_viewer_cannot_undo(ctx):
    make_users(ctx)
    _, changes = units.save(ctx, Unit(name="Thôn Nam"))
    accounts.sign_in(ctx, "xem", PASSWORD)
    with pytest.raises(PermissionDenied):
        undo.revert(ctx, changes)
