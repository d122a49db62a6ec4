"""Vietnamese text rules: normalisation, search folding, name sorting, dates.

Every piece of text that enters the program (typed, read from Excel, taken from a
package) goes through :func:`clean` so that the database only ever holds NFC.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata

# Combining marks that carry the tone of a Vietnamese syllable, in the order used
# as a tie-break: không dấu < huyền < hỏi < ngã < sắc < nặng.
_TONE_MARKS = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
# Marks that make a letter of its own (ă â ê ô ơ ư).
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}

_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l",
    "m", "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]
# Digits sort before letters; anything else after them. Ranks start above the
# separators used in sort keys so that a shorter word sorts first.
_RANK = {ch: chr(0x30 + i) for i, ch in enumerate("0123456789")}
_RANK.update({ch: chr(0x40 + i) for i, ch in enumerate(_ALPHABET)})
_OTHER_RANK = chr(0x70)



def nfc(value: str) -> str:
    """Return *value* in Unicode NFC."""
    return unicodedata.normalize("NFC", value)


def clean(value: object) -> str:
    """Normalise user text: NFC, trimmed, inner runs of white space collapsed.

    ``None`` becomes the empty string; other objects are converted with ``str``.
    """
    if value is None:
        return ""
    text = str(value)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())  # str.split and regex \s both mean str.isspace


@functools.lru_cache(maxsize=65536)
def fold(value: str) -> str:
    """Fold text for search and matching: no case, no diacritics, đ→d.

    "Nguyễn Văn Đức" and "nguyen van duc" fold alike, and so do the old and new
    tone placements ("Hoà"/"Hòa") because tones are dropped altogether.
    """
    return " ".join(folded for folded in map(_fold_word, value.split()) if folded)


@functools.lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    """:func:`fold` of one word (words repeat: names, places, catalogue labels)."""
    decomposed = unicodedata.normalize("NFD", word)
    kept = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    kept = kept.replace("đ", "d").replace("Đ", "D")
    return " ".join(kept.lower().split())


@functools.lru_cache(maxsize=4096)
def _split_letter(ch: str) -> tuple[str, str]:
    """Split one NFC character into its alphabet letter and its tone digit."""
    parts = unicodedata.normalize("NFD", ch.lower())
    base = parts[0]
    tone = "0"
    letter_marks = ""
    for mark in parts[1:]:
        if mark in _TONE_MARKS:
            tone = _TONE_MARKS[mark]
        elif mark in _LETTER_MARKS:
            letter_marks += mark
    letter = unicodedata.normalize("NFC", base + letter_marks)
    return letter, tone


@functools.lru_cache(maxsize=65536)
def _word_key(text: str) -> tuple[str, str]:
    """Return (letters, tones) keys of a group of words.

    Letters are ranked in the Vietnamese alphabet; each syllable contributes one
    tone digit wherever its mark is placed, so "Hoà" and "Hòa" get the same key.
    """
    letters: list[str] = []
    tones: list[str] = []
    for word in clean(text).split(" "):
        if word:
            word_letters, tone = _one_word_key(word)
            letters.append(word_letters)
            tones.append(tone)
    return "".join(letters), "".join(tones)


@functools.lru_cache(maxsize=65536)
def _one_word_key(word: str) -> tuple[str, str]:
    """(letters, tone) of one word; the letters end with the word boundary."""
    letters: list[str] = []
    tone = "0"
    for ch in word:
        letter, ch_tone = _split_letter(ch)
        letters.append(_RANK.get(letter, _OTHER_RANK))
        if ch_tone != "0":
            tone = ch_tone
    letters.append("\x02")  # word boundary: shorter word first
    return "".join(letters), tone


def name_sort_key(given: str, middle: str = "", family: str = "") -> str:
    """Sort key for a person: tên, then chữ đệm, then họ.

    Each part compares by letters in the Vietnamese alphabet first and by tones
    only when the letters are equal. The key is a plain string, so SQLite can
    store it, index it and sort on it with its default binary collation.
    """
    parts = []
    for part in (given, middle, family):
        letters, tones = _word_key(part)
        parts.append(letters + "\x01" + tones + "\x01")
    return "".join(parts) + "\x00" + clean(f"{given} {middle} {family}")


def text_sort_key(value: str) -> str:
    """Sort key for any Vietnamese text (unit or model names): letters then tones."""
    letters, tones = _word_key(value)
    return letters + "\x01" + tones + "\x00" + clean(value)


def split_full_name(full_name: str) -> tuple[str, str, str]:
    """Split "Nguyễn Thị Ánh" into (họ, chữ đệm, tên) = ("Nguyễn", "Thị", "Ánh")."""
    words = clean(full_name).split(" ")
    words = [w for w in words if w]
    if not words:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def join_name(family: str, middle: str, given: str) -> str:
    """Join họ, chữ đệm, tên into a full name."""
    # Empty or blank parts need no skipping: clean() collapses the spaces they leave.
    return clean(f"{family or ''} {middle or ''} {given or ''}")


# --- dates ------------------------------------------------------------------

class DateError(ValueError):
    """A date that cannot be read or does not exist; the message is Vietnamese."""


_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_YEAR = re.compile(r"^\d{4}$")


def parse_date(value: object, *, allow_year: bool = False) -> str | None:
    """Read a date and return it as ISO text ("2026-01-05"), or None when empty.

    Accepts ``datetime.date``/``datetime``, "dd/mm/yyyy" (also with "-" or "."),
    ISO "yyyy-mm-dd", and with *allow_year* a year alone ("1980" → "1980").
    An impossible date such as 31/02/2026 raises :class:`DateError`; it is never
    silently changed.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if allow_year and float(value).is_integer() and 1000 <= value <= 9999:
            return str(int(value))
        raise DateError(f"“{value}” không phải là ngày (nhập theo dạng dd/mm/yyyy).")
    text = clean(value)
    if not text:
        return None
    if _YEAR.match(text):
        if allow_year:
            if not 1900 <= int(text) <= 2100:
                raise DateError(f"Năm “{text}” không hợp lệ.")
            return text
        raise DateError(f"“{text}” chỉ có năm; cần ngày đầy đủ dạng dd/mm/yyyy.")
    match = _DMY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _ISO.match(text)
        if not match:
            raise DateError(f"“{text}” không phải là ngày (nhập theo dạng dd/mm/yyyy).")
        year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        raise DateError(
            f"Ngày “{text}” không tồn tại (kiểm tra ngày và tháng)."
        ) from None


def format_date(iso: str | None) -> str:
    """Show an ISO date (or a year alone) as dd/mm/yyyy; empty for None."""
    if not iso:
        return ""
    if _YEAR.match(iso):
        return iso
    year, month, day = iso[:10].split("-")
    return f"{day}/{month}/{year}"


def format_moment(value: str | None) -> str:
    """An ISO timestamp as local “dd/mm/yyyy HH:MM” (empty for None)."""
    if not value:
        return ""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%d/%m/%Y %H:%M")


def to_date(iso: str) -> dt.date:
    """Convert stored ISO text to a date (a year alone becomes 1 January)."""
    if _YEAR.match(iso):
        return dt.date(int(iso), 1, 1)
    return dt.date.fromisoformat(iso[:10])


def format_number(value: int | float) -> str:
    """Vietnamese number format: "." for thousands, "," for decimals (1.051; 2,5)."""
    if isinstance(value, float) and not value.is_integer():
        whole, frac = f"{value:,.2f}".split(".")
        return whole.replace(",", ".") + "," + frac.rstrip("0")
    return f"{int(value):,}".replace(",", ".")


def parse_yes_no(value: object) -> bool | None:
    """Read Có/Không (also x, 1, yes, true); None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    folded = fold(str(value))
    if folded in {"co", "x", "1", "yes", "true", "dat", "y"}:
        return True
    if folded in {"khong", "0", "no", "false", "n", "chua"}:
        return False
    raise ValueError(f"“{clean(value)}” không phải Có/Không.")
