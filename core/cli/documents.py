"""Commands that print documents: certificates, the decision, the member list, an
event's attendance list and biên bản."""
from __future__ import annotations

import argparse
from pathlib import Path

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


    p = add_command(sub, "print-attendance", cmd_print_attendance,
                    "in danh sách điểm danh của một sự kiện (có cột ký tên)")
    p.add_argument("event_id", metavar="EVENT_ID",
                   help="mã sự kiện, hoặc ngày tổ chức dd/mm/yyyy khi ngày đó chỉ có một sự kiện")
    p.add_argument("--out", required=True)

    p = add_command(sub, "print-minutes", cmd_print_minutes,
                    "in biên bản của một sự kiện; ô không ghi (và chưa lưu) được in thành "
                    "dòng chấm")
    p.add_argument("event_id", metavar="EVENT_ID",
                   help="mã sự kiện, hoặc ngày tổ chức dd/mm/yyyy khi ngày đó chỉ có một sự kiện")
    # None: not given, the event's saved value is printed; "" clears it
    p.add_argument("--start", help="giờ bắt đầu, vd. “8 giờ 00”")
    p.add_argument("--end", help="giờ kết thúc, vd. “10 giờ 30”")
    p.add_argument("--place", help="địa điểm (mặc định: đơn vị của sự kiện)")
    p.add_argument("--chair", help="người chủ trì: họ tên, chức vụ")
    p.add_argument("--secretary", help="thư ký: họ tên, chức vụ")
    p.add_argument("--content", help="nội dung (mặc định: nội dung, ghi chú "
                   "của sự kiện); xuống dòng bằng \\n")
    p.add_argument("--result", help="kết quả; xuống dòng bằng \\n")
    p.add_argument("--save", action="store_true",
                   help="lưu các thông tin trên vào sự kiện (lần in sau dùng lại; cần quyền "
                        "nhập liệu)")
    p.add_argument("--out", required=True)


def event_id_of(ctx, given: str) -> str:
    """The event named by its id, or by its date when that day has exactly one event."""
    from core.repos.activities import EventRepo
    from core.text import DateError, format_date, parse_date
    if EventRepo(ctx.store).find(given) is not None:
        return given
    try:
        day = parse_date(given)
    except DateError:
        day = None
    if not day:
        raise UserError(f"Không tìm thấy sự kiện “{given}”: hãy ghi mã sự kiện hoặc ngày "
                        "tổ chức (dd/mm/yyyy).")
    rows = ctx.db.execute("SELECT id, title FROM events WHERE date = ? AND deleted = 0"
                          " ORDER BY title_fold", [day]).fetchall()
    if not rows:
        raise UserError(f"Ngày {format_date(day)} không có sự kiện nào.")
    if len(rows) > 1:
        listed = "; ".join(f"{title} (mã {event_id})" for event_id, title in rows)
        raise UserError(f"Ngày {format_date(day)} có {len(rows)} sự kiện: {listed}. "
                        "Hãy ghi mã của sự kiện cần in.")
    return rows[0][0]


def cmd_print_attendance(args: argparse.Namespace) -> Outcome:
    """The attendance list of one event."""
    from core.documents.attendance import attendance_pdf
    with opened(args) as ctx:
        path, pages = attendance_pdf(ctx, event_id_of(ctx, args.event_id), args.out)
    return Outcome({"path": path, "pages": pages}, f"Đã in {pages} trang vào {path}")


def cmd_print_minutes(args: argparse.Namespace) -> Outcome:
    """The biên bản of one event."""
    import dataclasses
    from core.documents.attendance import minutes_pdf
    from core.services.activities import save_minutes, saved_minutes

    given = {"start_time": args.start, "end_time": args.end, "place": args.place,
             "chair": args.chair, "secretary": args.secretary,
             "content": args.content, "result": args.result}
    given = {name: value.replace("\\n", "\n") for name, value in given.items()
             if value is not None}
    with opened(args, write=args.save) as ctx:
        event_id = event_id_of(ctx, args.event_id)
        details = dataclasses.replace(saved_minutes(ctx, event_id), **given).cleaned()
        path, pages = minutes_pdf(ctx, event_id, args.out, details)
        if args.save:       # after the print: a biên bản that cannot be made saves nothing
            try:
                save_minutes(ctx, event_id, details)
            except Exception:
                Path(path).unlink(missing_ok=True)      # nothing printed when nothing saved
                raise
    saved = " Đã lưu các thông tin của biên bản vào sự kiện." if args.save else ""
    return Outcome({"path": path, "pages": pages, "saved": args.save},
                   f"Đã in {pages} trang vào {path}.{saved}")


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
