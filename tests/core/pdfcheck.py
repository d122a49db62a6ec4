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


def unembedded_fonts(path) -> list[str]:
    """Every font of the PDF without an embedded font file (FontFile, FontFile2, FontFile3).

    Walks each page's resources and, inside them, the resources of every form XObject
    (the certificates' frame is one), so a font used only there is read too. A Type0
    font is judged by its descendant's descriptor.
    """
    reader = PdfReader(str(path))
    missing: set[str] = set()
    seen: set[int] = set()

    def embedded(font) -> bool:
        if font.get("/Subtype") == "/Type0":
            font = font["/DescendantFonts"][0].get_object()
        descriptor = font.get("/FontDescriptor")
        if descriptor is None:
            return False
        descriptor = descriptor.get_object()
        return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))

    def visit(resources) -> None:
        if resources is None:
            return
        resources = resources.get_object()
        if id(resources) in seen:
            return
        seen.add(id(resources))
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            if not embedded(font):
                missing.add(str(font.get("/BaseFont")))
        for xobject in resources.get("/XObject", {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"))

    for page in reader.pages:
        visit(page.get("/Resources"))
    return sorted(missing)


def font_names(path) -> list[str]:
    """The BaseFont of every font the PDF's pages (and their form XObjects) use."""
    reader = PdfReader(str(path))
    names: set[str] = set()

    def visit(resources) -> None:
        if resources is None:
            return
        resources = resources.get_object()
        for font in resources.get("/Font", {}).values():
            names.add(str(font.get_object().get("/BaseFont")))
        for xobject in resources.get("/XObject", {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"))

    for page in reader.pages:
        visit(page.get("/Resources"))
    return sorted(names)
