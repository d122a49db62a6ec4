"""Workbook in the window: dry run first, a preview with located errors, then apply.

core.workbook is replaced by a stand-in with the same API, so these tests check the
window's part only (the workbook itself is tested in tests/core).
"""
from __future__ import annotations

import sys
import types
from dataclasses import dataclass, field

import pytest
from PySide6.QtWidgets import QDialog

from ui import workbook_actions


@dataclass
class CellError:
    sheet: str
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    inserted: dict = field(default_factory=dict)
    updated: dict = field(default_factory=dict)
    unchanged: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    applied: bool = False
    error_copy: str | None = None


@pytest.fixture
def fake_workbook(monkeypatch):
    calls = []
    module = types.ModuleType("core.workbook")

    def import_workbook(ctx, path, *, dry_run, skip_invalid=False, progress=None):
        calls.append(("import", dry_run, skip_invalid, ctx.path))
        if progress:
            progress(1, 2)
        errors = [CellError("Thành viên", 7, "Ngày sinh", "Ngày “31/02/1990” không tồn tại.")]
        return ImportReport(inserted={"Thành viên": 12, "Mô hình": 2}, updated={"Đơn vị": 1},
                            errors=errors, applied=not dry_run and skip_invalid,
                            error_copy=str(path) + ".loi.xlsx")

    def write_template(path):
        calls.append(("template", path))

    def export_workbook(ctx, path):
        calls.append(("export", path))
        return {"Đơn vị": 3, "Thành viên": 1051}

    module.import_workbook = import_workbook
    module.write_template = write_template
    module.export_workbook = export_workbook
    monkeypatch.setitem(sys.modules, "core.workbook", module)
    return calls


def test_import_previews_then_applies_valid_rows(window, fake_workbook, monkeypatch, messages,
                                                 tmp_path, qtbot):
    previews = []

    def fake_exec(dialog):
        previews.append(dialog)
        assert not dialog.apply_button.isEnabled()    # errors: refused unless skipping
        dialog.skip_invalid.setChecked(True)
        assert dialog.apply_button.isEnabled()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(workbook_actions.ImportPreview, "exec", fake_exec)
    workbook_actions.import_workbook(window, str(tmp_path / "so.xlsx"))
    qtbot.waitUntil(lambda: "Thành viên: thêm 12" in messages.texts())
    preview = previews[0]
    assert "Có 1 lỗi" in preview.heading.text()
    cells = [preview.errors.item(0, c).text() for c in range(4)]
    assert cells == ["Thành viên", "7", "Ngày sinh", "Ngày “31/02/1990” không tồn tại."]
    assert preview.open_copy.isVisibleTo(preview)
    assert [c[:3] for c in fake_workbook] == [("import", True, False), ("import", False, True)]
    assert fake_workbook[0][3] == window.ctx.path


def test_import_closed_preview_writes_nothing(window, fake_workbook, monkeypatch, tmp_path,
                                              qtbot):
    closed = []
    monkeypatch.setattr(workbook_actions.ImportPreview, "exec",
                        lambda d: closed.append(d) or QDialog.DialogCode.Rejected)
    workbook_actions.import_workbook(window, str(tmp_path / "so.xlsx"))
    qtbot.waitUntil(lambda: bool(closed))
    qtbot.wait(50)
    assert [c[1] for c in fake_workbook] == [True]


def test_template_and_export(window, fake_workbook, messages, tmp_path, qtbot):
    workbook_actions.save_template(window, str(tmp_path / "mau.xlsx"))
    qtbot.waitUntil(lambda: "Đã lưu sổ Excel mẫu" in window.statusBar().currentMessage())
    workbook_actions.export_workbook(window, str(tmp_path / "xuat.xlsx"))
    qtbot.waitUntil(lambda: bool(messages.shown))
    assert ("export", str(tmp_path / "xuat.xlsx")) in fake_workbook
    assert "Đã xuất 1.054 dòng" in messages.texts()


def test_real_workbook_round_trip_through_the_window(window, qtbot, monkeypatch, messages,
                                                     tmp_path):
    """Template → fill with the station's own export → dry-run preview → apply."""
    from core import sample_data
    from ui import workbook_actions as wa
    sample_data.fill(window.ctx, sample_data.generate(0.05))
    out = tmp_path / "xuat.xlsx"
    wa.export_workbook(window, str(out))
    qtbot.waitUntil(lambda: any("Đã xuất" in t for _, t in messages.shown), timeout=10000)
    assert out.exists()
    previews = []
    monkeypatch.setattr(wa.ImportPreview, "exec",
                        lambda d: previews.append(d) or QDialog.DialogCode.Accepted)
    opened = []
    monkeypatch.setattr(wa.QDesktopServices, "openUrl", lambda url: opened.append(url))
    wa.import_workbook(window, str(out))
    qtbot.waitUntil(lambda: any("Nhập dữ liệu" in t or "không đổi" in t
                                for _, t in messages.shown[1:]), timeout=10000)
    assert previews and previews[0].report.errors == []
    assert "không đổi" in messages.texts()


def test_error_copy_is_made_on_demand_without_writing(window, fake_workbook, monkeypatch,
                                                      qtbot, tmp_path):
    from ui import workbook_actions as wa
    report = ImportReport(errors=[CellError("Đơn vị", 4, "Loại", "Sai loại.")])
    opened = []
    monkeypatch.setattr(wa.QDesktopServices, "openUrl", lambda url: opened.append(url))
    made = []
    dialog = wa.ImportPreview(report, str(tmp_path / "so.xlsx"), window,
                              lambda done: made.append(True) or done("/tmp/so.loi.xlsx"))
    assert dialog.open_copy.isVisibleTo(dialog)
    dialog.open_copy.click()
    assert made == [True] and opened[0].toLocalFile() == "/tmp/so.loi.xlsx"
