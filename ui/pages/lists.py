"""The entity lists: models, members, events, results, commendations."""
from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QDialog, QPushButton

from core import queries
from core.catalog import (COMMENDATION_FORMS, EVENT_TYPES, MODEL_STATUSES, RESULT_TYPES,
                          ROLES, CLUB_ROLE_LABELS)
from core.errors import UserError
from core.repos.models import model_types
from ui.forms.commendations import CommendationForm
from ui.forms.events import EventForm
from ui.forms.models import ModelForm
from ui.forms.merge import MergeDialog
from ui.forms.persons import PersonForm
from ui.forms.results import ResultForm
from ui import dialogs
from ui.pages.base import ListPage, may_edit
from ui.pages.print_bars import (add_commendation_printing, add_event_printing,
                                 add_members_printing, add_model_members_printing,
                                 selected_ids)


def _all(label: str, items) -> list[tuple[str, object]]:
    return [(label, None)] + list(items)


class UnitFilterMixin:
    """A filter on the unit, refreshed when units change."""

    def add_unit_filter(self, key: str = "unit_id"):
        """The unit combo; its units are read when it is first opened."""
        self.unit_filter = self.add_choice_filter(key, _all("Tất cả đơn vị", ()),
                                                  loader=self._unit_items)
        return self.unit_filter

    def _unit_items(self):
        return _all("Tất cả đơn vị", queries.unit_choices(self.ctx.db))

    def refresh(self) -> None:
        self.unit_filter.invalidate()
        super().refresh()


class ModelsPage(UnitFilterMixin, ListPage):
    """Mô hình."""

    spec = queries.MODELS
    title = "Mô hình"
    noun = "mô hình"
    tables = frozenset({"models", "model_units", "units", "memberships"})
    empty_text = ("Chưa có mô hình nào. Nhấn “Thêm” (Ctrl+N) để tạo mô hình đầu tiên.\n"
                  "Mô hình cần hoạt động ở ít nhất một đơn vị: hãy thêm đơn vị trước.")

    def __init__(self, window):
        super().__init__(window)
        add_model_members_printing(self)

    def add_filters(self) -> None:
        self.type_filter = self.add_choice_filter("type", _all(
            "Tất cả loại", ((i.label, i.code) for i in model_types(self.ctx.db).items)))
        self.add_choice_filter("status", _all(
            "Mọi tình trạng", ((i.label, i.code) for i in MODEL_STATUSES.items)))
        self.add_unit_filter()

    def default_widths(self) -> list[int]:
        return [280, 220, 220, 100, 150, 100, 130]

    def make_form(self, record_id):
        return ModelForm(self.ctx, record_id, self)


class MembersPage(UnitFilterMixin, ListPage):
    """Thành viên (persons, sorted by given name)."""

    spec = queries.PERSONS
    title = "Thành viên"
    noun = "thành viên"
    tables = frozenset({"persons", "memberships", "models"})
    empty_text = ("Chưa có thành viên nào. Nhấn “Thêm” (Ctrl+N) để nhập thành viên,\n"
                  "hoặc nhập cả danh sách từ sổ Excel (menu Tệp → Nhập từ Excel…).")

    def __init__(self, window):
        super().__init__(window)
        add_members_printing(self)
        self.view.setSelectionMode(QAbstractItemView.ExtendedSelection)
        # On the second row: the first one has no room left at 1366 px.
        self.merge_button = QPushButton("Gộp…", self)
        self.merge_button.setToolTip(
            "Gộp hai người đang chọn thành một (giữ Ctrl để chọn dòng thứ hai)")
        self.merge_button.clicked.connect(self.merge_selected)
        self.merge_button.setEnabled(False)
        self.print_bar.insertWidget(self.print_bar_end, self.merge_button)
        self.print_bar_end += 1
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._sync_merge())
        self.search.setPlaceholderText("Tìm tên, CCCD, SĐT…")
        self.search.setToolTip(
            "Gõ tên (không cần dấu), hoặc số CCCD / CMND cũ / điện thoại: cả số hoặc "
            "từ 4 chữ số cuối (bỏ qua dấu cách, dấu chấm). Ctrl+F")

    def add_filters(self) -> None:
        # the models (11,700 at a province) are read when the filter is first opened
        self.model_filter = self.add_choice_filter("model_id", _all("Tất cả mô hình", ()),
                                                   loader=self._model_items)
        self.add_choice_filter("model_type", _all(
            "Mọi loại mô hình", ((i.label, i.code) for i in model_types(self.ctx.db).items)))
        # one filter for both kinds' titles: the stored role is the same
        self.add_choice_filter("role", _all("Mọi chức vụ", (
            (f"{i.label} / {CLUB_ROLE_LABELS[i.code]}", i.code) for i in ROLES.items)))
        # a short “all” label: the filter bar has no room to spare at 1366 px
        self.add_choice_filter("state", [("Đang và đã thôi", None),
                                         ("Đang tham gia", "active"), ("Đã thôi", "left")])
        self.add_unit_filter()

    def _model_items(self):
        return _all("Tất cả mô hình", ((n, i) for i, n, _ in queries.model_choices(self.ctx.db)))

    def refresh(self) -> None:
        self.model_filter.invalidate()
        super().refresh()

    def default_widths(self) -> list[int]:
        return [200, 90, 70, 260, 150, 110, 200, 120]

    def make_form(self, record_id):
        return PersonForm(self.ctx, record_id, self)

    def _sync_merge(self) -> None:
        """“Gộp…” for exactly two of this station's persons, for an account that may edit."""
        ids = selected_ids(self)
        self.merge_button.setEnabled(len(ids) == 2 and may_edit(self.window_)
                                     and all(self.owned(i) for i in ids))

    def merge_selected(self) -> str | None:
        """Open “Gộp hai người” for the two selected persons; the kept id when merged."""
        ids = selected_ids(self)
        if len(ids) != 2:
            dialogs.show_error(self, "Hãy chọn đúng hai người (giữ Ctrl khi bấm chọn).")
            return None
        try:
            dialog = MergeDialog(self.ctx, *ids, parent=self)
        except UserError as exc:
            dialogs.show_error(self, str(exc))
            return None
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_id is None:
            return None
        self.window_.data_changed(dialog.changes_made.tables())
        self.select_id(dialog.result_id)
        self.window_.statusBar().showMessage(
            f"Đã gộp thành “{dialog.plan.keep.full_name}”.", 6000)
        return dialog.result_id


class EventsPage(UnitFilterMixin, ListPage):
    """Sự kiện."""

    spec = queries.EVENTS
    title = "Sự kiện"
    noun = "sự kiện"
    name_column = 2
    tables = frozenset({"events", "units"})
    empty_text = ("Chưa có sự kiện nào. Nhấn “Thêm” (Ctrl+N) để ghi một buổi tuyên truyền,\n"
                  "hội nghị, ra mắt mô hình… cùng danh sách người tham dự.")

    def __init__(self, window):
        super().__init__(window)
        add_event_printing(self)

    def add_filters(self) -> None:
        self.add_choice_filter("type", _all("Mọi loại", ((i.label, i.code)
                                                         for i in EVENT_TYPES.items)))
        self.add_unit_filter()
        self.add_date_filters()

    def default_widths(self) -> list[int]:
        return [90, 170, 320, 160, 140, 160]

    def make_form(self, record_id):
        return EventForm(self.ctx, record_id, self)


class ResultsPage(UnitFilterMixin, ListPage):
    """Kết quả."""

    spec = queries.RESULTS
    title = "Kết quả"
    noun = "kết quả"
    name_column = 1
    tables = frozenset({"results", "units", "models"})
    empty_text = ("Chưa có kết quả nào. Nhấn “Thêm” (Ctrl+N) để ghi tin báo, vụ việc "
                  "làm rõ, vụ hòa giải…")

    def add_filters(self) -> None:
        self.add_choice_filter("type", _all("Mọi loại", ((i.label, i.code)
                                                         for i in RESULT_TYPES.items)))
        self.add_unit_filter()
        self.add_date_filters()

    def default_widths(self) -> list[int]:
        return [90, 300, 80, 160, 260, 200]

    def make_form(self, record_id):
        return ResultForm(self.ctx, record_id, self)


class CommendationsPage(ListPage):
    """Khen thưởng."""

    spec = queries.COMMENDATIONS
    title = "Khen thưởng"
    noun = "khen thưởng"
    name_column = 3
    tables = frozenset({"commendations", "persons", "models", "units"})
    empty_text = ("Chưa có khen thưởng nào. Nhấn “Thêm” (Ctrl+N) để ghi giấy khen, "
                  "bằng khen cho cá nhân hoặc tập thể.")

    def __init__(self, window):
        super().__init__(window)
        add_commendation_printing(self)

    def add_filters(self) -> None:
        self.add_choice_filter("form", _all("Mọi hình thức", ((i.label, i.code)
                                                              for i in COMMENDATION_FORMS.items)))
        self.add_choice_filter("recipient_kind", _all(
            "Cá nhân, tập thể", (("Cá nhân", "person"), ("Mô hình", "model"),
                                 ("Đơn vị", "unit"))))
        # the khen thưởng of one decision, to print or export them as a list
        self.decision_filter = self.add_choice_filter(
            "decision_no", _all("Mọi quyết định", ()), loader=self._decision_items)
        self.decision_filter.setToolTip("Chỉ các khen thưởng của một quyết định")
        self.add_date_filters()

    def _decision_items(self):
        from core.documents.commendations import decision_numbers
        return _all("Mọi quyết định", ((f"QĐ {n}", n) for n in decision_numbers(self.ctx)))

    def refresh(self) -> None:
        self.decision_filter.invalidate()
        super().refresh()

    def default_widths(self) -> list[int]:
        return [110, 110, 150, 200, 200, 300]

    def make_form(self, record_id):
        return CommendationForm(self.ctx, record_id, self)
