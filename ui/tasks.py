"""The one helper that runs work off the UI thread.

``run_task(parent, work, on_success=...)`` runs ``work(control)`` in a
``QThreadPool`` worker and posts the result (or the exception) back to the main
thread. The work gets plain arguments (paths, ids, dataclasses), never widgets.
Work on the station goes through :func:`ui.jobs.run_on_station`, which gives
it a connection of its own (an sqlite3 connection must not be used by two
threads at once) signed in as the window's user. ``control.progress(done, total, text)`` reports
progress and ``control.check()`` raises :class:`Cancelled` after “Hủy”. A
progress dialog appears only when the work lasts longer than half a second.

Tests replace :data:`start` with a function that runs the runnable at once
(the fake thread pool of MusicBrainz Picard's tests).
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from ui import dialogs
from ui.lazy_qt import Qt  # the real Qt namespace is built on first use

log = logging.getLogger(__name__)

SHOW_AFTER_MS = 500


class Cancelled(Exception):
    """The user pressed “Hủy”; the work stopped without finishing."""


class TaskControl:
    """What the work function may use: progress reports and the cancel flag."""

    def __init__(self, signals: "_Signals"):
        self._signals = signals
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        """Ask the work to stop at its next check."""
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        """True once the user asked to stop."""
        return self._cancelled.is_set()

    def check(self) -> None:
        """Raise :class:`Cancelled` if the user asked to stop."""
        if self.cancelled:
            raise Cancelled()

    def report(self, done: int, total: int, text: str = "") -> bool:
        """Report progress (thread-safe); False once the user asked to stop."""
        self._signals.progress.emit(int(done), int(total), str(text))
        return not self.cancelled

    def progress(self, done: int, total: int, text: str = "") -> None:
        """Report progress (thread-safe); also a cancellation point."""
        self.report(done, total, text)
        self.check()


class _Signals(QObject):
    """Signals living in the main thread; emitting them from a worker queues them."""

    success = Signal(object)
    failure = Signal(object)
    progress = Signal(int, int, str)


class _Runnable(QRunnable):
    def __init__(self, work: Callable[[TaskControl], Any], control: TaskControl,
                 signals: _Signals):
        super().__init__()
        self.setAutoDelete(True)
        self._work, self._control, self._signals = work, control, signals

    def run(self) -> None:
        """Run the work and post its outcome back."""
        try:
            result = self._work(self._control)
        except BaseException as exc:  # handed to the main thread, which logs bugs
            self._signals.failure.emit(exc)
            return
        self._signals.success.emit(result)


def _pool_start(runnable: QRunnable) -> None:
    QThreadPool.globalInstance().start(runnable)


# Replaced in tests by ``lambda runnable: runnable.run()``.
start: Callable[[QRunnable], None] = _pool_start

_running: set[_Signals] = set()


def run_task(parent: QWidget | None, work: Callable[[TaskControl], Any], *,
             on_success: Callable[[Any], None],
             on_failure: Callable[[BaseException], None] | None = None,
             label: str = "Đang xử lý…", cancellable: bool = True,
             quiet: bool = False) -> TaskControl:
    """Run *work* in the background; call *on_success* or *on_failure* afterwards.

    Without *on_failure*, a cancelled task is silent, a user error is shown in a
    dialog and a bug is logged with its traceback and shown politely. A *quiet*
    task shows no progress dialog (the page shows that it is waiting itself).
    """
    signals = _Signals()
    control = TaskControl(signals)
    progress = None if quiet else _progress_dialog(parent, label, control, cancellable)

    def finish() -> None:
        if progress is not None:
            progress.reset()
            progress.deleteLater()
        _running.discard(signals)

    def succeeded(result: Any) -> None:
        finish()
        on_success(result)

    def failed(exc: BaseException) -> None:
        finish()
        if on_failure is not None:
            on_failure(exc)
        elif not isinstance(exc, Cancelled):
            dialogs.show_exception(parent, exc)

    def advanced(done: int, total: int, text: str) -> None:
        if progress is None:
            return
        progress.setMaximum(max(total, 1))
        progress.setValue(min(done, max(total, 1)))
        if text:
            progress.setLabelText(text)

    signals.success.connect(succeeded, Qt.QueuedConnection)
    signals.failure.connect(failed, Qt.QueuedConnection)
    signals.progress.connect(advanced, Qt.QueuedConnection)
    _running.add(signals)
    start(_Runnable(work, control, signals))
    return control


def _progress_dialog(parent: QWidget | None, label: str, control: TaskControl,
                     cancellable: bool) -> QProgressDialog:
    """A progress dialog that shows itself only after half a second."""
    dialog = QProgressDialog(label, "Hủy" if cancellable else "", 0, 0, parent)
    dialog.setWindowTitle("Vui lòng chờ")
    dialog.setWindowModality(Qt.WindowModal)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    if not cancellable:
        dialog.setCancelButton(None)
    dialog.canceled.connect(control.cancel)
    dialog.setValue(0)  # starts the half-second timer before the dialog shows
    return dialog
