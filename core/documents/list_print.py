"""Any list of the window, exactly as shown, to paper (PDF) or to an Excel workbook.

The window describes what it shows as a :class:`ListRequest` (the list's query,
search, filters, sort order and the columns left visible, in their on-screen
order); :func:`list_table` runs that very query (:func:`core.queries.list_ids`
and :func:`core.queries.load_rows`, as the window's table model does) and gives
the rows as the list displays them. A list not built on a query (the unit tree)
hands its rows over as a :class:`ListTable` directly.

On paper: the station's header (agency, place and date), the title and what
the list was filtered by, a bordered table whose header row repeats on every
page, A4 portrait or landscape when the columns need it. In Excel: a write-only
workbook with a title row, the conditions, then a frozen, bold header row; dates
and numbers are real dates and numbers.
"""
from __future__ import annotations

import datetime as dt
import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from core import queries
from core.activity import local_today
from core.files import atomic_path
from core.station import Context
from core.text import format_number

CHUNK = 2000            # ids whose rows are loaded (and checked for “Hủy”) at a time
SIZE = 10.5             # table text size on paper (pt)
PORTRAIT_MM, LANDSCAPE_MM = 210 - 30 - 15, 297 - 30 - 15
MAX_COLUMN_MM = 80
SAMPLE = 600            # rows whose text sets the column widths
STT = "STT"


@dataclass(frozen=True)
class ListRequest:
    """What a list screen shows: its query with the person's search, filters and order."""

    spec: queries.ListSpec
    title: str
    search: str = ""
    filters: dict = field(default_factory=dict)
    sort: int | None = None
    descending: bool = False
    columns: tuple[int, ...] = ()          # visible columns in on-screen order (all: empty)
    conditions: tuple[str, ...] = ()      # “Đơn vị: Thôn Đông”, “Tìm: an” … as shown


@dataclass
class ListTable:
    """Rows ready to print: display text, with each column's kind (text, date, number, bool)."""

    title: str
    headers: list[str]
    rows: list[tuple[str, ...]]
    kinds: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    indents: list[int] = field(default_factory=list)    # tree depth of each row (units)

    def __post_init__(self) -> None:
        if not self.kinds:
            self.kinds = ["text"] * len(self.headers)


@dataclass
class ListStream:
    """A list's rows chunk by chunk, for a workbook of any length without holding it all.

    *head* carries the title, headers, kinds and conditions, and as its rows the
    first chunk (which sizes the columns); *chunks* yields every chunk, that first
    one included.
    """

    head: ListTable
    total: int
    chunks: Iterator[list[tuple[str, ...]]]


def list_stream(ctx: Context, request: ListRequest,
                check: Callable[[], None] | None = None) -> ListStream:
    """The rows of *request*, in its order, with only its visible columns, by chunks.

    *check* runs before each chunk is loaded (a worker's “Hủy” raises there).
    """
    spec = request.spec
    columns = list(request.columns) or list(range(len(spec.columns)))
    ids = queries.list_ids(ctx.db, spec, search=request.search, filters=request.filters,
                           sort=request.sort, descending=request.descending)

    def chunk(start: int) -> list[tuple[str, ...]]:
        if check is not None:
            check()
        batch = ids[start:start + CHUNK]
        loaded = queries.load_rows(ctx.db, spec, batch)
        return [tuple(loaded[i][c] for c in columns) for i in batch if i in loaded]

    first = chunk(0)

    def chunks() -> Iterator[list[tuple[str, ...]]]:
        yield first
        for start in range(CHUNK, len(ids), CHUNK):
            yield chunk(start)

    head = ListTable(request.title, [spec.columns[c].header for c in columns], first,
                     [spec.columns[c].kind for c in columns], list(request.conditions))
    return ListStream(head, len(ids), chunks())


def list_table(ctx: Context, request: ListRequest,
               check: Callable[[], None] | None = None) -> ListTable:
    """Every row of *request* at once (what paper needs: the layout sees the whole table)."""
    stream = list_stream(ctx, request, check)
    rows = [row for part in stream.chunks for row in part]
    return dataclasses.replace(stream.head, rows=rows)


# -- paper ----------------------------------------------------------------------

def _header(ctx: Context, st: dict, width: float):
    """The station's header: parent agency and agency left; place and date right."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Table, TableStyle

    from core.documents import fonts
    from core.documents.common import date_words, para, rule, setting_text
    parent = setting_text(ctx, "doc.parent_agency").upper()
    agency = setting_text(ctx, "doc.agency", ctx.station.name).upper()
    left = ([para(parent, st["agency_parent"])] if parent else []) + [
        para(agency, st["agency"]), rule(22)]
    place = setting_text(ctx, "doc.place")
    day = local_today()
    right = [para(f"{place}, {date_words(day)}" if place else f"Ngày {day:%d/%m/%Y}",
                  st["date"])]
    left_width = min(90 * mm, width / 2)
    table = Table([[left, right]], colWidths=[left_width, width - left_width], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def column_widths(table: ListTable) -> tuple[bool, list[float]]:
    """(landscape, widths in mm incl. the STT column) that fit the page.

    Each column asks for its widest text (header words or a sampled cell, at most
    :data:`MAX_COLUMN_MM`); portrait when everything fits, else landscape, and the
    wide columns give way when even that is too narrow.
    """
    from core.documents import fonts
    fonts.register_fonts()
    pt_per_mm = 72 / 25.4

    def width_of(value: str, font: str = fonts.REGULAR) -> float:
        return fonts.string_width(value, font, SIZE) / pt_per_mm + 3

    sample = table.rows[:SAMPLE]
    wanted = [max(width_of(str(len(table.rows))), width_of(STT, fonts.BOLD))]
    for c, header in enumerate(table.headers):
        head = max(max((width_of(w, fonts.BOLD) for w in header.split()), default=8),
                   min(width_of(header, fonts.BOLD), 22))
        cells = max((width_of(row[c]) + 4 * (table.indents[r] if table.indents else 0)
                     for r, row in enumerate(sample)), default=0)
        wanted.append(min(max(head, cells, 12), MAX_COLUMN_MM))
    landscape = sum(wanted) > PORTRAIT_MM
    room = LANDSCAPE_MM if landscape else PORTRAIT_MM
    total = sum(wanted)
    if total <= room:                      # spread what is left over the text columns
        spare = room - total
        text_cols = [i for i, k in enumerate(["number"] + table.kinds) if k == "text" and i]
        for i in text_cols or range(1, len(wanted)):
            wanted[i] += spare / len(text_cols or range(1, len(wanted)))
        return landscape, wanted
    fixed = [w for w in wanted if w <= 30]
    flexible = total - sum(fixed)
    scale = (room - sum(fixed)) / flexible if flexible else room / total
    return landscape, [w if w <= 30 else w * scale for w in wanted]


def list_pdf(ctx: Context, table: ListTable, out,
             check: Callable[[], None] | None = None) -> tuple[str, int]:
    """*table* on paper into *out*; return (path, page count)."""
    from reportlab.lib.units import mm
    from reportlab.lib.utils import simpleSplit
    from reportlab.platypus import Spacer, Table, TableStyle

    from core.documents import fonts
    from core.documents.common import (LANDSCAPE, PORTRAIT, build_official, grid_style,
                                       para, styles, text)
    st = styles()
    landscape, widths_mm = column_widths(table)
    widths = [w * mm for w in widths_mm]
    head = st["cell_head"].clone("list_head", fontSize=SIZE, leading=SIZE * 1.2)
    data = [[para(h, head) for h in [STT, *table.headers]]]
    for n, row in enumerate(table.rows, 1):
        if check is not None and n % CHUNK == 0:
            check()
        cells = [str(n)]
        for c, value in enumerate(row):
            if not value:
                cells.append("")
                continue
            shown = ("    " * table.indents[n - 1] if table.indents and c == 0 else "") + \
                text(value)
            room = widths[c + 1] - 4
            if fonts.string_width(shown, fonts.REGULAR, SIZE) <= room:   # most cells: one line
                cells.append(shown)
            else:
                cells.append("\n".join(simpleSplit(shown, fonts.REGULAR, SIZE, room)))
        data.append(cells)
    style = grid_style() + [
        ("VALIGN", (0, 1), (-1, -1), "TOP"), ("FONTSIZE", (0, 1), (-1, -1), SIZE),
        ("LEADING", (0, 1), (-1, -1), SIZE * 1.2), ("ALIGN", (0, 1), (0, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2)]
    for c, kind in enumerate(table.kinds, 1):
        if kind == "number":
            style.append(("ALIGN", (c, 1), (c, -1), "RIGHT"))
        elif kind in ("date", "bool"):
            style.append(("ALIGN", (c, 1), (c, -1), "CENTER"))
    grid = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    grid.setStyle(TableStyle(style))
    caption = "; ".join(table.conditions)
    story = [_header(ctx, st, sum(widths)), Spacer(1, 2 * mm),
             para(table.title.upper(), st["type"])]
    if caption:
        story.append(para(f"({caption})", st["caption"]))
    story += [para(f"Tổng số: {format_number(len(table.rows))} dòng", st["caption"]),
              Spacer(1, 3 * mm), grid]
    with atomic_path(out) as temp:
        pages = build_official(temp, story, title=table.title, author=ctx.station.name,
                               pagesize=LANDSCAPE if landscape else PORTRAIT)
    return str(out), pages


# -- Excel ----------------------------------------------------------------------

def _value(kind: str, shown: str):
    """A cell's value for Excel: real dates and numbers, text otherwise."""
    if not shown:
        return None
    if kind == "date" and len(shown) == 10:
        day, month, year = shown.split("/")
        return dt.date(int(year), int(month), int(day))
    if kind == "number":
        digits = shown.replace(".", "").replace(",", ".")
        try:
            return int(digits) if "." not in digits else float(digits)
        except ValueError:
            return shown
    return shown


def list_xlsx(ctx: Context, table: ListTable | ListStream, out,
              check: Callable[[], None] | None = None) -> tuple[str, int]:
    """*table* (or a stream of its rows) into a workbook at *out*; return (path, rows)."""
    from openpyxl import Workbook

    from core.workbook.plain import discard
    book = Workbook(write_only=True)
    try:
        return _list_book(ctx, book, table, out, check)
    except BaseException:       # cancelled, a full disk: no open stream, no sheet file
        discard(book)
        raise


def _list_book(ctx: Context, book, table: ListTable | ListStream, out,
               check: Callable[[], None] | None) -> tuple[str, int]:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from core.workbook.plain import plain_cell, printable
    stream = table if isinstance(table, ListStream) else ListStream(
        table, len(table.rows), iter([table.rows]))
    head_table = stream.head
    sheet = book.create_sheet(_sheet_name(head_table.title))
    for c, header in enumerate([STT, *head_table.headers]):
        longest = max([len(w) for w in header.split()] + [
            len(row[c - 1]) for row in head_table.rows[:SAMPLE] if c]) if header else 6
        sheet.column_dimensions[get_column_letter(c + 1)].width = max(6, min(60, longest + 2))
    sheet.freeze_panes = "A5"

    def styled(value, **font) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(name="Times New Roman", size=font.pop("size", 12), **font)
        return cell

    agency = ctx.setting("doc.agency") or ctx.station.name
    conditions = head_table.conditions
    sheet.append([styled(printable(head_table.title.upper()), size=14, bold=True)])
    sheet.append([styled(printable(f"{agency} — ngày {local_today():%d/%m/%Y}"
                                   + (f" — {'; '.join(conditions)}" if conditions else "")),
                         italic=True)])
    sheet.append([f"Tổng số: {format_number(stream.total)} dòng"])
    head = []
    for value in [STT, *head_table.headers]:
        cell = styled(value, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        head.append(cell)
    sheet.append(head)
    kinds, indents = head_table.kinds, head_table.indents
    date_cells = {c for c, k in enumerate(kinds) if k == "date"}
    n = 0
    for part in stream.chunks:
        if check is not None:
            check()
        for row in part:
            n += 1
            values = [n]
            for c, (kind, shown) in enumerate(zip(kinds, row)):
                if c == 0 and indents:
                    shown = "    " * indents[n - 1] + shown
                value = _value(kind, shown)
                if c in date_cells and isinstance(value, dt.date):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = "DD/MM/YYYY"
                    values.append(cell)
                elif isinstance(value, str):
                    values.append(plain_cell(sheet, printable(value)))
                else:
                    values.append(value)
            sheet.append(values)
    with atomic_path(out) as temp:
        book.save(temp)
    return str(out), n


def _sheet_name(title: str) -> str:
    """A sheet name Excel accepts (31 characters, none of []:*?/\\)."""
    kept = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()
    return (kept or "Danh sách")[:31]
