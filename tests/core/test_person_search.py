"""Finding a person by name, CCCD, old CMND or phone (list, service and command line)."""
from __future__ import annotations

import json

import pytest
from security_fixtures import PASSWORD, make_users

from core import accounts, queries
from core.cli import run
from core.records import Membership, Model, Person, Unit
from core.services import members, models, units
from core.services.person_search import find_persons


@pytest.fixture
def people(ctx):
    """Three persons with numbers, one deleted, plus namesakes without numbers."""
    unit_id, _ = units.save(ctx, Unit(name="Thôn Đông"))
    model_id, _ = models.save(ctx, Model(name="Tổ ANND thôn Đông", unit_ids=[unit_id]))
    made = {}
    for key, person in {
        "so": Person(full_name="Hà Văn Số", id_number="001085012345",
                     old_id_number="012345678", phone="0912.345 678", birth_date="1985-03-12"),
        "hai": Person(full_name="Hà Thị Hai", phone="+84 987 654 321"),
        "ba": Person(full_name="Lê Văn Ba", id_number="002090099999", phone="0243-876-5432"),
        "gone": Person(full_name="Đỗ Văn Xóa", id_number="003070012345"),
    }.items():
        made[key], _ = members.save_person(ctx, person)
    for i in range(30):
        members.save_person(ctx, Person(full_name=f"Nguyễn Văn Tên {i}"))
    members.save_membership(ctx, Membership(person_id=made["so"], model_id=model_id))
    members.delete_person(ctx, made["gone"])
    return made


@pytest.mark.parametrize("typed, words, digits", [
    ("nguyen van", ["nguyen", "van"], ""),
    ("0912.345.678", [], "0912345678"),
    ("0912 345 678", [], "0912345678"),
    ("+84 987", [], "84987"),
    ("123", ["123"], ""),
    ("Hà 2345", ["ha"], "2345"),
    ("Hà 23", ["ha", "23"], ""),
])
def test_what_was_typed_is_split_into_name_words_and_a_number(typed, words, digits):
    assert queries.split_person_search(typed) == (words, digits)


def _names(ctx, text) -> list[str]:
    ids = queries.list_ids(ctx.db, queries.PERSONS, search=text, limit=40)
    rows = queries.load_rows(ctx.db, queries.PERSONS, ids)
    assert queries.count_ids(ctx.db, queries.PERSONS, search=text) == len(ids)
    return [rows[i][0] for i in ids]


@pytest.mark.parametrize("typed, found", [
    ("001085012345", ["Hà Văn Số"]),              # whole CCCD
    ("2345", ["Hà Văn Số"]),                      # last digits: CCCD …2345 (the deleted
    ("12345", ["Hà Văn Số"]),                     # person's number ends the same way)
    ("012345678", ["Hà Văn Số"]),                 # whole old CMND
    ("45678", ["Hà Văn Số"]),                     # last digits of the CMND and the phone
    ("0912345678", ["Hà Văn Số"]),                # phone typed without its dots
    ("0912 345 678", ["Hà Văn Số"]),
    ("0987654321", ["Hà Thị Hai"]),               # stored as +84 987 654 321
    ("654 321", ["Hà Thị Hai"]),
    ("8765432", ["Lê Văn Ba"]),                   # stored with dashes
    ("99999", ["Lê Văn Ba"]),
    ("ha van so", ["Hà Văn Số"]),                 # name without diacritics, as before
    ("ha 5432", []),                              # a name and a number must both match
    ("le 5432", ["Lê Văn Ba"]),
    ("9999 9999", []),
    ("345", []),                                  # fewer than 4 digits: no number search
])
def test_list_search_by_name_id_number_or_phone(ctx, people, typed, found):
    assert _names(ctx, typed) == found


def test_the_number_search_uses_the_tail_indexes(ctx, people):
    source, params = queries.PERSONS.from_clause("2345")
    where, more = queries._where(queries.PERSONS, "2345", None)
    plan = " | ".join(r[3] for r in ctx.db.execute(
        f"EXPLAIN QUERY PLAN SELECT t.id FROM {source} WHERE {where}"
        " ORDER BY t.sort_key LIMIT 40", [*params, *more]))
    for index in ("persons_id_tail", "persons_old_id_tail", "persons_phone_tail"):
        assert f"USING INDEX {index}" in plan
    assert "SCAN t" not in plan and "persons_list" not in plan
    assert "SEARCH t USING INTEGER PRIMARY KEY" in plan


def test_find_persons_gives_the_contract_fields(ctx, people):
    [hit] = find_persons(ctx, "2345")
    assert (hit.person_id, hit.name, hit.birth, hit.id_number, hit.phone, hit.models) == (
        people["so"], "Hà Văn Số", "1985-03-12", "001085012345", "0912.345 678",
        ["Tổ ANND thôn Đông"])
    assert len(find_persons(ctx, "nguyen van ten", limit=10)) == 10
    assert find_persons(ctx, "ten 29")[0].name == "Nguyễn Văn Tên 29"


def _cli(capsys, ctx, *args) -> tuple[int, dict]:
    capsys.readouterr()
    code = run(["--db", str(ctx.path), *args, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else {}


def test_search_persons_command(ctx, people, capsys):
    code, out = _cli(capsys, ctx, "search-persons", "0912 345 678")
    assert code == 0
    assert out == {"persons": [{
        "person_id": people["so"], "name": "Hà Văn Số", "birth": "1985-03-12",
        "id_number": "001085012345", "old_id_number": "012345678",
        "phone": "0912.345 678", "models": ["Tổ ANND thôn Đông"]}]}
    code, out = _cli(capsys, ctx, "search-persons", "khong ai ten nay")
    assert (code, out) == (0, {"persons": []})


def test_search_persons_with_accounts_viewer_may_search(ctx, people, capsys, monkeypatch):
    make_users(ctx)
    accounts.sign_out(ctx)
    monkeypatch.setenv("ANTQ_PASSWORD", PASSWORD)
    for user in ("quantri", "nhaplieu", "xem"):
        code, out = _cli(capsys, ctx, "--user", user, "search-persons", "012345678")
        assert code == 0 and [p["name"] for p in out["persons"]] == ["Hà Văn Số"]
    monkeypatch.setenv("ANTQ_PASSWORD", "sai-mat-khau")
    code, _ = _cli(capsys, ctx, "--user", "xem", "search-persons", "012345678")
    assert code == 1
