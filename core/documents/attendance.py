"""An event's papers: the attendance list (danh sách điểm danh) and its biên bản.

Both follow Nghị định 30/2020/NĐ-CP like the other documents (the two-column
header of :func:`core.documents.common.header_block`, A4 portrait, ND 30
margins). The attendance list has a “Ký tên” column tall enough to sign in;
the biên bản follows the outline of Phụ lục III (time, place, participants,
chair, secretary, content, result; the secretary signs left, the chair right).
The hour, the chair, the secretary, what was said and decided are given by the
caller or, when not given, what the event keeps of its last biên bản (columns
``minutes_*``, :func:`core.services.activities.save_minutes`); what is empty
prints as a dotted line to fill in by hand.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from core.activity import local_today
from core.catalog import EVENT_TYPES
from core.documents.common import (build_official, grid_style, header_block,
                                   official_settings, para, signature_columns, styles, text)
from core.documents.settings import NUMBER_BLANK
from core.errors import UserError
from core.files import atomic_path
from core.queries import names_of
from core.records import MinutesDetails  # noqa: F401 - re-exported (cli, ui)
from core.services.attendance import Attendee, event_attendance
from core.station import Context
from core.text import fold, format_date, format_number

DOTS = "." * 60
# STT, Họ và tên, Năm sinh, Thôn/đơn vị, Chức vụ trong mô hình, Ký tên: 165 mm of text width
ATTENDANCE_COLUMNS = [("STT", 11), ("Họ và tên", 47), ("Năm sinh", 17),
                      ("Thôn, đơn vị", 33), ("Chức vụ trong mô hình", 30), ("Ký tên", 27)]
SIGN_ROW_MM = 10


def _unit_name(ctx: Context, unit_id: str | None) -> str:
    return names_of(ctx.db, "units", [unit_id]).get(unit_id, "") if unit_id else ""


def _event_subject(event) -> str:
    """“Tuyên truyền: Luật Cư trú”; the title alone when it already names its kind."""
    kind = EVENT_TYPES.label(event.type)
    if not event.title:
        return kind
    first = kind.split(",")[0]
    return event.title if fold(event.title).startswith(fold(first)) else f"{kind}: {event.title}"


# How the closing line names the gathering (“Hội nghị kết thúc vào …”).
_GATHERING = {"hoi_nghi": "Hội nghị", "so_ket_tong_ket": "Hội nghị", "ngay_hoi": "Ngày hội",
              "khac": "Buổi làm việc"}


def _gathering(event) -> str:
    label = EVENT_TYPES.label(event.type)
    return _GATHERING.get(event.type) or "Buổi " + label[:1].lower() + label[1:]


def _settings(ctx: Context, kind: str):
    cfg = official_settings(ctx, kind)
    suffix = "CAT" if ctx.station.level == "tinh" else "CAX"
    return dataclasses.replace(cfg, number=f"{NUMBER_BLANK}/{kind}-{suffix}")


def _attendance_table(st: dict, people: list[Attendee]) -> Table:
    head = st["cell_head"]
    cell, centre = st["cell"], st["cell_center"]
    widths = [w * mm for _, w in ATTENDANCE_COLUMNS]
    data = [[para(title, head) for title, _ in ATTENDANCE_COLUMNS]]
    for i, person in enumerate(people, 1):
        data.append([para(str(i), centre), para(person.full_name, cell),
                     para(person.birth_year, centre), para(person.unit, cell),
                     para(person.role, cell), ""])
    heights = [None] + [SIGN_ROW_MM * mm] * len(people)
    table = Table(data, colWidths=widths, rowHeights=heights, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(grid_style()))
    return table


def attendance_pdf(ctx: Context, event_id: str, out) -> tuple[str, int]:
    """The attendance list of one event into *out*; return (path, page count)."""
    event, people = event_attendance(ctx, event_id)
    if not people:
        raise UserError("Sự kiện này chưa có ai trong danh sách điểm danh: hãy mở sự kiện, "
                        "thêm người tham dự (hoặc cả mô hình) rồi in.")
    cfg = _settings(ctx, "DS")
    st = styles()
    place = _unit_name(ctx, event.unit_id)
    where = f" tại {place}" if place else ""
    story = [header_block(st, cfg, local_today()),
             para("DANH SÁCH ĐIỂM DANH", st["type"]),
             para(f"Người tham dự {_event_subject(event)}", st["subject"]),
             para(f"(Ngày {format_date(event.date)}{where}; "
                  f"{format_number(len(people))} người, xếp theo tên)", st["caption"]),
             Spacer(1, 4 * mm), _attendance_table(st, people), Spacer(1, 3 * mm),
             para(f"Tổng số: {format_number(len(people))} người có tên trong danh sách; "
                  f"số lượt người tham gia ghi nhận: {format_number(event.participants)}.",
                  st["body"])]
    right = [para("NGƯỜI LẬP DANH SÁCH", st["sign_title"]),
             para("(Ký, ghi rõ họ tên)", st["caption"]), Spacer(1, 22 * mm)]
    story.append(KeepTogether([signature_columns([], right, top=10)]))
    with atomic_path(out) as temp:
        pages = build_official(temp, story, title="Danh sách điểm danh",
                               author=ctx.station.name)
    return str(out), pages


def _line(st: dict, lead: str, value: str) -> list:
    """“Lead: value”, or the lead and a dotted line when *value* is empty."""
    return [para(value or DOTS, st["minutes"], bold_lead=lead)]


def _block(st: dict, lead: str, value: str) -> list:
    """A heading then the paragraphs of *value* (three dotted lines when empty)."""
    items = [para(lead, st["heading"])]
    paragraphs = [p for p in (value or "").split("\n") if p.strip()] or [DOTS * 2] * 3
    return items + [para(p, st["body"]) for p in paragraphs]


def minutes_pdf(ctx: Context, event_id: str, out,
                details: MinutesDetails | None = None) -> tuple[str, int]:
    """The biên bản of one event into *out*; return (path, page count).

    Without *details*, what the event keeps of its biên bản (its saved details).
    """
    event, people = event_attendance(ctx, event_id)
    d = (details if details is not None else MinutesDetails.of_event(event)).cleaned()
    cfg = _settings(ctx, "BB")
    st = styles()
    st["minutes"] = st["body"].clone("minutes", firstLineIndent=0, spaceAfter=4)
    day = dt.date.fromisoformat(event.date) if event.date else None
    day_text = (f"ngày {day:%d} tháng {day:%m} năm {day:%Y}" if day else DOTS)
    place = d.place or _unit_name(ctx, event.unit_id)
    start = f"{d.start_time}, {day_text}" if d.start_time else f"…… giờ ……, {day_text}"
    present = (f"{format_number(event.participants)} lượt người tham gia"
               + (f", trong đó {format_number(len(people))} người có tên trong danh sách "
                  "điểm danh kèm theo" if people else "") + ".")
    if event.organiser:
        present = f"Đơn vị tổ chức: {event.organiser}. " + present
    story = [header_block(st, cfg, None),
             para("BIÊN BẢN", st["type"]),
             para(_event_subject(event), st["subject"]), Spacer(1, 5 * mm)]
    story += _line(st, "Thời gian bắt đầu:", start)
    story += _line(st, "Địa điểm:", place)
    story += _line(st, "Thành phần tham dự:", present)
    story += _line(st, "Chủ trì:", d.chair)
    story += _line(st, "Thư ký (người ghi biên bản):", d.secretary)
    content = d.content or "\n".join(p for p in (event.title, event.notes) if p)
    story += _block(st, "Nội dung:", content)
    story += _block(st, "Kết quả:", d.result)
    end = d.end_time or "…… giờ ……"
    story.append(para(f"{_gathering(event)} kết thúc vào {end}, "
                      f"{day_text}; biên bản đã được đọc lại cho những người tham dự "
                      "cùng nghe và nhất trí./.", st["body"]))
    left = [para("THƯ KÝ", st["sign_title"]), para("(Ký, ghi rõ họ tên)", st["caption"]),
            Spacer(1, 22 * mm), para(_name(d.secretary), st["sign_name"])]
    right = [para("CHỦ TRÌ", st["sign_title"]), para("(Ký, ghi rõ họ tên)", st["caption"]),
             Spacer(1, 22 * mm), para(_name(d.chair), st["sign_name"])]
    story.append(KeepTogether([signature_columns(left, right, top=10)]))
    with atomic_path(out) as temp:
        pages = build_official(temp, story, title="Biên bản", author=ctx.station.name)
    return str(out), pages


def _name(person: str) -> str:
    """The name part of “Nguyễn Văn A, Chủ tịch UBND xã” (what is signed under)."""
    return person.split(",")[0].strip() if person else ""
