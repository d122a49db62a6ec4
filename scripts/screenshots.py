"""Take the user guide's screenshots (run under Xvfb; see docs/huong-dan-su-dung.md).

    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots.py

Everything happens on a temporary station (sample data for training); each window
is grabbed with QWidget.grab() and saved, scaled to at most 1000 px wide, as
resources/docs/img/<name>.png.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel, QWizard  # noqa: E402

OUT = ROOT / "resources" / "docs" / "img"
WIDTH = 1000


def settle(app: QApplication, rounds: int = 20) -> None:
    """Let queued events (lazy table loads, layouts) run."""
    for _ in range(rounds):
        app.processEvents()


def save(app: QApplication, widget, name: str) -> None:
    """Grab *widget* into OUT/name.png, at most WIDTH pixels wide."""
    settle(app)
    image = widget.grab()
    if image.width() > WIDTH:
        image = image.scaledToWidth(WIDTH, Qt.TransformationMode.SmoothTransformation)
    # 256 colours: screens are flat UI colours, and the file is a third of the size.
    image = image.toImage().convertToFormat(QImage.Format.Format_Indexed8,
                                            Qt.ImageConversionFlag.ThresholdDither)
    path = OUT / f"{name}.png"
    image.save(str(path), "PNG")
    print(f"{path.relative_to(ROOT)}  {image.width()}x{image.height()}  "
          f"{path.stat().st_size // 1024} KB")


def type_text(widget, text: str) -> None:
    widget.setText(text)


def main() -> int:
    from ui import app as appmod
    from ui import workbook_actions
    from ui.forms.first_run import START_SAMPLE, FirstRunWizard
    OUT.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="antq-shots-"))
    os.environ["ANTQ_DATA_DIR"] = str(work / "data")   # automatic backups go here
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(work / "settings"))
    app = appmod.make_application([])
    from ui import dialogs
    dialogs.inform = lambda *a, **k: None      # no blocking message boxes

    wizard = FirstRunWizard(work / "xa.sqlite3")
    wizard.show()
    wizard.station.level.set_value("xa")
    wizard.station.unlisted.setChecked(True)       # a training station: its own code and name
    type_text(wizard.station.code, "CAX-TANPHU")
    type_text(wizard.station.name, "Công an xã Tân Phú")
    type_text(wizard.station.parent_code, "CAT-HOABINH")
    save(app, wizard, "01-khoi-tao-don-vi")
    wizard.next()
    type_text(wizard.documents.place, "Tân Phú")
    type_text(wizard.documents.signer_name, "Bùi Văn Thắng")
    type_text(wizard.documents.cert_signer, "Nguyễn Văn An")
    save(app, wizard, "02-thong-tin-van-ban")
    wizard.next()
    wizard.start.buttons[START_SAMPLE].setChecked(True)
    save(app, wizard, "03-du-lieu-ban-dau")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    for _ in range(200):                            # the station is made in the background
        if wizard.context is not None:
            break
        time.sleep(0.05)
        settle(app)
    if wizard.context is None:
        raise SystemExit("the first-run wizard refused: " + " ".join(
            page.error.text() for page in (wizard.station, wizard.start)))
    ctx = wizard.context

    from ui.main_window import MainWindow
    window = MainWindow(ctx)
    window.show()
    window.resize(1000, 620)
    save(app, window, "04-tong-quan")
    window.report.period.set_code("2026")          # Năm 2026
    window.report.run_report()
    for _ in range(50):                             # the report runs in the background
        time.sleep(0.05)
        settle(app)
    for page, name in ((window.models, "05-mo-hinh"), (window.members, "07-hoi-vien"),
                       (window.commendations, "10-khen-thuong"), (window.report, "11-bao-cao"),
                       (window.exchange, "12-trao-doi")):
        window.tabs.setCurrentWidget(page)
        save(app, window, name)

    model_id = ctx.db.execute("SELECT id FROM models WHERE deleted = 0 ORDER BY name LIMIT 1"
                              ).fetchone()[0]
    from ui.forms.models import ModelForm
    form = ModelForm(ctx, model_id, window)
    form.show()
    save(app, form, "06-sua-mo-hinh")
    form.close()
    person_id = ctx.db.execute("SELECT id FROM persons WHERE deleted = 0 ORDER BY full_name "
                               "LIMIT 1").fetchone()[0]
    from ui.forms.persons import PersonForm
    form = PersonForm(ctx, person_id, window)
    form.show()
    save(app, form, "08-sua-hoi-vien")
    form.close()

    # An event's attendance: the largest model added at once, a search without diacritics.
    big = ctx.db.execute("SELECT model_id FROM memberships WHERE deleted = 0 GROUP BY model_id"
                         " ORDER BY COUNT(*) DESC LIMIT 1").fetchone()[0]
    event_id = ctx.db.execute("SELECT id FROM events WHERE deleted = 0 ORDER BY date DESC"
                              " LIMIT 1").fetchone()[0]
    from ui.forms.events import EventForm
    form = EventForm(ctx, event_id, window)
    form.show()
    form.models.set_checked(big)
    form.attendance.add_chosen_model()
    form.attendance.search.setText("nguyen van")
    form.attendance.refresh_matches()
    save(app, form, "18-diem-danh")
    form.close()

    # Import preview: a workbook exported from this station, checked against a fresh one.
    from core.station import init_station
    from core.workbook import export_workbook, import_workbook
    book = work / "so.xlsx"
    export_workbook(ctx, book)
    fresh = init_station(work / "moi.sqlite3", level="xa", code="CAX-MOI",
                         name="Công an xã Tân Phú")
    report = import_workbook(fresh, book, dry_run=True)
    preview = workbook_actions.ImportPreview(report, str(book), window)
    preview.show()
    save(app, preview, "09-nhap-excel-kiem-tra")
    preview.close()
    fresh.close()

    system_screens(app, window, ctx)
    recycle_screens(app, window, ctx)
    window.close()
    ctx.close()
    return 0


def grab_screen(app: QApplication, widget, name: str) -> None:
    """Save the screen area of *widget* (popup menus included) as OUT/name.png."""
    settle(app)
    top_left = widget.mapToGlobal(widget.rect().topLeft())
    pixmap = app.primaryScreen().grabWindow(0, top_left.x(), top_left.y(),
                                            widget.frameGeometry().width(),
                                            widget.frameGeometry().height())
    label = QLabel()
    label.setPixmap(pixmap)
    label.resize(pixmap.size())
    save(app, label, name)


def system_screens(app: QApplication, window, ctx) -> None:
    """The “Hệ thống” menu, the restore list, accounts, the login and the history."""
    from dataclasses import replace

    from core import accounts, backup
    from core.records import Model
    from core.repos.models import ModelRepo
    from core.services import models as model_service
    from ui import system_menu
    from ui.history import HistoryDialog
    from ui.security import AccountsDialog, LoginDialog

    window.tabs.setCurrentIndex(0)
    # Some automatic backups, as after a few days of use.
    for reason in ("daily", "import", "manual"):
        backup.make_auto_backup(ctx, reason)
    # The administrator, two more accounts and a few changes signed by them.
    accounts.add_user(ctx, "quantri", "admin", "matkhau-quantri")
    accounts.sign_in(ctx, "quantri", "matkhau-quantri")
    accounts.add_user(ctx, "canbo.lan", "editor", "matkhau-canbo")
    accounts.add_user(ctx, "lanhdao", "viewer", "matkhau-lanhdao")
    accounts.sign_in(ctx, "canbo.lan", "matkhau-canbo")
    repo = ModelRepo(ctx.store)
    for model_id in repo.ids()[:2]:
        model: Model = repo.get(model_id)
        model_service.save(ctx, replace(model, decision_no=model.decision_no or "15/QĐ-UBND",
                                        name=model.name + " (kiện toàn)"))
    accounts.sign_in(ctx, "quantri", "matkhau-quantri")
    window.system.refresh_role()

    window.system.menu.popup(window.mapToGlobal(window.menuBar().geometry().bottomLeft())
                             + window.menuBar().actionGeometry(
                                 window.system.menu.menuAction()).bottomLeft())
    grab_screen(app, window, "13-menu-he-thong")
    window.system.menu.hide()

    restore = system_menu.RestoreDialog(ctx, window)
    restore.show()
    save(app, restore, "14-khoi-phuc")
    restore.close()

    dialog = AccountsDialog(window)
    dialog.show()
    save(app, dialog, "15-tai-khoan")
    dialog.close()

    login = LoginDialog(ctx, window, name="canbo.lan")
    login.show()
    save(app, login, "16-dang-nhap")
    login.close()

    history = HistoryDialog(ctx, window)
    history.show()
    save(app, history, "17-lich-su")
    history.close()


def recycle_screens(app: QApplication, window, ctx) -> None:
    """The Thùng rác: two members and an event deleted, listed with what went with them."""
    from core.services import recycle
    from ui.recycle_bin import RecycleBinDialog
    for table, count in (("events", 1), ("persons", 2)):
        for (record_id,) in ctx.db.execute(f"SELECT id FROM {table} WHERE deleted = 0"
                                           f" ORDER BY rowid LIMIT {count}").fetchall():
            recycle.delete(ctx, record_id)
    window.tabs.setCurrentWidget(window.members)
    dialog = RecycleBinDialog(window)
    dialog.resize(900, 330)
    dialog.show()
    save(app, dialog, "19-thung-rac")
    dialog.close()


if __name__ == "__main__":
    sys.exit(main())
