"""The one way a window job works on the station: its own connection, the same user.

``run_on_station(parent, ctx, work, needs=..., on_success=...)`` checks first,
on the UI thread, that the signed-in account may do what the job needs
("read", "edit" or "admin"): a refusal is told in Vietnamese and nothing runs.
Then :func:`ui.tasks.run_task` runs ``work(job_ctx, control)`` in a worker,
where *job_ctx* is a station connection of the worker's own (an sqlite3
connection stays in its thread) carrying the signed-in user and role as they
were when the job started, so the core's own checks and the audit trail see
the same person as the window. The connection is closed when the work ends.

A job that writes reports the tables it changed: every change the job's
connection commits is collected, and *on_changed(tables)* runs (before
*on_success*) so the window refreshes only the views that show them.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from core import accounts
from core.station import Context, open_station
from ui import dialogs, tasks

Work = Callable[[Context, tasks.TaskControl], Any]


def refusal(ctx: Context, needs: str) -> str | None:
    """Why the signed-in account may not do what a job *needs* (None: it may).

    The window's own wording: no command-line hint, which means nothing there.
    """
    if accounts.allowed(ctx, needs):
        return None
    if ctx.user is None:
        return "Cần đăng nhập bằng tài khoản có quyền phù hợp để thực hiện thao tác này."
    role = accounts.ROLE_LABELS.get(ctx.role, ctx.role)
    wanted = "quản trị" if needs == "admin" else "nhập liệu hoặc quản trị"
    return (f"Tài khoản “{ctx.user}” (quyền {role}) không được phép thực hiện thao tác "
            f"này: cần tài khoản có quyền {wanted}.")


def may(parent: QWidget | None, ctx: Context, needs: str) -> bool:
    """True when the account may do *needs*; otherwise tell the person and return False."""
    reason = refusal(ctx, needs)
    if reason is None:
        return True
    dialogs.show_error(parent, reason)
    return False


def open_session(path: Path | str) -> Context:
    """The station a window works on (a window opened again after a restore).

    Jobs never use it: they get their own connection from :func:`run_on_station`.
    """
    return open_station(path)


def open_for_job(path: Path | str, user: str | None, role: str | None) -> Context:
    """A station connection for a worker, signed in as *user* with *role*."""
    own = open_station(path)
    own.user, own.role = user, role
    return own


def run_on_station(parent: QWidget | None, ctx: Context, work: Work, *, needs: str,
                   on_success: Callable[[Any], None],
                   on_failure: Callable[[BaseException], None] | None = None,
                   on_changed: Callable[[set[str]], None] | None = None,
                   label: str = "Đang xử lý…", cancellable: bool = True,
                   quiet: bool = False) -> tasks.TaskControl | None:
    """Run *work(job_ctx, control)* off the UI thread on a connection of its own.

    Returns the task's control, or None when the account may not do *needs*
    (refused before anything ran). See the module docstring.
    """
    if not may(parent, ctx, needs):
        return None
    path, user, role = ctx.path, ctx.user, ctx.role
    touched: set[str] = set()

    def job(control: tasks.TaskControl) -> Any:
        own = open_for_job(path, user, role)
        own.store.committers.append(
            lambda _store, changes: touched.update(c.table for c in changes))
        try:
            return work(own, control)
        finally:
            own.close()

    def succeeded(result: Any) -> None:
        if touched and on_changed is not None:
            on_changed(set(touched))
        on_success(result)

    def failed(exc: BaseException) -> None:
        if touched and on_changed is not None:   # a file of several may have gone in
            on_changed(set(touched))
        if on_failure is not None:
            on_failure(exc)
        elif not isinstance(exc, tasks.Cancelled):
            dialogs.show_exception(parent, exc)

    return tasks.run_task(parent, job, on_success=succeeded, on_failure=failed, label=label,
                          cancellable=cancellable, quiet=quiet)
