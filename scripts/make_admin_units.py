"""Write resources/admin_units/dvhc-2025.csv from the official list as packaged.

The list is the State's (Quyết định 19/2025/QĐ-TTg, Bảng danh mục và mã số các
đơn vị hành chính Việt Nam, kept by the General Statistics Office at
https://danhmuchanhchinh.gso.gov.vn/). The package ``vietnam-provinces``
(2025.10.1, data 2025-08-02) ships it as JSON; only its codes, names and
division types are taken, none of its code. Usage::

    pip download --no-deps -d /tmp/vp vietnam-provinces==2025.10.1
    python scripts/make_admin_units.py /tmp/vp/vietnam_provinces-2025.10.1-py3-none-any.whl
"""
from __future__ import annotations

import csv
import json
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "resources" / "admin_units" / "dvhc-2025.csv"
COLUMNS = ["ma", "ten", "loai", "ma_tinh"]


def rows(nested: list[dict]) -> list[list[str]]:
    """One row per province (ma_tinh empty), then its communes."""
    out = []
    for province in sorted(nested, key=lambda p: p["code"]):
        code = f"{province['code']:02d}"
        out.append([code, province["name"], province["division_type"], ""])
        for ward in sorted(province["wards"], key=lambda w: w["code"]):
            out.append([f"{ward['code']:05d}", ward["name"], ward["division_type"], code])
    return out


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as z:
        nested = json.loads(z.read("vietnam_provinces/data/nested-divisions.json"))
    with OUT.open("w", encoding="utf-8", newline="") as f:
        f.write("# Danh mục đơn vị hành chính Việt Nam từ 01/07/2025 (Quyết định "
                "19/2025/QĐ-TTg; Tổng cục Thống kê, danhmuchanhchinh.gso.gov.vn). "
                "phien_ban=2025-08-02\n")
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows(nested))


if __name__ == "__main__":
    main(sys.argv[1])
