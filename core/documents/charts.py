"""Bar charts for the report (reportlab.graphics, drawn in the document font)."""
from __future__ import annotations

import datetime as dt
import math

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from core.documents import fonts
from core.periods import Period, report_month, report_months
from core.station import Context

BAR = colors.Color(0.16, 0.36, 0.62)


def events_by_month(ctx: Context, period: Period, owners: list[str] | None = None) -> list[tuple[str, int]]:
    """(mm/yyyy, number of events) for every monthly period the period touches.

    Bucketed by the report's own months (core.periods.report_month: 15th to
    14th), not calendar months: an event of 28/11 counts in the December
    period, so it is drawn under 12.
    """
    where = "deleted = 0 AND date BETWEEN ? AND ?"
    params: list = [period.start.isoformat(), period.end.isoformat()]
    if owners is not None:
        where += f" AND owner IN ({', '.join('?' * len(owners))})"
        params += owners
    counts: dict[tuple[int, int], int] = {}
    # per calendar month and half (before / from the 15th): at most 26 rows
    for month, late, n in ctx.db.execute(
            f"SELECT substr(date, 1, 7), substr(date, 9, 2) >= '15', COUNT(*) FROM events"
            f" WHERE {where} GROUP BY 1, 2", params):
        key = report_month(dt.date.fromisoformat(f"{month}-{'15' if late else '01'}"))
        counts[key] = counts.get(key, 0) + n
    return [(f"{month:02d}/{year}", counts.get((year, month), 0))
            for year, month in report_months(period)]


def _style_axis_labels(chart) -> None:
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = fonts.REGULAR
        axis.labels.fontSize = 9
    chart.barLabels.fontName = fonts.REGULAR
    chart.barLabels.fontSize = 8


def _title(drawing: Drawing, title: str, width: float, height: float) -> None:
    drawing.add(String(width / 2, height - 12, title, fontName=fonts.BOLD, fontSize=11,
                       textAnchor="middle"))


def horizontal_bars(title: str, items: list[tuple[str, int]], width: float = 165 * mm) -> Drawing:
    """A horizontal bar chart of labelled counts (e.g. models by type)."""
    fonts.register_fonts()
    height = 28 + 15 * max(len(items), 1)
    drawing = Drawing(width, height)
    drawing.initialFontName = fonts.REGULAR
    _title(drawing, title, width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 72 * mm, 14
    chart.width, chart.height = width - chart.x - 10 * mm, height - 34
    chart.data = [[n for _, n in reversed(items)] or [0]]
    chart.categoryAxis.categoryNames = [label for label, _ in reversed(items)] or [""]
    chart.valueAxis.valueMin = 0
    chart.valueAxis.forceZero = 1
    chart.bars[0].fillColor = BAR
    chart.barLabelFormat = "%d"
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    _style_axis_labels(chart)
    chart.valueAxis.visible = 0
    drawing.add(chart)
    return drawing


def vertical_bars(title: str, items: list[tuple[str, int]], width: float = 165 * mm,
                  height: float = 62 * mm) -> Drawing:
    """A column chart of counts over time (e.g. events by month)."""
    fonts.register_fonts()
    drawing = Drawing(width, height)
    drawing.initialFontName = fonts.REGULAR
    _title(drawing, title, width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 30
    chart.width, chart.height = width - 16 * mm, height - 62
    chart.data = [[n for _, n in items] or [0]]
    chart.categoryAxis.categoryNames = [label for label, _ in items] or [""]
    chart.categoryAxis.labels.angle = 30 if len(items) > 8 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(items) > 8 else "n"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.forceZero = 1
    top = max([n for _, n in items] + [1])
    chart.valueAxis.valueStep = max(1, math.ceil(top / 5))
    chart.valueAxis.valueMax = chart.valueAxis.valueStep * math.ceil(top / chart.valueAxis.valueStep)
    chart.valueAxis.labelTextFormat = "%d"
    chart.bars[0].fillColor = BAR
    chart.barLabelFormat = "%d"
    chart.barLabels.boxAnchor = "s"
    chart.barLabels.dy = 2
    _style_axis_labels(chart)
    drawing.add(chart)
    return drawing
