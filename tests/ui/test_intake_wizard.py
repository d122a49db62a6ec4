"""Tệp ▸ Nhập danh sách có sẵn…: the wizard driven end to end on a TCVN3 list.

Accounts are present: a viewer is refused before anything runs; an editor goes
through every step (a mapping changed, an encoding confirmed, hidden rows taken
as members who left, a review item decided), imports, and the database holds
the persons and memberships with no garbled character. Each step is grabbed at
1366x768 (the pictures go to the test's folder).
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt

from core import accounts
from core.intake import Choices, load_mappings, take_in
from core.intake.legacy import garbled_chars
from core.intake.review import pending
from tests.core.intake_files import PEOPLE, member_book
from tests.ui.helpers import ACCOUNT_OF, PASSWORD, make_accounts, open_signed_in
from ui import intake_wizard
from ui.intake_wizard import IGNORE

MODEL = "Tổ ANND thôn Đông"


def settle() -> None:
    for _ in range(8):
        QCoreApplication.processEvents()


def persons(ctx) -> dict[str, tuple]:
    rows = ctx.db.execute("SELECT id, full_name, birth_date, address, id_number FROM persons"
                          " WHERE deleted = 0").fetchall()
    return {r[1]: r for r in rows}


def memberships(ctx, person_id: str) -> dict[str, str | None]:
    rows = ctx.db.execute("SELECT m.name, ms.leave_date FROM memberships ms JOIN models m"
                          " ON m.id = ms.model_id WHERE ms.person_id = ? AND ms.deleted = 0",
                          [person_id]).fetchall()
    return dict(rows)


def grab(wizard, folder, name: str) -> None:
    wizard.resize(1366, 768)
    settle()
    picture = wizard.grab()
    assert not picture.isNull() and picture.width() == 1366
    picture.save(str(folder / f"{name}.png"))


def combo_pick(combo, data) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def test_viewer_is_refused_before_anything_runs(ctx, qtbot, messages, tmp_path):
    make_accounts(ctx)
    path = member_book(tmp_path / "to.xlsx", encoding="tcvn3", font=".VnTime")
    window = open_signed_in(ctx, "viewer", qtbot)
    assert not window.intake_action.isEnabled()
    assert intake_wizard.open_wizard(window, str(path)) is None
    assert "(quyền Chỉ xem) không được phép" in messages.texts()
    assert getattr(window, "intake_wizard", None) is None
    assert persons(ctx) == {}


def test_editor_takes_in_a_tcvn3_list_through_every_step(ctx, qtbot, messages, sync_tasks,
                                                          tmp_path):
    make_accounts(ctx)
    # A person already stored with a full date: the list's "Lê Văn Đức, 1977" is only a
    # weak match and goes to the review step.
    earlier = tmp_path / "cu.xlsx"
    member_book(earlier, people=[("Lê Văn Đức", "12/05/1977", "Thôn Tây", "Tổ viên", "", "")])
    take_in(ctx, earlier, Choices(model="Tổ cũ thôn Tây"))
    stored = persons(ctx)["Lê Văn Đức"][0]
    path = member_book(tmp_path / "to-dong.xlsx", encoding="tcvn3", font=".VnTime",
                       hidden=(5,))
    accounts.sign_in(ctx, ACCOUNT_OF["editor"], PASSWORD)
    window = open_signed_in(ctx, "editor", qtbot)
    assert window.intake_action.isEnabled()
    shots = tmp_path / "shots"
    shots.mkdir()

    wizard = intake_wizard.open_wizard(window, str(path))
    qtbot.addWidget(wizard)
    # 1. the file and its sheets
    page = wizard.file_page
    assert page.chosen() == ["Danh sách"] and page.isComplete()
    page.model_name.setText(MODEL)
    grab(wizard, shots, "1-tep")
    wizard.next()
    # 2. the preview with the header row marked, changeable
    page = wizard.preview_page
    assert wizard.currentPage() is page
    assert page.header_spin.value() == 4 and page.model.header_rows == {4}
    assert page.model.text(4, 1) == "Nguyễn Văn Hòa"      # TCVN3 shown converted
    page.view.selectRow(5)
    page.use_selected.click()
    assert wizard.sheet("Danh sách").header_row == 6 and page.model.header_rows == {6}
    page.header_spin.setValue(4)
    assert wizard.sheet("Danh sách").header_row == 4
    grab(wizard, shots, "2-xem-truoc")
    wizard.back()
    assert wizard.currentPage() is wizard.file_page      # every step can go back
    wizard.next()
    wizard.next()
    # 3. one drop-down per column: "Chỗ ở" is not taken
    page = wizard.mapping_page
    assert page.combos["Họ và tên"].currentData() == "full_name"
    assert page.combos["Năm sinh"].currentData() == "birth"
    page.combos["Chỗ ở"].setCurrentText(IGNORE)
    assert wizard.choices.mapping["Chỗ ở"] is None
    assert wizard.sheet("Danh sách").column("address") is None
    grab(wizard, shots, "3-cot")
    wizard.next()
    # 4. encodings: the name column confirmed as TCVN3, samples before/after
    page = wizard.encoding_page
    combo = page.combos["Họ và tên"]
    assert combo.currentData() == "tcvn3"
    combo_pick(combo, "unicode")
    assert any(a == b for b, a in wizard.sheet("Danh sách").column("full_name").detection.samples)
    combo_pick(page.combos["Họ và tên"], "tcvn3")
    assert wizard.choices.encodings["Danh sách"]["Họ và tên"] == "tcvn3"
    after = [a for _, a in wizard.sheet("Danh sách").column("full_name").detection.samples]
    assert "Nguyễn Văn Hòa" in after
    assert page.isComplete()
    grab(wizard, shots, "4-bang-ma")
    wizard.next()
    # 5. excluded rows, hidden rows (as members who left), proposals
    page = wizard.rows_page
    reasons = {page.excluded.item(r, 2).text() for r in range(page.excluded.rowCount())}
    assert "Dòng tổng cộng" in reasons
    assert "dòng 9" in page.hidden_label.text()            # Hoàng Văn Ất, hidden
    page.hidden_buttons["left"].click()
    proposals = {page.proposals.item(r, 3).text(): r for r in range(page.proposals.rowCount())}
    assert "27.3.76" in proposals
    row = proposals["27.3.76"]
    assert page.proposals.item(row, 4).text() == "27/03/1976"
    page.proposals.item(row, 4).setText("27/03/1975")      # corrected by the officer
    grab(wizard, shots, "5-dong")
    wizard.next()
    assert wizard.choices.hidden == "left"
    # 6. the review queue of this file: decided here
    page = wizard.review_page
    assert page.items.count() == 1 and "Lê Văn Đức" in page.items.item(0).text()
    assert page.compare.item(1, 1).text() == "1977"
    assert page.compare.item(1, 2).text() == "12/05/1977"
    combo_pick(page.decision, stored)
    assert wizard.decisions == {("Danh sách", 7): stored}
    grab(wizard, shots, "6-xem-xet")
    assert persons(ctx).keys() == {"Lê Văn Đức"}            # nothing written so far
    wizard.next()
    # 7. the summary
    page = wizard.summary_page
    assert page.isComplete(), page.text.text()
    assert "Người mới: 5" in page.text.text()
    assert "đã thôi tham gia 1" in page.text.text()
    assert "Lưu ý" not in page.text.text()          # both TCVN3 capitals corrected at step 5
    grab(wizard, shots, "7-tong-hop")
    assert persons(ctx).keys() == {"Lê Văn Đức"}
    # 8. the import in the background; the window refreshes what it changed
    refreshed, refresh = [], window.data_changed
    window.data_changed = lambda tables: (refreshed.append(set(tables)), refresh(tables))
    wizard.next()
    page = wizard.import_page
    qtbot.waitUntil(lambda: (settle(), page.done)[1], timeout=20000)
    grab(wizard, shots, "8-nhap")
    assert "Đã nhập: 5 người mới" in page.status.text(), page.status.text()
    assert refreshed and {"persons", "memberships"} <= refreshed[0]
    assert page.bar.value() == page.bar.maximum()

    found = persons(ctx)
    assert set(found) == {p[0] for p in PEOPLE}
    assert not [n for n in found if garbled_chars(n)]
    assert found["Phạm Thị Hường"][2] == "1975-03-27"       # the correction went in
    assert found["Nguyễn Văn Hòa"][4] == "038087001234"     # leading zero put back
    assert found["Nguyễn Văn Hòa"][3] in ("", None)          # "Chỗ ở" not taken
    assert found["Lê Văn Đức"][0] == stored and found["Lê Văn Đức"][2] == "1977-05-12"
    assert memberships(ctx, stored).keys() == {"Tổ cũ thôn Tây", MODEL}
    assert memberships(ctx, found["Hoàng Văn Ất"][0])[MODEL]      # hidden: left
    assert memberships(ctx, found["Trần Thị Lan"][0]) == {MODEL: None}
    assert pending(ctx) == []
    remembered = [m for m in load_mappings(ctx).values() if "Chỗ ở" in m]
    assert remembered and remembered[0]["Chỗ ở"] is None
    assert "error" not in {kind for kind, _ in messages.shown}
    assert len(list(shots.glob("*.png"))) == 8


def test_a_big_list_is_seen_and_planned_in_the_background(ctx, qtbot, messages, tmp_path,
                                                           monkeypatch):
    """Above BIG_ROWS the reading, inspecting and planning run in worker threads (the
    planning on a connection of its own) while the step waits; the result is the same."""
    monkeypatch.setattr(intake_wizard, "BIG_ROWS", 0)
    monkeypatch.setattr(intake_wizard, "BIG_FILE", 0)
    make_accounts(ctx)
    accounts.sign_in(ctx, ACCOUNT_OF["editor"], PASSWORD)
    window = open_signed_in(ctx, "editor", qtbot)
    path = member_book(tmp_path / "to.xlsx", encoding="vni", font="VNI-Times")
    wizard = intake_wizard.open_wizard(window, str(path))
    qtbot.addWidget(wizard)
    assert wizard.big and wizard.file_page.chosen() == ["Danh sách"]
    wizard.file_page.model_name.setText(MODEL)
    for _ in range(6):
        wizard.next()
    assert wizard.currentPage() is wizard.summary_page
    assert "Người mới: 6" in wizard.summary_page.text.text()
    assert wizard.summary_page.isComplete()
    assert wizard.sheet("Danh sách").column("full_name").encoding == "vni"
    assert persons(ctx) == {}


def test_cancel_during_the_import_writes_nothing(ctx, qtbot, messages, tmp_path, monkeypatch):
    """The import runs in a worker; “Hủy nhập” stops it and the file goes in not at all."""
    import threading
    make_accounts(ctx)
    accounts.sign_in(ctx, ACCOUNT_OF["editor"], PASSWORD)
    window = open_signed_in(ctx, "editor", qtbot)
    path = member_book(tmp_path / "to.xlsx", encoding="tcvn3", font=".VnTime")
    started, proceed = threading.Event(), threading.Event()
    real = intake_wizard.apply_plan

    def held(job_ctx, todo, progress=None):
        started.set()
        proceed.wait(10)
        return real(job_ctx, todo, progress=progress)

    monkeypatch.setattr(intake_wizard, "apply_plan", held)
    wizard = intake_wizard.open_wizard(window, str(path))
    qtbot.addWidget(wizard)
    wizard.file_page.model_name.setText(MODEL)
    for _ in range(7):
        wizard.next()
    page = wizard.import_page
    assert wizard.currentPage() is page
    qtbot.waitUntil(started.is_set, timeout=10000)
    wizard.reject()                                  # closing is refused while it runs
    assert wizard.isVisible()
    page.cancel.click()
    proceed.set()
    qtbot.waitUntil(lambda: page.done, timeout=20000)
    assert page.status.text() == "Đã hủy; dữ liệu không thay đổi."
    assert persons(ctx) == {}


def test_values_the_forms_refuse_are_shown_per_cell_and_keep_the_file_out(
        ctx, qtbot, messages, sync_tasks, tmp_path):
    """The same entry rules as the forms: each refused cell is a line of step 7."""
    make_accounts(ctx)
    accounts.sign_in(ctx, ACCOUNT_OF["editor"], PASSWORD)
    window = open_signed_in(ctx, "editor", qtbot)
    path = tmp_path / "to.csv"
    path.write_text("STT,Họ và tên,Ngày sinh,Chỗ ở,Ngày tham gia\n"
                    "1,Nguyễn Văn Hòa,27/04/1987,Thôn Đông,01/05/2020\n"
                    "2,Lê Thị Chuông,01/01/1980,Thôn \x1bĐông,\n"
                    "3,Đặng Thị Sớm,12/12/1985,Thôn Đông,01/01/1980\n"
                    "4,Hoàng Văn Cổ,01/01/1850,Thôn Đông,\n", encoding="utf-8")
    wizard = intake_wizard.open_wizard(window, str(path))
    qtbot.addWidget(wizard)
    wizard.file_page.model_name.setText(MODEL)
    for _ in range(8):
        if wizard.currentPage() is wizard.summary_page:
            break
        wizard.next()
    page = wizard.summary_page
    assert wizard.currentPage() is page
    shown = {(page.errors.item(r, 1).text(), page.errors.item(r, 2).text(),
              page.errors.item(r, 3).text()) for r in range(page.errors.rowCount())}
    assert ("3", "Chỗ ở", "Nội dung có ký tự điều khiển (không in được); hãy gõ lại nội "
            "dung này.") in shown, shown
    assert any(row == "4" and column == "Ngày tham gia" and "trước ngày sinh" in message
               for row, column, message in shown), shown
    assert any(row == "5" and column == "Ngày sinh" and "1900" in message
               for row, column, message in shown), shown
    assert not page.isComplete() and page.errors.isVisible()
    grab(wizard, tmp_path, "loi")
    assert persons(ctx) == {}
