"""List queries for the window: ordered ids for a filter, then display rows.

A list screen first asks :func:`list_ids` for the ids that match its search and
filters, in order (all in SQL), and later loads display rows for the batch of ids
it is about to show with :func:`load_rows`. Sorting re-runs :func:`list_ids`.
Each :class:`ListSpec` names its columns with the SQL that shows and sorts them.
"""
from __future__ import annotations

import dataclasses

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.activity import (
    TODAY_SQL,
    membership_active_sql,
    membership_dates_sql,
    membership_left_sql,
    register_today,
    sql_day,
)
from core.catalog import (
    AUTHORITIES,
    CLUB_ROLE_LABELS,
    CLUB_TYPES,
    COMMENDATION_FORMS,
    EVENT_TYPES,
    MODEL_STATUSES,
    RESULT_TYPES,
    ROLES,
    UNIT_TYPES,
    Catalog,
)
from core.text import fold, format_date, format_number, text_sort_key

if TYPE_CHECKING:   # sqlite-utils loads on first use (see core.db.LazyDatabase)
    from sqlite_utils import Database

FilterBuilder = Callable[[dict], tuple[list[str], list]]


@dataclass(frozen=True)
class Column:
    """One column of a list: header, SQL to show it, SQL to sort on, display kind."""

    key: str
    header: str
    expr: str
    sort: str = ""
    kind: str = "text"  # text | date | number | bool

    @property
    def sort_expr(self) -> str:
        """What ORDER BY uses for this column."""
        return self.sort or self.expr


SearchBuilder = Callable[[str], tuple[list[str], list]]
SourceBuilder = Callable[[str], tuple[str, list]]


@dataclass(frozen=True)
class ListSpec:
    """A list screen's query: table (aliased ``t``), columns, search and filters.

    *search* is the folded text column every typed word must appear in; a list
    with *terms* turns the typed text into its own conditions instead, and with
    *source* into its own FROM clause (the table still aliased ``t``).
    """

    name: str
    table: str
    columns: tuple[Column, ...]
    search: str
    default_sort: int = 0
    filters: FilterBuilder = field(default=lambda values: ([], []))
    terms: SearchBuilder | None = None
    source: SourceBuilder | None = None

    def from_clause(self, search: str) -> tuple[str, list]:
        """The FROM clause of a query for *search* (and its parameters)."""
        if self.source is None:
            return f"{self.table} t", []
        return self.source(search or "")


def label_case(expr: str, catalog: Catalog) -> str:
    """SQL that turns a catalogue code into its Vietnamese label."""
    whens = " ".join(f"WHEN {_quote(i.code)} THEN {_quote(i.label)}" for i in catalog.items)
    return f"(CASE {expr} {whens} ELSE {expr} END)"


def role_title_case(role: str, model_type: str) -> str:
    """SQL for the title of a role in a model of a type: as :func:`core.catalog.role_label`
    (a câu lạc bộ's Chủ nhiệm / Phó chủ nhiệm / Hội viên, by code or by the type's label)."""
    label = f"(SELECT mt.label FROM model_types mt WHERE mt.code = {model_type})"
    club = " OR ".join([f"{model_type} IN ({', '.join(map(_quote, sorted(CLUB_TYPES)))})",
                        f"{label} LIKE 'Câu lạc bộ%'", f"{label} LIKE 'CLB%'"])
    whens = " ".join(f"WHEN {_quote(code)} THEN {_quote(title)}"
                     for code, title in CLUB_ROLE_LABELS.items())
    return (f"(CASE WHEN {club} THEN (CASE {role} {whens} ELSE {role} END)"
            f" ELSE {label_case(role, ROLES)} END)")


def order_case(expr: str, catalog: Catalog) -> str:
    """SQL that orders catalogue codes in catalogue order."""
    whens = " ".join(f"WHEN {_quote(i.code)} THEN {n}" for n, i in enumerate(catalog.items))
    return f"(CASE {expr} {whens} ELSE 999 END)"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@functools.lru_cache(maxsize=65536)
def _sort_key(value: str | None) -> str:
    return text_sort_key(value or "")


@functools.lru_cache(maxsize=65536)
def _fold(value: str | None) -> str:
    return fold(value or "")


def ensure_functions(db: Database) -> None:
    """Register the SQL helpers the lists use (folding and Vietnamese ordering)."""
    conn = db.conn
    conn.create_function("antq_fold", 1, _fold, deterministic=True)
    conn.create_function("antq_sort", 1, _sort_key, deterministic=True)
    register_today(conn)


# -- filters ------------------------------------------------------------------

def _date_range(values: dict, column: str = "t.date") -> tuple[list[str], list]:
    where, params = [], []
    if values.get("date_from"):
        where.append(f"{column} >= ?")
        params.append(values["date_from"])
    if values.get("date_to"):
        where.append(f"{column} <= ?")
        params.append(values["date_to"])
    return where, params


def _equal(values: dict, key: str, column: str) -> tuple[list[str], list]:
    if values.get(key):
        return [f"{column} = ?"], [values[key]]
    return [], []


def _model_filters(values: dict) -> tuple[list[str], list]:
    where, params = [], []
    for w, p in (_equal(values, "type", "t.type"), _equal(values, "status", "t.status")):
        where += w
        params += p
    if values.get("unit_id"):
        where.append("EXISTS (SELECT 1 FROM model_units mu WHERE mu.model_id = t.id"
                     " AND mu.unit_id = ?)")
        params.append(values["unit_id"])
    return where, params


def _person_filters(values: dict) -> tuple[list[str], list]:
    """Persons with at least one membership matching every membership filter."""
    cond, params = ["ms.person_id = t.id", "ms.deleted = 0"], []
    if values.get("model_id"):
        cond.append("ms.model_id = ?")
        params.append(values["model_id"])
    if values.get("role"):
        cond.append("ms.role = ?")
        params.append(values["role"])
    today = sql_day()     # the station's local date (core.activity), not SQLite's UTC one
    if values.get("state") == "active":
        cond.append(membership_dates_sql(today))
    elif values.get("state") == "left":
        cond.append(membership_left_sql(today))
    if values.get("model_type") or values.get("unit_id"):
        inner, inner_params = ["m.id = ms.model_id", "m.deleted = 0"], []
        if values.get("model_type"):
            inner.append("m.type = ?")
            inner_params.append(values["model_type"])
        if values.get("unit_id"):
            inner.append("EXISTS (SELECT 1 FROM model_units mu WHERE mu.model_id = m.id"
                         " AND mu.unit_id = ?)")
            inner_params.append(values["unit_id"])
        cond.append(f"EXISTS (SELECT 1 FROM models m WHERE {' AND '.join(inner)})")
        params += inner_params
    if len(cond) == 2:
        return [], []
    return [f"EXISTS (SELECT 1 FROM memberships ms WHERE {' AND '.join(cond)})"], params


def _dated_filters(values: dict) -> tuple[list[str], list]:
    where, params = _date_range(values)
    for w, p in (_equal(values, "type", "t.type"), _equal(values, "unit_id", "t.unit_id")):
        where += w
        params += p
    return where, params


def _commendation_filters(values: dict) -> tuple[list[str], list]:
    where, params = _date_range(values, "t.decision_date")
    for w, p in (_equal(values, "form", "t.form"),
                 _equal(values, "recipient_kind", "t.recipient_kind"),
                 _equal(values, "decision_no", "t.decision_no")):
        where += w
        params += p
    return where, params


# -- searching persons by name, ID number or phone --------------------------------

MIN_DIGITS = 4      # fewer typed digits than this are not looked up as a number
_DIGITS = re.compile(r"\d+")
_NUMBER_TEXT = re.compile(r"^[\d\s.\-+()]*$")
# A phone number as digits only: the expression of the index persons_phone_tail
# (migration 0011); a query must write it exactly so for SQLite to use the index.
PHONE_DIGITS = ("replace(replace(replace(replace(replace(replace(t.phone, ' ', ''),"
                " '.', ''), '-', ''), '(', ''), ')', ''), '+', '')")


def split_person_search(text: str) -> tuple[list[str], str]:
    """(folded name words, digits) of what was typed in a person search.

    Text without letters is one number: its digits joined (spaces, dots, dashes
    ignored: “0912.345.678”). Otherwise every word is a name word, except a word
    of digits alone, which is the number. Fewer than :data:`MIN_DIGITS` digits
    are no number (they would match thousands of persons).
    """
    text = text or ""
    if _NUMBER_TEXT.match(text):
        digits = "".join(_DIGITS.findall(text))
        return ([], digits) if len(digits) >= MIN_DIGITS else (fold(text).split(), "")
    words, digits = [], ""
    for word in fold(text).split():
        if word.isdigit() and len(word) >= MIN_DIGITS and not digits:
            digits = word
        else:
            words.append(word)
    return words, digits


def number_matches(digits: str) -> tuple[str, list]:
    """A query of the rowids of persons whose CCCD, old CMND or phone is *digits*
    or ends with them.

    Each branch is an equality on the last four digits, which the expression
    indexes of migration 0011 answer (a handful of rows out of 170,000), then
    the full ending. A whole mobile number typed with its leading 0 also finds
    the number stored as +84….
    """
    tail = digits[-MIN_DIGITS:]
    phone = digits[1:] if len(digits) >= 10 and digits.startswith("0") else digits
    phone_sql = PHONE_DIGITS.replace("t.", "p.")
    sql = ("SELECT p.rowid FROM persons p WHERE substr(p.id_number, -4) = ?"
           " AND p.id_number LIKE ?"
           " UNION SELECT p.rowid FROM persons p WHERE substr(p.old_id_number, -4) = ?"
           " AND p.old_id_number LIKE ?"
           f" UNION SELECT p.rowid FROM persons p WHERE substr({phone_sql}, -4) = ?"
           f" AND {phone_sql} LIKE ?")
    return sql, [tail, "%" + digits, tail, "%" + digits, tail, "%" + phone]


def person_source(text: str) -> tuple[str, list]:
    """FROM clause of a person search: with a number, only the persons it matches.

    The matches come first (CROSS JOIN keeps that order), so SQLite looks the
    few rows up by rowid and sorts them, instead of walking the whole
    name-ordered index and testing every person.
    """
    _, digits = split_person_search(text)
    if not digits:
        return "persons t", []
    sql, params = number_matches(digits)
    return f"({sql}) hit CROSS JOIN persons t ON t.rowid = hit.rowid", params


def person_terms(text: str) -> tuple[list[str], list]:
    """The name conditions of a person search (folded words; see :func:`person_source`)."""
    words, _ = split_person_search(text)
    return ["t.name_fold LIKE ? ESCAPE '\\'" for _ in words], [_like(w) for w in words]


# -- the lists ----------------------------------------------------------------

# True for a type of the shared catalogue: seeded (empty owner) or the province's
# (this station when it is the province, the pinned province at a commune).
SHARED_TYPE_SQL = ("(mt.owner = '' OR mt.owner IN (SELECT code FROM station WHERE level = 'tinh')"
                   " OR mt.owner IN (SELECT code FROM peers WHERE level = 'tinh'))")


def type_column_sql(column: str, model: str = "t") -> str:
    """The catalogue's *column* (label, sort_order) for the type of *model*.

    A code is unique per owner only (a commune may use a code another commune
    uses too): the shared catalogue's row wins, then the model's own commune's,
    then the first owner by code order. (SQLite refuses an outer column in a
    subquery's ORDER BY, hence three lookups.)
    """
    base = f"SELECT mt.{column} FROM model_types mt WHERE mt.code = {model}.type AND mt.deleted = 0"
    return (f"COALESCE(({base} AND {SHARED_TYPE_SQL} ORDER BY mt.owner LIMIT 1),"
            f" ({base} AND mt.owner = {model}.owner),"
            f" ({base} ORDER BY mt.owner LIMIT 1))")


_UNIT_NAME = "(SELECT u.name FROM units u WHERE u.id = t.unit_id)"
_MODEL_UNITS = ("(SELECT group_concat(name, ', ') FROM (SELECT u.name FROM model_units mu"
                " JOIN units u ON u.id = mu.unit_id WHERE mu.model_id = t.id"
                " AND u.deleted = 0 ORDER BY antq_sort(u.name)))")
_MODEL_MEMBERS = ("(SELECT COUNT(*) FROM memberships ms WHERE ms.model_id = t.id"
                  f" AND {membership_active_sql(TODAY_SQL)})")
_PERSON_MODELS = ("(SELECT group_concat(name, '; ') FROM (SELECT m.name FROM memberships ms"
                  " JOIN models m ON m.id = ms.model_id WHERE ms.person_id = t.id"
                  " AND ms.deleted = 0 AND m.deleted = 0 ORDER BY antq_sort(m.name)))")
_PERSON_ROLES = (f"(SELECT replace(group_concat(DISTINCT {role_title_case('ms.role', 'm.type')}),"
                 " ',', ', ')"
                 " FROM memberships ms JOIN models m ON m.id = ms.model_id"
                 " WHERE ms.person_id = t.id AND ms.deleted = 0 AND m.deleted = 0)")
_RECIPIENT = ("(CASE t.recipient_kind"
              " WHEN 'person' THEN (SELECT full_name FROM persons WHERE id = t.recipient_id)"
              " WHEN 'model' THEN (SELECT name FROM models WHERE id = t.recipient_id)"
              " ELSE (SELECT name FROM units WHERE id = t.recipient_id) END)")

MODELS = ListSpec(
    "models", "models",
    (Column("name", "Tên mô hình", "t.name", "antq_sort(t.name)"),
     Column("type", "Loại", type_column_sql("label"),
            type_column_sql("sort_order")),
     Column("units", "Đơn vị", _MODEL_UNITS, f"antq_sort({_MODEL_UNITS})"),
     Column("members", "Số thành viên", _MODEL_MEMBERS, kind="number"),
     Column("status", "Tình trạng", label_case("t.status", MODEL_STATUSES),
            order_case("t.status", MODEL_STATUSES)),
     Column("launch_date", "Ngày ra mắt", "t.launch_date", kind="date"),
     Column("advanced", "Điển hình tiên tiến", "t.advanced", kind="bool")),
    search="t.name_fold", filters=_model_filters)

PERSONS = ListSpec(
    "persons", "persons",
    (Column("full_name", "Họ và tên", "t.full_name", "t.sort_key"),
     Column("birth_date", "Ngày sinh", "t.birth_date", kind="date"),
     Column("gender", "Giới tính", "(CASE t.gender WHEN 'nam' THEN 'Nam'"
            " WHEN 'nu' THEN 'Nữ' ELSE '' END)"),
     Column("models", "Mô hình", _PERSON_MODELS),
     Column("roles", "Chức vụ", _PERSON_ROLES),
     Column("phone", "Điện thoại", "t.phone"),
     Column("address", "Địa chỉ", "t.address", "antq_sort(t.address)"),
     Column("id_number", "Số CCCD", "t.id_number")),
    search="t.name_fold", filters=_person_filters, terms=person_terms,
    source=person_source)

EVENTS = ListSpec(
    "events", "events",
    (Column("date", "Ngày", "t.date", kind="date"),
     Column("type", "Loại", label_case("t.type", EVENT_TYPES), order_case("t.type", EVENT_TYPES)),
     Column("title", "Nội dung", "t.title", "antq_sort(t.title)"),
     Column("unit", "Đơn vị", _UNIT_NAME, f"antq_sort({_UNIT_NAME})"),
     Column("participants", "Lượt người tham gia", "t.participants", kind="number"),
     Column("organiser", "Đơn vị tổ chức", "t.organiser")),
    search="t.title_fold", default_sort=0, filters=_dated_filters)

RESULTS = ListSpec(
    "results", "results",
    (Column("date", "Ngày", "t.date", kind="date"),
     Column("type", "Loại kết quả", label_case("t.type", RESULT_TYPES),
            order_case("t.type", RESULT_TYPES)),
     Column("quantity", "Số lượng", "t.quantity", kind="number"),
     Column("unit", "Đơn vị", _UNIT_NAME, f"antq_sort({_UNIT_NAME})"),
     Column("model", "Mô hình", "(SELECT name FROM models WHERE id = t.model_id)"),
     Column("description", "Mô tả", "t.description")),
    search="antq_fold(COALESCE(t.description, '') || ' ' || "
           f"COALESCE({_UNIT_NAME}, ''))",
    filters=_dated_filters)

COMMENDATIONS = ListSpec(
    "commendations", "commendations",
    (Column("decision_date", "Ngày quyết định", "t.decision_date", kind="date"),
     Column("decision_no", "Số quyết định", "t.decision_no"),
     Column("form", "Hình thức", label_case("t.form", COMMENDATION_FORMS),
            order_case("t.form", COMMENDATION_FORMS)),
     Column("recipient", "Được khen", _RECIPIENT, f"antq_sort({_RECIPIENT})"),
     Column("authority", "Cấp khen", label_case("t.authority", AUTHORITIES)),
     Column("achievement", "Thành tích", "t.achievement")),
    search=f"antq_fold(COALESCE({_RECIPIENT}, '') || ' ' || t.achievement"
           " || ' ' || t.decision_no)",
    filters=_commendation_filters)

# At a province: which commune a record came from, by its official (or pinned) name.
def owner_name_sql(owner: str) -> str:
    """SQL naming the station whose code is the column *owner*: official, pinned, own, code."""
    return (f"COALESCE((SELECT name FROM admin_units WHERE code = {owner}),"
            f" (SELECT name FROM peers WHERE code = {owner}),"
            f" (SELECT name FROM station WHERE code = {owner}), {owner})")


_OWNER_NAME = owner_name_sql("t.owner")


def with_commune_column(spec: ListSpec) -> ListSpec:
    """The province's version of a list: a “Xã” column (the sending commune) at the end."""
    column = Column("owner", "Xã", _OWNER_NAME, f"antq_sort({_OWNER_NAME})")
    return dataclasses.replace(spec, name=f"{spec.name}_tinh", columns=spec.columns + (column,))


SPECS = {s.name: s for s in (MODELS, PERSONS, EVENTS, RESULTS, COMMENDATIONS)}


def _where(spec: ListSpec, search: str, filters: dict | None) -> tuple[str, list]:
    """The WHERE clause (and its parameters) of a list's search and filters."""
    where, params = ["t.deleted = 0"], []
    if spec.terms is not None:
        terms, term_params = spec.terms(search or "")
        where += terms
        params += term_params
    for word in () if spec.terms is not None else fold(search or "").split():
        where.append(f"{spec.search} LIKE ? ESCAPE '\\'")
        params.append(_like(word))
    extra, extra_params = spec.filters(filters or {})
    if (filters or {}).get("owner"):            # province: one commune's records
        extra = [*extra, "t.owner = ?"]
        extra_params = [*extra_params, filters["owner"]]
    where += extra
    params += extra_params
    return " AND ".join(where), params


def list_ids(db: Database, spec: ListSpec, *, search: str = "",
             filters: dict | None = None, sort: int | None = None,
             descending: bool = False, limit: int | None = None,
             offset: int = 0) -> list[str]:
    """Ids of live records matching *search* (every word, folded) and *filters*.

    With *limit*, only the first ids in order (a first screen: SQLite stops
    scanning the ordered index once it has found enough); *offset* skips that
    many ids first (the next screens).
    """
    ensure_functions(db)
    source, params = spec.from_clause(search)
    where, more = _where(spec, search, filters)
    params = [*params, *more]
    column = spec.columns[spec.default_sort if sort is None else sort]
    direction = "DESC" if descending else "ASC"
    sql = (f"SELECT t.id FROM {source} WHERE {where}"
           f" ORDER BY {column.sort_expr} {direction}, t.id {direction}")
    if limit is not None or offset:
        sql += f" LIMIT {-1 if limit is None else int(limit)} OFFSET {int(offset)}"
    return [r[0] for r in db.execute(sql, params).fetchall()]


def count_ids(db: Database, spec: ListSpec, *, search: str = "",
              filters: dict | None = None) -> int:
    """How many live records match *search* and *filters* (what list_ids would return)."""
    ensure_functions(db)
    source, params = spec.from_clause(search)
    where, more = _where(spec, search, filters)
    return db.execute(f"SELECT COUNT(*) FROM {source} WHERE {where}",
                      [*params, *more]).fetchone()[0]


def count_all(db: Database, spec: ListSpec) -> int:
    """How many live records the list could show without search or filters."""
    return db.execute(f"SELECT COUNT(*) FROM {spec.table} WHERE deleted = 0").fetchone()[0]


def load_rows(db: Database, spec: ListSpec, ids: list[str]) -> dict[str, tuple[str, ...]]:
    """Display rows (Vietnamese text, dd/mm/yyyy, 1.051) for a batch of ids."""
    if not ids:
        return {}
    ensure_functions(db)
    exprs = ", ".join(c.expr for c in spec.columns)
    found: dict[str, tuple[str, ...]] = {}
    for start in range(0, len(ids), 500):
        batch = ids[start:start + 500]
        marks = ", ".join("?" for _ in batch)
        for row in db.execute(f"SELECT t.id, {exprs} FROM {spec.table} t"
                              f" WHERE t.id IN ({marks})", batch).fetchall():
            found[row[0]] = tuple(_show(c, v) for c, v in zip(spec.columns, row[1:]))
    return found


def _show(column: Column, value: object) -> str:
    if value is None:
        return ""
    if column.kind == "date":
        return format_date(str(value))
    if column.kind == "number":
        return format_number(value)
    if column.kind == "bool":
        return "Có" if value else ""
    return str(value)


# -- choices for forms and filters -------------------------------------------

@dataclass(frozen=True)
class UnitRow:
    """A unit as the tree and the pickers show it."""

    id: str
    name: str
    type: str
    parent_id: str | None
    head: str
    households: int | None
    owner: str = ""

    @property
    def type_label(self) -> str:
        """The unit type's Vietnamese label."""
        return UNIT_TYPES.label(self.type)


def unit_rows(db: Database, owner: str | None = None) -> list[UnitRow]:
    """Every live unit (of one station when *owner* is given) in Vietnamese name order."""
    ensure_functions(db)
    where, params = ("WHERE deleted = 0 AND owner = ?", [owner]) if owner else (
        "WHERE deleted = 0", [])
    rows = db.execute(
        "SELECT id, name, type, parent_id, COALESCE(head, ''), households, owner FROM units"
        f" {where} ORDER BY antq_sort(name)", params).fetchall()
    return [UnitRow(*r) for r in rows]


def unit_choices(db: Database) -> list[tuple[str, str]]:
    """(label, id) of every live unit, for a combo or a filter: at a province, a unit
    received from a commune says whose (“Thôn 1 — Xã Yên Thủy”), since every commune
    has its Thôn 1; this station's own units are named alone."""
    rows = unit_rows(db)
    own = db.execute("SELECT code FROM station").fetchone()
    own = own[0] if own else ""
    if all(u.owner in (own, "") for u in rows):
        return [(u.name, u.id) for u in rows]
    names = dict(owner_choices(db))
    return [(u.name if u.owner in (own, "") else f"{u.name} — {names.get(u.owner, u.owner)}",
             u.id) for u in rows]


def model_choices(db: Database) -> list[tuple[str, str, str]]:
    """(id, name, type) of every live model in Vietnamese name order."""
    ensure_functions(db)
    return [tuple(r) for r in db.execute(
        "SELECT id, name, type FROM models WHERE deleted = 0 ORDER BY antq_sort(name)")]


def names_of(db: Database, table: str, ids: list[str]) -> dict[str, str]:
    """Display names of records of *table* (persons, models or units) by id."""
    column = {"persons": "full_name", "models": "name", "units": "name"}[table]
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    return dict(db.execute(f"SELECT id, {column} FROM {table} WHERE id IN ({marks})",
                           list(ids)).fetchall())


def owner_of(db: Database, table: str, record_id: str) -> str | None:
    """The station code owning a record of one of the list tables (None if absent)."""
    if table not in {spec.table for spec in SPECS.values()} | {"units"}:
        raise ValueError(table)
    row = db.execute(f"SELECT owner FROM {table} WHERE id = ?", [record_id]).fetchone()
    return row[0] if row else None


def station_name(db: Database, code: str) -> str:
    """The name of this station or of a known peer station (the code when unknown)."""
    row = db.execute("SELECT name FROM station WHERE code = ?", [code]).fetchone() or \
        db.execute("SELECT name FROM peers WHERE code = ?", [code]).fetchone()
    return row[0] if row and row[0] else code


def owner_choices(db: Database) -> list[tuple[str, str]]:
    """(code, name) of this station and every station whose records it holds."""
    own = db.execute("SELECT code, name FROM station").fetchone()
    others = db.execute(
        "SELECT p.code, COALESCE(a.name, p.name) FROM peers p LEFT JOIN admin_units a"
        " ON a.code = p.code WHERE p.level = 'xa' ORDER BY p.code")
    return [tuple(own)] + [tuple(r) for r in others]
