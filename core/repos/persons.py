"""SQL for persons (members) and their memberships."""
from __future__ import annotations

from core.activity import membership_dates_sql, sql_day
from core.queries import person_source, person_terms
from core.records import Membership, Person
from core.repos.base import Repo
from core.schema import MEMBERSHIP, PERSON
from core.text import fold, name_sort_key


class PersonRepo(Repo[Person]):
    """Persons known to a station."""

    entity = PERSON
    record_type = Person
    not_found = "Không tìm thấy thành viên."

    def derived(self, record: Person) -> dict:
        return {"name_fold": fold(record.full_name),
                "sort_key": name_sort_key(record.given_name, record.middle_name,
                                          record.family_name)}

    def ids_by_id_number(self, id_number: str) -> list[str]:
        """Ids of live persons with this ID number."""
        return self.ids("id_number = ?", [id_number])

    def ids_by_name(self, full_name: str, birth_date: str | None = None) -> list[str]:
        """Ids of live persons by folded full name (and birth date when given)."""
        if birth_date is None:
            return self.ids("name_fold = ?", [fold(full_name)])
        return self.ids("name_fold = ? AND birth_date = ?", [fold(full_name), birth_date])

    def search(self, query: str, *, limit: int = 50, after: str | None = None,
               owner: str | None = None) -> list[tuple[str, str]]:
        """Persons whose folded name contains every word of *query*, or whose CCCD,
        old CMND or phone is the number typed or ends with it (see
        :func:`core.queries.person_source`).

        Returns (sort_key, id) pairs in Vietnamese name order. Paging is keyset:
        pass the last sort_key seen as *after* for the next page.
        """
        source, params = person_source(query)
        where, more = person_terms(query)
        where.insert(0, "t.deleted = 0")
        params += more
        if after is not None:
            where.append("t.sort_key > ?")
            params.append(after)
        if owner is not None:
            where.append("t.owner = ?")
            params.append(owner)
        rows = self.db.execute(
            f"SELECT t.sort_key, t.id FROM {source} WHERE {' AND '.join(where)}"
            " ORDER BY t.sort_key LIMIT ?", [*params, limit]).fetchall()
        return [(r[0], r[1]) for r in rows]


class MembershipRepo(Repo[Membership]):
    """Memberships (a person in a model)."""

    entity = MEMBERSHIP
    record_type = Membership

    def ids_for(self, person_id: str, model_id: str) -> list[str]:
        """Live memberships of a person in a model."""
        return self.ids("person_id = ? AND model_id = ?", [person_id, model_id])

    def of_person(self, person_id: str) -> list[Membership]:
        """Live memberships of a person."""
        return self.all("person_id = ?", [person_id])

    def of_model(self, model_id: str) -> list[Membership]:
        """Live memberships of a model."""
        return self.all("model_id = ?", [model_id])

    def ids_deleted_with(self, person_id: str) -> list[str]:
        """Tombstoned memberships of a person (to bring back with the person)."""
        rows = self.db.execute(
            "SELECT id FROM memberships WHERE person_id = ? AND deleted = 1", [person_id])
        return [r[0] for r in rows.fetchall()]

    def active_leaders(self, model_id: str, on: str) -> list[str]:
        """Ids of memberships that are Tổ trưởng of *model_id* and active on *on*."""
        return self.ids(f"model_id = ? AND role = 'to_truong' AND "
                        f"{membership_dates_sql(sql_day(on), alias='')}", [model_id])

