"""Printed documents (Qt-free): certificates, decisions, reports, member lists.

Each function writes its file atomically and returns (path, page count) — for
the workbook, (path, sheet count). The window previews the PDF with QtPdf.
"""
from core.documents.certificates import print_commendations
from core.documents.decision import print_decision
from core.documents.members import members_list_pdf
from core.documents.report_pdf import report_pdf
from core.documents.report_xlsx import report_xlsx

__all__ = ["print_commendations", "print_decision", "members_list_pdf", "report_pdf",
           "report_xlsx"]
