"""The core API the window wizard builds on: choices change what is seen; nothing is
written before apply; apply is all or nothing and can be cancelled."""
from __future__ import annotations

import pytest

import intake_files as F
from core.errors import UserError
from core.intake import Choices, apply, plan, see


def count(ctx, table):
    return ctx.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_choices_header_row_mapping_and_corrections(ctx, tmp_path):
    path = F.member_book(tmp_path / "l.xlsx")
    seen = see(ctx, path)
    sheet = seen.sheets[0]
    assert sheet.header_row == 4 and sheet.column("full_name").header == "Họ và tên"
    proposals = {(p.row, p.field): (p.before, p.after) for p in sheet.proposals}
    assert proposals[(8, "birth_date")] == ("27.3.76", "1976-03-27")
    assert proposals[(5, "id_number")] == ("38087001234", "038087001234")
    # The user ignores the phone column, corrects a date and refuses the proposals left.
    choices = Choices(mapping={"SĐT": None}, model="Tổ A",
                      corrections={("Danh sách", 8, "birth_date"): "1976"})
    sheet = see(ctx, path, choices).sheets[0]
    assert sheet.column("phone") is None
    assert [r.values["birth_date"] for r in sheet.rows if r.number == 8] == ["1976"]
    refused = see(ctx, path, Choices(accept_proposals=False)).sheets[0]
    assert {c for r in refused.rows for c, _ in r.problems} >= {"Số CCCD", "Năm sinh"}
    # Another header row: the program reads what the user points at.
    moved = see(ctx, path, Choices(header_rows={"Danh sách": 2})).sheets[0]
    assert moved.header_row == 2 and moved.column("full_name") is None
    todo = plan(ctx, see(ctx, path, choices))
    assert count(ctx, "persons") == 0 and not todo.errors
    done = apply(ctx, todo)
    assert done.applied and count(ctx, "persons") == 6
    assert ctx.db.execute("SELECT birth_date FROM persons WHERE full_name = 'Phạm Thị Hường'"
                          ).fetchone() == ("1976",)
    assert ctx.db.execute("SELECT COUNT(*) FROM persons WHERE phone != ''").fetchone() == (0,)


def test_cancel_rolls_everything_back(ctx, tmp_path):
    todo = plan(ctx, see(ctx, F.member_book(tmp_path / "l.xlsx"), Choices(model="Tổ A")))
    calls = []

    def progress(done, total):
        calls.append((done, total))
        return False

    with pytest.raises(UserError):
        apply(ctx, todo, progress=progress)
    assert calls and count(ctx, "persons") == 0 and count(ctx, "models") == 0
    assert count(ctx, "intake_mappings") == 0


def test_a_plan_with_errors_writes_nothing(ctx, tmp_path):
    bad = [("Nguyễn Văn Sai", "31/02/1980", "Thôn Đông", "Tổ viên", "", "")] + F.PEOPLE
    todo = plan(ctx, see(ctx, F.member_book(tmp_path / "l.xlsx", people=bad),
                         Choices(model="Tổ A")))
    assert todo.errors and not apply(ctx, todo).applied
    assert count(ctx, "persons") == 0
