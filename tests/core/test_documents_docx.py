"""The report as a Word file, the officer's own wording, number/date, signer authority (#17)."""
from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import unicodedata

import pytest
from docdata import make_station, seed
from docx import Document
from pdfcheck import fonts_of, text_of

from core import cipher
from core import report_texts
from core.audit import history, verify
from core.cli import run
from core.documents.indicators import indicator_rows, value_of
from core.documents.report_content import flow_sentence, plausibility_warnings
from core.documents.report_docx import report_docx
from core.documents.report_pdf import report_pdf
from core.periods import parse_period
from core.report import build_report
from core.repos.models import model_types
from core.text import format_number

TON_TAI = "Một số tổ an ninh nhân dân hoạt động chưa đều, kinh phí còn hạn chế."


@pytest.fixture()
def ctx(tmp_path):
    ctx = make_station(tmp_path)
    seed(ctx)
    yield ctx
    ctx.close()


def _docx_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return unicodedata.normalize("NFC", "\n".join(parts))


def test_word_report_has_the_nd30_frame(ctx, tmp_path):
    out = tmp_path / "bc.docx"
    report_docx(ctx, parse_period("2026"), out, number="27", today=dt.date(2026, 12, 10))
    doc = Document(str(out))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [round(m.mm) for m in (section.top_margin, section.bottom_margin,
                                     section.left_margin, section.right_margin)]
    assert margins == [20, 20, 30, 15]
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    fonts = {run.font.name for p in doc.paragraphs for run in p.runs if run.text.strip()}
    assert fonts == {"Times New Roman"}
    # Page number: a PAGE field in the header of pages 2 on, none on the first page.
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml
    # Two-column header as a borderless table, with Quốc hiệu and the date chosen.
    head = doc.tables[0]
    assert len(head.columns) == 2 and 'w:val="nil"' in head._tbl.xml
    assert [round(c.width.mm) for c in head.rows[0].cells] == [74, 91]
    text = _docx_text(doc)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Số: 27/BC-CAX" in text
    assert "Hòa Bình, ngày 10 tháng 12 năm 2026" in text
    # The signature block's row may not split across pages.
    assert "w:cantSplit" in doc.tables[-1]._tbl.xml


def test_word_report_figures_equal_json(ctx, tmp_path, capsys):
    out = tmp_path / "bc.docx"
    assert run(["--db", str(ctx.path), "report", "--period", "2026", "--format", "docx",
                "--out", str(out), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["path"] == str(out) and isinstance(payload.pop("warnings"), list)
    assert payload == {"path": str(out)}
    assert run(["--db", str(ctx.path), "report", "--period", "2026", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)["indicators"]
    table = Document(str(out)).tables[1]
    printed = {row.cells[1].text.strip(" –"): row.cells[2].text for row in table.rows[1:]
               if row.cells[1].text != row.cells[2].text}
    expected = {r.label: format_number(value_of(figures, r.key, r.sub))
                for r in indicator_rows(figures, model_types(ctx.db)) if r.value is not None}
    assert printed == expected
    assert printed["Lượt người tham gia"] == format_number(figures["participants_total"])


def test_officer_text_reaches_pdf_and_word_and_the_audit(ctx, tmp_path, capsys):
    db = str(ctx.path)
    assert run(["--db", db, "report-text", "--period", "2026", "--section", "ton_tai",
                "--text", TON_TAI, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"period": "2026", "section": "ton_tai",
                                                   "chars": len(TON_TAI)}
    note = tmp_path / "kq.txt"
    note.write_text("Phong trào được duy trì thường xuyên ở các thôn.\n\n\n", encoding="utf-8")
    assert run(["--db", db, "report-text", "--period", "2026", "--section", "ket_qua",
                "--file", str(note)]) == 0
    pdf, docx = tmp_path / "bc.pdf", tmp_path / "bc.docx"
    assert run(["--db", db, "report", "--period", "2026", "--format", "pdf", "--out", str(pdf),
                "--number", "31", "--date", "05/12/2026"]) == 0
    assert run(["--db", db, "report", "--period", "2026", "--format", "docx",
                "--out", str(docx), "--number", "31", "--date", "05/12/2026"]) == 0
    pdf_text = text_of(pdf)
    word_text = " ".join(_docx_text(Document(str(docx))).split())
    for text in (pdf_text, word_text):
        assert "II. TỒN TẠI, HẠN CHẾ" in text and TON_TAI in text
        assert "Số: 31/BC-CAX" in text and "ngày 05 tháng 12 năm 2026" in text
        # ket_qua: the generated figures stay, the officer's text follows them.
        assert text.index("Trong kỳ, đã tổ chức") < text.index("Phong trào được duy trì")
    period = parse_period("2026")
    entries = history(ctx, "report_texts", f"{period.key}/ton_tai")
    assert [e.op for e in entries] == ["insert"]
    assert verify(ctx.db) == []
    capsys.readouterr()
    assert run(["--db", db, "report-text", "--period", "2026", "--section", "ton_tai",
                "--clear", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["chars"] == 0
    assert "ton_tai" not in report_texts.stored(ctx, period.key)
    assert verify(ctx.db) == []


@pytest.mark.parametrize("args", [
    ["--section", "ket_luan", "--text", "x"],
    ["--section", "ton_tai", "--file", "/nonexistent/khong-co.txt"],
])
def test_report_text_bad_input_exits_1_and_changes_nothing(ctx, args, capsys):
    before = ctx.db.execute("SELECT COUNT(*) FROM audit").fetchone()[0]
    assert run(["--db", str(ctx.path), "report-text", "--period", "2026", *args]) == 1
    assert ctx.db.execute("SELECT COUNT(*) FROM audit").fetchone()[0] == before
    assert capsys.readouterr().err.strip()


def test_bad_document_date_exits_1(ctx, tmp_path):
    out = tmp_path / "x.pdf"
    assert run(["--db", str(ctx.path), "report", "--period", "2026", "--format", "pdf",
                "--out", str(out), "--date", "31/02/2026"]) == 1
    assert not out.exists()


def test_blank_number_keeps_a_real_gap(ctx, tmp_path):
    ctx.set_setting("doc.doc_number", "")
    out = tmp_path / "bc.docx"
    report_docx(ctx, parse_period("2026"), out)
    head = Document(str(out)).tables[0].rows[0].cells[0].text
    number_line = [line for line in head.split("\n") if line.startswith("Số:")][0]
    gap = number_line[len("Số:"):number_line.index("/BC-CAX")]
    assert len(gap) >= 8 and set(gap) <= {" ", "\u00a0"}
    pdf = tmp_path / "bc.pdf"
    report_pdf(ctx, parse_period("2026"), pdf)
    from pypdf import PdfReader
    raw = PdfReader(str(pdf)).pages[0].extract_text()
    assert re.search(r"Số:[\s\u00a0]{3,}/BC-CAX", raw), raw[:200]


def test_deputy_signs_on_two_lines_with_the_kind_of_station(tmp_path):
    ctx = make_station(tmp_path, name="Công an phường Đông Hà")
    ctx.set_setting("doc.signer_title", "")
    ctx.set_setting("doc.sign_authority", "KT")
    out, pdf = tmp_path / "bc.docx", tmp_path / "bc.pdf"
    report_docx(ctx, parse_period("2026"), out)
    report_pdf(ctx, parse_period("2026"), pdf)
    sign = Document(str(out)).tables[-1].rows[0].cells[1]
    lines = [p.text for p in sign.paragraphs if p.text]
    assert lines[:2] == ["KT. TRƯỞNG CÔNG AN PHƯỜNG", "PHÓ TRƯỞNG CÔNG AN PHƯỜNG"]
    text = text_of(pdf)
    assert "KT. TRƯỞNG CÔNG AN PHƯỜNG PHÓ TRƯỞNG CÔNG AN PHƯỜNG" in text
    ctx.set_setting("doc.sign_authority", "XY")
    assert run(["--db", str(ctx.path), "report", "--period", "2026", "--format", "pdf",
                "--out", str(tmp_path / "x.pdf")]) == 1
    ctx.close()


def test_empty_period_reads_naturally_and_warnings_flag_impossible_figures(tmp_path):
    ctx = make_station(tmp_path)
    ind = build_report(ctx, parse_period("2026-03"))["indicators"]
    sentence = flow_sentence(ind)
    assert "0 sự kiện" not in sentence and "0/0" not in sentence
    assert "chưa tổ chức sự kiện, hoạt động nào" in sentence
    report = {"indicators": {**ind, "participants_total": 12,
                             "results": {"tin_bao": 16, "tin_bao_gia_tri": 32,
                                         "hoa_giai": 2, "hoa_giai_thanh": 3}}}
    warnings = plausibility_warnings(report)
    assert len(warnings) == 3 and "32" in warnings[0] and "16" in warnings[0]
    full = build_report(ctx, parse_period("2026"))
    assert plausibility_warnings(full, dt.date(2026, 12, 15)) == []
    assert "chưa kết thúc" in plausibility_warnings(full, dt.date(2026, 12, 1))[0]
    ctx.close()


def test_produced_pdf_embeds_every_font(ctx, tmp_path):
    pdf = tmp_path / "bc.pdf"
    report_pdf(ctx, parse_period("2026"), pdf)
    assert fonts_of(pdf) and all(embedded for _, embedded in fonts_of(pdf))


def test_word_report_renders_in_libreoffice(ctx, tmp_path):
    report_texts.set_section(ctx, parse_period("2026").key, "ton_tai", TON_TAI)
    out = tmp_path / "bc.docx"
    report_docx(ctx, parse_period("2026"), out, number="27")
    subprocess.run(["libreoffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                   check=True, capture_output=True, timeout=300)
    rendered = tmp_path / "bc.pdf"
    text = text_of(rendered)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and TON_TAI in text
    assert "Số: 27/BC-CAX" in text
    # LibreOffice shows Times New Roman as its metric twin; every font embedded.
    assert all(embedded for _, embedded in fonts_of(rendered))
    assert any("Liberation" in name or "Times" in name for name, _ in fonts_of(rendered))


def test_decision_as_word_with_editable_bases_and_recipients(ctx, tmp_path, capsys):
    ctx.set_setting("decision.bases", "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;\n"
                                      "Căn cứ Quy chế thi đua của xã")
    ctx.set_setting("decision.recipients", "Như Điều 3\nCông an xã.\nLưu: VT")
    out = tmp_path / "qd.docx"
    assert run(["--db", str(ctx.path), "print-decision", "--decision", "25/QĐ-UBND",
                "--format", "docx", "--out", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"path": str(out)}
    doc = Document(str(out))
    paragraphs = [p.text for p in doc.paragraphs]
    assert "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;" in paragraphs
    assert "Căn cứ Quy chế thi đua của xã;" in paragraphs
    assert "Xét đề nghị của Công an xã Yên Thủy." in paragraphs
    text = _docx_text(doc)
    assert "- Như Điều 3;\n- Công an xã;\n- Lưu: VT." in text
    assert any(p.startswith("Điều 1. Tặng") for p in paragraphs)
    assert round(doc.sections[0].left_margin.mm) == 30
    pdf = tmp_path / "qd.pdf"
    assert run(["--db", str(ctx.path), "print-decision", "--decision", "25/QĐ-UBND",
                "--out", str(pdf)]) == 0
    assert "Căn cứ Quy chế thi đua của xã;" in text_of(pdf)


def test_recipients_keep_their_semicolons_and_province_name_is_the_default(tmp_path):
    from core.documents.settings import listed, official_settings
    assert listed("Công an tỉnh (để b/c); Lưu: VT.") == ["Công an tỉnh (để b/c);", "Lưu: VT."]
    assert listed("A;\nB.\n\nC") == ["A;", "B;", "C."]
    ctx = make_station(tmp_path)
    ctx.set_setting("doc.parent_agency", "")
    ctx.set_setting("doc.recipients", "")
    ctx.set_setting("doc.signer_title", "")
    cfg = official_settings(ctx)
    assert (cfg.parent_agency, cfg.signer_title) == ("CÔNG AN TỈNH", "TRƯỞNG CÔNG AN XÃ")
    ctx.db.execute("INSERT INTO peers (code, name, level, sign_public, box_public, fingerprint,"
                   " pinned_at) VALUES ('T01', 'Công an tỉnh Phú Thọ', 'tinh', x'00', x'00',"
                   " 'f', '2026-01-01')")
    cfg = official_settings(ctx)
    assert cfg.parent_agency == "CÔNG AN TỈNH PHÚ THỌ"
    assert cfg.recipients == ["Công an tỉnh Phú Thọ (để b/c);", "Lưu: VT."]
    ctx.close()


def test_province_names_communes_and_says_which_have_not_sent(tmp_path):
    commune = make_station(tmp_path, code="XA01")
    seed(commune)
    commune.close()
    province = make_station(tmp_path, level="tinh", code="T01", name="Công an tỉnh Phú Thọ")
    attached = tmp_path / "XA01.db"       # the commune's own key (SQLCipher)
    province.db.execute(f"ATTACH DATABASE '{attached}' AS c"
                        f" KEY {cipher.pragma_key(cipher.known_key(attached))}")
    for table in ("units", "unit_years", "models", "model_units", "persons", "memberships",
                  "events", "results", "commendations"):
        province.db.execute(f"INSERT INTO {table} SELECT * FROM c.{table}")
    for code, name, imported in (("XA01", "Công an xã Yên Thủy", "2026-12-15T08:00:00"),
                                 ("XA02", "Công an xã Quảng Điền", None)):
        province.db.execute(
            "INSERT INTO peers (code, name, level, sign_public, box_public, fingerprint,"
            " pinned_at, last_imported_at) VALUES (?, ?, 'xa', x'00', x'00', 'f',"
            " '2026-01-01', ?)", [code, name, imported])
    province.db.conn.commit()
    province.db.execute("DETACH DATABASE c")
    out, pdf = tmp_path / "tinh.docx", tmp_path / "tinh.pdf"
    report_docx(province, parse_period("2026"), out)
    report_pdf(province, parse_period("2026"), pdf)
    sentence = "Số liệu tổng hợp từ 1/2 Công an xã đã gửi; chưa gửi: Công an xã Quảng Điền."
    doc = Document(str(out))
    assert sentence in [p.text for p in doc.paragraphs]
    communes = doc.tables[2]
    assert communes.rows[1].cells[1].text == "Công an xã Yên Thủy"
    text = text_of(pdf)
    assert sentence in text and "Công an xã Yên Thủy" in text and "XA01" not in text
    from openpyxl import load_workbook

    from core.documents.report_xlsx import report_xlsx
    report_xlsx(province, parse_period("2026"), tmp_path / "tinh.xlsx")
    sheet = load_workbook(tmp_path / "tinh.xlsx")["Theo xã"]
    assert sheet.cell(4, 4).value == "Công an xã Yên Thủy" and sheet.column_dimensions["C"].hidden
    province.close()


def test_report_workbook_has_date_cells_hidden_keys_and_commune_names(ctx, tmp_path):
    from openpyxl import load_workbook

    from core.documents.report_xlsx import report_xlsx
    out = tmp_path / "bc.xlsx"
    report_xlsx(ctx, parse_period("2026"), out)
    wb = load_workbook(out)
    assert wb["Chỉ tiêu"].column_dimensions["D"].hidden
    events = wb["Sự kiện"]
    first = events.cell(5, 2)
    assert isinstance(first.value, dt.datetime) and first.number_format == "DD/MM/YYYY"
    assert first.value.date() == dt.date(2026, 1, 10)


def test_member_list_as_word_one_row_per_person(ctx, tmp_path, capsys):
    out = tmp_path / "ds.docx"
    assert run(["--db", str(ctx.path), "print-members", "--format", "docx", "--out", str(out),
                "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"path": str(out)}
    doc = Document(str(out))
    section = doc.sections[0]
    assert round(section.page_width.mm) == 297 and round(section.left_margin.mm) == 30
    table = doc.tables[0]
    names = [row.cells[1].text for row in table.rows[1:]]
    assert len(names) == len(set(names)) == 8 and "Trần Thị Ánh" in names
    assert "Tổ an ninh nhân dân thôn Đồng Tâm" in table.rows[1].cells[-1].text


def test_agency_names_break_only_before_their_place(ctx, tmp_path):
    from core.documents.decision_docx import decision_docx
    from core.documents.settings import agency_lines
    assert agency_lines("ỦY BAN NHÂN DÂN XÃ QUẢNG ĐIỀN", lambda line: len(line) <= 28) == [
        "ỦY BAN NHÂN DÂN", "XÃ QUẢNG ĐIỀN"]
    out = tmp_path / "qd.docx"
    decision_docx(ctx, "25/QĐ-UBND", out)
    left = Document(str(out)).tables[0].rows[0].cells[0]
    assert [p.text for p in left.paragraphs][:2] == ["ỦY BAN NHÂN DÂN", "XÃ YÊN THỦY"]
    pdf = tmp_path / "qd.pdf"
    from core.documents.decision import print_decision
    print_decision(ctx, "25/QĐ-UBND", pdf)
    from pypdf import PdfReader
    lines = PdfReader(str(pdf)).pages[0].extract_text().split("\n")
    assert "XÃ YÊN THỦY" in [line.strip() for line in lines] or any(
        line.strip().startswith("XÃ YÊN THỦY") for line in lines)
