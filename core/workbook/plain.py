"""Text written to a workbook stays text: never a live formula.

A name such as ``=HYPERLINK(…)`` taken in from a package or typed in a form
would otherwise run as a formula in Excel on the province's computer. Cells
whose text starts with a formula sign are written as plain strings. A write-only
workbook that will not be saved is finished by :func:`discard`.
"""
from __future__ import annotations

import contextlib

from openpyxl.cell import WriteOnlyCell

from core.rules import CONTROL, printable as printable_text

FORMULA_SIGNS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: object) -> bool:
    """True for a text that a spreadsheet could take for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_SIGNS)


def plain_cell(sheet, value: object) -> object:
    """*value* for a write-only *sheet*: a text cell when it looks like a formula."""
    if not looks_like_formula(value):
        return value
    cell = WriteOnlyCell(sheet, value=printable_text(value))
    cell.data_type = "s"
    return cell


def defuse(book) -> None:
    """Make every formula-looking cell of an ordinary workbook a text cell."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or looks_like_formula(cell.value):
                    cell.data_type = "s"


def printable(value: object) -> object:
    """*value* with the characters a workbook cannot hold shown as “?”."""
    if isinstance(value, str):
        return printable_text(value)
    return value        # cells made by plain_cell are printable already


def has_unprintable(values: list) -> bool:
    """True when a text among *values* holds a character a workbook cannot hold."""
    texts = [v for v in values if isinstance(v, str)]
    return bool(texts) and CONTROL.search("".join(texts)) is not None


def discard(book) -> None:
    """Finish the sheets of a workbook that will not be saved (a full disk, a cancel).

    A write-only sheet streams into an open generator; left open, it is closed
    when the program ends and prints lxml's complaint (a traceback) on the
    terminal after the clear refusal. Its temporary file (the sheet's rows, with
    names) is removed now, not when the window is closed.
    """
    for sheet in book.worksheets:
        rows = getattr(sheet, "_rows", None)
        if rows is not None:
            with contextlib.suppress(Exception):
                rows.close()
        writer = getattr(sheet, "_writer", None)
        stream = getattr(writer, "xf", None)
        if stream is not None:
            with contextlib.suppress(Exception):
                stream.close()
        if writer is not None:          # the sheet's own file holds personal data
            with contextlib.suppress(Exception):
                writer.cleanup()
