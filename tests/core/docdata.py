"""A small, realistic station for the document tests (units, models, members, events)."""
from __future__ import annotations

from core.records import Commendation, Event, Membership, Model, Person, Result, Unit, UnitYear
from core.services import activities, members, models, units
from core.station import Context, init_station

LONG_NAME = ("Nguyễn Thị Phương Thảo Hoàng Lê Minh Khánh Ngọc Bích Trâm Anh Đặng Quỳnh "
             "Như Ý Tôn Nữ Thùy Dương Vũ Thị Thanh Huyền Lâm Bảo Ngọc")

SETTINGS = {
    "doc.parent_agency": "Công an tỉnh Phú Thọ",
    "doc.place": "Hòa Bình",
    "doc.signer_name": "Bùi Văn Thắng",
    "doc.signer_title": "Trưởng Công an xã",
    "doc.doc_number": "15/BC-CAX",
    "cert.chu_tich_ubnd_xa.title": "Chủ tịch Ủy ban nhân dân xã Yên Thủy",
    "cert.chu_tich_ubnd_xa.signer_name": "Đinh Công Hiển",
}


def make_station(tmp_path, *, level: str = "xa", code: str = "XA01",
                 name: str = "Công an xã Yên Thủy") -> Context:
    """A fresh station database with the document settings filled in."""
    ctx = init_station(tmp_path / f"{code}.db", level=level, code=code, name=name,
                       parent_code=None if level == "tinh" else "T01")
    for key, value in SETTINGS.items():
        ctx.set_setting(key, value)
    if level == "tinh":
        ctx.set_setting("doc.parent_agency", "Bộ Công an")
        ctx.set_setting("doc.signer_title", "Giám đốc")
        ctx.set_setting("doc.doc_number", "120/BC-CAT")
    return ctx


def seed(ctx: Context, *, long_name: bool = False) -> dict:
    """Units, models, members, events, results and commendations; returns ids."""
    u1, _ = units.save(ctx, Unit(name="Thôn Đồng Tâm", type="khu_dan_cu", households=215))
    u2, _ = units.save(ctx, Unit(name="Trường THCS Yên Thủy", type="nha_truong"))
    units.set_year(ctx, UnitYear(unit_id=u1, year=2026, registered=True, recognised=True))
    m1, _ = models.save(ctx, Model(name="Tổ an ninh nhân dân thôn Đồng Tâm",
                                   type="to_an_ninh_nhan_dan", unit_ids=[u1],
                                   launch_date="2025-03-01", status="hieu_qua", advanced=True))
    m2, _ = models.save(ctx, Model(name="Tổ hòa giải thôn Đồng Tâm", type="to_hoa_giai",
                                   unit_ids=[u1], launch_date="2025-05-10"))
    names = ["Nguyễn Văn Đức", "Trần Thị Ánh", "Lê Văn An", "Phạm Thị Bích", "Đỗ Văn Hùng",
             "Hoàng Thị Hòa", "Vũ Văn Đạt", "Bùi Thị Yến"]
    people = []
    for i, full in enumerate(names):
        pid, _ = members.save_person(ctx, Person(
            full_name=full, birth_date=f"19{70 + i}-0{1 + i % 9}-1{i}", gender="nu" if "Thị" in full else "nam",
            id_number=f"0350{i:08d}", address="Thôn Đồng Tâm, xã Yên Thủy",
            residence_unit_id=u1, occupation="Làm ruộng", ethnicity="Mường", phone=f"09120000{i:02d}"))
        people.append(pid)
        members.save_membership(ctx, Membership(person_id=pid, model_id=m1 if i < 5 else m2,
                                                role="to_truong" if i in (0, 5) else "thanh_vien",
                                                join_date="2025-03-01"))
    for date, type_, n in [("2026-01-10", "tuyen_truyen", 120), ("2026-02-20", "hoi_nghi", 45),
                           ("2026-04-02", "tap_huan", 30), ("2026-08-19", "ngay_hoi", 1051)]:
        activities.save_event(ctx, Event(date=date, type=type_, title=f"Hoạt động {type_}",
                                         unit_id=u1, participants=n))
    for date, type_, q in [("2026-02-01", "tin_bao", 12), ("2026-03-01", "tin_bao_gia_tri", 5),
                           ("2026-05-01", "hoa_giai", 4), ("2026-05-02", "hoa_giai_thanh", 3)]:
        activities.save_result(ctx, Result(date=date, type=type_, quantity=q, unit_id=u1))
    recipient = people[1]
    if long_name:
        recipient, _ = members.save_person(ctx, Person(full_name=LONG_NAME, gender="nu",
                                                        address="Thôn Đồng Tâm, xã Yên Thủy"))
    c1, _ = activities.save_commendation(ctx, Commendation(
        recipient_kind="person", recipient_id=recipient, form="giay_khen",
        authority="chu_tich_ubnd_xa", decision_no="25/QĐ-UBND", decision_date="2026-08-19",
        achievement="Đã có thành tích xuất sắc trong phong trào toàn dân bảo vệ an ninh Tổ quốc "
                    "năm 2026, tích cực cung cấp nhiều tin báo có giá trị giúp lực lượng Công an "
                    "làm rõ các vụ việc trên địa bàn", register_no="112"))
    c2, _ = activities.save_commendation(ctx, Commendation(
        recipient_kind="model", recipient_id=m1, form="giay_khen", authority="chu_tich_ubnd_xa",
        decision_no="25/QĐ-UBND", decision_date="2026-08-19",
        achievement="Đã có thành tích tiêu biểu trong phong trào toàn dân bảo vệ an ninh Tổ quốc "
                    "năm 2026", register_no="113"))
    return {"units": [u1, u2], "models": [m1, m2], "people": people, "commendations": [c1, c2]}
