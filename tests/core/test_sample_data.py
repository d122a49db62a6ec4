"""The sample-data generator is reproducible and its data passes validation."""
from __future__ import annotations

from core.periods import parse_period
from core.report import build_report
from core.sample_data import fill, generate
from core.services import activities, members, models, units


def test_same_seed_same_data():
    a, b = generate(0.1, seed=7), generate(0.1, seed=7)
    assert [p.full_name for p in a.persons] == [p.full_name for p in b.persons]
    assert [m.id for m in a.memberships] == [m.id for m in b.memberships]
    assert generate(0.1, seed=8).persons[0].id != a.persons[0].id


def test_generated_records_are_valid_and_reported(ctx):
    sample = generate(0.1)
    assert len(sample.memberships) == 200
    assert {m.type for m in sample.models} >= {"to_an_ninh_nhan_dan", "to_bao_ve_antt"}
    assert any(any(ord(c) > 127 for c in p.full_name) for p in sample.persons)
    for unit in sample.units:
        assert units.validate(ctx, unit) == []
    written = fill(ctx, sample)
    assert written == sum(len(v) for v in vars(sample).values())
    for model in sample.models[:20]:
        assert models.validate(ctx, model) == []
    for person in sample.persons[:20]:
        assert members.validate_person(ctx, person) == []
    for membership in sample.memberships[:50]:
        assert members.validate_membership(ctx, membership) == []
    for event in sample.events:
        assert activities.validate_event(ctx, event) == []
    ind = build_report(ctx, parse_period("2026"))["indicators"]
    assert ind["events_total"] == len(sample.events)
    assert ind["units_total"] == len(sample.units)
    assert 0 < ind["memberships_total"] <= 200


def test_every_generated_person_belongs_to_a_model():
    sample = generate(0.3, seed=11)
    in_models = {m.person_id for m in sample.memberships}
    assert in_models == {p.id for p in sample.persons}
    assert len(sample.memberships) == 600
    pairs = [(m.person_id, m.model_id) for m in sample.memberships]
    assert len(pairs) == len(set(pairs))


def test_guard_team_members_meet_the_age_and_residence_criteria():
    sample = generate(1.0, seed=3)
    persons = {p.id: p for p in sample.persons}
    types = {m.id: m.type for m in sample.models}
    checked = 0
    for membership in sample.memberships:
        warnings = members.membership_warnings(
            membership, persons[membership.person_id], types[membership.model_id])
        assert warnings == [], warnings
        checked += types[membership.model_id] == "to_bao_ve_antt"
    assert checked > 20
