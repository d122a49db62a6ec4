"""Shared set-up for the accounts / audit / backup tests (imported by them)."""
from __future__ import annotations

import uuid

from core import accounts
from core.records import Commendation, Event, Membership, Model, Person, Result, Unit
from core.services import activities, members, models, units
from core.station import Context

PASSWORD = "mat-khau-123"


def make_users(ctx: Context) -> None:
    """An admin (first), an editor and a viewer, all with PASSWORD."""
    accounts.add_user(ctx, "quantri", "admin", PASSWORD)
    accounts.sign_in(ctx, "quantri", PASSWORD)
    accounts.add_user(ctx, "nhaplieu", "editor", PASSWORD)
    accounts.add_user(ctx, "xem", "viewer", PASSWORD)


def seed(ctx: Context) -> dict[str, str]:
    """One record of every kind; returns their ids."""
    ids = {}
    ids["unit"], _ = units.save(ctx, Unit(name=f"Thôn {uuid.uuid4().hex[:6]}"))
    ids["model"], _ = models.save(ctx, Model(name=f"Tổ {uuid.uuid4().hex[:6]}",
                                             unit_ids=[ids["unit"]]))
    ids["person"], _ = members.save_person(ctx, Person(full_name="Nguyễn Văn An",
                                                       birth_date="1980-01-02"))
    ids["membership"], _ = members.save_membership(
        ctx, Membership(person_id=ids["person"], model_id=ids["model"]))
    ids["event"], _ = activities.save_event(ctx, Event(date="2026-03-01", title="Họp tổ",
                                                       participants=3))
    ids["result"], _ = activities.save_result(ctx, Result(date="2026-03-02", quantity=2,
                                                                  unit_id=ids["unit"]))
    ids["commendation"], _ = activities.save_commendation(ctx, Commendation(
        recipient_kind="person", recipient_id=ids["person"], decision_no="12/QĐ",
        decision_date="2026-04-01", achievement="Tích cực"))
    return ids


def backup_database(path, dest):
    """The database inside the backup file *path*, copied to *dest* (its key is the one
    this process wrote it with); a plain file is copied as it is."""
    from core import backup
    backup.extract(path, dest)
    return dest


def edit_backup(path, *statements: str) -> None:
    """Change the database inside a backup file behind the program's back (as someone
    holding its key could), keeping the file's header: the restore must notice."""
    import os
    from pathlib import Path

    from core import backup, cipher
    found = backup.read_header(path)
    inner = Path(f"{path}.inner")
    backup.extract(path, inner)
    conn = cipher.connect(inner, cipher.known_key(inner))
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()
    head = Path(path).read_bytes()[:found[1]] if found else b""
    Path(path).write_bytes(head + inner.read_bytes())
    os.remove(inner)


def copy_station(source, target) -> None:
    """Copy a station's database file with its key files (``.keys``, ``.oskey``): a
    station without accounts opens with them only, in another process too."""
    import shutil
    from pathlib import Path
    shutil.copyfile(source, target)
    for side in (".keys", ".oskey"):
        if Path(f"{source}{side}").exists():
            shutil.copyfile(f"{source}{side}", f"{target}{side}")


def open_backup(path, key: bytes | None = None):
    """The database inside the backup file *path*, opened as a station (*key*: its
    station's key, which this process knows when it made the station; by default any
    key this process unlocked that opens it)."""
    from pathlib import Path

    from core import backup, cipher
    from core.station import open_station
    inner = Path(f"{path}.opened.sqlite3")
    backup.extract(path, inner)
    if key is None:
        key = next(k for k in list(cipher._known.values()) if cipher.opens(inner, k))
    cipher.remember(inner, key)
    return open_station(inner)
