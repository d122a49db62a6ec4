"""What the periodic report says, in order, for the PDF and the Word file alike.

The generated figures and the officer's own wording (:mod:`core.report_texts`)
are merged here once; :mod:`report_pdf` and :mod:`report_docx` only lay the
blocks out. A block is ``(kind, value)``: ``heading`` (text), ``para`` (text),
``indicators`` / ``communes`` / ``charts`` (the tables and graphs), ``closing``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core import report_texts
from core.activity import local_today
from core.periods import Period
from core.station import Context
from core.text import format_date, format_number

ROMAN = ("I", "II", "III", "IV", "V", "VI")


@dataclass(frozen=True)
class ReportContent:
    """The report's blocks, and this document's number and date."""

    blocks: list[tuple[str, object]]
    number: str | None
    day: dt.date
    title: str


def _members_phrase(ind: dict) -> str:
    return f"với {format_number(ind['members_total'])} người tham gia"


def generated_sections(report: dict, station_name: str) -> dict[str, list[str]]:
    """The generated paragraphs of mo_dau and ket_qua (what the editors are pre-filled with)."""
    ind, period = report["indicators"], report["period"]
    opening = (f"Thực hiện chế độ báo cáo định kỳ, {station_name} báo cáo kết quả phong trào "
               f"toàn dân bảo vệ an ninh Tổ quốc {period['label']} (từ ngày "
               f"{format_date(period['from'])} đến ngày {format_date(period['to'])}) như sau:")
    where = "tỉnh" if report["level"] == "tinh" else "địa bàn"
    return {"mo_dau": [opening], "ket_qua": [stock_sentence(ind, period, where),
                                             flow_sentence(ind)]}


def _joined(items: list[str]) -> str:
    """"a", "a và b", "a, b và c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " và " + items[-1]


def stock_sentence(ind: dict, period: dict, where: str) -> str:
    """Units, recognised units and models at the period's end, without "0 …" phrases."""
    n = format_number
    day, year = format_date(period["to"]), period["to"][:4]
    standard = "đạt tiêu chuẩn “An toàn về an ninh, trật tự”"
    if not ind["units_total"]:
        text = f"Tính đến ngày {day}, toàn {where} chưa có đơn vị, địa bàn nào trong danh sách."
    else:
        text = f"Tính đến ngày {day}, toàn {where} có {n(ind['units_total'])} đơn vị, địa bàn"
        residential = ind["units_by_type"].get("khu_dan_cu", 0)
        if residential:
            text += f", trong đó {n(residential)} khu dân cư"
        safe = [f"{n(ind[key])} {label}" for key, label in (
            ("khu_dan_cu_safe", "khu dân cư"),
            ("cqdnnt_safe", "cơ quan, doanh nghiệp, nhà trường")) if ind[key]]
        text += (f"; {_joined(safe)} được công nhận {standard} năm {year}." if safe else
                 f"; chưa có đơn vị nào được công nhận {standard} năm {year}.")
    if not ind["models_total"]:
        return text + " Chưa có mô hình nào đang hoạt động."
    kinds = [f"{n(ind[key])} {label}" for key, label in (
        ("models_effective", "mô hình hoạt động hiệu quả"),
        ("models_advanced", "mô hình điển hình tiên tiến")) if ind[key]]
    return (text + f" Có {n(ind['models_total'])} mô hình đang hoạt động"
            + (f" ({', '.join(kinds)})" if kinds else "") + f" {_members_phrase(ind)}.")



def flow_sentence(ind: dict) -> str:
    """What happened in the period, without "0 sự kiện" or "0/0 vụ" for what did not."""
    n = format_number
    res = ind["results"]
    parts = []
    if ind["events_total"]:
        parts.append(f"đã tổ chức {n(ind['events_total'])} sự kiện, hoạt động với "
                     f"{n(ind['participants_total'])} lượt người tham gia")
    else:
        parts.append("chưa tổ chức sự kiện, hoạt động nào")
    tips, valuable = res.get("tin_bao", 0), res.get("tin_bao_gia_tri", 0)
    if tips:
        tip = f"quần chúng cung cấp {n(tips)} tin báo, tố giác"
        if valuable:
            tip += f", trong đó {n(valuable)} tin có giá trị"
        if res.get("vu_viec_lam_ro", 0):
            tip += f", giúp làm rõ {n(res['vu_viec_lam_ro'])} vụ việc"
        parts.append(tip)
    else:
        parts.append("chưa có tin báo, tố giác của quần chúng")
    if res.get("hoa_giai", 0):
        parts.append(f"hòa giải thành {n(res.get('hoa_giai_thanh', 0))}/"
                     f"{n(res['hoa_giai'])} vụ")
    people, groups = ind["commendations_individual"], ind["commendations_collective"]
    if people or groups:
        parts.append(f"khen thưởng {n(people)} cá nhân và {n(groups)} tập thể")
    return "Trong kỳ, " + "; ".join(parts) + "."


def commune_names(ctx: Context) -> dict[str, str]:
    """Each known commune's name by code: the official list's, else its peer record's."""
    rows = ctx.db.execute("SELECT code, name FROM peers WHERE level = 'xa'").fetchall()
    names = {code: name for code, name in rows if name}
    names.update(ctx.db.execute(
        "SELECT code, name FROM admin_units WHERE parent_code IS NOT NULL").fetchall())
    return names


def coverage_sentence(ctx: Context, report: dict) -> str | None:
    """At a province: how many communes the figures cover and which have not sent."""
    if report["level"] != "tinh":
        return None
    rows = ctx.db.execute("SELECT code, name, last_imported_at FROM peers WHERE level = 'xa'")
    known, sent = {}, set()
    for code, name, imported in rows:
        known[code] = name
        if imported:            # a package from this commune has been taken in
            sent.add(code)
    sent |= {code for code in report.get("by_commune", {}) if code not in known}
    everyone = set(known) | sent
    if not everyone:
        return "Chưa nhận được số liệu của Công an xã nào."
    missing = [known.get(code, code) for code in sorted(everyone - sent,
                                                        key=lambda c: known.get(c, c))]
    sentence = (f"Số liệu tổng hợp từ {format_number(len(sent))}/{format_number(len(everyone))} "
                "Công an xã đã gửi")
    if missing:
        sentence += "; chưa gửi: " + ", ".join(missing)
    return sentence + "."


def plausibility_warnings(report: dict, today: dt.date | None = None) -> list[str]:
    """Figures that cannot both be right, a period not ended (shown, never blocking)."""
    ind = report["indicators"]
    res = ind["results"]
    n = format_number
    found = []
    end = report.get("period", {}).get("to")
    if end and dt.date.fromisoformat(end) > (today or local_today()):
        found.append(f"Kỳ báo cáo chưa kết thúc (đến ngày {format_date(end)}): số liệu "
                     "chưa đầy đủ.")
    if res.get("tin_bao_gia_tri", 0) > res.get("tin_bao", 0):
        found.append(f"Số tin có giá trị ({n(res['tin_bao_gia_tri'])}) lớn hơn số tin báo, "
                     f"tố giác ({n(res.get('tin_bao', 0))}).")
    if res.get("hoa_giai_thanh", 0) > res.get("hoa_giai", 0):
        found.append(f"Số vụ hòa giải thành ({n(res['hoa_giai_thanh'])}) lớn hơn số vụ "
                     f"hòa giải ({n(res.get('hoa_giai', 0))}).")
    if ind["participants_total"] and not ind["events_total"]:
        found.append(f"Có {n(ind['participants_total'])} lượt người tham gia nhưng không "
                     "có sự kiện, hoạt động nào.")
    return found


def paragraphs(value: str) -> list[str]:
    """The officer's text as paragraphs (one per line, blank lines dropped)."""
    return [line for line in value.split("\n") if line.strip()]


def report_content(ctx: Context, period: Period, report: dict, *, number: str | None = None,
                   day: dt.date | None = None) -> ReportContent:
    """Every block of the report; *number*/*day* override what is kept with the period."""
    own = report_texts.stored(ctx, period.key)
    generated = generated_sections(report, ctx.station.name)
    if day is None and own.get(report_texts.DATE):
        day = dt.date.fromisoformat(own[report_texts.DATE])
    number = number or own.get(report_texts.NUMBER) or None
    blocks: list[tuple[str, object]] = []
    blocks += [("para", p) for p in (paragraphs(own["mo_dau"]) if own.get("mo_dau")
                                     else generated["mo_dau"])]
    numerals = iter(ROMAN)
    blocks += [("heading", f"{next(numerals)}. KẾT QUẢ THỰC HIỆN"),
               ("heading", "1. Tình hình chung")]
    blocks += [("para", p) for p in generated["ket_qua"]]
    coverage = coverage_sentence(ctx, report)
    if coverage:
        blocks.append(("para", coverage))
    blocks += [("para", p) for p in paragraphs(own.get("ket_qua", ""))]
    blocks += [("heading", "2. Các chỉ tiêu cụ thể"), ("indicators", None)]
    sub = 3
    if report["level"] == "tinh":
        blocks += [("heading", f"{sub}. Số liệu theo từng Công an xã"), ("communes", None)]
        sub += 1
    blocks += [("charts", f"{sub}. Biểu đồ")]
    for key in ("ton_tai", "phuong_huong", "kien_nghi"):
        if own.get(key):
            blocks.append(("heading", f"{next(numerals)}. {report_texts.SECTIONS[key].upper()}"))
            blocks += [("para", p) for p in paragraphs(own[key])]
    blocks.append(("closing", f"Trên đây là báo cáo kết quả phong trào toàn dân bảo vệ an "
                              f"ninh Tổ quốc {period.label} của {ctx.station.name}./."))
    return ReportContent(blocks=blocks, number=number, day=day or local_today(),
                         title=f"Báo cáo {period.label}")


__all__ = ["report_content", "generated_sections", "plausibility_warnings", "ReportContent"]
