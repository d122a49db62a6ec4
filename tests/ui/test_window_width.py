"""The window fits a 1366 px office screen, whatever the names in the lists."""
from __future__ import annotations

import pytest

from core.records import Model, Unit
from core.services import models, units
from core.station import init_station
from ui.main_window import MainWindow

LONG = ("Tổ bảo vệ an ninh, trật tự ở cơ sở liên thôn Đồng Tâm – Phú Xuân – "
        "Quyết Thắng – Hưng Thịnh số 12")


@pytest.mark.parametrize("level", ["xa", "tinh"])
def test_long_names_do_not_widen_the_window(tmp_path, qtbot, sync_tasks, level):
    ctx = init_station(tmp_path / "w.sqlite3", level=level, code="W1",
                       name="Công an xã Hòa Bình")
    unit_id, _ = units.save(ctx, Unit(name="Thôn " + LONG, type="khu_dan_cu"))
    models.save(ctx, Model(name=LONG, type="to_bao_ve_antt", unit_ids=[unit_id]))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.minimumSizeHint().width() <= 1366
