"""Catalogues of the movement: codes (stable identifiers) and Vietnamese labels.

Codes are what the database, packages and ``report --format json`` use; labels are
what people see; aliases are other spellings accepted on import. The model-type
catalogue is seeded from :data:`MODEL_TYPES` and may grow (the province adds
types), so it also lives in the database.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from core.text import fold


@dataclass(frozen=True)
class Item:
    """One catalogue entry."""

    code: str
    label: str
    aliases: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Catalog:
    """An ordered catalogue that matches labels, aliases and codes loosely."""

    name: str
    items: tuple[Item, ...]

    def codes(self) -> list[str]:
        """Codes in display order."""
        return [item.code for item in self.items]

    def label(self, code: str | None) -> str:
        """The Vietnamese label of *code* (the code itself if unknown)."""
        for item in self.items:
            if item.code == code:
                return item.label
        return code or ""

    def match(self, value: str) -> str | None:
        """Return the code for a label, alias or code, ignoring case and diacritics."""
        wanted = fold(value or "")
        if not wanted:
            return None
        for item in self.items:
            names = (item.code, item.code.replace("_", " "), item.label, *item.aliases)
            if any(fold(name) == wanted for name in names):
                return item.code
        return None


UNIT_TYPES = Catalog("unit_type", (
    Item("khu_dan_cu", "Khu dân cư",
         ("Thôn", "Làng", "Bản", "Ấp", "Buôn", "Tổ dân phố", "Khu phố")),
    Item("co_quan", "Cơ quan"),
    Item("doanh_nghiep", "Doanh nghiệp"),
    Item("nha_truong", "Cơ sở giáo dục", ("Nhà trường", "Trường học")),
    Item("khac", "Khác"),
))

MODEL_TYPES = Catalog("model_type", (
    Item("to_an_ninh_nhan_dan", "Tổ an ninh nhân dân", ("Tổ ANND",)),
    Item("to_tu_quan", "Tổ tự quản về an ninh, trật tự",
         ("Tổ tự quản", "Tổ tự quản về ANTT")),
    Item("to_hoa_giai", "Tổ hòa giải"),
    Item("to_bao_ve_dan_pho", "Tổ bảo vệ dân phố"),
    Item("to_bao_ve_antt", "Tổ bảo vệ an ninh, trật tự ở cơ sở", ("Tổ bảo vệ ANTT",)),
    Item("cau_lac_bo", "Câu lạc bộ", ("CLB",)),
    Item("cum_lien_ket", "Cụm liên kết tự quản"),
    Item("camera_an_ninh", "Camera an ninh"),
    Item("tieng_keng", "Tiếng kẻng an ninh"),
    Item("khac", "Mô hình khác", ("Khác",)),
))

MODEL_STATUSES = Catalog("model_status", (
    Item("hieu_qua", "Hoạt động hiệu quả", ("Hiệu quả",)),
    Item("binh_thuong", "Hoạt động", ("Bình thường", "Đang hoạt động")),
    Item("yeu", "Yếu", ("Hoạt động yếu",)),
    Item("ngung", "Ngừng hoạt động", ("Ngừng",)),
))

ROLES = Catalog("role", (
    Item("to_truong", "Tổ trưởng", ("Chủ nhiệm", "Trưởng")),
    Item("to_pho", "Tổ phó", ("Phó chủ nhiệm", "Phó")),
    Item("thanh_vien", "Thành viên", ("Tổ viên", "Hội viên")),
))

# The same three stored roles carry the titles of the model's kind: a câu lạc bộ has
# a Chủ nhiệm, Phó chủ nhiệm and Hội viên, a tổ (and every other kind) a Tổ trưởng,
# Tổ phó and Thành viên. Stored codes never change, so older data keeps its meaning.
CLUB_ROLE_LABELS = {"to_truong": "Chủ nhiệm", "to_pho": "Phó chủ nhiệm",
                    "thanh_vien": "Hội viên"}
CLUB_TYPES = frozenset({"cau_lac_bo"})
CLUB_PREFIXES = ("cau lac bo", "clb")   # folded: a type the province adds ("CLB …")


def is_club(model_type: str | None, type_label: str = "") -> bool:
    """True when a model of this type is a câu lạc bộ (by code, or by its label)."""
    if model_type in CLUB_TYPES:
        return True
    folded = fold(type_label or "")
    return any(folded == p or folded.startswith(p + " ") for p in CLUB_PREFIXES)


def role_label(role: str | None, model_type: str | None = None, type_label: str = "") -> str:
    """The title of *role* in a model of *model_type* (“Chủ nhiệm” in a câu lạc bộ)."""
    if is_club(model_type, type_label) and role in CLUB_ROLE_LABELS:
        return CLUB_ROLE_LABELS[role]
    return ROLES.label(role)


# Report lines count a role over every kind of model, so they name both titles.
REPORT_ROLES = Catalog("role", tuple(
    Item(i.code, f"{i.label}, {CLUB_ROLE_LABELS[i.code][0].lower()}{CLUB_ROLE_LABELS[i.code][1:]}")
    for i in ROLES.items))


def role_choices(model_type: str | None = None, type_label: str = "") -> list[tuple[str, str]]:
    """(title, code) of the three roles as a model of *model_type* names them."""
    return [(role_label(code, model_type, type_label), code) for code in ROLES.codes()]


EVENT_TYPES = Catalog("event_type", (
    Item("tuyen_truyen", "Tuyên truyền"),
    Item("phat_dong", "Phát động phong trào", ("Phát động",)),
    Item("ra_mat_mo_hinh", "Ra mắt mô hình"),
    Item("hoi_nghi", "Hội nghị"),
    Item("tap_huan", "Tập huấn, bồi dưỡng nghiệp vụ", ("Tập huấn",)),
    Item("so_ket_tong_ket", "Sơ kết, tổng kết", ("Sơ kết", "Tổng kết")),
    Item("ngay_hoi", "Ngày hội toàn dân bảo vệ ANTQ", ("Ngày hội",)),
    Item("ky_cam_ket", "Ký cam kết"),
    Item("kiem_tra", "Kiểm tra, khảo sát", ("Kiểm tra", "Khảo sát")),
    Item("khac", "Khác"),
))

RESULT_TYPES = Catalog("result_type", (
    Item("tin_bao", "Tin báo, tố giác của quần chúng", ("Tin báo",)),
    Item("tin_bao_gia_tri", "Tin báo có giá trị"),
    Item("vu_viec_lam_ro", "Vụ việc làm rõ nhờ tin quần chúng"),
    Item("doi_tuong", "Đối tượng bị phát hiện, xử lý"),
    Item("truy_na", "Đối tượng truy nã bị bắt / vận động đầu thú"),
    Item("hoa_giai", "Vụ hòa giải"),
    Item("hoa_giai_thanh", "Vụ hòa giải thành"),
    Item("giup_do", "Người lầm lỗi được cảm hóa, giúp đỡ, tái hòa nhập"),
    Item("ho_ky_cam_ket", "Hộ gia đình ký cam kết"),
    Item("vu_khi", "Vũ khí, vật liệu nổ vận động giao nộp"),
    Item("camera", "Camera an ninh lắp đặt"),
    Item("tham_gia_dinh", "Lượt thăm, động viên gia đình người nghiện"),
))

COMMENDATION_FORMS = Catalog("commendation_form", (
    Item("giay_khen", "Giấy khen"),
    Item("bang_khen", "Bằng khen"),
    Item("ky_niem_chuong", "Kỷ niệm chương “Bảo vệ an ninh Tổ quốc”",
         ("Kỷ niệm chương", "Kỷ niệm chương Bảo vệ an ninh Tổ quốc")),
    Item("bieu_duong", "Biểu dương", ("Người tốt, việc tốt", "Biểu dương người tốt việc tốt")),
))

AUTHORITIES = Catalog("authority", (
    Item("chu_tich_ubnd_xa", "Chủ tịch Ủy ban nhân dân xã", ("Chủ tịch UBND xã",)),
    Item("giam_doc_ca_tinh", "Giám đốc Công an tỉnh", ("Giám đốc CA tỉnh",)),
    Item("chu_tich_ubnd_tinh", "Chủ tịch Ủy ban nhân dân tỉnh", ("Chủ tịch UBND tỉnh",)),
    Item("bo_truong_bca", "Bộ trưởng Bộ Công an", ("Bộ trưởng BCA",)),
))

GENDERS = Catalog("gender", (Item("nam", "Nam"), Item("nu", "Nữ")))

RECIPIENT_KINDS = Catalog("recipient_kind", (
    Item("ca_nhan", "Cá nhân"),
    Item("tap_the", "Tập thể"),
))

TBV_RATINGS = Catalog("tbv_rating", (
    Item("xuat_sac", "Hoàn thành xuất sắc nhiệm vụ"),
    Item("tot", "Hoàn thành tốt nhiệm vụ"),
    Item("hoan_thanh", "Hoàn thành nhiệm vụ"),
    Item("khong_hoan_thanh", "Không hoàn thành nhiệm vụ"),
))

STATION_LEVELS = Catalog("level", (
    Item("xa", "Công an xã"),
    Item("tinh", "Công an tỉnh"),
))
