"""Commands about persons: search-persons, merge-persons."""
from __future__ import annotations

import argparse

from core.cli import Outcome
from core.cli.common import add_command, opened
from core.text import format_date


def register(sub) -> None:
    """Add this module's commands to the parser."""
    p = add_command(sub, "search-persons", cmd_search_persons,
                    "tìm người theo tên (không cần dấu), số CCCD, CMND cũ hoặc điện thoại")
    p.add_argument("text", help="tên, hoặc số (cả số hoặc từ 4 chữ số cuối)")
    p.add_argument("--limit", type=int, default=50, help="số người tối đa (mặc định 50)")


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
