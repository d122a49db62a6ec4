"""Undo one saved change (a form's transaction): each record it touched goes back to
what it was before, in one new transaction.

Nothing is removed: a record the change added becomes a tombstone (it shows in
the recycle bin, see :mod:`core.services.recycle`), a record it edited gets its
former content back as a new version, so the undo travels to the province like
any other change and is in the audit trail. A record changed again since (by
another window, a package, the workbook) is not overwritten: the undo is refused
and nothing changes.
"""
from __future__ import annotations

from core.accounts import require
from core.errors import UserError
from core.schema import ENTITIES
from core.station import Context
from core.store import Change, Changes


def revert(ctx: Context, changes: Changes) -> Changes:
    """Put every record touched by *changes* back as it was before them."""
    require(ctx, "edit")
    first: dict[tuple[str, str], Change] = {}
    last: dict[tuple[str, str], Change] = {}
    for change in changes.items:
        first.setdefault((change.table, change.id), change)
        last[(change.table, change.id)] = change
    for key, change in last.items():
        current = ctx.store.row(*key)
        if current is None or current["version"] != change.after["version"]:
            raise UserError("Không hoàn tác được: bản ghi đã được sửa hoặc xóa sau đó "
                            "(trên cửa sổ khác hoặc khi nhận dữ liệu). Không có gì thay đổi.")
    with ctx.store.transaction() as undone:
        for (table, record_id), change in reversed(first.items()):
            _put_back(ctx, table, record_id, change.before)
    return undone


def _put_back(ctx: Context, table: str, record_id: str, before: dict | None) -> None:
    """Give a record its content *before* (None: it did not exist, so a tombstone)."""
    if before is None:
        ctx.store.set_deleted(table, record_id, True)
        return
    entity = ENTITIES[table]
    values = {c: before[c] for c in entity.columns}
    values.update({name: list(before[name]) for name in entity.links})
    ctx.store.update(table, record_id, values)
    ctx.store.set_deleted(table, record_id, bool(before["deleted"]))
