"""Vietnamese labels for every indicator of build_report, as ordered table rows.

The PDF report and the report workbook both print these rows, so their figures
are the very numbers ``report --format json`` gives.
"""
from __future__ import annotations

from dataclasses import dataclass

from core.catalog import (COMMENDATION_FORMS, EVENT_TYPES, REPORT_ROLES, RESULT_TYPES,
                          UNIT_TYPES, Catalog)

SCALARS = {
    "units_total": "Tổng số đơn vị, địa bàn",
    "khu_dan_cu_registered": "Khu dân cư đăng ký “An toàn về an ninh, trật tự”",
    "khu_dan_cu_safe": "Khu dân cư được công nhận “An toàn về an ninh, trật tự”",
    "cqdnnt_registered": "Cơ quan, doanh nghiệp, nhà trường đăng ký “An toàn về ANTT”",
    "cqdnnt_safe": "Cơ quan, doanh nghiệp, nhà trường được công nhận “An toàn về ANTT”",
    "models_total": "Tổng số mô hình đang hoạt động",
    "models_effective": "Mô hình hoạt động hiệu quả",
    "models_advanced": "Mô hình điển hình tiên tiến",
    "members_total": "Số người tham gia mô hình",
    "memberships_total": "Số lượt thành viên (một người có thể ở nhiều mô hình)",
    "events_total": "Tổng số sự kiện, hoạt động",
    "participants_total": "Lượt người tham gia",
    "commendations_individual": "Khen thưởng cá nhân",
    "commendations_collective": "Khen thưởng tập thể",
}


@dataclass(frozen=True)
class Row:
    """One printed row: a section heading (value None) or an indicator."""

    number: str
    label: str
    value: int | None
    key: str
    sub: str | None = None
    level: int = 0  # 0 = section, 1 = indicator, 2 = breakdown


def _breakdown(ind: dict, key: str, catalog: Catalog, start: int) -> list[Row]:
    """Rows for a dict indicator (one per code, in catalogue order, then unknown codes)."""
    codes = catalog.codes() + sorted(set(ind[key]) - set(catalog.codes()))
    return [Row(f"{start}.{i}", catalog.label(code), ind[key].get(code, 0), key, code, 2)
            for i, code in enumerate(codes, 1)]


def indicator_rows(ind: dict, model_types: Catalog) -> list[Row]:
    """Every indicator, grouped in sections with Roman numerals."""
    def one(num: str, key: str) -> Row:
        return Row(num, SCALARS[key], ind[key], key, None, 1)

    rows = [Row("I", "ĐƠN VỊ, ĐỊA BÀN", None, "", level=0), one("1", "units_total")]
    rows += _breakdown(ind, "units_by_type", UNIT_TYPES, 1)
    rows += [one("2", "khu_dan_cu_registered"), one("3", "khu_dan_cu_safe"),
             one("4", "cqdnnt_registered"), one("5", "cqdnnt_safe")]
    rows += [Row("II", "MÔ HÌNH", None, "", level=0), one("1", "models_total")]
    rows += _breakdown(ind, "models_by_type", model_types, 1)
    rows += [one("2", "models_effective"), one("3", "models_advanced")]
    rows += [Row("III", "THÀNH VIÊN", None, "", level=0), one("1", "members_total"),
             one("2", "memberships_total")]
    rows += _breakdown(ind, "members_by_role", REPORT_ROLES, 2)
    rows += [Row("IV", "SỰ KIỆN, HOẠT ĐỘNG", None, "", level=0), one("1", "events_total")]
    rows += _breakdown(ind, "events_by_type", EVENT_TYPES, 1)
    rows += [one("2", "participants_total")]
    rows += [Row("V", "KẾT QUẢ", None, "", level=0)]
    rows += [Row(str(i), RESULT_TYPES.label(code), ind["results"].get(code, 0), "results",
                 code, 1) for i, code in enumerate(RESULT_TYPES.codes(), 1)]
    rows += [Row("VI", "KHEN THƯỞNG", None, "", level=0)]
    rows += [Row(str(i), COMMENDATION_FORMS.label(code), ind["commendations_by_form"].get(code, 0),
                 "commendations_by_form", code, 1)
             for i, code in enumerate(COMMENDATION_FORMS.codes(), 1)]
    n = len(COMMENDATION_FORMS.codes())
    rows += [one(str(n + 1), "commendations_individual"),
             one(str(n + 2), "commendations_collective")]
    return rows


def value_of(ind: dict, key: str, sub: str | None) -> int:
    """The figure a row shows, read from an indicators dict."""
    return ind[key].get(sub, 0) if sub else ind[key]


# Short labels for the per-commune table (columns).
COMMUNE_COLUMNS = [
    ("units_total", None, "Đơn vị"), ("khu_dan_cu_safe", None, "KDC an toàn"),
    ("models_total", None, "Mô hình"), ("models_effective", None, "MH hiệu quả"),
    ("members_total", None, "Thành viên"), ("events_total", None, "Sự kiện"),
    ("participants_total", None, "Lượt người"), ("results", "tin_bao", "Tin báo"),
    ("results", "hoa_giai_thanh", "Hòa giải thành"),
]
