"""What an import tells its caller: counts per sheet, located errors, warnings."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from core.workbook.layout import SHEET_NAMES


@dataclass
class CellError:
    """One faulty cell: the sheet, the row as Excel shows it, the column header."""

    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"Trang “{self.sheet}”, dòng {self.row}, cột “{self.column}”: {self.message}"

    def to_json(self) -> dict:
        """The error as the commands print it (``errors`` of ``--json``)."""
        return {"sheet": self.sheet, "row": self.row, "column": self.column,
                "message": self.message}


def _per_sheet() -> dict[str, int]:
    return {name: 0 for name in SHEET_NAMES}


@dataclass
class ImportReport:
    """The outcome of :func:`core.workbook.import_workbook`.

    Counts are rows per sheet (sheet names as in docs/workbook.md). A row is
    *inserted* when it created a record (a unit, a yearly entry, a person, a
    membership, …), *updated* when it changed one, *unchanged* otherwise. With a
    dry run the counts say what would happen; when errors stopped an
    all-or-nothing import every count is 0. ``applied`` is True only when
    something was committed; ``error_copy`` is the annotated copy of the
    workbook written next to it when there were errors (not on a dry run).
    """

    inserted: dict[str, int] = field(default_factory=_per_sheet)
    updated: dict[str, int] = field(default_factory=_per_sheet)
    unchanged: dict[str, int] = field(default_factory=_per_sheet)
    errors: list[CellError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    applied: bool = False
    error_copy: str | None = None

    def as_dict(self) -> dict:
        """A JSON-ready dict (the shape of ``import-workbook --json``)."""
        return asdict(self)

    def clear_counts(self) -> None:
        """Set every count to 0 (nothing was written)."""
        for counts in (self.inserted, self.updated, self.unchanged):
            for name in counts:
                counts[name] = 0
