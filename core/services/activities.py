"""Events, results and commendations."""
from __future__ import annotations

from core import rules
from core.catalog import AUTHORITIES, COMMENDATION_FORMS, EVENT_TYPES, RESULT_TYPES
from core.errors import FieldError
from core.records import MINUTES_FIELDS, Commendation, Event, MinutesDetails, Result
from core.repos.activities import CommendationRepo, EventRepo, ResultRepo
from core.services.common import (delete_record, exists, guard, save_record,
                                  undelete_record)
from core.station import Context
from core.store import Changes

RECIPIENT_TABLES = {"person": "persons", "model": "models", "unit": "units"}


def validate_event(ctx: Context, event: Event) -> list[FieldError]:
    """Located problems of an event, in Vietnamese (empty when valid)."""
    errors = []
    if not event.date:
        errors.append(FieldError("date", "Ngày tổ chức không được để trống."))
    if event.type not in EVENT_TYPES.codes():
        errors.append(FieldError("type", f"Loại sự kiện “{event.type}” không có trong danh mục."))
    if not event.title:
        errors.append(FieldError("title", "Nội dung sự kiện không được để trống."))
    if event.unit_id and not exists(ctx, "units", event.unit_id):
        errors.append(FieldError("unit_id", "Đơn vị không tồn tại."))
    if any(not exists(ctx, "models", m) for m in event.model_ids):
        errors.append(FieldError("model_ids", "Mô hình liên quan không tồn tại."))
    if any(not exists(ctx, "persons", p) for p in event.attendee_ids):
        errors.append(FieldError("attendee_ids", "Người tham dự không tồn tại."))
    if event.participants is None or event.participants < 0:
        errors.append(FieldError("participants", "Số lượt người tham gia không được âm."))
    elif event.participants < len(set(event.attendee_ids)):
        errors.append(FieldError(
            "participants",
            f"Số lượt người tham gia ({event.participants}) ít hơn danh sách điểm danh "
            f"({len(set(event.attendee_ids))} người)."))
    return errors


def save_event(ctx: Context, event: Event) -> tuple[str, Changes]:
    """Create or update an event."""
    return save_record(ctx, EventRepo(ctx.store), event, validate_event)


def saved_minutes(ctx: Context, event_id: str) -> MinutesDetails:
    """What the event keeps of its biên bản (empty strings when nothing was saved)."""
    guard(ctx, "read")
    return MinutesDetails.of_event(EventRepo(ctx.store).get(event_id))


def save_minutes(ctx: Context, event_id: str, details: MinutesDetails) -> Changes:
    """Keep the biên bản's *details* with the event (“In biên bản”, ``print-minutes --save``).

    A change of the event like any other: an editor of the station that owns it,
    the event's entry rules, one audit entry (none when nothing differed), and it
    travels in the next package. Returns what changed.
    """
    event = EventRepo(ctx.store).get(event_id)
    for name, column in MINUTES_FIELDS.items():
        setattr(event, column, getattr(details, name))
    return save_event(ctx, event)[1]


def delete_event(ctx: Context, event_id: str) -> Changes:
    """Delete an event (a tombstone)."""
    return delete_record(ctx, EventRepo(ctx.store), event_id)


def validate_result(ctx: Context, result: Result) -> list[FieldError]:
    """Located problems of a result, in Vietnamese (empty when valid)."""
    errors = []
    if not result.date:
        errors.append(FieldError("date", "Ngày không được để trống."))
    if result.type not in RESULT_TYPES.codes():
        errors.append(FieldError("type", f"Loại kết quả “{result.type}” không có trong danh mục."))
    if not isinstance(result.quantity, int) or isinstance(result.quantity, bool) \
            or result.quantity < 0:
        errors.append(FieldError("quantity", "Số lượng phải là số nguyên không âm."))
    if result.unit_id and not exists(ctx, "units", result.unit_id):
        errors.append(FieldError("unit_id", "Đơn vị không tồn tại."))
    if result.model_id and not exists(ctx, "models", result.model_id):
        errors.append(FieldError("model_id", "Mô hình không tồn tại."))
    if problem := rules.result_place_problem(result.unit_id, result.model_id):
        errors.append(FieldError("unit_id", problem))
    return errors


def save_result(ctx: Context, result: Result) -> tuple[str, Changes]:
    """Create or update a result."""
    return save_record(ctx, ResultRepo(ctx.store), result, validate_result)


def delete_result(ctx: Context, result_id: str) -> Changes:
    """Delete a result (a tombstone)."""
    return delete_record(ctx, ResultRepo(ctx.store), result_id)


def validate_commendation(ctx: Context, item: Commendation) -> list[FieldError]:
    """Located problems of a commendation, in Vietnamese (empty when valid)."""
    errors = []
    table = RECIPIENT_TABLES.get(item.recipient_kind)
    if table is None or not exists(ctx, table, item.recipient_id):
        errors.append(FieldError("recipient_id", "Đối tượng được khen thưởng không tồn tại."))
    if item.form not in COMMENDATION_FORMS.codes():
        errors.append(FieldError("form", f"Hình thức “{item.form}” không có trong danh mục."))
    if not item.decision_no:
        errors.append(FieldError("decision_no", "Số quyết định không được để trống."))
    if not item.decision_date:
        errors.append(FieldError("decision_date", "Ngày quyết định không được để trống."))
    if not item.achievement:
        errors.append(FieldError("achievement", "Thành tích không được để trống."))
    if item.decision_no and item.recipient_id:
        twins = [i for i in CommendationRepo(ctx.store).ids_matching(
            item.decision_no, item.recipient_kind, item.recipient_id) if i != item.id]
        if twins:
            errors.append(FieldError(
                "recipient_id", "Đối tượng này đã có trong quyết định khen thưởng."))
    return errors


def save_commendation(ctx: Context, item: Commendation) -> tuple[str, Changes]:
    """Create or update a commendation (a known authority is stored as its code)."""
    item.authority = AUTHORITIES.match(item.authority) or item.authority
    return save_record(ctx, CommendationRepo(ctx.store), item, validate_commendation)


def delete_commendation(ctx: Context, item_id: str) -> Changes:
    """Delete a commendation (a tombstone)."""
    return delete_record(ctx, CommendationRepo(ctx.store), item_id)


def undelete(ctx: Context, table: str, record_id: str) -> Changes:
    """Bring back a deleted event, result or commendation."""
    repo = {"events": EventRepo, "results": ResultRepo,
            "commendations": CommendationRepo}[table](ctx.store)
    return undelete_record(ctx, repo, record_id)
