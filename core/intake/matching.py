"""Finding the person a row of a list names, among those stored and those planned.

The rules (docs/intake.md): the same ID number is the same person; the same full
name with tone marks (:func:`name_key`) and the same full birth date is the same
person; a weaker likeness (:func:`weak_reason`) is a candidate for the review queue.
Persons merged into others (tombstones with ``merged_into``) lead to the kept one.
"""
from __future__ import annotations

from collections import defaultdict

from core.intake.inspect import Inspection
from core.records import Membership, Person
from core.repos.persons import MembershipRepo, PersonRepo
from core.text import _word_key, clean, fold


def name_key(name: str) -> tuple[str, str]:
    """The full name compared with its tone marks, ignoring case, spacing and where
    the tone sits ("Hoà" = "Hòa")."""
    return _word_key(clean(name).lower())


def full_date(birth: str | None) -> bool:
    return bool(birth) and len(birth) == 10


class Index:
    """Stored and planned persons by ID number, by folded name."""

    def __init__(self):
        self.persons: dict[str, Person] = {}
        self.by_number: dict[str, str] = {}
        self.by_fold: dict[str, list[str]] = defaultdict(list)
        self.planned: dict[tuple, str] = {}   # (name key, birth, numbers) -> planned id
        # Merged-away persons (tombstones): their numbers and names lead to the kept one.
        self.merged_numbers: dict[str, str] = {}
        self.merged_names: dict[str, list[tuple[str, str | None, str]]] = defaultdict(list)

    def add(self, person: Person) -> None:
        self.persons[person.id] = person
        for number in (person.id_number, person.old_id_number):
            if number:
                self.by_number.setdefault(number, person.id)
        self.by_fold[fold(person.full_name)].append(person.id)


def load(ctx, inspection: Inspection) -> tuple[Index, dict[tuple[str, str], Membership]]:
    """Stored persons the list may name, and their live memberships by (person, model)."""
    names, numbers = set(), set()
    for sheet in inspection.sheets:
        for row in sheet.rows:
            if row.values.get("full_name"):
                names.add(fold(row.values["full_name"]))
            for key in ("id_number", "old_id_number"):
                if row.values.get(key):
                    numbers.add(row.values[key])
    repo = PersonRepo(ctx.store)
    index, found = Index(), {}
    wanted = [("name_fold", names), ("id_number", numbers), ("old_id_number", numbers)]
    if len(names) + len(numbers) > 2000:
        for person in repo.all():
            if fold(person.full_name) in names or person.id_number in numbers \
                    or person.old_id_number in numbers:
                found[person.id] = person
    else:
        for column, values in wanted:
            ordered = sorted(v for v in values if v)
            for start in range(0, len(ordered), 500):
                chunk = ordered[start:start + 500]
                marks = ", ".join("?" for _ in chunk)
                for person in repo.all(f"{column} IN ({marks})", chunk):
                    found[person.id] = person
    load_merged(ctx, repo, index, found, names, numbers)
    for person in found.values():
        index.add(person)
    for number, kept in index.merged_numbers.items():
        index.by_number.setdefault(number, kept)
    memberships: dict[tuple[str, str], Membership] = {}
    ids = sorted(found)
    repo = MembershipRepo(ctx.store)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for item in repo.all(f"person_id IN ({', '.join('?' for _ in chunk)})", chunk):
            memberships.setdefault((item.person_id, item.model_id), item)
    return index, memberships


def load_merged(ctx, repo, index: Index, found: dict, names: set, numbers: set) -> None:
    """Tombstones of persons merged into others: a list naming them finds the kept one."""
    try:
        rows = ctx.db.execute(
            "SELECT id, merged_into, id_number, old_id_number, name_fold, full_name, birth_date"
            " FROM persons WHERE deleted = 1 AND merged_into IS NOT NULL").fetchall()
    except Exception:   # a database without merges (older schema): nothing to resolve
        return
    into = {r[0]: r[1] for r in rows}
    for gone, kept, id_number, old_number, name_fold, full_name, birth in rows:
        for _ in range(20):                     # a chain of merges ends at a live person
            if kept not in into:
                break
            kept = into[kept]
        if id_number in numbers or old_number in numbers or name_fold in names:
            if kept not in found:
                person = repo.find(kept)
                if person is None:
                    continue
                found[kept] = person
            for number in (id_number, old_number):
                if number:
                    index.merged_numbers[number] = kept
            index.merged_names[name_fold].append((full_name, birth, kept))


def decisions(ctx, source: str) -> tuple[dict, dict]:
    """Rows already in the review queue: of this file, (sheet, row) -> (status, person);
    of any file, the queued person's values -> (status, person) (a list saved again)."""
    by_row, by_values = {}, {}
    for sheet, row, status, person_id, values, origin in ctx.db.execute(
            "SELECT sheet, row, status, person_id, person, source FROM intake_review"
            " ORDER BY id").fetchall():
        if origin == source:
            by_row[(sheet, row)] = (status, person_id)
        if status == "decided" or values not in by_values:
            by_values[values] = (status, person_id)
    return by_row, by_values


def planned_key(person: Person) -> tuple:
    return (name_key(person.full_name), person.birth_date or "", person.id_number,
            person.old_id_number)


def better_case(stored: str, in_file: str) -> bool:
    """True when *in_file* is *stored* with capitals put back where a word began in
    lower case (a TCVN3 name that lost a toned capital)."""
    if stored.lower() != in_file.lower() or stored.split(" ") == in_file.split(" "):
        return False
    return all(a == b or (a[:1].islower() and a[:1].upper() == b[:1] and a[1:] == b[1:])
               for a, b in zip(stored.split(" "), in_file.split(" ")))


def numbers_differ(one: Person, other: Person) -> bool:
    """True when both carry an ID number of the same kind and they differ."""
    return any(getattr(one, n) and getattr(other, n) and getattr(one, n) != getattr(other, n)
               for n in ("id_number", "old_id_number"))


def weak_reason(person: Person, other: Person, same_name: bool) -> str:
    """Why *other* may be the row's person ("" when it clearly is not)."""
    mine, theirs = person.birth_date or "", other.birth_date or ""
    if full_date(mine) and full_date(theirs) and mine != theirs:
        return ""
    if mine and theirs and mine[:4] != theirs[:4]:
        return ""
    parts = []
    if not same_name:
        parts.append(f"họ tên chỉ khác dấu (“{person.full_name}” và “{other.full_name}”)")
    else:
        parts.append("cùng họ tên")
    if not mine or not theirs:
        parts.append("một bên không có ngày sinh")
    elif mine == theirs and not full_date(mine):
        parts.append(f"cùng năm sinh {mine}, chưa có ngày sinh đầy đủ")
    elif len(mine) != len(theirs):
        parts.append("một bên chỉ có năm sinh")
    else:
        parts.append("cùng ngày sinh")
    if not (person.id_number or person.old_id_number) or not (other.id_number
                                                             or other.old_id_number):
        parts.append("không có số định danh để đối chiếu")
    return "; ".join(parts).capitalize()
