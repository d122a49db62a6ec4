"""Every produced PDF embeds its fonts; receipts and reminder lists are ND 30 documents;
certificates sign for the head and carry the province's name and place (#17)."""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from docdata import make_station, seed
from pdfcheck import font_names, text_of, unembedded_fonts
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from core.cli import run
from core.documents.certificates import print_commendations
from core.documents.decision import print_decision
from core.documents.exchange_docs import (import_receipt_pdf, reminder_list_pdf,
                                          reminder_warnings)
from core.documents.members import members_list_pdf
from core.documents.report_pdf import report_pdf
from core.exchange import export_package, import_files, ledger
from core.periods import parse_period
from core.records import Commendation, Person
from core.services import activities, members
from core.station import init_station
from tests.core.exchange_support import commune, fill

NOT_ENDED = str(dt.date.today().year + 1)


@pytest.fixture
def cycle(tmp_path):
    """Công an tỉnh Phú Thọ took in X01's package; X01 knows its province from its package."""
    prov = init_station(tmp_path / "T01.sqlite3", level="tinh", code="T01",
                        name="Công an tỉnh Phú Thọ")
    prov.set_setting("doc.signer_name", "Nguyễn Văn Hùng")
    x01 = commune(tmp_path, "X01")
    down = tmp_path / "down.antq"
    export_package(prov, down)
    import_files(x01, [down], trust_new=True)
    fill(x01, seed=1, persons=3, events=2)
    up = tmp_path / "X01-1.antq"
    export_package(x01, up)
    [result] = import_files(prov, [up], trust_new=True)
    assert result.status == "applied"
    yield prov, x01
    prov.close()
    x01.close()


def test_the_font_check_sees_an_unembedded_font(tmp_path):
    """The check below can fail: a base-14 Helvetica (the receipt's old fault) is caught."""
    path = tmp_path / "helvetica.pdf"
    canvas = Canvas(str(path))
    canvas.drawString(100, 100, "Biên nhận")
    canvas.save()
    assert "/Helvetica" in unembedded_fonts(path)


def test_every_pdf_the_program_produces_embeds_every_font(tmp_path, cycle):
    prov, x01 = cycle
    prov.set_setting("doc.place", "Phú Thọ")          # the report needs it (not the receipt)
    ctx = make_station(tmp_path)
    seed(ctx)
    out = tmp_path / "out"
    out.mkdir()
    made = [report_pdf(ctx, parse_period("2026"), out / "bc.pdf")[0],
            print_decision(ctx, "25/QĐ-UBND", out / "qd.pdf")[0],
            print_commendations(ctx, out / "gk.pdf")[0],
            print_commendations(ctx, out / "gk_phoi.pdf", preprinted=True)[0],
            members_list_pdf(ctx, out / "tn.pdf")[0],
            report_pdf(prov, parse_period("2026"), out / "tinh_bc.pdf")[0],
            import_receipt_pdf(prov, ledger.import_log(prov.db)[0]["id"], out / "bn.pdf")[0],
            reminder_list_pdf(prov, parse_period(NOT_ENDED), out / "nn.pdf")[0]]
    [entry] = ledger.import_log(x01.db)             # the commune's receipt of the province's
    made.append(import_receipt_pdf(x01, entry["id"], out / "xa_bn.pdf")[0])
    for path in made:
        assert unembedded_fonts(path) == [], path
        names = font_names(path)
        assert names and all("LiberationSerif" in n for n in names), (path, names)
    ctx.close()


def test_receipt_is_an_nd30_document_with_a_blank_number(cycle, tmp_path):
    prov, _ = cycle
    [entry] = ledger.import_log(prov.db)
    path, pages = import_receipt_pdf(prov, entry["id"], tmp_path / "bn.pdf")
    text = text_of(path)
    today = dt.date.today()
    for expected in ("BỘ CÔNG AN", "CÔNG AN TỈNH PHÚ THỌ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", f"Phú Thọ, ngày {today.day:02d} tháng",
                     "BIÊN NHẬN", "Công an tỉnh Phú Thọ đã nhận gói dữ liệu số 1 của Công an xã X01",
                     "Nơi nhận: - Công an xã X01 (để biết); - Lưu: VT.", "GIÁM ĐỐC",
                     "Nguyễn Văn Hùng"):
        assert expected in text, expected
    raw = PdfReader(str(path)).pages[0].extract_text()
    assert re.search(r"Số:[\s\u00a0]{3,}/BN-CAT", raw), raw[:200]
    assert pages == 1


def test_reminder_list_names_communes_and_says_the_period_has_not_ended(cycle, tmp_path):
    prov, _ = cycle
    assert reminder_warnings(parse_period("2025")) == []
    [warning] = reminder_warnings(parse_period(NOT_ENDED))
    assert "chưa kết thúc" in warning
    path, pages, count = reminder_list_pdf(prov, parse_period(NOT_ENDED), tmp_path / "nn.pdf")
    text = text_of(path)
    for expected in ("CÔNG AN TỈNH PHÚ THỌ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "DANH SÁCH",
                     "Công an xã X01", "kỳ chưa kết thúc", "Phú Thọ, ngày", "GIÁM ĐỐC",
                     "Nơi nhận: - Các đơn vị có tên trên (để thực hiện); - Lưu: VT."):
        assert expected in text, expected
    assert count == 1 and pages == 1
    raw = PdfReader(str(path)).pages[0].extract_text()
    assert re.search(r"Số:[\s\u00a0]{3,}/DS-CAT", raw), raw[:200]


def test_cli_reminders_and_report_warn_on_stderr_and_in_json(cycle, tmp_path, capsys):
    prov, _ = cycle
    out = tmp_path / "nn.pdf"
    assert run(["--db", str(prov.path), "print-reminders", "--period", NOT_ENDED,
                "--out", str(out), "--json"]) == 0
    captured = capsys.readouterr()
    payload = json.loads(captured.out)
    assert payload["communes"] == 1 and payload["pages"] == 1
    assert "chưa kết thúc" in payload["warnings"][0] and "chưa kết thúc" in captured.err
    assert out.exists()
    assert run(["--db", str(prov.path), "print-reminders", "--period", "2025",
                "--out", str(tmp_path / "old.pdf"), "--json"]) == 1      # everyone sent
    assert "không có ai cần nhắc" in capsys.readouterr().err
    assert not (tmp_path / "old.pdf").exists()
    prov.set_setting("doc.place", "Phú Thọ")
    for fmt in ("pdf", "docx"):
        target = tmp_path / f"bc.{fmt}"
        assert run(["--db", str(prov.path), "report", "--period", NOT_ENDED,
                    "--format", fmt, "--out", str(target), "--json"]) == 0
        captured = capsys.readouterr()
        assert any("chưa kết thúc" in w for w in json.loads(captured.out)["warnings"])
        assert "Lưu ý: Kỳ báo cáo chưa kết thúc" in captured.err and target.exists()
    receipt = tmp_path / "bn.pdf"
    assert run(["--db", str(prov.path), "print-receipt", "--sender", "X01",
                "--sequence", "1", "--out", str(receipt), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["pages"] == 1 and receipt.exists()
    assert run(["--db", str(prov.path), "print-receipt", "--sender", "X01", "--sequence", "9",
                "--out", str(tmp_path / "none.pdf")]) == 1
    assert "Chưa nhận gói số 9" in capsys.readouterr().err
    assert not (tmp_path / "none.pdf").exists()


def _commend(ctx, person_id: str, authority: str, number: str) -> None:
    activities.save_commendation(ctx, Commendation(
        recipient_kind="person", recipient_id=person_id, form="giay_khen", authority=authority,
        decision_no=number, decision_date="2026-05-01",
        achievement="Đã có thành tích xuất sắc trong phong trào toàn dân bảo vệ ANTQ"))


def test_province_certificate_at_a_commune_has_the_provinces_name_and_place(cycle, tmp_path):
    _, x01 = cycle
    x01.set_setting("doc.place", "Yên Lập")
    x01.set_setting("cert.giam_doc_ca_tinh.signer_name", "Trần Văn Nam")
    x01.set_setting("cert.giam_doc_ca_tinh.sign_authority", "KT")
    known, _ = members.save_person(x01, Person(full_name="Lò Văn Páo", gender="nam"))
    unknown, _ = members.save_person(x01, Person(full_name="Hà Thanh Tâm"))
    _commend(x01, known, "giam_doc_ca_tinh", "12/QĐ-CAT")
    _commend(x01, unknown, "giam_doc_ca_tinh", "12/QĐ-CAT")
    path, pages = print_commendations(x01, tmp_path / "gk.pdf", decision="12/QĐ-CAT")
    assert pages == 2
    reader = PdfReader(str(path))
    first, second = (" ".join(p.extract_text().split()) for p in reader.pages)
    assert "GIÁM ĐỐC CÔNG AN TỈNH PHÚ THỌ" in first
    assert "Phú Thọ, ngày 01 tháng 5 năm 2026" in first and "Yên Lập" not in first
    assert "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC" in first and "Trần Văn Nam" in first
    assert "Ông Lò Văn Páo" in first
    assert "Hà Thanh Tâm" in second and "Ông Hà" not in second and "Bà Hà" not in second
    # The decision signs for the head too, under the province's header.
    decision = text_of(print_decision(x01, "12/QĐ-CAT", tmp_path / "qd.pdf")[0])
    assert "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC" in decision
    assert decision.startswith("BỘ CÔNG AN CÔNG AN TỈNH PHÚ THỌ")
    assert "Phú Thọ, ngày 01 tháng 5 năm 2026" in decision


def test_province_certificate_without_a_known_province_asks_for_its_place(tmp_path):
    ctx = make_station(tmp_path)          # parent code T01: neither a peer nor in the list
    seed(ctx)
    ctx.set_setting("cert.giam_doc_ca_tinh.signer_name", "Trần Văn Nam")
    person = ctx.db.execute("SELECT id FROM persons LIMIT 1").fetchone()[0]
    _commend(ctx, person, "giam_doc_ca_tinh", "7/QĐ-CAT")
    from core.documents.settings import MissingSettings
    with pytest.raises(MissingSettings) as raised:
        print_commendations(ctx, tmp_path / "gk.pdf", decision="7/QĐ-CAT")
    assert raised.value.keys == ["cert.giam_doc_ca_tinh.place"]
    assert not (tmp_path / "gk.pdf").exists()
    ctx.set_setting("cert.giam_doc_ca_tinh.place", "Việt Trì")
    text = text_of(print_commendations(ctx, tmp_path / "gk.pdf", decision="7/QĐ-CAT")[0])
    assert "Việt Trì, ngày 01 tháng 5 năm 2026" in text and "Hòa Bình" not in text
    ctx.close()


def test_province_certificate_from_the_official_list_and_at_the_province(tmp_path):
    ctx = init_station(tmp_path / "xa.db", level="xa", code="04831")   # Xã Đà Bắc, Phú Thọ
    assert ctx.station.parent_code == "25"
    ctx.set_setting("doc.place", "Đà Bắc")
    ctx.set_setting("cert.giam_doc_ca_tinh.signer_name", "Trần Văn Nam")
    person, _ = members.save_person(ctx, Person(full_name="Lò Thị Mai", gender="nu"))
    _commend(ctx, person, "giam_doc_ca_tinh", "3/QĐ-CAT")
    text = text_of(print_commendations(ctx, tmp_path / "gk.pdf")[0])
    assert "GIÁM ĐỐC CÔNG AN TỈNH PHÚ THỌ" in text and "Bà Lò Thị Mai" in text
    assert "Phú Thọ, ngày 01 tháng 5 năm 2026" in text and "Đà Bắc" not in text
    ctx.close()
    tinh = init_station(tmp_path / "tinh.db", level="tinh", code="T09",
                        name="Công an tỉnh Lào Cai")
    tinh.set_setting("doc.place", "Lào Cai")
    tinh.set_setting("cert.giam_doc_ca_tinh.signer_name", "Trần Văn Nam")
    person, _ = members.save_person(tinh, Person(full_name="Lò Thị Mai"))
    _commend(tinh, person, "giam_doc_ca_tinh", "4/QĐ-CAT")
    text = text_of(print_commendations(tinh, tmp_path / "gk2.pdf")[0])
    assert "GIÁM ĐỐC CÔNG AN TỈNH LÀO CAI" in text and "Lào Cai, ngày 01 tháng 5" in text
    assert "Bà Lò" not in text and "Ông Lò" not in text
    tinh.close()


def test_stock_sentence_names_only_what_there_is():
    from core.documents.report_content import stock_sentence
    period = {"to": "2026-12-14"}
    ind = {"units_total": 2, "units_by_type": {"khu_dan_cu": 1}, "khu_dan_cu_safe": 1,
           "cqdnnt_safe": 0, "models_total": 2, "models_effective": 1, "models_advanced": 0,
           "members_total": 8}
    text = stock_sentence(ind, period, "địa bàn")
    assert text == ("Tính đến ngày 14/12/2026, toàn địa bàn có 2 đơn vị, địa bàn, trong đó 1 khu "
                    "dân cư; 1 khu dân cư được công nhận đạt tiêu chuẩn “An toàn về an ninh, trật "
                    "tự” năm 2026. Có 2 mô hình đang hoạt động (1 mô hình hoạt động hiệu quả) với "
                    "8 người tham gia.")
    empty = dict(ind, units_total=0, units_by_type={}, khu_dan_cu_safe=0, models_total=0,
                 models_effective=0, members_total=0)
    text = stock_sentence(empty, period, "tỉnh")
    assert " 0 " not in f" {text} " and "chưa có đơn vị, địa bàn nào" in text
    assert text.endswith("Chưa có mô hình nào đang hoạt động.")
    both = dict(ind, cqdnnt_safe=3, models_advanced=1)
    assert ("1 khu dân cư và 3 cơ quan, doanh nghiệp, nhà trường được công nhận"
            in stock_sentence(both, period, "địa bàn"))


def test_decision_bases_are_italic_as_nd30_wants(tmp_path):
    ctx = make_station(tmp_path)
    seed(ctx)
    path = print_decision(ctx, "25/QĐ-UBND", tmp_path / "qd.pdf")[0]
    fonts_by_text = {}

    def visit(text, cm, tm, font_dict, size):
        if text.strip() and font_dict:
            fonts_by_text.setdefault(text.strip(), str(font_dict.get("/BaseFont")))
    PdfReader(str(path)).pages[0].extract_text(visitor_text=visit)
    basis = next(font for text, font in fonts_by_text.items()
                 if text.startswith("Căn cứ Luật Thi đua"))
    article = next(font for text, font in fonts_by_text.items()
                   if text.startswith("Quyết định này có hiệu lực"))
    assert "Italic" in basis and "Italic" not in article
    ctx.close()


def test_word_rules_in_the_body_are_as_short_as_in_the_pdf(tmp_path):
    """The rule under a subject is 40 mm wide (the page's text width less both indents)."""
    from docx import Document

    from core.documents.decision_docx import decision_docx
    from core.documents.members_docx import members_list_docx
    ctx = make_station(tmp_path)
    seed(ctx)
    for path, text_width in ((decision_docx(ctx, "25/QĐ-UBND", tmp_path / "qd.docx"), 165),
                             (members_list_docx(ctx, tmp_path / "tn.docx"), 252)):
        body_rules = [p for p in Document(str(path)).paragraphs
                      if p._p.pPr is not None and p._p.pPr.find(
                          "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pBdr")
                      is not None]
        assert body_rules, path
        for rule in body_rules:
            fmt = rule.paragraph_format
            width = text_width - (fmt.left_indent + fmt.right_indent) / 36000
            assert abs(width - 40) < 1, (path, width)
    ctx.close()


def test_a_province_named_by_its_place_alone_is_still_its_police(tmp_path):
    """Set up as “Quảng Ninh” (as an officer may type it), the province's receipt and its
    commune's report still say “CÔNG AN TỈNH QUẢNG NINH”, never the bare place name."""
    from core.documents.settings import official_settings, province_agency
    prov = init_station(tmp_path / "T01.sqlite3", level="tinh", code="T01", name="Quảng Ninh")
    x01 = commune(tmp_path, "X01")
    down = tmp_path / "down.antq"
    export_package(prov, down)
    import_files(x01, [down], trust_new=True)
    assert province_agency(x01) == "CÔNG AN TỈNH QUẢNG NINH"
    assert official_settings(prov, "BN", required=False).agency == "CÔNG AN TỈNH QUẢNG NINH"
    x01.set_setting("doc.place", "Vân Đồn")
    x01.set_setting("doc.signer_name", "Trần Văn Bình")
    assert official_settings(x01).recipients[0].startswith("Công an tỉnh Quảng Ninh")
    prov.close()
    x01.close()
