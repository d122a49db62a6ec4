"""The window's keyboard: the “Dữ liệu” menu, whose every item shows its shortcut.

Ctrl+N (Thêm mới), Ctrl+F (Tìm), Ctrl+P (In) and Ctrl+E (Xuất Excel) act on the
tab on show. A page offers ``print_current()`` / ``export_current()`` when it can
print or export what it shows; otherwise the page's own print button is used
(the report's PDF, the member list, the certificates of the selected rows).
"""
from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

# A page without print_current(): its existing print action, first found wins.
PRINT_FALLBACKS = ("print_pdf", "print_members_button", "print_selected_button")
EXPORT_FALLBACKS = ("export_xlsx",)


def _act(page, method: str, fallbacks: tuple[str, ...]) -> bool:
    """Run *method* of *page*, else its first fallback (a method or a button); True if run."""
    for name in (method, *fallbacks):
        target = getattr(page, name, None)
        if target is None:
            continue
        if hasattr(target, "click"):
            if not target.isEnabled():
                continue
            target.click()
        else:
            target()
        return True
    return False


def print_current(window) -> bool:
    """Ctrl+P: print the list or document of the tab on show."""
    if _act(window.current_page(), "print_current", PRINT_FALLBACKS):
        return True
    window.statusBar().showMessage("Thẻ này không có danh sách hay văn bản để in.", 5000)
    return False


def export_current(window) -> bool:
    """Ctrl+E: the list of the tab on show to Excel."""
    if _act(window.current_page(), "export_current", EXPORT_FALLBACKS):
        return True
    window.statusBar().showMessage("Thẻ này không có danh sách để xuất ra Excel.", 5000)
    return False


def _page_call(window, method: str) -> None:
    page = window.current_page()
    if hasattr(page, method):
        getattr(page, method)()


def build_data_menu(window) -> QMenu:
    """“Dữ liệu” (after “Tệp” and “Sửa”, before “Trợ giúp”): the actions on the tab on
    show, with their shortcuts."""
    bar = window.menuBar()
    menu = QMenu("&Dữ liệu", window)
    help_action = next((a for a in bar.actions() if "giúp" in a.text()), None)
    if help_action is not None:
        bar.insertMenu(help_action, menu)
    else:
        bar.addMenu(menu)
    window.data_actions = {}
    for key, text, keys, slot in (
            ("new", "Thêm mới…", "Ctrl+N", lambda: _page_call(window, "add_record")),
            ("edit", "Sửa / xem dòng đang chọn…\tEnter",
             None, lambda: _page_call(window, "edit_selected")),
            ("delete", "Xóa dòng đang chọn\tDelete", None,
             lambda: _page_call(window, "delete_selected")),
            ("find", "Tìm…", "Ctrl+F", lambda: _page_call(window, "focus_search")),
            (None, None, None, None),
            ("print", "In danh sách / văn bản đang xem…", "Ctrl+P",
             lambda: print_current(window)),
            ("export", "Xuất danh sách đang xem ra Excel…", "Ctrl+E",
             lambda: export_current(window))):
        if key is None:
            menu.addSeparator()
            continue
        action = QAction(text, window)
        if keys:
            action.setShortcuts([QKeySequence(keys)])
        action.triggered.connect(lambda _=False, run=slot: run())
        menu.addAction(action)
        window.data_actions[key] = action
    menu.aboutToShow.connect(lambda: _sync(window))
    # greyed items would also block their shortcut on another tab: all on again when closed
    menu.aboutToHide.connect(lambda: [a.setEnabled(True) for a in window.data_actions.values()])
    return menu


def _sync(window) -> None:
    """Grey out what the tab on show cannot do (the shortcuts stay harmless anyway)."""
    page = window.current_page()
    actions = window.data_actions
    editable = getattr(window, "can_edit", True)
    actions["new"].setEnabled(hasattr(page, "add_record") and editable)
    actions["edit"].setEnabled(hasattr(page, "edit_selected"))
    actions["delete"].setEnabled(hasattr(page, "delete_selected") and editable)
    actions["find"].setEnabled(hasattr(page, "focus_search"))
    actions["print"].setEnabled(any(hasattr(page, n)
                                    for n in ("print_current", *PRINT_FALLBACKS)))
    actions["export"].setEnabled(any(hasattr(page, n)
                                     for n in ("export_current", *EXPORT_FALLBACKS)))
