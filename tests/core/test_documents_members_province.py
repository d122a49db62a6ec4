"""At a province the member list names each member's commune, commune by commune (#17);
a commune's list keeps its columns."""
from __future__ import annotations

import docx
import pytest
from docdata import make_station, seed
from pdfcheck import text_of, unembedded_fonts

from core.documents.members import PERSON_COLUMNS, list_columns, members_list_pdf
from core.documents.members_docx import members_list_docx
from core.exchange import export_package, import_files
from core.station import init_station
from tests.core.exchange_support import commune, fill

COMMUNE_HEAD = [t for t, _ in PERSON_COLUMNS] + ["Mô hình (chức danh)"]


@pytest.fixture
def province_with_two(tmp_path):
    """Công an tỉnh Phú Thọ took in the packages of X01 (3 members) and X02 (4 members)."""
    prov = init_station(tmp_path / "T01.sqlite3", level="tinh", code="T01",
                        name="Công an tỉnh Phú Thọ")
    down = tmp_path / "down.antq"
    export_package(prov, down)
    people = {}
    opened = []
    # X02 first: the order the packages arrive in must not be the order printed
    for code, seed_no, count in (("X02", 2, 4), ("X01", 1, 3)):
        station = commune(tmp_path, code)
        opened.append(station)
        import_files(station, [down], trust_new=True)
        people[code] = [p["full_name"] for p in fill(station, seed=seed_no, persons=count,
                                                     events=1)["people"]]
        up = tmp_path / f"{code}-1.antq"
        export_package(station, up)
        [result] = import_files(prov, [up], trust_new=True)
        assert result.status == "applied"
    yield prov, people
    prov.close()
    for station in opened:
        station.close()


def test_province_pdf_names_each_members_commune_in_commune_order(province_with_two, tmp_path):
    prov, people = province_with_two
    path, _ = members_list_pdf(prov, tmp_path / "tn.pdf")
    assert unembedded_fonts(path) == []
    text = text_of(path)
    flat = " ".join(text.split())
    assert "7 người" in flat and "xếp theo xã" in flat
    assert "Xã" in text.split()                         # the column's head
    # each row carries its commune's name, never the bare code alone
    assert text.count("X01") == 3 and text.count("X02") == 4
    assert flat.count("Công an xã") == 7
    # X01's members all come before X02's (by commune name, not by arrival)
    last_x01 = max(flat.index(name.split()[-1]) for name in people["X01"])
    first_x02 = min(flat.index(name.split()[-1]) for name in people["X02"])
    assert last_x01 < first_x02
    assert flat.index("X01") < flat.index("X02")


def test_province_docx_has_a_commune_cell_on_every_row(province_with_two, tmp_path):
    prov, people = province_with_two
    path = members_list_docx(prov, tmp_path / "tn.docx")
    table = docx.Document(path).tables[0]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0][:2] == ["STT", "Xã"] and rows[0][2:] == COMMUNE_HEAD[1:]
    by_name = {row[2]: row[1] for row in rows[1:]}
    assert by_name == {**{n: "Công an xã X01" for n in people["X01"]},
                       **{n: "Công an xã X02" for n in people["X02"]}}
    communes = [row[1] for row in rows[1:]]
    assert communes == sorted(communes)                  # grouped, X01 first
    assert [row[0] for row in rows[1:]] == [str(i) for i in range(1, 8)]


def test_a_communes_list_has_no_commune_column(tmp_path):
    ctx = make_station(tmp_path)
    seed(ctx)
    assert [t for t, _ in list_columns(False, False)] == COMMUNE_HEAD
    assert sum(w for _, w in list_columns(True, True)) == pytest.approx(
        sum(w for _, w in list_columns(True, False)))  # the same page width either way
    path = members_list_docx(ctx, tmp_path / "tn.docx")
    head = [c.text for c in docx.Document(path).tables[0].rows[0].cells]
    assert head == COMMUNE_HEAD
    pdf, _ = members_list_pdf(ctx, tmp_path / "tn.pdf")
    text = text_of(pdf)
    assert "Xã" not in text.split() and "xếp theo tên" in " ".join(text.split())
    assert unembedded_fonts(pdf) == []
    ctx.close()
