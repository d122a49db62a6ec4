"""The periodic report as an official document (ND 30/2020 layout)."""
from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Spacer, Table, TableStyle

from core.activity import local_today
from core.documents import charts
from core.documents.common import (build_official, grid_style, header_block, official_settings,
                                   para, rule, signature_block, styles)
from core.documents.indicators import COMMUNE_COLUMNS, indicator_rows, value_of
from core.files import atomic_path
from core.periods import Period
from core.repos.models import model_types
from core.report import build_report
from core.station import Context
from core.text import format_date, format_number


def narrative(report: dict, station_name: str) -> list[str]:
    """The body paragraphs with the key figures of the period."""
    ind, period = report["indicators"], report["period"]
    n = format_number
    res = ind["results"]
    first = (f"Thực hiện chế độ báo cáo định kỳ, {station_name} báo cáo kết quả phong trào "
             f"toàn dân bảo vệ an ninh Tổ quốc {period['label']} (từ ngày "
             f"{format_date(period['from'])} đến ngày {format_date(period['to'])}) như sau:")
    stock = (f"Tính đến ngày {format_date(period['to'])}, toàn {('tỉnh' if report['level'] == 'tinh' else 'địa bàn')} "
             f"có {n(ind['units_total'])} đơn vị, địa bàn, trong đó "
             f"{n(ind['units_by_type'].get('khu_dan_cu', 0))} khu dân cư; "
             f"{n(ind['khu_dan_cu_safe'])} khu dân cư và {n(ind['cqdnnt_safe'])} cơ quan, doanh "
             f"nghiệp, nhà trường được công nhận đạt tiêu chuẩn “An toàn về an ninh, trật tự” "
             f"năm {period['to'][:4]}. Có {n(ind['models_total'])} mô hình đang hoạt động "
             f"({n(ind['models_effective'])} mô hình hoạt động hiệu quả, "
             f"{n(ind['models_advanced'])} mô hình điển hình tiên tiến) với "
             f"{n(ind['members_total'])} người tham gia.")
    flow = (f"Trong kỳ, đã tổ chức {n(ind['events_total'])} sự kiện, hoạt động với "
            f"{n(ind['participants_total'])} lượt người tham gia; quần chúng cung cấp "
            f"{n(res.get('tin_bao', 0))} tin báo, tố giác, trong đó "
            f"{n(res.get('tin_bao_gia_tri', 0))} tin có giá trị, giúp làm rõ "
            f"{n(res.get('vu_viec_lam_ro', 0))} vụ việc; hòa giải thành "
            f"{n(res.get('hoa_giai_thanh', 0))}/{n(res.get('hoa_giai', 0))} vụ; khen thưởng "
            f"{n(ind['commendations_individual'])} cá nhân và "
            f"{n(ind['commendations_collective'])} tập thể.")
    return [first, stock, flow]


def indicator_table(st: dict, ind: dict, types) -> Table:
    """STT / Chỉ tiêu / Số lượng for every indicator."""
    data = [[para("STT", st["cell_head"]), para("Chỉ tiêu", st["cell_head"]),
             para("Số lượng", st["cell_head"])]]
    commands = grid_style()
    for row in indicator_rows(ind, types):
        r = len(data)
        if row.value is None:
            data.append([para(row.number, st["cell_head"]), para(row.label, st["cell_bold"]), ""])
            commands.append(("SPAN", (1, r), (2, r)))
            continue
        label_style = st["cell"] if row.level == 2 else st["cell_bold"]
        indent = "    – " if row.level == 2 else ""
        data.append([para(row.number, st["cell_center"]), para(indent + row.label, label_style),
                     para(format_number(value_of(ind, row.key, row.sub)), st["cell_right"])])
    table = Table(data, colWidths=[14 * mm, 121 * mm, 30 * mm], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


def commune_table(st: dict, by_commune: dict[str, dict],
                  names: dict[str, str] | None = None) -> Table:
    """One row per commune (by name) with the main indicators, and a total row."""
    names = names or {}
    small = {k: v.clone(k + "_small", fontSize=10, leading=12) for k, v in st.items()
             if k.startswith("cell")}
    head = [para("STT", small["cell_head"]), para("Công an xã", small["cell_head"])]
    head += [para(label, small["cell_head"]) for _, _, label in COMMUNE_COLUMNS]
    data = [head]
    totals = [0] * len(COMMUNE_COLUMNS)
    for i, (code, ind) in enumerate(by_commune.items(), 1):
        values = [value_of(ind, key, sub) for key, sub, _ in COMMUNE_COLUMNS]
        totals = [a + b for a, b in zip(totals, values)]
        data.append([str(i), para(names.get(code, code), small["cell"])]
                    + [format_number(v) for v in values])
    data.append(["", para("Tổng cộng", small["cell_bold"])] + [format_number(v) for v in totals])
    commands = grid_style() + [("FONTNAME", (0, 1), (-1, -1), st["cell"].fontName),
                               ("FONTSIZE", (0, 1), (-1, -1), 10),
                               ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
                               ("ALIGN", (0, 1), (0, -1), "CENTER"),
                               ("FONTNAME", (2, -1), (-1, -1), st["cell_bold"].fontName)]
    widths = [11 * mm, 28 * mm] + [126 * mm / len(COMMUNE_COLUMNS)] * len(COMMUNE_COLUMNS)
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


def report_story(ctx: Context, period: Period, report: dict, today: dt.date) -> list:
    """Every flowable of the report, top to bottom."""
    st = styles()
    cfg = official_settings(ctx, "BC")
    types = model_types(ctx.db)
    ind = report["indicators"]
    body = narrative(report, ctx.station.name)
    story = [header_block(st, cfg, today), para("BÁO CÁO", st["type"]),
             para("Kết quả phong trào toàn dân bảo vệ an ninh Tổ quốc", st["subject"]),
             para(period.label[:1].upper() + period.label[1:], st["subject"]), rule(40),
             Spacer(1, 4 * mm), para(body[0], st["body"]),
             para("1. Tình hình chung", st["heading"]), para(body[1], st["body"]),
             para(body[2], st["body"]),
             para("2. Các chỉ tiêu cụ thể", st["heading"]), indicator_table(st, ind, types)]
    if report["level"] == "tinh":
        story += [CondPageBreak(60 * mm),
                  para("3. Số liệu theo từng Công an xã", st["heading"]),
                  commune_table(st, report.get("by_commune", {}),
                                report.get("commune_names"))]
    models = [(types.label(c), n) for c, n in ind["models_by_type"].items() if n]
    owners = list(report["by_commune"]) if report["level"] == "tinh" else [ctx.station.code]
    months = charts.events_by_month(ctx, period, owners)
    number = "4" if report["level"] == "tinh" else "3"
    graphs = []
    if models:
        graphs.append(charts.horizontal_bars("Số mô hình theo loại", models))
    if any(n for _, n in months):
        graphs.append(charts.vertical_bars("Số sự kiện, hoạt động theo tháng", months))
    if graphs:
        story += [KeepTogether([para(f"{number}. Biểu đồ", st["heading"]), graphs[0]])]
        story += [Spacer(1, 4 * mm)] + graphs[1:]
    closing = para(f"Trên đây là báo cáo kết quả phong trào toàn dân bảo vệ an ninh Tổ quốc "
                   f"{period.label} của {ctx.station.name}./.", st["body"])
    story += [Spacer(1, 3 * mm), KeepTogether([closing, signature_block(st, cfg)])]
    return story


def report_pdf(ctx: Context, period: Period, out, *, today: dt.date | None = None) -> tuple[str, int]:
    """Write the periodic report PDF to *out*; return (path, page count)."""
    report = build_report(ctx, period)
    story = report_story(ctx, period, report, today or local_today())
    with atomic_path(out) as temp:
        pages = build_official(temp, story, title=f"Báo cáo {period.label}",
                               author=ctx.station.name)
    return str(out), pages


__all__ = ["report_pdf", "narrative"]
