"""Commands for the exchange with the province: export, verify and import packages,
and the province's completeness list."""
from __future__ import annotations

import argparse
import datetime as dt

from core.cli.base import Outcome, UsageError, progress_printer
from core.cli.common import add_command, opened
from core.periods import parse_period
from core.text import format_date, format_number


def format_moment(stamp: str | None) -> str:
    """A stored UTC timestamp as local “dd/mm/yyyy HH:MM” for people."""
    if not stamp:
        return ""
    try:
        moment = dt.datetime.fromisoformat(stamp).astimezone()
    except ValueError:
        return stamp
    return f"{format_date(moment.date().isoformat())} {moment:%H:%M}"


def register(sub) -> None:
    """Add this module's commands to the parser."""
    p = add_command(sub, "export-package", cmd_export, "xuất gói dữ liệu trao đổi")
    p.add_argument("--out", required=True, help="tệp gói dữ liệu sẽ ghi")
    p.add_argument("--to", help="(Công an tỉnh) mã xã nhận; gói được mã hóa cho xã đó")

    p = add_command(sub, "verify-package", cmd_verify, "kiểm tra gói dữ liệu, không nhận")
    p.add_argument("file")

    p = add_command(sub, "import-package", cmd_import, "nhận các gói dữ liệu trao đổi")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")
    p.add_argument("--trust-new", action="store_true",
                   help="tin cậy đơn vị gửi lần đầu (sau khi đối chiếu dấu vân tay)")

    p = add_command(sub, "completeness", cmd_completeness,
                    "(Công an tỉnh) các xã đã gửi / chưa gửi dữ liệu của một kỳ")
    p.add_argument("--period", required=True,
                   help="YYYY, YYYY-6T, YYYY-9T, YYYY-Q1..Q4 hoặc YYYY-MM")

    p = add_command(sub, "print-reminders", cmd_print_reminders,
                    "(Công an tỉnh) in danh sách các xã chưa gửi đủ dữ liệu của một kỳ")
    p.add_argument("--period", required=True, help="YYYY, YYYY-6T, YYYY-9T hoặc YYYY-MM")
    p.add_argument("--out", required=True, help="tệp PDF sẽ ghi")

    p = add_command(sub, "print-receipt", cmd_print_receipt,
                    "in biên nhận một gói dữ liệu đã nhận (theo nhật ký nhận)")
    p.add_argument("--sender", required=True, help="mã đơn vị gửi")
    p.add_argument("--sequence", required=True, type=int, help="số thứ tự gói")
    p.add_argument("--out", required=True, help="tệp PDF sẽ ghi")

    add_command(sub, "communes", cmd_communes, "(Công an tỉnh) sổ theo dõi các xã của tỉnh")
    p = add_command(sub, "note-fingerprint", cmd_note_fingerprint,
                    "(Công an tỉnh) ghi dấu vân tay khóa của xã trước gói đầu tiên")
    p.add_argument("code", help="mã xã")
    p.add_argument("fingerprint", help="40 chữ số hệ 16, như xã đọc qua điện thoại / văn bản")
    p.add_argument("--source", default="", help="nguồn: điện thoại, công văn số …")
    p = add_command(sub, "revoke-key", cmd_revoke_key,
                    "(Công an tỉnh) thu hồi khóa của một xã (máy bị mất)")
    p.add_argument("code", help="mã xã")
    p.add_argument("--reason", default="")
    p = add_command(sub, "load-units", cmd_load_units,
                    "nạp danh mục đơn vị hành chính mới từ tệp CSV (ma,ten,loai,ma_tinh)")
    p.add_argument("file")


def cmd_export(args: argparse.Namespace) -> Outcome:
    """Write this station's package."""
    from core.exchange import export_package
    with opened(args, write=True) as ctx:
        if args.to and ctx.station.level == "xa":
            raise UsageError("--to chỉ dùng ở Công an tỉnh.")
        result = export_package(ctx, args.out, to=args.to)
    payload = {"path": result.path, "sequence": result.sequence, "records": result.records,
               "recipient": result.recipient, "encrypted": result.encrypted,
               "bytes": result.size, "sha256": result.sha256}
    total = sum(result.records.values())
    text = (f"Đã ghi gói số {result.sequence} ({format_number(total)} bản ghi, "
            f"{format_number(result.size)} byte) vào {result.path} và đã đọc lại để kiểm tra."
            + (" Nội dung đã được mã hóa cho đơn vị nhận." if result.encrypted else ""))
    return Outcome(payload, text)


def cmd_verify(args: argparse.Namespace) -> Outcome:
    """Check a package without taking it in."""
    from core.exchange import verify_file
    with opened(args) as ctx:
        result = verify_file(ctx, args.file)
    payload = result.to_json()
    if result.ok:
        text = (f"Gói hợp lệ: {result.sender_name} ({result.sender}), số {result.sequence}.\n"
                f"Dấu vân tay khóa: {result.fingerprint}\n{result.reason}")
        return Outcome(payload, text)
    return Outcome(payload, "", 1, [f"Lỗi: {result.reason}"])


def cmd_import(args: argparse.Namespace) -> Outcome:
    """Take in packages, each whole or not at all."""
    from core.exchange import import_files
    with opened(args, write=not args.dry_run) as ctx:
        results = import_files(ctx, args.files, dry_run=args.dry_run,
                               trust_new=args.trust_new,
                               progress=progress_printer("Đang nhận gói"))
    labels = {"applied": "đã nhận", "already_applied": "đã nhận trước đó",
              "rejected": "BỊ TỪ CHỐI", "dry_run": "chạy thử"}
    lines, messages = [], []
    for r in results:
        lines.append(f"{r.path}: {labels[r.status]} — thêm {r.inserted}, cập nhật "
                     f"{r.updated}, xóa {r.deleted}, không đổi {r.unchanged}")
        if r.status == "rejected":
            messages.append(f"Lỗi: {r.path}: {r.reason}")
        elif r.reason:
            messages.append(f"{r.path}: {r.reason}")
    rejected = any(r.status == "rejected" for r in results)
    return Outcome({"files": [r.to_json() for r in results]}, "\n".join(lines),
                   1 if rejected else 0, messages)


def cmd_completeness(args: argparse.Namespace) -> Outcome:
    """Which communes have sent data covering a period."""
    from core.exchange import completeness
    period = parse_period(args.period)
    from core.exchange.completeness import period_ended
    with opened(args) as ctx:
        rows = completeness(ctx, period)
    ended = period_ended(period)
    payload = {"period": {"from": period.start.isoformat(), "to": period.end.isoformat(),
                          "label": period.label}, "communes": rows,
               "missing": [r["code"] for r in rows if r["status"] != "du"],
               "ended": ended}
    lines = [f"Tình hình gửi dữ liệu — {period.label}"]
    if not ended:
        lines.append(f"Kỳ này chưa kết thúc (đến hết ngày {format_date(period.end.isoformat())});"
                     " các xã chưa đến hạn gửi, danh sách nhắc nhở in lúc này chỉ cho biết"
                     " tình hình đến hôm nay.")
    for r in rows:
        when = f" (nhận lúc {format_moment(r['covered_at'] or r['last_imported_at'])})" \
            if r["status"] != "chua_gui" else ""
        lines.append(f"{r['code']:<12} {r['name']}: {r['status_label']}{when}")
    if not rows:
        lines.append("Sổ theo dõi chưa có xã nào.")
    return Outcome(payload, "\n".join(lines))


def cmd_print_reminders(args: argparse.Namespace) -> Outcome:
    """The reminder list of a period; a period not ended is a warning, not a refusal."""
    from core.documents.exchange_docs import reminder_list_pdf, reminder_warnings
    period = parse_period(args.period)
    warnings = reminder_warnings(period)
    with opened(args) as ctx:
        path, pages, count = reminder_list_pdf(ctx, period, args.out)
    return Outcome({"path": path, "pages": pages, "communes": count, "warnings": warnings},
                   f"Đã in danh sách {count} đơn vị chưa gửi đủ dữ liệu vào {path}",
                   messages=[f"Lưu ý: {w}" for w in warnings])


def cmd_print_receipt(args: argparse.Namespace) -> Outcome:
    """The receipt of one package taken in (the newest log line of that sender and number)."""
    from core.documents.exchange_docs import import_receipt_pdf
    from core.errors import NotFound
    from core.exchange import ledger
    with opened(args) as ctx:
        found = [e for e in ledger.import_log(ctx.db, args.sender.strip())
                 if e["sequence"] == args.sequence]
        if not found:
            raise NotFound(f"Chưa nhận gói số {args.sequence} của đơn vị “{args.sender}”.")
        path, pages = import_receipt_pdf(ctx, found[0]["id"], args.out)
    return Outcome({"path": path, "pages": pages}, f"Đã in biên nhận vào {path}")


def cmd_communes(args: argparse.Namespace) -> Outcome:
    """The province's register of communes."""
    from core.exchange.register import register
    with opened(args) as ctx:
        rows = register(ctx)
    lines = [f"{len(rows)} xã trong sổ theo dõi ({sum(r.enrolled for r in rows)} đã có khóa)."]
    for r in rows:
        mark = "" if r.listed else " (ngoài danh mục)"
        state = f"khóa {r.fingerprint}" if r.enrolled else "chưa có khóa"
        last = (f", gói số {r.last_sequence} nhận lúc {format_moment(r.last_imported_at)}"
                if r.last_sequence else "")
        lines.append(f"{r.code:<7} {r.name}{mark}: {state}{last}")
    return Outcome({"communes": [r.to_json() for r in rows]}, "\n".join(lines))


def cmd_note_fingerprint(args: argparse.Namespace) -> Outcome:
    """Record a commune's fingerprint before its first file."""
    from core.exchange.register import note_fingerprint
    with opened(args, write=True) as ctx:
        value = note_fingerprint(ctx, args.code, args.fingerprint, args.source)
    return Outcome({"code": args.code, "fingerprint": value},
                   f"Đã ghi dấu vân tay của xã {args.code}: {value}. Gói đầu tiên của xã sẽ "
                   "được đối chiếu với dấu vân tay này.")


def cmd_revoke_key(args: argparse.Namespace) -> Outcome:
    """Unpin a commune's key."""
    from core.exchange.register import revoke
    with opened(args, write=True) as ctx:
        value = revoke(ctx, args.code, args.reason)
    return Outcome({"code": args.code, "revoked_fingerprint": value},
                   f"Đã thu hồi khóa {value} của xã {args.code}. Gói sau của xã (khóa mới) "
                   "cần được xác nhận (--trust-new) hoặc khớp dấu vân tay ghi trước.")


def cmd_load_units(args: argparse.Namespace) -> Outcome:
    """Take in a newer official list of administrative units."""
    from core import admin_units
    with opened(args, write=True) as ctx:
        counts = admin_units.load_file(ctx.db, args.file)
    return Outcome(counts, f"Đã nạp danh mục {counts['version'] or ''}: "
                           f"{counts['provinces']} tỉnh, {format_number(counts['communes'])} xã.")
