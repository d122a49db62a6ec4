"""Printed documents (Qt-free): certificates, decisions, reports, member lists.

Each function writes its file atomically and returns (path, page count) — for
the workbook, (path, sheet count). The window previews the PDF with QtPdf.

Import the functions from their modules (``core.documents.report_pdf.report_pdf``,
``core.documents.certificates.print_commendations``, …): this package imports
nothing itself, so that opening the window or a headless command does not load
reportlab and openpyxl until a document is made.
"""
