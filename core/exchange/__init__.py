"""Exchange with the province by USB: signed, encrypted, idempotent packages.

The functions the command line and the window call:

* :func:`export_package` — write this station's package (atomic, read back);
* :func:`verify_file` — check a package without taking it in;
* :func:`import_files` — take packages in, each whole or not at all;
* :func:`completeness` / :func:`export_status` — who sent what, what was confirmed.

The file format is described in ``docs/exchange-format.md``.
"""
from core.exchange.completeness import completeness, export_status
from core.exchange.envelope import FORMAT_VERSION, PackageError
from core.exchange.export import ExportResult, export_package
from core.exchange.importer import (FileResult, VerifyResult, import_file, import_files,
                                    verify_file)

__all__ = ["FORMAT_VERSION", "ExportResult", "FileResult", "PackageError", "VerifyResult",
           "completeness", "export_package", "export_status", "import_file",
           "import_files", "verify_file"]
