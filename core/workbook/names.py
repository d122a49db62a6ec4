"""Finding units, models and persons by name, ignoring case and diacritics.

Two records may share a name (a “Tổ hòa giải” in two villages). A reference may
then carry a qualifier in brackets: the parent unit for a unit (“Tổ 1 (Thôn A)”),
one of its units for a model (“Tổ hòa giải (Thôn A)”), the ID number or birth date
for a person (“Nguyễn Văn A (1980)”). The export writes such qualifiers only
where a name alone would be ambiguous.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from core.text import fold

_QUALIFIED = re.compile(r"^(.+?)\s*\(([^()]+)\)\s*$")


@dataclass
class Named:
    """A record known by name; *data* holds what matching needs (parent, units)."""

    id: str
    name: str
    data: object = None
    qualifiers: set[str] = field(default_factory=set)  # folded


class NameIndex:
    """Records by folded name, with qualifiers to tell namesakes apart."""

    def __init__(self, items: Iterable[Named] = ()):
        self.by_fold: dict[str, list[Named]] = defaultdict(list)
        self.by_id: dict[str, Named] = {}
        self._found: dict[str, list[Named]] = {}  # find() answers, until the next change
        for item in items:
            self.add(item)

    def add(self, item: Named) -> None:
        """Add (or replace) a record."""
        self.remove(item.id)
        self.by_fold[fold(item.name)].append(item)
        self.by_id[item.id] = item
        self._found.clear()

    def remove(self, record_id: str) -> None:
        """Forget a record."""
        old = self.by_id.pop(record_id, None)
        if old is not None:
            self.by_fold[fold(old.name)].remove(old)
            self._found.clear()

    def named(self, name: str) -> list[Named]:
        """Records whose folded name is exactly *name*'s."""
        return list(self.by_fold.get(fold(name), ()))

    def find(self, text: str) -> list[Named]:
        """Records matching *text*: by name, else by “name (qualifier)”."""
        if text not in self._found:
            self._found[text] = self._find(text)
        return list(self._found[text])

    def _find(self, text: str) -> list[Named]:
        hits = self.named(text)
        if hits:
            return hits
        match = _QUALIFIED.match(text)
        if not match:
            return []
        wanted = fold(match.group(2))
        return [h for h in self.named(match.group(1)) if wanted in h.qualifiers]


def display_names(items: Iterable[Named], qualifier: Callable[[Named], str]) -> dict[str, str]:
    """Names to write for references: “name (qualifier)” where the name is shared."""
    groups: dict[str, list[Named]] = defaultdict(list)
    for item in items:
        groups[fold(item.name)].append(item)
    shown = {}
    for group in groups.values():
        for item in group:
            extra = qualifier(item) if len(group) > 1 else ""
            shown[item.id] = f"{item.name} ({extra})" if extra else item.name
    return shown
