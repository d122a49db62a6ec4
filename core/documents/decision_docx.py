"""The commendation decision as an editable Word document (same texts as the PDF)."""
from __future__ import annotations

from docx.enum.text import WD_BREAK
from docx.shared import Pt

from core.documents.commendations import Certificate, resolve, select
from core.documents.decision import FORM_WORDS, _settings, decision_texts, legal_bases
from core.documents.docx_common import (CENTER, JUSTIFY, add_rule, add_text, docx_text,
                                        header_block, new_document, signature_block)
from core.documents.report_docx import _cell, _grid, _repeat_header
from core.documents.settings import date_words
from core.files import atomic_path
from core.station import Context
from core.text import clean


def recipients_table(doc, certs: list[Certificate]) -> None:
    """STT, recipient, address/unit, form and achievement; collectives first."""
    ordered = [c for c in certs if c.collective] + [c for c in certs if not c.collective]
    table = _grid(doc, len(ordered) + 1, [11, 42, 36, 22, 54])
    for cell, head in zip(table.rows[0].cells, ("STT", "Tập thể, cá nhân", "Địa chỉ, đơn vị",
                                                 "Hình thức", "Thành tích")):
        _cell(cell, head, bold=True, align=CENTER)
    _repeat_header(table.rows[0])
    for i, (cert, row) in enumerate(zip(ordered, table.rows[1:]), 1):
        _cell(row.cells[0], str(i), align=CENTER)
        _cell(row.cells[1], cert.recipient, bold=True)
        _cell(row.cells[2], cert.address)
        _cell(row.cells[3], FORM_WORDS.get(cert.form_title, cert.form_title))
        _cell(row.cells[4], cert.achievement)


def decision_docx(ctx: Context, decision_no: str, out) -> str:
    """The decision with its attached list as a Word file; return its path."""
    number = clean(decision_no)
    certs = resolve(ctx, select(ctx, decision=number))
    first = certs[0]
    cfg = _settings(ctx, first, number)
    doc = new_document(title=f"Quyết định khen thưởng số {number}", author=ctx.station.name)
    header_block(doc, cfg, first.decision_date)
    add_text(doc, "QUYẾT ĐỊNH", bold=True, align=CENTER, before=14)
    add_text(doc, "Về việc khen thưởng trong phong trào toàn dân bảo vệ an ninh Tổ quốc",
             bold=True, align=CENTER)
    add_rule(doc, 40)
    add_text(doc, first.authority_title, bold=True, align=CENTER, before=4, after=6)
    for basis in legal_bases(ctx):
        add_text(doc, basis, italic=True, align=JUSTIFY, indent_mm=10, after=6)
    add_text(doc, "QUYẾT ĐỊNH:", bold=True, align=CENTER, before=6, after=6)
    for lead, value in decision_texts(certs, ctx.station.name).items():
        paragraph = add_text(doc, "", align=JUSTIFY, indent_mm=10, after=6)
        run = paragraph.add_run(docx_text(lead) + " ")
        run.font.bold, run.font.size = True, Pt(14)
        paragraph.add_run(docx_text(value)).font.size = Pt(14)
    signature_block(doc, cfg)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    add_text(doc, "DANH SÁCH", bold=True, align=CENTER)
    add_text(doc, "Tập thể, cá nhân được khen thưởng", bold=True, align=CENTER)
    add_text(doc, f"(Kèm theo Quyết định số {number} {date_words(first.decision_date)})",
             size=12, italic=True, align=CENTER, after=8)
    recipients_table(doc, certs)
    with atomic_path(out) as temp:
        doc.save(temp)
    return str(out)


__all__ = ["decision_docx"]
