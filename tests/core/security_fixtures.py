"""Shared set-up for the accounts / audit / backup tests (imported by them)."""
from __future__ import annotations

import uuid

from core import accounts
from core.records import Commendation, Event, Membership, Model, Person, Result, Unit
from core.services import activities, members, models, units
from core.station import Context

PASSWORD = "mat-khau-123"


def make_users(ctx: Context) -> None:
    """An admin (first), an editor and a viewer, all with PASSWORD."""
    accounts.add_user(ctx, "quantri", "admin", PASSWORD)
    accounts.sign_in(ctx, "quantri", PASSWORD)
    accounts.add_user(ctx, "nhaplieu", "editor", PASSWORD)
    accounts.add_user(ctx, "xem", "viewer", PASSWORD)


def seed(ctx: Context) -> dict[str, str]:
    """One record of every kind; returns their ids."""
    ids = {}
    ids["unit"], _ = units.save(ctx, Unit(name=f"Thôn {uuid.uuid4().hex[:6]}"))
    ids["model"], _ = models.save(ctx, Model(name=f"Tổ {uuid.uuid4().hex[:6]}",
                                             unit_ids=[ids["unit"]]))
    ids["person"], _ = members.save_person(ctx, Person(full_name="Nguyễn Văn An",
                                                       birth_date="1980-01-02"))
    ids["membership"], _ = members.save_membership(
        ctx, Membership(person_id=ids["person"], model_id=ids["model"]))
    ids["event"], _ = activities.save_event(ctx, Event(date="2026-03-01", title="Họp tổ",
                                                       participants=3))
    ids["result"], _ = activities.save_result(ctx, Result(date="2026-03-02", quantity=2,
                                                                  unit_id=ids["unit"]))
    ids["commendation"], _ = activities.save_commendation(ctx, Commendation(
        recipient_kind="person", recipient_id=ids["person"], decision_no="12/QĐ",
        decision_date="2026-04-01", achievement="Tích cực"))
    return ids
