"""Issue #15, item 4: guesses made in parallel each count before the password is hashed."""
from __future__ import annotations

import threading
import time

import pytest

from core import accounts
from core.station import open_station
from security_fixtures import PASSWORD, make_users


def test_parallel_wrong_guesses_stop_at_the_limit(ctx, monkeypatch):
    make_users(ctx)
    path = ctx.path
    ctx.close()
    checked: list[str] = []
    real = accounts.password_matches

    def slow_check(password: str, stored: str) -> bool:
        checked.append(password)
        time.sleep(0.3)          # a slow hash: every guess is in flight at once
        return real(password, stored)

    monkeypatch.setattr(accounts, "password_matches", slow_check)
    stations = [open_station(path) for _ in range(12)]
    start = threading.Barrier(12)
    refused: list[str] = []

    def guess(station, n: int) -> None:
        start.wait()
        try:
            accounts.verify(station, "xem", f"doan-sai-{n}")
        except accounts.AuthError as exc:
            refused.append(str(exc))

    threads = [threading.Thread(target=guess, args=(s, n)) for n, s in enumerate(stations)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for station in stations:
        station.close()
    assert len(refused) == 12
    assert len(checked) == accounts.MAX_FAILED
    monkeypatch.setattr(accounts, "password_matches", real)
    again = open_station(path)
    try:
        with pytest.raises(accounts.AuthError, match="khóa"):
            accounts.verify(again, "xem", PASSWORD)   # locked: even the right one
        assert accounts.verify(again, "quantri", PASSWORD) == "admin"
    finally:
        again.close()


def test_right_password_resets_the_count(ctx):
    make_users(ctx)
    for _ in range(accounts.MAX_FAILED - 1):
        with pytest.raises(accounts.AuthError):
            accounts.verify(ctx, "xem", "sai-mat-khau")
    assert accounts.verify(ctx, "xem", PASSWORD) == "viewer"
    row = ctx.db.execute("SELECT failed_attempts FROM users WHERE name = 'xem'").fetchone()
    assert row[0] == 0
    for _ in range(accounts.MAX_FAILED - 1):
        with pytest.raises(accounts.AuthError):
            accounts.verify(ctx, "xem", "sai-mat-khau")
    assert accounts.verify(ctx, "xem", PASSWORD) == "viewer"
