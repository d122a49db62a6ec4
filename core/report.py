"""The periodic report's indicators (keys as in docs/cli.md, "The report").

Stock figures (units, models, members, recognition) are counted as of the
period's last day; flow figures (events, participants, results, commendations)
are summed over the period. Every query groups by owner, so a province gets the
per-commune breakdown from the same pass; members are de-duplicated within a
commune, not across communes.
"""
from __future__ import annotations

import json
from collections import defaultdict

from core.activity import membership_active_sql, model_active_sql, unit_active_sql
from core.exchange.ledger import known_commune_codes
from core.catalog import COMMENDATION_FORMS, EVENT_TYPES, RESULT_TYPES, ROLES, UNIT_TYPES
from core.periods import Period
from core.repos.models import model_types
from core.station import Context

CQDNNT = ("co_quan", "doanh_nghiep", "nha_truong")


def empty_indicators(model_type_codes: list[str]) -> dict:
    """Every indicator key with a zero value."""
    return {
        "units_total": 0,
        "units_by_type": dict.fromkeys(UNIT_TYPES.codes(), 0),
        "khu_dan_cu_registered": 0, "khu_dan_cu_safe": 0,
        "cqdnnt_registered": 0, "cqdnnt_safe": 0,
        "models_total": 0,
        "models_by_type": dict.fromkeys(model_type_codes, 0),
        "models_effective": 0, "models_advanced": 0,
        "members_total": 0, "memberships_total": 0,
        "members_by_role": dict.fromkeys(ROLES.codes(), 0),
        "events_by_type": dict.fromkeys(EVENT_TYPES.codes(), 0),
        "events_total": 0, "participants_total": 0,
        "results": dict.fromkeys(RESULT_TYPES.codes(), 0),
        "commendations_by_form": dict.fromkeys(COMMENDATION_FORMS.codes(), 0),
        "commendations_individual": 0, "commendations_collective": 0,
    }


def _add(target: dict, owner: str, key: str, value: int, sub: str | None = None) -> None:
    bucket = target[owner]
    if sub is None:
        bucket[key] += value
    else:
        bucket[key][sub] = bucket[key].get(sub, 0) + value


def compute_by_owner(ctx: Context, period: Period) -> dict[str, dict]:
    """Indicators of *period* for each owning station found in the data."""
    codes = model_types(ctx.db).codes()
    result: dict[str, dict] = defaultdict(lambda: empty_indicators(codes))
    end, start = period.end.isoformat(), period.start.isoformat()
    q = ctx.db.execute

    for owner, type_, n in q(f"SELECT owner, type, COUNT(*) FROM units WHERE {unit_active_sql()}"
                             " GROUP BY owner, type"):
        _add(result, owner, "units_total", n)
        _add(result, owner, "units_by_type", n, type_)
    for owner, group, registered, safe in q(
            "SELECT u.owner, CASE WHEN u.type = 'khu_dan_cu' THEN 'khu_dan_cu'"
            " ELSE 'cqdnnt' END, SUM(y.registered), SUM(y.recognised)"
            " FROM unit_years y JOIN units u ON u.id = y.unit_id"
            f" WHERE y.deleted = 0 AND {unit_active_sql('u')} AND y.year = ?"
            f" AND u.type IN ('khu_dan_cu', {', '.join(repr(t) for t in CQDNNT)})"
            " GROUP BY 1, 2", [period.year]):
        _add(result, owner, f"{group}_registered", registered or 0)
        _add(result, owner, f"{group}_safe", safe or 0)

    live_models = model_active_sql(":end")
    for owner, type_, n, effective, advanced in q(
            f"SELECT owner, type, COUNT(*), SUM(status = 'hieu_qua'), SUM(advanced)"
            f" FROM models WHERE {live_models} GROUP BY owner, type", {"end": end}):
        _add(result, owner, "models_total", n)
        _add(result, owner, "models_by_type", n, type_)
        _add(result, owner, "models_effective", effective)
        _add(result, owner, "models_advanced", advanced)

    # One pass over memberships (a covering index, migrations 0006-0007): per owner the
    # memberships by role and the distinct people. A live membership of a deleted
    # person or model must not count; deleting a person deletes their memberships,
    # so such rows are few or none: they are found first (partial indexes of the
    # deleted records, migration 0007) and only those are excluded, instead of a
    # lookup per membership.
    excluded = _orphaned_memberships(ctx)
    active = membership_active_sql(":end")
    if excluded:
        active += " AND ms.rowid NOT IN (SELECT value FROM json_each(:excluded))"
    params = {"end": end, "excluded": json.dumps(excluded)}
    roles = ROLES.codes()
    unknown_roles = False
    for owner, total, people, counts in _memberships_by_owner(q, active, params, roles):
        _add(result, owner, "memberships_total", total)
        _add(result, owner, "members_total", people)
        for role, n in zip(roles, counts):
            _add(result, owner, "members_by_role", n, role)
        unknown_roles = unknown_roles or sum(counts) != total
    if unknown_roles:   # a role outside the catalogue (received data): count it too
        known = ", ".join(f"'{r}'" for r in roles)
        for owner, role, n in q(f"SELECT ms.owner, ms.role, COUNT(*) FROM memberships ms"
                                f" WHERE {active} AND ms.role NOT IN ({known})"
                                " GROUP BY 1, 2", params):
            _add(result, owner, "members_by_role", n, role)

    flow = {"start": start, "end": end}
    for owner, type_, n, people in q(
            "SELECT owner, type, COUNT(*), SUM(participants) FROM events WHERE deleted = 0"
            " AND date BETWEEN :start AND :end GROUP BY 1, 2", flow):
        _add(result, owner, "events_total", n)
        _add(result, owner, "events_by_type", n, type_)
        _add(result, owner, "participants_total", people or 0)
    for owner, type_, total in q(
            "SELECT owner, type, SUM(quantity) FROM results WHERE deleted = 0"
            " AND date BETWEEN :start AND :end GROUP BY 1, 2", flow):
        _add(result, owner, "results", total or 0, type_)
    for owner, form, kind, n in q(
            "SELECT owner, form, recipient_kind = 'person', COUNT(*) FROM commendations"
            " WHERE deleted = 0 AND decision_date BETWEEN :start AND :end"
            " GROUP BY 1, 2, 3", flow):
        _add(result, owner, "commendations_by_form", n, form)
        _add(result, owner,
             "commendations_individual" if kind else "commendations_collective", n)
    return dict(result)


def _memberships_by_owner(q, active: str, params: dict, roles: list[str]):
    """(owner, memberships, distinct people, counts by role) in one pass.

    The counts by role come from one ``SUM`` of a ``CASE`` that adds 1 for the
    first role, 2^b for the second, 2^2b for the third… (b bits a role, 63 bits
    in all): one aggregate instead of one per role, about a fifth of the
    report's time at 200,000 memberships. An owner with more memberships than a
    field holds (2^b - 1; 2 million with three roles) is counted role by role.
    """
    bits = 63 // len(roles)
    packed = " ".join(f"WHEN '{r}' THEN {1 << (bits * i)}" for i, r in enumerate(roles))
    mask = (1 << bits) - 1
    rows = q(f"SELECT ms.owner, COUNT(*), COUNT(DISTINCT ms.person_id),"
             f" SUM(CASE ms.role {packed} ELSE 0 END)"
             f" FROM memberships ms WHERE {active} GROUP BY 1", params).fetchall()
    if any(total > mask for _, total, _, _ in rows):
        by_role = "".join(f", SUM(ms.role = '{r}')" for r in roles)
        for owner, total, people, *counts in q(
                f"SELECT ms.owner, COUNT(*), COUNT(DISTINCT ms.person_id){by_role}"
                f" FROM memberships ms WHERE {active} GROUP BY 1", params):
            yield owner, total, people, [n or 0 for n in counts]
        return
    for owner, total, people, sums in rows:
        yield owner, total, people, [(sums >> (bits * i)) & mask for i in range(len(roles))]


def _orphaned_memberships(ctx: Context) -> list[int]:
    """Rowids of live memberships whose person or model is deleted (usually none).

    Rowids, not ids: every index holds the rowid, so excluding them keeps the
    report's pass on its covering index.
    """
    return [r[0] for r in ctx.db.execute(
        "SELECT ms.rowid FROM persons p INDEXED BY persons_deleted"
        " JOIN memberships ms ON ms.person_id = p.id"
        " WHERE p.deleted != 0 AND ms.deleted = 0"
        " UNION SELECT ms.rowid FROM models m INDEXED BY models_deleted"
        " JOIN memberships ms ON ms.model_id = m.id"
        " WHERE m.deleted != 0 AND ms.deleted = 0")]


def sum_indicators(parts: list[dict], model_type_codes: list[str]) -> dict:
    """Add indicator dicts key by key (nested dicts too)."""
    total = empty_indicators(model_type_codes)
    for part in parts:
        for key, value in part.items():
            if isinstance(value, dict):
                for sub, n in value.items():
                    total[key][sub] = total[key].get(sub, 0) + n
            else:
                total[key] += value
    return total


def commune_names(ctx: Context, codes: list[str]) -> dict[str, str]:
    """The name of each commune code: the official list's, else the pinned station's."""
    names = {code: name for code, name in ctx.db.execute(
        "SELECT code, name FROM peers WHERE level = 'xa'")}
    names.update({code: name for code, name in ctx.db.execute(
        "SELECT code, name FROM admin_units WHERE parent_code IS NOT NULL")})
    return {code: names.get(code, code) for code in codes}


def build_report(ctx: Context, period: Period) -> dict:
    """The report as ``report --format json`` prints it.

    At a commune: the station's own records. At a province: the sum over its
    communes (every owner but the province itself) plus ``by_commune``.
    """
    codes = model_types(ctx.db).codes()
    by_owner = compute_by_owner(ctx, period)
    station = ctx.station
    report = {
        "station": {"code": station.code, "name": station.name},
        "level": station.level,
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat(),
                   "label": period.label},
    }
    if station.level == "tinh":
        communes = {o: v for o, v in by_owner.items() if o and o != station.code}
        for code in known_commune_codes(ctx.db):    # pinned communes with no data yet
            communes.setdefault(code, empty_indicators(codes))
        communes = dict(sorted(communes.items()))
        report["indicators"] = sum_indicators(list(communes.values()), codes)
        report["by_commune"] = communes
        report["commune_names"] = commune_names(ctx, list(communes))
    else:
        report["indicators"] = by_owner.get(station.code, empty_indicators(codes))
    return report
