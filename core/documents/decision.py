"""The commendation decision ("Quyết định khen thưởng") with its list of recipients."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Spacer, Table, TableStyle

from core.documents import fonts
from core.documents.commendations import Certificate, resolve, select
from core.documents.settings import listed
from core.documents.common import (OfficialSettings, build_official, date_words, grid_style,
                                   header_block, para, rule, setting_text, signature_block, styles)
from core.files import atomic_path
from core.station import Context
from core.text import clean

_TITLE_WORDS = ("CHỦ TỊCH ", "GIÁM ĐỐC ", "BỘ TRƯỞNG ")
FORM_WORDS = {"GIẤY KHEN": "Giấy khen", "BẰNG KHEN": "Bằng khen",
              "KỶ NIỆM CHƯƠNG": "Kỷ niệm chương “Bảo vệ an ninh Tổ quốc”",
              "GIẤY BIỂU DƯƠNG": "Giấy biểu dương"}


def issuing_agency(ctx: Context, cert: Certificate) -> str:
    """The agency issuing the decision: cert.<code>.agency, else the title without its office."""
    default = cert.authority_title
    for word in _TITLE_WORDS:
        if default.startswith(word):
            default = default[len(word):]
    return setting_text(ctx, f"cert.{cert.authority_code}.agency", default).upper()


# The line above the issuing agency in a decision's header, by the awarding authority
# (Công an tỉnh is under Bộ Công an; the people's committees have none).
DEFAULT_PARENTS = {"giam_doc_ca_tinh": "BỘ CÔNG AN"}


def _settings(ctx: Context, first: Certificate, decision_no: str) -> OfficialSettings:
    parent = setting_text(ctx, f"cert.{first.authority_code}.parent_agency",
                          DEFAULT_PARENTS.get(first.authority_code, "")).upper()
    return OfficialSettings(parent_agency=parent, agency=issuing_agency(ctx, first),
                            place=first.place, signer_title=first.signer_title,
                            signer_name=first.signer_name, number=decision_no,
                            recipients=listed(ctx.setting("decision.recipients")
                                              or "Như Điều 3\nLưu: VT."),
                            authority=first.sign_authority, head_title=first.head_title)


DEFAULT_BASES = ("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022\n"
                 "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ "
                 "quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng")


def legal_bases(ctx: Context) -> list[str]:
    """The decision's "Căn cứ …" lines (setting decision.bases), then "Xét đề nghị …"."""
    bases = str(ctx.setting("decision.bases") or DEFAULT_BASES)
    return listed(bases + f"\nXét đề nghị của {ctx.station.name}")


def decision_texts(certs: list[Certificate], station_name: str) -> dict[str, str]:
    """The sentences of Điều 1–3 (the PDF and the Word file print the same)."""
    collectives = sum(c.collective for c in certs)
    people = len(certs) - collectives
    forms = sorted({FORM_WORDS.get(c.form_title, c.form_title) for c in certs})
    whom = " và ".join(p for p in (f"{collectives} tập thể" if collectives else "",
                                   f"{people} cá nhân" if people else "") if p)
    return {"Điều 1.": f"Tặng {', '.join(forms)} cho {whom} (có danh sách kèm theo) đã có "
                       "thành tích trong phong trào toàn dân bảo vệ an ninh Tổ quốc.",
            "Điều 2.": "Quyết định này có hiệu lực kể từ ngày ký.",
            "Điều 3.": f"{station_name}, các tập thể và cá nhân có tên tại Điều 1 "
                       "chịu trách nhiệm thi hành Quyết định này./."}


def decision_story(ctx: Context, certs: list[Certificate], decision_no: str) -> list:
    """The decision page(s), then the attached list."""
    st = styles()
    first = certs[0]
    cfg = _settings(ctx, first, decision_no)
    office = first.authority_title
    when = date_words(first.decision_date)
    story = [header_block(st, cfg, first.decision_date), para("QUYẾT ĐỊNH", st["type"]),
             para("Về việc khen thưởng trong phong trào toàn dân bảo vệ an ninh Tổ quốc",
                  st["subject"]), rule(40), Spacer(1, 2 * mm), para(office, st["subject"]),
             Spacer(1, 3 * mm)]
    # The legal bases in italics (ND 30/2020, Phụ lục I: căn cứ ban hành, chữ nghiêng),
    # as the Word file has them.
    bases = st["body"].clone("bases", fontName=fonts.ITALIC)
    for basis in legal_bases(ctx):
        story.append(para(basis, bases))
    story += [para("QUYẾT ĐỊNH:", st["type"]), Spacer(1, 2 * mm)]
    story += [para(value, st["body"], bold_lead=lead)
              for lead, value in decision_texts(certs, ctx.station.name).items()]
    story += [KeepTogether([signature_block(st, cfg)]), PageBreak(),
              para("DANH SÁCH", st["type"]),
              para("Tập thể, cá nhân được khen thưởng", st["subject"]),
              para(f"(Kèm theo Quyết định số {decision_no} {when})",
                   st["caption"]), Spacer(1, 4 * mm), recipients_table(st, certs)]
    return story


def recipients_table(st: dict, certs: list[Certificate]) -> Table:
    """STT, recipient, address/unit, form and achievement; collectives first."""
    rows = [[para(h, st["cell_head"]) for h in ("STT", "Tập thể, cá nhân", "Địa chỉ, đơn vị",
                                                "Hình thức", "Thành tích")]]
    ordered = [c for c in certs if c.collective] + [c for c in certs if not c.collective]
    for i, cert in enumerate(ordered, 1):
        rows.append([para(str(i), st["cell_center"]), para(cert.recipient, st["cell_bold"]),
                     para(cert.address, st["cell"]),
                     para(FORM_WORDS.get(cert.form_title, cert.form_title), st["cell"]),
                     para(cert.achievement, st["cell"])])
    table = Table(rows, colWidths=[11 * mm, 42 * mm, 36 * mm, 22 * mm, 54 * mm], repeatRows=1,
                  hAlign="LEFT")
    table.setStyle(TableStyle(grid_style() + [("VALIGN", (0, 1), (-1, -1), "TOP")]))
    return table


def print_decision(ctx: Context, decision_no: str, out) -> tuple[str, int]:
    """The decision with its attached list into *out*; return (path, page count)."""
    number = clean(decision_no)
    certs = resolve(ctx, select(ctx, decision=number))
    story = decision_story(ctx, certs, number)
    with atomic_path(out) as temp:
        pages = build_official(temp, story, title=f"Quyết định khen thưởng số {number}",
                               author=ctx.station.name)
    return str(out), pages
