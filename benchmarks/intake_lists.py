"""Lists for the intake benchmark rows: a station's records written as an officer's list."""
from __future__ import annotations

from pathlib import Path

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Chỗ ở", "SĐT",
          "Mô hình", "Chức vụ"]
ROLE_LABELS = {"to_truong": "Tổ trưởng", "to_pho": "Tổ phó", "thanh_vien": "Tổ viên"}


def records(db) -> list[list]:
    """Every live membership with its person, as the list's rows (in storage order)."""
    rows = db.execute(
        "SELECT p.full_name, p.birth_date, p.gender, p.id_number, p.address, p.phone,"
        " o.name, m.role FROM memberships m JOIN persons p ON p.id = m.person_id"
        " JOIN models o ON o.id = m.model_id WHERE m.deleted = 0 ORDER BY m.rowid").fetchall()
    out = []
    for n, (name, birth, gender, number, address, phone, model, role) in enumerate(rows, 1):
        if birth and len(birth) == 10:
            birth = f"{birth[8:]}/{birth[5:7]}/{birth[:4]}"
        out.append([n, name, birth, {"nam": "Nam", "nu": "Nữ"}.get(gender, ""), number,
                    address, phone, model, ROLE_LABELS.get(role, "Tổ viên")])
    return out


def write_list(path: Path, rows: list[list], *, tcvn3: bool = False) -> Path:
    """An .xlsx list: two title rows, the header on row 4, the rows, a footer."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from core.intake.legacy import encode_tcvn3
    encode = encode_tcvn3 if tcvn3 else (lambda text: text)
    font = Font(name=".VnTime" if tcvn3 else "Times New Roman")
    book = Workbook()
    ws = book.active
    ws.title = "Danh sách"
    ws.append([encode("CÔNG AN XÃ MẪU")])
    ws.append([encode("DANH SÁCH THÀNH VIÊN CÁC MÔ HÌNH")])
    ws.append([])
    ws.append([encode(h) for h in HEADER])
    for row in rows:
        ws.append([encode(v) if isinstance(v, str) else v for v in row])
        if tcvn3:
            for cell in ws[ws.max_row]:
                cell.font = font
    ws.append([encode(f"Tổng cộng: {len(rows)} người")])
    book.save(path)
    return path
