"""Integrity checks of a station database (the ``check`` command)."""
from __future__ import annotations

from core import audit
from core.station import Context


def check_database(ctx: Context) -> list[str]:
    """Problems found, in Vietnamese (empty when the database is sound)."""
    problems = []
    for (line,) in ctx.db.execute("PRAGMA integrity_check").fetchall():
        if line != "ok":
            problems.append(f"Tệp cơ sở dữ liệu bị hỏng: {line}")
    for table, rowid, parent, _ in ctx.db.execute("PRAGMA foreign_key_check").fetchall():
        problems.append(f"Bảng {table} (dòng {rowid}) tham chiếu tới {parent} không tồn tại.")
    if not problems:  # the audit trail: its hash chain, and every record against it
        problems.extend(audit.verify(ctx.db))
    return problems
