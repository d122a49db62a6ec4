"""The persons and memberships an import knows, in memory, and their bulk write.

A large “Thành viên” sheet is checked row by row against this book instead of
the database: what is stored (read once) plus what earlier rows of the workbook
are about to write. The book answers the questions the member rules ask
(:class:`core.services.members.MemberFacts`), so the rules themselves stay in
the service. At the end of the sheet the new records are written with one
``executemany`` per table (:meth:`core.repos.base.Repo.insert_many`) and the
rare updates through the normal path.
"""
from __future__ import annotations

from collections import defaultdict

from core.activity import membership_active
from core.records import Membership, Person
from core.repos.persons import MembershipRepo, PersonRepo
from core.services.members import MemberFacts
from core.store import new_id
from core.text import fold


SCAN_ABOVE = 2000  # more values than this: read the table once rather than by index


class MemberBook(MemberFacts):
    """Live persons and memberships: those stored and those planned."""

    def __init__(self, session, rows: list) -> None:
        super().__init__(session.ctx)
        self.session = session
        self.person_repo = session.repo(PersonRepo)
        self.membership_repo = session.repo(MembershipRepo)
        self.persons: dict[str, Person] = {}
        self.rank: dict[str, int] = {}  # storage order (rowid), for lists in that order
        self.by_number: dict[str, list[str]] = defaultdict(list)
        self.by_name: dict[str, list[str]] = defaultdict(list)
        self.memberships: dict[str, Membership] = {}
        self.by_pair: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.leaders: dict[str, list[str]] = defaultdict(list)  # model id -> membership ids
        self.new: dict[type, dict[str, object]] = {Person: {}, Membership: {}}
        self.changed: dict[type, dict[str, object]] = {Person: {}, Membership: {}}
        self.pending_person: str | None = None  # checked, not yet kept
        self._folded: dict[str, str] = {}
        self._next_rank = 1 << 62  # records planned here come after every stored one
        self._seen: set[str] = set()  # ids of the stored records read
        # Persons merged into others (their tombstones): ID number / folded name ->
        # [(birth date, kept person's id)], so a list naming them finds the kept one.
        self.merged_numbers: dict[str, str] = {}
        self.merged_names: dict[str, list[tuple[str | None, str]]] = defaultdict(list)
        self._load(rows)

    # -- reading what is stored --------------------------------------------------

    def _load(self, rows: list) -> None:
        """Read the stored records the rows' questions can be about.

        The persons with an ID number or a (folded) name the sheet names, and
        those sharing an ID number with them; their memberships; every Tổ trưởng
        membership and its person (for the one-leader rule). A province station
        with a small workbook reads a few records, not all of them.
        """
        numbers = {str(r.get("id_number")) for r in rows if r.get("id_number")}
        names = {self.fold(str(r.get("full_name") or "")) for r in rows}
        persons = self._stored(self.person_repo, {"id_number": numbers, "name_fold": names})
        more = {p.id_number for _, p in persons if p.id_number} - numbers
        persons += self._stored(self.person_repo, {"id_number": more})
        leaders = self._stored(self.membership_repo, {"role": {"to_truong"}})
        persons += self._stored(self.person_repo, {"id": {m.person_id for _, m in leaders}})
        persons += self._load_merged()
        for rowid, person in sorted(persons, key=lambda item: item[0]):
            self.rank[person.id] = rowid
            self._index_person(person)
        memberships = leaders + self._stored(self.membership_repo,
                                             {"person_id": set(self.persons)})
        for rowid, item in sorted(memberships, key=lambda item: item[0]):
            self.rank[item.id] = rowid
            self._index_membership(item)

    def _load_merged(self) -> list[tuple[int, object]]:
        """Read the merged persons' tombstones (few) and the persons they were merged
        into; returns those kept persons not read yet, as :meth:`_stored` does."""
        from core.services.merge import resolve_merged
        rows = self.ctx.db.execute(
            "SELECT id, COALESCE(id_number, ''), name_fold, birth_date, merged_into"
            " FROM persons WHERE merged_into IS NOT NULL").fetchall()
        kept: dict[str, str] = {}
        for person_id, number, name_fold, birth, target in rows:
            keep = kept.get(target) or kept.setdefault(target, resolve_merged(self.ctx, target))
            if number:
                self.merged_numbers[number] = keep
            self.merged_names[name_fold].append((birth, keep))
        return self._stored(self.person_repo, {"id": set(kept.values())})

    def merged_into(self, name: str, birth: object, *, with_birth: bool,
                    id_number: str = "") -> str | None:
        """The live person a merged person named so (or with this ID number) became."""
        if id_number:
            keep = self.merged_numbers.get(id_number)
            return keep if keep in self.persons else None
        found = {keep for born, keep in self.merged_names.get(self.fold(name), ())
                 if not with_birth or (born or None) == birth}
        found &= set(self.persons)
        return found.pop() if len(found) == 1 else None

    def _stored(self, repo, wanted: dict[str, set[str]]) -> list[tuple[int, object]]:
        """Live records of *repo*'s table whose value in a column of *wanted* is one
        of that column's values, each once: (rowid, record).

        Few values: looked up through the columns' indexes, 500 at a time; many
        (a large sheet): one pass over the table, filtered here.
        """
        wanted = {column: {v for v in values if v} for column, values in wanted.items()}
        if not any(wanted.values()):
            return []
        table, rows = repo.entity.table, []
        scan = sum(map(len, wanted.values())) > SCAN_ABOVE
        if scan:
            cur = self.ctx.db.execute(
                f"SELECT rowid AS row_number, * FROM {table} WHERE deleted = 0")
            names = [d[0] for d in cur.description]
            tests = [(names.index(column), values) for column, values in wanted.items()]
            rows = [row for row in cur.fetchall()
                    if any(row[at] in values for at, values in tests)]
        for column, values in () if scan else wanted.items():
            ordered = sorted(values)
            for start in range(0, len(ordered), 500):
                chunk = ordered[start:start + 500]
                cur = self.ctx.db.execute(
                    f"SELECT rowid AS row_number, * FROM {table} WHERE deleted = 0"
                    f" AND {column} IN ({', '.join('?' for _ in chunk)})", chunk)
                names = [d[0] for d in cur.description]
                rows += cur.fetchall()
        if not rows:
            return []
        id_at = names.index("id")
        fresh = {}
        for row in rows:
            if row[id_at] not in self._seen:
                fresh.setdefault(row[id_at], row)
        self._seen.update(fresh)
        rows = list(fresh.values())
        return list(zip((row[0] for row in rows), repo.from_rows(names, rows)))

    def fold(self, text: str) -> str:
        """:func:`core.text.fold`, remembered (names repeat across thousands of rows)."""
        folded = self._folded.get(text)
        if folded is None:
            folded = self._folded[text] = fold(text)
        return folded

    # -- indexes -------------------------------------------------------------------

    def _ranked(self, record_id: str) -> None:
        """Give a record planned here its place after the stored ones."""
        if record_id not in self.rank:
            self.rank[record_id] = self._next_rank
            self._next_rank += 1

    def _index_person(self, person: Person) -> None:
        self._ranked(person.id)
        self.persons[person.id] = person
        if person.id_number:
            self._add(self.by_number[person.id_number], person.id)
        self._add(self.by_name[self.fold(person.full_name)], person.id)

    def _unindex_person(self, person: Person) -> None:
        if person.id_number:
            self.by_number[person.id_number].remove(person.id)
        self.by_name[self.fold(person.full_name)].remove(person.id)

    def _index_membership(self, item: Membership) -> None:
        self._ranked(item.id)
        self.memberships[item.id] = item
        self._add(self.by_pair[(item.person_id, item.model_id)], item.id)
        if item.role == "to_truong":
            self._add(self.leaders[item.model_id], item.id)

    def _unindex_membership(self, item: Membership) -> None:
        self.by_pair[(item.person_id, item.model_id)].remove(item.id)
        if item.role == "to_truong":
            self.leaders[item.model_id].remove(item.id)

    def _add(self, ids: list[str], record_id: str) -> None:
        """Add an id to a list kept in storage order."""
        ids.append(record_id)
        if len(ids) > 1 and self.rank[ids[-2]] > self.rank[record_id]:
            ids.sort(key=self.rank.__getitem__)

    # -- the facts the member rules ask for -------------------------------------

    def exists(self, table: str, record_id: str | None) -> bool:
        if table == "persons":
            return bool(record_id) and (record_id in self.persons
                                        or record_id == self.pending_person)
        if table == "models":
            return record_id in self.session.models.by_id
        if table == "units":
            return record_id in self.session.units.by_id
        return super().exists(table, record_id)

    def person_ids_by_id_number(self, id_number: str) -> list[str]:
        return list(self.by_number.get(id_number, ()))

    def person_name(self, person_id: str) -> str:
        return self.persons[person_id].full_name

    def person_birth_date(self, person_id: str) -> str | None:
        person = self.persons.get(person_id)
        return person.birth_date if person else None

    def membership_ids_for(self, person_id: str, model_id: str) -> list[str]:
        return list(self.by_pair.get((person_id, model_id), ()))

    def active_leaders(self, model_id: str, on: str) -> list[str]:
        return [i for i in self.leaders.get(model_id, ())
                if membership_active(self.memberships[i], on)]

    def membership_person(self, membership_id: str) -> str:
        return self.memberships[membership_id].person_id

    # -- finding persons -------------------------------------------------------------

    def ids_by_name(self, name: str, birth: object, *, with_birth: bool,
                    unnumbered: bool = False) -> list[str]:
        """Persons with this folded name (and birth date when *with_birth*)."""
        found = []
        for person_id in self.by_name.get(self.fold(name), ()):
            person = self.persons[person_id]
            if with_birth and (person.birth_date or None) != birth:
                continue
            if unnumbered and person.id_number:
                continue
            found.append(person_id)
        return found

    # -- planning writes -------------------------------------------------------------

    def differs(self, record: Person | Membership, stored: Person | Membership) -> bool:
        """True when *record* would store other values than *stored*."""
        repo = self.person_repo if isinstance(record, Person) else self.membership_repo
        return repo.content_values(record) != repo.content_values(stored)

    def keep_person(self, person: Person, op: str | None) -> None:
        """Take a checked person into the book (op: "insert", "update" or None)."""
        if person.id is None:
            person.id = new_id()
        old = self.persons.get(person.id)
        if old is not None:
            self._unindex_person(old)
        self._index_person(person)
        self._plan(person, op)

    def keep_membership(self, item: Membership, op: str | None) -> None:
        """Take a checked membership into the book."""
        if item.id is None:
            item.id = new_id()
        old = self.memberships.get(item.id)
        if old is not None:
            self._unindex_membership(old)
        self._index_membership(item)
        self._plan(item, op)

    def _plan(self, record: Person | Membership, op: str | None) -> None:
        kind = type(record)
        if record.id in self.new[kind]:
            self.new[kind][record.id] = record  # a record planned here, changed again
        elif op == "insert":
            self.new[kind][record.id] = record
        elif op == "update":
            self.changed[kind][record.id] = record

    @staticmethod
    def copy(record: Person | Membership) -> Person | Membership:
        """A copy to change (the book's record stays as it is until kept).

        The fields are plain values (no lists), so a shallow copy of the
        attributes is the record's copy, made without ``dataclasses.replace``'s
        call per field.
        """
        clone = object.__new__(type(record))
        clone.__dict__.update(record.__dict__)
        return clone

    # -- writing -------------------------------------------------------------------

    def flush(self) -> None:
        """Write what was planned: inserts in bulk, updates one by one."""
        for repo, kind in ((self.person_repo, Person), (self.membership_repo, Membership)):
            repo.insert_many(list(self.new[kind].values()))
            for record in self.changed[kind].values():
                repo.save(record)
            self.new[kind].clear()
            self.changed[kind].clear()
