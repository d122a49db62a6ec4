"""The lazy SQL table model: qtmodeltester, folded search, SQL sorting, paging."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from core import queries
from ui import table_model
from ui.table_model import SqlTableModel


@pytest.mark.parametrize("spec", list(queries.SPECS.values()), ids=lambda s: s.name)
def test_every_list_model_passes_qtmodeltester(qtmodeltester, filled, spec):
    model = SqlTableModel(filled, spec)
    model.refresh()
    assert model.rowCount() > 0
    qtmodeltester.check(model)
    model.set_search("a")
    qtmodeltester.check(model)
    model.sort(1, Qt.DescendingOrder)
    qtmodeltester.check(model)


def test_rows_load_page_by_page(filled, monkeypatch):
    monkeypatch.setattr(table_model, "PAGE", 50)
    monkeypatch.setattr(table_model, "FETCH", 1000)   # every id in the first batch
    model = SqlTableModel(filled, queries.PERSONS)
    model.refresh()
    assert model.rowCount() > 120
    assert model._rows == {}
    model.index(0, 0).data()
    assert len(model._rows) == 50
    model.index(120, 0).data()
    assert len(model._rows) == 100


def test_search_ignores_case_and_diacritics(ctx):
    from core.records import Person
    from core.services.members import save_person
    for name in ("Nguyễn Văn Đức", "Trần Thị Ánh", "Nguyễn Văn Dực"):
        save_person(ctx, Person(full_name=name))
    model = SqlTableModel(ctx, queries.PERSONS)
    model.set_search("nguyen van duc")
    names = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert sorted(names) == ["Nguyễn Văn Dực", "Nguyễn Văn Đức"]
    model.set_search("ÁNH")
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["Trần Thị Ánh"]
    model.set_search("van duc nguyen")  # any word order
    assert model.rowCount() == 2


def test_members_sorted_by_given_name_and_sorting_reruns_sql(ctx):
    from core.records import Person
    from core.services.members import save_person
    for name, born in (("Trần Văn Bình", "1980"), ("Nguyễn Thị Ánh", "1990"),
                       ("Lê An", "1970")):
        save_person(ctx, Person(full_name=name, birth_date=born))
    model = SqlTableModel(ctx, queries.PERSONS)
    model.refresh()
    names = [model.index(r, 0).data() for r in range(3)]
    assert names == ["Lê An", "Nguyễn Thị Ánh", "Trần Văn Bình"]
    model.sort(1, Qt.DescendingOrder)
    assert [model.index(r, 1).data() for r in range(3)] == ["1990", "1980", "1970"]


def test_counts_and_filters(filled):
    model = SqlTableModel(filled, queries.PERSONS)
    seen = []
    model.counts_changed.connect(lambda shown, total: seen.append((shown, total)))
    model.refresh()
    total = model.total
    model.set_filters({"role": "to_truong"})
    leaders = model.rowCount()
    assert 0 < leaders < total
    assert seen[-1] == (leaders, total)
    roles = [model.index(r, 4).data() for r in range(leaders)]
    assert all("Tổ trưởng" in r or "Chủ nhiệm" in r for r in roles)   # a câu lạc bộ's title


def test_date_range_filter_on_events(filled):
    model = SqlTableModel(filled, queries.EVENTS)
    model.refresh()
    everything = model.rowCount()
    model.set_filters({"date_from": "2026-01-01", "date_to": "2026-06-30"})
    dates = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert 0 < len(dates) < everything
    assert all(d[3:5] <= "06" and d.endswith("/2026") for d in dates)


def test_ids_are_fetched_in_batches_and_counted_after(filled, monkeypatch, qtbot):
    monkeypatch.setattr(table_model, "FETCH", 50)
    every = queries.list_ids(filled.db, queries.PERSONS)
    assert len(every) > 120
    model = SqlTableModel(filled, queries.PERSONS)
    seen = []
    model.counts_changed.connect(lambda shown, total: seen.append((shown, total)))
    model.refresh()
    assert model.rowCount() == 50 and model.canFetchMore()
    assert seen == [(-1, -1)]                      # counted once the first batch is shown
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=2000)
    assert seen[1] == (len(every), len(every))
    model.fetchMore()
    assert model.rowCount() == 100
    assert [model.id_at(r) for r in range(100)] == every[:100]
    assert model.locate(every[-1]) == len(every) - 1   # fetches until found
    assert not model.canFetchMore() and model.rowCount() == len(every)
    model.set_search("zzzz-nothing")
    assert model.rowCount() == 0 and seen[-1] == (0, len(every))  # short batch: known at once


def test_count_runs_in_a_worker_and_a_stale_count_is_dropped(filled, monkeypatch, qtbot):
    from ui import tasks
    monkeypatch.setattr(table_model, "FETCH", 50)
    every = queries.list_ids(filled.db, queries.PERSONS)
    wanted = queries.count_ids(filled.db, queries.PERSONS, search="n")
    assert wanted >= 50                      # the search's first batch is full: counted later
    workers = []
    monkeypatch.setattr(tasks, "start", workers.append)   # held until the test runs them
    model = SqlTableModel(filled, queries.PERSONS)
    seen = []
    model.counts_changed.connect(lambda shown, total: seen.append((shown, total)))
    model.refresh()
    qtbot.waitUntil(lambda: len(workers) == 1, timeout=2000)
    assert seen == [(-1, -1)]                # handed to a worker, not counted here
    model.set_search("n")
    workers[0].run()                         # the count of the old query comes back late
    qtbot.wait(50)
    assert (len(every), len(every)) not in seen and seen[-1] == (-1, -1)
    qtbot.waitUntil(lambda: len(workers) == 2, timeout=2000)
    workers[1].run()
    qtbot.waitUntil(lambda: seen[-1] != (-1, -1), timeout=2000)
    assert seen[-1] == (wanted, len(every))
