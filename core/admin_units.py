"""The official list of administrative units (provinces and communes, with codes).

The program ships the list in force from 1 July 2025 (34 provinces, 3,321
communes: xã, phường, đặc khu) as ``resources/admin_units/dvhc-2025.csv`` and
keeps it in its own table ``admin_units``, so that a newer list can be taken in
later from a file (:func:`load_file`) without a new program.

The file format is CSV, UTF-8, comma separated, lines starting with ``#`` are
comments (``phien_ban=...`` in a comment names the list's version), and a header
row ``ma,ten,loai,ma_tinh``: the code (2 digits for a province, 5 for a
commune), the official name ("Phường Quy Nhơn"), the division type (``tỉnh``,
``thành phố trung ương``, ``xã``, ``phường``, ``đặc khu``) and, for a commune,
its province's code.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core import rules
from core.errors import UserError
from core.text import clean, fold

if TYPE_CHECKING:
    from sqlite_utils import Database

BUNDLED = "admin_units/dvhc-2025.csv"
HEADER = ["ma", "ten", "loai", "ma_tinh"]
PROVINCE_TYPES = ("tỉnh", "thành phố trung ương")
COMMUNE_TYPES = ("xã", "phường", "đặc khu")
_VERSION = re.compile(r"phien_ban=(\S+)")


@dataclass(frozen=True)
class AdminUnit:
    """One unit of the official list."""

    code: str
    name: str
    division_type: str
    parent_code: str | None

    @property
    def level(self) -> str:
        """``tinh`` for a province, ``xa`` for a commune (xã, phường, đặc khu)."""
        return "tinh" if self.parent_code is None else "xa"

    @property
    def station_name(self) -> str:
        """The police station's name: "Công an phường Quy Nhơn", "Công an tỉnh Gia Lai"."""
        return station_name(self.name, self.division_type)


def station_name(name: str, division_type: str) -> str:
    """The station's name made from the unit's name and division type."""
    if division_type == "thành phố trung ương":
        base = name if name.lower().startswith("thành phố") else f"Thành phố {name}"
        return f"Công an thành phố {base[len('Thành phố '):]}"
    if division_type == "tỉnh":
        return f"Công an tỉnh {name}"
    prefix = division_type[:1].upper() + division_type[1:]
    short = name[len(prefix) + 1:] if name.startswith(prefix + " ") else name
    return f"Công an {division_type} {short}"


def parse(text: str) -> tuple[str | None, list[AdminUnit]]:
    """The list's version and units from the text of a list file; UserError if malformed."""
    version, lines = None, []
    for line in text.splitlines():
        if line.startswith("#"):
            found = _VERSION.search(line)
            version = found.group(1) if found else version
        elif line.strip():
            lines.append(line)
    reader = csv.reader(io.StringIO("\n".join(lines)))
    header = [clean(h).lower() for h in next(reader, [])]
    if header[:4] != HEADER:
        raise UserError("Tệp danh mục đơn vị hành chính phải có dòng tiêu đề "
                        "“ma,ten,loai,ma_tinh”.")
    units, seen = [], set()
    for number, row in enumerate(reader, start=2):
        units.append(_unit(row, number, seen))
    return version, _checked(units)


def _unit(row: list[str], number: int, seen: set) -> AdminUnit:
    code, name, kind, parent = (clean(v) for v in (row + ["", "", "", ""])[:4])
    kind = kind.lower()
    where = f"Dòng {number} của tệp danh mục"
    if kind not in PROVINCE_TYPES + COMMUNE_TYPES:
        raise UserError(f"{where}: loại “{kind}” không hợp lệ (tỉnh, thành phố trung ương, "
                        "xã, phường, đặc khu).")
    width = 2 if kind in PROVINCE_TYPES else 5
    if not (code.isdigit() and len(code) == width):
        raise UserError(f"{where}: mã “{code}” phải gồm {width} chữ số.")
    if not name:
        raise UserError(f"{where}: thiếu tên đơn vị.")
    if problem := rules.text_problem(name):
        raise UserError(f"{where}: tên đơn vị {problem}")
    if code in seen:
        raise UserError(f"{where}: mã {code} bị trùng.")
    seen.add(code)
    if kind in COMMUNE_TYPES and not (parent.isdigit() and len(parent) == 2):
        raise UserError(f"{where}: đơn vị cấp xã phải có mã tỉnh (2 chữ số).")
    return AdminUnit(code, name, kind, parent if kind in COMMUNE_TYPES else None)


def _checked(units: list[AdminUnit]) -> list[AdminUnit]:
    provinces = {u.code for u in units if u.parent_code is None}
    orphan = next((u for u in units if u.parent_code and u.parent_code not in provinces), None)
    if orphan:
        raise UserError(f"Xã {orphan.code} ({orphan.name}) thuộc tỉnh {orphan.parent_code} "
                        "không có trong tệp danh mục.")
    if not provinces:
        raise UserError("Tệp danh mục không có tỉnh nào.")
    return units


def bundled_text() -> str:
    """The text of the list shipped with the program."""
    from core.resources import resource_path
    return resource_path(BUNDLED).read_text(encoding="utf-8")


def replace_all(db: Database, units: list[AdminUnit], version: str | None) -> None:
    """Replace the stored list by *units* (inside the caller's transaction)."""
    db.execute("DELETE FROM admin_units")
    db.conn.executemany(
        "INSERT INTO admin_units (code, name, division_type, parent_code, name_fold)"
        " VALUES (?, ?, ?, ?, ?)",
        [(u.code, u.name, u.division_type, u.parent_code, fold(u.name)) for u in units])
    db.execute("INSERT INTO settings (key, value) VALUES ('admin_units_version', ?)"
               " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
               [json.dumps(version or "")])


def load_file(db: Database, path: Path | str) -> dict:
    """Take in a newer list from a file; returns the counts. Nothing changes on error."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"Không đọc được tệp danh mục {path}: {exc}") from None
    version, units = parse(text)
    with db.atomic():
        replace_all(db, units, version)
    return {"version": version, "provinces": sum(u.parent_code is None for u in units),
            "communes": sum(u.parent_code is not None for u in units)}


_COLUMNS = "code, name, division_type, parent_code"


def get(db: Database, code: str) -> AdminUnit | None:
    """The unit with this code, or None (also for a database made before the list)."""
    if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table'"
                      " AND name = 'admin_units'").fetchone():
        return None
    row = db.execute(f"SELECT {_COLUMNS} FROM admin_units WHERE code = ?", [code]).fetchone()
    return AdminUnit(*row) if row else None


def find(db: Database, code: str, level: str) -> AdminUnit | None:
    """The unit of *level* with exactly this code ("01", "00004"), or None."""
    unit = get(db, clean(code))
    return unit if unit and unit.level == level else None


def provinces(db: Database) -> list[AdminUnit]:
    """Every province, by name."""
    return [AdminUnit(*r) for r in db.execute(
        f"SELECT {_COLUMNS} FROM admin_units WHERE parent_code IS NULL ORDER BY name_fold")]


def communes(db: Database, province_code: str, search: str = "") -> list[AdminUnit]:
    """The communes of a province (optionally matching *search* without diacritics)."""
    words = fold(clean(search)).split()
    where = "".join(" AND name_fold LIKE ?" for _ in words)
    return [AdminUnit(*r) for r in db.execute(
        f"SELECT {_COLUMNS} FROM admin_units WHERE parent_code = ?{where} ORDER BY name_fold",
        [province_code, *(f"%{w}%" for w in words)])]


def version(db: Database) -> str:
    """The version of the stored list ("2025-08-02")."""
    row = db.execute("SELECT value FROM settings WHERE key = 'admin_units_version'").fetchone()
    return json.loads(row[0]) if row else ""


def bundled_units() -> list[AdminUnit]:
    """The shipped list, without a database (the first-run wizard, before init)."""
    return parse(bundled_text())[1]
