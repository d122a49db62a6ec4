"""SQL for movement models (mô hình) and the model-type catalogue."""
from __future__ import annotations

import json

from core.catalog import Catalog, Item
from core.queries import SHARED_TYPE_SQL
from core.records import Model
from core.repos.base import Repo
from core.schema import MODEL
from core.text import fold


class ModelRepo(Repo[Model]):
    """Models of a station."""

    entity = MODEL
    record_type = Model
    not_found = "Không tìm thấy mô hình."

    def derived(self, record: Model) -> dict:
        return {"name_fold": fold(record.name)}

    def ids_by_name(self, name: str) -> list[str]:
        """Ids of live models whose folded name matches."""
        return self.ids("name_fold = ?", [fold(name)])


def model_types(db) -> Catalog:
    """The model-type catalogue as it stands in this database, one item per code.

    Where several owners hold a code (two communes' own types at the province),
    the shared catalogue's row names it, else the first owner's by code order.
    """
    rows = db.execute(
        "SELECT code, label, aliases FROM (SELECT code, label, aliases, sort_order,"
        f" row_number() OVER (PARTITION BY code ORDER BY {SHARED_TYPE_SQL} DESC, owner) AS n"
        " FROM model_types mt WHERE deleted = 0) WHERE n = 1"
        " ORDER BY sort_order, code").fetchall()
    return Catalog("model_type", tuple(
        Item(code, label, tuple(json.loads(aliases or "[]"))) for code, label, aliases in rows))
