"""The core stays Qt-free, so it can run headless and be tested without a screen."""
from __future__ import annotations

import pkgutil
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_module_in_core_imports_pyside6():
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "core").rglob("*.py")
                 if re.search(r"^\s*(from|import)\s+PySide6", p.read_text("utf-8"), re.M)]
    assert offenders == []


def test_importing_every_core_module_loads_no_qt():
    import core
    names = [m.name for m in pkgutil.walk_packages(core.__path__, "core.")]
    code = ("import importlib, sys\n"
            f"for name in {names!r}: importlib.import_module(name)\n"
            "print(sorted(m for m in sys.modules if m.startswith('PySide6')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    assert len(names) > 10
