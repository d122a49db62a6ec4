"""Pieces shared by every document: settings, dates, styles, the ND 30/2020 frame.

Official documents follow Nghị định 30/2020/NĐ-CP, Phụ lục I: A4 portrait,
margins top/bottom 20 mm, left 30 mm, right 15 mm, a two-column header block,
the document type name, a justified body, the signature block and "Nơi nhận".
"""
from __future__ import annotations

import datetime as dt

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (BaseDocTemplate, Flowable, Frame, PageTemplate,
                                Paragraph, Spacer, Table, TableStyle)

from core.documents import fonts
from core.documents.settings import (  # noqa: F401 - re-exported
    SETTING_HELP, MissingSettings, OfficialSettings, agency_lines, date_words, official_settings,
    place_date, require_settings, setting_text, station_place_name, text)
from core.text import nfc

PORTRAIT = A4
LANDSCAPE = landscape(A4)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 20 * mm, 20 * mm, 30 * mm, 15 * mm

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"


def style(name: str, size: float = 14, font: str = fonts.REGULAR, align=TA_LEFT,
          leading: float | None = None, **extra) -> ParagraphStyle:
    """A paragraph style in the document family."""
    return ParagraphStyle(name, fontName=font, fontSize=size, alignment=align,
                          leading=leading or size * 1.2, **extra)


def styles() -> dict[str, ParagraphStyle]:
    """The styles of an official document."""
    fonts.register_fonts()
    return {
        "agency_parent": style("agency_parent", 13, align=TA_CENTER, leading=15),
        "agency": style("agency", 13, fonts.BOLD, TA_CENTER, leading=15),
        "number": style("number", 13, align=TA_CENTER, leading=16),
        "qh": style("qh", 12, fonts.BOLD, TA_CENTER, leading=15),
        "tn": style("tn", 13.5, fonts.BOLD, TA_CENTER, leading=16),
        "date": style("date", 13.5, fonts.ITALIC, TA_CENTER, leading=16),
        "type": style("type", 14, fonts.BOLD, TA_CENTER, leading=17, spaceBefore=14),
        "subject": style("subject", 14, fonts.BOLD, TA_CENTER, leading=17),
        "body": style("body", 14, align=TA_JUSTIFY, leading=18, firstLineIndent=10 * mm,
                      spaceAfter=6),
        "heading": style("heading", 14, fonts.BOLD, leading=18, spaceBefore=6, spaceAfter=4),
        "cell": style("cell", 12, leading=14.5),
        "cell_bold": style("cell_bold", 12, fonts.BOLD, leading=14.5),
        "cell_center": style("cell_center", 12, align=TA_CENTER, leading=14.5),
        "cell_right": style("cell_right", 12, align=TA_RIGHT, leading=14.5),
        "cell_head": style("cell_head", 12, fonts.BOLD, TA_CENTER, leading=14.5),
        "caption": style("caption", 12, fonts.ITALIC, TA_CENTER, leading=14),
        "sign_title": style("sign_title", 14, fonts.BOLD, TA_CENTER, leading=17),
        "sign_name": style("sign_name", 14, fonts.BOLD, TA_CENTER, leading=17),
        "nn_head": style("nn_head", 12, fonts.BOLD_ITALIC, leading=14),
        "nn": style("nn", 11, leading=13),
    }


def para(value: str, st: ParagraphStyle, *, bold_lead: str = "") -> Paragraph:
    """A Paragraph of plain text (escaped, NFC), optionally opened by a bold lead-in."""
    lead = f"<b>{escape(bold_lead)}</b> " if bold_lead else ""
    return Paragraph(lead + escape(value), st)


def escape(value: str) -> str:
    """Escape text for reportlab's paragraph markup."""
    return (nfc(str(value)).replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;"))


class CentredRule(Flowable):
    """A short horizontal rule centred in whatever width it is given (also in table cells)."""

    def __init__(self, width: float, thickness: float = 0.6, space_before: float = 5,
                 space_after: float = 3):
        super().__init__()
        self.rule_width, self.thickness = width, thickness
        self.space_before, self.space_after = space_before, space_after
        self.avail = width

    def wrap(self, avail_width, avail_height):  # noqa: D102 - reportlab hook
        self.avail = avail_width
        return avail_width, self.space_before + self.thickness + self.space_after

    def draw(self) -> None:  # noqa: D102 - reportlab hook
        x = (self.avail - self.rule_width) / 2
        y = self.space_after + self.thickness / 2
        self.canv.setLineWidth(self.thickness)
        self.canv.line(x, y, x + self.rule_width, y)


def rule(width_mm: float) -> CentredRule:
    """A short centred rule under a header line."""
    return CentredRule(width_mm * mm)


LEFT_COL, RIGHT_COL = 74 * mm, 91 * mm


def _fitting(st: ParagraphStyle, value: str) -> ParagraphStyle:
    """13 pt when the line fits the left column, else 12 pt (ND 30/2020 allows 12–13)."""
    if fonts.string_width(value, st.fontName, st.fontSize) <= LEFT_COL - 2:
        return st
    return st.clone(st.name + "_12", fontSize=12, leading=14)


def header_block(st: dict, cfg: OfficialSettings, day: dt.date | None) -> Table:
    """The two-column header: agency and Số on the left; Quốc hiệu, Tiêu ngữ, date right.

    Without *day* the place and date line is left out (a biên bản states its time
    in the body, ND 30/2020 Phụ lục III).
    """
    left = []
    for value, key in ((cfg.parent_agency, "agency_parent"), (cfg.agency, "agency")):
        if not value:
            continue
        style = st[key]
        lines = agency_lines(value, lambda line, s=style: fonts.string_width(
            line, s.fontName, s.fontSize) <= LEFT_COL - 2)
        left += [para(line, _fitting(style, line)) for line in lines]
    left += [rule(22), para(f"Số: {cfg.number}", st["number"])]
    right = [para(QUOC_HIEU, st["qh"]), para(TIEU_NGU, st["tn"]), rule(58)]
    if day is not None:
        right.append(para(place_date(cfg.place, day), st["date"]))
    table = Table([[left, right]], colWidths=[LEFT_COL, RIGHT_COL], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def signature_block(st: dict, cfg: OfficialSettings, title: str | None = None,
                    name: str | None = None, recipients: list[str] | None = None) -> Table:
    """"Nơi nhận" bottom left, the signer's title and name right."""
    items = recipients if recipients is not None else cfg.recipients
    left = [para("Nơi nhận:", st["nn_head"])] + [para(f"- {r}", st["nn"]) for r in items]
    lines = [title] if title else cfg.signer_lines
    right = [para(line, st["sign_title"]) for line in lines] + [Spacer(1, 26 * mm),
             para(name or cfg.signer_name, st["sign_name"])]
    return signature_columns(left, right)


def signature_columns(left: list, right: list, top: float = 12) -> Table:
    """The two columns under a document's text: left (Nơi nhận, a second signer) and right."""
    table = Table([[left, right]], colWidths=[80 * mm, 85 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), top)]))
    return table


def grid_style(header_rows: int = 1) -> list:
    """Table commands for a bordered data table with a bold header."""
    return [("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.Color(0.92, 0.92, 0.92)),
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4)]


def _page_number(canvas, doc) -> None:
    """Page number centred in the top margin (pages 2 onward)."""
    canvas.saveState()
    canvas.setFont(fonts.REGULAR, 13)
    width, height = doc.pagesize
    x = MARGIN_LEFT + (width - MARGIN_LEFT - MARGIN_RIGHT) / 2
    canvas.drawCentredString(x, height - 12 * mm, str(canvas.getPageNumber()))
    canvas.restoreState()


def build_official(path: str, story: list, *, title: str, author: str,
                   pagesize=PORTRAIT) -> int:
    """Lay out an official document (ND 30/2020 margins) into *path*; return its page count."""
    fonts.register_fonts()
    doc = BaseDocTemplate(path, pagesize=pagesize, leftMargin=MARGIN_LEFT,
                          rightMargin=MARGIN_RIGHT, topMargin=MARGIN_TOP,
                          bottomMargin=MARGIN_BOTTOM, title=nfc(title), author=nfc(author),
                          creator="ANTQ", initialFontName=fonts.REGULAR,
                          initialFontSize=13, invariant=1)
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    doc.addPageTemplates([PageTemplate("first", [frame], autoNextPageTemplate="later"),
                          PageTemplate("later", [frame], onPage=_page_number)])
    doc.build(story)
    return doc.page
