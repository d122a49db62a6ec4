"""The list screen every entity shares: search, filters, table, count, buttons."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QMenu, QPushButton, QStackedWidget, QTableView, QVBoxLayout, QWidget)

from core import queries
from core.text import DateError, format_number
from ui import dialogs, recycle_bin
from ui.table_model import SqlTableModel
from ui.widgets import ChoiceCombo, DateEdit, DeleteKeyFilter, FormDialog, view_only_banner

DEBOUNCE_MS = 150


class OnOpenChoiceCombo(ChoiceCombo):
    """A filter whose choices are read when it is first opened, not when the list shows.

    At a province the members' model filter offers some 11,700 models: reading and
    sorting them at first show would delay the list's first paint. Until opened it
    holds only its first item (“all”). After a data change it reads them again at
    the next opening (at once when a choice is selected, so that a choice gone is
    dropped).
    """

    def __init__(self, first: tuple[str, object],
                 loader: Callable[[], list[tuple[str, object]]], parent: QWidget):
        super().__init__([first], parent)
        self._loader = loader
        self.stale = True

    def load(self) -> None:
        """Read the choices now if they are not up to date."""
        if self.stale:
            self.stale = False
            self.set_items(self._loader())

    def invalidate(self) -> None:
        """The data changed: read the choices again when they are next needed."""
        self.stale = True
        if self.value() is not None:
            self.load()

    def showPopup(self) -> None:  # noqa: N802 - Qt override
        """Read the choices, then open the list."""
        self.load()
        super().showPopup()

    def focusInEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Keyboard (and wheel) users reach the choices without opening the list."""
        self.load()
        super().focusInEvent(event)

    def set_value(self, value: object) -> None:
        """Choose *value* (reading the choices first when it is not “all”)."""
        if value is not None:
            self.load()
        super().set_value(value)


def may_edit(window) -> bool:
    """Whether the signed-in account may edit: the window's one read-only value
    (:attr:`ui.main_window.MainWindow.can_edit`, kept on role changes; no query
    per selection)."""
    return window.can_edit


def sync_owned_buttons(edit: QPushButton, delete: QPushButton, has: bool, mine: bool,
                       can_edit: bool = True) -> None:
    """“Sửa”/“Xóa” for this station's records; “Xem” (delete off) for another
    station's, and for every record when the account may only read."""
    edit.setText("Sửa" if mine and can_edit else "Xem")
    edit.setEnabled(has)
    delete.setEnabled(has and mine)
    if not mine:
        edit.setToolTip("Xem dòng đang chọn (Enter) — bản ghi của đơn vị khác, chỉ xem")
    elif not can_edit:
        edit.setToolTip("Xem dòng đang chọn (Enter) — tài khoản chỉ xem")
    else:
        edit.setToolTip("Sửa dòng đang chọn (Enter)")
    if can_edit:              # else the viewer gate holds “Xóa”, with its own tip
        delete.setToolTip("Xóa dòng đang chọn (Delete)" + (
            "" if mine else " — bản ghi của đơn vị khác, không xóa được ở đây"))


class ListPage(QWidget):
    """A searchable, filterable list of one entity with add / edit / delete.

    Subclasses set :attr:`spec`, :attr:`tables` (what refreshes it), texts, and
    implement :meth:`make_form`.
    """

    spec: queries.ListSpec
    title = ""
    noun = "bản ghi"
    tables: frozenset[str] = frozenset()
    empty_text = ""

    def __init__(self, window):
        super().__init__(window)
        self.window_ = window
        self.ctx = window.ctx
        if self.ctx.station.level == "tinh":       # every list at a province says whose
            self.spec = queries.with_commune_column(type(self).spec)
        self.model = SqlTableModel(self.ctx, self.spec, self)
        self._filters: dict[str, Callable[[], object]] = {}
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self.apply_search)
        layout = QVBoxLayout(self)
        self.bar = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Tìm (không cần dấu)…")
        self.search.setToolTip("Tìm trong danh sách, không cần gõ dấu (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        # 200 px: with a list's filters and buttons the bar must fit 1366 px (the window
        # would otherwise widen itself when the tab is shown)
        self.search.setMinimumWidth(200)
        self.search.textChanged.connect(lambda _: self._timer.start())
        self.bar.addWidget(self.search)
        self.filter_bar = QHBoxLayout()
        self.bar.addLayout(self.filter_bar)
        self.bar.addStretch(1)
        self.add_button = self._button("Thêm", self.add_record, "Thêm mới (Ctrl+N)")
        self.edit_button = self._button("Sửa", self.edit_selected, "Sửa dòng đang chọn (Enter)")
        self.delete_button = self._button("Xóa", self.delete_selected,
                                          "Xóa dòng đang chọn (Delete)")
        layout.addLayout(self.bar)
        self._add_print_bar(layout)
        self.stack = QStackedWidget(self)
        self.view = self._make_view()
        self.empty = QLabel(self.empty_text, self)
        self.empty.setAlignment(Qt.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #555; font-size: 15px; padding: 40px;")
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty)
        layout.addWidget(self.stack, 1)
        self.count_label = QLabel(self)
        layout.addWidget(self.count_label)
        self.model.counts_changed.connect(self._show_counts)
        self.add_filters()
        self.owner_filter = self._add_owner_filter()
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._sync_owned())
        self._restore_columns()
        self._show_counts(-1, -1)      # counted when the page is first shown

    def showEvent(self, event) -> None:
        """The list's queries run the first time the page is shown, not at window start."""
        super().showEvent(event)
        if not self.model.loaded:
            self.refresh()

    # -- building -------------------------------------------------------------

    def _button(self, text: str, slot, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        self.bar.addWidget(button)
        return button

    def _add_print_bar(self, layout: QVBoxLayout) -> None:
        """The second row: the page's own printing (added by ui.pages.print_bars) on the
        left, “Xuất Excel…” and “In danh sách…” of the rows shown on the right."""
        self.print_bar = QHBoxLayout()
        layout.addLayout(self.print_bar)
        self.print_bar.addStretch(1)
        self.print_bar_end = 0          # where ui.pages.print_bars inserts a page's buttons
        for text, slot, tip in (
                ("Xuất Excel…", self.export_current,
                 "Xuất đúng các dòng đang hiển thị ra sổ Excel (giữ bộ lọc, tìm kiếm, "
                 "thứ tự sắp xếp; bỏ các cột đang ẩn)"),
                ("In danh sách…", self.print_current,
                 "In đúng các dòng đang hiển thị, có tiêu đề của đơn vị (giữ bộ lọc, "
                 "tìm kiếm, thứ tự sắp xếp; bỏ các cột đang ẩn)")):
            button = QPushButton(text, self)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            self.print_bar.addWidget(button)
        self.export_button = self.print_bar.itemAt(1).widget()
        self.print_list_button = self.print_bar.itemAt(2).widget()

    def print_current(self) -> None:
        """Print the rows shown (filters, search, order and visible columns kept; Ctrl+P)."""
        from ui import list_export
        list_export.print_list(self)

    def export_current(self, target: str | None = None) -> None:
        """Export the rows shown to an Excel workbook (asks where unless *target*)."""
        from ui import list_export
        list_export.export_list(self, target)

    def _make_view(self) -> QTableView:
        view = QTableView(self)
        view.setModel(self.model)
        # Indicator first: enabling sorting then sorts once, by the default column
        # (the other way round ran the list query twice per list at start-up).
        view.horizontalHeader().setSortIndicator(self.spec.default_sort, Qt.AscendingOrder)
        view.setSortingEnabled(True)
        view.setSelectionBehavior(QAbstractItemView.SelectRows)
        view.setSelectionMode(QAbstractItemView.SingleSelection)
        view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.verticalHeader().setDefaultSectionSize(24)
        view.verticalHeader().hide()
        view.horizontalHeader().setStretchLastSection(True)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        view.doubleClicked.connect(lambda _: self.edit_selected())
        view.activated.connect(lambda _: self.edit_selected())
        view.installEventFilter(DeleteKeyFilter(view, self.delete_selected))
        return view

    def add_filters(self) -> None:
        """Subclasses add their filter widgets here."""

    def _add_owner_filter(self) -> ChoiceCombo | None:
        """At a province: “whose records” (this station or one commune), read-only copies.

        Its items are read when the page is first shown (see :meth:`refresh`).
        """
        if self.ctx.station.level != "tinh":
            return None
        combo = self.add_choice_filter("owner", [("Mọi đơn vị gửi", None)])
        combo.setSizeAdjustPolicy(ChoiceCombo.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(8)       # long commune names must not widen the window
        self.search.setMinimumWidth(180)        # room for this extra filter on 1366 px
        combo.setToolTip("Xem bản ghi của một đơn vị (bản ghi của các xã chỉ xem)")
        return combo

    def _owner_items(self) -> list[tuple[str, object]]:
        return [("Mọi đơn vị gửi", None)] + [
            (f"{name} ({code})", code) for code, name in queries.owner_choices(self.ctx.db)]

    def owned(self, record_id: str | None) -> bool:
        """True when this station may change the record (not a copy of a commune's)."""
        if not record_id:
            return False
        owner = queries.owner_of(self.ctx.db, self.spec.table, record_id)
        return owner in (self.ctx.station.code, "")

    def _sync_owned(self) -> None:
        """Delete only this station's own records; another station's opens read-only (“Xem”).

        Both buttons need a selected row (with none they would do nothing).
        """
        record_id = self.selected_id()
        mine = record_id is None or self.owned(record_id)
        sync_owned_buttons(self.edit_button, self.delete_button, record_id is not None, mine,
                           may_edit(self.window_))

    def _refuse_foreign(self, record_id: str) -> bool:
        """Tell the person a commune's record is read-only here; True when refused."""
        if self.owned(record_id):
            return False
        owner = queries.owner_of(self.ctx.db, self.spec.table, record_id)
        dialogs.show_error(self, f"Bản ghi này thuộc đơn vị {owner} (nhận qua gói dữ liệu) "
                                 "nên chỉ xem được, không sửa hay xóa ở đây. Đơn vị đó sửa "
                                 "trên máy của mình rồi gửi tệp mới.")
        return True

    def add_choice_filter(self, key: str, items: list[tuple[str, object]],
                          loader: Callable[[], list[tuple[str, object]]] | None = None
                          ) -> ChoiceCombo:
        """A combo filter; its first item (value None) means “all”.

        With *loader*, only that first item is there until the combo is opened
        (:class:`OnOpenChoiceCombo`); *loader* returns every item, “all” first.
        """
        combo = (ChoiceCombo(items, self) if loader is None
                 else OnOpenChoiceCombo(items[0], loader, self))
        combo.currentIndexChanged.connect(lambda _: self.apply_filters())
        self.filter_bar.addWidget(combo)
        self._filters[key] = combo.value
        return combo

    def add_date_filters(self) -> tuple[DateEdit, DateEdit]:
        """“Từ ngày … đến ngày …” filters on the list's date."""
        edits = []
        for key, label in (("date_from", "Từ ngày"), ("date_to", "đến")):
            self.filter_bar.addWidget(QLabel(label, self))
            edit = DateEdit(self)
            edit.setMaximumWidth(110)
            edit.editingFinished.connect(self.apply_filters)
            self.filter_bar.addWidget(edit)
            self._filters[key] = lambda e=edit: self._date_value(e)
            edits.append(edit)
        return edits[0], edits[1]

    @staticmethod
    def _date_value(edit: DateEdit) -> str | None:
        try:
            value = edit.value()
        except DateError as exc:
            edit.setStyleSheet("border: 1px solid #b00020;")
            edit.setToolTip(str(exc))
            return None
        edit.setStyleSheet("")
        edit.setToolTip("")
        return value

    # -- behaviour ------------------------------------------------------------

    def apply_search(self) -> None:
        """Run the search typed so far (debounced)."""
        self._keeping_selection(lambda: self.model.set_search(self.search.text()))

    def apply_filters(self) -> None:
        """Read every filter widget and re-run the query."""
        values = {key: read() for key, read in self._filters.items()}
        self._keeping_selection(lambda: self.model.set_filters(values))

    def wants_data(self) -> bool:
        """True once the page has been shown (a hidden, never shown page loads later)."""
        return self.model.loaded or self.isVisible()

    def refresh(self) -> None:
        """Re-run the query after data changed, keeping the selection.

        A page never shown yet does nothing: it loads when first shown.
        """
        if not self.wants_data():
            return
        if self.owner_filter is not None:
            self.owner_filter.set_items(self._owner_items())
        self._keeping_selection(self.model.refresh)

    def _keeping_selection(self, change: Callable[[], None]) -> None:
        selected = self.selected_id()
        change()
        if selected:  # only among the ids fetched: a search must not fetch every match
            self.select_id(selected, fetch=False)

    def _show_counts(self, shown: int, total: int) -> None:
        """“Đang hiển thị N / M”; -1 means still being counted (shown as “…”)."""
        def number(value: int) -> str:
            return "…" if value < 0 else format_number(value)
        self.count_label.setText(f"Đang hiển thị {number(shown)} / {number(total)} {self.noun}")
        searching = bool(self.model.search.strip() or self.model.filters)
        if total == 0:
            self.empty.setText(self.empty_text)
        elif shown == 0 and searching:
            self.empty.setText("Không có kết quả phù hợp. Hãy thử từ khóa khác "
                               "hoặc bỏ bớt điều kiện lọc.")
        self.stack.setCurrentWidget(self.view if shown or not self.model.loaded else self.empty)
        self._sync_owned()

    def selected_id(self) -> str | None:
        """Id of the selected row, if any."""
        rows = self.view.selectionModel().selectedRows()
        return self.model.id_at(rows[0].row()) if rows else None

    def select_id(self, record_id: str, fetch: bool = True) -> None:
        """Select and show the row of *record_id* when it is listed.

        With *fetch*, further batches of ids are fetched until it is found
        (after a form saved a record that sorts far down the list).
        """
        row = self.model.locate(record_id) if fetch else self.model.row_of(record_id)
        if row >= 0:
            self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0))

    def focus_search(self) -> None:
        """Ctrl+F: put the cursor in the search box."""
        self.search.setFocus()
        self.search.selectAll()

    def add_record(self) -> None:
        """Ctrl+N: open an empty form."""
        self._run_form(self.make_form(None))

    def edit_selected(self) -> None:
        """Open the selected record's form (read-only for another station's record
        or for an account that may only read)."""
        record_id = self.selected_id()
        if not record_id:
            return
        form = self.make_form(record_id)
        banner = view_only_banner(
            self.ctx, queries.owner_of(self.ctx.db, self.spec.table, record_id))
        if banner:
            form.set_read_only(banner)
        self._run_form(form)

    def _run_form(self, form: FormDialog) -> None:
        if form.exec() == QDialog.DialogCode.Accepted and form.record_id:
            self.window_.data_changed(form.changes.tables() if form.changes else self.tables)
            self.select_id(form.record_id)
            row = self.model.row_of(form.record_id)
            name = self.model.display_row(row)[self.name_column] if row >= 0 else ""
            recycle_bin.offer_save_undo(self, form, self.noun, name)

    def delete_selected(self) -> None:
        """Delete the selected record after asking (see :mod:`ui.recycle_bin`)."""
        record_id = self.selected_id()
        if not record_id or self._refuse_foreign(record_id):
            return
        row = self.model.row_of(record_id)
        if recycle_bin.delete_with_question(self, record_id, self.noun) and \
                self.model.rowCount():      # the next row takes its place, selected
            self.select_id(self.model.id_at(min(max(row, 0), self.model.rowCount() - 1)))

    name_column = 0

    def make_form(self, record_id: str | None) -> FormDialog:
        """The form that adds (None) or edits a record."""
        raise NotImplementedError

    # -- remembered column widths --------------------------------------------

    def _columns_key(self) -> str:
        """Where the list's column state is kept; a list that gained a column starts
        again from its default widths rather than from a state of other columns."""
        return f"columns/{self.spec.name}/{len(self.spec.columns)}"

    def _restore_columns(self) -> None:
        state = QSettings().value(self._columns_key())
        header = self.view.horizontalHeader()
        if state is not None:
            header.restoreState(state)
            header.setSortIndicator(self.spec.default_sort, Qt.AscendingOrder)
        else:
            for column, width in enumerate(self.default_widths()):
                # never narrower than the title and its sort arrow (“gày quyết địn”)
                header.resizeSection(column, max(width, header.sectionSizeHint(column)))
            for column in self.hidden_by_default():
                header.setSectionHidden(column, True)
        header.setContextMenuPolicy(Qt.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)

    def hidden_by_default(self) -> tuple[int, ...]:
        """Columns hidden until the user shows them (header's context menu)."""
        return ()

    def column_menu(self) -> QMenu:
        """The header's context menu: one tick per column, to show or hide it."""
        header = self.view.horizontalHeader()
        menu = QMenu(self)
        shown = [c for c in range(len(self.spec.columns)) if not header.isSectionHidden(c)]
        for column, spec in enumerate(self.spec.columns):
            action = menu.addAction(spec.header)
            action.setCheckable(True)
            action.setChecked(column in shown)
            action.setEnabled(shown != [column] and column != self.name_column)
            action.toggled.connect(lambda on, c=column: self.set_column_shown(c, on))
        return menu

    def _column_menu(self, pos) -> None:
        self.column_menu().exec(self.view.horizontalHeader().mapToGlobal(pos))

    def set_column_shown(self, column: int, shown: bool) -> None:
        """Show or hide one column; remembered with the widths."""
        header = self.view.horizontalHeader()
        header.setSectionHidden(column, not shown)
        if shown and header.sectionSize(column) < 30:
            header.resizeSection(column, self.default_widths()[column])
        self.save_columns()

    def default_widths(self) -> list[int]:
        """First-run column widths, in pixels."""
        return [220] + [140] * (len(self.spec.columns) - 1)

    def save_columns(self) -> None:
        """Remember column widths and order for next time."""
        QSettings().setValue(self._columns_key(),
                             self.view.horizontalHeader().saveState())
