"""Fixtures for driving the window offscreen: synchronous tasks, captured dialogs."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from core import sample_data


@pytest.fixture(autouse=True)
def _settings(tmp_path, qapp):
    """Keep QSettings (geometry, column widths) in a temporary folder."""
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path / "settings"))
    QSettings().clear()
    yield


@pytest.fixture(autouse=True)
def _vietnamese_qt(qapp):
    """Qt's own texts in Vietnamese, as ``ui.app.make_application`` sets them."""
    from ui import qt_vietnamese
    qt_vietnamese.install(qapp)


@pytest.fixture(autouse=True)
def _document_folder(tmp_path, monkeypatch):
    """Documents made for a preview go under the test's folder, not the system's temp."""
    from ui import printing
    root = tmp_path / "documents"
    root.mkdir()
    monkeypatch.setattr(printing, "temp_root", str(root))


@pytest.fixture
def sync_tasks(monkeypatch):
    """Run background work at once, in the calling thread (Picard's fake pool)."""
    from ui import tasks
    monkeypatch.setattr(tasks, "start", lambda runnable: runnable.run())


class Messages:
    """Dialogs the code showed instead of blocking on them."""

    def __init__(self):
        self.shown: list[tuple[str, str]] = []
        self.answers: list[object] = []

    def texts(self) -> str:
        return "\n".join(text for _, text in self.shown)


@pytest.fixture
def messages(monkeypatch):
    """Capture message boxes; answers for confirm/choose come from ``answers``."""
    from ui import dialogs
    found = Messages()
    monkeypatch.setattr(dialogs, "show_error",
                        lambda parent, text, title="": found.shown.append(("error", text)))
    monkeypatch.setattr(dialogs, "inform",
                        lambda parent, text, title="": found.shown.append(("info", text)))
    monkeypatch.setattr(dialogs, "show_bug",
                        lambda parent, exc: found.shown.append(("bug", repr(exc))))
    monkeypatch.setattr(dialogs, "confirm", lambda parent, text, title="": (
        found.shown.append(("confirm", text)), found.answers.pop(0))[1])
    monkeypatch.setattr(dialogs, "confirm_delete", lambda parent, text: (
        found.shown.append(("confirm_delete", text)), found.answers.pop(0))[1])
    monkeypatch.setattr(dialogs, "choose", lambda parent, text, options, title="": (
        found.shown.append(("choose", text)), found.answers.pop(0))[1])
    return found


@pytest.fixture
def previews(monkeypatch):
    """PDF preview dialogs opened by the code (shown, not run modally)."""
    from ui.pdf_preview import PdfPreviewDialog
    opened: list[PdfPreviewDialog] = []

    def fake_exec(self):
        opened.append(self)
        self.show()
        return 0

    monkeypatch.setattr(PdfPreviewDialog, "exec", fake_exec)
    return opened


@pytest.fixture
def forms(monkeypatch):
    """Make form dialogs non-modal: ``forms.fill = f`` runs f(form) instead of exec()."""
    from tests.ui.helpers import drive_dialogs
    from ui.widgets import FormDialog
    return drive_dialogs(monkeypatch, FormDialog)


@pytest.fixture
def window(ctx, qtbot, sync_tasks, messages, forms):
    """The main window on a fresh, empty station."""
    from ui.main_window import MainWindow
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture
def filled(ctx):
    """A station holding the sample data (about 400 memberships)."""
    sample_data.fill(ctx, sample_data.generate(0.2))
    return ctx


# -- a station with three accounts ---------------------------------------------

@pytest.fixture
def station_with_accounts(tmp_path):
    """A commune with document settings, records of every kind (see
    ``tests.core.docdata.seed``) and three accounts: ``quantri`` (admin),
    ``nhaplieu`` (editor) and ``xem`` (viewer), all with ``helpers.PASSWORD``.
    Yields ``(ctx, ids)``; nobody is signed in."""
    from core import accounts
    from tests.core.docdata import make_station, seed
    from tests.ui.helpers import make_accounts
    ctx = make_station(tmp_path)
    ids = seed(ctx)
    make_accounts(ctx)
    accounts.sign_out(ctx)
    yield ctx, ids
    ctx.close()


@pytest.fixture(params=["admin", "editor", "viewer"])
def role(request) -> str:
    """Each of the three roles in turn."""
    return request.param


@pytest.fixture
def window_as(station_with_accounts, qtbot, sync_tasks, messages, forms, previews):
    """``window_as(role)``: the window on :func:`station_with_accounts`, signed in."""
    from tests.ui.helpers import open_signed_in
    ctx, _ids = station_with_accounts
    return lambda role: open_signed_in(ctx, role, qtbot)
