"""Shared fixtures: a fresh station database per test, and Qt offscreen."""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Code that runs outside a test's own data folder (collection, a subprocess started with a
# copied environment) lands here rather than in the real user's folder; nothing may.
STRAY_HOME = Path(tempfile.mkdtemp(prefix="antq-stray-"))
os.environ["XDG_DATA_HOME"] = str(STRAY_HOME)
os.environ["LOCALAPPDATA"] = str(STRAY_HOME)
os.environ.pop("ANTQ_DATA_DIR", None)


@pytest.fixture(scope="session", autouse=True)
def _nothing_outside_the_tests_folders():
    """Every test keeps backups, logs and copies in its own folder: fail the run otherwise."""
    yield
    stray = sorted(str(p.relative_to(STRAY_HOME)) for p in STRAY_HOME.rglob("*") if p.is_file())
    shutil.rmtree(STRAY_HOME, ignore_errors=True)
    assert not stray, f"files written outside the tests' own data folders: {stray[:10]}"


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
