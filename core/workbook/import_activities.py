"""Importing the “Sự kiện”, “Kết quả” and “Khen thưởng” sheets."""
from __future__ import annotations

import functools

from core.catalog import AUTHORITIES
from core.records import Commendation, Event, Result
from core.repos.activities import CommendationRepo, EventRepo, ResultRepo
from core.repos.persons import PersonRepo
from core.services import activities as activity_service
from core.services.common import entry_errors, normalise
from core.text import fold, format_date
from core.workbook.layout import COMMENDATIONS, EVENTS, MEMBERS, MODELS, RESULTS, UNITS
from core.workbook.names import NameIndex, Named
from core.workbook.session import Row, Session, apply, finish

EVENT_FIELDS = ("date", "type", "title", "participants", "notes")
RESULT_FIELDS = ("date", "type", "quantity", "description")
COMMENDATION_FIELDS = ("decision_no", "decision_date", "form", "achievement",
                       "register_no")


def import_activities(session: Session) -> None:
    """Write the event, result and commendation rows."""
    for sheet, write in ((EVENTS, _event_row), (RESULTS, _result_row),
                         (COMMENDATIONS, _commendation_row)):
        for row in session.rows(sheet):
            # The record is written last, so a failed row wrote nothing: a savepoint
            # is only needed when the other rows are kept (skip_invalid).
            session.run(sheet, row, functools.partial(write, session, row),
                        savepoint=session.skip_invalid)


def _ref(session: Session, row: Row, key: str, kind: str,
         problems: list[tuple[str, str]]) -> str | None:
    """The id of the unit or model named in column *key* (None when empty)."""
    text = row.get(key)
    if not text:
        return None
    index, sheet = (session.units, UNITS) if kind == "unit" else (session.models, MODELS)
    hit = session.resolve(index, str(text), kind=kind, key=key, problems=problems,
                          sheet_name=sheet.name)
    return hit.id if hit else None


# -- events --------------------------------------------------------------------------

def _event_row(session: Session, row: Row) -> None:
    problems: list[tuple[str, str]] = []
    unit_id = _ref(session, row, "unit_id", "unit", problems)
    model_ids = session.resolve_many(session.models, row.get("model_ids"), kind="model",
                                     key="model_ids", problems=problems,
                                     sheet_name=MODELS.name)
    repo = session.repo(EventRepo)
    ids = repo.ids_matching(row.get("date"), row.get("type"), str(row.get("title")), unit_id)
    event = repo.get(ids[0]) if ids else Event(unit_id=unit_id)
    apply(event, row, EVENT_FIELDS)
    if row.has("model_ids"):
        event.model_ids = model_ids
    normalise(event)
    finish(row, problems, entry_errors(event)
           + activity_service.validate_event(session.ctx, event))
    repo.save(event)


# -- results -------------------------------------------------------------------------

def _result_row(session: Session, row: Row) -> None:
    problems: list[tuple[str, str]] = []
    unit_id = _ref(session, row, "unit_id", "unit", problems)
    model_id = _ref(session, row, "model_id", "model", problems)
    repo = session.repo(ResultRepo)
    ids = repo.ids_matching(row.get("date"), row.get("type"), unit_id, model_id,
                            str(row.get("description") or ""))
    result = repo.get(ids[0]) if ids else Result(unit_id=unit_id, model_id=model_id)
    apply(result, row, RESULT_FIELDS)
    normalise(result)
    finish(row, problems, entry_errors(result)
           + activity_service.validate_result(session.ctx, result))
    repo.save(result)


# -- commendations -------------------------------------------------------------------

def _commendation_row(session: Session, row: Row) -> None:
    problems: list[tuple[str, str]] = []
    kind, recipient_id = _recipient(session, row, problems)
    repo = session.repo(CommendationRepo)
    ids = repo.ids_matching(str(row.get("decision_no")), kind, recipient_id)
    item = repo.get(ids[0]) if ids else Commendation(recipient_kind=kind,
                                                     recipient_id=recipient_id)
    apply(item, row, COMMENDATION_FIELDS)
    if row.has("authority"):
        text = str(row.get("authority") or "")
        item.authority = AUTHORITIES.match(text) or text
    normalise(item)
    finish(row, problems, entry_errors(item)
           + activity_service.validate_commendation(session.ctx, item))
    repo.save(item)


def _recipient(session: Session, row: Row,
               problems: list[tuple[str, str]]) -> tuple[str, str]:
    """(kind, id) of the recipient: a person (Cá nhân), else a model or a unit."""
    text = str(row.get("recipient_id"))
    if (row.get("recipient_kind") or "ca_nhan") == "ca_nhan":
        person = session.resolve(person_index(session, text), text, kind="person",
                                 key="recipient_id", problems=problems,
                                 sheet_name=MEMBERS.name)
        return "person", person.id if person else ""
    for kind, index in (("model", session.models), ("unit", session.units)):
        hits = index.find(text)
        if len(hits) == 1:
            return kind, hits[0].id
        if hits:
            problems.append(("recipient_id",
                             session.reference_problem(text, len(hits), kind, "")))
            return kind, ""
    for kind, sheet in (("model", MODELS), ("unit", UNITS)):
        if fold(text) in session.failed[sheet.name]:  # named on a faulty row
            problems.append(("recipient_id",
                             session.reference_problem(text, 0, kind, sheet.name)))
            return kind, ""
    problems.append(("recipient_id", f"Không tìm thấy mô hình hay đơn vị “{text}” "
                                     "trong tệp và trong cơ sở dữ liệu."))
    return "model", ""


def person_index(session: Session, text: str) -> NameIndex:
    """The persons *text* may name (by full name, or the base of “name (qualifier)”)."""
    repo = session.repo(PersonRepo)
    base = text.rsplit("(", 1)[0] if text.rstrip().endswith(")") else text
    ids = dict.fromkeys(repo.ids("name_fold = ?", [fold(text)])
                        + repo.ids("name_fold = ?", [fold(base)]))
    return NameIndex(person_named(repo.get(i)) for i in ids)


def person_named(person) -> Named:
    """A person for an index: told apart from namesakes by ID number or birth date."""
    qualifiers = {q for q in (person.id_number, format_date(person.birth_date),
                              (person.birth_date or "")[:4]) if q}
    return Named(person.id, person.full_name, None, {fold(q) for q in qualifiers})
