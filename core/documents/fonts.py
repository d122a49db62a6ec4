"""The document font family (Liberation Serif, Times-metric), registered once.

Every canvas and document passes ``initialFontName`` so that reportlab never
references a base-14 font: all PDFs embed subset TrueType fonts only.
"""
from __future__ import annotations

import threading

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from core.errors import UserError
from core.resources import resource_path

REGULAR = "LiberationSerif"
BOLD = "LiberationSerif-Bold"
ITALIC = "LiberationSerif-Italic"
BOLD_ITALIC = "LiberationSerif-BoldItalic"

_FILES = {REGULAR: "LiberationSerif-Regular.ttf", BOLD: "LiberationSerif-Bold.ttf",
          ITALIC: "LiberationSerif-Italic.ttf", BOLD_ITALIC: "LiberationSerif-BoldItalic.ttf"}
_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register the family with reportlab (idempotent, thread-safe, cheap after the first call)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for name, filename in _FILES.items():
            path = resource_path(f"fonts/{filename}")
            try:
                pdfmetrics.registerFont(TTFont(name, str(path)))
            except OSError as exc:
                raise UserError(f"Thiếu tệp phông chữ {path} ({exc}); hãy cài đặt lại "
                                "chương trình.") from None
        pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD,
                                      italic=ITALIC, boldItalic=BOLD_ITALIC)
        for bold, italic, name in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, ITALIC),
                                   (1, 1, BOLD_ITALIC)):
            addMapping(REGULAR, bold, italic, name)
        _registered = True


def string_width(text: str, font: str, size: float) -> float:
    """Width in points of *text* set in *font* at *size*."""
    return pdfmetrics.stringWidth(text, font, size)
