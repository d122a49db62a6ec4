"""“Danh sách trích ngang” as a Word file (A4 landscape), the same rows as the PDF."""
from __future__ import annotations

from core.catalog import GENDERS
from core.documents.docx_common import CENTER, add_rule, add_text, new_document
from core.documents.members import PERSON_COLUMNS, TEXT_WIDTH_MM, list_lines
from core.documents.report_docx import _cell, _grid, _repeat_header
from core.documents.settings import setting_text
from core.files import atomic_path
from core.station import Context
from core.text import format_date

SIZE = 10.5


def members_list_docx(ctx: Context, out, model_id: str | None = None) -> str:
    """Write the membership list as a Word file into *out*; return its path."""
    model_name, today, lines = list_lines(ctx, model_id)
    doc = new_document(title="Danh sách trích ngang", author=ctx.station.name, landscape=True)
    add_text(doc, setting_text(ctx, "doc.agency", ctx.station.name).upper(), size=13,
             bold=True, align=CENTER, after=6)
    add_text(doc, "DANH SÁCH TRÍCH NGANG", bold=True, align=CENTER, before=8)
    add_text(doc, f"Thành viên {model_name}" if model_name else "Thành viên các mô hình",
             bold=True, align=CENTER)
    add_rule(doc, 40)
    add_text(doc, f"(Tính đến ngày {today:%d/%m/%Y}; {len(lines)} người, xếp theo tên)",
             size=12, italic=True, align=CENTER, after=8)
    one_model = bool(model_id)
    columns = PERSON_COLUMNS + ([("Chức danh", 22)] if one_model
                                else [("Mô hình (chức danh)", 62)])
    spare = TEXT_WIDTH_MM - sum(w for _, w in columns)
    table = _grid(doc, len(lines) + 1, [w or spare for _, w in columns])
    for cell, (title, _) in zip(table.rows[0].cells, columns):
        _cell(cell, title, size=SIZE, bold=True, align=CENTER)
    _repeat_header(table.rows[0])
    for i, (line, row) in enumerate(zip(lines, table.rows[1:]), 1):
        name, birth, gender, id_no, ethnic, job, address, phone = line.person
        if one_model:
            held = ", ".join(dict.fromkeys(title for _, title in line.roles))
        else:
            held = "; ".join(f"{model} ({title})" for model, title in line.roles)
        values = [str(i), name, format_date(birth), GENDERS.label(gender) if gender else "",
                  id_no, ethnic, job, address, phone, held]
        for col, (cell, value) in enumerate(zip(row.cells, values)):
            _cell(cell, value or "", size=SIZE, align=CENTER if col in (0, 2, 3) else None)
    with atomic_path(out) as temp:
        doc.save(temp)
    return str(out)


__all__ = ["members_list_docx"]
