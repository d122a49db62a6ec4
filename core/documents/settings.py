"""Document settings and plain helpers (no reportlab): what the window needs cheaply.

The window imports :class:`MissingSettings` and the settings readers from here so
that opening it does not load reportlab; :mod:`core.documents.common` re-exports
every name for the document builders.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core import rules
from core.errors import UserError
from core.station import Context
from core.text import clean

# Settings the documents read (``settings set KEY VALUE``), with what they hold.
SETTING_HELP = {
    "doc.parent_agency": "cơ quan cấp trên, in hoa (vd. CÔNG AN TỈNH HÒA BÌNH)",
    "doc.agency": "tên cơ quan ban hành, in hoa (mặc định: tên đơn vị)",
    "doc.place": "địa danh ghi trước ngày tháng (vd. Hòa Bình)",
    "doc.signer_title": "chức vụ người ký báo cáo, quyết định (vd. TRƯỞNG CÔNG AN XÃ)",
    "doc.signer_name": "họ tên người ký báo cáo, quyết định",
    "doc.doc_number": "số, ký hiệu báo cáo (vd. 15/BC-CAX)",
    "doc.recipients": "danh sách nơi nhận, mỗi nơi một dòng (dấu “;” và “.” do chương trình ghi)",
    "decision.bases": "các căn cứ của quyết định khen thưởng, mỗi căn cứ một dòng",
    "decision.recipients": "nơi nhận của quyết định khen thưởng, mỗi nơi một dòng",
    "doc.sign_authority": "ký thay mặt: KT., TM., Q. hoặc TL. (để trống khi người đứng đầu ký)",
    "doc.head_title": "chức vụ người đứng đầu khi ký thay (vd. TRƯỞNG CÔNG AN XÃ)",
    "cert.<cấp khen>.title": "dòng tên cấp khen trên giấy khen (vd. CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ YÊN THỦY)",
    "cert.<cấp khen>.signer_title": "chức vụ ký giấy khen (vd. CHỦ TỊCH)",
    "cert.<cấp khen>.signer_name": "họ tên người ký giấy khen",
    "cert.<cấp khen>.agency": "cơ quan ban hành quyết định khen thưởng (vd. ỦY BAN NHÂN DÂN XÃ YÊN THỦY)",
    "cert.<cấp khen>.parent_agency": "cơ quan cấp trên ghi trên quyết định (nếu có)",
    "cert.<cấp khen>.sign_authority": "ký thay trên giấy khen: KT., TM., Q. hoặc TL. (để trống khi người đứng đầu ký)",
    "cert.<cấp khen>.head_title": "chức vụ người đứng đầu khi ký thay (vd. GIÁM ĐỐC)",
    "cert.<cấp khen>.place": "địa danh trên giấy khen của cấp khen này (mặc định: của tỉnh với cấp tỉnh)",
    "cert.place": "địa danh trên giấy khen (mặc định: doc.place)",
    "cert.offset_x_mm": "dịch chữ sang phải khi in trên phôi in sẵn (mm, có thể âm)",
    "cert.offset_y_mm": "dịch chữ lên trên khi in trên phôi in sẵn (mm, có thể âm)",
}


def text(value: object) -> str:
    """NFC, trimmed text for drawing (the PDF must only ever hold NFC)."""
    return clean(value)


def setting_problem(value: object) -> str | None:
    """Why a document setting cannot be kept (the entry rules: a paragraph at most)."""
    return rules.text_problem(value, long=True) if isinstance(value, str) else None


def setting_text(ctx: Context, key: str, default: str = "") -> str:
    """A text setting, cleaned; *default* when unset or empty."""
    value = ctx.setting(key)
    return clean(value) if value not in (None, "") else default


class MissingSettings(UserError):
    """A document needs settings that are not stored yet; ``keys`` names them."""

    def __init__(self, message: str, keys: list[str]):
        super().__init__(message)
        self.keys = list(keys)


def require_settings(ctx: Context, keys: dict[str, str]) -> dict[str, str]:
    """Read settings that have no sensible default; refuse naming every missing one.

    *keys* maps the setting key to its value as already resolved (may be empty).
    """
    missing = [key for key, value in keys.items() if not value]
    if missing:
        hints = "; ".join(f"“python main.py settings set {key} …”" for key in missing)
        raise MissingSettings("Chưa khai báo " + ", ".join(missing) + " để in văn bản. "
                              f"Hãy dùng {hints} (hoặc nhập trong mục Cài đặt văn bản).",
                              missing)
    return keys


def station_place_name(ctx: Context) -> str:
    """The station's name without "Công an" (e.g. "xã Yên Thủy")."""
    name = clean(ctx.station.name)
    for prefix in ("Công an ", "CA "):
        if name.lower().startswith(prefix.lower()):
            return name[len(prefix):]
    return name


@dataclass(frozen=True)
class OfficialSettings:
    """What an official document's header and signature need."""

    parent_agency: str
    agency: str
    place: str
    signer_title: str
    signer_name: str
    number: str
    recipients: list[str]
    # "KT." / "TM." / "Q." / "TL." when the signer signs for the head (ND 30/2020,
    # Phụ lục I, mục 8): the block's first line is then "KT. <head's title>" and the
    # second the signer's own title.
    authority: str = ""
    head_title: str = ""

    @property
    def signer_lines(self) -> list[str]:
        """The signature block's title lines (two when signing for the head)."""
        return signer_lines(self.authority, self.head_title, self.signer_title)


def signer_lines(authority: str, head_title: str, signer_title: str) -> list[str]:
    """A signature block's title lines: "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC" when the signer
    signs for the head (ND 30/2020, Phụ lục I, mục 8), else the signer's title alone."""
    if authority and head_title:
        return [f"{authority} {head_title}", signer_title]
    return [signer_title]


AUTHORITIES = ("KT.", "TM.", "Q.", "TL.")
# A real gap for a hand-written number: no-break spaces survive every layout.
NUMBER_BLANK = "\u00a0" * 10


def station_kind(ctx: Context) -> str:
    """"XÃ", "PHƯỜNG" or "ĐẶC KHU" from the station's name (xã when it says nothing)."""
    name = clean(ctx.station.name).lower()
    if "phường" in name:
        return "PHƯỜNG"
    if "đặc khu" in name:
        return "ĐẶC KHU"
    return "XÃ"


def _authority(ctx: Context) -> str:
    value = setting_text(ctx, "doc.sign_authority").upper().rstrip(".")
    if not value:
        return ""
    if value + "." not in AUTHORITIES:
        raise UserError(f"doc.sign_authority “{value}” không hợp lệ: dùng KT., TM., Q. hoặc TL.")
    return value + "."


# Words that open the place part of an agency's name ("ỦY BAN NHÂN DÂN | XÃ QUẢNG ĐIỀN").
PLACE_WORDS = ("XÃ", "PHƯỜNG", "THỊ TRẤN", "ĐẶC KHU", "TỈNH", "THÀNH PHỐ", "HUYỆN", "QUẬN")


def agency_lines(name: str, fits) -> list[str]:
    """An agency name as header lines, broken only before its place ("… / XÃ QUẢNG ĐIỀN").

    *fits(line)* says whether a line fits the column; a name that fits stays whole,
    and a place name itself is never split.
    """
    if fits(name):
        return [name]
    words = name.split(" ")
    for i in range(1, len(words)):
        head, tail = " ".join(words[:i]), " ".join(words[i:])
        if any(tail.startswith(word + " ") for word in PLACE_WORDS):
            return [head, tail]
    return [name]


def listed(value: str) -> list[str]:
    """A list setting (one entry a line; older values used ";") punctuated as ND 30 wants.

    Each entry ends with ";" and the last with "."; what the person typed at the
    end of an entry (";", ".", ",") is replaced, so nothing is doubled or lost.
    """
    text_value = str(value or "")
    parts = text_value.split("\n") if "\n" in text_value else text_value.split(";")
    items = [clean(p).rstrip(" ;.,") for p in parts]
    items = [i for i in items if i]
    return [item + (";" if n < len(items) - 1 else ".") for n, item in enumerate(items)]


def station_agency(ctx: Context) -> str:
    """The issuing agency's name: the station's own, a province's made whole ("Công an tỉnh …")."""
    if ctx.station.level == "tinh":
        return _province_name(ctx) or clean(ctx.station.name)
    return clean(ctx.station.name)


def province_agency(ctx: Context) -> str:
    """"CÔNG AN TỈNH HÒA BÌNH": the province's name as this station knows it.

    A commune knows its province from the packages the province sent (its peer
    record); the province is the station itself. Without either, "CÔNG AN TỈNH".
    """
    return (_province_name(ctx) or "Công an tỉnh").upper()


def _province_name(ctx: Context) -> str:
    """The province station's name ("Công an tỉnh Phú Thọ"), or "" when not known.

    At the province, the station itself. At a commune, the province's peer record (its
    signed package names it), else the official list of administrative units by the
    station's province code. A bare place name ("Quảng Ninh", as an officer may type it
    at set-up) becomes the station's name: the official list's for that code, else
    "Công an tỉnh Quảng Ninh".
    """
    from core import admin_units
    code = ctx.station.code if ctx.station.level == "tinh" else ctx.station.parent_code or ""
    if ctx.station.level == "tinh":
        name = clean(ctx.station.name)
    else:
        # The province pinned from its package: by the station's province code, else the
        # one province a commune pins (a commune set up with a free code has no parent code).
        row = (ctx.db.execute("SELECT code, name FROM peers WHERE code = ? AND level = 'tinh'",
                              [code]).fetchone() if code else
               ctx.db.execute("SELECT code, name FROM peers WHERE level = 'tinh' ORDER BY code"
                              " LIMIT 1").fetchone())
        code, name = (row[0], clean(row[1] or "")) if row else (code, "")
    if name.lower().startswith(("công an ", "ca ")):
        return name
    unit = admin_units.find(ctx.db, code, "tinh") if code else None
    if unit:
        return clean(unit.station_name)
    if name:
        return name if name.lower().startswith(("tỉnh ", "thành phố ")) else f"Công an tỉnh {name}"
    return ""


def province_place_name(ctx: Context) -> str:
    """The province as its own name says it ("tỉnh Phú Thọ", "thành phố Hà Nội"), or ""."""
    name = _province_name(ctx)
    for prefix in ("Công an ", "CA "):
        if name.lower().startswith(prefix.lower()):
            name = name[len(prefix):]
    return name if name.lower().startswith(("tỉnh ", "thành phố ")) else ""


def province_place(ctx: Context) -> str:
    """The place name a province-level signer writes before the date ("Phú Thọ"), or ""."""
    name = province_place_name(ctx)
    for prefix in ("tỉnh ", "thành phố "):
        if name.lower().startswith(prefix):
            return name[len(prefix):]
    return name


def default_place(ctx: Context) -> str:
    """``doc.place``, else the place the station's own name gives ("Phú Thọ", "Yên Thủy")."""
    place = setting_text(ctx, "doc.place")
    if place:
        return place
    if ctx.station.level == "tinh" and province_place(ctx):
        return province_place(ctx)
    name = station_place_name(ctx)
    for prefix in ("xã ", "phường ", "đặc khu ", "thị trấn "):
        if name.lower().startswith(prefix):
            return name[len(prefix):]
    return name


def official_settings(ctx: Context, kind: str = "BC", *,
                      number: str | None = None, required: bool = True) -> OfficialSettings:
    """Header and signature values from the settings; refuses when place/signer are missing.

    *number* (this document's number, e.g. "15") overrides the stored ``doc.doc_number``
    (the report's own); without either, "Số:" keeps a blank for a hand-written number.
    With *required* False (receipts, reminder lists: working papers printed at any time)
    nothing is refused: the place comes from the station's name and an unset signer's
    name is left blank for the hand.
    """
    level = ctx.station.level
    default_parent = "BỘ CÔNG AN" if level == "tinh" else province_agency(ctx)
    head = "GIÁM ĐỐC" if level == "tinh" else f"TRƯỞNG CÔNG AN {station_kind(ctx)}"
    authority = _authority(ctx)
    default_title = f"PHÓ {head}" if authority == "KT." else head
    suffix = "CAT" if level == "tinh" else "CAX"
    place = setting_text(ctx, "doc.place")
    name = setting_text(ctx, "doc.signer_name")
    if required:
        require_settings(ctx, {"doc.place": place, "doc.signer_name": name})
    else:
        place = place or default_place(ctx)
    blank = f"{NUMBER_BLANK}/{kind}-{suffix}"
    recipients = listed(ctx.setting("doc.recipients") or "")
    if not recipients:
        recipients = listed("Bộ Công an (Cục V05) (để b/c)\nLưu: VT." if level == "tinh"
                            else f"{_province_name(ctx) or 'Công an tỉnh'} (để b/c)\nLưu: VT.")
    return OfficialSettings(
        parent_agency=setting_text(ctx, "doc.parent_agency", default_parent).upper(),
        agency=setting_text(ctx, "doc.agency", station_agency(ctx)).upper(),
        place=place,
        signer_title=setting_text(ctx, "doc.signer_title", default_title).upper(),
        signer_name=name,
        number=(f"{clean(number)}/{kind}-{suffix}" if number
                else setting_text(ctx, "doc.doc_number", blank) if kind == "BC" else blank),
        recipients=recipients, authority=authority,
        head_title=setting_text(ctx, "doc.head_title", head).upper() if authority else "")


def date_words(day: dt.date) -> str:
    """"ngày 05 tháng 01 năm 2026": days under 10 and months 1–2 padded (ND 30/2020)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_date(place: str, day: dt.date) -> str:
    """"Hòa Bình, ngày 05 tháng 01 năm 2026"."""
    return f"{place}, {date_words(day)}"


# --- styles ------------------------------------------------------------------
