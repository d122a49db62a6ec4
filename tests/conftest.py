"""Shared fixtures: a fresh station database per test, and Qt offscreen."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(autouse=True)
def _data_dir(tmp_path_factory, monkeypatch):
    """Keep logs, backups and the default database out of the user's folder."""
    monkeypatch.setenv("ANTQ_DATA_DIR", str(tmp_path_factory.mktemp("data")))


@pytest.fixture
def ctx(tmp_path):
    """A freshly initialised commune station."""
    from core.station import init_station
    context = init_station(tmp_path / "station.sqlite3", level="xa", code="X01",
                           name="Công an xã Hòa Bình")
    yield context
    context.close()
