"""The periodic report: PDF (ND 30/2020 layout) and workbook (same figures as JSON)."""
from __future__ import annotations

import datetime as dt
import errno
import json
import os
import tempfile

import pytest
from docdata import make_station, seed
from openpyxl import load_workbook
from pdfcheck import MM, fonts_of, leftmost_text_x, page_sizes_mm, text_of

from core import cipher
from core.cli import run
from core.documents.report_pdf import report_pdf
from core.documents.report_xlsx import report_xlsx
from core.documents.common import date_words
from core.errors import UserError
from core.periods import parse_period
from core.report import build_report


@pytest.fixture()
def ctx(tmp_path):
    ctx = make_station(tmp_path)
    seed(ctx)
    yield ctx
    ctx.close()


def test_date_words_pads_days_under_ten_and_months_one_and_two():
    assert date_words(dt.date(2026, 1, 5)) == "ngày 05 tháng 01 năm 2026"
    assert date_words(dt.date(2026, 2, 28)) == "ngày 28 tháng 02 năm 2026"
    assert date_words(dt.date(2026, 3, 9)) == "ngày 09 tháng 3 năm 2026"
    assert date_words(dt.date(2026, 12, 14)) == "ngày 14 tháng 12 năm 2026"


def test_report_pdf_has_the_official_layout_and_figures(ctx, tmp_path):
    out = tmp_path / "bao cao.pdf"
    path, pages = report_pdf(ctx, parse_period("2026"), out, today=dt.date(2026, 1, 5))
    assert path == str(out) and pages >= 2
    assert page_sizes_mm(out) == [(210, 297)] * pages
    text = text_of(out)
    for expected in ("CÔNG AN TỈNH PHÚ THỌ", "CÔNG AN XÃ YÊN THỦY", "Số: 15/BC-CAX",
                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "Hòa Bình, ngày 05 tháng 01 năm 2026", "BÁO CÁO", "Nơi nhận:",
                     "TRƯỞNG CÔNG AN XÃ", "Bùi Văn Thắng", "Tin báo, tố giác của quần chúng",
                     "Ngày hội toàn dân bảo vệ ANTQ", "1.246 lượt người tham gia"):
        assert expected in text, expected
    fonts = fonts_of(out)
    assert fonts and all(embedded for _, embedded in fonts), fonts
    assert all("LiberationSerif" in name for name, _ in fonts)
    assert leftmost_text_x(out) >= 30 * MM - 0.5


def test_page_numbers_start_on_page_two(ctx, tmp_path):
    from pypdf import PdfReader
    out = tmp_path / "r.pdf"
    _, pages = report_pdf(ctx, parse_period("2026"), out)
    reader = PdfReader(str(out))
    first_lines = [p.extract_text().split("\n")[0].strip() for p in reader.pages]
    assert first_lines[1:] == [str(n) for n in range(2, pages + 1)]
    assert first_lines[0] != "1"


def test_report_refuses_without_signer(tmp_path):
    ctx = make_station(tmp_path)
    ctx.set_setting("doc.signer_name", "")
    with pytest.raises(UserError, match="doc.signer_name"):
        report_pdf(ctx, parse_period("2026"), tmp_path / "r.pdf")
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob(".*.tmp"))


def _sheet_figures(ws) -> dict[str, int]:
    return {row[3]: row[2] for row in ws.iter_rows(min_row=1, values_only=True)
            if row[3] and row[3] != "Mã chỉ tiêu"}


def _json_figures(ind: dict) -> dict[str, int]:
    flat = {}
    for key, value in ind.items():
        if isinstance(value, dict):
            flat.update({f"{key}.{sub}": n for sub, n in value.items()})
        else:
            flat[key] = value
    return flat


def test_report_workbook_figures_equal_json(ctx, tmp_path, capsys):
    out = tmp_path / "bc.xlsx"
    assert run(["--db", str(ctx.path), "report", "--period", "2026", "--format", "xlsx",
                "--out", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"path": str(out), "sheets": 4}
    assert run(["--db", str(ctx.path), "report", "--period", "2026", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)["indicators"]
    wb = load_workbook(out)
    assert wb.sheetnames == ["Chỉ tiêu", "Mô hình", "Sự kiện", "Kết quả"]
    ws = wb["Chỉ tiêu"]
    assert _sheet_figures(ws) == _json_figures(figures)
    assert ws.freeze_panes == "A5" and ws["A4"].font.b and ws["B5"].border.left.style == "thin"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert "Tổng số mô hình đang hoạt động" in [c.value for c in ws["B"]]
    assert wb["Sự kiện"].max_row - 4 == figures["events_total"]


def test_province_report_has_per_commune_figures(tmp_path):
    commune = make_station(tmp_path, code="XA01")
    seed(commune)
    commune.close()
    province = make_station(tmp_path, level="tinh", code="T01", name="Công an tỉnh Phú Thọ")
    # Bring the commune's rows in as the exchange would (same ids and owners).
    attached = tmp_path / "XA01.db"       # the commune's own key (SQLCipher)
    province.db.execute(f"ATTACH DATABASE '{attached}' AS c"
                        f" KEY {cipher.pragma_key(cipher.known_key(attached))}")
    for table in ("units", "unit_years", "models", "model_units", "persons", "memberships",
                  "events", "results", "commendations"):
        province.db.execute(f"INSERT INTO {table} SELECT * FROM c.{table}")
    province.db.conn.commit()
    province.db.execute("DETACH DATABASE c")
    period = parse_period("2026")
    report = build_report(province, period)
    out = tmp_path / "tinh.xlsx"
    report_xlsx(province, period, out)
    ws = load_workbook(out)["Theo xã"]
    header = [c.value for c in ws[4]]
    assert header[3] == "XA01"
    figures = {row[2]: row[3] for row in ws.iter_rows(min_row=5, values_only=True) if row[2]}
    assert figures == _json_figures(report["by_commune"]["XA01"])
    pdf = tmp_path / "tinh.pdf"
    report_pdf(province, period, pdf)
    text = text_of(pdf)
    assert "Số liệu theo từng Công an xã" in text and "XA01" in text
    assert "GIÁM ĐỐC" in text
    province.close()


def test_file_open_elsewhere_gives_a_clear_message_and_no_file(ctx, tmp_path, monkeypatch):
    """The rename onto a file another program holds open fails: message, old file kept."""
    out = tmp_path / "r.xlsx"
    out.write_bytes(b"old")

    def locked(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied", str(dst))
    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(UserError, match="đang được mở trong chương trình khác"):
        report_xlsx(ctx, parse_period("2026"), out)
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".tmp", ".xlsx")) == ["r.xlsx"]


def test_full_disk_gives_a_clear_message_and_no_file(ctx, tmp_path, monkeypatch):
    def full(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(UserError, match="hết chỗ trống"):
        report_pdf(ctx, parse_period("2026"), tmp_path / "r.pdf")
    assert [p for p in tmp_path.iterdir() if p.suffix in (".pdf", ".tmp")] == []


def test_read_only_folder_gives_a_clear_message(ctx, tmp_path, monkeypatch):
    """A folder without write permission (root ignores modes, so mkstemp is refused too)."""
    folder = tmp_path / "khoa"
    folder.mkdir()
    folder.chmod(0o500)
    real_mkstemp = tempfile.mkstemp

    def refusing(*args, dir=None, **kwargs):
        if dir is not None and not os.access(dir, os.W_OK) or str(dir) == str(folder):
            raise PermissionError(errno.EACCES, "Permission denied", str(dir))
        return real_mkstemp(*args, dir=dir, **kwargs)
    monkeypatch.setattr(tempfile, "mkstemp", refusing)
    try:
        with pytest.raises(UserError, match="không có quyền ghi"):
            report_pdf(ctx, parse_period("2026"), folder / "r.pdf")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_missing_folder_gives_a_clear_message(ctx, tmp_path):
    with pytest.raises(UserError, match="thư mục không tồn tại"):
        report_xlsx(ctx, parse_period("2026"), tmp_path / "khong co" / "r.xlsx")
