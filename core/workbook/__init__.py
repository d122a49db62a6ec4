"""The data workbook (workbook.md): blank template, import and export.

Qt-free. The command line and the window call exactly this API::

    write_template(path)
    import_workbook(ctx, path, *, dry_run=False, skip_invalid=False, progress=None)
    export_workbook(ctx, path) -> {sheet name: rows written}
"""
from __future__ import annotations

from core.workbook.exporter import export_workbook
from core.workbook.importer import import_workbook
from core.workbook.report import CellError, ImportReport
from core.workbook.template import write_template

__all__ = ["CellError", "ImportReport", "export_workbook", "import_workbook",
           "write_template"]
