"""“Danh sách trích ngang” as a Word file (A4 landscape), the same rows as the PDF."""
from __future__ import annotations

from core.documents.docx_common import CENTER, add_rule, add_text, new_document
from core.documents.members import by_commune, caption, list_columns, list_lines, row_values
from core.documents.report_docx import _cell, _grid, _repeat_header
from core.documents.settings import setting_text
from core.files import atomic_path
from core.station import Context

SIZE = 10.5


def members_list_docx(ctx: Context, out, model_id: str | None = None) -> str:
    """Write the membership list as a Word file into *out*; return its path."""
    model_name, today, lines = list_lines(ctx, model_id)
    province = by_commune(ctx)
    doc = new_document(title="Danh sách trích ngang", author=ctx.station.name, landscape=True)
    add_text(doc, setting_text(ctx, "doc.agency", ctx.station.name).upper(), size=13,
             bold=True, align=CENTER, after=6)
    add_text(doc, "DANH SÁCH TRÍCH NGANG", bold=True, align=CENTER, before=8)
    add_text(doc, f"Thành viên {model_name}" if model_name else "Thành viên các mô hình",
             bold=True, align=CENTER)
    add_rule(doc, 40)
    add_text(doc, caption(today, len(lines), province), size=12, italic=True, align=CENTER,
             after=8)
    one_model = bool(model_id)
    columns = list_columns(one_model, province)
    table = _grid(doc, len(lines) + 1, [w for _, w in columns])
    for cell, (title, _) in zip(table.rows[0].cells, columns):
        _cell(cell, title, size=SIZE, bold=True, align=CENTER)
    _repeat_header(table.rows[0])
    centred = {0, 3, 4} if province else {0, 2, 3}     # STT, date of birth, gender
    for i, (line, row) in enumerate(zip(lines, table.rows[1:]), 1):
        values = row_values(i, line, one_model, province)
        for col, (cell, value) in enumerate(zip(row.cells, values)):
            _cell(cell, value, size=SIZE, align=CENTER if col in centred else None)
    with atomic_path(out) as temp:
        doc.save(temp)
    return str(out)


__all__ = ["members_list_docx"]
