"""Printed exchange documents: the receipt of a package taken in, the reminder list.

* :func:`import_receipt_pdf` — “Biên nhận gói dữ liệu”: what one line of the
  import log says (sender, sequence, dates, counts, digest), A4 portrait.
* :func:`reminder_list_pdf` — at a province, the communes that have not sent
  data covering a period (“Danh sách đơn vị chưa gửi dữ liệu”).

Both are official documents of the station (Nghị định 30/2020): the two-column
header (agency, “Số: …” with a real blank for a hand-written number, Quốc hiệu,
Tiêu ngữ, place and date), the document's name, its body, “Nơi nhận” and the
signer block of the other documents, in the embedded document fonts only. They
never refuse for want of settings: the place falls back to the station's name
and an unset signer's name is left blank for the hand.
"""
from __future__ import annotations

import json

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from core.activity import local_today
from core.documents.common import (OfficialSettings, build_official, grid_style, header_block,
                                   para, rule, signature_block, styles)
from core.documents.settings import listed, official_settings
from core.files import atomic_path
from core.errors import NotFound, UserError
from core.exchange import completeness
from core.exchange import ledger
from core.exchange.completeness import period_ended
from core.periods import Period
from core.station import Context
from core.text import format_date, format_moment, format_number

TEXT_WIDTH = (210 - 30 - 15) * mm


def _heading(st: dict, cfg: OfficialSettings, kind: str, subject: str) -> list:
    """The ND 30 header block, the document's name and its subject with a short rule."""
    return [header_block(st, cfg, local_today()), para(kind, st["type"]),
            para(subject, st["subject"]), rule(40), Spacer(1, 3 * mm)]


def _signer(ctx: Context, kind: str) -> OfficialSettings:
    """The station's header and signer for a working paper (nothing required)."""
    return official_settings(ctx, kind, required=False)

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
    cfg = _signer(ctx, "BN")
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
    body = (f"{ctx.station.name} đã nhận gói dữ liệu số {e['sequence']} của "
            f"{e['sender_name']} vào lúc {format_moment(e['imported_at'])}, cụ thể như sau:")
    story = _heading(st, cfg, "BIÊN NHẬN", "Gói dữ liệu phong trào toàn dân bảo vệ ANTQ")
    story += [para(body, st["body"]), Spacer(1, 2 * mm), table]
    if e["warnings"]:
        story += [Spacer(1, 4 * mm), para("Lưu ý:", st["heading"])]
        story += [para(f"- {w}", st["body"].clone("warn", firstLineIndent=0))
                  for w in e["warnings"]]
    recipients = listed(f"{e['sender_name']} (để biết)\nLưu: VT.")
    story += [KeepTogether([signature_block(st, cfg, recipients=recipients)])]
    with atomic_path(out) as temp:
        pages = build_official(temp, story, title="Biên nhận gói dữ liệu",
                               author=ctx.station.name)
    return str(out), pages


def missing_communes(ctx: Context, period: Period) -> list[dict]:
    """Communes whose data covering *period* has not been taken in."""
    return [row for row in completeness(ctx, period) if row["status"] != "du"]


def reminder_warnings(period: Period) -> list[str]:
    """What the person should know before printing the list (shown, never blocking)."""
    if period_ended(period):
        return []
    return [f"Kỳ {period.label} chưa kết thúc (đến hết ngày "
            f"{format_date(period.end.isoformat())}): các xã chưa đến hạn gửi dữ liệu của "
            "kỳ này, danh sách chỉ cho biết tình hình đến hôm nay."]


def reminder_list_pdf(ctx: Context, period: Period, out) -> tuple[str, int, int]:
    """Write the list of communes that have not sent data covering *period*.

    Returns (path, page count, number of communes listed). Refused when every
    known commune has sent. A period not ended yet is printed all the same, the
    document saying so (:func:`reminder_warnings` tells the person beforehand).
    """
    rows = missing_communes(ctx, period)
    if not rows:
        raise UserError(f"Tất cả các xã đã gửi dữ liệu {period.label}; không có ai cần nhắc.")
    st = styles()
    cfg = _signer(ctx, "DS")
    head = [para(t, st["cell_head"]) for t in
            ("STT", "Tên đơn vị", "Tình trạng", "Gói gần nhất nhận được")]
    data = [head]
    for i, row in enumerate(rows, 1):
        last = (f"Số {row['last_sequence']}, nhận {format_moment(row['last_imported_at'])}; "
                f"số liệu đến {format_date(row['last_period_to'])}"
                if row["last_imported_at"] else "Chưa nhận gói nào")
        # The commune by its name; its code only when no name is known (never split).
        name = row["name"] or row["code"]
        data.append([para(str(i), st["cell_center"]), para(name, st["cell"]),
                     para(row["status_label"], st["cell"]), para(last, st["cell"])])
    widths = [12 * mm, 62 * mm, 30 * mm]
    widths.append(TEXT_WIDTH - sum(widths))
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(grid_style() + [("VALIGN", (0, 1), (-1, -1), "TOP")]))
    ended = period_ended(period)
    note = (f"(Kỳ {period.label}: từ {format_date(period.start.isoformat())} đến "
            f"{format_date(period.end.isoformat())}; {format_number(len(rows))} đơn vị"
            + ("" if ended else f"; kỳ chưa kết thúc, tình hình đến ngày "
               f"{local_today():%d/%m/%Y}") + ")")
    story = _heading(st, cfg, "DANH SÁCH",
                     f"Đơn vị chưa gửi đủ dữ liệu phong trào toàn dân bảo vệ ANTQ "
                     f"{period.label}")
    story[-1:-1] = [para(note, st["caption"])]
    story += [table, Spacer(1, 4 * mm), para(
        "Đề nghị các đơn vị có tên trên xuất gói dữ liệu (mục “Trao đổi dữ liệu”) và gửi về "
        f"{ctx.station.name}.", st["body"])]
    recipients = listed("Các đơn vị có tên trên (để thực hiện)\nLưu: VT.")
    story += [KeepTogether([signature_block(st, cfg, recipients=recipients)])]
    with atomic_path(out) as temp:
        pages = build_official(temp, story, title="Danh sách đơn vị chưa gửi dữ liệu",
                               author=ctx.station.name)
    return str(out), pages, len(rows)
