"""What travels inside a package: the manifest and the records, and their checks.

Records travel column-wise per table (``{"columns": [...], "rows": [[...]]}``) with
every metadata column, every column (derived search keys included) and the link
lists. Everything read from a file is checked here against the schema before
anything is written: unknown tables or columns, wrong types, malformed ids,
records owned by another station and dangling references are all refused.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import re
from dataclasses import dataclass, field

from sqlite_utils import Database

from core import rules
from core.activity import iso_day
from core.catalog import (COMMENDATION_FORMS, EVENT_TYPES, GENDERS, MODEL_STATUSES, RESULT_TYPES,
                          ROLES, TBV_RATINGS, UNIT_TYPES)
from core.exchange.envelope import DAMAGED, FORMAT_VERSION, PackageError, unb64
from core.schema import ENTITIES, META_COLUMNS, MINUTES_COLUMNS
from core.station import fingerprint
from core.text import format_date

CODE = re.compile(r"^[A-Za-z0-9_.\-]{1,32}$")
ID_NUMBER = re.compile(r"\d{12}")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_ROWS = 2_000_000
MAX_TEXT = 20_000
MAX_LINKS = 100_000
INT_COLUMNS = {"version", "deleted", "households", "year", "registered", "recognised",
               "sort_order", "advanced", "replication_points", "participants", "quantity"}
# Columns and link lists that hold the id of another record, and its table.
REFERENCES: dict[str, dict[str, str]] = {
    "units": {"parent_id": "units"},
    "unit_years": {"unit_id": "units"},
    "models": {"replicated_from": "models", "unit_ids": "units"},
    "persons": {"residence_unit_id": "units", "merged_into": "persons"},
    "memberships": {"person_id": "persons", "model_id": "models"},
    "events": {"unit_id": "units", "model_ids": "models", "attendee_ids": "persons"},
    "results": {"unit_id": "units", "model_id": "models"},
}
# Columns added after packages were first made, with the value a record stored
# without them holds. A package made by an older version lacks them: it still
# verifies, and its records take these values (see :func:`_rows`).
ADDED_COLUMNS: dict[str, dict[str, object]] = {
    "persons": {"old_id_number": "", "merged_into": None},
    "events": {column: "" for column in MINUTES_COLUMNS},
}
UP_TABLES = tuple(ENTITIES)
RECIPIENT_TABLES = {"person": "persons", "model": "models", "unit": "units"}
# The value rules of the forms and the data workbook, per column of a package.
YEAR_COLUMNS = rules.YEAR_FIELDS     # a birth may be known by its year alone
DATE_COLUMNS = rules.DATE_FIELDS
CODE_COLUMNS: dict[str, dict[str, frozenset[str]]] = {
    "units": {"type": frozenset(UNIT_TYPES.codes())},
    "models": {"status": frozenset(MODEL_STATUSES.codes())},
    "persons": {"gender": frozenset(GENDERS.codes())},
    "memberships": {"role": frozenset(ROLES.codes()), "rating": frozenset(TBV_RATINGS.codes())},
    "events": {"type": frozenset(EVENT_TYPES.codes())},
    "results": {"type": frozenset(RESULT_TYPES.codes())},
    "commendations": {"form": frozenset(COMMENDATION_FORMS.codes()),
                      "recipient_kind": frozenset({"person", "model", "unit"})},
}
WHOLE_RANGES = {"year": (rules.EARLIEST_YEAR, rules.LATEST_YEAR), "registered": (0, 1),
                "recognised": (0, 1), "advanced": (0, 1), "sort_order": (-2 ** 31, 2 ** 31)}
DOWN_TABLES = ("model_types", "commendations")


def columns(table: str) -> list[str]:
    """The columns of *table* as a package carries them, in order."""
    entity = ENTITIES[table]
    return [*META_COLUMNS, *entity.columns, *entity.links]


@dataclass(frozen=True)
class Manifest:
    """The checked clear manifest of a package."""

    kind: str                # "up" (commune → province) | "down" (province → commune)
    sender_code: str
    sender_name: str
    sender_level: str
    sign_public: bytes
    box_public: bytes
    recipient: str           # a station code, or "*" for every commune of the province
    recipient_fingerprint: str | None
    sequence: int
    period_from: str | None
    period_to: str | None
    created_at: str
    counts: dict[str, int]
    catalogue_version: str
    encrypted: bool
    audit_head: tuple[int, str] | None = None   # the sender's chain head (seq, MAC)

    @property
    def fingerprint(self) -> str:
        """The sender's key fingerprint, computed from the keys themselves."""
        return fingerprint(self.sign_public, self.box_public)


def _bad(detail: str) -> PackageError:
    return PackageError("malformed", f"{DAMAGED}: {detail}")


def _text(value: object, limit: int = 200) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise _bad("phần khai báo có trường không hợp lệ.")
    return value


HEAD_MAC = re.compile(r"^[0-9a-f]{64}$")


def audit_head(value: object) -> tuple[int, str] | None:
    """The ``audit_head`` of a manifest or a receipt: (entry number, MAC), or None.

    Absent (a package of an older version, a station without a trail) is None;
    anything else that is not ``{"seq": n >= 1, "mac": 64 hex digits}`` is refused.
    """
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _bad("đầu chuỗi nhật ký không hợp lệ.")
    seq, mac = value.get("seq"), value.get("mac")
    if not isinstance(seq, int) or isinstance(seq, bool) or not 1 <= seq < 2 ** 53 \
            or not isinstance(mac, str) or not HEAD_MAC.match(mac):
        raise _bad("đầu chuỗi nhật ký không hợp lệ.")
    return seq, mac


def _date(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not ISO_DATE.match(value):
        raise _bad("ngày trong phần khai báo không hợp lệ.")
    return value


def check_manifest(raw: dict, sign_public: bytes) -> Manifest:
    """Check the clear manifest's fields and types."""
    if raw.get("format") != FORMAT_VERSION:
        raise PackageError("version", "Phiên bản định dạng trong phần khai báo không khớp.")
    kind = raw.get("kind")
    sender, recipient = raw.get("sender"), raw.get("recipient")
    if kind not in ("up", "down") or not isinstance(sender, dict) \
            or not isinstance(recipient, dict):
        raise _bad("phần khai báo không đúng cấu trúc.")
    code = _text(sender.get("code"), 32)
    if not CODE.match(code):
        raise _bad("mã đơn vị gửi không hợp lệ.")
    level = sender.get("level")
    if level != ("xa" if kind == "up" else "tinh"):
        raise _bad("cấp của đơn vị gửi không khớp với loại gói.")
    to = _text(recipient.get("code"), 32)
    if not (CODE.match(to) or (to == "*" and kind == "down")):
        raise _bad("mã đơn vị nhận không hợp lệ.")
    to_fp = recipient.get("fingerprint")
    if to_fp is not None:
        _text(to_fp, 64)
    sequence = raw.get("sequence")
    if not isinstance(sequence, int) or isinstance(sequence, bool) \
            or not 1 <= sequence < 2 ** 53:
        raise _bad("số thứ tự gói không hợp lệ.")
    period = raw.get("period")
    if not isinstance(period, dict):
        raise _bad("kỳ dữ liệu không hợp lệ.")
    counts = raw.get("counts")
    if not isinstance(counts, dict) or any(
            t not in ENTITIES or not isinstance(n, int) or isinstance(n, bool) or n < 0
            for t, n in counts.items()):
        raise _bad("số lượng bản ghi trong phần khai báo không hợp lệ.")
    name = _text(sender.get("name"))
    if rules.text_problem(name):            # it heads the receipts and the register
        raise _bad("tên đơn vị gửi không hợp lệ.")
    return Manifest(
        kind=kind, sender_code=code, sender_name=name,
        sender_level=level, sign_public=sign_public,
        box_public=unb64(sender.get("box_public"), 32), recipient=to,
        recipient_fingerprint=to_fp, sequence=sequence,
        period_from=_date(period.get("from")), period_to=_date(period.get("to")),
        created_at=_text(raw.get("created_at"), 40), counts=dict(counts),
        catalogue_version=_text(raw.get("catalogue_version"), 64),
        encrypted=raw.get("encryption") is not None,
        audit_head=audit_head(raw.get("audit_head")))


# -- building ----------------------------------------------------------------

def collect(db: Database, table: str, where: str, params: list) -> dict:
    """Rows of *table* matching *where*, tombstones included, column-wise."""
    entity = ENTITIES[table]
    plain = [*META_COLUMNS, *entity.columns]
    rows = [list(r) for r in db.execute(
        f"SELECT {', '.join(plain)} FROM {table} WHERE {where} ORDER BY rowid", params)]
    if entity.links:
        position = {r[0]: i for i, r in enumerate(rows)}
        for r in rows:
            r.extend([] for _ in entity.links)
        for n, link in enumerate(entity.links.values()):
            for parent, child in db.execute(
                    f"SELECT {link.parent}, {link.child} FROM {link.table}"
                    f" WHERE {link.parent} IN (SELECT id FROM {table} WHERE {where})"
                    f" ORDER BY {link.parent}, {link.child}", params):
                rows[position[parent]][len(plain) + n].append(child)
    return {"columns": columns(table), "rows": rows}


def catalogue_version(db: Database) -> str:
    """A short digest of the live model-type catalogue."""
    rows = db.execute("SELECT code, label, aliases FROM model_types WHERE deleted = 0"
                      " ORDER BY code, owner").fetchall()
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()[:16]


def earliest_date(db: Database, owner: str) -> str | None:
    """The first event, result or launch date among *owner*'s records."""
    row = db.execute(
        "SELECT MIN(d) FROM (SELECT MIN(date) d FROM events WHERE owner = :o"
        " UNION ALL SELECT MIN(date) FROM results WHERE owner = :o"
        " UNION ALL SELECT MIN(launch_date) FROM models WHERE owner = :o)",
        {"o": owner}).fetchone()
    return row[0] if row and row[0] else None


def today() -> str:
    """Today's date on the station's clock (ISO; see core.activity)."""
    return iso_day()


# -- checking what was read ----------------------------------------------------

@dataclass
class Content:
    """The checked records (per table, as dicts) and receipts of a package."""

    records: dict[str, list[dict]] = field(default_factory=dict)
    receipts: list[dict] = field(default_factory=list)

    def count(self) -> dict[str, int]:
        """How many records per table."""
        return {t: len(rows) for t, rows in self.records.items()}


def parse_content(plain: bytes, manifest: Manifest) -> Content:
    """Parse and check the decompressed body against the schema and the manifest."""
    try:
        body = json.loads(plain.decode("utf-8"))
    except (ValueError, RecursionError):
        raise _bad("nội dung không đọc được.") from None
    if not isinstance(body, dict) or not isinstance(body.get("records"), dict):
        raise _bad("nội dung không đúng cấu trúc.")
    allowed = UP_TABLES if manifest.kind == "up" else DOWN_TABLES
    content = Content()
    total = 0
    for table, block in body["records"].items():
        if table not in allowed:
            raise _bad(f"loại bản ghi “{str(table)[:40]}” không được phép trong gói này.")
        rows = _rows(table, block)
        total += len(rows)
        if total > MAX_ROWS:
            raise _bad("quá nhiều bản ghi.")
        content.records[table] = _records(table, rows, manifest)
        ids = [r["id"] for r in content.records[table]]
        if len(set(ids)) != len(ids):
            raise _bad(f"mã bản ghi bị trùng trong bảng {table}.")
    if content.count() != {t: n for t, n in manifest.counts.items()}:
        raise _bad("số lượng bản ghi không khớp với phần khai báo.")
    content.receipts = _receipts(body.get("receipts", []))
    return content


def _rows(table: str, block: object) -> list:
    """The rows of one table's block, in the columns of :func:`columns`.

    A block from an older version may lack columns of :data:`ADDED_COLUMNS`
    (every other column in the same order); its rows get those columns' values
    for a record without them. Any other column list is refused.
    """
    if not isinstance(block, dict) or not isinstance(block.get("rows"), list):
        raise _bad(f"cột của bảng {table} không khớp với định dạng.")
    wanted, given = columns(table), block.get("columns")
    if given == wanted:
        return block["rows"]
    added = ADDED_COLUMNS.get(table, {})
    if not isinstance(given, list) \
            or given != [c for c in wanted if c not in added or c in given]:
        raise _bad(f"cột của bảng {table} không khớp với định dạng.")
    rows = block["rows"]
    if set(map(type, rows)) - {list} or set(map(len, rows)) - {len(given)}:
        return rows  # refused with the row's own message by _records
    missing = [(at, added[c]) for at, c in enumerate(wanted) if c not in given]
    for row in rows:
        for at, value in missing:
            row.insert(at, value)
    return rows


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Many UUIDs joined by line breaks, checked in one match.
_UUIDS = re.compile(rf"(?:{_UUID.pattern}(?:\n{_UUID.pattern})*)?")
_NONE = type(None)


def is_uuid(value: object) -> bool:
    """True for a canonical lower-case UUID text."""
    return isinstance(value, str) and _UUID.fullmatch(value) is not None


def all_uuids(values: list) -> bool:
    """True when every value is a canonical lower-case UUID text (in bulk)."""
    if not set(map(type, values)) <= {str} or not set(map(len, values)) <= {36}:
        return False
    # Each value is exactly 36 characters, so value i sits at 37 * i in the
    # joined text and the pattern checks every one of them.
    return _UUIDS.fullmatch("\n".join(values)) is not None


@dataclass(frozen=True)
class _Plan:
    """How the package columns of one table are checked (positions by kind)."""

    names: tuple[str, ...]
    text: tuple[int, ...]
    ints: tuple[int, ...]
    refs: tuple[int, ...]
    links: tuple[int, ...]


def _plan(table: str) -> _Plan:
    """Sort the package columns of *table* by how they are checked."""
    entity, refs = ENTITIES[table], REFERENCES.get(table, {})
    names = tuple(columns(table))
    kinds = ["link" if c in entity.links else "ref" if c in refs or c == "id"
             else "int" if c in INT_COLUMNS else "text" for c in names]
    at = {kind: tuple(i for i, k in enumerate(kinds) if k == kind)
          for kind in ("text", "int", "ref", "link")}
    return _Plan(names, at["text"], at["int"], at["ref"], at["link"])


_PLANS = {table: _plan(table) for table in ENTITIES}


def _records(table: str, rows: list, manifest: Manifest) -> list[dict]:
    """Check every row of *table* column by column; the rows as dicts.

    The checks are those of one record at a time (types, lengths, ids, links,
    owner, version), made over whole columns so that the work runs in C; the
    first faulty column is named.
    """
    plan = _PLANS[table]
    if not rows:
        return []
    if set(map(type, rows)) != {list} or set(map(len, rows)) != {len(plan.names)}:
        raise _bad(f"một bản ghi của bảng {table} không đúng số cột.")
    cols = list(zip(*rows))
    for i in plan.text:
        if not set(map(type, cols[i])) <= {str, _NONE} \
                or max(map(len, filter(None, cols[i])), default=0) > MAX_TEXT:
            raise _bad(f"giá trị không hợp lệ (cột {plan.names[i]}, bảng {table}).")
    for i in plan.ints:
        if not set(map(type, cols[i])) <= {int, _NONE} \
                or max(map(abs, filter(None, cols[i])), default=0) >= 2 ** 53:
            raise _bad(f"giá trị số không hợp lệ (cột {plan.names[i]}, bảng {table}).")
    for i in plan.refs:
        if not all_uuids([v for v in cols[i] if v is not None]):
            raise _bad(f"mã hoặc tham chiếu không hợp lệ (cột {plan.names[i]}, bảng {table}).")
    for i in plan.links:
        if set(map(type, cols[i])) != {list} \
                or max(map(len, cols[i])) > MAX_LINKS \
                or not all_uuids(list(itertools.chain.from_iterable(cols[i]))):
            raise _bad(f"danh sách liên kết không hợp lệ trong bảng {table}.")
    named = dict(zip(plan.names, cols))
    _check_meta(table, named, manifest)
    _check_values(table, named)
    return list(map(dict, map(zip, itertools.repeat(plan.names), rows)))


def _refuse_value(table: str, column: str, problem: str) -> PackageError:
    return PackageError("invalid_value", f"{DAMAGED}: giá trị không hợp lệ ở cột {column} "
                                         f"(bảng {table}): {problem}")


def _check_values(table: str, cols: dict[str, tuple]) -> None:
    """The rules of the forms and the workbook, over whole columns.

    Texts without control characters and of a length documents can hold, dates
    possible, codes known, numbers in range, later dates not before earlier ones.
    """
    entity = ENTITIES[table]
    for name in entity.columns:
        values = cols[name]
        if name in DATE_COLUMNS:
            for value in set(values):
                if problem := rules.date_problem(value, year_alone=name in YEAR_COLUMNS):
                    raise _refuse_value(table, name, f"“{str(value)[:20]}” {problem}")
        elif name in CODE_COLUMNS.get(table, {}):
            if problem := rules.code_problem(
                    next(iter(set(values) - {None, ""} - CODE_COLUMNS[table][name]), None),
                    CODE_COLUMNS[table][name]):
                raise _refuse_value(table, name, problem)
        elif name in INT_COLUMNS:
            low, high = WHOLE_RANGES.get(name, (0, rules.MAX_WHOLE))
            present = [v for v in values if v is not None]
            if present and (min(present) < low or max(present) > high):
                raise _refuse_value(table, name, rules.whole_problem(
                    min(present) if min(present) < low else max(present), low=low, high=high))
        elif name not in REFERENCES.get(table, {}) and name not in entity.derived:
            _check_texts(table, name, [v for v in values if v])
    numbers = [v for v in cols.get("id_number", ()) if v]
    if table == "persons" and not all(map(ID_NUMBER.fullmatch, numbers)):
        raise _refuse_value(table, "id_number", "số định danh phải gồm đúng 12 chữ số.")
    if table == "memberships":
        _check_order(table, "leave_date", cols["join_date"], cols["leave_date"])
    if table == "results":
        _check_result_places(cols)


TABLE_WORDS = {"units": "đơn vị", "unit_years": "đăng ký hằng năm của đơn vị",
               "models": "mô hình", "persons": "người", "memberships": "thành viên",
               "events": "hoạt động", "results": "kết quả", "commendations": "khen thưởng",
               "model_types": "loại mô hình"}
_LABELS = ("full_name", "name", "title", "description", "decision_no", "code")


def outgoing_problem(records: dict[str, dict]) -> str | None:
    """Why the province would refuse these records (the value rules), or None.

    Checked before a commune writes its package, so that no package is carried
    to the province only to be refused: a value stored by an older version (a
    control character, a date out of range) is named with its record.
    """
    for table, block in records.items():
        names, rows = block["columns"], block["rows"]
        if not rows:
            continue
        try:
            _check_values(table, dict(zip(names, zip(*rows))))
        except PackageError as exc:
            found = next(row for row in rows if _fails(table, names, row))
            record = dict(zip(names, found))
            label = next((record[k] for k in _LABELS if record.get(k)), record["id"])
            detail = str(exc).removeprefix(f"{DAMAGED}: ")
            return (f"{TABLE_WORDS.get(table, table).capitalize()} “"
                    f"{rules.printable(str(label))[:60]}”: {detail}")
    return None


def _fails(table: str, names: list[str], row: list) -> bool:
    try:
        _check_values(table, {n: (v,) for n, v in zip(names, row)})
    except PackageError:
        return True
    return False


def _check_texts(table: str, name: str, values: list[str]) -> None:
    """Control characters and lengths of one text column, checked in bulk."""
    if not values:
        return
    # The joiners are themselves refused, so no value can hide behind them.
    if rules.CONTROL.search("\n".join(values)) or (
            name not in rules.LONG_FIELDS and rules.LINE_BREAK.search("\x00".join(values))):
        raise _refuse_value(table, name, rules.text_problem("\x00"))
    longest = max(values, key=len)
    if problem := rules.field_problem(name, longest):
        raise _refuse_value(table, name, problem)


def _check_order(table: str, name: str, first: tuple, later: tuple) -> None:
    if any(rules.order_problem(a, b) for a, b in zip(first, later)):
        raise _refuse_value(table, name, "ngày sau lại trước ngày trước.")


def _check_result_places(cols: dict[str, tuple]) -> None:
    """A live result names a unit or a model (the forms' and the workbook's rule)."""
    for day, unit_id, model_id, deleted in zip(cols["date"], cols["unit_id"],
                                               cols["model_id"], cols["deleted"]):
        if not deleted and (problem := rules.result_place_problem(unit_id, model_id)):
            raise _refuse_value("results", "unit_id", f"kết quả ngày {format_date(day)}: {problem} "
                                "Đơn vị gửi hãy sửa kết quả đó rồi gửi lại tệp.")


def _check_meta(table: str, cols: dict[str, tuple], manifest: Manifest) -> None:
    """Ids present, owned by the sender, valid deleted flag, version and stamps."""
    if None in cols["id"]:
        raise _bad(f"mã bản ghi không hợp lệ trong bảng {table}.")
    # The seeded catalogue (empty owner) is the province's to change, never a commune's.
    owners = {manifest.sender_code, ""} if table == "model_types" and manifest.kind == "down" \
        else {manifest.sender_code}
    if not set(cols["owner"]) <= owners:
        raise PackageError("foreign_owner",
                           f"{DAMAGED}: gói chứa bản ghi không thuộc đơn vị gửi.")
    if not set(cols["deleted"]) <= {0, 1} or None in cols["version"] \
            or min(cols["version"]) < 1 or not all(cols["created_at"]) \
            or not all(cols["updated_at"]):
        raise _bad(f"thông tin phiên bản bản ghi không hợp lệ (bảng {table}).")


def _receipts(raw: object) -> list[dict]:
    if not isinstance(raw, list) or len(raw) > 100_000:
        raise _bad("danh sách biên nhận không hợp lệ.")
    receipts = []
    for item in raw:
        if not isinstance(item, dict):
            raise _bad("biên nhận không hợp lệ.")
        sender, sequence = item.get("sender"), item.get("sequence")
        if not isinstance(sender, str) or not CODE.match(sender) \
                or not isinstance(sequence, int) or isinstance(sequence, bool) \
                or not 1 <= sequence < 2 ** 53:
            raise _bad("biên nhận không hợp lệ.")
        receipts.append({"sender": sender, "sequence": sequence,
                         "created_at": _text(item.get("created_at"), 40),
                         "imported_at": _text(item.get("imported_at"), 40),
                         "audit_head": audit_head(item.get("audit_head"))})
    return receipts


def dangling_references(db: Database, content: Content) -> list[str]:
    """References to records neither in the package nor in the database."""
    missing: dict[str, set[str]] = {}
    present = {t: {r["id"] for r in rows} for t, rows in content.records.items()}
    for table, rows in content.records.items():
        for name, target in REFERENCES.get(table, {}).items():
            known = present.get(target, set())
            for record in rows:
                values = record[name] if isinstance(record[name], list) else [record[name]]
                for value in values:
                    if value is not None and value not in known:
                        missing.setdefault(target, set()).add(value)
    problems = []
    for target, ids in missing.items():
        ids = sorted(ids)
        found = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            found.update(r[0] for r in db.execute(
                f"SELECT id FROM {target} WHERE id IN ({', '.join('?' * len(chunk))})", chunk))
        problems.extend(f"{target}:{i}" for i in ids if i not in found)
    return problems


def outside_references(db: Database, content: Content, owner: str) -> list[str]:
    """References to records in the database that *owner* does not own.

    A commune's records may point only at its own records (those in the package
    or already received from it); the catalogue is referred to by code.
    """
    wanted: dict[str, set[str]] = {}
    present = {t: {r["id"] for r in rows} for t, rows in content.records.items()}
    for table, rows in content.records.items():
        targets = dict(REFERENCES.get(table, {}))
        for record in rows:
            if table == "commendations":
                targets = {"recipient_id": RECIPIENT_TABLES.get(record["recipient_kind"], "")}
            for name, target in targets.items():
                values = record[name] if isinstance(record[name], list) else [record[name]]
                wanted.setdefault(target, set()).update(
                    v for v in values if v is not None and v not in present.get(target, ()))
    problems = []
    for target, ids in wanted.items():
        if target not in ENTITIES:
            continue
        ids = sorted(ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            problems.extend(f"{target}:{r[0]}" for r in db.execute(
                f"SELECT id FROM {target} WHERE id IN ({', '.join('?' * len(chunk))})"
                " AND owner != ?", [*chunk, owner]))
    return problems


def births(db: Database, content: Content) -> dict[str, str]:
    """Birth dates of the persons the package's memberships name."""
    known = {r["id"]: r["birth_date"] for r in content.records.get("persons", [])}
    wanted = sorted({m["person_id"] for m in content.records.get("memberships", [])} - set(known))
    for i in range(0, len(wanted), 500):
        chunk = wanted[i:i + 500]
        known.update(db.execute(f"SELECT id, birth_date FROM persons WHERE id IN"
                                f" ({', '.join('?' * len(chunk))})", chunk).fetchall())
    return known


def check_in_context(db: Database, content: Content, manifest: Manifest) -> None:
    """The rules that need the database: references, model types, joining after birth."""
    if manifest.kind == "up":
        outside = outside_references(db, content, manifest.sender_code)
        if outside:
            raise PackageError("foreign_reference", f"{DAMAGED}: {len(outside)} bản ghi trong "
                               "gói trỏ tới bản ghi của đơn vị khác; không nhận gói này.")
    # The seeded catalogue, the sender's own types and the receiver's (the
    # province's): never the types of another commune, which stay its own.
    # The package's own rows replace those stored (a tombstone withdraws a type).
    received = {r["id"]: r for r in content.records.get("model_types", [])}
    types = {code for record_id, code in db.execute(
        "SELECT id, code FROM model_types WHERE deleted = 0 AND owner IN"
        " ('', ?, (SELECT code FROM station))", [manifest.sender_code])
        if record_id not in received}
    types |= {r["code"] for r in received.values() if not r["deleted"]}
    used = {r["type"] for r in content.records.get("models", [])} - {None, ""}
    if problem := rules.code_problem(next(iter(used - types), None), types):
        raise _refuse_value("models", "type", problem)
    born = births(db, content)
    for m in content.records.get("memberships", []):
        if rules.join_problem(born.get(m["person_id"]), m["join_date"]):
            raise _refuse_value("memberships", "join_date",
                                "ngày tham gia trước ngày sinh của thành viên.")
