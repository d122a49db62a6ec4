"""Services: validation with located Vietnamese messages, tombstones, undo, search."""
from __future__ import annotations

import unicodedata

import pytest

from core.errors import NotFound, PermissionDenied, ValidationError
from core.records import Commendation, Event, Membership, Model, Person, Result, Unit
from core.repos.persons import MembershipRepo, PersonRepo
from core.repos.units import UnitRepo
from core.services import activities, members, models, units


def fields(exc: ValidationError) -> set[str]:
    return {e.field for e in exc.errors}


@pytest.fixture
def village(ctx):
    return units.save(ctx, Unit(name="Thôn Đông", type="khu_dan_cu"))[0]


@pytest.fixture
def team(ctx, village):
    return models.save(ctx, Model(name="Tổ ANND thôn Đông", type="to_an_ninh_nhan_dan",
                                  unit_ids=[village]))[0]


def test_unit_metadata_and_versioning(ctx, village):
    row = ctx.store.row("units", village)
    assert row["owner"] == "X01" and row["version"] == 1 and row["deleted"] == 0
    assert len(row["id"]) == 36
    unit = UnitRepo(ctx.store).get(village)
    unit.head = "Nguyễn Văn Hải"
    _, changes = units.save(ctx, unit)
    assert ctx.store.row("units", village)["version"] == 2
    assert changes.count("units", "update") == 1
    _, changes = units.save(ctx, UnitRepo(ctx.store).get(village))  # nothing differs
    assert not changes and ctx.store.row("units", village)["version"] == 2


def test_unit_validation(ctx, village):
    with pytest.raises(ValidationError) as exc:
        units.save(ctx, Unit(name="", type="lang_nghe"))
    assert fields(exc.value) == {"name", "type"}
    assert "không được để trống" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        units.save(ctx, Unit(name="thôn đông", type="khu_dan_cu"))  # same name, same level
    assert fields(exc.value) == {"name"}
    unit = UnitRepo(ctx.store).get(village)
    unit.parent_id = village
    with pytest.raises(ValidationError) as exc:
        units.save(ctx, unit)
    assert fields(exc.value) == {"parent_id"}


def test_text_is_stored_as_nfc(ctx):
    nfd_name = unicodedata.normalize("NFD", "  Thôn   Hòa  Lạc ")
    unit_id, _ = units.save(ctx, Unit(name=nfd_name, type="Khu_dan_cu".lower()))
    assert ctx.store.row("units", unit_id)["name"] == "Thôn Hòa Lạc"


def test_delete_is_a_tombstone_and_undo_brings_it_back(ctx, village):
    units.delete(ctx, village)
    assert ctx.store.row("units", village)["deleted"] == 1
    with pytest.raises(NotFound):
        UnitRepo(ctx.store).get(village)
    units.undelete(ctx, village)
    assert UnitRepo(ctx.store).get(village).name == "Thôn Đông"


def test_model_needs_a_unit_and_a_known_type(ctx, village):
    with pytest.raises(ValidationError) as exc:
        models.save(ctx, Model(name="Tổ X", type="khong_co", unit_ids=[], status="tot"))
    assert fields(exc.value) == {"type", "unit_ids", "status"}
    model_id, _ = models.save(ctx, Model(name="Tổ X", type="cau_lac_bo", unit_ids=[village]))
    assert ctx.store.snapshot("models", model_id)["unit_ids"] == [village]


def test_person_id_number_rules(ctx):
    with pytest.raises(ValidationError) as exc:
        members.save_person(ctx, Person(full_name="Nguyễn Văn Đức", id_number="12345"))
    assert fields(exc.value) == {"id_number"}
    members.save_person(ctx, Person(full_name="Nguyễn Văn Đức", id_number="001080012345"))
    with pytest.raises(ValidationError) as exc:
        members.save_person(ctx, Person(full_name="Lê Văn Tám", id_number="001080012345"))
    assert "Nguyễn Văn Đức" in str(exc.value)


def test_name_is_split_and_the_same_person_in_nfd_is_found(ctx):
    person_id, _ = members.save_person(ctx, Person(full_name="Nguyễn Thị Ánh",
                                                   birth_date="1990-05-02"))
    stored = PersonRepo(ctx.store).get(person_id)
    assert (stored.family_name, stored.middle_name, stored.given_name) == ("Nguyễn", "Thị", "Ánh")
    twin = Person(full_name=unicodedata.normalize("NFD", "nguyễn thị ánh"),
                  birth_date="1990-05-02")
    assert members.find_existing(ctx, twin).id == person_id
    assert members.find_existing(ctx, Person(full_name="Nguyễn Thị Ánh",
                                             birth_date="1991-05-02")) is None


def test_membership_rules(ctx, team):
    a, _ = members.save_person(ctx, Person(full_name="Trần Văn Hùng"))
    b, _ = members.save_person(ctx, Person(full_name="Đỗ Thị Lan"))
    members.save_membership(ctx, Membership(person_id=a, model_id=team, role="to_truong"))
    with pytest.raises(ValidationError) as exc:
        members.save_membership(ctx, Membership(person_id=b, model_id=team, role="to_truong"))
    assert fields(exc.value) == {"role"} and "Trần Văn Hùng" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        members.save_membership(ctx, Membership(person_id=b, model_id=team,
                                                join_date="2026-02-01", leave_date="2026-01-01"))
    assert fields(exc.value) == {"leave_date"}
    with pytest.raises(ValidationError):
        members.save_membership(ctx, Membership(person_id=a, model_id=team))  # twice


def test_security_team_member_warnings(ctx, village):
    team = models.save(ctx, Model(name="Tổ bảo vệ ANTT", type="to_bao_ve_antt",
                                  unit_ids=[village]))[0]
    young, _ = members.save_person(ctx, Person(full_name="Vũ Văn Nam", birth_date="2010-01-01",
                                               residence_since="2025-12-01"))
    warnings = members.warnings(ctx, Membership(person_id=young, model_id=team,
                                                join_date="2026-01-01"))
    assert len(warnings) == 2 and "16 tuổi" in warnings[0]


def test_deleting_a_person_takes_memberships_and_undo_restores_them(ctx, team):
    person_id, _ = members.save_person(ctx, Person(full_name="Hoàng Văn Minh"))
    members.save_membership(ctx, Membership(person_id=person_id, model_id=team))
    members.delete_person(ctx, person_id)
    assert MembershipRepo(ctx.store).of_model(team) == []
    members.undelete_person(ctx, person_id)
    assert len(MembershipRepo(ctx.store).of_model(team)) == 1


def test_search_ignores_case_diacritics_and_pages_in_name_order(ctx):
    names = ["Nguyễn Văn Đức", "Nguyễn Văn An", "Trần Thị Đào", "Lê Văn Đức", "Phạm Đức Anh"]
    for name in names:
        members.save_person(ctx, Person(full_name=name))
    found = members.search_persons(ctx, "nguyen van duc")
    assert [PersonRepo(ctx.store).get(i).full_name for i in found.ids] == ["Nguyễn Văn Đức"]
    page = members.search_persons(ctx, "DUC", limit=2)
    first = [PersonRepo(ctx.store).get(i).full_name for i in page.ids]
    rest = members.search_persons(ctx, "duc", limit=2, after=page.next_after)
    second = [PersonRepo(ctx.store).get(i).full_name for i in rest.ids]
    assert first == ["Phạm Đức Anh", "Lê Văn Đức"] and second == ["Nguyễn Văn Đức"]
    assert members.search_persons(ctx, "100%").ids == []


def test_event_count_cannot_be_below_the_named_list(ctx):
    people = [members.save_person(ctx, Person(full_name=f"Người Số {i}"))[0] for i in range(3)]
    with pytest.raises(ValidationError) as exc:
        activities.save_event(ctx, Event(date="2026-01-05", type="hoi_nghi", title="Hội nghị",
                                         participants=2, attendee_ids=people))
    assert fields(exc.value) == {"participants"}
    event_id, _ = activities.save_event(ctx, Event(date="2026-01-05", type="hoi_nghi",
                                                   title="Hội nghị", participants=3,
                                                   attendee_ids=people))
    assert len(ctx.store.snapshot("events", event_id)["attendee_ids"]) == 3


def test_result_quantity_must_be_a_whole_number(ctx, village):
    for bad in (-1, 2.5):
        with pytest.raises(ValidationError) as exc:
            activities.save_result(ctx, Result(date="2026-01-05", type="tin_bao", quantity=bad,
                                               unit_id=village))
        assert fields(exc.value) == {"quantity"}


def test_commendation_requires_its_fields_and_a_real_recipient(ctx, team):
    with pytest.raises(ValidationError) as exc:
        activities.save_commendation(ctx, Commendation(recipient_kind="model", recipient_id="x"))
    assert fields(exc.value) == {"recipient_id", "decision_no", "decision_date", "achievement"}
    item_id, _ = activities.save_commendation(ctx, Commendation(
        recipient_kind="model", recipient_id=team, decision_no="12/QĐ-UBND",
        decision_date="2026-08-19", achievement="Đã có thành tích", authority="Chủ tịch UBND xã"))
    assert ctx.store.row("commendations", item_id)["authority"] == "chu_tich_ubnd_xa"


def test_failed_write_changes_nothing(ctx, village):
    before = ctx.db.execute("SELECT COUNT(*) FROM models").fetchone()[0]
    with pytest.raises(RuntimeError):
        with ctx.store.transaction():
            models.save(ctx, Model(name="Tổ A", type="cau_lac_bo", unit_ids=[village]))
            raise RuntimeError("boom")
    assert ctx.db.execute("SELECT COUNT(*) FROM models").fetchone()[0] == before


def test_a_viewer_cannot_write(ctx):
    ctx.user, ctx.role = "xem", "viewer"
    with pytest.raises(PermissionDenied):
        units.save(ctx, Unit(name="Thôn Tây", type="khu_dan_cu"))
    assert UnitRepo(ctx.store).count() == 0
