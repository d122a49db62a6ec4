"""Who has sent what: the province's completeness view and the commune's export status."""
from __future__ import annotations

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
    """For *period*: every known commune, whether a package covering it was taken in.

    A package is a full snapshot, so it covers the period when the data it
    carries runs to (at least) the period's last day. ``covered_at`` is when the
    first covering package was taken in; the other fields describe the newest one.
    """
    if ctx.station.level != "tinh":
        raise UserError("Theo dõi tình hình gửi dữ liệu chỉ dùng ở Công an tỉnh.")
    end, start = period.end.isoformat(), period.start.isoformat()
    rows = []
    for peer in ledger.peers(ctx.db, "xa"):
        covered = ctx.db.execute(
            "SELECT MIN(imported_at), MIN(sequence) FROM import_log"
            " WHERE sender = ? AND kind = 'up' AND period_to >= ?", [peer.code, end]).fetchone()
        partial = ctx.db.execute(
            "SELECT COUNT(*) FROM import_log WHERE sender = ? AND kind = 'up'"
            " AND period_to >= ?", [peer.code, start]).fetchone()[0]
        status = "du" if covered[0] else ("chua_du" if partial else "chua_gui")
        rows.append({
            "code": peer.code, "name": peer.name, "status": status,
            "status_label": STATUS_LABELS[status], "covered_at": covered[0],
            "covered_by_sequence": covered[1], "last_sequence": peer.last_sequence,
            "last_created_at": peer.last_created_at, "last_imported_at": peer.last_imported_at,
            "last_period_to": peer.last_period_to,
        })
    return rows


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
