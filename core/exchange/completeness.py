"""Who has sent what: the province's completeness view and the commune's export status."""
from __future__ import annotations

import datetime as dt

from core.activity import local_today
from core.errors import UserError
from core.exchange import ledger
from core.periods import Period
from core.station import Context

STATUS_LABELS = {
    "du": "Đã gửi đủ",
    "chua_du": "Đã gửi nhưng chưa đủ kỳ",
    "chua_gui": "Chưa gửi",
}


def completeness(ctx: Context, period: Period) -> list[dict]:
    """For *period*: every commune of the register, whether a package covering it came in.

    A package is a full snapshot, so it covers the period when the data it
    carries runs to (at least) the period's last day. ``covered_at`` is when the
    first covering package was taken in; the other fields describe the newest one.
    A commune of the official list that never sent anything is ``chua_gui``.
    """
    if ctx.station.level != "tinh":
        raise UserError("Theo dõi tình hình gửi dữ liệu chỉ dùng ở Công an tỉnh.")
    from core.exchange.register import register
    end, start = period.end.isoformat(), period.start.isoformat()
    covered = {r[0]: r[1:] for r in ctx.db.execute(
        "SELECT sender, MIN(imported_at), MIN(sequence) FROM import_log"
        " WHERE kind = 'up' AND period_to >= ? GROUP BY sender", [end])}
    partial = {r[0] for r in ctx.db.execute(
        "SELECT DISTINCT sender FROM import_log WHERE kind = 'up' AND period_to >= ?",
        [start])}
    rows = []
    for commune in register(ctx):
        covered_at, covered_by = covered.get(commune.code, (None, None))
        status = "du" if covered_at else ("chua_du" if commune.code in partial else "chua_gui")
        rows.append({
            "code": commune.code, "name": commune.name, "listed": commune.listed,
            "enrolled": commune.enrolled, "status": status,
            "status_label": STATUS_LABELS[status], "covered_at": covered_at,
            "covered_by_sequence": covered_by, "last_sequence": commune.last_sequence,
            "last_imported_at": commune.last_imported_at,
            "last_created_at": commune.last_created_at,
            "last_period_to": commune.last_period_to,
        })
    return rows


def period_ended(period: Period, today: dt.date | None = None) -> bool:
    """True once the period's last day (the cut-off) is past, in the station's local date."""
    return (today or local_today()) > period.end


def next_cutoff(today: dt.date | None = None) -> dt.date:
    """The next cut-off day (the 14th of a month, domain.md) on or after *today*."""
    today = today or local_today()
    if today.day <= 14:
        return today.replace(day=14)
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return dt.date(year, month, 14)


def export_status(ctx: Context) -> dict:
    """At a commune: the province pinned, the exports made and which were confirmed."""
    province = ledger.province(ctx.db)
    exports = ledger.export_log(ctx.db)
    return {
        "province": ({"code": province.code, "name": province.name,
                      "fingerprint": province.fingerprint} if province else None),
        "exports": exports,
        "last_export": exports[0] if exports else None,
        "last_confirmed": next((e for e in exports if e["confirmed_at"]), None),
    }
