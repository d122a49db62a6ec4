"""Tổng quan and Báo cáo: the report's figures, computed off the UI thread."""
from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QPainter, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QGroupBox, QHBoxLayout, QHeaderView,
                               QLabel, QPushButton, QSplitter, QTreeView,
                               QVBoxLayout, QWidget)

from core.catalog import (COMMENDATION_FORMS, EVENT_TYPES, RESULT_TYPES, REPORT_ROLES, UNIT_TYPES,
                          Catalog)
from core.periods import Period, current_month, parse_period
from core.repos.models import model_types
from core.station import Context
from core.text import format_date, format_number
from ui import jobs
from ui.lazy_qt import Qt  # the real Qt namespace is built on first use
from ui.period_picker import PeriodPicker

if TYPE_CHECKING:   # QtCharts loads when the first chart is drawn, not at window start
    from PySide6.QtCharts import QAbstractBarSeries, QChartView, QValueAxis


FIRST_FIGURES_MS = 100   # the overview's figures start after the window's first paint


def overview_at(ctx: Context, periods: list[Period],
                with_desk: bool = True) -> tuple[list[dict], Catalog, dict]:
    """Reports of several periods, the model types that label them and the desk (worker).

    The desk is the province's communes for the first period (see
    core.exchange.desk), or at a commune its cut-off day and this period's file.
    """
    from core.exchange import desk
    from core.report import build_report  # loaded off the UI thread, not at window start
    reports = [build_report(ctx, p) for p in periods]
    if not with_desk:
        extra = {}
    elif ctx.station.level == "tinh":
        extra = {"desk": desk.province_desk(ctx, periods[0],
                                            reports[0].get("by_commune", {}))}
    else:
        extra = {"commune": desk.commune_desk(ctx, periods[0])}
    return reports, model_types(ctx.db), extra


LABELS = {
    "units_total": "Tổng số đơn vị", "units_by_type": "Đơn vị theo loại",
    "khu_dan_cu_registered": "Khu dân cư đăng ký “An toàn về ANTT”",
    "khu_dan_cu_safe": "Khu dân cư được công nhận “An toàn về ANTT”",
    "cqdnnt_registered": "Cơ quan, doanh nghiệp, nhà trường đăng ký",
    "cqdnnt_safe": "Cơ quan, doanh nghiệp, nhà trường được công nhận",
    "models_total": "Tổng số mô hình đang hoạt động",
    "models_by_type": "Mô hình đang hoạt động theo loại",
    "models_effective": "Mô hình hoạt động hiệu quả",
    "models_advanced": "Mô hình điển hình tiên tiến",
    "members_total": "Số người đang tham gia mô hình",
    "memberships_total": "Số lượt đang tham gia mô hình",
    "members_by_role": "Thành viên đang tham gia theo chức vụ",
    "events_by_type": "Sự kiện theo loại", "events_total": "Tổng số sự kiện",
    "participants_total": "Lượt người tham gia sự kiện",
    "results": "Kết quả", "commendations_by_form": "Khen thưởng theo hình thức",
    "commendations_individual": "Khen thưởng cá nhân",
    "commendations_collective": "Khen thưởng tập thể",
}


def catalog_for(key: str, types: Catalog) -> Catalog | None:
    """The catalogue that labels the sub-keys of an indicator."""
    return {"units_by_type": UNIT_TYPES, "models_by_type": types, "members_by_role": REPORT_ROLES,
            "events_by_type": EVENT_TYPES, "results": RESULT_TYPES,
            "commendations_by_form": COMMENDATION_FORMS}.get(key)


class OverviewPage(QWidget):
    """The figures of the current month and year with two charts."""

    title = "Tổng quan"
    tables = frozenset({"units", "unit_years", "models", "model_units", "persons",
                        "memberships", "events", "results", "commendations"})

    def __init__(self, window):
        super().__init__(window)
        self.window_ = window
        self.ctx = window.ctx
        layout = QVBoxLayout(self)
        self.heading = QLabel(f"{self.ctx.station.display_name} — đang tính số liệu…", self)
        self.heading.setStyleSheet("font-size: 16px; font-weight: bold;")
        layout.addWidget(self.heading)
        cards = QHBoxLayout()
        self.cards: dict[str, QLabel] = {}
        # the report's stock figures: active models and members only (core.activity),
        # so fewer than the lists, which show every record: the label says so
        for key, text in (("models_total", "Mô hình đang hoạt động"),
                          ("members_total", "Thành viên đang hoạt động"),
                          ("events_total", "Sự kiện trong tháng"),
                          ("participants_total", "Lượt người tham gia"),
                          ("results_total", "Kết quả trong tháng")):
            cards.addWidget(self._card(key, text))
        layout.addLayout(cards)
        province = self.ctx.station.level == "tinh"
        self.status_line = QLabel(self)          # the commune's cut-off day and file
        self.status_line.setWordWrap(True)
        self.status_line.setVisible(not province)
        layout.addWidget(self.status_line)
        # The province's desk is built when its figures arrive (after the first
        # paint: its table needs Qt's enums, see ui.lazy_qt); a line holds its place.
        self.desk = None
        self.desk_slot = QVBoxLayout()
        if province:
            self.desk_waiting = QLabel("Đang tính tình hình gửi dữ liệu của các xã…", self)
            self.desk_slot.addWidget(self.desk_waiting)
            layout.addLayout(self.desk_slot, 3)
        charts = QHBoxLayout()
        height = 190 if province else 300
        self.models_chart = ChartSlot(self, height)
        self.results_chart = ChartSlot(self, height)
        charts.addWidget(self.models_chart)
        charts.addWidget(self.results_chart)
        layout.addLayout(charts, 2 if province else 1)
        self.reports: list[dict] = []
        # The figures are computed once the window has painted (FIRST_FIGURES_MS):
        # meanwhile the cards show “…” and the charts “Đang tính số liệu…”.
        QTimer.singleShot(FIRST_FIGURES_MS, self, self.refresh)

    def _card(self, key: str, text: str) -> QGroupBox:
        box = QGroupBox(text, self)
        inner = QVBoxLayout(box)
        value = QLabel("…", box)
        # centred by the style sheet: the window's first paint needs no Qt enum (see ui.lazy_qt)
        value.setStyleSheet("font-size: 26px; font-weight: bold; color: #1a4d8f;"
                            " qproperty-alignment: AlignCenter;")
        inner.addWidget(value)
        self.cards[key] = value
        return box

    def refresh(self) -> None:
        """Recompute the figures in the background: the month and the desk, then the year.

        The year's chart comes in a second task so that the month's cards and the
        province's desk paint without waiting for it.
        """
        month = current_month()
        year = parse_period(str(month.end.year))

        def month_ready(result) -> None:
            self.show_reports(*result)
            jobs.run_on_station(
                self, self.ctx, lambda ctx, control: overview_at(ctx, [year], with_desk=False),
                needs="read", on_success=lambda found: self.show_year(found[0][0]),
                label="Đang tính số liệu…", cancellable=False, quiet=True)
        jobs.run_on_station(self, self.ctx, lambda ctx, control: overview_at(ctx, [month]),
                            needs="read", on_success=month_ready,
                            label="Đang tính số liệu…", cancellable=False, quiet=True)

    def _desk_panel(self):
        """The desk's panel, built on first use in place of its waiting line."""
        if self.desk is None:
            from ui.pages.desk import DeskPanel
            self.desk = DeskPanel(self, self.open_commune_lists, LABELS, catalog_for)
            self.desk_waiting.hide()
            self.desk_slot.addWidget(self.desk)
        return self.desk

    def open_commune_lists(self, code: str) -> None:
        """The drill-down's lists: the members page filtered to one commune."""
        page = self.window_.page("members")
        self.window_.tabs.setCurrentWidget(page)
        if page.owner_filter is not None:
            page.refresh()
            page.owner_filter.set_value(code)

    def show_reports(self, reports: list[dict], types: Catalog | None = None,
                     extra: dict | None = None) -> None:
        """Show the month's (and the year's) figures (unless the page closed meanwhile)."""
        if not shiboken6.isValid(self.heading):
            return
        extra = extra or {}
        if "desk" in extra:
            self._desk_panel().show_desk(extra["desk"], reports[0].get("by_commune", {}), types)
        if "commune" in extra:
            from ui.pages.desk import commune_status_text
            self.status_line.setText(commune_status_text(extra["commune"]))
        self.reports = list(reports)
        month = reports[0]
        ind = month["indicators"]
        self.heading.setText(
            f"{self.ctx.station.display_name} — số liệu {month['period']['label']} "
            f"(từ {format_date(month['period']['from'])} đến {format_date(month['period']['to'])})")
        values = dict(ind, results_total=sum(ind["results"].values()))
        for key, label in self.cards.items():
            label.setText(format_number(values[key]))
        types = types if types is not None else model_types(self.ctx.db)
        self._bars(self.models_chart, "Mô hình đang hoạt động theo loại",
                   ind["models_by_type"], types)
        if len(reports) > 1:
            self.show_year(reports[1])

    def show_year(self, year: dict) -> None:
        """The year's results chart (the second report of the overview)."""
        if not shiboken6.isValid(self.heading):
            return
        self.reports[1:] = [year]
        self._bars(self.results_chart, f"Kết quả {year['period']['label']}",
                   year["indicators"]["results"], RESULT_TYPES)

    def _bars(self, slot: "ChartSlot", title: str, counts: dict, catalog: Catalog) -> None:
        horizontal_bars(slot.view(), title,
                        [(catalog.label(code), n) for code, n in counts.items() if n])


def _short(label: str, width: int = 38) -> str:
    return label if len(label) <= width else label[:width - 1] + "…"


class ReportPage(QWidget):
    """Báo cáo: the indicators of a chosen period, two charts, PDF and Excel."""

    title = "Báo cáo"
    tables = frozenset()

    def __init__(self, window):
        super().__init__(window)
        self.window_ = window
        self.ctx = window.ctx
        layout = QVBoxLayout(self)
        # first row: the period, chosen from lists with its dates, and “Lập báo cáo”
        choose = QHBoxLayout()
        choose.addWidget(QLabel("Kỳ báo cáo:", self))
        self.period = PeriodPicker(self, default=current_month(), custom=True)
        choose.addWidget(self.period)
        # the picker's parts, under their old names (other code and tests reach them)
        self.kind, self.date_from, self.date_to = (self.period.kind, self.period.date_from,
                                                   self.period.date_to)
        self.run_button = QPushButton("Lập báo cáo", self)
        self.run_button.clicked.connect(self.run_report)
        self.date_to.returnPressed.connect(self.run_report)
        choose.addWidget(self.run_button)
        choose.addStretch(1)
        layout.addLayout(choose)
        # second row: what to do with the report
        bar = QHBoxLayout()
        self.pdf_button = QPushButton("Xem và in báo cáo (PDF)", self)
        self.pdf_button.setToolTip("Báo cáo theo mẫu Nghị định 30/2020, xem trước rồi in")
        self.pdf_button.clicked.connect(self.print_pdf)
        bar.addWidget(self.pdf_button)
        self.word_button = QPushButton("Mở bằng Word", self)
        self.word_button.setToolTip("Tạo báo cáo dạng Word (.docx) và mở bằng chương trình "
                                    "soạn thảo của máy để sửa trước khi ký")
        self.word_button.clicked.connect(self.open_word)
        bar.addWidget(self.word_button)
        self.docx_button = QPushButton("Lưu thành… (.docx)", self)
        self.docx_button.setToolTip("Lưu báo cáo thành tệp Word ở nơi anh/chị chọn")
        self.docx_button.clicked.connect(self.save_docx)
        bar.addWidget(self.docx_button)
        self.texts_button = QPushButton("Nội dung báo cáo…", self)
        self.texts_button.setToolTip("Soạn mở đầu, kết quả, tồn tại hạn chế, phương hướng "
                                     "nhiệm vụ, kiến nghị đề xuất của kỳ này")
        self.texts_button.clicked.connect(self.edit_texts)
        bar.addWidget(self.texts_button)
        self.xlsx_button = QPushButton("Xuất Excel…", self)
        self.xlsx_button.setToolTip("Lưu báo cáo thành sổ Excel rồi mở bằng chương trình bảng tính")
        self.xlsx_button.clicked.connect(self.export_xlsx)
        bar.addWidget(self.xlsx_button)
        settings_button = QPushButton("Cài đặt văn bản…", self)
        settings_button.setToolTip("Địa danh, người ký, cơ quan, số văn bản…")
        settings_button.clicked.connect(self._document_settings)
        bar.addWidget(settings_button)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.heading = QLabel("Chọn kỳ báo cáo rồi nhấn “Lập báo cáo”.", self)
        self.heading.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.heading)
        self.model = QStandardItemModel(0, 2, self)
        self.model.setHorizontalHeaderLabels(["Chỉ tiêu", "Số liệu"])
        self.view = QTreeView(self)
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.setStyleSheet("QTreeView::item { padding: 2px 0; }")
        self.view.header().setStretchLastSection(False)
        self.view.header().setSectionResizeMode(0, QHeaderView.Stretch)
        self.view.header().resizeSection(1, 100)
        splitter = QSplitter(Qt.Horizontal, self)
        splitter.addWidget(self.view)
        charts = QWidget(self)
        charts_layout = QVBoxLayout(charts)
        charts_layout.setContentsMargins(0, 0, 0, 0)
        self.models_chart = ChartSlot(self, 220, "")
        self.months_chart = ChartSlot(self, 220, "")
        charts_layout.addWidget(self.models_chart)
        charts_layout.addWidget(self.months_chart)
        splitter.addWidget(charts)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([560, 600])
        layout.addWidget(splitter, 1)
        # Kept for other additions to the bar.
        self.actions_bar = bar
        self.report: dict | None = None
        self.months: list[tuple[str, int]] = []

    def refresh(self) -> None:
        """Nothing to do: a report is computed when asked for."""

    def focus_search(self) -> None:
        """Ctrl+F: the period's kind."""
        self.period.kind.setFocus()

    def selected_period(self) -> Period:
        """The period chosen (raises UserError with a Vietnamese message)."""
        return self.period.period()

    def _period_or_error(self) -> Period | None:
        from core.errors import UserError
        from ui import dialogs
        try:
            return self.selected_period()
        except UserError as exc:
            dialogs.show_error(self, str(exc))
            return None

    def run_report(self) -> None:
        """Compute the report of the chosen period in the background."""
        period = self._period_or_error()
        if period is None:
            return
        jobs.run_on_station(self, self.ctx,
                            lambda ctx, control: report_with_months(ctx, period), needs="read",
                            on_success=lambda result: self.show_report(*result),
                            label="Đang lập báo cáo…")

    def _document_settings(self) -> None:
        from ui import printing
        printing.open_settings(self, self.ctx)

    def print_pdf(self) -> None:
        """“Xem và in báo cáo (PDF)”."""
        from ui import printing
        period = self._period_or_error()
        if period is not None:
            printing.print_report(self, self.ctx, period, self._report_of(period))

    def _report_of(self, period: Period) -> dict | None:
        """The report shown, when it is the one of *period* (for its warnings)."""
        if self.report and self.report["period"]["from"] == period.start.isoformat() \
                and self.report["period"]["to"] == period.end.isoformat():
            return self.report
        return None

    def open_word(self) -> None:
        """“Mở bằng Word”: the report as a .docx in a temp folder, opened by the system."""
        from ui import printing
        period = self._period_or_error()
        if period is not None:
            printing.report_docx_file(self, self.ctx, period, report=self._report_of(period))

    def save_docx(self) -> None:
        """“Lưu thành… (.docx)”."""
        from ui import printing
        period = self._period_or_error()
        if period is not None:
            printing.save_report_docx(self, self.ctx, period, self._report_of(period))

    def edit_texts(self) -> None:
        """“Nội dung báo cáo…”: the officer's wording of each section of this period."""
        from core.documents.report_content import generated_sections
        from core.report import build_report
        from ui.forms.report_texts import ReportTextsDialog
        period = self._period_or_error()
        if period is None:
            return
        report = self._report_of(period) or build_report(self.ctx, period)
        ReportTextsDialog(self.ctx, period, generated_sections(report, self.ctx.station.name),
                          self).exec()

    def export_xlsx(self) -> None:
        """“Xuất Excel…”."""
        from ui import printing
        period = self._period_or_error()
        if period is not None:
            printing.export_report_xlsx(self, self.ctx, period)

    def show_report(self, report: dict, months: list[tuple[str, int]] | None = None) -> None:
        """Show the indicators as a tree (figure, then its breakdown) and the charts."""
        self.report = report
        self.months = list(months or [])
        period = report["period"]
        self.heading.setText(f"{report['station']['name']} — {period['label']} "
                             f"(từ {format_date(period['from'])} đến {format_date(period['to'])})")
        self.model.removeRows(0, self.model.rowCount())
        types = model_types(self.ctx.db)
        for key, value in report["indicators"].items():
            label = QStandardItem(LABELS.get(key, key))
            if isinstance(value, dict):
                catalog = catalog_for(key, types)
                total = _number(sum(value.values()))
                for sub, n in value.items():
                    label.appendRow([QStandardItem(catalog.label(sub) if catalog else sub),
                                     _number(n)])
                self.model.appendRow([label, total])
            else:
                self.model.appendRow([label, _number(value)])
        self.view.expandAll()
        ind = report["indicators"]
        horizontal_bars(self.models_chart.view(), "Mô hình đang hoạt động theo loại",
                        [(types.label(code), n) for code, n in ind["models_by_type"].items()
                         if n])
        month_bars(self.months_chart.view(), "Sự kiện theo kỳ báo cáo tháng (15 – 14)",
                   self.months)


def report_with_months(ctx: Context, period: Period) -> tuple[dict, list[tuple[str, int]]]:
    """The report and the events per month, on a worker connection."""
    from core.documents.charts import events_by_month
    from core.report import build_report
    return build_report(ctx, period), events_by_month(ctx, period)


class ChartSlot(QWidget):
    """Room for one chart: the chart view (and QtCharts) is made when it is first drawn.

    Until then it shows *waiting* (e.g. “Đang tính số liệu…”) in grey.
    """

    def __init__(self, parent: QWidget, height: int, waiting: str = "Đang tính số liệu…"):
        super().__init__(parent)
        self.setMinimumHeight(height)
        self._view: QChartView | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._waiting = QLabel(waiting, self)
        self._waiting.setStyleSheet("color: #777; qproperty-alignment: AlignCenter;")
        layout.addWidget(self._waiting)

    def view(self) -> QChartView:
        """The chart view, made on first use."""
        if self._view is None:
            from PySide6.QtCharts import QChartView
            self._view = QChartView(self)
            self._view.setRenderHint(QPainter.Antialiasing)
            self._waiting.hide()
            self.layout().addWidget(self._view)
        return self._view

    def chart(self):
        """The chart on show (an empty one before the first is drawn)."""
        return self.view().chart()


def _labelled_series(series: QAbstractBarSeries, name: str,
                     values: list[int]) -> QAbstractBarSeries:
    """Fill a bar series with one set of *values*, each bar labelled outside its end."""
    from PySide6.QtCharts import QAbstractBarSeries, QBarSet
    bars = QBarSet(name)
    bars.setLabelColor(QColor("#222"))
    for n in values:
        bars.append(n)
    series.append(bars)
    series.setLabelsVisible(True)
    series.setLabelsPosition(QAbstractBarSeries.LabelsOutsideEnd)
    return series


def horizontal_bars(view: QChartView, title: str, shown: list[tuple[str, int]]) -> None:
    """Labelled horizontal bars (one category per row)."""
    from PySide6.QtCharts import QBarCategoryAxis, QChart, QHorizontalBarSeries
    chart = QChart()
    chart.setTitle(title if shown else f"{title}: chưa có số liệu")
    chart.legend().hide()
    if shown:
        shown = list(reversed(shown))  # Qt draws the first category at the bottom
        series = _labelled_series(QHorizontalBarSeries(), "Số lượng", [n for _, n in shown])
        chart.addSeries(series)
        axis_y = QBarCategoryAxis()
        axis_y.append([_short(label, 34) for label, _ in shown])
        axis_y.setTruncateLabels(False)
        chart.addAxis(axis_y, Qt.AlignLeft)
        series.attachAxis(axis_y)
        axis_x = count_axis(max(n for _, n in shown))
        chart.addAxis(axis_x, Qt.AlignBottom)
        series.attachAxis(axis_x)
    view.setChart(chart)


def count_axis(top: int) -> QValueAxis:
    """A value axis for counts: whole-number ticks, some room above the longest bar."""
    from PySide6.QtCharts import QValueAxis
    axis = QValueAxis()
    axis.setLabelFormat("%d")
    if top <= 8:
        axis.setRange(0, top + 1)
        axis.setTickCount(top + 2)
    else:
        axis.setRange(0, top * 1.12)
        axis.applyNiceNumbers()
    return axis


def month_bars(view: QChartView, title: str, months: list[tuple[str, int]]) -> None:
    """Columns over the months of the period."""
    from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QChart
    chart = QChart()
    chart.legend().hide()
    if not any(n for _, n in months):
        chart.setTitle(f"{title}: chưa có số liệu")
        view.setChart(chart)
        return
    chart.setTitle(title)
    series = _labelled_series(QBarSeries(), "Sự kiện", [n for _, n in months])
    chart.addSeries(series)
    axis_x = QBarCategoryAxis()
    # "12/2025" -> "12/25": thirteen months fit under the columns.
    axis_x.append([label[:3] + label[-2:] for label, _ in months])
    chart.addAxis(axis_x, Qt.AlignBottom)
    series.attachAxis(axis_x)
    axis_y = count_axis(max(n for _, n in months))
    chart.addAxis(axis_y, Qt.AlignLeft)
    series.attachAxis(axis_y)
    view.setChart(chart)


def _number(value: int) -> QStandardItem:
    item = QStandardItem(format_number(value))
    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
    return item

