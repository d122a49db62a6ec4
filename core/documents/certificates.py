"""Certificates (giấy khen, bằng khen): one A4-landscape page per commendation.

Drawn straight on the canvas for speed: the border and the fixed heading are
drawn once into a form XObject and reused on every page; fonts are registered
once. Long names and achievements shrink, then wrap, and never leave their box.
"""
from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from core.documents import fonts
from core.documents.commendations import Certificate, resolve, select
from core.documents.common import LANDSCAPE, QUOC_HIEU, TIEU_NGU, date_words
from core.files import atomic_path
from core.station import Context

WIDTH, HEIGHT = LANDSCAPE
CENTRE = WIDTH / 2
RED = colors.Color(0.72, 0.07, 0.07)
GOLD = colors.Color(0.70, 0.52, 0.12)
TEXT_WIDTH = 235 * mm
SIGN_X = WIDTH - 72 * mm
FORM_NAME = "cert_frame"


@dataclass(frozen=True)
class Offsets:
    """Shift of all text on pre-printed paper, in points."""

    x: float = 0.0
    y: float = 0.0


def fit_lines(text: str, font: str, size: float, min_size: float, width: float,
              height: float, leading: float = 1.22) -> tuple[float, list[str]]:
    """The largest size (down to *min_size*, then smaller) at which *text* fits the box.

    Prefers one line; wraps when one line would need a size below *min_size*.
    Always returns lines that fit the width; the height is met down to 5 pt.
    """
    one_line = fonts.string_width(text, font, 1)
    if one_line and one_line * min_size <= width and min_size * leading <= height:
        return min(size, width / one_line), [text]
    current = size
    while current > 5:
        lines = simpleSplit(text, font, current, width)
        if len(lines) * current * leading <= height:
            return current, lines
        current -= 0.5
    return 5, simpleSplit(text, font, 5, width)


def centred_lines(canvas: Canvas, lines: list[str], font: str, size: float, top: float,
                  leading: float = 1.22) -> float:
    """Draw centred lines downward from baseline *top*; return the next free baseline."""
    canvas.setFont(font, size)
    y = top
    for line in lines:
        canvas.drawCentredString(CENTRE, y, line)
        y -= size * leading
    return y


def draw_frame(canvas: Canvas) -> None:
    """Decorative double border with corner ornaments, Quốc hiệu and Tiêu ngữ."""
    canvas.saveState()
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(3)
    canvas.rect(9 * mm, 9 * mm, WIDTH - 18 * mm, HEIGHT - 18 * mm)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.8)
    canvas.rect(12 * mm, 12 * mm, WIDTH - 24 * mm, HEIGHT - 24 * mm)
    canvas.setLineWidth(0.4)
    canvas.rect(13.5 * mm, 13.5 * mm, WIDTH - 27 * mm, HEIGHT - 27 * mm)
    canvas.setFillColor(RED)
    for x, y in ((12, 12), (WIDTH / mm - 12, 12), (12, HEIGHT / mm - 12),
                 (WIDTH / mm - 12, HEIGHT / mm - 12)):
        _diamond(canvas, x * mm, y * mm, 5 * mm)
    step = 14 * mm
    n = int((WIDTH - 50 * mm) // step)
    start = CENTRE - (n - 1) * step / 2
    canvas.setFillColor(GOLD)
    for i in range(n):
        for y in (10.5 * mm, HEIGHT - 10.5 * mm):
            _diamond(canvas, start + i * step, y, 1.2 * mm)
    canvas.restoreState()
    canvas.setFont(fonts.BOLD, 15)
    canvas.drawCentredString(CENTRE, HEIGHT - 30 * mm, QUOC_HIEU)
    canvas.drawCentredString(CENTRE, HEIGHT - 37 * mm, TIEU_NGU)
    half = fonts.string_width(TIEU_NGU, fonts.BOLD, 15) / 2
    canvas.setLineWidth(0.7)
    canvas.line(CENTRE - half, HEIGHT - 40 * mm, CENTRE + half, HEIGHT - 40 * mm)


def _diamond(canvas: Canvas, x: float, y: float, r: float) -> None:
    path = canvas.beginPath()
    path.moveTo(x, y + r)
    path.lineTo(x + r, y)
    path.lineTo(x, y - r)
    path.lineTo(x - r, y)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)


def draw_certificate(canvas: Canvas, cert: Certificate, *, preprinted: bool = False,
                     offsets: Offsets = Offsets()) -> None:
    """One certificate page (without the shared frame)."""
    canvas.saveState()
    canvas.translate(offsets.x, offsets.y)
    size, lines = fit_lines(cert.authority_title, fonts.BOLD, 17, 12, TEXT_WIDTH, 14 * mm)
    y = centred_lines(canvas, lines, fonts.BOLD, size, HEIGHT - 50 * mm)
    if not preprinted:
        canvas.setFont(fonts.BOLD, 17)
        canvas.drawCentredString(CENTRE, min(y, HEIGHT - 57 * mm) - 3 * mm, "TẶNG")
        canvas.setFillColor(RED)
        size, lines = fit_lines(cert.form_title, fonts.BOLD, 46, 30, TEXT_WIDTH, 18 * mm)
        centred_lines(canvas, lines, fonts.BOLD, size, HEIGHT - 78 * mm)
        canvas.setFillColor(colors.black)
    canvas.setFillColor(colors.Color(0.05, 0.1, 0.45))
    size, lines = fit_lines(cert.recipient, fonts.BOLD_ITALIC, 28, 18, TEXT_WIDTH, 22 * mm)
    y = centred_lines(canvas, lines, fonts.BOLD_ITALIC, size, HEIGHT - 93 * mm)
    canvas.setFillColor(colors.black)
    if cert.address:
        size, lines = fit_lines(cert.address, fonts.ITALIC, 15, 11, TEXT_WIDTH, 12 * mm)
        y = centred_lines(canvas, lines, fonts.ITALIC, size, y - 1 * mm)
    top = y - 2 * mm
    box = top - 70 * mm
    size, lines = fit_lines(cert.achievement, fonts.REGULAR, 17, 17, TEXT_WIDTH, box)
    centred_lines(canvas, lines, fonts.REGULAR, size, top - size * 0.2)
    _draw_bottom(canvas, cert)
    canvas.restoreState()


def _draw_bottom(canvas: Canvas, cert: Certificate) -> None:
    """Decision and register number at the left; place, date and signer at the right."""
    canvas.setFont(fonts.REGULAR, 12.5)
    left = 32 * mm
    decision = f"Số quyết định: {cert.decision_no}, {date_words(cert.decision_date)}"
    if fonts.string_width(decision, fonts.REGULAR, 12.5) > 125 * mm:
        canvas.setFont(fonts.REGULAR, 11)
    canvas.drawString(left, 36 * mm, decision)
    canvas.setFont(fonts.REGULAR, 12.5)
    canvas.drawString(left, 29 * mm, f"Số sổ: {cert.register_no or '……………'}")
    place = f"{cert.place}, {date_words(cert.decision_date)}"
    size, _ = fit_lines(place, fonts.ITALIC, 14, 14, 120 * mm, 10 * mm)
    canvas.setFont(fonts.ITALIC, size)
    canvas.drawCentredString(SIGN_X, 64 * mm, place)
    # One title line, or two when signing for the head ("KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC").
    for n, line in enumerate(cert.signer_lines):
        size, _ = fit_lines(line, fonts.BOLD, 15, 15, 120 * mm, 10 * mm)
        canvas.setFont(fonts.BOLD, size)
        canvas.drawCentredString(SIGN_X, (57 - 6.5 * n) * mm, line)
    size, _ = fit_lines(cert.signer_name, fonts.BOLD, 16, 16, 120 * mm, 10 * mm)
    canvas.setFont(fonts.BOLD, size)
    canvas.drawCentredString(SIGN_X, 24 * mm, cert.signer_name)


def offsets_of(ctx: Context) -> Offsets:
    """The remembered shift for pre-printed paper (settings cert.offset_x_mm / _y_mm)."""
    def number(key: str) -> float:
        value = ctx.setting(key, 0) or 0
        try:
            return float(str(value).replace(",", "."))
        except ValueError:
            return 0.0
    return Offsets(number("cert.offset_x_mm") * mm, number("cert.offset_y_mm") * mm)


def write_certificates(path: str, certs: list[Certificate], *, preprinted: bool = False,
                       offsets: Offsets = Offsets(), title: str = "Giấy khen") -> int:
    """Draw *certs* into a new PDF at *path*; return the page count."""
    fonts.register_fonts()
    canvas = Canvas(path, pagesize=LANDSCAPE, initialFontName=fonts.REGULAR,
                    initialFontSize=14, invariant=1)
    canvas.setTitle(title)
    canvas.setCreator("ANTQ")
    if not preprinted:
        canvas.beginForm(FORM_NAME)
        draw_frame(canvas)
        canvas.endForm()
    for cert in certs:
        if not preprinted:
            canvas.doForm(FORM_NAME)
        draw_certificate(canvas, cert, preprinted=preprinted, offsets=offsets)
        canvas.showPage()
    canvas.save()
    return len(certs)


def print_commendations(ctx: Context, out, decision: str | None = None,
                        ids: list[str] | None = None, *, preprinted: bool = False) -> tuple[str, int]:
    """Certificates for some commendations into *out*; return (path, page count)."""
    certs = resolve(ctx, select(ctx, decision, ids))
    offsets = offsets_of(ctx) if preprinted else Offsets()
    with atomic_path(out) as temp:
        pages = write_certificates(temp, certs, preprinted=preprinted, offsets=offsets)
    return str(out), pages
