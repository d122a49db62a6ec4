"""SQL for events, results and commendations."""
from __future__ import annotations

from core.records import Commendation, Event, Result
from core.repos.base import Repo
from core.schema import COMMENDATION, EVENT, RESULT
from core.text import fold


class EventRepo(Repo[Event]):
    """Events (sự kiện, hoạt động)."""

    entity = EVENT
    record_type = Event
    not_found = "Không tìm thấy sự kiện."

    def derived(self, record: Event) -> dict:
        return {"title_fold": fold(record.title)}

    def ids_matching(self, date: str, type_: str, title: str, unit_id: str | None) -> list[str]:
        """Events with the same date, type, folded title and unit (import matching)."""
        return self.ids("date = ? AND type = ? AND title_fold = ? AND unit_id IS ?",
                        [date, type_, fold(title), unit_id])


class ResultRepo(Repo[Result]):
    """Results (kết quả)."""

    entity = RESULT
    record_type = Result
    not_found = "Không tìm thấy kết quả."

    def ids_matching(self, date: str, type_: str, unit_id: str | None,
                     model_id: str | None, description: str) -> list[str]:
        """Results with the same date, type, unit, model and description."""
        return self.ids(
            "date = ? AND type = ? AND unit_id IS ? AND model_id IS ?"
            " AND COALESCE(description, '') = ?",
            [date, type_, unit_id, model_id, description])


class CommendationRepo(Repo[Commendation]):
    """Commendations (khen thưởng)."""

    entity = COMMENDATION
    record_type = Commendation
    not_found = "Không tìm thấy khen thưởng."

    def ids_matching(self, decision_no: str, kind: str, recipient_id: str) -> list[str]:
        """Commendations of one decision to one recipient."""
        return self.ids("decision_no = ? AND recipient_kind = ? AND recipient_id = ?",
                        [decision_no, kind, recipient_id])

    def recipient_name(self, record: Commendation) -> str:
        """The display name of a commendation's recipient."""
        column, table = {"person": ("full_name", "persons"), "model": ("name", "models"),
                         "unit": ("name", "units")}[record.recipient_kind]
        row = self.db.execute(f"SELECT {column} FROM {table} WHERE id = ?",
                              [record.recipient_id]).fetchone()
        return row[0] if row else ""
