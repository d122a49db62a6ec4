"""The exchange's printed documents: import receipt and reminder list."""
from __future__ import annotations

import pytest

from core.documents.exchange_docs import (format_moment, import_receipt_pdf,
                                          missing_communes, reminder_list_pdf)
from core.errors import UserError
from core.exchange import export_package, import_files
from core.exchange import ledger
from core.periods import parse_period
from tests.core.exchange_support import commune, fill, province
from tests.core.pdfcheck import text_of


@pytest.fixture
def cycle(tmp_path):
    """A province that took in X01's package; X02 has the province key only."""
    prov = province(tmp_path)
    communes = [commune(tmp_path, code) for code in ("X01", "X02")]
    down = tmp_path / "down.antq"
    export_package(prov, down)
    for c in communes:
        import_files(c, [down], trust_new=True)
    fill(communes[0], seed=1, persons=3, events=2)
    up = tmp_path / "X01-1.antq"
    export_package(communes[0], up)
    [result] = import_files(prov, [up], trust_new=True)
    assert result.status == "applied"
    return prov, communes, tmp_path


def test_receipt_names_sender_sequence_and_counts(cycle):
    prov, _, tmp_path = cycle
    [entry] = ledger.import_log(prov.db)
    path, pages = import_receipt_pdf(prov, entry["id"], tmp_path / "bien_nhan.pdf")
    text = text_of(path)
    assert pages == 1
    assert "BIÊN NHẬN" in text and "Công an xã X01" in text
    assert entry["sha256"][:32] in text
    assert f"Bản ghi thêm mới {entry['inserted']}" in text


def test_reminder_lists_only_communes_without_data(cycle, tmp_path):
    prov, communes, _ = cycle
    # X02 sends a package without records: it covers up to today.
    empty = tmp_path / "X02-1.antq"
    export_package(communes[1], empty)
    import_files(prov, [empty], trust_new=True)
    future = parse_period("2099")
    rows = missing_communes(prov, future)
    assert {r["code"] for r in rows} == {"X01", "X02"}
    this_year = parse_period("2026-03")
    assert missing_communes(prov, this_year) == []
    with pytest.raises(UserError):
        reminder_list_pdf(prov, this_year, tmp_path / "none.pdf")
    assert not (tmp_path / "none.pdf").exists()
    path, pages, count = reminder_list_pdf(prov, future, tmp_path / "nhac.pdf")
    text = text_of(path)
    assert count == 2 and pages == 1
    assert "Công an xã X02" in text and "DANH SÁCH Đơn vị chưa gửi đủ dữ liệu" in text


def test_format_moment_shows_local_day_and_time():
    assert format_moment(None) == ""
    assert format_moment("2026-06-20T08:12:00").startswith("20/06/2026 08:12")
