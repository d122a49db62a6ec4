"""The user guide inside the window (Help ▸ Hướng dẫn sử dụng).

The guide is docs/huong-dan-su-dung.md (Markdown, Vietnamese); its screenshots are in
resources/docs/img/. The bundle keeps the same layout under its resource root, so
the relative image links work from source and from the installed program.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from core.resources import resource_root

GUIDE_TITLE = "Hướng dẫn sử dụng"


def guide_path() -> Path:
    """Where the guide's Markdown file is (source tree or bundle)."""
    return resource_root() / "docs" / "huong-dan-su-dung.md"


class GuideDialog(QDialog):
    """The guide in a scrollable, non-modal window with its screenshots."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(GUIDE_TITLE)
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(True)
        path = guide_path()
        if path.exists():
            self.browser.document().setBaseUrl(QUrl.fromLocalFile(str(path.parent) + "/"))
            self.browser.setSearchPaths([str(path.parent)])
            self.browser.setMarkdown(path.read_text(encoding="utf-8"))
        else:
            self.browser.setPlainText(f"Không tìm thấy tệp hướng dẫn: {path}")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Đóng")
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(1060, 700)    # the screenshots are up to 1000 px wide


def show_guide(parent: QWidget | None = None) -> GuideDialog:
    """Open (or raise) the guide window."""
    dialog = getattr(parent, "guide_dialog", None)
    if dialog is None:
        dialog = GuideDialog(parent)
        if parent is not None:
            parent.guide_dialog = dialog
    dialog.show()
    dialog.raise_()
    return dialog
