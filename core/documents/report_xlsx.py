"""The periodic report as a workbook: indicators, details and (province) per commune.

The figures are the very numbers of ``report --format json`` (the same
build_report dict), printed with Vietnamese labels; column D holds each
indicator's key so that a program can read the sheet back.
"""
from __future__ import annotations

import datetime as dt

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.activity import model_active_sql, sql_day
from core.catalog import EVENT_TYPES, MODEL_STATUSES, RESULT_TYPES
from core.documents.report_content import commune_names
from core.documents.indicators import indicator_rows, value_of
from core.files import atomic_path
from core.periods import Period
from core.repos.models import model_types
from core.report import build_report
from core.station import Context
from core.text import format_date
from core.workbook.plain import defuse, printable

FONT = "Times New Roman"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")


def indicator_key(key: str, sub: str | None) -> str:
    """"results.tin_bao" style key of a row (column D)."""
    return f"{key}.{sub}" if sub else key


def _title(ws: Worksheet, title: str, subtitle: str, width: int) -> None:
    ws.append([title])
    ws.append([subtitle])
    for row in (1, 2):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        ws.cell(row, 1).alignment = Alignment(horizontal="center")
    ws.cell(1, 1).font = Font(name=FONT, size=14, bold=True)
    ws.cell(2, 1).font = Font(name=FONT, size=12, italic=True)
    ws.append([])


def _table(ws: Worksheet, headers: list[str], rows: list[list], widths: list[int],
           numeric: set[int] = frozenset()) -> None:
    """Header row (bold, filled, frozen) and bordered rows below it."""
    ws.append(headers)
    head = ws.max_row
    for col, _ in enumerate(headers, 1):
        cell = ws.cell(head, col)
        cell.font = Font(name=FONT, size=12, bold=True)
        cell.fill = HEAD_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for values in rows:
        ws.append([printable(v) for v in values])     # an older value may be unprintable
        for col in range(1, len(headers) + 1):
            cell = ws.cell(ws.max_row, col)
            cell.font = Font(name=FONT, size=12)
            cell.border = BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=col - 1 not in numeric)
            if col - 1 in numeric:
                cell.number_format = "#,##0"
            elif isinstance(cell.value, dt.date):
                cell.number_format = "DD/MM/YYYY"   # a real date cell, shown dd/mm/yyyy
    for col, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(head + 1, 1)
    ws.print_title_rows = f"{head}:{head}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left, ws.page_margins.right = 1.18, 0.59


def indicators_sheet(ws: Worksheet, report: dict, types) -> None:
    """STT / Chỉ tiêu / Số lượng / Mã for every indicator."""
    ws.title = "Chỉ tiêu"
    _title(ws, "BÁO CÁO KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC",
           f"{report['station']['name']} — {report['period']['label']} (từ "
           f"{format_date(report['period']['from'])} đến {format_date(report['period']['to'])})", 4)
    ind = report["indicators"]
    rows, sections = [], []
    for i, row in enumerate(indicator_rows(ind, types)):
        if row.value is None:
            rows.append([row.number, row.label, None, None])
            sections.append(i)
        else:
            label = ("    – " if row.level == 2 else "") + row.label
            rows.append([row.number, label, value_of(ind, row.key, row.sub),
                         indicator_key(row.key, row.sub)])
    _table(ws, ["STT", "Chỉ tiêu", "Số lượng", "Mã chỉ tiêu"], rows, [8, 62, 14, 30], {2})
    ws.column_dimensions["D"].hidden = True   # the key, for programs reading the sheet back
    first = ws.max_row - len(rows) + 1
    for i in sections:
        for col in range(1, 5):
            ws.cell(first + i, col).font = Font(name=FONT, size=12, bold=True)
            ws.cell(first + i, col).fill = SECTION_FILL
    ws.page_setup.orientation = "portrait"


def _models(ctx: Context, owners: list[str], end: str, types) -> list[list]:
    marks = ", ".join("?" * len(owners))
    rows = ctx.db.execute(
        "SELECT name, type, status, launch_date, advanced, owner FROM models"
        f" WHERE {model_active_sql(sql_day(end))}"
        f" AND owner IN ({marks}) ORDER BY owner, name_fold", owners).fetchall()
    return [[i, name, types.label(t), MODEL_STATUSES.label(s), _day(d),
             "Có" if adv else "", owner] for i, (name, t, s, d, adv, owner) in enumerate(rows, 1)]


def _day(iso: str | None) -> dt.date | None:
    """An ISO date of the database as a date for a date cell (None stays empty)."""
    try:
        return dt.date.fromisoformat(iso) if iso else None
    except ValueError:       # a partial date kept as typed (a year alone)
        return None


def _flows(ctx: Context, table: str, owners: list[str], start: str, end: str) -> list[list]:
    marks = ", ".join("?" * len(owners))
    if table == "events":
        sql = ("SELECT date, type, title, participants, owner FROM events")
    else:
        sql = ("SELECT date, type, COALESCE(description, ''), quantity, owner FROM results")
    rows = ctx.db.execute(
        f"{sql} WHERE deleted = 0 AND date BETWEEN ? AND ? AND owner IN ({marks})"
        " ORDER BY date, rowid", [start, end, *owners]).fetchall()
    catalog = EVENT_TYPES if table == "events" else RESULT_TYPES
    return [[i, _day(d), catalog.label(t), text, n, owner]
            for i, (d, t, text, n, owner) in enumerate(rows, 1)]


def commune_sheet(ws: Worksheet, ctx: Context, report: dict, types) -> None:
    """Every indicator (rows) for every commune (columns)."""
    communes = report.get("by_commune", {})
    _title(ws, "SỐ LIỆU THEO TỪNG CÔNG AN XÃ", report["period"]["label"], 3 + len(communes))
    rows = []
    for row in indicator_rows(report["indicators"], types):
        if row.value is None:
            rows.append([row.number, row.label, None] + [None] * len(communes))
            continue
        rows.append([row.number, row.label, indicator_key(row.key, row.sub)]
                    + [value_of(ind, row.key, row.sub) for ind in communes.values()])
    names = commune_names(ctx)
    _table(ws, ["STT", "Chỉ tiêu", "Mã chỉ tiêu"] + [names.get(c, c) for c in communes], rows,
           [8, 55, 26] + [18] * len(communes), set(range(3, 3 + len(communes))))
    ws.column_dimensions["C"].hidden = True   # the key, for programs reading the sheet back
    ws.page_setup.orientation = "landscape"


def build_workbook(ctx: Context, period: Period, report: dict) -> Workbook:
    """The whole report workbook in memory."""
    types = model_types(ctx.db)
    owners = list(report.get("by_commune", {})) if report["level"] == "tinh" else [ctx.station.code]
    wb = Workbook()
    indicators_sheet(wb.active, report, types)
    if report["level"] == "tinh":
        commune_sheet(wb.create_sheet("Theo xã"), ctx, report, types)
    start, end = period.start.isoformat(), period.end.isoformat()
    details = [
        ("Mô hình", ["STT", "Tên mô hình", "Loại", "Tình trạng", "Ngày ra mắt", "Điển hình", "Mã đơn vị"],
         _models(ctx, owners, end, types), [7, 45, 30, 22, 14, 11, 12], set()),
        ("Sự kiện", ["STT", "Ngày", "Loại", "Nội dung", "Lượt người", "Mã đơn vị"],
         _flows(ctx, "events", owners, start, end), [7, 13, 28, 55, 13, 12], {4}),
        ("Kết quả", ["STT", "Ngày", "Loại", "Mô tả", "Số lượng", "Mã đơn vị"],
         _flows(ctx, "results", owners, start, end), [7, 13, 40, 45, 12, 12], {4}),
    ]
    for title, headers, rows, widths, numeric in details:
        ws = wb.create_sheet(title)
        _title(ws, title.upper(), report["period"]["label"], len(headers))
        _table(ws, headers, rows, widths, numeric)
        ws.page_setup.orientation = "landscape"
    return wb


def report_xlsx(ctx: Context, period: Period, out) -> tuple[str, int]:
    """Write the report workbook to *out*; return (path, number of sheets)."""
    report = build_report(ctx, period)
    wb = build_workbook(ctx, period, report)
    with atomic_path(out) as temp:
        defuse(wb)
        wb.save(temp)
    return str(out), len(wb.sheetnames)
