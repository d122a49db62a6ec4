"""Tệp ▸ Nhập từ Excel… offers .xls and .csv, and takes a CSV in (accounts present)."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog

from core import accounts
from core.repos.persons import PersonRepo
from ui import workbook_actions

PASSWORD = "mat-khau-123"


def _accounts(ctx) -> None:
    accounts.add_user(ctx, "quantri", "admin", PASSWORD)
    accounts.sign_in(ctx, "quantri", PASSWORD)
    accounts.add_user(ctx, "nhaplieu", "editor", PASSWORD)
    accounts.add_user(ctx, "xem", "viewer", PASSWORD)


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "danh sách.csv"
    path.write_text("Họ và tên;Ngày sinh;Số định danh\nNguyễn Văn Hòa;27/04/1987;"
                    "001087000123\nLê Thị Ánh;1990;\n", encoding="utf-8-sig")
    return path


def _import(window, monkeypatch, qtbot, messages, path) -> dict:
    seen = {}

    def pick(parent, title, folder, filters):
        seen["filters"] = filters
        return str(path), filters.split(";;")[0]

    def preview(dialog):
        seen["preview"] = dialog
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(pick))
    monkeypatch.setattr(workbook_actions.ImportPreview, "exec", preview)
    workbook_actions.import_workbook(window)
    qtbot.waitUntil(lambda: len(messages.shown) > 0, timeout=5000)
    return seen


@pytest.mark.parametrize("user", ["quantri", "nhaplieu"])
def test_a_csv_goes_in_through_the_window(ctx, window, monkeypatch, qtbot, messages, csv_file,
                                          user):
    _accounts(ctx)
    accounts.sign_in(ctx, user, PASSWORD)
    window.system.refresh_role()
    seen = _import(window, monkeypatch, qtbot, messages, csv_file)
    assert seen["filters"].startswith("Sổ Excel hoặc CSV (*.xlsx *.xls *.csv)")
    assert seen["preview"].report.errors == []
    assert "được đọc như trang “Thành viên”" in "\n".join(seen["preview"].report.warnings)
    assert {p.full_name for p in PersonRepo(ctx.store).all()} == {"Nguyễn Văn Hòa",
                                                                  "Lê Thị Ánh"}
    assert "Đã ghi vào cơ sở dữ liệu." in messages.texts()


def test_a_viewer_is_refused_and_nothing_is_written(ctx, window, monkeypatch, qtbot, messages,
                                                    csv_file):
    _accounts(ctx)
    accounts.sign_in(ctx, "xem", PASSWORD)
    window.system.refresh_role()
    seen = _import(window, monkeypatch, qtbot, messages, csv_file)
    assert "preview" not in seen
    assert "“xem” (quyền Chỉ xem) không được phép" in messages.texts()
    assert PersonRepo(ctx.store).count() == 0
