"""The periodic report as an official document (ND 30/2020 layout)."""
from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Spacer, Table, TableStyle

from core.activity import local_today
from core.documents import charts
from core.documents.common import (build_official, grid_style, header_block, official_settings,
                                   para, rule, signature_block, styles)
from core.documents.report_content import (ReportContent, commune_names, generated_sections,
                                           report_content)
from core.documents.indicators import COMMUNE_COLUMNS, indicator_rows, value_of
from core.files import atomic_path
from core.periods import Period
from core.repos.models import model_types
from core.report import build_report
from core.station import Context
from core.text import format_date, format_number


def narrative(report: dict, station_name: str) -> list[str]:
    """The generated body paragraphs with the key figures of the period."""
    sections = generated_sections(report, station_name)
    return sections["mo_dau"] + sections["ket_qua"]


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
    """One row per commune with the main indicators, and a total row."""
    small = {k: v.clone(k + "_small", fontSize=10, leading=12) for k, v in st.items()
             if k.startswith("cell")}
    head = [para("STT", small["cell_head"]), para("Công an xã", small["cell_head"])]
    head += [para(label, small["cell_head"]) for _, _, label in COMMUNE_COLUMNS]
    data = [head]
    totals = [0] * len(COMMUNE_COLUMNS)
    for i, (code, ind) in enumerate(by_commune.items(), 1):
        values = [value_of(ind, key, sub) for key, sub, _ in COMMUNE_COLUMNS]
        totals = [a + b for a, b in zip(totals, values)]
        data.append([str(i), para((names or {}).get(code, code), small["cell"])] + [format_number(v) for v in values])
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


def _charts(ctx: Context, period: Period, report: dict, types, heading: str, st: dict) -> list:
    """The graphs (models by type, events by month), when there is anything to draw."""
    ind = report["indicators"]
    models = [(types.label(c), n) for c, n in ind["models_by_type"].items() if n]
    owners = list(report["by_commune"]) if report["level"] == "tinh" else [ctx.station.code]
    months = charts.events_by_month(ctx, period, owners)
    graphs = []
    if models:
        graphs.append(charts.horizontal_bars("Số mô hình theo loại", models))
    if any(n for _, n in months):
        graphs.append(charts.vertical_bars("Số sự kiện, hoạt động theo tháng", months))
    if not graphs:
        return []
    return [KeepTogether([para(heading, st["heading"]), graphs[0]]),
            Spacer(1, 4 * mm)] + graphs[1:]


def report_story(ctx: Context, period: Period, report: dict, content: ReportContent) -> list:
    """Every flowable of the report, top to bottom."""
    st = styles()
    cfg = official_settings(ctx, "BC", number=content.number)
    types = model_types(ctx.db)
    story = [header_block(st, cfg, content.day), para("BÁO CÁO", st["type"]),
             para("Kết quả phong trào toàn dân bảo vệ an ninh Tổ quốc", st["subject"]),
             para(period.label[:1].upper() + period.label[1:], st["subject"]), rule(40),
             Spacer(1, 4 * mm)]
    for kind, value in content.blocks:
        if kind == "para":
            story.append(para(value, st["body"]))
        elif kind == "heading":
            story.append(para(value, st["heading"]))
        elif kind == "indicators":
            story.append(indicator_table(st, report["indicators"], types))
        elif kind == "communes":
            story[-1:] = [CondPageBreak(60 * mm), story[-1],
                          commune_table(st, report.get("by_commune", {}), commune_names(ctx))]
        elif kind == "charts":
            story += _charts(ctx, period, report, types, value, st)
        elif kind == "closing":
            story += [Spacer(1, 3 * mm),
                      KeepTogether([para(value, st["body"]), signature_block(st, cfg)])]
    return story


def report_pdf(ctx: Context, period: Period, out, *, today: dt.date | None = None,
               number: str | None = None, report: dict | None = None) -> tuple[str, int]:
    """Write the periodic report PDF to *out*; return (path, page count).

    *today* / *number* are this document's date and number; without them the ones
    kept with the period's report are used (else today, and a blank number).
    """
    report = report if report is not None else build_report(ctx, period)
    content = report_content(ctx, period, report, number=number, day=today)
    story = report_story(ctx, period, report, content)
    with atomic_path(out) as temp:
        pages = build_official(temp, story, title=content.title, author=ctx.station.name)
    return str(out), pages


__all__ = ["report_pdf", "narrative"]
