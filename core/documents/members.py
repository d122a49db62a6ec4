"""“Danh sách trích ngang”: members of one model or of all models, A4 landscape.

One row per person, sorted by given name (persons.sort_key). For one model the
row shows the person's role; for all models it lists each model with the role
held there.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.platypus import Spacer, Table, TableStyle

from core.activity import iso_day, local_today, membership_active_sql
from core.catalog import GENDERS, role_label
from core.documents import fonts
from core.documents.common import (LANDSCAPE, build_official, grid_style, para, rule,
                                   setting_text, styles, text)
from core.files import atomic_path
from core.errors import NotFound, UserError
from core.station import Context
from core.text import format_date

SIZE = 10.5
PERSON_COLUMNS = [("STT", 10), ("Họ và tên", 38), ("Ngày sinh", 21), ("Giới tính", 12),
                  ("Số định danh", 27), ("Dân tộc", 14), ("Nghề nghiệp", 23),
                  ("Nơi cư trú", 0), ("Điện thoại", 23)]
TEXT_WIDTH_MM = 297 - 30 - 15


@dataclass
class MemberLine:
    """One person with the memberships printed on their row."""

    person_id: str
    person: tuple   # full name, birth date, gender, ID number, ethnicity, job, address, phone
    # (model name, role title): the title of the model's kind (“Chủ nhiệm” in a câu lạc bộ)
    roles: list[tuple[str, str]] = field(default_factory=list)


def member_lines(ctx: Context, model_id: str | None = None,
                 on: dt.date | None = None) -> list[MemberLine]:
    """Persons with an active membership (in one model or any), in Vietnamese name order."""
    where = (f"{membership_active_sql(':day')} AND p.deleted = 0 AND m.deleted = 0")
    params: dict = {"day": iso_day(on)}
    if model_id:
        where += " AND ms.model_id = :model"
        params["model"] = model_id
    rows = ctx.db.execute(
        "SELECT p.id, p.full_name, p.birth_date, p.gender, p.id_number, p.ethnicity,"
        " p.occupation, COALESCE(NULLIF(p.address, ''), u.name), p.phone, m.name, ms.role,"
        " m.type, mt.label"
        " FROM memberships ms JOIN persons p ON p.id = ms.person_id"
        " JOIN models m ON m.id = ms.model_id LEFT JOIN units u ON u.id = p.residence_unit_id"
        " LEFT JOIN model_types mt ON mt.code = m.type"
        f" WHERE {where} ORDER BY p.sort_key, p.id, m.name_fold", params)
    lines: list[MemberLine] = []
    for row in rows:
        if not lines or lines[-1].person_id != row[0]:    # rows come grouped by person
            lines.append(MemberLine(row[0], row[1:9]))
        lines[-1].roles.append((row[9], role_label(row[10], row[11], row[12] or "")))
    return lines


def _wrapped(value: str, width: float) -> str:
    """*value* broken into lines that fit *width* at the table's size."""
    return "\n".join(simpleSplit(value, fonts.REGULAR, SIZE, width)) if value else ""


def member_table(lines: list[MemberLine], one_model: bool) -> Table:
    """The bordered table: pre-wrapped strings (fast for thousands of rows)."""
    st = styles()
    head = st["cell_head"].clone("member_head", fontSize=SIZE, leading=SIZE * 1.2)
    last = [("Chức danh", 22)] if one_model else [("Mô hình (chức danh)", 62)]
    columns = PERSON_COLUMNS + last
    spare = TEXT_WIDTH_MM - sum(w for _, w in columns)
    widths = [(w or spare) * mm for _, w in columns]
    data = [[para(title, head) for title, _ in columns]]
    for i, line in enumerate(lines, 1):
        name, birth, gender, id_no, ethnic, job, address, phone = line.person
        if one_model:
            held = ", ".join(dict.fromkeys(title for _, title in line.roles))
        else:
            held = "; ".join(f"{model} ({title})" for model, title in line.roles)
        cells = [str(i), name, format_date(birth), GENDERS.label(gender) if gender else "",
                 id_no, ethnic, job, address, phone, held]
        data.append([_wrapped(text(c), w - 4) for c, w in zip(cells, widths)])
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(grid_style() + [
        ("VALIGN", (0, 1), (-1, -1), "TOP"), ("FONTSIZE", (0, 1), (-1, -1), SIZE),
        ("LEADING", (0, 1), (-1, -1), SIZE * 1.2), ("ALIGN", (0, 1), (0, -1), "CENTER"),
        ("ALIGN", (2, 1), (3, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2)]))
    return table


def list_lines(ctx: Context, model_id: str | None = None):
    """What the member list shows, for the PDF and the Word file alike.

    Returns (the model's name or None, the station's local date, one line per
    person active that day); refuses an unknown model or an empty list.
    """
    model_name = None
    if model_id:
        row = ctx.db.execute("SELECT name FROM models WHERE id = ? AND deleted = 0",
                             [model_id]).fetchone()
        if not row:
            raise NotFound("Không tìm thấy mô hình.")
        model_name = row[0]
    today = local_today()
    lines = member_lines(ctx, model_id, on=today)
    if not lines:
        raise UserError("Không có thành viên nào đang tham gia để in danh sách.")
    return model_name, today, lines


def members_list_pdf(ctx: Context, out, model_id: str | None = None) -> tuple[str, int]:
    """Write the membership list into *out*; return (path, page count)."""
    model_name, today, lines = list_lines(ctx, model_id)
    st = styles()
    agency = setting_text(ctx, "doc.agency", ctx.station.name).upper()
    story = [para(agency, st["agency"]), Spacer(1, 3 * mm),
             para("DANH SÁCH TRÍCH NGANG", st["type"]),
             para(f"Thành viên {model_name}" if model_name else "Thành viên các mô hình",
                  st["subject"]), rule(40),
             para(f"(Tính đến ngày {today:%d/%m/%Y}; {len(lines)} người, "
                  "xếp theo tên)", st["caption"]), Spacer(1, 4 * mm),
             member_table(lines, one_model=bool(model_id))]
    with atomic_path(out) as temp:
        pages = build_official(temp, story, title="Danh sách trích ngang",
                               author=ctx.station.name, pagesize=LANDSCAPE)
    return str(out), pages
