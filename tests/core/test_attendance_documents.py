"""An event's attendance: whole models, namesakes, the attendance list and the biên bản."""
from __future__ import annotations

import json

import pytest
from docdata import make_station, seed
from pdfcheck import fonts_of, page_sizes_mm, text_of

from core.cli import run
from core.documents.attendance import MinutesDetails, attendance_pdf, minutes_pdf
from core.errors import NotFound, UserError
from core.records import Event, Membership, Person, Unit
from core.repos.activities import EventRepo
from core.services import activities, attendance, members, units


@pytest.fixture()
def station(tmp_path):
    ctx = make_station(tmp_path)
    ids = seed(ctx)
    yield ctx, ids
    ctx.close()


def _event(ctx, ids, attendees, models=()) -> str:
    event_id, _ = activities.save_event(ctx, Event(
        date="2026-03-15", type="hoi_nghi", title="Hội nghị triển khai phong trào",
        unit_id=ids["units"][0], model_ids=list(models), attendee_ids=list(attendees),
        participants=max(40, len(attendees)), organiser="Công an xã"))
    return event_id


def _embedded_only(path) -> bool:
    found = fonts_of(path)
    return bool(found) and all(embedded and "LiberationSerif" in name for name, embedded in found)


def test_a_model_adds_its_active_members_only(station):
    ctx, ids = station
    model = ids["models"][0]
    leaver, _ = members.save_person(ctx, Person(full_name="Mai Văn Thôi"))
    members.save_membership(ctx, Membership(person_id=leaver, model_id=model, role="thanh_vien",
                                            join_date="2025-01-01", leave_date="2025-12-31"))
    active = attendance.model_member_ids(ctx, model)
    assert set(active) == set(ids["people"][:5])
    assert leaver not in active
    assert attendance.model_member_counts(ctx, [model, ids["models"][1]]) == {
        model: 5, ids["models"][1]: 3}


def test_namesakes_are_told_apart_by_birth_year_and_unit(station):
    ctx, ids = station
    other, _ = units.save(ctx, Unit(name="Thôn Bắc Sơn", type="khu_dan_cu"))
    a, _ = members.save_person(ctx, Person(full_name="Nguyễn Văn Hòa", birth_date="1980-02-03",
                                           residence_unit_id=ids["units"][0]))
    b, _ = members.save_person(ctx, Person(full_name="Nguyễn Văn Hòa", birth_date="1992-07-01",
                                           residence_unit_id=other))
    found = attendance.find(ctx, "nguyen van hoa")
    labels = {p.person_id: p.label() for p in found}
    assert labels[a] == "Nguyễn Văn Hòa — 1980 — Thôn Đồng Tâm"
    assert labels[b] == "Nguyễn Văn Hòa — 1992 — Thôn Bắc Sơn"


def test_attendance_list_pdf_has_every_attendee_in_name_order(station, tmp_path):
    ctx, ids = station
    event_id = _event(ctx, ids, ids["people"], models=[ids["models"][0]])
    out = tmp_path / "diem danh.pdf"
    path, pages = attendance_pdf(ctx, event_id, out)
    assert (path, pages) == (str(out), 1)
    assert page_sizes_mm(out) == [(210, 297)]
    text = text_of(out)
    for expected in ("CÔNG AN XÃ YÊN THỦY", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "DANH SÁCH ĐIỂM DANH", "Người tham dự Hội nghị triển khai phong trào",
                     "Ngày 15/03/2026 tại Thôn Đồng Tâm", "STT", "Họ và tên", "Năm sinh",
                     "Thôn, đơn vị", "Chức vụ trong mô hình", "Ký tên", "Tổ trưởng",
                     "Tổng số: 8 người", "NGƯỜI LẬP DANH SÁCH"):
        assert expected in text, expected
    # given-name order (An, Ánh, Bích, Đạt, Đức, Hòa, Hùng, Yến), each once
    order = ["Lê Văn An", "Trần Thị Ánh", "Phạm Thị Bích", "Vũ Văn Đạt", "Nguyễn Văn Đức",
             "Hoàng Thị Hòa", "Đỗ Văn Hùng", "Bùi Thị Yến"]
    positions = [text.index(name) for name in order]
    assert positions == sorted(positions)
    assert all(text.count(name) == 1 for name in order)
    assert _embedded_only(out)


def test_attendance_list_of_an_event_without_attendees_is_refused(station, tmp_path):
    ctx, ids = station
    event_id = _event(ctx, ids, [])
    out = tmp_path / "x.pdf"
    with pytest.raises(UserError, match="chưa có ai"):
        attendance_pdf(ctx, event_id, out)
    assert not out.exists()
    with pytest.raises(NotFound):
        attendance_pdf(ctx, "khong-co", out)


def test_minutes_pdf_states_what_was_given_and_leaves_lines_for_the_rest(station, tmp_path):
    ctx, ids = station
    event_id = _event(ctx, ids, ids["people"][:3])
    out = tmp_path / "bb.pdf"
    details = MinutesDetails(start_time="8 giờ 00", chair="Bùi Văn Thắng, Trưởng Công an xã",
                             content="Phổ biến Luật Lực lượng tham gia bảo vệ ANTT\nThảo luận",
                             result="Thống nhất kế hoạch năm 2026")
    minutes_pdf(ctx, event_id, out, details)
    text = text_of(out)
    for expected in ("BIÊN BẢN", "Số: /BB-CAX", "Thời gian bắt đầu: 8 giờ 00, ngày 15 tháng 03 "
                     "năm 2026", "Địa điểm: Thôn Đồng Tâm",
                     "Đơn vị tổ chức: Công an xã. 40 lượt người tham gia, trong đó 3 người",
                     "Chủ trì: Bùi Văn Thắng, Trưởng Công an xã", "Nội dung:",
                     "Phổ biến Luật Lực lượng tham gia bảo vệ ANTT", "Thảo luận",
                     "Kết quả:", "Thống nhất kế hoạch năm 2026", "THƯ KÝ", "CHỦ TRÌ"):
        assert expected in text, expected
    assert "Thư ký (người ghi biên bản): ....." in text      # not given: a dotted line
    assert text.rstrip().endswith("Bùi Văn Thắng")           # the chair signs by name
    assert "Hòa Bình, ngày" not in text                      # a biên bản has no date line
    assert "Hội nghị: Hội nghị" not in text                  # the kind is not said twice
    assert "Hội nghị kết thúc vào" in text
    assert _embedded_only(out)


def test_cli_print_attendance_and_minutes(station, tmp_path, capsys):
    ctx, ids = station
    event_id = _event(ctx, ids, ids["people"])
    db = str(ctx.path)
    out = tmp_path / "dd.pdf"
    assert run(["--db", db, "print-attendance", event_id, "--out", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"path": str(out), "pages": 1}
    # by its date, when that day has only this event
    assert run(["--db", db, "print-minutes", "15/03/2026", "--chair", "Bùi Văn Thắng",
                "--content", "Một\\nHai", "--out", str(tmp_path / "bb.pdf"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["pages"] == 1
    text = text_of(tmp_path / "bb.pdf")
    assert "Chủ trì: Bùi Văn Thắng" in text and "Một Hai" in text
    assert run(["--db", db, "print-minutes", "01/01/2020", "--out", str(tmp_path / "n.pdf")]) == 1
    assert "không có sự kiện nào" in capsys.readouterr().err
    assert not (tmp_path / "n.pdf").exists()
    _event(ctx, ids, [])                                   # a second event that day
    assert run(["--db", db, "print-attendance", "15/03/2026", "--out", str(out)]) == 1
    assert "có 2 sự kiện" in capsys.readouterr().err


def test_a_large_model_is_described_in_one_go(station):
    ctx, ids = station
    model = ids["models"][0]
    for i in range(400):
        pid, _ = members.save_person(ctx, Person(full_name=f"Lò Văn {i:03d}",
                                                 birth_date=f"{1950 + i % 50}-01-01"))
        members.save_membership(ctx, Membership(person_id=pid, model_id=model,
                                                role="thanh_vien", join_date="2025-01-01"))
    ids_all = attendance.model_member_ids(ctx, model)
    assert len(ids_all) == 405
    described = attendance.describe(ctx, ids_all, [model], with_roles=True)
    assert len(described) == 405
    assert {d.role for d in described.values()} == {"Thành viên", "Tổ trưởng"}
    event = EventRepo(ctx.store).get(_event(ctx, ids, ids_all, [model]))
    _, people = attendance.event_attendance(ctx, event.id)
    assert [p.person_id for p in people] == attendance.in_name_order(ctx, ids_all)


def test_twins_of_one_year_and_thon_get_their_number_s_last_digits(station):
    ctx, ids = station
    made = [members.save_person(ctx, Person(full_name="Lò Văn Sáng", birth_date="1990-01-01",
                                            residence_unit_id=ids["units"][0],
                                            id_number=number))[0]
            for number in ("035090001234", "035090005678")]
    found = attendance.find(ctx, "lo van sang")
    assert sorted(attendance.labels(found)) == [
        "Lò Văn Sáng — 1990 — Thôn Đồng Tâm — CCCD …1234",
        "Lò Văn Sáng — 1990 — Thôn Đồng Tâm — CCCD …5678"]
    single = attendance.describe(ctx, made[:1])
    assert attendance.labels(list(single.values())) == ["Lò Văn Sáng — 1990 — Thôn Đồng Tâm"]
