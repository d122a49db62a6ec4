"""Build resources/translations/qt_vi.qm from ui/qt_vietnamese.TEXTS (run after changing them).

    .venv/bin/python scripts/make_qt_vi.py

The texts become a Qt Linguist .ts file, compiled by PySide6's lrelease. The window
loads the .qm with a plain QTranslator: Qt answers its own tr() calls from it in
C++, from any thread, without calling back into Python.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ui.qt_vietnamese import QM_PATH, TEXTS  # noqa: E402


def ts_text() -> str:
    """The Qt Linguist source of the translation."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<!DOCTYPE TS>",
             '<TS version="2.1" language="vi_VN">']
    for context in sorted(TEXTS):
        lines.append(f"<context><name>{escape(context)}</name>")
        for source, target in sorted(TEXTS[context].items()):
            lines.append(f"<message><source>{escape(source)}</source>"
                         f"<translation>{escape(target)}</translation></message>")
        lines.append("</context>")
    lines.append("</TS>")
    return "\n".join(lines) + "\n"


def lrelease() -> str:
    """PySide6's lrelease (beside the Python running this script)."""
    here = Path(sys.executable).parent
    for name in ("pyside6-lrelease", "pyside6-lrelease.exe"):
        if (here / name).exists():
            return str(here / name)
    return "pyside6-lrelease"


def build(out: Path = QM_PATH) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        ts = Path(folder) / "qt_vi.ts"
        ts.write_text(ts_text(), encoding="utf-8")
        subprocess.run([lrelease(), "-silent", str(ts), "-qm", str(out)], check=True)
    return out


if __name__ == "__main__":
    print(build())
