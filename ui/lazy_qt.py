"""``Qt`` for the modules the window loads before it first paints.

Reading PySide6's ``Qt`` namespace the first time builds its hundreds of Python
enums (about 38 ms, a third of what a bare six-tab window takes to appear), and
``from PySide6.QtCore import Qt`` reads it at import. Modules on the start-up path
import this stand-in instead: ``Qt.AlignCenter`` works as before, and the real
namespace is built the first time a value is actually used.
"""
from __future__ import annotations

from PySide6 import QtCore


class _LazyQt:
    """Forwards every attribute to ``PySide6.QtCore.Qt``, read on first use."""

    __slots__ = ()

    def __getattr__(self, name: str):
        return getattr(QtCore.Qt, name)


Qt = _LazyQt()
