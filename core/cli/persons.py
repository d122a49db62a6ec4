"""Commands about persons: search-persons, merge-persons."""
from __future__ import annotations

import argparse

from core.cli.base import Outcome
from core.cli.common import add_command, opened
from core.text import format_date


def register(sub) -> None:
    """Add this module's commands to the parser."""
    p = add_command(sub, "search-persons", cmd_search_persons,
                    "tìm người theo tên (không cần dấu), số CCCD, CMND cũ hoặc điện thoại")
    p.add_argument("text", help="tên, hoặc số (cả số hoặc từ 4 chữ số cuối)")
    p.add_argument("--limit", type=int, default=50, help="số người tối đa (mặc định 50)")
    register_merge(sub)


def cmd_search_persons(args: argparse.Namespace) -> Outcome:
    """Persons matching a name, an ID number or a phone number."""
    from core.services.person_search import find_persons
    with opened(args) as ctx:
        hits = find_persons(ctx, args.text, limit=max(1, args.limit))
    payload = {"persons": [
        {"person_id": h.person_id, "name": h.name, "birth": h.birth,
         "id_number": h.id_number, "old_id_number": h.old_id_number, "phone": h.phone,
         "models": h.models} for h in hits]}
    lines = [" · ".join(filter(None, (h.name, format_date(h.birth), h.id_number,
                                      h.old_id_number and f"CMND {h.old_id_number}",
                                      h.phone, "; ".join(h.models))))
             for h in hits]
    return Outcome(payload, "\n".join(lines) or "Không tìm thấy ai.")


def register_merge(sub) -> None:
    """merge-persons KEEP_ID GONE_ID."""
    p = add_command(sub, "merge-persons", cmd_merge_persons,
                    "gộp hai người thành một (giữ người thứ nhất)")
    p.add_argument("keep", metavar="KEEP_ID", help="mã người được giữ lại")
    p.add_argument("gone", metavar="GONE_ID", help="mã người được gộp vào người giữ lại")


def cmd_merge_persons(args: argparse.Namespace) -> Outcome:
    """One person from two: GONE's memberships, attendance and commendations go to KEEP."""
    from core.services.merge import merge_persons
    with opened(args, write=True) as ctx:
        result = merge_persons(ctx, args.keep, args.gone)
    plan = result.plan
    lines = [f"Đã gộp “{plan.gone.full_name}” vào “{plan.keep.full_name}”.",
             *plan.changes_text()]
    payload = {"person_id": result.person_id, "changed": plan.changes_text(),
               "memberships_moved": plan.moved_memberships,
               "memberships_joined": len(plan.joined_memberships),
               "events": plan.events, "commendations": plan.commendations}
    return Outcome(payload, "\n".join(lines))
