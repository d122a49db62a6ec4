"""SQL for units (đơn vị) and their yearly safety recognition."""
from __future__ import annotations

from core.records import Unit, UnitYear
from core.repos.base import Repo
from core.schema import UNIT, UNIT_YEAR
from core.text import fold


class UnitRepo(Repo[Unit]):
    """Units of a station."""

    entity = UNIT
    record_type = Unit
    not_found = "Không tìm thấy đơn vị."

    def derived(self, record: Unit) -> dict:
        return {"name_fold": fold(record.name)}

    def ids_by_name(self, name: str) -> list[str]:
        """Ids of live units whose folded name matches."""
        return self.ids("name_fold = ?", [fold(name)])

    def children(self, parent_id: str) -> list[str]:
        """Ids of live units directly below *parent_id*."""
        return self.ids("parent_id = ?", [parent_id])

    def ancestors(self, unit_id: str) -> list[str]:
        """Ids from *unit_id*'s parent up to the root (stops on a cycle)."""
        seen: list[str] = []
        current = unit_id
        while True:
            row = self.db.execute("SELECT parent_id FROM units WHERE id = ?",
                                  [current]).fetchone()
            if row is None or row[0] is None or row[0] in seen or row[0] == unit_id:
                return seen
            seen.append(row[0])
            current = row[0]


class UnitYearRepo(Repo[UnitYear]):
    """Yearly registration / recognition of units."""

    entity = UNIT_YEAR
    record_type = UnitYear

    def for_unit(self, unit_id: str, year: int) -> UnitYear | None:
        """The live entry of a unit for a year, if any."""
        ids = self.ids("unit_id = ? AND year = ?", [unit_id, year])
        return self.get(ids[0]) if ids else None
