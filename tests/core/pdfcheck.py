"""Reading produced PDFs back: text, page sizes, fonts, leftmost text position."""
from __future__ import annotations

import unicodedata

from pypdf import PdfReader

MM = 72 / 25.4


def text_of(path) -> str:
    """All text of the PDF, NFC, with runs of white space collapsed."""
    reader = PdfReader(str(path))
    raw = "\n".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", raw).split())


def page_sizes_mm(path) -> list[tuple[int, int]]:
    """(width, height) of every page in whole millimetres."""
    reader = PdfReader(str(path))
    return [(round(float(p.mediabox.width) / MM), round(float(p.mediabox.height) / MM))
            for p in reader.pages]


def fonts_of(path) -> list[tuple[str, bool]]:
    """(BaseFont, embedded as TrueType FontFile2) for every font any page uses."""
    reader = PdfReader(str(path))
    found = {}
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = bool(descriptor and "/FontFile2" in descriptor.get_object())
            found[str(font["/BaseFont"])] = embedded
    return sorted(found.items())


def leftmost_text_x(path) -> float:
    """The smallest x (points) at which any non-blank text is drawn, over all pages."""
    reader = PdfReader(str(path))
    xs: list[float] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            xs.append(tm[4] * cm[0] + tm[5] * cm[2] + cm[4])

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return min(xs)
