"""A commune's own model types are kept apart per commune at the province.

Two communes may each give a type of their own the same code: at the province
both packages go in (the catalogue is unique per owner and code), each
commune's models keep their commune's label, and the shared catalogue (seeded
or the province's) wins the label where it holds the code.
"""
from __future__ import annotations

from exchange_support import commune, fill, link, province, send_up

from core.records import Model
from core.repos.models import model_types
from core.services import models


def _own_type(ctx, code: str, label: str) -> None:
    """A type of the commune's own (no form makes one yet; written as a record)."""
    with ctx.store.transaction():
        ctx.store.insert("model_types", {"code": code, "label": label, "aliases": "[]",
                                         "sort_order": 99})


def test_two_communes_own_types_with_one_code_both_go_in(tmp_path):
    tinh = province(tmp_path)
    x1, x2 = commune(tmp_path, "X01"), commune(tmp_path, "X02")
    for xa, seed, label in ((x1, 1, "CLB xe ôm X01"), (x2, 2, "CLB xe ôm X02")):
        link(tinh, xa, tmp_path)
        made = fill(xa, seed=seed, persons=2, events=1)
        _own_type(xa, "clb_xe_om", label)
        models.save(xa, Model(name=f"CLB xe ôm {seed}", type="clb_xe_om",
                              unit_ids=[made["unit"]]))
        _, result = send_up(xa, tinh, tmp_path, "first")
        assert result.status == "applied", result.reason
    rows = tinh.db.execute("SELECT owner, label FROM model_types WHERE code = 'clb_xe_om'"
                           " ORDER BY owner").fetchall()
    assert rows == [("X01", "CLB xe ôm X01"), ("X02", "CLB xe ôm X02")]
    # The catalogue names each code once.
    codes = model_types(tinh.db).codes()
    assert list(codes).count("clb_xe_om") == 1
    # Each commune's models show its own label in the province's lists.
    from core.queries import MODELS, list_ids, load_rows
    shown = load_rows(tinh.db, MODELS, list_ids(tinh.db, MODELS))
    labels = {row[0]: row[1] for row in shown.values() if row[0].startswith("CLB xe ôm")}
    assert labels == {"CLB xe ôm 1": "CLB xe ôm X01", "CLB xe ôm 2": "CLB xe ôm X02"}
    # A second round (updated types) still goes in for both.
    for xa in (x1, x2):
        with xa.store.transaction():
            [(tid,)] = xa.db.execute("SELECT id FROM model_types WHERE code = 'clb_xe_om'")
            xa.store.update("model_types", tid, {"label": "CLB xe ôm mới"})
        assert send_up(xa, tinh, tmp_path, "second")[1].status == "applied"
    for c in (tinh, x1, x2):
        c.close()


def test_the_shared_catalogue_wins_the_label_of_its_code(tmp_path):
    tinh = province(tmp_path)
    xa = commune(tmp_path, "X01")
    link(tinh, xa, tmp_path)
    shared = tinh.db.execute("SELECT code, label FROM model_types WHERE owner = ''"
                             " LIMIT 1").fetchone()
    _own_type(xa, shared[0], "Nhãn riêng của xã")
    assert send_up(xa, tinh, tmp_path)[1].status == "applied"
    assert model_types(tinh.db).label(shared[0]) == shared[1]
    assert model_types(xa.db).label(shared[0]) == shared[1]
    tinh.close()
    xa.close()


def test_a_model_may_not_use_another_communes_own_type(tmp_path):
    """X02's own type exists at the province; X01's model naming it is refused."""
    tinh = province(tmp_path)
    x1, x2 = commune(tmp_path, "X01"), commune(tmp_path, "X02")
    for xa in (x1, x2):
        link(tinh, xa, tmp_path)
    made = fill(x2, seed=2, persons=1, events=1)
    _own_type(x2, "rieng_x02", "Loại riêng X02")
    models.save(x2, Model(name="Mô hình X02", type="rieng_x02", unit_ids=[made["unit"]]))
    assert send_up(x2, tinh, tmp_path)[1].status == "applied"
    made = fill(x1, seed=1, persons=1, events=1)
    _own_type(x1, "rieng_x02", "Cùng mã, của X01")
    models.save(x1, Model(name="Mô hình X01", type="rieng_x02", unit_ids=[made["unit"]]))
    # Its own type of that code goes in ...
    assert send_up(x1, tinh, tmp_path, "own")[1].status == "applied"
    # ... but the type withdrawn (tombstone) leaves its model naming X02's type.
    with x1.store.transaction():
        [(tid,)] = x1.db.execute("SELECT id FROM model_types WHERE owner = 'X01'")
        x1.store.set_deleted("model_types", tid)
    path, result = send_up(x1, tinh, tmp_path, "foreign")
    assert result.status == "rejected" and result.error_kind == "invalid_value", result.reason
    for c in (tinh, x1, x2):
        c.close()
