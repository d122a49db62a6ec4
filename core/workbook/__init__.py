"""The data workbook (docs/workbook.md): blank template, import and export.

Qt-free. The command line and the window call exactly this API::

    write_template(path)
    import_workbook(ctx, path, *, dry_run=False, skip_invalid=False, progress=None)
    export_workbook(ctx, path) -> {sheet name: rows written}
"""
from __future__ import annotations

import importlib

# Loaded on first use, so that importing a light module of this package (the
# layout, say) does not pull in openpyxl and calamine.
_WHERE = {"export_workbook": "exporter", "import_workbook": "importer",
          "CellError": "report", "ImportReport": "report", "write_template": "template"}


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(f"core.workbook.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'core.workbook' has no attribute {name!r}")


__all__ = ["CellError", "ImportReport", "export_workbook", "import_workbook",
           "write_template"]
