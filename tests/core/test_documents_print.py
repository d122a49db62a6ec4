"""Certificates, the commendation decision and the member list, read back from the PDFs."""
from __future__ import annotations

import json

import pytest
from docdata import LONG_NAME, make_station, seed
from pdfcheck import MM, fonts_of, leftmost_text_x, page_sizes_mm, text_of
from pypdf import PdfReader

from core.cli import run
from core.documents.members import members_list_pdf
from core.documents.certificates import print_commendations
from core.documents.decision import print_decision
from core.documents.certificates import TEXT_WIDTH, fit_lines
from core.documents import fonts
from core.errors import UserError


@pytest.fixture()
def station(tmp_path):
    ctx = make_station(tmp_path)
    ids = seed(ctx, long_name=True)
    yield ctx, ids
    ctx.close()


def _all_embedded(path) -> bool:
    found = fonts_of(path)
    return bool(found) and all(embedded and "LiberationSerif" in name for name, embedded in found)


def test_certificates_one_landscape_page_each_with_every_part(station, tmp_path):
    ctx, _ = station
    out = tmp_path / "giay khen.pdf"
    path, pages = print_commendations(ctx, out, decision="25/QĐ-UBND")
    assert (path, pages) == (str(out), 2)
    assert page_sizes_mm(out) == [(297, 210), (297, 210)]
    reader = PdfReader(str(out))
    first = " ".join(reader.pages[0].extract_text().split())
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ YÊN THỦY", "TẶNG", "GIẤY KHEN",
                     "Thôn Đồng Tâm, xã Yên Thủy",
                     "Số quyết định: 25/QĐ-UBND, ngày 19 tháng 8 năm 2026", "Số sổ: 112",
                     "Hòa Bình, ngày 19 tháng 8 năm 2026", "CHỦ TỊCH", "Đinh Công Hiển"):
        assert expected in first, expected
    assert "Tổ an ninh nhân dân thôn Đồng Tâm" in text_of(out)
    assert _all_embedded(out)


def test_a_120_character_name_fits_inside_the_text_width(station, tmp_path):
    ctx, _ = station
    assert len(LONG_NAME) >= 120
    out = tmp_path / "gk.pdf"
    print_commendations(ctx, out)
    assert " ".join(("Bà " + LONG_NAME).split()) in text_of(out)
    xs = []
    PdfReader(str(out)).pages[0].extract_text(
        visitor_text=lambda t, cm, tm, f, s: xs.append(tm[4]) if t.strip() else None)
    assert min(xs) > 14 * MM  # nothing drawn over the border
    size, lines = fit_lines("Bà " + LONG_NAME, fonts.BOLD_ITALIC, 28, 18, TEXT_WIDTH, 22 * MM)
    assert size >= 9 and 1 < len(lines) <= 2
    assert all(fonts.string_width(line, fonts.BOLD_ITALIC, size) <= TEXT_WIDTH for line in lines)


def test_an_enormous_achievement_shrinks_within_its_box():
    fonts.register_fonts()
    text = "Đã có thành tích xuất sắc " * 60
    size, lines = fit_lines(text, fonts.REGULAR, 17, 17, TEXT_WIDTH, 40 * MM)
    assert len(lines) * size * 1.22 <= 40 * MM
    assert all(fonts.string_width(line, fonts.REGULAR, size) <= TEXT_WIDTH for line in lines)


def test_missing_field_is_refused_naming_record_and_field(station, tmp_path):
    ctx, ids = station
    ctx.db.execute("UPDATE commendations SET achievement = '' WHERE id = ?", [ids["commendations"][1]])
    ctx.db.conn.commit()
    with pytest.raises(UserError) as caught:
        print_commendations(ctx, tmp_path / "gk.pdf")
    message = str(caught.value)
    assert "Tổ an ninh nhân dân thôn Đồng Tâm" in message and "thiếu thành tích" in message
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob(".*.tmp"))


def test_missing_signer_is_refused(station, tmp_path):
    ctx, _ = station
    ctx.set_setting("cert.chu_tich_ubnd_xa.signer_name", "")
    with pytest.raises(UserError, match="cert.chu_tich_ubnd_xa.signer_name"):
        print_commendations(ctx, tmp_path / "gk.pdf")


def test_preprinted_paper_prints_text_only_shifted(station, tmp_path):
    ctx, _ = station
    plain, shifted = tmp_path / "a.pdf", tmp_path / "b.pdf"
    print_commendations(ctx, plain, preprinted=True)
    ctx.set_setting("cert.offset_x_mm", 5)
    print_commendations(ctx, shifted, preprinted=True)
    text = text_of(plain)
    assert "GIẤY KHEN" not in text and "CỘNG HÒA" not in text
    assert "Đinh Công Hiển" in text and "Số sổ: 112" in text

    def x_of(path, needle):
        found = []
        PdfReader(str(path)).pages[0].extract_text(
            visitor_text=lambda t, cm, tm, f, s: found.append(tm[4] + cm[4]) if needle in t else None)
        return found[0]
    assert x_of(shifted, "Số sổ") - x_of(plain, "Số sổ") == pytest.approx(5 * MM, abs=0.1)


def test_decision_with_its_list(station, tmp_path):
    ctx, _ = station
    out = tmp_path / "qd.pdf"
    _, pages = print_decision(ctx, "25/QĐ-UBND", out)
    assert pages == 2 and page_sizes_mm(out) == [(210, 297)] * 2
    text = text_of(out)
    for expected in ("ỦY BAN NHÂN DÂN XÃ YÊN THỦY", "Số: 25/QĐ-UBND", "QUYẾT ĐỊNH",
                     "Hòa Bình, ngày 19 tháng 8 năm 2026", "Luật Thi đua, khen thưởng",
                     "1 tập thể và 1 cá nhân", "DANH SÁCH", "Tổ an ninh nhân dân",
                     "Nơi nhận:", "Đinh Công Hiển"):
        assert expected in text, expected
    assert leftmost_text_x(out) >= 30 * MM - 0.5
    assert _all_embedded(out)


def test_decision_unknown_number_is_refused(station, tmp_path):
    ctx, _ = station
    with pytest.raises(UserError, match="99/QĐ"):
        print_decision(ctx, "99/QĐ", tmp_path / "x.pdf")


def test_member_list_sorted_by_given_name(station, tmp_path):
    ctx, ids = station
    out = tmp_path / "ds.pdf"
    _, pages = members_list_pdf(ctx, out)
    assert page_sizes_mm(out) == [(297, 210)] * pages
    text = text_of(out)
    assert "DANH SÁCH TRÍCH NGANG" in text and "STT" in text
    order = ["Lê Văn An", "Trần Thị Ánh", "Phạm Thị Bích", "Vũ Văn Đạt", "Nguyễn Văn Đức",
             "Hoàng Thị Hòa", "Đỗ Văn Hùng", "Bùi Thị Yến"]
    positions = [text.index(name) for name in order]
    assert positions == sorted(positions)
    assert leftmost_text_x(out) >= 30 * MM - 0.5
    assert _all_embedded(out)
    one = tmp_path / "mh.pdf"
    members_list_pdf(ctx, one, model_id=ids["models"][1])
    assert "Hoàng Thị Hòa" in text_of(one) and "Lê Văn An" not in text_of(one)


def test_cli_print_commands_and_settings(station, tmp_path, capsys):
    ctx, _ = station
    db = str(ctx.path)
    out = tmp_path / "c.pdf"
    assert run(["--db", db, "print-commendations", "--decision", "25/QĐ-UBND",
                "--out", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"path": str(out), "pages": 2}
    assert run(["--db", db, "print-decision", "--decision", "25/QĐ-UBND",
                "--out", str(tmp_path / "d.pdf"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["pages"] == 2
    assert run(["--db", db, "print-members", "--model", "to hoa giai thon dong tam",
                "--out", str(tmp_path / "m.pdf"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["pages"] == 1
    assert run(["--db", db, "report", "--period", "2026", "--format", "pdf",
                "--out", str(tmp_path / "r.pdf"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["pages"] >= 2
    assert run(["--db", db, "settings", "set", "doc.place", "Lạc Sơn", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["settings"]["doc.place"] == "Lạc Sơn"
    assert run(["--db", db, "settings", "set", "bad key", "x"]) == 1
    assert "không hợp lệ" in capsys.readouterr().err


def test_decomposed_text_is_printed_as_nfc(station, tmp_path):
    import unicodedata
    ctx, _ = station
    ctx.set_setting("cert.chu_tich_ubnd_xa.signer_name", unicodedata.normalize("NFD", "Đinh Công Hiển"))
    out = tmp_path / "gk.pdf"
    print_commendations(ctx, out)
    raw = " ".join(p.extract_text() for p in PdfReader(str(out)).pages)
    assert "Đinh Công Hiển" in raw  # NFC as extracted, without normalising afterwards


def test_resource_path_in_source_and_in_a_bundle(monkeypatch, tmp_path):
    import sys
    from core.resources import resource_path
    assert resource_path("fonts/LiberationSerif-Regular.ttf").is_file()
    assert resource_path("fonts/LICENSE-LiberationSerif.txt").is_file()
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resource_path("fonts/x.ttf") == tmp_path / "resources" / "fonts" / "x.ttf"
