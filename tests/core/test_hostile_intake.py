"""The list intake applies the entry rules of the forms and the data workbook.

A list is read cell by cell; a value the forms would refuse becomes a problem of
its cell (shown in the intake review), and a plan with problems writes nothing:
control characters, texts too long for a document, impossible or out-of-range
dates, a birth after today, joining before birth.
"""
from __future__ import annotations

import csv

from core.intake import Choices, apply, plan, see
from core.records import Person
from core.services import members

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Chỗ ở", "Chức vụ", "Ngày tham gia"]
GOOD = ["1", "Nguyễn Văn Hòa", "27/04/1987", "Thôn Đông", "Tổ viên", "01/05/2020"]
BAD = {
    "control_character": (["2", "Lê Thị \x07Chuông", "01/01/1980", "Thôn Đông", "Tổ viên", ""],
                          "Họ và tên", "ký tự điều khiển"),
    "control_in_address": (["3", "Trần Văn Ba", "02/02/1981", "Thôn \x1bĐông", "Tổ viên", ""],
                           "Chỗ ở", "ký tự điều khiển"),
    "too_long": (["4", "Phạm Văn Dài", "03/03/1982", "Thôn " * 60, "Tổ viên", ""],
                 "Chỗ ở", "quá giới hạn"),
    "year_out_of_range": (["5", "Hoàng Văn Cổ", "01/01/1850", "Thôn Đông", "Tổ viên", ""],
                          "Ngày sinh", "nằm ngoài khoảng"),
    "born_after_today": (["6", "Vũ Văn Mai", "01/01/2099", "Thôn Đông", "Tổ viên", ""],
                         "Ngày sinh", "sau ngày hôm nay"),
    "joined_before_birth": (["7", "Đặng Thị Sớm", "12/12/1985", "Thôn Đông", "Tổ viên",
                             "01/01/1980"], "Ngày tham gia", "trước ngày sinh"),
    "join_out_of_range": (["8", "Bùi Văn Xa", "12/12/1985", "Thôn Đông", "Tổ viên",
                           "01/01/2150"], "Ngày tham gia", "nằm ngoài khoảng"),
}


def _list(path, rows) -> object:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["DANH SÁCH THÀNH VIÊN TỔ AN NINH"])
        writer.writerow([])
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _count(ctx, table: str) -> int:
    return ctx.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_each_refused_value_is_a_problem_of_its_cell(ctx, tmp_path):
    path = _list(tmp_path / "l.csv", [GOOD] + [row for row, _, _ in BAD.values()])
    todo = plan(ctx, see(ctx, path, Choices(model="Tổ A")))
    assert not [e for e in todo.errors if e.row == 4], todo.errors      # the good row
    for name, (cells, column, words) in BAD.items():
        found = [(e.column, e.message) for e in todo.errors if e.row == int(cells[0]) + 3]
        assert any(c == column and words in m for c, m in found), (name, found)
    assert not apply(ctx, todo).applied and _count(ctx, "persons") == 0


def test_the_good_rows_alone_go_in(ctx, tmp_path):
    path = _list(tmp_path / "l.csv", [GOOD])
    todo = plan(ctx, see(ctx, path, Choices(model="Tổ A")))
    assert not todo.errors and apply(ctx, todo).applied
    assert _count(ctx, "persons") == 1 and _count(ctx, "memberships") == 1


def test_a_correction_typed_in_the_review_meets_the_same_rules(ctx, tmp_path):
    path = _list(tmp_path / "l.csv", [GOOD])
    [sheet] = see(ctx, path).sheets
    row = sheet.rows[0].number
    fixed = Choices(model="Tổ A", corrections={(sheet.name, row, "birth_date"): "1800-01-01"})
    [sheet] = see(ctx, path, fixed).sheets
    assert any("nằm ngoài khoảng" in m for _, m in sheet.rows[0].problems)


def test_joining_before_a_stored_persons_birth_is_refused(ctx, tmp_path):
    """The list names a person already kept, born after the list's join date."""
    members.save_person(ctx, Person(full_name="Nguyễn Văn Hòa", birth_date="1987-04-27",
                                    id_number="038087001234"))
    header = HEADER[:2] + ["Số CCCD"] + HEADER[3:]
    path = tmp_path / "l.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerow(["1", "Nguyễn Văn Hòa", "038087001234", "Thôn Đông", "Tổ viên",
                         "01/05/1980"])
    todo = plan(ctx, see(ctx, path, Choices(model="Tổ A")))
    assert any("trước ngày sinh" in e.message for e in todo.errors), todo.errors
    assert not apply(ctx, todo).applied


def test_a_model_name_or_a_unit_given_for_the_list_meets_the_rules(ctx, tmp_path):
    path = _list(tmp_path / "l.csv", [GOOD, ["2", "Trần Văn Hai", "01/01/1980", "Thôn Đông",
                                              "Tổ viên", ""]])
    todo = plan(ctx, see(ctx, path, Choices(model="Tổ " + "rất dài " * 40)))
    named = [e for e in todo.errors if e.column == "Mô hình"]
    assert len(named) == 1 and "quá giới hạn" in named[0].message      # once, not per row
    todo = plan(ctx, see(ctx, path, Choices(model="Tổ A", unit="Thôn \x07Đông")))
    assert [e.column for e in todo.errors] == ["Đơn vị"]
    assert not apply(ctx, todo).applied and _count(ctx, "models") == 0


def test_an_attendance_list_dated_outside_the_years_is_refused(ctx, tmp_path):
    path = tmp_path / "hop.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["DANH SÁCH NGƯỜI THAM DỰ HỘI NGHỊ NGÀY 15/03/1850"])
        writer.writerow(["STT", "Họ và tên", "Ký tên"])
        writer.writerow(["1", "Nguyễn Văn Hòa", ""])
    todo = plan(ctx, see(ctx, path))
    assert any("1850" in e.message and "1900" in e.message for e in todo.errors), todo.errors
    assert not apply(ctx, todo).applied and _count(ctx, "events") == 0
