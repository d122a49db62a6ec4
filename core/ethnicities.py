"""The official list of Vietnam's 54 ethnic groups (Dân tộc), from ``resources/``.

Every entry point checks a Dân tộc against it the same way: the form offers the
list (with completion), and the data workbook and the list intake take a value
only when it matches an entry or one of its other spellings, ignoring case, tone
marks, hyphens, apostrophes and spaces (“Ê Đê”, “Êđê” and “ê-đê” are “Ê-đê”).
"""
from __future__ import annotations

import functools

from core import text
from core.resources import resource_path

FILE = "ethnic_groups.txt"


def _key(value: str) -> str:
    """The folded form two spellings of one name share."""
    folded = text.fold(value.replace("-", " ").replace("'", " ").replace("’", " "))
    return folded.replace(" ", "")


@functools.lru_cache(maxsize=1)
def _table() -> tuple[tuple[str, ...], dict[str, str], dict[str, tuple[str, ...]]]:
    names: list[str] = []
    keys: dict[str, str] = {}
    spellings_of: dict[str, tuple[str, ...]] = {}
    for line in resource_path(FILE).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        spellings = [text.clean(part) for part in line.split("|")]
        names.append(spellings[0])
        spellings_of[spellings[0]] = tuple(spellings)
        for spelling in spellings:
            keys.setdefault(_key(spelling), spellings[0])
    return tuple(names), keys, spellings_of


def search_text(name: str) -> str:
    """What a name is found by when typed without tone marks: its spellings, folded."""
    spellings = _table()[2].get(name, (name,))
    found = [form for s in spellings for form in (text.fold(s), _key(s))]
    return " ".join(dict.fromkeys(found))


def names() -> tuple[str, ...]:
    """The 54 official names, in the official order (Kinh first)."""
    return _table()[0]


def match(value: str | None) -> str | None:
    """The official name *value* stands for, or None (also for an empty value)."""
    if not value or not value.strip():
        return None
    return _table()[1].get(_key(value))


def problem(value: str | None) -> str | None:
    """Why *value* is not a Dân tộc of the official list (None when empty or known)."""
    if not value or not value.strip() or match(value):
        return None
    return (f"Dân tộc “{value[:40]}” không có trong danh mục 54 dân tộc Việt Nam; "
            "hãy ghi đúng tên dân tộc (ví dụ: Kinh, Tày, Ê-đê, Mông).")
