"""Small widgets shared by the forms and lists: dates, choices, the form dialog."""
from __future__ import annotations

import copy
from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractSpinBox, QComboBox,
                               QCompleter, QDialog, QDialogButtonBox, QFormLayout, QHeaderView,
                               QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QTableWidget,
                               QPlainTextEdit, QTextEdit, QVBoxLayout, QWidget)

from core.errors import FieldError, UserError, ValidationError
from core.text import DateError, format_date, format_number, parse_date
from ui.lazy_qt import Qt  # the real Qt namespace is built on first use

ERROR_STYLE = "color: #b00020;"
READ_ONLY_STYLE = ("background: #fff4d6; border: 1px solid #e0b84d; border-radius: 3px;"
                   " padding: 6px; color: #5c4400;")

# Read-only text fields look locked (grey), not merely refuse typing.
READ_ONLY_FIELDS = ("QLineEdit[readOnly=\"true\"], QAbstractSpinBox[readOnly=\"true\"]"
                    " { background: #f0f0f0; color: #222; }")


def view_only_banner(ctx, owner: str | None) -> str | None:
    """Why a record opens read-only here (None when it opens for editing).

    Another station's record (a copy received in a package), or an account that
    may only read.
    """
    from core.accounts import allowed
    if owner not in (ctx.station.code, "", None):
        return read_only_banner(ctx, owner)
    if not allowed(ctx, "edit"):
        if ctx.user:
            return f"Tài khoản “{ctx.user}” chỉ có quyền xem: không sửa được dữ liệu."
        return "Chưa đăng nhập nên chỉ xem được, không sửa được dữ liệu."
    return None


def read_only_banner(ctx, owner: str | None) -> str:
    """“Bản ghi của Công an xã … (nhận qua gói dữ liệu) — chỉ xem.” for another station's record."""
    from core.queries import station_name
    name = station_name(ctx.db, owner) if owner else "đơn vị khác"
    return (f"Bản ghi của {name} (nhận qua gói dữ liệu) — chỉ xem.\n"
            "Muốn sửa, đơn vị đó sửa trên máy của mình rồi gửi tệp mới.")


class DateEdit(QLineEdit):
    """A date typed as dd/mm/yyyy (or a year alone when *allow_year*)."""

    def __init__(self, parent: QWidget | None = None, *, allow_year: bool = False):
        super().__init__(parent)
        self.allow_year = allow_year
        self.setPlaceholderText("dd/mm/yyyy" + (" hoặc năm" if allow_year else ""))
        self.setMaximumWidth(160)

    def value(self) -> str | None:
        """The ISO date typed (None when empty); raises DateError when unreadable."""
        return parse_date(self.text(), allow_year=self.allow_year)

    def set_value(self, iso: str | None) -> None:
        """Show an ISO date as dd/mm/yyyy."""
        self.setText(format_date(iso))


class ChoiceCombo(QComboBox):
    """A combo box of (label, value) pairs; ``value()`` gives the chosen value."""

    def __init__(self, items: Iterable[tuple[str, object]] = (), parent: QWidget | None = None):
        super().__init__(parent)
        # Long model or commune names must not widen the window past a 1366 px screen;
        # the open list still shows them whole (see showPopup).
        self.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(10)
        self.set_items(items)

    def showPopup(self) -> None:  # noqa: N802 - Qt override
        """Open the list wide enough for its longest label."""
        view = self.view()
        view.setMinimumWidth(min(view.sizeHintForColumn(0) + 30, 700))
        super().showPopup()

    def set_items(self, items: Iterable[tuple[str, object]]) -> None:
        """Replace the items, keeping the chosen value when it is still offered."""
        current = self.value()
        self.blockSignals(True)
        self.clear()
        for label, value in items:
            self.addItem(label, value)
        self.blockSignals(False)
        self.set_value(current)

    def value(self):
        """The value of the chosen item (None when there is none)."""
        return self.currentData() if self.count() else None

    def set_value(self, value: object) -> None:
        """Choose the item holding *value* (the first one when absent)."""
        index = self.findData(value)
        self.setCurrentIndex(index if index >= 0 else 0)


# The signals that say a field was changed by the person (or its value set).
CHANGE_SIGNALS = ("textChanged", "editTextChanged", "currentIndexChanged", "valueChanged",
                  "itemChanged", "toggled", "dateChanged")


def clear_on_change(widget: QWidget, error: QLabel) -> None:
    """Hide *error* as soon as *widget*'s value changes: a fixed field drops its old text."""
    def hide(*_args) -> None:
        if error.isVisibleTo(error.parentWidget()) or error.text():
            error.clear()
            error.hide()
    for name in CHANGE_SIGNALS:
        signal = getattr(widget, name, None)
        if signal is not None and hasattr(signal, "connect"):
            signal.connect(hide)


SEARCH_ROLE = 0x0100 + 7      # Qt.UserRole + 7: an item's text to complete against


class FoldedCompleter(QCompleter):
    """Completes against SEARCH_ROLE (folded spellings) but puts the item's own text in
    the field, so that “e de” offers and writes “Ê-đê”."""

    def pathFromIndex(self, index) -> str:  # noqa: N802 - Qt override
        return index.data()

    def splitPath(self, path: str) -> list[str]:  # noqa: N802 - Qt override
        from core.text import fold
        return [fold(path) if path.isascii() else path]


class EthnicityCombo(QComboBox):
    """Dân tộc: the official list of 54 to choose from, or typed with completion.

    The list is :mod:`core.ethnicities`; what is typed is checked and written the
    official way when the record is saved (“e de” becomes “Ê-đê”), as for the data
    workbook and the list intake. ``text()`` / ``setText()`` as for a line edit.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        from core import ethnicities
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.NoInsert)
        self.setMaxVisibleItems(15)
        self.addItems(["", *ethnicities.names()])
        for index, name in enumerate(ethnicities.names(), start=1):
            # matched also without tone marks (“e de”, “hmong”): the folded spellings
            self.setItemData(index, f"{name} {ethnicities.search_text(name)}", SEARCH_ROLE)
        completer = FoldedCompleter(self.model(), self)
        completer.setCaseSensitivity(Qt.CaseInsensitive)
        completer.setFilterMode(Qt.MatchContains)
        completer.setCompletionMode(QCompleter.PopupCompletion)
        completer.setCompletionRole(SEARCH_ROLE)
        self.setCompleter(completer)
        self.lineEdit().setPlaceholderText("Chọn hoặc gõ: Kinh, Tày, Ê-đê, …")

    def text(self) -> str:
        """What the field holds (typed or chosen)."""
        return self.currentText()

    def setText(self, value: str | None) -> None:  # noqa: N802 - QLineEdit's name
        """Show *value* (a stored Dân tộc, perhaps not of the list)."""
        index = self.findText(value or "")
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setEditText(value or "")


class CheckList(QListWidget):
    """A list of checkable (label, value) items, e.g. the units of a model."""

    def set_read_only(self) -> None:
        """Only the ticked items, and nobody can change them (a province lists thousands)."""
        for i in range(self.count()):
            item = self.item(i)
            item.setFlags(item.flags() & ~Qt.ItemIsUserCheckable)
            item.setHidden(item.checkState() != Qt.Checked)

    def set_items(self, items: Iterable[tuple[str, str]], checked: Iterable[str] = ()) -> None:
        """Fill the list; items whose value is in *checked* start checked."""
        wanted = set(checked)
        self.clear()
        for label, value in items:
            item = QListWidgetItem(label, self)
            item.setData(Qt.UserRole, value)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked if value in wanted else Qt.Unchecked)

    def checked(self) -> list[str]:
        """Values of the checked items, in list order."""
        return [self.item(i).data(Qt.UserRole) for i in range(self.count())
                if self.item(i).checkState() == Qt.Checked]

    def set_checked(self, value: str, on: bool = True) -> None:
        """Check (or uncheck) the item holding *value*."""
        for i in range(self.count()):
            if self.item(i).data(Qt.UserRole) == value:
                self.item(i).setCheckState(Qt.Checked if on else Qt.Unchecked)


class DeleteKeyFilter(QObject):
    """Calls *action* when Delete is pressed in the watched list."""

    def __init__(self, parent: QObject, action):
        super().__init__(parent)
        self._action = action

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.KeyPress and event.key() == Qt.Key_Delete:
            self._action()
            return True
        return False


def int_or_none(text: str) -> int | None:
    """Read a whole number typed with or without thousands dots; None when empty."""
    cleaned = text.strip().replace(".", "").replace(" ", "")
    if not cleaned:
        return None
    if not cleaned.lstrip("-").isdigit():
        raise ValueError(f"“{text.strip()}” không phải là số nguyên.")
    return int(cleaned)


def number_text(value: int | None) -> str:
    """Show a whole number as 1.051 (empty for None)."""
    return "" if value is None else format_number(value)


DISCARD_QUESTION = "Bỏ các thay đổi chưa lưu?"
DISCARD_CHOICES = ["Bỏ thay đổi", "Tiếp tục sửa"]


class AsksBeforeDiscard:
    """Escape and the title bar's ✕ ask before dropping what was typed.

    Put before ``QDialog`` in the bases. What the dialog holds is remembered when
    it is first shown; closing it unchanged, or read-only (``read_only`` true),
    happens at once. On a changed one both ways go through :meth:`may_close`,
    which asks “Bỏ các thay đổi chưa lưu?”: “Tiếp tục sửa” (or closing the
    question) keeps the dialog open with the text. “Hủy” and a program's
    ``reject()`` close without asking: “Hủy” is the officer's own choice to drop
    the changes.
    """

    _shown_state: tuple | None = None
    read_only = False

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._shown_state is None:
            self._shown_state = self.field_state()

    def field_state(self) -> tuple:
        """Everything typed or chosen in the dialog, to see whether anything changed."""
        state = []
        for widget in self.findChildren(QWidget):
            if isinstance(widget, QLineEdit):
                state.append(widget.text())
            elif isinstance(widget, (QTextEdit, QPlainTextEdit)):
                state.append(widget.toPlainText())
            elif isinstance(widget, QComboBox):
                state.append(widget.currentIndex())
            elif isinstance(widget, QAbstractButton) and widget.isCheckable():
                state.append(widget.isChecked())
            elif isinstance(widget, QListWidget):
                state.append(tuple(widget.item(i).checkState() == Qt.Checked
                                   for i in range(widget.count())))
            elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
                state.append(widget.model().rowCount())
        return tuple(state)

    def is_changed(self) -> bool:
        """True when something was typed or chosen since the dialog opened."""
        return self._shown_state is not None and self.field_state() != self._shown_state

    def may_close(self) -> bool:
        """True when closing loses nothing, or the person chose “Bỏ thay đổi”."""
        if self.read_only or not self.is_changed():
            return True
        from ui import dialogs
        return dialogs.choose(self, DISCARD_QUESTION, DISCARD_CHOICES, "Đóng biểu mẫu") == 0

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Escape on a changed dialog asks first (QDialog's Escape closes at once)."""
        if (event.key() == Qt.Key_Escape and not event.modifiers()
                and not self.may_close()):
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        """The title bar's ✕ (or ``close()``) on a changed dialog asks first."""
        if self.isVisible() and not self.may_close():
            event.ignore()
            return
        super().closeEvent(event)


class FormDialog(AsksBeforeDiscard, QDialog):
    """A record form: fields with their error line, “Lưu” (Enter) and “Hủy” (Esc).

    Subclasses add fields with :meth:`add_field` and implement :meth:`save`,
    which calls a core service; a :class:`ValidationError` shows each message
    in red under its field and keeps the dialog open.
    """

    saved = Signal(str)

    def __init__(self, ctx, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.record_id: str | None = None
        self.changes = None
        self.read_only = False
        # Controls that only choose what is shown (e.g. the year of a unit): usable read-only.
        self.browse_widgets: tuple[QWidget, ...] = ()
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self._errors: dict[str, QLabel] = {}
        layout = QVBoxLayout(self)
        self.banner = QLabel(self)
        self.banner.setStyleSheet(READ_ONLY_STYLE)
        self.banner.setWordWrap(True)
        self.banner.hide()
        layout.addWidget(self.banner)
        self.general_error = QLabel(self)
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        layout.addWidget(self.general_error)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        layout.addLayout(self.form)
        self.extra = QVBoxLayout()
        layout.addLayout(self.extra)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel, self)
        self.buttons.button(QDialogButtonBox.Save).setText("Lưu")
        self.buttons.button(QDialogButtonBox.Save).setDefault(True)
        self.buttons.button(QDialogButtonBox.Cancel).setText("Hủy")
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    # -- keyboard: the first field has the focus (Escape and ✕: see AsksBeforeDiscard) --

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        """At first show: the cursor in the first field; remember what the form holds."""
        first_show = self._shown_state is None
        super().showEvent(event)
        if first_show and not self.read_only:
            first = self.first_field()
            if first is not None:
                first.setFocus()

    def first_field(self) -> QWidget | None:
        """The first field a person types in (not “Lưu”, not a read-only one)."""
        for row in range(self.form.rowCount()):
            item = self.form.itemAt(row, QFormLayout.FieldRole)
            widget = item.widget() if item is not None else None
            if widget is None:
                continue
            for candidate in (widget, *widget.findChildren(QWidget)):
                if (candidate.focusPolicy() & Qt.TabFocus and candidate.isEnabled()
                        and candidate.isVisibleTo(self)
                        and not (hasattr(candidate, "isReadOnly") and candidate.isReadOnly())):
                    return candidate
        return None

    def set_read_only(self, banner: str) -> None:
        """Show the record without letting anyone change it (another station's record).

        Every field becomes read-only or disabled, “Lưu” disappears, “Hủy” becomes
        “Đóng” and *banner* says whose record it is. The store refuses the write
        anyway (``core.store``); this keeps the person from trying.
        """
        self.read_only = True
        self.banner.setText(banner)
        self.banner.show()
        title = self.windowTitle()
        if title.startswith("Sửa "):
            self.setWindowTitle("Xem " + title[4:] + " (chỉ xem)")
        kept = tuple(self.browse_widgets)
        for widget in self.findChildren(QWidget):
            if any(k is widget or k.isAncestorOf(widget) for k in (*kept, self.buttons)):
                continue
            if hasattr(widget, "set_read_only") and widget is not self:
                widget.set_read_only()
            elif isinstance(widget, (QLineEdit, QAbstractSpinBox, QTextEdit)):
                widget.setReadOnly(True)
            elif isinstance(widget, (QComboBox, QAbstractButton)):
                widget.setEnabled(False)
        self.setStyleSheet(self.styleSheet() + READ_ONLY_FIELDS)    # after setReadOnly
        save = self.buttons.button(QDialogButtonBox.Save)
        save.hide()
        save.setDefault(False)
        close = self.buttons.button(QDialogButtonBox.Cancel)
        close.setText("Đóng")
        close.setDefault(True)
        close.setFocus()

    def add_field(self, field: str, label: str, widget: QWidget) -> QWidget:
        """Add a labelled field with a red error line under it."""
        box = QWidget(self)
        inner = QVBoxLayout(box)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(2)
        inner.addWidget(widget)
        error = QLabel(box)
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        inner.addWidget(error)
        self._errors[field] = error
        clear_on_change(widget, error)
        self.form.addRow(label, box)
        from ui.tooltips import tooltip
        tip = tooltip(type(self).__name__, field)
        if tip and not widget.toolTip():
            widget.setToolTip(tip)
            label_widget = self.form.labelForField(box)
            if label_widget is not None:
                label_widget.setToolTip(tip)
        return widget

    def error_label(self, field: str) -> QLabel | None:
        """The error line of *field* (for tests and subclasses)."""
        return self._errors.get(field)

    def clear_errors(self) -> None:
        """Hide every error line."""
        for label in (*self._errors.values(), self.general_error):
            label.clear()
            label.hide()

    def show_errors(self, errors: list[FieldError]) -> None:
        """Show each message under its field (or on top when the field is not shown)."""
        self.clear_errors()
        general = []
        for error in errors:
            label = self._errors.get(error.field)
            if label is None:
                general.append(error.message)
                continue
            label.setText("\n".join(filter(None, [label.text(), error.message])))
            label.show()
        if general:
            self.general_error.setText("\n".join(general))
            self.general_error.show()

    def read_date(self, errors: list[FieldError], field: str, widget: DateEdit) -> str | None:
        """The ISO value of a date field, adding a located error when unreadable."""
        try:
            return widget.value()
        except DateError as exc:
            errors.append(FieldError(field, str(exc)))
            return None

    def read_int(self, errors: list[FieldError], field: str, widget: QLineEdit) -> int | None:
        """The whole number typed in a field, adding a located error when unreadable."""
        try:
            return int_or_none(widget.text())
        except ValueError as exc:
            errors.append(FieldError(field, str(exc)))
            return None

    def fail(self, errors: list[FieldError], validator=None, record=None) -> None:
        """Raise *errors* together with the service's own findings on *record*.

        Unreadable dates stop the save before the service runs; checking the rest
        of the record as well shows every problem at once.
        """
        found = list(errors)
        if validator is not None and record is not None:
            fields = {e.field for e in errors}
            found += [e for e in validator(self.ctx, copy.deepcopy(record))
                      if e.field not in fields]
        raise ValidationError(found)

    def try_save(self) -> None:
        """Save through the core service; close on success, show errors otherwise."""
        if self.read_only:
            return
        try:
            record_id = self.save()
        except ValidationError as exc:
            self.show_errors(exc.errors)
            return
        except UserError as exc:
            self.show_errors([FieldError("", str(exc))])
            return
        if record_id is None:
            return
        self.record_id = record_id
        self.saved.emit(record_id)
        self.accept()

    def save(self) -> str | None:
        """Write the record; return its id (None: stay open, nothing saved)."""
        raise NotImplementedError


def error_label(parent: QWidget) -> QLabel:
    """A hidden, wrapping red label for a form's error message."""
    label = QLabel(parent)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


def readonly_table(parent: QWidget, headers: list[str] | tuple[str, ...],
                   widths: tuple[int, ...], rows: int = 0) -> QTableWidget:
    """A small read-only table (a handful of rows: accounts, backups) with one-row selection.

    Entity lists use the SQL table models instead; this is for short fixed lists only.
    """
    table = QTableWidget(rows, len(headers), parent)
    table.setHorizontalHeaderLabels(list(headers))
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    table.setSelectionMode(QAbstractItemView.SingleSelection)
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    table.verticalHeader().setDefaultSectionSize(24)
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.Interactive)
    for column, width in enumerate(widths):
        header.resizeSection(column, width)
    return table


class LoadOnFirstShow:
    """Mixin for a page that reads its data when first shown, not at window start.

    The page sets ``self.shown_once = False`` in its constructor and starts its
    ``refresh()`` with ``if not self.ready_to_refresh(): return``.
    """

    shown_once = False

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Read the data the first time the page is shown."""
        super().showEvent(event)
        if not self.shown_once:
            self.refresh()

    def ready_to_refresh(self) -> bool:
        """False for a page never shown yet (it reads its data at first show)."""
        if not (self.shown_once or self.isVisible()):
            return False
        self.shown_once = True
        return True
