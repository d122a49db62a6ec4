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
    p.add_argument("--period", required=True, help="YYYY, YYYY-6T, YYYY-9T hoặc YYYY-MM")


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
    with opened(args) as ctx:
        rows = completeness(ctx, period)
    payload = {"period": {"from": period.start.isoformat(), "to": period.end.isoformat(),
                          "label": period.label}, "communes": rows,
               "missing": [r["code"] for r in rows if r["status"] != "du"]}
    lines = [f"Tình hình gửi dữ liệu — {period.label}"]
    for r in rows:
        when = f" (nhận lúc {format_moment(r['covered_at'] or r['last_imported_at'])})" \
            if r["status"] != "chua_gui" else ""
        lines.append(f"{r['code']:<12} {r['name']}: {r['status_label']}{when}")
    if not rows:
        lines.append("Chưa nhận gói dữ liệu của xã nào.")
    return Outcome(payload, "\n".join(lines))
