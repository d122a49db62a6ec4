"""The officer's own wording of a period's report, and that report's number and date.

Kept per period in ``report_texts`` (migration 0014; 0012 was taken on main). Every write goes through
the station's store transaction and appends its audit entry in it, so the trail
records who changed which section of which report, and when.
"""
from __future__ import annotations

import datetime as dt
import re

from core import rules
from core.accounts import require
from core.audit import append
from core.context import Context
from core.errors import UserError
from core.store import now
from core.text import clean

TABLE = "report_texts"
# The report's sections in print order, with their headings (ND 30 report outline).
SECTIONS = {
    "mo_dau": "Mở đầu",
    "ket_qua": "Kết quả thực hiện",
    "ton_tai": "Tồn tại, hạn chế",
    "phuong_huong": "Phương hướng, nhiệm vụ",
    "kien_nghi": "Kiến nghị, đề xuất",
}
NUMBER, DATE = "number", "date"
MAX_CHARS = 20000


def _require_section(section: str) -> None:
    if section not in SECTIONS:
        raise UserError(f"Không có mục “{section}” trong báo cáo. Các mục: "
                        + ", ".join(SECTIONS) + ".")


def clean_text(value: str) -> str:
    """NFC text with each line trimmed and runs of blank lines reduced to one."""
    lines = [clean(line) for line in str(value).replace("\r\n", "\n").split("\n")]
    joined = "\n".join(lines).strip()
    return re.sub(r"\n{3,}", "\n\n", joined)


def stored(ctx: Context, period_key: str) -> dict[str, str]:
    """Every stored value of a period's report (sections, number, date)."""
    if not _has_table(ctx):
        return {}
    rows = ctx.db.execute(f"SELECT key, value FROM {TABLE} WHERE period = ?", [period_key])
    return dict(rows.fetchall())


def _has_table(ctx: Context) -> bool:
    return bool(ctx.db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?",
                               [TABLE]).fetchone())


def _write(ctx: Context, period_key: str, key: str, value: str | None) -> None:
    """Store (or, with None/empty, remove) one value, with its audit entry."""
    require(ctx, "edit")
    record_id = f"{period_key}/{key}"
    with ctx.store.transaction():
        row = ctx.db.execute(f"SELECT value, updated_at FROM {TABLE} WHERE period = ? AND key = ?",
                             [period_key, key]).fetchone()
        before = None if row is None else {"period": period_key, "key": key, "value": row[0]}
        if not value:
            if row is None:
                return
            ctx.db.execute(f"DELETE FROM {TABLE} WHERE period = ? AND key = ?", [period_key, key])
            append(ctx.db, ctx.user or "", TABLE, record_id, "delete", before, None)
            return
        if row is not None and row[0] == value:
            return
        ctx.db.execute(f"INSERT INTO {TABLE} (period, key, value, updated_at) VALUES (?, ?, ?, ?)"
                       " ON CONFLICT(period, key) DO UPDATE SET value = excluded.value,"
                       " updated_at = excluded.updated_at", [period_key, key, value, now()])
        after = {"period": period_key, "key": key, "value": value}
        append(ctx.db, ctx.user or "", TABLE, record_id,
               "insert" if row is None else "update", before, after)


def set_section(ctx: Context, period_key: str, section: str, value: str | None) -> int:
    """Keep (or clear, with None) the officer's text of one section; return its length."""
    _require_section(section)
    text = clean_text(value) if value is not None else ""
    if len(text) > MAX_CHARS:
        raise UserError(f"Nội dung mục dài quá {MAX_CHARS:,} ký tự.".replace(",", "."))
    if rules.CONTROL.search(text):          # the entry rules (any length is checked above)
        raise UserError(f"Nội dung mục {rules.text_problem(chr(7))} Chưa ghi gì.")
    _write(ctx, period_key, section, text or None)
    return len(text)


def set_number_date(ctx: Context, period_key: str, number: str | None,
                    day: dt.date | None) -> None:
    """Remember the number and date given for this period's report (None clears)."""
    if number and (problem := rules.text_problem(clean(number))):
        raise UserError(f"Số của báo cáo {problem} Chưa ghi gì.")
    _write(ctx, period_key, NUMBER, clean(number) if number else None)
    _write(ctx, period_key, DATE, day.isoformat() if day else None)


__all__ = ["SECTIONS", "set_section", "set_number_date", "stored", "clean_text"]
