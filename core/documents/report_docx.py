"""The periodic report as an editable Word document (same blocks as the PDF)."""
from __future__ import annotations

import datetime as dt

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from core.documents import charts
from core.documents.docx_common import (CENTER, JUSTIFY, RIGHT, add_text, docx_text,
                                        header_block, new_document, set_widths,
                                        signature_block)
from core.documents.indicators import COMMUNE_COLUMNS, indicator_rows, value_of
from core.documents.report_content import commune_names, report_content
from core.documents.settings import official_settings
from core.files import atomic_path
from core.periods import Period
from core.repos.models import model_types
from core.report import build_report
from core.station import Context
from core.text import format_number


def _grid(doc, rows: int, widths_mm: list[float]):
    """A bordered table (Word's "Table Grid") with fixed column widths."""
    table = doc.add_table(rows=rows, cols=len(widths_mm))
    table.style = "Table Grid"
    set_widths(table, widths_mm)
    margins = OxmlElement("w:tblCellMar")      # 1 mm each side: narrow columns stay whole
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), "57")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)
    return table


def _cell(cell, value: str, *, size: float = 12, bold: bool = False, align=None) -> None:
    paragraph = cell.paragraphs[0]
    if align is not None:
        paragraph.alignment = align
    run = paragraph.add_run(docx_text(value))
    run.font.size, run.font.bold = Pt(size), bold


def _repeat_header(row) -> None:
    """The table's first row repeats on every page it runs onto."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _keep_together(table) -> None:
    """A small table stays on one page with the heading before it (Word and LibreOffice
    keep a paragraph with the next one; every row but the last is kept with the next)."""
    for row in table.rows[:-1]:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def indicator_table(doc, ind: dict, types) -> None:
    """STT / Chỉ tiêu / Số lượng for every indicator (the very rows of the PDF)."""
    rows = list(indicator_rows(ind, types))
    table = _grid(doc, len(rows) + 1, [14, 121, 30])
    for cell, head in zip(table.rows[0].cells, ("STT", "Chỉ tiêu", "Số lượng")):
        _cell(cell, head, bold=True, align=CENTER)
    _repeat_header(table.rows[0])
    for row, cells in zip(rows, table.rows[1:]):
        _cell(cells.cells[0], row.number, bold=row.value is None, align=CENTER)
        if row.value is None:
            merged = cells.cells[1].merge(cells.cells[2])
            _cell(merged, row.label, bold=True)
            continue
        label = ("    – " + row.label) if row.level == 2 else row.label
        _cell(cells.cells[1], label, bold=row.level != 2)
        _cell(cells.cells[2], format_number(value_of(ind, row.key, row.sub)), align=RIGHT)


def commune_table(doc, by_commune: dict[str, dict], names: dict[str, str]) -> None:
    """One row per commune (its name) with the main indicators, and a total row."""
    widths = [11, 28] + [126 / len(COMMUNE_COLUMNS)] * len(COMMUNE_COLUMNS)
    table = _grid(doc, len(by_commune) + 2, widths)
    heads = ["STT", "Công an xã"] + [label for _, _, label in COMMUNE_COLUMNS]
    for cell, head in zip(table.rows[0].cells, heads):
        _cell(cell, head, size=10, bold=True, align=CENTER)
    _repeat_header(table.rows[0])
    totals = [0] * len(COMMUNE_COLUMNS)
    for i, (code, ind) in enumerate(by_commune.items(), 1):
        values = [value_of(ind, key, sub) for key, sub, _ in COMMUNE_COLUMNS]
        totals = [a + b for a, b in zip(totals, values)]
        cells = table.rows[i].cells
        _cell(cells[0], str(i), size=10, align=CENTER)
        _cell(cells[1], names.get(code, code), size=10)
        for cell, value in zip(cells[2:], values):
            _cell(cell, format_number(value), size=10, align=RIGHT)
    last = table.rows[-1].cells
    _cell(last[1], "Tổng cộng", size=10, bold=True)
    for cell, value in zip(last[2:], totals):
        _cell(cell, format_number(value), size=10, bold=True, align=RIGHT)


def add_charts(doc, ctx: Context, period: Period, report: dict, types, heading: str) -> None:
    """The figures of the PDF's graphs as small tables (models by type, events by month).

    reportlab draws bitmaps only with a cairo backend the program does not ship;
    a table of the same figures stays editable in Word.
    """
    ind = report["indicators"]
    models = [(types.label(c), n) for c, n in ind["models_by_type"].items() if n]
    owners = list(report["by_commune"]) if report["level"] == "tinh" else [ctx.station.code]
    months = [(label, n) for label, n in charts.events_by_month(ctx, period, owners) if n]
    if not models and not months:
        return
    add_text(doc, heading.replace("Biểu đồ", "Số liệu theo loại mô hình và theo tháng"),
             bold=True, before=6, after=4, keep_next=True)
    for title, pairs in (("Loại mô hình", models), ("Tháng", months)):
        if not pairs:
            continue
        table = _grid(doc, len(pairs) + 1, [120, 45])
        _cell(table.rows[0].cells[0], title, bold=True, align=CENTER)
        _cell(table.rows[0].cells[1], "Số mô hình" if pairs is models else "Số sự kiện",
              bold=True, align=CENTER)
        for row, (label, count) in zip(table.rows[1:], pairs):
            _cell(row.cells[0], label)
            _cell(row.cells[1], format_number(count), align=RIGHT)
        _repeat_header(table.rows[0])
        if len(pairs) <= 15:
            _keep_together(table)
        add_text(doc, "", size=6)


def build_document(ctx: Context, period: Period, report: dict, *, number: str | None,
                   day: dt.date | None):
    """The report as a python-docx Document."""
    content = report_content(ctx, period, report, number=number, day=day)
    cfg = official_settings(ctx, "BC", number=content.number)
    types = model_types(ctx.db)
    doc = new_document(title=content.title, author=ctx.station.name)
    header_block(doc, cfg, content.day)
    add_text(doc, "BÁO CÁO", bold=True, align=CENTER, before=14)
    add_text(doc, "Kết quả phong trào toàn dân bảo vệ an ninh Tổ quốc", bold=True, align=CENTER)
    add_text(doc, period.label[:1].upper() + period.label[1:], bold=True, align=CENTER,
             after=12)
    for kind, value in content.blocks:
        if kind == "para":
            add_text(doc, value, align=JUSTIFY, indent_mm=10, after=6)
        elif kind == "heading":
            add_text(doc, value, bold=True, before=6, after=4, keep_next=True)
        elif kind == "indicators":
            indicator_table(doc, report["indicators"], types)
        elif kind == "communes":
            commune_table(doc, report.get("by_commune", {}), commune_names(ctx))
        elif kind == "charts":
            add_charts(doc, ctx, period, report, types, value)
        elif kind == "closing":
            add_text(doc, value, align=JUSTIFY, indent_mm=10, before=6, keep_next=True)
            signature_block(doc, cfg)
    return doc


def report_docx(ctx: Context, period: Period, out, *, today: dt.date | None = None,
                number: str | None = None, report: dict | None = None) -> str:
    """Write the periodic report as a Word file to *out*; return its path."""
    report = report if report is not None else build_report(ctx, period)
    doc = build_document(ctx, period, report, number=number, day=today)
    with atomic_path(out) as temp:
        doc.save(temp)
    return str(out)


__all__ = ["report_docx", "build_document"]
