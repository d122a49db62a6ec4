"""Printed exchange documents: the receipt of a package taken in, the reminder list.

* :func:`import_receipt_pdf` — “Biên nhận gói dữ liệu”: what one line of the
  import log says (sender, sequence, dates, counts, digest), A4 portrait.
* :func:`reminder_list_pdf` — at a province, the communes that have not sent
  data covering a period (“Danh sách đơn vị chưa gửi dữ liệu”).

Both use the fonts, styles and atomic writing of the other documents.
"""
from __future__ import annotations

import json

from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from core.activity import local_today
from core.documents.common import (build_official, grid_style, para, rule, setting_text,
                                   styles)
from core.files import atomic_path
from core.errors import NotFound, UserError
from core.exchange import completeness
from core.exchange import ledger
from core.periods import Period
from core.station import Context
from core.text import format_date, format_moment, format_number

TEXT_WIDTH = (210 - 30 - 15) * mm


def _heading(ctx: Context, kind: str, subject: str, note: str) -> list:
    """Agency lines, a rule, the document name, its subject and an italic note."""
    st = styles()
    default_parent = "BỘ CÔNG AN" if ctx.station.level == "tinh" else "CÔNG AN TỈNH"
    parent = setting_text(ctx, "doc.parent_agency", default_parent).upper()
    agency = setting_text(ctx, "doc.agency", ctx.station.name).upper()
    return [para(parent, st["agency_parent"]), para(agency, st["agency"]), rule(30),
            Spacer(1, 2 * mm), para(kind, st["type"]), para(subject, st["subject"]),
            rule(40), para(note, st["caption"]), Spacer(1, 5 * mm)]


def import_entry(ctx: Context, log_id: int) -> dict:
    """One line of the import log with the sender's name."""
    found = [e for e in ledger.import_log(ctx.db) if e["id"] == log_id]
    if not found:
        raise NotFound("Không tìm thấy lần nhận gói dữ liệu này trong nhật ký.")
    entry = found[0]
    peer = ledger.get_peer(ctx.db, entry["sender"])
    entry["sender_name"] = peer.name if peer else entry["sender"]
    entry["warnings"] = json.loads(entry["warnings"] or "[]")
    return entry


def import_receipt_pdf(ctx: Context, log_id: int, out) -> tuple[str, int]:
    """Write the receipt of one package taken in (a line of the import log)."""
    e = import_entry(ctx, log_id)
    st = styles()
    period = (f"từ {format_date(e['period_from'])} đến {format_date(e['period_to'])}"
              if e["period_from"] else
              (f"đến {format_date(e['period_to'])}" if e["period_to"] else "—"))
    rows = [("Đơn vị gửi", f"{e['sender_name']} (mã {e['sender']})"),
            ("Đơn vị nhận", f"{ctx.station.name} (mã {ctx.station.code})"),
            ("Số thứ tự gói", str(e["sequence"])),
            ("Ngày lập gói", format_moment(e["created_at"])),
            ("Ngày nhận vào", format_moment(e["imported_at"])),
            ("Người nhận", e["user"] or "—"),
            ("Tên tệp", e["file_name"]),
            ("Dữ liệu trong kỳ", period),
            ("Bản ghi thêm mới", format_number(e["inserted"])),
            ("Bản ghi cập nhật", format_number(e["updated"])),
            ("Bản ghi đã xóa", format_number(e["deleted"])),
            ("Bản ghi không đổi", format_number(e["unchanged"])),
            ("Mã kiểm tra (SHA-256)", f"{e['sha256'][:32]}\n{e['sha256'][32:]}")]
    data = [[para(k, st["cell_bold"]), para(v, st["cell"]) if "\n" not in v
             else [para(line, st["cell"]) for line in v.split("\n")]] for k, v in rows]
    table = Table(data, colWidths=[55 * mm, TEXT_WIDTH - 55 * mm], hAlign="LEFT")
    table.setStyle(TableStyle(grid_style(header_rows=0) + [("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story = _heading(ctx, "BIÊN NHẬN", "Gói dữ liệu phong trào toàn dân bảo vệ ANTQ",
                     f"(In ngày {local_today():%d/%m/%Y})") + [table]
    if e["warnings"]:
        story += [Spacer(1, 4 * mm), para("Lưu ý:", st["heading"])]
        story += [para(f"- {w}", st["body"].clone("warn", firstLineIndent=0))
                  for w in e["warnings"]]
    story += [Spacer(1, 10 * mm), _signature(st, "NGƯỜI NHẬN")]
    with atomic_path(out) as temp:
        pages = build_official(temp, story, title="Biên nhận gói dữ liệu",
                               author=ctx.station.name)
    return str(out), pages


def _signature(st: dict, title: str) -> Table:
    """“(Ký, ghi rõ họ tên)” at the right."""
    right = [para(title, st["sign_title"]), para("(Ký, ghi rõ họ tên)", st["caption"])]
    table = Table([["", right]], colWidths=[80 * mm, 85 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def missing_communes(ctx: Context, period: Period) -> list[dict]:
    """Communes whose data covering *period* has not been taken in."""
    return [row for row in completeness(ctx, period) if row["status"] != "du"]


def reminder_list_pdf(ctx: Context, period: Period, out) -> tuple[str, int, int]:
    """Write the list of communes that have not sent data covering *period*.

    Returns (path, page count, number of communes listed). Refused when every
    known commune has sent.
    """
    rows = missing_communes(ctx, period)
    if not rows:
        raise UserError(f"Tất cả các xã đã gửi dữ liệu {period.label}; không có ai cần nhắc.")
    st = styles()
    head = [para(t, st["cell_head"]) for t in
            ("STT", "Mã", "Tên đơn vị", "Tình trạng", "Gói gần nhất nhận được")]
    data = [head]
    for i, row in enumerate(rows, 1):
        last = (f"Số {row['last_sequence']}, nhận {format_moment(row['last_imported_at'])}; "
                f"số liệu đến {format_date(row['last_period_to'])}"
                if row["last_imported_at"] else "Chưa nhận gói nào")
        data.append([para(str(i), st["cell_center"]), para(row["code"], st["cell"]),
                     para(row["name"], st["cell"]), para(row["status_label"], st["cell"]),
                     para(last, st["cell"])])
    widths = [12 * mm, 20 * mm, 55 * mm, 33 * mm]
    widths.append(TEXT_WIDTH - sum(widths))
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(grid_style() + [("VALIGN", (0, 1), (-1, -1), "TOP")]))
    note = (f"(Kỳ {period.label}: từ {format_date(period.start.isoformat())} đến "
            f"{format_date(period.end.isoformat())}; lập ngày {local_today():%d/%m/%Y}; "
            f"{len(rows)} đơn vị)")
    story = _heading(ctx, "DANH SÁCH ĐƠN VỊ CHƯA GỬI ĐỦ DỮ LIỆU",
                     f"Phong trào toàn dân bảo vệ ANTQ — {period.label}", note) + [table]
    story += [Spacer(1, 4 * mm), para(
        "Đề nghị các đơn vị có tên trên xuất gói dữ liệu (mục “Trao đổi dữ liệu”) và gửi về "
        "Công an tỉnh.", st["body"])]
    with atomic_path(out) as temp:
        pages = build_official(temp, story, title="Danh sách đơn vị chưa gửi dữ liệu",
                               author=ctx.station.name)
    return str(out), pages, len(rows)
