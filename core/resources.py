"""Where the program's bundled files (fonts, icons) are, from source or a bundle."""
from __future__ import annotations

import sys
from pathlib import Path

_SOURCE_ROOT = Path(__file__).resolve().parent.parent


def resource_root() -> Path:
    """The folder holding ``resources/``: PyInstaller's _MEIPASS, else the source tree."""
    bundle = getattr(sys, "_MEIPASS", None)
    return Path(bundle) if bundle else _SOURCE_ROOT


def resource_path(relative: str) -> Path:
    """The absolute path of ``resources/<relative>``."""
    return resource_root() / "resources" / relative
