"""The overview says what its figures count: active models and members only."""
from __future__ import annotations

from core.queries import MODELS, PERSONS, count_all


def test_overview_cards_say_they_count_active_records(filled, qtbot, sync_tasks, messages):
    from ui.main_window import MainWindow
    win = MainWindow(filled)
    qtbot.addWidget(win)
    page = win.overview
    qtbot.waitUntil(lambda: bool(page.reports))
    titles = {key: label.parentWidget().title() for key, label in page.cards.items()}
    assert titles["models_total"] == "Mô hình đang hoạt động"
    assert titles["members_total"] == "Thành viên đang hoạt động"
    month = page.reports[0]["indicators"]
    # the lists count every record; the overview's smaller figures are labelled as active
    assert month["models_total"] <= count_all(filled.db, MODELS)
    assert month["members_total"] <= count_all(filled.db, PERSONS)
    assert "đang hoạt động" in page.models_chart.chart().title()
