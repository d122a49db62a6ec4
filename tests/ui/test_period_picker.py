"""Choosing the report's period from lists, its dates shown (Nghị định 09/2019 cut-offs)."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit

from core.periods import current_month
from ui.period_picker import PeriodPicker


@pytest.fixture
def picker(qtbot):
    widget = PeriodPicker(default=current_month(), custom=True)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _choose(picker, kind, year, part=None):
    picker.kind.setCurrentIndex(picker.kind.findData(kind))
    picker.year.setValue(year)
    if part is not None:
        picker.part.setCurrentIndex(picker.part.findData(part))


def test_the_kinds_offered(picker):
    kinds = [picker.kind.itemText(i) for i in range(picker.kind.count())]
    assert kinds == ["Tháng", "Quý", "6 tháng", "9 tháng", "Năm", "Từ ngày – đến ngày"]


@pytest.mark.parametrize("kind, year, part, code, dates", [
    ("quarter", 2026, 1, "2026-Q1", "từ 15/12/2025 đến 14/03/2026"),
    ("quarter", 2026, 4, "2026-Q4", "từ 15/09/2026 đến 14/12/2026"),
    ("month", 2026, 1, "2026-01", "từ 15/12/2025 đến 14/01/2026"),
    ("6T", 2026, None, "2026-6T", "từ 15/12/2025 đến 14/06/2026"),
    ("9T", 2025, None, "2025-9T", "từ 15/12/2024 đến 14/09/2025"),
    ("year", 2026, None, "2026", "từ 15/12/2025 đến 14/12/2026")])
def test_each_choice_shows_its_dates(picker, kind, year, part, code, dates):
    _choose(picker, kind, year, part)
    assert picker.code() == code and picker.dates.text() == dates
    assert picker.part.isVisibleTo(picker) == (part is not None)


def test_a_month_becomes_its_quarter_and_back(picker):
    _choose(picker, "month", 2026, 5)
    picker.kind.setCurrentIndex(picker.kind.findData("quarter"))
    assert picker.code() == "2026-Q2"
    picker.kind.setCurrentIndex(picker.kind.findData("year"))
    picker.kind.setCurrentIndex(picker.kind.findData("quarter"))
    assert picker.code() == "2026-Q2"            # the quarter last chosen
    picker.kind.setCurrentIndex(picker.kind.findData("month"))
    assert picker.code() == "2026-06"            # its last month


def test_set_code_and_custom_range(picker):
    picker.set_code("2025-Q3")
    assert picker.kind.currentText() == "Quý" and picker.part.currentText() == "quý III"
    assert picker.year.value() == 2025
    picker.kind.setCurrentIndex(picker.kind.findData("custom"))
    assert picker.date_from.isVisibleTo(picker) and not picker.year.isVisibleTo(picker)
    picker.date_from.setText("01/01/2026")
    picker.date_to.setText("31/03/2026")
    period = picker.period()
    assert (period.start.isoformat(), period.end.isoformat()) == ("2026-01-01", "2026-03-31")


def test_report_of_a_quarter_from_the_window(window_as, qtbot, role):
    window = window_as(role)
    page = window.report
    window.tabs.setCurrentWidget(page)
    # chosen from lists: no code to type (only a custom range has date boxes)
    assert not [e for e in page.period.findChildren(QLineEdit)
                if e.isVisibleTo(page) and not isinstance(e.parent(), QAbstractSpinBox)]
    page.period.set_code("2026-Q3")
    assert page.period.dates.text() == "từ 15/06/2026 đến 14/09/2026"
    page.run_report()
    qtbot.waitUntil(lambda: page.report is not None, timeout=20000)
    assert page.report["period"]["from"] == "2026-06-15"
    assert page.report["period"]["to"] == "2026-09-14"
    assert "quý III năm 2026" in page.heading.text()
