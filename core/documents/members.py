"""“Danh sách trích ngang”: members of one model or of all models, A4 landscape."""
from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from core.catalog import GENDERS, ROLES
from core.documents.common import (LANDSCAPE, build_official, grid_style, para, rule,
                                   setting_text, styles)
from core.documents.output import atomic_output
from core.errors import NotFound, UserError
from core.station import Context
from core.text import format_date

COLUMNS = [("STT", 10), ("Họ và tên", 38), ("Ngày sinh", 21), ("Giới tính", 12),
           ("Số định danh", 27), ("Dân tộc", 14), ("Nghề nghiệp", 23), ("Nơi cư trú", 36),
           ("Điện thoại", 23), ("Chức danh", 19), ("Mô hình", 0)]


def member_rows(ctx: Context, model_id: str | None = None, on: dt.date | None = None) -> list[tuple]:
    """Active memberships (of one model or all), sorted by given name (persons.sort_key)."""
    day = (on or dt.date.today()).isoformat()
    where = ("ms.deleted = 0 AND p.deleted = 0 AND m.deleted = 0"
             " AND (ms.leave_date IS NULL OR ms.leave_date > ?)")
    params: list = [day]
    if model_id:
        where += " AND ms.model_id = ?"
        params.append(model_id)
    return ctx.db.execute(
        "SELECT p.full_name, p.birth_date, p.gender, p.id_number, p.ethnicity, p.occupation,"
        " COALESCE(NULLIF(p.address, ''), u.name), p.phone, ms.role, m.name"
        " FROM memberships ms JOIN persons p ON p.id = ms.person_id"
        " JOIN models m ON m.id = ms.model_id LEFT JOIN units u ON u.id = p.residence_unit_id"
        f" WHERE {where} ORDER BY p.sort_key, m.name_fold", params).fetchall()


def members_list_pdf(ctx: Context, out, model_id: str | None = None) -> tuple[str, int]:
    """Write the membership list into *out*; return (path, page count)."""
    model_name = None
    if model_id:
        row = ctx.db.execute("SELECT name FROM models WHERE id = ? AND deleted = 0",
                             [model_id]).fetchone()
        if not row:
            raise NotFound("Không tìm thấy mô hình.")
        model_name = row[0]
    rows = member_rows(ctx, model_id)
    if not rows:
        raise UserError("Không có thành viên nào đang tham gia để in danh sách.")
    st = styles()
    small = {k: v.clone(k + "_m", fontSize=10.5, leading=12.5) for k, v in st.items()
             if k.startswith("cell")}
    columns = COLUMNS[:-1] if model_id else COLUMNS
    spare = 297 - 30 - 15 - sum(w for _, w in columns)
    widths = [(w or spare) * mm for _, w in columns]
    if model_id:  # no model column: give the room to the address
        widths[7] += spare * mm
    data = [[para(title, small["cell_head"]) for title, _ in columns]]
    for i, (name, birth, gender, id_no, ethnic, job, address, phone, role, model) in enumerate(rows, 1):
        cells = [str(i), name, format_date(birth), GENDERS.label(gender) if gender else "",
                 id_no or "", ethnic or "", job or "", address or "", phone or "",
                 ROLES.label(role), model]
        data.append([para(c, small["cell_center" if j in (0, 2, 3) else "cell"])
                     for j, c in enumerate(cells[:len(columns)])])
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(grid_style() + [("VALIGN", (0, 1), (-1, -1), "TOP"),
                                              ("LEFTPADDING", (0, 0), (-1, -1), 2),
                                              ("RIGHTPADDING", (0, 0), (-1, -1), 2)]))
    agency = setting_text(ctx, "doc.agency", ctx.station.name).upper()
    story = [para(agency, st["agency"]), Spacer(1, 3 * mm), para("DANH SÁCH TRÍCH NGANG", st["type"]),
             para(f"Thành viên {model_name}" if model_name else "Thành viên các mô hình",
                  st["subject"]), rule(40),
             para(f"(Tính đến ngày {dt.date.today():%d/%m/%Y}; {len(rows)} người, "
                  "xếp theo tên)", st["caption"]), Spacer(1, 4 * mm), table]
    with atomic_output(out) as temp:
        pages = build_official(temp, story, title="Danh sách trích ngang",
                               author=ctx.station.name, pagesize=LANDSCAPE)
    return str(out), pages
