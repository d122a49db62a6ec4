"""Commands taking in a station's existing lists (docs/intake.md)."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from core.cli.base import Outcome, progress_printer
from core.cli.common import add_command, opened
from core.errors import UserError


def register(sub) -> None:
    """Add this module's commands to the parser."""
    p = add_command(sub, "inspect-list", cmd_inspect, "xem chương trình đọc một danh sách "
                                                       "có sẵn thế nào (không ghi gì)")
    p.add_argument("file")
    _choice_options(p)

    p = add_command(sub, "import-list", cmd_import, "nhập một danh sách có sẵn "
                                                    "(.xlsx, .xls, .csv)")
    p.add_argument("file")
    _choice_options(p)
    p.add_argument("--model", default="", help="tên mô hình của danh sách (tạo nếu chưa có)")
    p.add_argument("--model-type", default="", help="mã loại mô hình khi tạo mô hình mới")
    p.add_argument("--unit", default="", help="tên đơn vị (địa bàn) của mô hình mới")
    p.add_argument("--model-per-sheet", action="store_true",
                   help="mỗi trang tính là một mô hình (tên trang là tên mô hình)")
    p.add_argument("--hidden", default="left", choices=["left", "skip", "active"],
                   help="dòng ẩn: đã thôi tham gia (mặc định), bỏ qua, hoặc đang tham gia")
    p.add_argument("--date", default="", help="ngày của danh sách điểm danh / hộ gia đình")
    p.add_argument("--no-proposals", action="store_true",
                   help="không nhận các giá trị đề xuất (ngày đọc từ 27.3.76, số 0 đầu, …)")
    p.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")

    p = add_command(sub, "review", cmd_review, "các dòng chờ xem xét trùng người")
    p.add_argument("action", choices=["list", "decide"])
    p.add_argument("id", nargs="?", type=int)
    p.add_argument("--same", help="mã người (UUID) đã có: gộp dòng vào người này")
    p.add_argument("--new", action="store_true", help="tạo người mới từ dòng này")

    p = add_command(sub, "repair-text", cmd_repair, "chuyển chữ đã lưu theo bảng mã cũ "
                                                    "sang Unicode")
    p.add_argument("--from", dest="encoding", required=True, choices=["tcvn3", "vni", "control"],
                   help="bảng mã cũ; “control”: bỏ các ký tự điều khiển đã lưu từ trước")
    p.add_argument("--dry-run", action="store_true", help="chỉ đếm, không ghi")


def _choice_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--mapping", help="tệp JSON {tiêu đề cột: trường} thay cho cách chương "
                                     "trình đoán; có thể có “encodings” và “header_rows”")
    p.add_argument("--sheet", action="append", help="chỉ đọc trang này (có thể lặp lại)")


def _choices(args: argparse.Namespace):
    from core.intake import Choices
    choices = Choices(sheets=args.sheet or None)
    if getattr(args, "mapping", None):
        try:
            data = json.loads(Path(args.mapping).read_text(encoding="utf-8-sig"))
        except (OSError, ValueError) as exc:
            raise UserError(f"Không đọc được tệp cách đọc cột “{args.mapping}”: cần một tệp "
                            "JSON dạng {\"Tiêu đề cột\": \"full_name\", …}.") from exc
        if not isinstance(data, dict):
            raise UserError("Tệp cách đọc cột phải là một đối tượng JSON {tiêu đề: trường}.")
        _mapping_into(choices, data)
    for name in ("model", "model_type", "unit", "model_per_sheet", "hidden"):
        if hasattr(args, name):
            setattr(choices, name, getattr(args, name))
    if getattr(args, "date", ""):
        from core.text import DateError, parse_date
        try:
            choices.event_date = parse_date(args.date)
        except DateError as exc:
            raise UserError(str(exc)) from None
    if getattr(args, "no_proposals", False):
        choices.accept_proposals = False
    return choices


def _mapping_into(choices, data: dict) -> None:
    from core.intake.fields import FIELDS
    columns = data.get("columns", data) if isinstance(data.get("columns"), dict) else data
    for header, key in columns.items():
        if header in ("encodings", "header_rows"):
            continue
        if key is not None and key not in FIELDS:
            raise UserError(f"Trường “{key}” của cột “{header}” không có; các trường: "
                            + ", ".join(FIELDS) + ".")
        choices.mapping[header] = key
    for sheet, wanted in (data.get("encodings") or {}).items():
        if isinstance(wanted, dict):
            choices.encodings[sheet] = wanted
    for sheet, row in (data.get("header_rows") or {}).items():
        choices.header_rows[sheet] = int(row)


def cmd_inspect(args: argparse.Namespace) -> Outcome:
    """Say what the program sees in a list; writes nothing."""
    from core.intake import see
    with opened(args) as ctx:
        seen = see(ctx, args.file, _choices(args))
    payload = seen.to_json()
    lines = []
    for sheet in payload["sheets"]:
        lines.append(f"Trang “{sheet['sheet']}” ({sheet['kind']}): tiêu đề cột ở dòng "
                     f"{sheet['header_row']}, {sheet['data_rows']} dòng dữ liệu, "
                     f"{len(sheet['excluded_rows'])} dòng loại ra, "
                     f"{len(sheet['hidden_rows'])} dòng ẩn.")
        for header, key in sheet["columns"].items():
            lines.append(f"  {header} → {key or '(bỏ qua)'} [{sheet['encodings'][header]}]")
    return Outcome(payload, "\n".join(lines))


def cmd_import(args: argparse.Namespace) -> Outcome:
    """Take a list in: all or nothing."""
    from core.backup import make_auto_backup
    from core.intake import take_in
    choices = _choices(args)
    with opened(args, write=not args.dry_run) as ctx:
        if not args.dry_run:
            from core.intake import plan, see
            todo = plan(ctx, see(ctx, args.file, choices))
            if not todo.errors:
                make_auto_backup(ctx, "import")
                from core.intake import apply
                done = apply(ctx, todo, progress=progress_printer("Đang nhập"))
            else:
                from core.intake import ApplyResult
                done = ApplyResult(False)
        else:
            todo, done = take_in(ctx, args.file, choices, dry_run=True)
    payload = todo.to_json(done.applied)
    messages = [f"Trang “{e.sheet}”, dòng {e.row}, cột “{e.column}”: {e.message}"
                for e in todo.errors] + todo.warnings
    refused = bool(todo.errors)
    if refused:
        messages.append(f"Không ghi gì vào cơ sở dữ liệu: {len(todo.errors)} lỗi.")
    text = (f"Người: mới {payload['persons']['new']}, đã có {payload['persons']['matched']}; "
            f"thành viên mô hình: mới {payload['memberships']['new']}, đã có "
            f"{payload['memberships']['matched']}; chờ xem xét {payload['review']}; "
            f"dòng loại ra {payload['excluded_rows']}.")
    if args.dry_run:
        text += "\n(Chạy thử: chưa ghi gì.)"
    return Outcome(payload, "" if refused else text, 1 if refused else 0, messages)


def cmd_review(args: argparse.Namespace) -> Outcome:
    """List the queued rows, or settle one."""
    from core.intake import review
    if args.action == "list":
        with opened(args) as ctx:
            items = review.pending(ctx)
        text = "\n".join(f"{i.id}. {i.name} ({i.birth or 'không rõ ngày sinh'}) — {i.source}: "
                         + "; ".join(f"{c['person_id']} {c['name']} ({c['reason']})"
                                     for c in i.candidates) for i in items)
        return Outcome({"items": [i.to_json() for i in items]},
                       text or "Không có dòng nào chờ xem xét.")
    if args.id is None:
        raise UserError("Cần số của dòng chờ xem xét: review decide SỐ --same MÃ | --new.")
    with opened(args, write=True) as ctx:
        decision = review.decide(ctx, args.id, same=args.same, new=args.new)
    return Outcome({"id": decision.id, "person_id": decision.person_id,
                    "spellings": decision.spellings},
                   f"Đã quyết định dòng {decision.id}: người {decision.person_id}.",
                   messages=decision.spellings)


def cmd_repair(args: argparse.Namespace) -> Outcome:
    """Convert legacy text already stored."""
    from core.intake.repair import repair_text
    with opened(args, write=not args.dry_run) as ctx:
        if not args.dry_run:
            from core.backup import make_auto_backup
            make_auto_backup(ctx, "repair")
        result = repair_text(ctx, args.encoding, dry_run=args.dry_run)
    text = "\n".join(f"{table}: {n}" for table, n in result.changed.items()) or \
        "Không có chữ nào cần chuyển."
    return Outcome({"changed": result.changed, "applied": not args.dry_run,
                    "samples": [list(s) for s in result.samples]}, text)
