"""“Danh sách trích ngang”: members of one model or of all models, A4 landscape.

One row per person, sorted by given name (persons.sort_key). For one model the
row shows the person's role; for all models it lists each model with the role
held there. At a province the rows of every commune it took in are grouped by
commune (a “Xã” column with the commune's name, then the usual order).
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
from core.queries import ensure_functions, owner_name_sql
from core.station import Context
from core.text import format_date, format_number

SIZE = 10.5
PERSON_COLUMNS = [("STT", 10), ("Họ và tên", 38), ("Ngày sinh", 21), ("Giới tính", 12),
                  ("Số định danh", 27), ("Dân tộc", 14), ("Nghề nghiệp", 23),
                  ("Nơi cư trú", 0), ("Điện thoại", 23)]
TEXT_WIDTH_MM = 297 - 30 - 15
COMMUNE_COLUMN = ("Xã", 24)
# At a province the “Xã” column's room comes from these (mm taken off each), so that
# the residence keeps at least the room it has at a commune.
PROVINCE_NARROWER = {"Họ và tên": 4, "Số định danh": 2, "Nghề nghiệp": 4, "Điện thoại": 2,
                     "Mô hình (chức danh)": 14}


@dataclass
class MemberLine:
    """One person with the memberships printed on their row."""

    person_id: str
    person: tuple   # full name, birth date, gender, ID number, ethnicity, job, address, phone
    # (model name, role title): the title of the model's kind (“Chủ nhiệm” in a câu lạc bộ)
    roles: list[tuple[str, str]] = field(default_factory=list)
    commune: str = ""   # at a province: the name of the commune the person belongs to


def by_commune(ctx: Context) -> bool:
    """Whether the list is a province's: one commune after another, with a “Xã” column."""
    return ctx.station.level == "tinh"


def list_columns(one_model: bool, province: bool) -> list[tuple[str, float]]:
    """(title, width in mm) of the table's columns; 0 is the residence's spare room."""
    last = [("Chức danh", 22)] if one_model else [("Mô hình (chức danh)", 62)]
    columns = PERSON_COLUMNS + last
    if province:
        columns = [(t, w - PROVINCE_NARROWER.get(t, 0)) for t, w in columns]
        columns.insert(1, COMMUNE_COLUMN)
    spare = TEXT_WIDTH_MM - sum(w for _, w in columns)
    return [(t, w or spare) for t, w in columns]


def row_values(number: int, line: MemberLine, one_model: bool, province: bool) -> list[str]:
    """The cells of one person's row, in the order of :func:`list_columns`."""
    name, birth, gender, id_no, ethnic, job, address, phone = line.person
    if one_model:
        held = ", ".join(dict.fromkeys(title for _, title in line.roles))
    else:
        held = "; ".join(f"{model} ({title})" for model, title in line.roles)
    values = [str(number), name, format_date(birth), GENDERS.label(gender) if gender else "",
              id_no, ethnic, job, address, phone, held]
    if province:
        values.insert(1, line.commune)
    return [v or "" for v in values]


def member_lines(ctx: Context, model_id: str | None = None,
                 on: dt.date | None = None, province: bool = False) -> list[MemberLine]:
    """Persons with an active membership (in one model or any), in Vietnamese name order.

    With *province*, each line carries its commune's name and the lines come
    commune by commune (by name in the Vietnamese alphabet), each in name order.
    """
    where = (f"{membership_active_sql(':day')} AND p.deleted = 0 AND m.deleted = 0")
    params: dict = {"day": iso_day(on)}
    if model_id:
        where += " AND ms.model_id = :model"
        params["model"] = model_id
    order = ""
    if province:
        ensure_functions(ctx.db)
        order = f"antq_sort({owner_name_sql('p.owner')}), p.owner, "
    rows = ctx.db.execute(
        "SELECT p.id, p.full_name, p.birth_date, p.gender, p.id_number, p.ethnicity,"
        " p.occupation, COALESCE(NULLIF(p.address, ''), u.name), p.phone, m.name, ms.role,"
        " m.type, mt.label, " + (owner_name_sql("p.owner") if province else "''") +
        " FROM memberships ms JOIN persons p ON p.id = ms.person_id"
        " JOIN models m ON m.id = ms.model_id LEFT JOIN units u ON u.id = p.residence_unit_id"
        " LEFT JOIN model_types mt ON mt.code = m.type"
        f" WHERE {where} ORDER BY {order}p.sort_key, p.id, m.name_fold", params)
    lines: list[MemberLine] = []
    for row in rows:
        if not lines or lines[-1].person_id != row[0]:    # rows come grouped by person
            lines.append(MemberLine(row[0], row[1:9], commune=row[13]))
        lines[-1].roles.append((row[9], role_label(row[10], row[11], row[12] or "")))
    return lines


def _wrapped(value: str, width: float) -> str:
    """*value* broken into lines that fit *width* at the table's size."""
    return "\n".join(simpleSplit(value, fonts.REGULAR, SIZE, width)) if value else ""


def member_table(lines: list[MemberLine], one_model: bool, province: bool = False) -> Table:
    """The bordered table: pre-wrapped strings (fast for thousands of rows)."""
    st = styles()
    head = st["cell_head"].clone("member_head", fontSize=SIZE, leading=SIZE * 1.2)
    columns = list_columns(one_model, province)
    widths = [w * mm for _, w in columns]
    data = [[para(title, head) for title, _ in columns]]
    for i, line in enumerate(lines, 1):
        cells = row_values(i, line, one_model, province)
        data.append([_wrapped(text(c), w - 4) for c, w in zip(cells, widths)])
    first_date = 3 if province else 2        # date of birth and gender are centred
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(grid_style() + [
        ("VALIGN", (0, 1), (-1, -1), "TOP"), ("FONTSIZE", (0, 1), (-1, -1), SIZE),
        ("LEADING", (0, 1), (-1, -1), SIZE * 1.2), ("ALIGN", (0, 1), (0, -1), "CENTER"),
        ("ALIGN", (first_date, 1), (first_date + 1, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2)]))
    return table


def list_lines(ctx: Context, model_id: str | None = None):
    """What the member list shows, for the PDF and the Word file alike.

    At a province (:func:`by_commune`) the lines carry their communes' names.

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
    lines = member_lines(ctx, model_id, on=today, province=by_commune(ctx))
    if not lines:
        raise UserError("Không có thành viên nào đang tham gia để in danh sách.")
    return model_name, today, lines


def caption(today: dt.date, count: int, province: bool) -> str:
    """The line under the title: the day, the number of persons and the order."""
    order = "xếp theo xã, trong mỗi xã theo tên" if province else "xếp theo tên"
    return f"(Tính đến ngày {today:%d/%m/%Y}; {format_number(count)} người, {order})"


def members_list_pdf(ctx: Context, out, model_id: str | None = None) -> tuple[str, int]:
    """Write the membership list into *out*; return (path, page count)."""
    model_name, today, lines = list_lines(ctx, model_id)
    st = styles()
    agency = setting_text(ctx, "doc.agency", ctx.station.name).upper()
    story = [para(agency, st["agency"]), Spacer(1, 3 * mm),
             para("DANH SÁCH TRÍCH NGANG", st["type"]),
             para(f"Thành viên {model_name}" if model_name else "Thành viên các mô hình",
                  st["subject"]), rule(40),
             para(caption(today, len(lines), by_commune(ctx)), st["caption"]),
             Spacer(1, 4 * mm),
             member_table(lines, one_model=bool(model_id), province=by_commune(ctx))]
    with atomic_path(out) as temp:
        pages = build_official(temp, story, title="Danh sách trích ngang",
                               author=ctx.station.name, pagesize=LANDSCAPE)
    return str(out), pages
