"""The one way window jobs open the station (no ui/ cycle: tests/test_import_cycles.py)."""
from __future__ import annotations

import re
from pathlib import Path

from core import accounts
from tests.ui.helpers import make_accounts
from ui import jobs

UI = Path(__file__).resolve().parents[2] / "ui"
# The window's start (ui/app.py) and the helper itself may open a station; no job does.
MAY_OPEN = {"app.py", "jobs.py"}


def test_no_job_opens_a_station_by_hand():
    found = [f"{path.relative_to(UI)}:{n}" for path in sorted(UI.rglob("*.py"))
             if path.name not in MAY_OPEN or path.parent != UI
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"\bopen_station\b|sqlite3\.connect", line)]
    assert found == []


def test_refusal_names_the_account_and_gives_no_command_line_hint(ctx):
    make_accounts(ctx)
    assert jobs.refusal(ctx, "admin") is None
    accounts.sign_in(ctx, "xem", "mat-khau-123")
    refused = jobs.refusal(ctx, "edit")
    assert refused.startswith("Tài khoản “xem” (quyền Chỉ xem) không được phép")
    assert "--user" not in refused and jobs.refusal(ctx, "read") is None
    accounts.sign_out(ctx)
    assert "--user" not in jobs.refusal(ctx, "edit")


def test_a_job_carries_the_user_and_reports_the_tables_it_changed(ctx, qtbot, sync_tasks,
                                                                   messages):
    from core.records import Unit
    from core.services import units
    make_accounts(ctx)
    accounts.sign_in(ctx, "nhaplieu", "mat-khau-123")
    seen, changed = [], []

    def work(job_ctx, control):
        seen.append((job_ctx is not ctx, job_ctx.user, job_ctx.role))
        return units.save(job_ctx, Unit(name="Thôn Mới"))[0]

    jobs.run_on_station(None, ctx, work, needs="edit", on_success=seen.append,
                        on_changed=changed.append)
    qtbot.waitUntil(lambda: len(seen) == 2)
    assert seen[0] == (True, "nhaplieu", "editor")
    assert changed == [{"units"}]
    user = ctx.db.execute("SELECT user FROM audit ORDER BY seq DESC").fetchone()[0]
    assert user == "nhaplieu"
