"""The figures of the province's desk and of the commune's overview.

At a province: one row per commune of the register with its status for the
period, the last file's date and its main indicators (from the report's
``by_commune``). At a commune: the next cut-off day and whether this period's
file was sent and confirmed by the province's receipt.
"""
from __future__ import annotations

import datetime as dt

from core.activity import local_today
from core.exchange.completeness import completeness, export_status, next_cutoff
from core.periods import Period
from core.station import Context

# The indicators shown as the desk's columns, in order.
DESK_INDICATORS = ("models_total", "members_total", "events_total", "participants_total",
                   "results_total")


def _main_figures(indicators: dict | None) -> dict:
    if not indicators:
        return {key: 0 for key in DESK_INDICATORS}
    values = dict(indicators, results_total=sum(indicators.get("results", {}).values()))
    return {key: values.get(key, 0) for key in DESK_INDICATORS}


def province_desk(ctx: Context, period: Period, by_commune: dict[str, dict]) -> dict:
    """Every commune of the register with its status and main figures for *period*."""
    rows = []
    for line in completeness(ctx, period):
        rows.append({"code": line["code"], "name": line["name"], "listed": line["listed"],
                     "status": line["status"], "status_label": line["status_label"],
                     "last_imported_at": line["last_imported_at"],
                     "last_period_to": line["last_period_to"],
                     "has_figures": line["code"] in by_commune,
                     **_main_figures(by_commune.get(line["code"]))})
    sent = sum(r["status"] != "chua_gui" for r in rows)
    return {"period": period.label, "rows": rows, "sent": sent, "total": len(rows)}


def commune_desk(ctx: Context, period: Period, today: dt.date | None = None) -> dict:
    """The next cut-off day and this period's file at a commune."""
    today = today or local_today()
    status = export_status(ctx)
    start = period.start.isoformat()
    this_period = [e for e in status["exports"] if e["status"] == "written"
                   and (e["created_at"] or "")[:10] >= start]
    sent = this_period[0] if this_period else None
    confirmed = next((e for e in this_period if e["confirmed_at"]), None)
    cutoff = next_cutoff(today)
    return {"cutoff": cutoff.isoformat(), "days_left": (cutoff - today).days,
            "province": status["province"], "sent": sent, "confirmed": confirmed}
