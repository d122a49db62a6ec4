"""Vietnamese text rules: NFC, folding, sort keys, names, dates, numbers."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, strategies as st

from core.text import (DateError, clean, fold, format_date, format_number,
                       name_sort_key, parse_date, parse_yes_no, split_full_name,
                       text_sort_key)

VIET = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY" \
       "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ" \
       "ÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ "
viet_text = st.text(alphabet=VIET, min_size=0, max_size=30)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_nfc_and_nfd_lengths_as_in_the_brief():
    assert len(clean(nfd("Nguyễn Thị Ánh"))) == 14
    assert len(nfd("Nguyễn Thị Ánh")) == 18


def test_fold_finds_vietnamese_names():
    assert fold("Nguyễn Văn Đức") == "nguyen van duc"
    assert fold("ĐẶNG THỊ HOÀ") == fold("đặng thị hòa") == "dang thi hoa"
    assert fold("  Thuỷ   ") == fold("Thủy") == "thuy"


@given(viet_text)
def test_fold_ignores_normal_form(text):
    assert fold(nfd(text)) == fold(unicodedata.normalize("NFC", text))


@given(viet_text)
def test_fold_is_idempotent_and_plain_ascii_for_vietnamese(text):
    folded = fold(text)
    assert fold(folded) == folded
    assert folded.isascii()
    assert folded == folded.lower()


@given(viet_text)
def test_fold_ignores_case(text):
    assert fold(text.upper()) == fold(text.lower())


def test_alphabet_order_puts_d_stroke_between_d_and_e():
    words = ["Em", "Đào", "Dung", "Ân", "Ánh", "An", "Ăn", "Bình", "Ơn", "Ôn", "On", "Ưng", "Uyên"]
    ordered = sorted(words, key=lambda w: text_sort_key(w))
    assert ordered == ["An", "Ánh", "Ăn", "Ân", "Bình", "Dung", "Đào", "Em",
                       "On", "Ôn", "Ơn", "Uyên", "Ưng"]
    assert sorted(["Đào", "Zoe"]) == ["Zoe", "Đào"]  # Python's own order is wrong


def test_tones_break_ties_in_the_right_order():
    words = ["mạ", "má", "mã", "mả", "mà", "ma"]
    assert sorted(words, key=text_sort_key) == ["ma", "mà", "mả", "mã", "má", "mạ"]
    # Letters first: "mà" comes before "mác" although à > a.
    assert sorted(["mác", "mà"], key=text_sort_key) == ["mà", "mác"]


def test_names_sort_by_given_then_middle_then_family():
    people = [("Trần", "Văn", "Bình"), ("Nguyễn", "Thị", "An"), ("Lê", "Văn", "An"),
              ("Nguyễn", "Văn", "An"), ("Đỗ", "Thị", "Anh")]
    ordered = sorted(people, key=lambda p: name_sort_key(p[2], p[1], p[0]))
    assert ordered == [("Nguyễn", "Thị", "An"), ("Lê", "Văn", "An"), ("Nguyễn", "Văn", "An"),
                       ("Đỗ", "Thị", "Anh"), ("Trần", "Văn", "Bình")]


@given(viet_text, viet_text, viet_text)
def test_sort_key_ignores_normal_form(given_name, middle, family):
    assert name_sort_key(nfd(given_name), nfd(middle), nfd(family)) == \
        name_sort_key(*(unicodedata.normalize("NFC", x) for x in (given_name, middle, family)))


@given(st.lists(viet_text, min_size=2, max_size=6))
def test_sort_key_order_is_total_and_consistent(words):
    keys = [text_sort_key(w) for w in words]
    ordered = sorted(words, key=text_sort_key)
    assert [text_sort_key(w) for w in ordered] == sorted(keys)


@given(viet_text)
def test_sort_key_primary_part_equals_for_same_fold_letters(word):
    # Two spellings that differ only in tone placement share letters and tones.
    assert text_sort_key("Hoà " + word).split("\x00")[0] == \
        text_sort_key("Hòa " + word).split("\x00")[0]


def test_split_full_name():
    assert split_full_name("Nguyễn Thị Ánh") == ("Nguyễn", "Thị", "Ánh")
    assert split_full_name("  Tôn  Nữ Minh  Châu ") == ("Tôn", "Nữ Minh", "Châu")
    assert split_full_name("Lý Hùng") == ("Lý", "", "Hùng")
    assert split_full_name("Hùng") == ("", "", "Hùng")


@pytest.mark.parametrize("text,expected", [
    ("05/01/2026", "2026-01-05"), ("5/1/2026", "2026-01-05"), ("05-01-2026", "2026-01-05"),
    ("2026-01-05", "2026-01-05"), ("29/02/2024", "2024-02-29"), ("", None),
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31/02/2026", "29/02/2025", "00/01/2026", "12/13/2026",
                                  "hôm qua", "2026"])
def test_impossible_or_unreadable_dates_are_refused(text):
    with pytest.raises(DateError):
        parse_date(text)


def test_year_alone_only_where_allowed():
    assert parse_date("1980", allow_year=True) == "1980"
    assert parse_date(1980, allow_year=True) == "1980"
    assert format_date("1980") == "1980"
    assert format_date("2026-01-05") == "05/01/2026"


def test_numbers_use_dot_for_thousands():
    assert format_number(1051) == "1.051"
    assert format_number(350000) == "350.000"
    assert format_number(2.5) == "2,5"


def test_yes_no():
    assert parse_yes_no("Có") is True and parse_yes_no("khong") is False
    assert parse_yes_no("") is None
    with pytest.raises(ValueError):
        parse_yes_no("có lẽ")
