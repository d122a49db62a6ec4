"""Commands for the station and its data: init, template, workbooks, report, check."""
from __future__ import annotations

import argparse

from core.cli.base import Outcome, UsageError, progress_printer
from core.cli.common import add_command, database_path, opened
from core.errors import read_failure_reason
from core.periods import custom_period, parse_period


def register(sub) -> None:
    """Add this module's commands to the parser."""
    p = add_command(sub, "init", cmd_init, "khởi tạo cơ sở dữ liệu và định danh đơn vị")
    p.add_argument("--level", required=True, choices=["xa", "tinh"])
    p.add_argument("--code", required=True,
                   help="mã trong danh mục đơn vị hành chính (tỉnh 2 số, xã 5 số)")
    p.add_argument("--name", help="tên đơn vị (chỉ cần với mã ngoài danh mục)")
    p.add_argument("--parent", help="mã Công an tỉnh cấp trên (với cấp xã ngoài danh mục)")

    p = add_command(sub, "template", cmd_template, "ghi sổ Excel mẫu để nhập liệu")
    p.add_argument("--out", required=True)

    p = add_command(sub, "import-workbook", cmd_import_workbook, "nhập dữ liệu từ sổ Excel")
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")
    p.add_argument("--skip-invalid", action="store_true", help="ghi các dòng hợp lệ")

    p = add_command(sub, "export-workbook", cmd_export_workbook, "xuất toàn bộ dữ liệu ra Excel")
    p.add_argument("--out", required=True)

    p = add_command(sub, "report", cmd_report, "báo cáo định kỳ")
    p.add_argument("--period", help="YYYY, YYYY-6T, YYYY-9T, YYYY-Q1..Q4 hoặc YYYY-MM")
    p.add_argument("--format", default="json", choices=["json", "pdf", "xlsx", "docx"])
    p.add_argument("--out")
    p.add_argument("--from", dest="date_from")
    p.add_argument("--to", dest="date_to")
    p.add_argument("--number", help="số của báo cáo này (vd. 15), ghi “Số: 15/BC-…”")
    p.add_argument("--date", dest="doc_date", help="ngày ký ghi trên báo cáo (dd/mm/yyyy)")

    p = add_command(sub, "report-text", cmd_report_text, "nội dung tự soạn của một mục báo cáo")
    p.add_argument("--period", help="YYYY, YYYY-6T, YYYY-9T, YYYY-Q1..Q4 hoặc YYYY-MM")
    p.add_argument("--from", dest="date_from")
    p.add_argument("--to", dest="date_to")
    p.add_argument("--section", required=True,
                   help="mo_dau, ket_qua, ton_tai, phuong_huong hoặc kien_nghi")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--text")
    group.add_argument("--file", help="tệp văn bản UTF-8")
    group.add_argument("--clear", action="store_true")

    add_command(sub, "check", cmd_check, "kiểm tra tính toàn vẹn của cơ sở dữ liệu")


def cmd_init(args: argparse.Namespace) -> Outcome:
    """Create the database and the station's identity."""
    from core.station import init_station
    ctx = init_station(database_path(args), level=args.level, code=args.code,
                       name=args.name, parent_code=args.parent)
    try:
        st = ctx.station
        payload = {"code": st.code, "name": st.name, "level": st.level,
                   "fingerprint": st.fingerprint, "path": str(ctx.path),
                   "parent_code": st.parent_code, "listed": st.listed}
    finally:
        ctx.close()
    return Outcome(payload, f"Đã khởi tạo {st.display_name} ({st.code}).\n"
                            f"Dấu vân tay khóa: {st.fingerprint}",
                   messages=[NO_ACCOUNT_YET])


NO_ACCOUNT_YET = ("Cơ sở dữ liệu đã được mã hóa, nhưng chưa có tài khoản: khóa đang được giữ "
                  "cho người dùng máy này, ai dùng được máy cũng mở được dữ liệu. Hãy tạo tài "
                  "khoản quản trị: “user add TÊN --role admin” (mã khôi phục in ra khi đó).")


def cmd_template(args: argparse.Namespace) -> Outcome:
    """Write the blank data workbook."""
    from core.cli.common import check_out
    from core.workbook import write_template
    check_out(args)
    write_template(args.out)
    return Outcome({"path": str(args.out)}, f"Đã ghi sổ mẫu: {args.out}")


def cmd_import_workbook(args: argparse.Namespace) -> Outcome:
    """Take in a data workbook (all or nothing unless --skip-invalid)."""
    from core.backup import make_auto_backup
    from core.workbook import import_workbook
    with opened(args, write=not args.dry_run) as ctx:
        if not args.dry_run:
            make_auto_backup(ctx, "import")
        report = import_workbook(ctx, args.file, dry_run=args.dry_run,
                                 skip_invalid=args.skip_invalid,
                                 progress=progress_printer("Đang nhập"))
    payload = {
        "inserted": report.inserted, "updated": report.updated,
        "unchanged": report.unchanged, "applied": report.applied,
        "errors": [{"sheet": e.sheet, "row": e.row, "column": e.column,
                    "message": e.message} for e in report.errors],
        "warnings": report.warnings, "error_copy": report.error_copy,
    }
    messages = [f"{e.sheet}, dòng {e.row}, cột “{e.column}”: {e.message}"
                for e in report.errors] + report.warnings
    refused = bool(report.errors) and not args.skip_invalid
    if refused:
        messages.append(f"Không ghi gì vào cơ sở dữ liệu: {len(report.errors)} lỗi."
                        + (f" Bản đánh dấu lỗi: {report.error_copy}" if report.error_copy else ""))
    from core.workbook.layout import SHEET_NAMES
    text = "" if refused else "\n".join(
        f"{sheet}: thêm {report.inserted.get(sheet, 0)}, cập nhật "
        f"{report.updated.get(sheet, 0)}, không đổi {report.unchanged.get(sheet, 0)}"
        for sheet in SHEET_NAMES)
    if args.dry_run:
        text += "\n(Chạy thử: chưa ghi gì.)"
    return Outcome(payload, text, 1 if refused else 0, messages)


def cmd_export_workbook(args: argparse.Namespace) -> Outcome:
    """Write all current data in the workbook layout."""
    from core.workbook import export_workbook
    with opened(args) as ctx:
        rows = export_workbook(ctx, args.out)
    return Outcome({"path": str(args.out), "rows": rows},
                   f"Đã xuất {sum(rows.values())} dòng ra {args.out}")


def period_of(args: argparse.Namespace):
    """The period from --period, or from --from/--to."""
    if args.date_from or args.date_to:
        if not (args.date_from and args.date_to):
            raise UsageError("Cần cả --from và --to.")
        return custom_period(args.date_from, args.date_to)
    if not args.period:
        raise UsageError("Cần --period (hoặc --from và --to).")
    return parse_period(args.period)


def cmd_report(args: argparse.Namespace) -> Outcome:
    """The periodic report: JSON figures, or a PDF / workbook document."""
    from core.report import build_report
    period = period_of(args)
    if args.format != "json" and not args.out:
        raise UsageError("Cần --out khi xuất báo cáo dạng pdf, docx hoặc xlsx.")
    if (args.number or args.doc_date) and args.format not in ("pdf", "docx"):
        raise UsageError("--number và --date chỉ dùng với --format pdf hoặc docx.")
    day = _document_date(args.doc_date)
    with opened(args) as ctx:
        if args.format == "json":
            report = build_report(ctx, period)
            return Outcome(report, _report_text(report))
        if args.format in ("pdf", "docx"):
            # Shown, never blocking: a period not ended, figures that cannot both be right.
            from core.documents.report_content import plausibility_warnings
            report = build_report(ctx, period)
            warnings = plausibility_warnings(report)
            notes = [f"Lưu ý: {w}" for w in warnings]
        if args.format == "docx":
            from core.documents.report_docx import report_docx
            path = report_docx(ctx, period, args.out, today=day, number=args.number,
                               report=report)
            return Outcome({"path": path, "warnings": warnings},
                           f"Đã ghi báo cáo vào {path}", messages=notes)
        if args.format == "pdf":
            from core.documents.report_pdf import report_pdf
            path, count = report_pdf(ctx, period, args.out, today=day, number=args.number,
                                     report=report)
            return Outcome({"path": path, "pages": count, "warnings": warnings},
                           f"Đã ghi báo cáo vào {path}", messages=notes)
        from core.documents.report_xlsx import report_xlsx
        path, count = report_xlsx(ctx, period, args.out)
    return Outcome({"path": path, "sheets": count}, f"Đã ghi báo cáo vào {path}")


def _document_date(value: str | None):
    """The --date of a document (dd/mm/yyyy or yyyy-mm-dd), or None."""
    if not value:
        return None
    import datetime as dt

    from core.errors import UserError
    from core.text import parse_date
    try:
        iso = parse_date(value)
    except ValueError as exc:
        raise UserError(f"--date: {exc}") from None
    if not iso:
        raise UserError(f"--date “{value}” không phải ngày hợp lệ (dd/mm/yyyy).")
    return dt.date.fromisoformat(iso)


def cmd_report_text(args: argparse.Namespace) -> Outcome:
    """Keep (or clear) the officer's own wording of one section of a period's report."""
    from core import report_texts
    from core.errors import UserError
    period = period_of(args)
    if args.file:
        try:
            with open(args.file, encoding="utf-8") as handle:
                value = handle.read()
        except OSError as exc:
            raise UserError(f"Không đọc được tệp {args.file}: {read_failure_reason(exc)}.") from None
        except UnicodeDecodeError:
            raise UserError(f"Tệp {args.file} không phải văn bản UTF-8.") from None
    else:
        value = None if args.clear else args.text
    with opened(args) as ctx:
        chars = report_texts.set_section(ctx, period.key, args.section, value)
    label = args.period or f"{args.date_from}..{args.date_to}"
    return Outcome({"period": label, "section": args.section, "chars": chars},
                   f"Đã lưu mục {args.section} của báo cáo {label} ({chars} ký tự).")


def _report_text(report: dict) -> str:
    ind = report["indicators"]
    return (f"{report['station']['name']} — {report['period']['label']}\n"
            f"Đơn vị: {ind['units_total']}; mô hình: {ind['models_total']}; "
            f"thành viên: {ind['members_total']}; sự kiện: {ind['events_total']} "
            f"({ind['participants_total']} lượt người)")


def cmd_check(args: argparse.Namespace) -> Outcome:
    """Integrity of the database file and of its references."""
    from core.integrity import check_database
    with opened(args) as ctx:
        problems = check_database(ctx)
    text = "Cơ sở dữ liệu toàn vẹn." if not problems else "\n".join(problems)
    return Outcome({"ok": not problems, "problems": problems}, text,
                   0 if not problems else 1)
