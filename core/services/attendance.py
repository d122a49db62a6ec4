"""Who attended an event: persons told apart by birth year and thôn, whole models at once.

The event form and the printed attendance list both describe a person the same
way (:class:`Attendee`): full name, birth year, the unit they live in (thôn, tổ
dân phố; the address when no unit is set) and the role they hold in the
event's models. Everything is read in a few set queries, so a model of several
hundred members is added or printed at once.
"""
from __future__ import annotations

from dataclasses import dataclass

from core.activity import iso_day, membership_active_sql
from core.catalog import role_label
from core.errors import NotFound
from core.queries import ensure_functions
from core.records import Event
from core.repos.activities import EventRepo
from core.services.members import search_persons
from core.station import Context

BATCH = 500     # ids per IN (...) list (SQLite's default limit is far above)


@dataclass(frozen=True)
class Attendee:
    """One person as an attendance list shows them."""

    person_id: str
    full_name: str
    birth_year: str
    unit: str
    role: str = ""
    number_tail: str = ""    # “CCCD …1234” (or the phone's), for namesakes of one year and thôn

    def label(self, *, with_number: bool = False) -> str:
        """“Nguyễn Văn An — 1985 — Thôn Đông”: enough to tell namesakes apart;
        *with_number* adds the last digits of the CCCD (or phone) for twins of that too."""
        parts = [self.full_name, self.birth_year, self.unit]
        if with_number:
            parts.append(self.number_tail)
        return " — ".join(p for p in parts if p)


def labels(people: list[Attendee]) -> list[str]:
    """Each person's label, with the number's last digits where two labels would be equal."""
    plain = [p.label() for p in people]
    seen: dict[str, int] = {}
    for label in plain:
        seen[label] = seen.get(label, 0) + 1
    return [p.label(with_number=True) if seen[label] > 1 else label
            for p, label in zip(people, plain)]


def _marks(ids: list[str]) -> str:
    return ", ".join("?" for _ in ids)


def _named(prefix: str, values: list[str]) -> tuple[str, dict]:
    """``:p0, :p1, …`` and their values, for an IN list among named parameters."""
    names = {f"{prefix}{i}": v for i, v in enumerate(values)}
    return ", ".join(f":{n}" for n in names), names


def _roles(ctx: Context, ids: list[str], model_ids: list[str]) -> dict[str, str]:
    """Roles held today by each person: in the event's models (all models when none).

    Unless exactly one model is asked about, the model's name follows the role.
    """
    found: dict[str, list[str]] = {}
    many = len(model_ids) != 1
    models_in, model_params = _named("m", model_ids)
    for start in range(0, len(ids), BATCH):
        persons_in, params = _named("p", ids[start:start + BATCH])
        params.update(model_params, day=iso_day())
        sql = ("SELECT ms.person_id, ms.role, m.name, m.type, mt.label FROM memberships ms"
               " JOIN models m ON m.id = ms.model_id"
               " LEFT JOIN model_types mt ON mt.code = m.type"
               f" WHERE ms.person_id IN ({persons_in}) AND m.deleted = 0"
               f" AND {membership_active_sql(':day')}")
        if model_ids:
            sql += f" AND ms.model_id IN ({models_in})"
        for person_id, role, model, kind, kind_label in ctx.db.execute(
                sql + " ORDER BY m.name_fold", params):
            # the title of the model's kind: Chủ nhiệm in a câu lạc bộ
            label = role_label(role, kind, kind_label or "") if role else ""
            text = f"{label} ({model})" if many and label else label
            if text and text not in found.setdefault(person_id, []):
                found[person_id].append(text)
    return {pid: "; ".join(texts) for pid, texts in found.items()}


def describe(ctx: Context, ids: list[str], model_ids: list[str] | None = None,
             *, with_roles: bool = False) -> dict[str, Attendee]:
    """Persons of *ids* (live ones) described for an attendance list, by id."""
    ids = list(dict.fromkeys(ids))
    found: dict[str, Attendee] = {}
    roles = _roles(ctx, ids, list(model_ids or [])) if with_roles else {}
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        rows = ctx.db.execute(
            "SELECT p.id, p.full_name, substr(COALESCE(p.birth_date, ''), 1, 4),"
            " COALESCE(u.name, NULLIF(p.address, ''), ''), p.id_number, p.phone FROM persons p"
            " LEFT JOIN units u ON u.id = p.residence_unit_id AND u.deleted = 0"
            f" WHERE p.id IN ({_marks(batch)}) AND p.deleted = 0", batch)
        for person_id, name, year, unit, id_number, phone in rows:
            found[person_id] = Attendee(person_id, name or "", year or "", unit or "",
                                        roles.get(person_id, ""), _tail(id_number, phone))
    return found


def _tail(id_number: str | None, phone: str | None) -> str:
    digits = "".join(ch for ch in (id_number or "") if ch.isdigit())
    if len(digits) >= 4:
        return f"CCCD …{digits[-4:]}"
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    return f"SĐT …{digits[-4:]}" if len(digits) >= 4 else ""


def model_member_ids(ctx: Context, model_id: str) -> list[str]:
    """Persons active today in *model_id*, in Vietnamese name order."""
    rows = ctx.db.execute(
        "SELECT DISTINCT p.id, p.sort_key FROM memberships ms JOIN persons p"
        " ON p.id = ms.person_id WHERE ms.model_id = :model AND p.deleted = 0"
        f" AND {membership_active_sql(':day')} ORDER BY p.sort_key, p.id",
        {"model": model_id, "day": iso_day()})
    return [r[0] for r in rows]


def model_member_counts(ctx: Context, model_ids: list[str]) -> dict[str, int]:
    """How many persons are active today in each of *model_ids*."""
    if not model_ids:
        return {}
    models_in, params = _named("m", model_ids)
    params["day"] = iso_day()
    rows = ctx.db.execute(
        "SELECT ms.model_id, COUNT(DISTINCT ms.person_id) FROM memberships ms"
        " JOIN persons p ON p.id = ms.person_id AND p.deleted = 0"
        f" WHERE ms.model_id IN ({models_in})"
        f" AND {membership_active_sql(':day')} GROUP BY ms.model_id", params)
    counts = dict(rows.fetchall())
    return {m: counts.get(m, 0) for m in model_ids}


def find(ctx: Context, text: str, *, limit: int = 40) -> list[Attendee]:
    """Persons matching *text* (name without diacritics, CCCD or phone), described."""
    page = search_persons(ctx, text, limit=limit)
    described = describe(ctx, page.ids)
    return [described[i] for i in page.ids if i in described]


def in_name_order(ctx: Context, ids: list[str]) -> list[str]:
    """*ids* (live persons only) in Vietnamese name order."""
    ensure_functions(ctx.db)
    ordered: list[tuple[str, str]] = []
    ids = list(dict.fromkeys(ids))
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        ordered += ctx.db.execute(
            f"SELECT sort_key, id FROM persons WHERE id IN ({_marks(batch)})"
            " AND deleted = 0", batch).fetchall()
    return [pid for _, pid in sorted(ordered, key=lambda r: (r[0] or "", r[1]))]


def event_attendance(ctx: Context, event_id: str) -> tuple[Event, list[Attendee]]:
    """An event and its attendees (with their roles in its models), in name order."""
    try:
        event = EventRepo(ctx.store).get(event_id)
    except NotFound:
        raise NotFound("Không tìm thấy sự kiện.") from None
    if event.deleted:
        raise NotFound("Không tìm thấy sự kiện (đã bị xóa).")
    ids = in_name_order(ctx, event.attendee_ids)
    described = describe(ctx, ids, event.model_ids, with_roles=True)
    return event, [described[i] for i in ids if i in described]
