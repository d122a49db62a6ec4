"""Explanations shown when the pointer rests on a form field (tooltips).

FormDialog.add_field looks a field up here: first by (form class, field), then by
field alone, so each form gets them without code of its own.
"""
from __future__ import annotations

DECISION_NO = "Số quyết định đúng như ghi trên văn bản, ví dụ: 12/QĐ-UBND."
DATE = "Ngày dạng ngày/tháng/năm, ví dụ 05/03/2026."

BY_FIELD: dict[str, str] = {
    "decision_no": DECISION_NO,
    "decision_date": "Ngày ký quyết định. " + DATE,
    "id_number": "Số định danh cá nhân: 12 chữ số ghi trên thẻ căn cước (căn cước công dân).",
    "old_id_number": "Số chứng minh nhân dân (CMND) cũ: 9 chữ số. Ghi thêm khi người này "
                     "còn giấy tờ mang số cũ; tìm kiếm theo số này cũng được.",
    "birth_date": "Ngày sinh dạng ngày/tháng/năm. Chỉ biết năm sinh thì gõ năm, ví dụ 1975.",
    "advanced": "Đánh dấu khi mô hình đã được cấp có thẩm quyền công nhận là "
                "“điển hình tiên tiến” (ghi cấp công nhận ở ô dưới).",
    "advanced_by": "Cơ quan công nhận điển hình tiên tiến, ví dụ: Cục V05, Công an tỉnh.",
    "register_no": "Số sổ: số thứ tự ghi trong sổ theo dõi khen thưởng, in ở góc giấy khen. "
                   "Để trống thì giấy khen in dòng chấm để ghi tay.",
    "participants": "Tổng số lượt người có mặt tại sự kiện (kể cả người không thuộc mô "
                    "hình). Đây là con số dùng trong báo cáo; có thể lớn hơn số người "
                    "được điểm danh ở trên.",
    "attendee_ids": "Điểm danh (không bắt buộc): chọn các thành viên mô hình có mặt, để "
                    "theo dõi từng người. Không thay cho số lượt người tham gia.",
    "unit_ids": "Thôn, tổ dân phố, cơ quan… nơi mô hình hoạt động (chọn một hoặc nhiều).",
    "residence_since": "Ngày bắt đầu cư trú tại địa phương. " + DATE,
    "households": "Số hộ gia đình của khu dân cư (dùng cho báo cáo).",
    "launch_date": "Ngày tổ chức ra mắt mô hình. " + DATE,
    "quantity": "Số vụ việc, tin báo, người, hộ… tùy loại kết quả.",
    "ethnicity": "Một trong 54 dân tộc Việt Nam. Chọn trong danh sách hoặc gõ vài chữ để "
                 "tìm (gõ không dấu cũng được, ví dụ “e de” → Ê-đê).",
    "religion": "Tôn giáo của người này, ví dụ: Không, Phật giáo, Công giáo, Tin lành, "
                "Cao Đài, Phật giáo Hòa Hảo.",
}

BY_FORM: dict[tuple[str, str], str] = {
    ("ModelForm", "decision_no"): "Số quyết định thành lập mô hình, ví dụ: 12/QĐ-UBND.",
    ("CommendationForm", "decision_no"): "Số quyết định khen thưởng, ví dụ: 102/QĐ-UBND. "
                                         "Giấy khen in theo số quyết định này.",
    ("MembershipDialog", "decision_no"): "Số quyết định công nhận thành viên (nếu có).",
    ("MembershipDialog", "role"): "Chức vụ theo loại mô hình: ở tổ là Tổ trưởng, Tổ phó, "
                                  "Thành viên; ở câu lạc bộ là Chủ nhiệm, Phó chủ nhiệm, "
                                  "Hội viên.",
    ("ResultForm", "unit_id"): "Đơn vị nơi có kết quả. Mỗi kết quả cần ghi đơn vị hoặc mô "
                               "hình (hoặc cả hai).",
}


def tooltip(form: str, field: str) -> str:
    """The explanation of *field* on the form class named *form* ("" if none)."""
    return BY_FORM.get((form, field)) or BY_FIELD.get(field, "")
