"""The event's attendance as an officer takes it: a whole model, a search, namesakes, papers."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from pdfcheck import text_of  # noqa: E402

from core.records import Event, Membership, Person, Unit  # noqa: E402
from core.repos.activities import EventRepo  # noqa: E402
from core.services import activities, members, units  # noqa: E402
from tests.ui.helpers import click_save, drive_dialogs, type_into  # noqa: E402
from ui import printing  # noqa: E402
from ui.forms.minutes import MinutesDialog  # noqa: E402


@pytest.fixture
def namesakes(station_with_accounts):
    """Two “Nguyễn Văn Hòa”, told apart by birth year and thôn; the second in model 1."""
    ctx, ids = station_with_accounts
    from core import accounts
    from tests.ui.helpers import ACCOUNT_OF, PASSWORD
    accounts.sign_in(ctx, ACCOUNT_OF["admin"], PASSWORD)
    other, _ = units.save(ctx, Unit(name="Thôn Bắc Sơn", type="khu_dan_cu"))
    a, _ = members.save_person(ctx, Person(full_name="Nguyễn Văn Hòa", birth_date="1980-02-03",
                                           residence_unit_id=ids["units"][0]))
    b, _ = members.save_person(ctx, Person(full_name="Nguyễn Văn Hòa", birth_date="1992-07-01",
                                           residence_unit_id=other))
    members.save_membership(ctx, Membership(person_id=b, model_id=ids["models"][0],
                                            role="thanh_vien", join_date="2025-06-01"))
    accounts.sign_out(ctx)
    return a, b


def _events_page(window):
    page = window.page("events")
    window.tabs.setCurrentWidget(page)
    return page


def test_whole_model_search_namesakes_and_removal(window_as, forms, namesakes, qtbot,
                                                  station_with_accounts):
    ctx, ids = station_with_accounts
    window = window_as("editor")
    page = _events_page(window)
    model = ids["models"][0]
    first_namesake, second_namesake = namesakes
    seen = {}

    def fill(form):
        panel = form.attendance
        type_into(qtbot, form.title, "Hội nghị Tổ an ninh nhân dân")
        assert panel.add_model_button.text() == "Thêm thành viên"
        assert not panel.add_model_button.isEnabled()        # no model chosen yet
        form.models.set_checked(model)                       # ticking the event's model …
        assert panel.model_combo.value() == model            # … offers it, with its count
        assert panel.model_combo.currentText().endswith("(liên quan)")
        assert panel.add_model_button.text() == "Thêm 6 thành viên"
        qtbot.mouseClick(panel.add_model_button, Qt.LeftButton)
        assert panel.attendees.count() == 6
        assert panel.count_label.text() == "Đã điểm danh: 6 người"
        assert form.participants.minimum() == 6
        qtbot.mouseClick(panel.add_model_button, Qt.LeftButton)   # twice: nobody twice
        assert panel.attendees.count() == 6

        type_into(qtbot, panel.search, "nguyen van hoa")     # no diacritics
        qtbot.waitUntil(lambda: panel.matches.count() == 2)
        labels = sorted(panel.matches.item(i).text() for i in range(2))
        assert labels == ["Nguyễn Văn Hòa — 1980 — Thôn Đồng Tâm",
                          "Nguyễn Văn Hòa — 1992 — Thôn Bắc Sơn"]
        row = next(i for i in range(2) if "1980" in panel.matches.item(i).text())
        panel.matches.item(row).setSelected(True)
        panel.add_match_button.click()
        assert panel.attendees.count() == 7
        assert first_namesake in panel.ids() and second_namesake in panel.ids()

        leader = next(i for i in range(panel.attendees.count())
                      if panel.attendees.item(i).text().startswith("Nguyễn Văn Đức"))
        panel.attendees.item(leader).setSelected(True)
        qtbot.keyClick(panel.attendees, Qt.Key_Delete)
        assert panel.attendees.count() == 6
        assert panel.count_label.text() == "Đã điểm danh: 6 người"
        seen["ids"] = panel.ids()
        form.participants.setValue(50)
        click_save(qtbot, form)
        seen["id"] = form.record_id

    forms.fill = fill
    page.add_record()
    assert page.selected_id() == seen["id"]                  # the new event is selected
    event = EventRepo(ctx.store).get(seen["id"])
    assert sorted(event.attendee_ids) == sorted(seen["ids"])
    assert ids["people"][0] not in event.attendee_ids        # Nguyễn Văn Đức was removed
    assert event.model_ids == [model] and event.participants == 50


def test_viewer_sees_the_attendance_but_cannot_change_it(window_as, forms,
                                                          station_with_accounts):
    ctx, ids = station_with_accounts
    from core import accounts
    from tests.ui.helpers import ACCOUNT_OF, PASSWORD
    accounts.sign_in(ctx, ACCOUNT_OF["admin"], PASSWORD)
    event_id, _ = activities.save_event(ctx, Event(
        date="2026-05-05", type="hoi_nghi", title="Hội nghị có điểm danh",
        attendee_ids=ids["people"][:3], participants=3))
    window = window_as("viewer")
    page = _events_page(window)
    window.data_changed({"events"})
    page.select_id(event_id)
    seen = {}

    def look(form):
        panel = form.attendance
        seen["count"] = panel.attendees.count()
        seen["hidden"] = [w.isHidden() for w in (panel.search, panel.add_model_button,
                                                 panel.remove_button, panel.clear_button)]
        form.reject()

    forms.fill = look
    page.edit_selected()
    assert seen == {"count": 3, "hidden": [True, True, True, True]}


@pytest.mark.parametrize("who", ["admin", "viewer"])
def test_print_attendance_list_and_minutes_from_the_events_page(
        window_as, who, previews, monkeypatch, qtbot, station_with_accounts):
    ctx, ids = station_with_accounts
    from core import accounts
    from tests.ui.helpers import ACCOUNT_OF, PASSWORD
    accounts.sign_in(ctx, ACCOUNT_OF["admin"], PASSWORD)
    event_id, _ = activities.save_event(ctx, Event(
        date="2026-06-01", type="so_ket_tong_ket", title="Sơ kết 6 tháng",
        unit_id=ids["units"][0], model_ids=[ids["models"][0]],
        attendee_ids=ids["people"][:5], participants=20))
    window = window_as(who)
    page = _events_page(window)
    window.data_changed({"events"})
    page.select_id(event_id)
    assert page.print_attendance_button.text() == "In danh sách điểm danh…"
    assert page.print_minutes_button.text() == "In biên bản…"

    printing.last_output = None
    page.print_attendance_button.click()
    qtbot.waitUntil(lambda: printing.last_output is not None, timeout=20000)
    text = text_of(printing.last_output[0])
    assert "DANH SÁCH ĐIỂM DANH" in text and "Nguyễn Văn Đức" in text and "Ký tên" in text

    dialogs = drive_dialogs(monkeypatch, MinutesDialog)

    def fill(dialog):
        assert dialog.place.text() == "Thôn Đồng Tâm"          # the event's unit
        assert dialog.content.toPlainText() == "Sơ kết 6 tháng"
        type_into(qtbot, dialog.start_time, "14 giờ 00")
        type_into(qtbot, dialog.chair, "Bùi Văn Thắng, Trưởng Công an xã")
        dialog.outcome.setPlainText("Biểu dương 2 tổ viên")
        dialog.ok_button.click()

    dialogs.fill = fill
    printing.last_output = None
    page.print_minutes_button.click()
    qtbot.waitUntil(lambda: printing.last_output is not None, timeout=20000)
    text = text_of(printing.last_output[0])
    for expected in ("BIÊN BẢN Sơ kết 6 tháng", "14 giờ 00", "Hội nghị kết thúc vào",
                     "Chủ trì: Bùi Văn Thắng, Trưởng Công an xã", "Biểu dương 2 tổ viên",
                     "trong đó 5 người"):
        assert expected in text, expected
    assert len(previews) == 2


def test_printing_without_a_selected_event_says_what_to_do(window_as, messages, previews):
    window = window_as("editor")
    page = _events_page(window)
    page.view.clearSelection()
    page.print_attendance_button.click()
    page.print_minutes_button.click()
    assert messages.texts().count("Hãy chọn một sự kiện") == 2
    assert not previews
