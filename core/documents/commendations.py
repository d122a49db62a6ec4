"""Commendation data for printing: who, what, which decision, who signs.

Everything a certificate needs is gathered and checked first; a commendation
with a missing field is refused (naming the record and the field) before a
single page is drawn, so nothing is ever printed half-filled.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.catalog import AUTHORITIES, COMMENDATION_FORMS
from core.documents.settings import (AUTHORITIES as SIGN_AUTHORITIES, province_place,
                                     province_place_name, require_settings, setting_text,
                                     signer_lines, station_place_name)
from core.errors import UserError
from core.records import Commendation
from core.repos.activities import CommendationRepo
from core.station import Context
from core.text import clean

# The form names printed in large capitals.
FORM_TITLES = {"giay_khen": "GIẤY KHEN", "bang_khen": "BẰNG KHEN",
               "ky_niem_chuong": "KỶ NIỆM CHƯƠNG", "bieu_duong": "GIẤY BIỂU DƯƠNG"}
SIGNER_TITLES = {"chu_tich_ubnd_xa": "CHỦ TỊCH", "giam_doc_ca_tinh": "GIÁM ĐỐC",
                 "chu_tich_ubnd_tinh": "CHỦ TỊCH", "bo_truong_bca": "BỘ TRƯỞNG"}
FIELD_LABELS = {"recipient": "người/tập thể được khen", "form": "hình thức khen thưởng",
                "authority": "cấp khen thưởng", "decision_no": "số quyết định",
                "decision_date": "ngày quyết định", "achievement": "thành tích"}


@dataclass(frozen=True)
class Certificate:
    """One certificate's text, fully resolved."""

    id: str
    authority_code: str
    authority_title: str
    form_title: str
    recipient: str
    address: str
    achievement: str
    decision_no: str
    decision_date: dt.date
    register_no: str
    place: str
    signer_title: str
    signer_name: str
    collective: bool
    # "KT." / "TM." / "Q." / "TL." and the head's title when the signer signs for the
    # head (cert.<code>.sign_authority, cert.<code>.head_title); empty otherwise.
    sign_authority: str = ""
    head_title: str = ""

    @property
    def signer_lines(self) -> list[str]:
        """The signature block's title lines: two ("KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC") or one."""
        return signer_lines(self.sign_authority, self.head_title, self.signer_title)


def select(ctx: Context, decision: str | None = None, ids: list[str] | None = None) -> list[Commendation]:
    """The commendations to print: given ids, one decision, or all (entry order)."""
    repo = CommendationRepo(ctx.store)
    if ids is not None:
        return [repo.get(i) for i in ids]
    if decision is not None:
        found = repo.all("decision_no = ?", [clean(decision)])
        if not found:
            raise UserError(f"Không có khen thưởng nào theo quyết định số “{clean(decision)}”.")
        return found
    found = repo.all(order_by="decision_date, decision_no, rowid")
    if not found:
        raise UserError("Chưa có khen thưởng nào để in.")
    return found


def decision_numbers(ctx: Context) -> list[str]:
    """Every decision number among the commendations, newest decision first."""
    rows = ctx.db.execute(
        "SELECT decision_no, MAX(decision_date) FROM commendations"
        " WHERE deleted = 0 AND decision_no IS NOT NULL AND decision_no != ''"
        " GROUP BY decision_no ORDER BY MAX(decision_date) DESC, decision_no").fetchall()
    return [row[0] for row in rows]


def _recipient(ctx: Context, item: Commendation) -> tuple[str, str]:
    """(printed name, address or unit line) of the recipient."""
    q = ctx.db.execute
    if item.recipient_kind == "person":
        row = q("SELECT p.full_name, p.gender, p.address, u.name FROM persons p LEFT JOIN units u"
                " ON u.id = p.residence_unit_id WHERE p.id = ? AND p.deleted = 0",
                [item.recipient_id]).fetchone()
        if not row:
            return "", ""
        name, gender, address, unit = row
        prefix = {"nam": "Ông ", "nu": "Bà "}.get(gender or "", "")
        return clean(prefix + clean(name)), clean(address or unit or "")
    if item.recipient_kind == "model":
        row = q("SELECT name FROM models WHERE id = ? AND deleted = 0", [item.recipient_id]).fetchone()
        places = [r[0] for r in q("SELECT u.name FROM model_units mu JOIN units u ON u.id ="
                                  " mu.unit_id WHERE mu.model_id = ? AND u.deleted = 0",
                                  [item.recipient_id])]
        return (clean(row[0]) if row else ""), clean(", ".join(places))
    row = q("SELECT name, address FROM units WHERE id = ? AND deleted = 0",
            [item.recipient_id]).fetchone()
    return (clean(row[0]), clean(row[1] or "")) if row else ("", "")


# Authorities that sign at the province: their certificates carry the province's name
# and place, wherever they are printed.
PROVINCE_AUTHORITIES = {"giam_doc_ca_tinh": "GIÁM ĐỐC CÔNG AN",
                        "chu_tich_ubnd_tinh": "CHỦ TỊCH ỦY BAN NHÂN DÂN"}


def authority_title(ctx: Context, code: str) -> str:
    """The awarding authority's line (setting cert.<code>.title, else derived).

    "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ YÊN THỦY" at a commune; "GIÁM ĐỐC CÔNG AN TỈNH PHÚ THỌ"
    and "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ" with the province's name when it is known.
    """
    default = AUTHORITIES.label(code).upper()
    if code == "chu_tich_ubnd_xa" and ctx.station.level == "xa":
        default = f"CHỦ TỊCH ỦY BAN NHÂN DÂN {station_place_name(ctx).upper()}"
    province = province_place_name(ctx)
    if code in PROVINCE_AUTHORITIES and province:
        default = f"{PROVINCE_AUTHORITIES[code]} {province.upper()}"
    return setting_text(ctx, f"cert.{code}.title", default).upper()


def certificate_place(ctx: Context, code: str) -> str:
    """The place before the certificate's date, as its signer writes it.

    ``cert.<code>.place`` when set. A province's signer (Giám đốc Công an tỉnh, Chủ tịch
    UBND tỉnh) writes the province's place: at the province its own ``cert.place`` /
    ``doc.place``, at a commune the province's name (from its package or the official
    list). The minister writes "Hà Nội". Otherwise ``cert.place``, else ``doc.place``.
    """
    own = setting_text(ctx, f"cert.{code}.place")
    if own:
        return own
    local = setting_text(ctx, "cert.place", setting_text(ctx, "doc.place"))
    if code == "bo_truong_bca":
        return "Hà Nội"
    if code in PROVINCE_AUTHORITIES and ctx.station.level != "tinh":
        return province_place(ctx)
    return local


def _sign_authority(ctx: Context, code: str) -> str:
    value = setting_text(ctx, f"cert.{code}.sign_authority").upper().rstrip(".")
    if not value:
        return ""
    if value + "." not in SIGN_AUTHORITIES:
        raise UserError(f"cert.{code}.sign_authority “{value}” không hợp lệ: dùng KT., TM., "
                        "Q. hoặc TL.")
    return value + "."


def signer_of(ctx: Context, code: str) -> tuple[str, str, str, str]:
    """(authority, head's title, signer's title, signer's name) of one awarding authority.

    With ``cert.<code>.sign_authority`` = KT. the signer's title defaults to "PHÓ <head>"
    and the head's title to the authority's own (GIÁM ĐỐC, CHỦ TỊCH, BỘ TRƯỞNG).
    """
    base = SIGNER_TITLES.get(code, "")
    authority = _sign_authority(ctx, code)
    head = setting_text(ctx, f"cert.{code}.head_title", base).upper() if authority else ""
    default_title = f"PHÓ {base}" if authority == "KT." and base else base
    title = setting_text(ctx, f"cert.{code}.signer_title", default_title).upper()
    return authority, head, title, setting_text(ctx, f"cert.{code}.signer_name")


def describe(item: Commendation, name: str) -> str:
    """How a record is named in an error message."""
    return (f"khen thưởng “{name or item.id}” (quyết định {item.decision_no or 'chưa có số'})")


def resolve(ctx: Context, items: list[Commendation]) -> list[Certificate]:
    """Every certificate's text; refuses (naming record and field) when something is missing."""
    problems: list[str] = []
    signers: dict[str, tuple[str, str, str, str, str]] = {}
    result = []
    for item in items:
        name, address = _recipient(ctx, item)
        missing = [FIELD_LABELS[f] for f, value in (
            ("recipient", name), ("form", item.form in COMMENDATION_FORMS.codes()),
            ("authority", item.authority), ("decision_no", item.decision_no),
            ("decision_date", item.decision_date), ("achievement", item.achievement)) if not value]
        if missing:
            problems.append(f"{describe(item, name)} thiếu {', '.join(missing)}")
            continue
        code = item.authority
        if code not in signers:
            authority, head, title, signer_name = signer_of(ctx, code)
            place = certificate_place(ctx, code)
            place_key = (f"cert.{code}.place" if code in PROVINCE_AUTHORITIES
                         and ctx.station.level != "tinh" else "doc.place")
            require_settings(ctx, {f"cert.{code}.signer_name": signer_name,
                                   f"cert.{code}.signer_title": title, place_key: place})
            signers[code] = (title, signer_name, place, authority, head)
        title, signer_name, place, authority, head = signers[code]
        result.append(Certificate(
            id=item.id, authority_code=code, authority_title=authority_title(ctx, code),
            form_title=FORM_TITLES[item.form], recipient=name, address=address,
            achievement=clean(item.achievement), decision_no=item.decision_no,
            decision_date=dt.date.fromisoformat(item.decision_date[:10]),
            register_no=clean(item.register_no), place=place, signer_title=title,
            signer_name=signer_name, collective=item.recipient_kind != "person",
            sign_authority=authority, head_title=head))
    if problems:
        shown = "; ".join(problems[:5]) + (f"; và {len(problems) - 5} khen thưởng khác"
                                           if len(problems) > 5 else "")
        raise UserError(f"Không in được: {shown}. Hãy bổ sung rồi in lại (chưa in trang nào).")
    return result
