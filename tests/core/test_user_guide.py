"""The user guide: every picture it shows exists, is small, and is used."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "huong-dan-su-dung.md"
IMAGES = ROOT / "resources" / "docs" / "img"


def test_guide_pictures_exist_are_small_and_used():
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", GUIDE.read_text(encoding="utf-8"))
    assert len(links) >= 10
    shown = {(GUIDE.parent / link).resolve() for link in links}
    for path in shown:
        assert path.is_file(), path
        assert path.stat().st_size <= 150_000, path
    on_disk = {p.resolve() for p in IMAGES.glob("*.png")}
    assert on_disk == shown, on_disk ^ shown


def test_guide_covers_the_tasks():
    text = GUIDE.read_text(encoding="utf-8")
    for heading in ("Lần chạy đầu tiên", "Nhập một mô hình và các thành viên",
                    "Nhập dữ liệu từ Excel", "In giấy khen và báo cáo",
                    "Gửi dữ liệu lên Công an tỉnh", "Công an tỉnh nhận tệp của các xã",
                    "Sao lưu và khôi phục"):
        assert "## " in text and heading in text, heading
