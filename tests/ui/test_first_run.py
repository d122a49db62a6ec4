"""The first-run wizard: identity, document settings, and the starting points."""
from __future__ import annotations

from PySide6.QtWidgets import QWizard

from core.exchange import export_package
from core.station import init_station
from tests.ui.helpers import type_into
from ui import app
from ui.forms import first_run
from ui.forms.first_run import FirstRunWizard


def _identity(qtbot, wizard, *, code="CAX-01", name="Công an xã Tân Phú", parent="T01"):
    wizard.station.level.set_value("xa")
    wizard.station.unlisted.setChecked(True)
    type_into(qtbot, wizard.station.code, code)
    type_into(qtbot, wizard.station.name, name)
    type_into(qtbot, wizard.station.parent_code, parent)


def test_wizard_creates_station_and_document_settings(tmp_path, qtbot):
    wizard = FirstRunWizard(tmp_path / "new.sqlite3")
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.station.unlisted.setChecked(True)
    type_into(qtbot, wizard.station.name, "Công an xã Tân Phú")
    wizard.next()                                   # code missing: stays, says why
    assert wizard.currentPage() is wizard.station
    assert wizard.station.error.text() == "Chưa nhập mã đơn vị."   # says what is missing
    assert not (tmp_path / "new.sqlite3").exists()
    _identity(qtbot, wizard)
    wizard.next()
    assert wizard.currentPage() is wizard.documents
    # The defaults are shown, not stored (the documents work them out when printing).
    assert wizard.documents.signer_title.text() == ""
    assert wizard.documents.signer_title.placeholderText() == "mặc định: TRƯỞNG CÔNG AN XÃ"
    assert "CÔNG AN TỈNH" in wizard.documents.parent_agency.placeholderText()
    type_into(qtbot, wizard.documents.place, "Tân Phú")
    type_into(qtbot, wizard.documents.signer_name, "Bùi Văn Thắng")
    type_into(qtbot, wizard.documents.cert_signer, "Nguyễn Văn An")
    wizard.next()
    assert wizard.currentPage() is wizard.start
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.result() == QWizard.DialogCode.Accepted
    ctx = wizard.context
    try:
        assert (ctx.station.code, ctx.station.name, ctx.station.level,
                ctx.station.parent_code) == ("CAX-01", "Công an xã Tân Phú", "xa", "T01")
        assert ctx.setting("doc.place") == "Tân Phú"
        assert ctx.setting("doc.signer_name") == "Bùi Văn Thắng"
        assert ctx.setting("doc.signer_title") is None
        assert ctx.setting("doc.parent_agency") is None
        from core.documents.settings import official_settings
        cfg = official_settings(ctx)
        assert (cfg.signer_title, cfg.parent_agency) == ("TRƯỞNG CÔNG AN XÃ", "CÔNG AN TỈNH")
        assert ctx.setting("cert.chu_tich_ubnd_xa.signer_name") == "Nguyễn Văn An"
        assert ctx.db.execute("SELECT COUNT(*) FROM persons").fetchone()[0] == 0
    finally:
        ctx.close()


def test_sample_data_for_training(tmp_path, qtbot, messages):
    wizard = FirstRunWizard(tmp_path / "train.sqlite3")
    qtbot.addWidget(wizard)
    wizard.show()
    _identity(qtbot, wizard)
    wizard.next()
    wizard.next()
    wizard.start.buttons[first_run.START_SAMPLE].setChecked(True)
    assert "tập huấn" in wizard.start.buttons[first_run.START_SAMPLE].text()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.sample_task is not None            # filling in the background (ui.tasks)
    assert not wizard.start.isEnabled()
    wizard.button(QWizard.WizardButton.FinishButton).click()   # a second click waits
    qtbot.waitUntil(lambda: wizard.result() == QWizard.DialogCode.Accepted, timeout=30000)
    ctx = wizard.context
    try:
        assert ctx.db.execute("SELECT COUNT(*) FROM memberships").fetchone()[0] >= 300
        assert ctx.setting("ui.sample_data") is True
        assert "tập huấn" in messages.texts()
    finally:
        ctx.close()


def test_sample_data_failure_leaves_the_station_empty(tmp_path, qtbot, messages, monkeypatch):
    from core import sample_data
    from core.errors import UserError
    real_fill = sample_data.fill

    def fill_then_fail(ctx, sample):
        with ctx.store.transaction():
            real_fill(ctx, sample)                  # written, then the whole thing undone
            raise UserError("Ổ đĩa đã đầy.")

    monkeypatch.setattr(sample_data, "fill", fill_then_fail)
    wizard = FirstRunWizard(tmp_path / "full.sqlite3")
    qtbot.addWidget(wizard)
    wizard.show()
    _identity(qtbot, wizard)
    wizard.next()
    wizard.next()
    wizard.start.buttons[first_run.START_SAMPLE].setChecked(True)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: wizard.sample_task is None, timeout=30000)
    assert "Không điền được dữ liệu mẫu: Ổ đĩa đã đầy." in wizard.start.error.text()
    assert wizard.result() != QWizard.DialogCode.Accepted and wizard.start.isEnabled()
    ctx = wizard.context
    assert ctx.db.execute("SELECT COUNT(*) FROM persons").fetchone()[0] == 0
    assert ctx.setting("ui.sample_data") is None
    monkeypatch.setattr(sample_data, "fill", real_fill)       # try again: it works
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: wizard.result() == QWizard.DialogCode.Accepted, timeout=30000)
    assert ctx.db.execute("SELECT COUNT(*) FROM persons").fetchone()[0] > 0
    ctx.close()


def test_workbook_start_needs_a_file_and_is_handed_to_the_window(tmp_path, qtbot):
    wizard = FirstRunWizard(tmp_path / "wb.sqlite3")
    qtbot.addWidget(wizard)
    wizard.show()
    _identity(qtbot, wizard)
    wizard.next()
    wizard.next()
    wizard.start.buttons[first_run.START_WORKBOOK].setChecked(True)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.context is None and "Chọn tệp" in wizard.start.error.text()
    book = tmp_path / "so.xlsx"
    from core.workbook import write_template
    write_template(book)
    type_into(qtbot, wizard.start.file, str(book))
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.follow_up == (first_run.START_WORKBOOK, str(book))
    wizard.context.close()


def test_province_package_needs_the_fingerprint_confirmed(tmp_path, qtbot, messages):
    province = init_station(tmp_path / "T01.sqlite3", level="tinh", code="T01",
                            name="Công an tỉnh Hòa Bình")
    package = tmp_path / "down.antq"
    export_package(province, package)    # the broadcast package (model types, receipts)
    fingerprint = province.station.fingerprint
    province.close()
    wizard = FirstRunWizard(tmp_path / "c.sqlite3")
    qtbot.addWidget(wizard)
    wizard.show()
    _identity(qtbot, wizard)
    wizard.next()
    wizard.next()
    wizard.start.buttons[first_run.START_PACKAGE].setChecked(True)
    type_into(qtbot, wizard.start.file, str(package))
    messages.answers = [False]                      # not confirmed: stays on the page
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.isVisible() and "Chưa nhận gói" in wizard.start.error.text()
    assert fingerprint in messages.shown[0][1]
    messages.answers = [True]
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.result() == QWizard.DialogCode.Accepted
    assert "Đã nhận gói" in messages.texts()
    peers = wizard.context.db.execute("SELECT COUNT(*) FROM peers").fetchone()[0]
    wizard.context.close()
    assert peers == 1


def test_open_or_create_runs_the_wizard_once(tmp_path, qtbot, monkeypatch):
    path = tmp_path / "new.sqlite3"
    shown = []

    def fake_exec(self):
        shown.append(self)
        self.show()
        _identity(qtbot, self)
        self.next()
        self.next()
        self.button(QWizard.WizardButton.FinishButton).click()
        return self.result()

    monkeypatch.setattr(FirstRunWizard, "exec", fake_exec)
    ctx = app.open_or_create(path)
    assert ctx.station.code == "CAX-01"
    ctx.close()
    again = app.open_or_create(path)
    assert again.station.code == "CAX-01" and len(shown) == 1
    again.close()


def test_non_obvious_fields_explain_themselves(ctx, qtbot):
    from ui.forms.commendations import CommendationForm
    from ui.forms.events import EventForm
    from ui.forms.models import ModelForm
    from ui.forms.persons import PersonForm
    person = PersonForm(ctx)
    qtbot.addWidget(person)
    assert "12 chữ số" in person.id_number.toolTip()
    assert "năm" in person.birth_date.toolTip()
    model = ModelForm(ctx)
    qtbot.addWidget(model)
    assert "thành lập" in model.decision_no.toolTip()
    assert "điển hình tiên tiến" in model.advanced.toolTip()
    award = CommendationForm(ctx)
    qtbot.addWidget(award)
    assert "khen thưởng" in award.decision_no.toolTip()
    assert "Số sổ" in award.register_no.toolTip()
    event = EventForm(ctx)
    qtbot.addWidget(event)
    assert "lượt người" in event.participants.toolTip()
    assert "Điểm danh" in event.attendees.toolTip()


def test_help_menu_opens_the_guide_with_its_pictures(window):
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QTextDocument
    from PySide6.QtWidgets import QMenu
    from ui import guide
    action = next(a for m in window.menuBar().findChildren(QMenu)
                  for a in m.actions() if a.text() == "Hướng dẫn sử dụng")
    action.trigger()
    dialog = window.guide_dialog
    assert dialog.isVisible()
    text = dialog.browser.toPlainText()
    assert "Lần chạy đầu tiên" in text and "Sao lưu và khôi phục" in text
    images = [line.split("](")[1].rstrip(")") for line in
              guide.guide_path().read_text(encoding="utf-8").splitlines() if line.startswith("![")]
    assert len(images) >= 10
    document = dialog.browser.document()
    for name in images + ["img/missing.png"]:
        image = dialog.browser.loadResource(QTextDocument.ResourceType.ImageResource,
                                            document.baseUrl().resolved(QUrl(name)))
        found = image is not None and not (hasattr(image, "isNull") and image.isNull())
        assert found == (name != "img/missing.png"), name


def test_window_after_the_wizard(tmp_path, qtbot, monkeypatch, messages, sync_tasks):
    """A workbook chosen in the wizard is previewed at once; sample data is labelled."""
    book = tmp_path / "so.xlsx"
    from core.workbook import write_template
    write_template(book)
    previewed = []
    from ui import workbook_actions
    monkeypatch.setattr(workbook_actions, "import_workbook",
                        lambda window, path=None: previewed.append(path))

    def choose(start, file=""):
        def fake_exec(self):
            self.show()
            _identity(qtbot, self)
            self.next()
            self.next()
            self.start.buttons[start].setChecked(True)
            self.start.file.setText(file)
            self.button(QWizard.WizardButton.FinishButton).click()
            if start == first_run.START_SAMPLE:      # filled in the background first
                qtbot.waitUntil(lambda: self.result() == QWizard.DialogCode.Accepted,
                                timeout=30000)
            return self.result()
        monkeypatch.setattr(FirstRunWizard, "exec", fake_exec)

    choose(first_run.START_WORKBOOK, str(book))
    window = app.open_window(["--db", str(tmp_path / "a.sqlite3")])
    qtbot.addWidget(window)
    assert previewed == [str(book)]
    assert "tập huấn" not in window.windowTitle()
    choose(first_run.START_SAMPLE)
    window = app.open_window(["--db", str(tmp_path / "b.sqlite3")])
    qtbot.addWidget(window)
    assert previewed == [str(book)]
    assert "dữ liệu mẫu để tập huấn" in window.windowTitle()


def test_an_older_database_is_upgraded_in_the_background_behind_a_message(
        tmp_path, qtbot, sync_tasks, monkeypatch):
    from core import db as dbmod
    from core.backup import backups_dir
    from ui import tasks
    path = tmp_path / "old.sqlite3"
    init_station(path, level="xa", code="X01", name="Công an xã Cũ").close()
    older = dbmod._connect(path)          # as a station made before migration 0007
    older.execute("DELETE FROM _sqlite_migrations WHERE name = '0007_report'")
    older.close()
    assert dbmod.needs_upgrade(path)
    labels = []
    real = tasks.run_task
    monkeypatch.setattr(tasks, "run_task",
                        lambda *a, **k: (labels.append(k["label"]), real(*a, **k))[1])
    ctx = app.open_or_create(path)
    try:
        assert labels and labels[0].startswith("Đang nâng cấp cơ sở dữ liệu")
        assert not dbmod.needs_upgrade(path)
        assert ctx.station.name == "Công an xã Cũ"
        assert any(f.name.endswith("-migration.sqlite3") for f in backups_dir().iterdir())
    finally:
        ctx.close()
    labels.clear()
    app.open_or_create(path).close()      # up to date: opened at once, no message
    assert labels == []


def test_wizard_picks_province_then_commune_without_diacritics(tmp_path, qtbot):
    wizard = FirstRunWizard(tmp_path / "qn.sqlite3")
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.station
    assert [page.level.itemText(i) for i in range(2)] == [
        "Công an xã / phường / đặc khu", "Công an tỉnh / thành phố"]
    page.province.set_value("52")
    assert page.commune.count() == 135
    wizard.next()                                   # nothing picked yet: stays
    assert wizard.currentPage() is page and "Hãy chọn" in page.error.text()
    type_into(qtbot, page.search, "quy nhon")
    names = [page.commune.item(i).text() for i in range(page.commune.count())]
    assert names[0].startswith("Phường Quy Nhơn") and all("Quy Nhơn" in n for n in names)
    page.commune.setCurrentRow(0)
    assert page.chosen.text() == "Công an phường Quy Nhơn — mã 21583"
    assert page.first_day.isVisible() and "tệp của Công an tỉnh" in page.first_day.text()
    wizard.next()
    docs = wizard.documents            # a phường of Gia Lai: its defaults, shown
    assert docs.signer_title.placeholderText() == "mặc định: TRƯỞNG CÔNG AN PHƯỜNG"
    assert docs.parent_agency.placeholderText() == "mặc định: CÔNG AN TỈNH GIA LAI"
    wizard.next()
    assert wizard.start.buttons[first_run.START_PACKAGE].isVisible()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    ctx = wizard.context
    try:
        assert (ctx.station.code, ctx.station.name, ctx.station.parent_code,
                ctx.station.listed) == ("21583", "Công an phường Quy Nhơn", "52", True)
        from core.documents.settings import official_settings, province_agency
        assert province_agency(ctx) == "CÔNG AN TỈNH GIA LAI"    # from the official list
        ctx.set_setting("doc.place", "Quy Nhơn")
        ctx.set_setting("doc.signer_name", "A")
        assert official_settings(ctx).parent_agency == "CÔNG AN TỈNH GIA LAI"
    finally:
        ctx.close()


def test_province_wizard_offers_no_province_package(tmp_path, qtbot):
    wizard = FirstRunWizard(tmp_path / "gl.sqlite3")
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.station.level.set_value("tinh")
    wizard.station.province.set_value("52")
    assert not wizard.station.search.isVisible() and not wizard.station.first_day.isVisible()
    assert wizard.station.chosen.text() == "Công an tỉnh Gia Lai — mã 52"
    wizard.next()
    wizard.next()
    assert wizard.currentPage() is wizard.start
    assert not wizard.start.buttons[first_run.START_PACKAGE].isVisible()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    ctx = wizard.context
    try:
        assert (ctx.station.code, ctx.station.name) == ("52", "Công an tỉnh Gia Lai")
    finally:
        ctx.close()
