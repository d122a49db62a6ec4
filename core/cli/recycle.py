"""The recycle bin headless: delete, deleted, undelete."""
from __future__ import annotations

import argparse

from core.cli.base import Outcome
from core.cli.common import add_command, opened
from core.text import format_moment


def register(sub) -> None:
    """Add this module's commands to the parser."""
    from core.services.recycle import KIND_TABLES
    p = add_command(sub, "delete", cmd_delete,
                    "chuyển một bản ghi vào Thùng rác (như nút “Xóa” của cửa sổ)")
    p.add_argument("id", metavar="ID", help="mã bản ghi")
    p = add_command(sub, "deleted", cmd_deleted,
                    "Thùng rác: các bản ghi đã xóa, mới nhất trước")
    p.add_argument("--kind", choices=list(KIND_TABLES), help="chỉ một loại bản ghi")
    p = add_command(sub, "undelete", cmd_undelete,
                    "khôi phục một bản ghi đã xóa (cùng tư cách thành viên, điểm danh…)")
    p.add_argument("id", metavar="ID", help="mã bản ghi")


def cmd_delete(args: argparse.Namespace) -> Outcome:
    """Move a record (and what goes with it) to the recycle bin."""
    from core.services import recycle
    with opened(args, write=True) as ctx:
        table = recycle.table_of(ctx, args.id)
        name = recycle.name_of(ctx, table, args.id)
        going = recycle.companions(ctx, table, args.id).text()
        kind, _ = recycle.delete(ctx, args.id)
    text = f"Đã chuyển {recycle.KIND_LABELS[kind]} “{name}”{' ' + going if going else ''}" \
           " vào Thùng rác."
    return Outcome({"id": args.id, "kind": kind}, text)


def cmd_deleted(args: argparse.Namespace) -> Outcome:
    """The recycle bin, newest first."""
    from core.services import recycle
    with opened(args) as ctx:
        records = recycle.binned(ctx, args.kind)
    payload = {"records": [{"id": r.id, "kind": r.kind, "name": r.name,
                            "deleted_at": r.deleted_at, "deleted_by": r.deleted_by}
                           for r in records]}
    lines = [f"{format_moment(r.deleted_at)} · {recycle.KIND_LABELS[r.kind]} · {r.name}"
             f"{' · ' + r.deleted_by if r.deleted_by else ''} · {r.id}" for r in records]
    return Outcome(payload, "\n".join(lines) or "Thùng rác trống.")


def cmd_undelete(args: argparse.Namespace) -> Outcome:
    """Bring a deleted record back as it was."""
    from core.services import recycle
    with opened(args, write=True) as ctx:
        kind, _ = recycle.restore(ctx, args.id)
        name = recycle.name_of(ctx, recycle.KIND_TABLES[kind], args.id)
    return Outcome({"id": args.id, "kind": kind},
                   f"Đã khôi phục {recycle.KIND_LABELS[kind]} “{name}”.")
