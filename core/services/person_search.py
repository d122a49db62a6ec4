"""Finding a person by name (without diacritics), CCCD, old CMND or phone."""
from __future__ import annotations

from dataclasses import dataclass, field

from core.queries import ensure_functions
from core.repos.persons import PersonRepo
from core.services.common import guard
from core.station import Context


@dataclass(frozen=True)
class PersonHit:
    """One person found, with the models of their live memberships."""

    person_id: str
    name: str
    birth: str | None
    id_number: str
    old_id_number: str
    phone: str
    models: list[str] = field(default_factory=list)


def find_persons(ctx: Context, text: str, *, limit: int = 50) -> list[PersonHit]:
    """Live persons matching *text*, in Vietnamese name order (at most *limit*).

    *text* is a name (every word, diacritics ignored), or a CCCD, old CMND or
    phone number, whole or its last digits (at least 4; spaces and dots ignored).
    """
    guard(ctx, "read")
    ids = [person_id for _, person_id in PersonRepo(ctx.store).search(text, limit=limit)]
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    ensure_functions(ctx.db)
    rows = {r[0]: r for r in ctx.db.execute(
        "SELECT id, full_name, birth_date, COALESCE(id_number, ''),"
        " COALESCE(old_id_number, ''), COALESCE(phone, '') FROM persons"
        f" WHERE id IN ({marks})", ids)}
    models: dict[str, list[str]] = {}
    for person_id, name in ctx.db.execute(
            "SELECT ms.person_id, m.name FROM memberships ms JOIN models m"
            " ON m.id = ms.model_id WHERE ms.deleted = 0 AND m.deleted = 0"
            f" AND ms.person_id IN ({marks}) ORDER BY antq_sort(m.name)", ids):
        models.setdefault(person_id, []).append(name)
    return [PersonHit(*rows[i], models=models.get(i, [])) for i in ids]
