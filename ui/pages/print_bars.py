"""The printing buttons of the list screens (Khen thưởng, Thành viên, Mô hình)."""
from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QDoubleSpinBox, QHBoxLayout,
                               QLabel, QPushButton)

from core.documents.commendations import decision_numbers
from core.errors import NotFound
from core.repos.activities import CommendationRepo
from ui import dialogs, jobs, printing
from ui.forms.document_settings import OFFSET_KEYS, read_offset

PREPRINTED_KEY = "printing/preprinted"


def _print_bar(page) -> QHBoxLayout:
    """The list's second row of buttons (made by ListPage, list export on its right)."""
    return page.print_bar


def _add(page, widget) -> None:
    """Put *widget* after the page's other printing controls, left of the stretch."""
    page.print_bar.insertWidget(page.print_bar_end, widget)
    page.print_bar_end += 1


def _button(page, bar: QHBoxLayout, text: str, slot, tip: str) -> QPushButton:
    button = QPushButton(text, page)
    button.setToolTip(tip)
    button.clicked.connect(slot)
    _add(page, button)
    return button


def selected_ids(page) -> list[str]:
    """Ids of every selected row, top to bottom."""
    rows = sorted(index.row() for index in page.view.selectionModel().selectedRows())
    return [page.model.id_at(row) for row in rows]


# -- Khen thưởng --------------------------------------------------------------

def add_commendation_printing(page) -> None:
    """“In giấy khen”, “In theo quyết định…”, “Quyết định khen thưởng…”, pre-printed paper."""
    page.view.setSelectionMode(QAbstractItemView.ExtendedSelection)
    bar = _print_bar(page)
    page.print_selected_button = _button(
        page, bar, "In giấy khen đã chọn", lambda: print_selected(page),
        "In giấy khen cho các dòng đang chọn (giữ Ctrl hoặc Shift để chọn nhiều dòng)")
    page.print_decision_certs_button = _button(
        page, bar, "In giấy khen theo quyết định…", lambda: print_decision_certificates(page),
        "In giấy khen cho mọi khen thưởng của một quyết định")
    page.print_decision_button = _button(
        page, bar, "Quyết định khen thưởng…", lambda: print_decision_document(page),
        "In văn bản “Quyết định khen thưởng” kèm danh sách")
    bar.insertSpacing(page.print_bar_end, 8)
    page.print_bar_end += 1
    page.preprinted = QCheckBox("In trên phôi in sẵn", page)
    page.preprinted.setToolTip("Chỉ in phần chữ, cho giấy khen đã in sẵn khung và tiêu đề")
    page.preprinted.setChecked(QSettings().value(PREPRINTED_KEY, False, type=bool))
    _add(page, page.preprinted)
    page.offsets = {}
    for key, text in zip(OFFSET_KEYS, ("lệch phải", "lệch lên")):
        label = QLabel(text, page)
        spin = QDoubleSpinBox(page)
        spin.setRange(-50, 50)
        spin.setDecimals(1)
        spin.setSingleStep(0.5)
        spin.setSuffix(" mm")
        spin.setValue(read_offset(page.ctx, key))
        spin.setToolTip("Dịch toàn bộ chữ khi in trên phôi (số âm: ngược lại); được ghi nhớ")
        spin.valueChanged.connect(lambda value, k=key: page.ctx.set_setting(k, value))
        _add(page, label)
        _add(page, spin)
        page.offsets[key] = (label, spin)
    page.preprinted.toggled.connect(lambda on: _preprinted_changed(page, on))
    _preprinted_changed(page, page.preprinted.isChecked())
    # “Cài đặt văn bản…” is in the Tệp menu: one more button here widened the window
    # past 1366 px once the list got “Xuất Excel…” and “In danh sách…”


def _preprinted_changed(page, on: bool) -> None:
    QSettings().setValue(PREPRINTED_KEY, on)
    for label, spin in page.offsets.values():
        label.setEnabled(on)
        spin.setEnabled(on)


def print_selected(page) -> None:
    """Certificates of the selected commendations."""
    ids = selected_ids(page)
    if not ids:
        dialogs.show_error(page, "Hãy chọn ít nhất một khen thưởng trong danh sách.")
        return
    printing.print_certificates(page, page.ctx, ids=ids,
                                preprinted=page.preprinted.isChecked())


def _selected_decision(page) -> str | None:
    record_id = page.selected_id()
    if record_id is None:
        return None
    try:
        return CommendationRepo(page.ctx.store).get(record_id).decision_no or None
    except NotFound:
        return None


def print_decision_certificates(page) -> None:
    """Certificates of every commendation of one decision."""
    number = printing.pick_decision(page, decision_numbers(page.ctx), _selected_decision(page))
    if number:
        printing.print_certificates(page, page.ctx, decision=number,
                                    preprinted=page.preprinted.isChecked())


def print_decision_document(page) -> None:
    """The decision document of one decision number."""
    number = printing.pick_decision(page, decision_numbers(page.ctx), _selected_decision(page))
    if number:
        printing.print_decision(page, page.ctx, number)


# -- Thành viên / Mô hình ----------------------------------------------------------

def add_members_printing(page) -> None:
    """“In danh sách trích ngang” of everyone, or of the model chosen in the filter."""
    bar = _print_bar(page)
    page.print_members_button = _button(
        page, bar, "In danh sách trích ngang", lambda: print_members_list(page),
        "Mọi người đang tham gia; khi lọc theo một mô hình thì chỉ mô hình đó")


def print_members_list(page) -> None:
    """The member list: of the filtered model if one is chosen."""
    model_id = page.model_filter.value()
    name = page.model_filter.currentText() if model_id else ""
    printing.print_members(page, page.ctx, model_id, name)


def add_model_members_printing(page) -> None:
    """“In danh sách trích ngang” of the selected model."""
    bar = _print_bar(page)
    page.print_members_button = _button(
        page, bar, "In danh sách trích ngang của mô hình", lambda: print_model_members(page),
        "Danh sách thành viên đang tham gia mô hình đang chọn")


def print_model_members(page) -> None:
    """The member list of the selected model."""
    model_id = page.selected_id()
    if model_id is None:
        dialogs.show_error(page, "Hãy chọn một mô hình trong danh sách.")
        return
    row = page.model.row_of(model_id)
    name = page.model.index(row, 0).data() if row >= 0 else ""
    printing.print_members(page, page.ctx, model_id, name or "")


# -- Sự kiện ---------------------------------------------------------------------

def add_event_printing(page) -> None:
    """“In danh sách điểm danh…” and “In biên bản…” of the selected event."""
    _print_bar(page)
    page.print_attendance_button = _button(
        page, page.print_bar, "In danh sách điểm danh…", lambda: print_event_attendance(page),
        "Danh sách người tham dự sự kiện đang chọn, có cột ký tên")
    page.print_minutes_button = _button(
        page, page.print_bar, "In biên bản…", lambda: print_event_minutes(page),
        "Biên bản của sự kiện đang chọn (thời gian, địa điểm, chủ trì, nội dung, kết quả)")


def _selected_event(page) -> str | None:
    event_id = page.selected_id()
    if event_id is None:
        dialogs.show_error(page, "Hãy chọn một sự kiện trong danh sách.")
    return event_id


def print_event_attendance(page) -> None:
    """The attendance list of the selected event."""
    event_id = _selected_event(page)
    if event_id:
        printing.print_attendance(page, page.ctx, event_id)


def print_event_minutes(page) -> None:
    """Ask what the biên bản says beyond the event record, then print it."""
    from ui.forms.minutes import MinutesDialog
    event_id = _selected_event(page)
    if not event_id:
        return
    dialog = MinutesDialog(page.ctx, event_id, page)
    if dialog.exec() != MinutesDialog.DialogCode.Accepted:
        return
    details = dialog.details()
    if not dialog.save_wanted():
        printing.print_minutes(page, page.ctx, event_id, details)
        return
    from core.services.activities import save_minutes
    kept = dialog.saved_details()           # read on the UI thread, never in the worker
    window = getattr(page, "window_", None)
    # kept first (audited like any change of the event), then printed as typed
    jobs.run_on_station(
        page, page.ctx, lambda ctx, control: save_minutes(ctx, event_id, kept),
        needs="edit", label="Đang lưu thông tin biên bản…", cancellable=False,
        on_changed=window.data_changed if window is not None else None,
        on_success=lambda _changes: printing.print_minutes(page, page.ctx, event_id, details))
