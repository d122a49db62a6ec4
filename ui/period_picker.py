"""Choosing a reporting period from lists, with its dates shown (never typed as a code).

Kind (tháng, quý, 6 tháng, 9 tháng, năm; optionally a custom range), the year, and
the month or quarter when the kind needs one; beside them the dates the period
covers under the Nghị định 09/2019 cut-offs (“từ 15/12/2025 đến 14/03/2026”).
The codes are those of ``report --period`` (core.periods).
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QWidget

from core.errors import UserError
from core.periods import (KINDS, ROMAN, Period, code_parts, custom_period, parse_period,
                          period_code)
from core.text import format_date
from ui.widgets import DateEdit

CUSTOM = "custom"


class PeriodPicker(QWidget):
    """A period chosen as kind + year + month/quarter, its dates shown beside it."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, default: Period,
                 custom: bool = False):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.kind = QComboBox(self)
        for code, label in KINDS:
            self.kind.addItem(label, code)
        if custom:
            self.kind.addItem("Từ ngày – đến ngày", CUSTOM)
        self.kind.setToolTip("Kỳ báo cáo theo Nghị định 09/2019: từ ngày 15 tháng trước "
                             "đến ngày 14 tháng cuối kỳ")
        self.part = QComboBox(self)
        self.year = QSpinBox(self)
        self.year.setRange(2000, 2100)
        self.year.setGroupSeparatorShown(False)
        self.year.setPrefix("năm ")
        self.dates = QLabel(self)
        self.dates.setStyleSheet("color: #333;")
        self.from_label = QLabel("Từ ngày", self)
        self.date_from = DateEdit(self)
        self.to_label = QLabel("đến ngày", self)
        self.date_to = DateEdit(self)
        self.date_from.set_value(default.start.isoformat())
        self.date_to.set_value(default.end.isoformat())
        for widget in (self.kind, self.part, self.year, self.dates, self.from_label,
                       self.date_from, self.to_label, self.date_to):
            layout.addWidget(widget)
        self._part_kind = ""
        self._last: dict[str, int] = {}     # the month and the quarter last chosen
        self.set_code(f"{default.end.year}-{default.end.month:02d}")
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.part.currentIndexChanged.connect(self._changed)
        self.year.valueChanged.connect(self._changed)
        self.date_from.textChanged.connect(self._show_dates)
        self.date_to.textChanged.connect(self._show_dates)

    # -- what is chosen --------------------------------------------------------------

    def is_custom(self) -> bool:
        """True when a custom date range is chosen."""
        return self.kind.currentData() == CUSTOM

    def code(self) -> str:
        """The period's code (“2026-Q1”, “2026-03”, “2026”…); a custom range has none."""
        kind = self.kind.currentData()
        return period_code(kind, self.year.value(), self.part.currentData())

    def period(self) -> Period:
        """The chosen period (a custom range raises UserError when its dates are wrong)."""
        if self.is_custom():
            return custom_period(self.date_from.text(), self.date_to.text())
        return parse_period(self.code())

    def set_code(self, code: str) -> None:
        """Choose the period of *code* (as ``report --period`` takes it)."""
        kind, year, part = code_parts(code)
        self.blockSignals(True)
        self.kind.setCurrentIndex(self.kind.findData(kind))
        self._fill_parts(kind)
        self.year.setValue(year)
        if part is not None:
            self.part.setCurrentIndex(self.part.findData(part))
        self.blockSignals(False)
        self._show_widgets()
        self._changed()

    # -- keeping the widgets in step --------------------------------------------------

    def _fill_parts(self, kind: str) -> None:
        if kind == self._part_kind:
            return
        keep = self.part.currentData()
        was = self._part_kind
        self._part_kind = kind
        self.part.blockSignals(True)
        self.part.clear()
        if kind == "month":
            for month in range(1, 13):
                self.part.addItem(f"tháng {month}", month)
        elif kind == "quarter":
            for quarter in range(1, 5):
                self.part.addItem(f"quý {ROMAN[quarter - 1]}", quarter)
        if keep is not None and was in ("month", "quarter"):
            self._last[was] = keep
        wanted = self._last.get(kind)
        if keep is not None and {was, kind} == {"month", "quarter"}:
            # a month becomes its quarter and a quarter its last month
            wanted = (keep - 1) // 3 + 1 if kind == "quarter" else keep * 3
        if wanted is not None:
            self.part.setCurrentIndex(max(0, self.part.findData(wanted)))
        self.part.blockSignals(False)

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        if kind != CUSTOM:
            self._fill_parts(kind)
        self._show_widgets()
        self._changed()

    def _show_widgets(self) -> None:
        custom = self.is_custom()
        self.part.setVisible(not custom and self._part_kind in ("month", "quarter"))
        self.year.setVisible(not custom)
        self.dates.setVisible(not custom)
        for widget in (self.from_label, self.date_from, self.to_label, self.date_to):
            widget.setVisible(custom)

    def _changed(self, *_args) -> None:
        self._show_dates()
        if not self.signalsBlocked():
            self.changed.emit()

    def _show_dates(self, *_args) -> None:
        if self.is_custom():
            return
        try:
            period = self.period()
        except UserError:               # not reachable from the lists; kept honest
            self.dates.setText("")
            return
        self.dates.setText(f"từ {format_date(period.start.isoformat())} "
                           f"đến {format_date(period.end.isoformat())}")
