"""Commands that print documents: certificates, the decision, the member list."""
from __future__ import annotations

import argparse

from core.cli.base import Outcome
from core.cli.common import add_command, opened
from core.errors import UserError


def register(sub) -> None:
    """Add this module's commands to the parser."""
    p = add_command(sub, "print-commendations", cmd_print_commendations,
                    "in giấy khen, bằng khen (mỗi khen thưởng một trang A4 ngang)")
    p.add_argument("--decision", help="chỉ in các khen thưởng của quyết định số này")
    p.add_argument("--preprinted", action="store_true",
                   help="in trên phôi in sẵn: chỉ in chữ, dịch theo cert.offset_x_mm/_y_mm")
    p.add_argument("--out", required=True)

    p = add_command(sub, "print-decision", cmd_print_decision,
                    "in quyết định khen thưởng kèm danh sách")
    p.add_argument("--decision", required=True)
    p.add_argument("--format", default="pdf", choices=["pdf", "docx"])
    p.add_argument("--out", required=True)

    p = add_command(sub, "print-members", cmd_print_members,
                    "in danh sách trích ngang thành viên")
    p.add_argument("--model", help="tên mô hình (mặc định: mọi mô hình)")
    p.add_argument("--format", default="pdf", choices=["pdf", "docx"])
    p.add_argument("--out", required=True)


def cmd_print_commendations(args: argparse.Namespace) -> Outcome:
    """Certificates for one decision or for every commendation."""
    from core.documents.certificates import print_commendations
    with opened(args) as ctx:
        path, pages = print_commendations(ctx, args.out, decision=args.decision,
                                          preprinted=args.preprinted)
    return Outcome({"path": path, "pages": pages}, f"Đã in {pages} trang vào {path}")


def cmd_print_decision(args: argparse.Namespace) -> Outcome:
    """The decision with its list."""
    from core.documents.decision import print_decision
    if args.format == "docx":
        from core.documents.decision_docx import decision_docx
        with opened(args) as ctx:
            path = decision_docx(ctx, args.decision, args.out)
        return Outcome({"path": path}, f"Đã ghi quyết định vào {path}")
    with opened(args) as ctx:
        path, pages = print_decision(ctx, args.decision, args.out)
    return Outcome({"path": path, "pages": pages}, f"Đã in {pages} trang vào {path}")


def cmd_print_members(args: argparse.Namespace) -> Outcome:
    """The membership list of one model (by name) or of all."""
    from core.documents.members import members_list_pdf
    from core.repos.models import ModelRepo
    with opened(args) as ctx:
        model_id = None
        if args.model:
            ids = ModelRepo(ctx.store).ids_by_name(args.model)
            if not ids:
                raise UserError(f"Không tìm thấy mô hình “{args.model}”.")
            if len(ids) > 1:
                raise UserError(f"Có {len(ids)} mô hình tên “{args.model}”; hãy in từ cửa sổ.")
            model_id = ids[0]
        if args.format == "docx":
            from core.documents.members_docx import members_list_docx
            path = members_list_docx(ctx, args.out, model_id=model_id)
            return Outcome({"path": path}, f"Đã ghi danh sách vào {path}")
        path, pages = members_list_pdf(ctx, args.out, model_id=model_id)
    return Outcome({"path": path, "pages": pages}, f"Đã in {pages} trang vào {path}")
