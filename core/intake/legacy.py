"""Legacy Vietnamese encodings: TCVN3 (ABC) and VNI-Windows, to and from Unicode NFC.

Lists typed before Unicode keep their text in a legacy font: the bytes are Latin-1
characters that the font draws as Vietnamese letters. Excel stores them as those
Latin-1 characters, so "Nguyễn" typed in ``.VnTime`` arrives as "NguyÔn" and in
``VNI-Times`` as "Nguyeãn".

- TCVN3 (ABC) has one code per lower-case letter with its tone, and capitals only
  for Ă Â Ê Ô Ơ Ư Đ. The capitals font ``.VnTimeH`` draws the same codes as
  capitals (decode with ``capitals=True``). A capital with a tone typed in
  ``.VnTime`` ("¸nh" for "Ánh") comes back in lower case: :func:`lost_capitals`
  finds such words so that they are flagged, never guessed.
- VNI writes a base letter followed by a mark character ("a" + "ø" = "à").

:func:`detect` decides the encoding of a column from its cells' font and from the
text itself (which reading gives Vietnamese syllables); :func:`convert` applies it.
Text holding a Vietnamese letter beyond Latin-1 (ộ, ư, đ, …) is already Unicode and
is never converted.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

ENCODINGS = ("unicode", "tcvn3", "vni", "cp1258")

# Vowels in the order of the tables below, each with its six tones:
# none, sắc (acute), huyền (grave), hỏi (hook), ngã (tilde), nặng (dot below).
_VOWELS = {
    "a": "aáàảãạ", "ă": "ăắằẳẵặ", "â": "âấầẩẫậ", "e": "eéèẻẽẹ", "ê": "êếềểễệ",
    "i": "iíìỉĩị", "o": "oóòỏõọ", "ô": "ôốồổỗộ", "ơ": "ơớờởỡợ", "u": "uúùủũụ",
    "ư": "ưứừửữự", "y": "yýỳỷỹỵ",
}

# TCVN3 (ABC): the code of each lower-case letter, same order as _VOWELS.
_TCVN3_LOWER = {
    "a": "a¸µ¶·¹", "ă": "¨¾»¼½Æ", "â": "©ÊÇÈÉË", "e": "eÐÌÎÏÑ", "ê": "ªÕÒÓÔÖ",
    "i": "iÝ×ØÜÞ", "o": "oãßáâä", "ô": "«èåæçé", "ơ": "¬íêëìî", "u": "uóïñòô",
    "ư": "\xadøõö÷ù", "y": "yýúûüþ",
}
_TCVN3_EXTRA = {"đ": "®", "Ă": "¡", "Â": "¢", "Ê": "£", "Ô": "¤", "Ơ": "¥", "Ư": "¦",
                "Đ": "§"}

# VNI-Windows: the spelling of each lower-case letter, same order as _VOWELS.
_VNI_LOWER = {
    "a": ("a", "aù", "aø", "aû", "aõ", "aï"), "ă": ("aê", "aé", "aè", "aú", "aü", "aë"),
    "â": ("aâ", "aá", "aà", "aå", "aã", "aä"), "e": ("e", "eù", "eø", "eû", "eõ", "eï"),
    "ê": ("eâ", "eá", "eà", "eå", "eã", "eä"), "i": ("i", "í", "ì", "æ", "ó", "ò"),
    "o": ("o", "où", "oø", "oû", "oõ", "oï"), "ô": ("oâ", "oá", "oà", "oå", "oã", "oä"),
    "ơ": ("ô", "ôù", "ôø", "ôû", "ôõ", "ôï"), "u": ("u", "uù", "uø", "uû", "uõ", "uï"),
    "ư": ("ö", "öù", "öø", "öû", "öõ", "öï"), "y": ("y", "yù", "yø", "yû", "yõ", "î"),
}


_TCVN3_ALL: dict[str, str] = {}   # every lower-case letter's code, itself included (ý)


def _tables() -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
    """(unicode->tcvn3, tcvn3->unicode, unicode->vni, vni->unicode)."""
    to_tcvn3, to_vni = {}, {"đ": "ñ", "Đ": "Ñ"}
    for base, letters in _VOWELS.items():
        for letter, tcvn3, vni in zip(letters, _TCVN3_LOWER[base], _VNI_LOWER[base]):
            to_tcvn3[letter] = tcvn3
            to_vni[letter] = vni
            to_vni[letter.upper()] = vni.upper()
    to_tcvn3.update(_TCVN3_EXTRA)
    _TCVN3_ALL.update(to_tcvn3)
    from_tcvn3 = {code: letter for letter, code in to_tcvn3.items() if code != letter}
    from_vni = {code: letter for letter, code in to_vni.items() if code != letter}
    to_tcvn3 = {k: v for k, v in to_tcvn3.items() if k != v}
    to_vni = {k: v for k, v in to_vni.items() if k != v}
    return to_tcvn3, from_tcvn3, to_vni, from_vni


TO_TCVN3, FROM_TCVN3, TO_VNI, FROM_VNI = _tables()
_FROM_TCVN3_TABLE = str.maketrans(FROM_TCVN3)
_VNI_PATTERN = re.compile("|".join(sorted(map(re.escape, FROM_VNI), key=len, reverse=True)))
# Characters a legacy font's text never holds: any letter beyond Latin-1 / cp1252.
_BEYOND_LATIN = re.compile("[^\x00-\xff\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
                           "\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]")


def decode_tcvn3(text: str, *, capitals: bool = False) -> str:
    """TCVN3 text as Unicode NFC (*capitals*: the font is .VnTimeH, drawn in capitals)."""
    result = text.translate(_FROM_TCVN3_TABLE)
    return result.upper() if capitals else result


def encode_tcvn3(text: str) -> str:
    """Unicode text in TCVN3 as a typist would enter it in .VnTime.

    A capital with a tone has no code: it is written with its lower-case code,
    exactly the loss :func:`lost_capitals` flags on the way back.
    """
    out = []
    for ch in unicodedata.normalize("NFC", text):
        code = TO_TCVN3.get(ch)
        if code is None and not ch.isascii() and ch.lower() in _TCVN3_ALL:
            code = _TCVN3_ALL[ch.lower()]
        out.append(code or ch)
    return "".join(out)


def decode_vni(text: str) -> str:
    """VNI-Windows text as Unicode NFC."""
    return _VNI_PATTERN.sub(lambda m: FROM_VNI[m.group(0)], text)


def encode_vni(text: str) -> str:
    """Unicode text in VNI-Windows."""
    return "".join(TO_VNI.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


def is_legacy_candidate(text: str) -> bool:
    """True when *text* could be legacy-encoded: non-ASCII, and nothing beyond Latin-1."""
    return not text.isascii() and _BEYOND_LATIN.search(text) is None


@functools.lru_cache(maxsize=65536)
def convert(text: str, encoding: str, *, capitals: bool = False) -> str:
    """*text* read in *encoding* ("unicode", "tcvn3", "vni"; "cp1258" is decoded
    when the file is read), as Unicode NFC. Text that cannot be legacy (it holds
    Vietnamese letters beyond Latin-1) is left as it is."""
    if encoding == "tcvn3" and (capitals or is_legacy_candidate(text)):
        return unicodedata.normalize("NFC", decode_tcvn3(text, capitals=capitals))
    if encoding == "vni" and is_legacy_candidate(text):
        return unicodedata.normalize("NFC", decode_vni(text))
    return unicodedata.normalize("NFC", text)


def lost_capitals(original: str, converted: str) -> list[str]:
    """Words of a TCVN3 *converted* text whose first letter is a lower-case toned
    vowel: in .VnTime a capital with a tone has no code, so "¸nh" may mean "Ánh".
    Only words the original wrote with such a code are listed."""
    found = []
    for word, source in zip(converted.split(), original.split()):
        first = word[0]
        toned = any(t in unicodedata.normalize("NFD", first) for t in _TONES)
        if first.islower() and toned and _TCVN3_ALL.get(first) == source[0]:
            found.append(word)
    return found


# -- telling Vietnamese from garbled text --------------------------------------------

_TONES = "\u0300\u0301\u0303\u0309\u0323"
_ONSETS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c",
           "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "")
_NUCLEI = frozenset("""a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă
    oe oi ôi ơi ua uâ uê ui uô uơ uy ưa ưi ươ ưu yê uya uyê oai oay oeo uây uôi ươi
    ươu iêu yêu uyu oo uyêu""".split())
_CODAS = ("", "c", "ch", "m", "n", "ng", "nh", "p", "t")
VIETNAMESE_LETTERS = frozenset(
    "".join(_VOWELS.values()) + "bcdđfghjklmnpqrstvwxz"
    + "".join(_VOWELS.values()).upper() + "BCDĐFGHJKLMNPQRSTVWXZ")


@functools.lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """True when *word* (letters only) spells a Vietnamese syllable with one tone at most."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(decomposed.count(t) for t in _TONES) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    if any(c not in VIETNAMESE_LETTERS for c in bare):
        return False
    for onset in _ONSETS:
        if not bare.startswith(onset):
            continue
        rest = bare[len(onset):]
        for coda in _CODAS:
            if rest.endswith(coda) and rest[:len(rest) - len(coda)] in _NUCLEI:
                return True
        if onset == "gi" and (rest == "" or rest in _CODAS):  # gì, gìn
            return True
    return False


_WORD = re.compile(r"[^\s\d.,;:!?()\[\]\"'/\\\-–+*&%#@=_<>|~`^]+")


def implausible_words(text: str) -> int:
    """How many non-ASCII words of *text* are not Vietnamese syllables."""
    return sum(1 for word in _WORD.findall(text)
               if not word.isascii() and not is_syllable(word))


@functools.lru_cache(maxsize=65536)
def garbled_chars(text: str) -> str:
    """The characters of *text* that are neither Vietnamese letters nor ASCII."""
    return "".join(sorted({c for c in text if not c.isascii()
                           and c not in VIETNAMESE_LETTERS}))


# -- per column ----------------------------------------------------------------------

@dataclass
class Detection:
    """The encoding found for one column, how it was found, and samples."""

    encoding: str = "unicode"
    capitals: bool = False          # .VnTimeH: TCVN3 codes drawn as capitals
    reason: str = ""
    ambiguous: bool = False         # the program cannot decide: the user must choose
    candidates: dict[str, int] = field(default_factory=dict)  # encoding -> bad words
    samples: list[tuple[str, str]] = field(default_factory=list)  # (before, after)


def font_encoding(font: str) -> tuple[str | None, bool]:
    """(encoding, capitals) a font name implies: .VnTime → tcvn3, VNI-Times → vni."""
    name = (font or "").strip().lower()
    if name.startswith(".vn") or name.startswith("vn3") or name.startswith("abc"):
        return "tcvn3", name.endswith("h")
    if name.startswith("vni"):
        return "vni", False
    return None, False


def detect(texts: list[str], fonts: Counter | None = None, *, samples: int = 5) -> Detection:
    """Decide the encoding of a column from its texts and its cells' fonts.

    Each reading (Unicode, TCVN3, VNI) is scored by how many words it leaves that
    are not Vietnamese syllables. The text decides when one reading is better;
    the font decides a tie; a column where even the best reading leaves many
    such words, or where two readings differ but score alike, is *ambiguous*.
    """
    hinted, capitals = (None, False)
    if fonts:
        legacy = Counter()
        for font, count in fonts.items():
            enc, caps = font_encoding(font)
            if enc:
                legacy[(enc, caps)] += count
        if legacy and sum(legacy.values()) * 2 >= sum(fonts.values()):
            hinted, capitals = legacy.most_common(1)[0][0]
    doubtful = [t for t in dict.fromkeys(texts) if t and is_legacy_candidate(t)]
    if not doubtful:
        enc = hinted if hinted and capitals else "unicode"
        return Detection(enc, capitals and enc == "tcvn3",
                         "chữ không dấu" if enc == "unicode" else "phông chữ")
    words = sum(len(_WORD.findall(t)) for t in doubtful) or 1
    scores = {enc: sum(implausible_words(convert(t, enc, capitals=capitals and enc == "tcvn3"))
                       for t in doubtful) for enc in ("unicode", "tcvn3", "vni")}
    order = sorted(scores, key=lambda e: (scores[e], e != hinted,
                                          ("unicode", "tcvn3", "vni").index(e)))
    best, second = order[0], order[1]
    found = Detection(best, capitals and best == "tcvn3", candidates=scores)
    found.reason = ("phông chữ và dấu hiệu trong chữ" if best == hinted else "dấu hiệu trong chữ")
    outputs = {enc: [convert(t, enc) for t in doubtful[:50]] for enc in (best, second)}
    if scores[best] * 5 > words:
        found.ambiguous = True
        found.reason = "chữ không đọc được theo bảng mã nào"
    elif scores[best] == scores[second] and outputs[best] != outputs[second] \
            and best != "unicode" and hinted != best:
        found.ambiguous = True
        found.reason = "hai bảng mã cho kết quả khác nhau"
    for text in doubtful[:samples]:
        found.samples.append((text, convert(text, best, capitals=found.capitals)))
    return found
