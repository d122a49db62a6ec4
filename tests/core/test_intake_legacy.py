"""TCVN3 and VNI tables, both directions, and detecting a column's encoding."""
from __future__ import annotations

import unicodedata
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from core.intake import legacy

BASES = "aăâeêioôơuưy"
TONES = ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]
# Every Vietnamese vowel with every tone, đ, and the plain consonants, built from
# Unicode itself (not from the module's tables).
VOWELS = [unicodedata.normalize("NFC", unicodedata.normalize("NFD", b) + t)
          for b in BASES for t in TONES]
LOWER = VOWELS + ["đ"] + list("bcdghklmnpqrstvx")
TCVN3_CAPITALS = ["Ă", "Â", "Ê", "Ô", "Ơ", "Ư", "Đ"]
WORDS = st.lists(st.sampled_from(LOWER), min_size=1, max_size=7).map("".join)
TEXT = st.lists(WORDS, min_size=1, max_size=5).map(" ".join)


def test_every_vowel_with_every_tone_has_a_code():
    assert len(VOWELS) == 72
    for letter in VOWELS + ["đ"] + TCVN3_CAPITALS:
        assert legacy.decode_tcvn3(legacy.encode_tcvn3(letter)) == letter
        assert legacy.decode_vni(legacy.encode_vni(letter)) == letter
        assert legacy.decode_vni(legacy.encode_vni(letter.upper())) == letter.upper()
    codes = {legacy.encode_tcvn3(v) for v in VOWELS}
    assert len(codes) == 72                     # no two letters share a code


def test_known_samples_of_the_contract():
    assert legacy.decode_tcvn3("NguyÔn V¨n Hßa") == "Nguyễn Văn Hòa"
    assert legacy.decode_vni("Nguyeãn Vaên Hoøa") == "Nguyễn Văn Hòa"
    assert legacy.decode_tcvn3("®éi tù qu¶n") == "đội tự quản"
    assert legacy.decode_vni("Ñoäi töï quaûn") == "Đội tự quản"
    assert legacy.decode_tcvn3("tr­êng", capitals=True) == "TRƯỜNG"


@settings(max_examples=300)
@given(TEXT)
def test_tcvn3_round_trip_lower_case(text):
    assert legacy.decode_tcvn3(legacy.encode_tcvn3(text)) == text
    assert legacy.decode_tcvn3(legacy.encode_tcvn3(text), capitals=True) == text.upper()


@settings(max_examples=300)
@given(TEXT)
def test_vni_round_trip_any_case(text):
    for variant in (text, text.upper(), text.title()):
        assert legacy.decode_vni(legacy.encode_vni(variant)) == variant


@settings(max_examples=200)
@given(TEXT)
def test_tcvn3_capital_with_tone_comes_back_lower_and_is_flagged(text):
    titled = " ".join(w[:1].upper() + w[1:] for w in text.split(" "))
    back = legacy.decode_tcvn3(legacy.encode_tcvn3(titled))
    assert back.lower() == titled.lower()
    lost = legacy.lost_capitals(legacy.encode_tcvn3(titled), back)
    expected = [w for w in back.split(" ") if w[0].islower()]
    assert lost == expected
    for word in lost:
        assert word[0].upper() not in TCVN3_CAPITALS


def test_detection_by_text_and_by_font():
    names = ["Nguyễn Văn Hòa", "Trần Thị Lan", "Phạm Đức Thắng", "Lê Thị Hường"]
    tcvn3 = legacy.detect([legacy.encode_tcvn3(n) for n in names])
    vni = legacy.detect([legacy.encode_vni(n) for n in names])
    assert (tcvn3.encoding, vni.encoding) == ("tcvn3", "vni")
    assert not tcvn3.ambiguous and not vni.ambiguous
    assert [after for _, after in tcvn3.samples] == names
    assert legacy.detect(names).encoding == "unicode"
    capitals = legacy.detect([legacy.encode_tcvn3(n.lower()) for n in names],
                             Counter({".VnTimeH": 4}))
    assert capitals.encoding == "tcvn3" and capitals.capitals
    assert [after for _, after in capitals.samples] == [n.upper() for n in names]
    # Unicode typed in a cell still formatted .VnTime: the text wins over the font.
    assert legacy.detect(names, Counter({".VnTime": 4})).encoding == "unicode"


def test_text_no_table_reads_is_ambiguous():
    found = legacy.detect(["Ø¸Ø¸ µ¶·", "ÞÞÞ ¹¹"])
    assert found.ambiguous


def test_unicode_beyond_latin_is_never_converted():
    for text in ("Nguyễn Văn Hòa", "Đội", "ươ"):
        assert legacy.convert(text, "tcvn3") == text
        assert legacy.convert(text, "vni") == text


def test_garbled_characters_are_found():
    assert set(legacy.garbled_chars("NguyÔn V¨n Hßa")) == {"ß", "¨"}
    assert legacy.garbled_chars("Nguyễn Văn Hòa") == ""
