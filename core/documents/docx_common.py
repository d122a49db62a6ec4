"""Word (.docx) pieces shared by every document: the ND 30/2020 frame in python-docx.

The same layout as the PDFs (:mod:`core.documents.common`): A4, margins 20/20/30/15 mm,
Times New Roman as the document font (Word shows the real face; LibreOffice maps it
to Liberation Serif), the two-column header as a borderless table, page numbers
from page 2 as a PAGE field in the header, the signature block kept together.
python-docx has no API for fields, East-Asian font names or "no borders", so those
few elements are written as the OOXML they are.
"""
from __future__ import annotations

import datetime as dt

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from core.documents import fonts
from core.documents.settings import OfficialSettings, agency_lines, place_date
from core.rules import printable
from core.text import nfc

FONT = "Times New Roman"
HEADER_LEFT_PT = 72 / 25.4 * 72      # the header's left column less a margin (72 of 74 mm)
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
CENTER, JUSTIFY, LEFT, RIGHT = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY,
                                WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT)


def new_document(*, title: str, author: str, landscape: bool = False):
    """An empty A4 document with the ND 30 margins, the font and a page number from page 2."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    _page_number_header(section)
    doc.core_properties.title, doc.core_properties.author = nfc(title), nfc(author)
    return doc


def _page_number_header(section) -> None:
    """A centred PAGE field in the header of every page but the first."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    run = paragraph.add_run()
    run.font.size = Pt(13)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "2"),
                       ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = " PAGE "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def docx_text(value: object) -> str:
    """*value* as a Word document can hold it: NFC, unprintable characters as “?”.

    A value stored before the entry rules (an older database) may still hold
    control characters, which a Word file cannot carry.
    """
    return printable(nfc(str(value)))


def add_text(container, value: str, *, size: float = 14, bold: bool = False,
             italic: bool = False, align=LEFT, indent_mm: float = 0, after: float = 0,
             before: float = 0, keep_next: bool = False):
    """A paragraph of NFC text in the document font."""
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_after, fmt.space_before = Pt(after), Pt(before)
    if indent_mm:
        fmt.first_line_indent = Mm(indent_mm)
    fmt.keep_with_next = keep_next
    run = paragraph.add_run(docx_text(value))
    run.font.size, run.font.bold, run.font.italic = Pt(size), bold, italic
    run.font.name = FONT
    return paragraph


def add_rule(cell_or_doc, width_mm: float) -> None:
    """A short centred rule (a bottom border on an empty, narrow paragraph)."""
    paragraph = cell_or_doc.add_paragraph()
    paragraph.alignment = CENTER
    fmt = paragraph.paragraph_format
    fmt.space_after = Pt(2)
    fmt.line_spacing = Pt(4)
    # A centred run of no-break spaces underlined by a border would vary with the
    # font; an indent on both sides gives the rule its width instead: within the
    # header's columns (74 / 91 mm), or within the page's text width in the body.
    if hasattr(cell_or_doc, "sections"):
        section = cell_or_doc.sections[-1]
        container = (section.page_width - section.left_margin - section.right_margin) / 36000
    else:
        container = 74 if width_mm < 40 else 91
    side = max(0.0, (container - width_mm) / 2)
    fmt.left_indent, fmt.right_indent = Mm(side), Mm(side)
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"),
                       ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.append(borders)


def borderless_table(doc, widths_mm: list[float]):
    """A one-row table without borders, columns of the given widths."""
    table = doc.add_table(rows=1, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), "0")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    tbl_pr.append(margins)
    set_widths(table, widths_mm)
    for cell in table.rows[0].cells:
        cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    return table


def set_widths(table, widths_mm: list[float]) -> None:
    """Fixed column widths that Word and LibreOffice both keep (grid, cells, layout)."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(int(sum(widths_mm) * 56.7)))
    width.set(qn("w:type"), "dxa")
    for old in tbl_pr.findall(qn("w:tblW")):
        tbl_pr.remove(old)
    tbl_pr.append(width)
    for column, value in zip(table.columns, widths_mm):
        column.width = Mm(value)
    for row in table.rows:
        for cell, value in zip(row.cells, widths_mm):
            cell.width = Mm(value)


def header_block(doc, cfg: OfficialSettings, day: dt.date) -> None:
    """Agency and Số on the left; Quốc hiệu, Tiêu ngữ and place/date on the right."""
    left, right = borderless_table(doc, [74, 91]).rows[0].cells
    # Measured with Liberation Serif (Times New Roman's metrics): a name that does not
    # fit the 74 mm column at 13 pt is broken before its place (never inside it), and
    # a line still too long is set at 12 pt, as in the PDF.
    fonts.register_fonts()
    for value, bold in ((cfg.parent_agency, False), (cfg.agency, True)):
        face = fonts.BOLD if bold else fonts.REGULAR

        def fits(line: str, size: float = 13, face: str = face) -> bool:
            return fonts.string_width(line, face, size) <= HEADER_LEFT_PT

        for line in agency_lines(value, fits) if value else []:
            add_text(left, line, size=13 if fits(line) else 12, bold=bold, align=CENTER)
    add_rule(left, 22)
    add_text(left, f"Số: {cfg.number}", size=13, align=CENTER)
    add_text(right, QUOC_HIEU, size=12, bold=True, align=CENTER)
    add_text(right, TIEU_NGU, size=13.5, bold=True, align=CENTER)
    add_rule(right, 58)
    add_text(right, place_date(cfg.place, day), size=13.5, italic=True, align=CENTER)


def signature_block(doc, cfg: OfficialSettings, recipients: list[str] | None = None) -> None:
    """"Nơi nhận" left, the signer's title lines and name right, kept on one page."""
    table = borderless_table(doc, [80, 85])
    row = table.rows[0]
    tr_pr = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    tr_pr.append(cant_split)
    left, right = row.cells
    add_text(left, "Nơi nhận:", size=12, bold=True, italic=True, before=12)
    for item in recipients if recipients is not None else cfg.recipients:
        add_text(left, f"- {item}", size=11)
    for i, line in enumerate(cfg.signer_lines):
        add_text(right, line, size=14, bold=True, align=CENTER, before=12 if i == 0 else 0)
    add_text(right, "", size=14, after=60)  # room for the signature and seal (~26 mm)
    add_text(right, cfg.signer_name, size=14, bold=True, align=CENTER)


__all__ = ["new_document", "add_text", "add_rule", "header_block", "signature_block",
           "borderless_table", "set_widths", "FONT"]
