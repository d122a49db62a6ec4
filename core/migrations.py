"""Numbered schema migrations. Never edit one that has shipped: add a new one.

The list of names is also how the program recognises a database made by a newer
version of itself (it has applied a migration this program does not know).
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from core.catalog import MODEL_TYPES

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations


@dataclass
class Migration:
    """One registered migration."""

    name: str
    fn: Callable
    transactional: bool = True


class MigrationSet:
    """The program's migrations, registered like ``sqlite_utils.migrations.Migrations``.

    Registering (and reading :func:`known_names`) does not import sqlite-utils,
    which costs about as much as Qt's widgets at window start; ``applied``,
    ``pending`` and ``apply`` hand the work to a ``Migrations`` built on the spot.
    """

    def __init__(self, name: str):
        self.name = name
        self._migrations: list[Migration] = []

    def __call__(self, *, name: str | None = None, transactional: bool = True):
        """Decorator registering a migration function under *name*."""
        def inner(fn):
            migration_name = name or fn.__name__
            if any(m.name == migration_name for m in self._migrations):
                raise ValueError(f"Migration '{migration_name}' is already registered")
            self._migrations.append(Migration(migration_name, fn, transactional))
            return fn
        return inner

    def real(self) -> Migrations:
        """The same set as a sqlite-utils ``Migrations`` (loads sqlite-utils)."""
        from sqlite_utils.migrations import Migrations
        real = Migrations(self.name)
        for m in self._migrations:
            real(name=m.name, transactional=m.transactional)(m.fn)
        return real

    def applied(self, db: Database) -> list:
        """Migrations applied to *db*, in order (see ``Migrations.applied``)."""
        return self.real().applied(_full(db))

    def pending(self, db: Database) -> list:
        """Migrations not applied to *db* yet."""
        return self.real().pending(_full(db))

    def apply(self, db: Database, **options) -> None:
        """Apply the pending migrations to *db*."""
        self.real().apply(_full(db), **options)


def _full(db):
    """The sqlite-utils Database behind a lazy handle (see core.db.LazyDatabase)."""
    return getattr(db, "full", db)


migrations = MigrationSet("antq")

# A fixed namespace so that every station derives the same id for a seeded type.
SEED_NAMESPACE = uuid.UUID("5b0c1f0e-6d1a-4a57-9a4e-0d7f2c3b8a11")

_META = """
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    deleted INTEGER NOT NULL DEFAULT 0
"""


def _fk(table: str) -> str:
    return f"REFERENCES {table}(id) DEFERRABLE INITIALLY DEFERRED"


@migrations(name="0001_initial")
def m0001_initial(db: Database) -> None:
    """Station identity, settings, catalogue and every entity the program keeps (core/schema.py)."""
    db.executescript(f"""
    CREATE TABLE station (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        code TEXT NOT NULL,
        name TEXT NOT NULL,
        level TEXT NOT NULL CHECK (level IN ('xa', 'tinh')),
        parent_code TEXT,
        created_at TEXT NOT NULL,
        sign_private BLOB NOT NULL,
        sign_public BLOB NOT NULL,
        box_private BLOB NOT NULL,
        box_public BLOB NOT NULL
    );
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

    CREATE TABLE model_types ({_META},
        code TEXT NOT NULL, label TEXT NOT NULL, aliases TEXT NOT NULL DEFAULT '[]',
        sort_order INTEGER NOT NULL DEFAULT 0);
    CREATE UNIQUE INDEX model_types_code ON model_types(code);

    CREATE TABLE units ({_META},
        name TEXT NOT NULL, name_fold TEXT NOT NULL, type TEXT NOT NULL,
        parent_id TEXT {_fk('units')}, address TEXT, head TEXT, phone TEXT,
        households INTEGER, notes TEXT);
    CREATE INDEX units_fold ON units(name_fold);
    CREATE INDEX units_parent ON units(parent_id);
    CREATE INDEX units_owner ON units(owner);

    CREATE TABLE unit_years ({_META},
        unit_id TEXT NOT NULL {_fk('units')}, year INTEGER NOT NULL,
        registered INTEGER NOT NULL DEFAULT 0, recognised INTEGER NOT NULL DEFAULT 0,
        decision_no TEXT, decision_date TEXT);
    CREATE UNIQUE INDEX unit_years_unit_year ON unit_years(unit_id, year)
        WHERE deleted = 0;

    CREATE TABLE models ({_META},
        name TEXT NOT NULL, name_fold TEXT NOT NULL, type TEXT NOT NULL,
        launch_date TEXT, decision_no TEXT, decision_date TEXT,
        status TEXT NOT NULL DEFAULT 'binh_thuong', advanced INTEGER NOT NULL DEFAULT 0,
        advanced_by TEXT, replicated_from TEXT {_fk('models')},
        replication_points INTEGER, funding TEXT, notes TEXT);
    CREATE INDEX models_fold ON models(name_fold);
    CREATE INDEX models_type ON models(type);
    CREATE INDEX models_owner ON models(owner);
    CREATE TABLE model_units (
        model_id TEXT NOT NULL {_fk('models')},
        unit_id TEXT NOT NULL {_fk('units')},
        PRIMARY KEY (model_id, unit_id)) WITHOUT ROWID;
    CREATE INDEX model_units_unit ON model_units(unit_id);

    CREATE TABLE persons ({_META},
        family_name TEXT NOT NULL DEFAULT '', middle_name TEXT NOT NULL DEFAULT '',
        given_name TEXT NOT NULL, full_name TEXT NOT NULL, name_fold TEXT NOT NULL,
        sort_key TEXT NOT NULL, birth_date TEXT, gender TEXT, id_number TEXT,
        ethnicity TEXT, religion TEXT, education TEXT, occupation TEXT, address TEXT,
        residence_since TEXT, residence_unit_id TEXT {_fk('units')}, phone TEXT,
        health_cert_date TEXT, notes TEXT);
    CREATE INDEX persons_sort ON persons(sort_key);
    CREATE INDEX persons_fold ON persons(name_fold);
    CREATE INDEX persons_id_number ON persons(id_number);
    CREATE INDEX persons_owner ON persons(owner);

    CREATE TABLE memberships ({_META},
        person_id TEXT NOT NULL {_fk('persons')},
        model_id TEXT NOT NULL {_fk('models')},
        role TEXT NOT NULL DEFAULT 'thanh_vien', join_date TEXT, decision_no TEXT,
        decision_date TEXT, leave_date TEXT, leave_reason TEXT, rating TEXT, notes TEXT);
    CREATE INDEX memberships_person ON memberships(person_id);
    CREATE INDEX memberships_model ON memberships(model_id);
    CREATE INDEX memberships_owner ON memberships(owner);

    CREATE TABLE events ({_META},
        date TEXT NOT NULL, type TEXT NOT NULL, title TEXT NOT NULL,
        title_fold TEXT NOT NULL, unit_id TEXT {_fk('units')},
        participants INTEGER NOT NULL DEFAULT 0, organiser TEXT, notes TEXT);
    CREATE INDEX events_date ON events(date);
    CREATE INDEX events_owner ON events(owner);
    CREATE TABLE event_models (
        event_id TEXT NOT NULL {_fk('events')},
        model_id TEXT NOT NULL {_fk('models')},
        PRIMARY KEY (event_id, model_id)) WITHOUT ROWID;
    CREATE TABLE event_attendees (
        event_id TEXT NOT NULL {_fk('events')},
        person_id TEXT NOT NULL {_fk('persons')},
        PRIMARY KEY (event_id, person_id)) WITHOUT ROWID;

    CREATE TABLE results ({_META},
        date TEXT NOT NULL, type TEXT NOT NULL, quantity INTEGER NOT NULL,
        unit_id TEXT {_fk('units')}, model_id TEXT {_fk('models')}, description TEXT);
    CREATE INDEX results_date ON results(date);
    CREATE INDEX results_owner ON results(owner);

    CREATE TABLE commendations ({_META},
        recipient_kind TEXT NOT NULL CHECK (recipient_kind IN ('person', 'model', 'unit')),
        recipient_id TEXT NOT NULL, form TEXT NOT NULL, authority TEXT,
        decision_no TEXT NOT NULL, decision_date TEXT NOT NULL, achievement TEXT NOT NULL,
        register_no TEXT, notes TEXT);
    CREATE INDEX commendations_decision ON commendations(decision_no);
    CREATE INDEX commendations_date ON commendations(decision_date);
    """)
    for order, item in enumerate(MODEL_TYPES.items):
        db.execute(
            "INSERT INTO model_types (id, owner, created_at, updated_at, code, label,"
            " aliases, sort_order) VALUES (?, '', '2025-07-01T00:00:00+00:00',"
            " '2025-07-01T00:00:00+00:00', ?, ?, ?, ?)",
            [str(uuid.uuid5(SEED_NAMESPACE, item.code)), item.code, item.label,
             json.dumps(list(item.aliases), ensure_ascii=False), order],
        )


@migrations(name="0002_exchange")
def m0002_exchange(db: Database) -> None:
    """Exchange by USB: pinned keys of other stations, export and import logs, receipts."""
    db.executescript("""
    CREATE TABLE peers (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        level TEXT NOT NULL CHECK (level IN ('xa', 'tinh')),
        sign_public BLOB NOT NULL,
        box_public BLOB NOT NULL,
        fingerprint TEXT NOT NULL,
        pinned_at TEXT NOT NULL,
        last_sequence INTEGER NOT NULL DEFAULT 0,
        last_created_at TEXT,
        last_imported_at TEXT,
        last_period_from TEXT,
        last_period_to TEXT);

    CREATE TABLE export_log (
        sequence INTEGER PRIMARY KEY,
        recipient TEXT NOT NULL,
        created_at TEXT NOT NULL,
        period_from TEXT,
        period_to TEXT,
        counts TEXT NOT NULL DEFAULT '{}',
        sha256 TEXT,
        file_name TEXT,
        status TEXT NOT NULL DEFAULT 'reserved' CHECK (status IN ('reserved', 'written')),
        user TEXT);

    CREATE TABLE import_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        imported_at TEXT NOT NULL,
        file_name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        sender TEXT NOT NULL,
        sequence INTEGER NOT NULL,
        kind TEXT NOT NULL,
        created_at TEXT NOT NULL,
        period_from TEXT,
        period_to TEXT,
        inserted INTEGER NOT NULL DEFAULT 0,
        updated INTEGER NOT NULL DEFAULT 0,
        deleted INTEGER NOT NULL DEFAULT 0,
        unchanged INTEGER NOT NULL DEFAULT 0,
        warnings TEXT NOT NULL DEFAULT '[]',
        user TEXT);
    CREATE INDEX import_log_sender ON import_log(sender, sequence);
    CREATE INDEX import_log_sha ON import_log(sha256);

    CREATE TABLE receipts (
        sender TEXT NOT NULL,
        sequence INTEGER NOT NULL,
        confirmed_by TEXT NOT NULL,
        created_at TEXT,
        imported_at TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        PRIMARY KEY (sender, sequence, confirmed_by));
    """)


@migrations(name="0003_accounts_audit")
def m0003_accounts_audit(db: Database) -> None:
    """User accounts and the hash-chained audit trail.

    Records that already exist (the seeded model types, and any data entered
    before this migration) get a ``baseline`` entry so that from now on every
    record has an audit entry that its current content must match.
    """
    db.executescript("""
    CREATE TABLE users (
        name TEXT PRIMARY KEY COLLATE NOCASE,
        role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
        password_hash TEXT NOT NULL,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        created_at TEXT NOT NULL);
    CREATE TABLE audit (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user TEXT NOT NULL DEFAULT '',
        table_name TEXT NOT NULL,
        record_id TEXT NOT NULL,
        op TEXT NOT NULL,
        before TEXT,
        after TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL);
    CREATE INDEX audit_record ON audit(table_name, record_id, seq);
    CREATE INDEX audit_user ON audit(user, seq);
    """)
    from core.audit import write_baseline
    write_baseline(db)


@migrations(name="0005_ui")
def m0005_ui(db: Database) -> None:
    """Covering indexes for the window's lists (ids in order without touching rows)."""
    db.executescript("""
    CREATE INDEX IF NOT EXISTS persons_list ON persons(deleted, sort_key, id, name_fold);
    CREATE INDEX IF NOT EXISTS events_list ON events(deleted, date, id, title_fold);
    CREATE INDEX IF NOT EXISTS results_list ON results(deleted, date, id);
    """)


@migrations(name="0006_performance")
def m0006_performance(db: Database) -> None:
    """A covering index for the report's pass over memberships (province scale)."""
    db.executescript("""
    CREATE INDEX IF NOT EXISTS memberships_report ON memberships(
        owner, person_id, deleted, role, model_id, join_date, leave_date);
    """)


@migrations(name="0007_report")
def m0007_report(db: Database) -> None:
    """Partial indexes of deleted people and models (few), for the report's exclusions."""
    db.executescript("""
    CREATE INDEX IF NOT EXISTS persons_deleted ON persons(id) WHERE deleted != 0;
    CREATE INDEX IF NOT EXISTS models_deleted ON models(id) WHERE deleted != 0;
    """)


@migrations(name="0008_audit_owner")
def m0008_audit_owner(db: Database) -> None:
    """The trail keeps each entry's record owner and is indexed by it first.

    Records received from a commune are then indexed next to each other, so a
    package touches one small part of the index instead of pages all over it.
    Older entries keep an empty owner (their hashes were made without it).
    """
    db.executescript("""
    ALTER TABLE audit ADD COLUMN owner TEXT NOT NULL DEFAULT '';
    DROP INDEX IF EXISTS audit_record;
    CREATE INDEX audit_owner_record ON audit(owner, table_name, record_id, seq);
    """)


@migrations(name="0009_report_covering")
def m0009_report_covering(db: Database) -> None:
    """Covering indexes for the report's passes over models, events and results."""
    db.executescript("""
    CREATE INDEX IF NOT EXISTS models_report
        ON models(deleted, owner, type, status, advanced, launch_date);
    CREATE INDEX IF NOT EXISTS events_report ON events(deleted, date, owner, type, participants);
    CREATE INDEX IF NOT EXISTS results_report ON results(deleted, date, owner, type, quantity);
    """)


@migrations(name="0010_old_id_number")
def m0010_old_id_number(db: Database) -> None:
    """The old 9-digit CMND kept in a person field of its own, indexed for search.

    Existing persons get an empty value (as a new person without one stores);
    their audit entries (made without the field) keep verifying, since only the
    fields an entry recorded are compared.
    """
    db.executescript("""
    ALTER TABLE persons ADD COLUMN old_id_number TEXT DEFAULT '';
    CREATE INDEX IF NOT EXISTS persons_old_id_number ON persons(old_id_number);
    """)


@migrations(name="0011_person_number_search")
def m0011_person_number_search(db: Database) -> None:
    """Indexes on the last four digits of the CCCD, the old CMND and the phone.

    A search by the last digits of a number looks these up (see
    ``core.queries.number_matches``, which writes the same expressions).
    Only SQLite's own functions are used, so any SQLite tool can still write
    to the table.
    """
    db.executescript("""
    CREATE INDEX IF NOT EXISTS persons_id_tail ON persons(substr(id_number, -4));
    CREATE INDEX IF NOT EXISTS persons_old_id_tail ON persons(substr(old_id_number, -4));
    CREATE INDEX IF NOT EXISTS persons_phone_tail ON persons(substr(
        replace(replace(replace(replace(replace(replace(phone, ' ', ''), '.', ''), '-', ''),
        '(', ''), ')', ''), '+', ''), -4));
    """)


@migrations(name="0012_person_merged_into")
def m0012_person_merged_into(db: Database) -> None:
    """A person merged into another keeps a tombstone that names the kept person.

    An import then resolves the merged person's ID number or name to the kept
    one instead of bringing the merged person back.
    """
    db.executescript("""
    ALTER TABLE persons ADD COLUMN merged_into TEXT REFERENCES persons(id)
        DEFERRABLE INITIALLY DEFERRED;
    CREATE INDEX IF NOT EXISTS persons_merged ON persons(merged_into)
        WHERE merged_into IS NOT NULL;
    """)


@migrations(name="0013_intake")
def m0013_intake(db: Database) -> None:
    """Taking in existing lists: mappings remembered per header set, the review queue.

    ``intake_review`` holds the rows of a list that matched a stored person only
    weakly (same folded name, a birth year on one side, …): the row's values wait
    here, unwritten, until someone decides (same person or a new one). One row of
    one file (by content hash, sheet and row number) is queued once.
    """
    db.executescript("""
    CREATE TABLE IF NOT EXISTS intake_mappings (
        header_set TEXT PRIMARY KEY,
        mapping TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS intake_review (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        file_name TEXT NOT NULL DEFAULT '',
        sheet TEXT NOT NULL,
        row INTEGER NOT NULL,
        name TEXT NOT NULL,
        birth TEXT,
        person TEXT NOT NULL,
        membership TEXT,
        candidates TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',
        person_id TEXT,
        created_at TEXT NOT NULL,
        decided_at TEXT,
        decided_by TEXT,
        UNIQUE (source, sheet, row)
    );
    CREATE INDEX IF NOT EXISTS intake_review_status ON intake_review(status, id);
    """)


@migrations(name="0014_admin_units")
def m0014_admin_units(db: Database) -> None:
    """The official list of administrative units, and the province's register of communes.

    The station gets ``official_code``: its entry in the list (its own code when
    that is listed; NULL for a station set up with a free code, which the window
    asks once to pick its entry). ``commune_register`` holds what the province
    knows about a commune beyond the pinned key: a fingerprint read out before
    its first file, and a key revoked (a stolen PC).
    """
    from core import admin_units
    db.executescript("""
    CREATE TABLE admin_units (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        division_type TEXT NOT NULL,
        parent_code TEXT,
        name_fold TEXT NOT NULL);
    CREATE INDEX admin_units_parent ON admin_units(parent_code, name_fold);
    CREATE TABLE commune_register (
        code TEXT PRIMARY KEY,
        expected_fingerprint TEXT,
        expected_noted_at TEXT,
        expected_source TEXT,
        revoked_fingerprint TEXT,
        revoked_at TEXT,
        revoked_reason TEXT);
    ALTER TABLE station ADD COLUMN official_code TEXT;
    """)
    version, units = admin_units.parse(admin_units.bundled_text())
    admin_units.replace_all(db, units, version)
    db.execute("UPDATE station SET official_code = code WHERE EXISTS (SELECT 1 FROM"
               " admin_units a WHERE a.code = station.code AND (a.parent_code IS NULL)"
               " = (station.level = 'tinh'))")


@migrations(name="0015_report_texts")
def m0015_report_texts(db: Database) -> None:
    """The officer's own wording, number and date of each period's report.

    One row per (period, key): the keys are the report's sections (mo_dau,
    ket_qua, ton_tai, phuong_huong, kien_nghi) and the document's ``number`` and
    ``date``. Written through :mod:`core.report_texts`, which audits every change.
    """
    db.executescript("""
    CREATE TABLE IF NOT EXISTS report_texts (
        period TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (period, key)
    );
    """)


@migrations(name="0017_audit_key")
def m0017_audit_key(db: Database) -> None:
    """The audit trail chained with a key: HMAC-SHA256 under a random key kept in
    ``secrets`` (inside the database), and the head of the chain anchored outside it.

    Every existing entry is re-chained once under the new key (the trail is checked
    the old way first; a ``rechain`` entry records how many entries and what that
    check found). ``tags`` holds each entry's short MACs of its author and time.
    The station's identity, pinned keys, import log and settings get baseline
    entries: from now on they are audited like records. The export log, the import
    log and the receipts keep the head (entry number and MAC) a package carried.
    """
    db.executescript("""
    CREATE TABLE IF NOT EXISTS secrets (name TEXT PRIMARY KEY, value BLOB NOT NULL);
    ALTER TABLE audit ADD COLUMN tags TEXT;
    ALTER TABLE export_log ADD COLUMN audit_seq INTEGER;
    ALTER TABLE export_log ADD COLUMN audit_mac TEXT;
    ALTER TABLE import_log ADD COLUMN audit_seq INTEGER;
    ALTER TABLE import_log ADD COLUMN audit_mac TEXT;
    ALTER TABLE receipts ADD COLUMN audit_seq INTEGER;
    ALTER TABLE receipts ADD COLUMN audit_mac TEXT;
    """)
    from core.audit import write_key_and_rechain
    write_key_and_rechain(db)


@migrations(name="0018_recycle_bin")
def m0018_recycle_bin(db: Database) -> None:
    """The recycle bin (Thùng rác): when and by whom a record was deleted, and what
    went with it.

    The record itself stays where it is, a tombstone (nothing is ever removed); a
    row here holds the local time of the deletion, the signed-in user, and the
    records deleted with it in the same step (``companions``: a JSON list of
    ``[table, id]``, e.g. a person's memberships), so that restoring brings back
    exactly those. A local table: it never travels in a package.
    """
    db.executescript("""
    CREATE TABLE IF NOT EXISTS recycle_bin (
        record_id TEXT PRIMARY KEY,
        table_name TEXT NOT NULL,
        deleted_at TEXT NOT NULL,
        deleted_by TEXT NOT NULL DEFAULT '',
        companions TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX IF NOT EXISTS recycle_bin_kind ON recycle_bin(table_name, deleted_at);
    """)


@migrations(name="0020_event_minutes")
def m0020_event_minutes(db: Database) -> None:
    """The details of an event's biên bản kept with the event (hour, place, chair,
    secretary, content, result), so “In biên bản” asks them once.

    Columns of the event record: audited like its other fields and carried in the
    commune's package (an older package without them still verifies; its events
    take empty values, see ``core.exchange.content.ADDED_COLUMNS``). Existing events
    get empty values; their audit entries (made without the fields) keep
    verifying, since only the fields an entry recorded are compared.
    """
    db.executescript("""
    ALTER TABLE events ADD COLUMN minutes_start TEXT DEFAULT '';
    ALTER TABLE events ADD COLUMN minutes_end TEXT DEFAULT '';
    ALTER TABLE events ADD COLUMN minutes_place TEXT DEFAULT '';
    ALTER TABLE events ADD COLUMN minutes_chair TEXT DEFAULT '';
    ALTER TABLE events ADD COLUMN minutes_secretary TEXT DEFAULT '';
    ALTER TABLE events ADD COLUMN minutes_content TEXT DEFAULT '';
    ALTER TABLE events ADD COLUMN minutes_result TEXT DEFAULT '';
    """)


@migrations(name="0021_model_types_per_owner")
def m0021_model_types_per_owner(db: Database) -> None:
    """A model-type code is unique per owner, not across the whole catalogue.

    A commune may give a type of its own a code another commune also uses: at
    the province both are kept, each under its commune (the later package was
    refused as a conflict before). Which row names a code is chosen by
    :func:`core.repos.models.model_types` (the shared catalogue first).
    """
    db.executescript("""
    DROP INDEX IF EXISTS model_types_code;
    CREATE UNIQUE INDEX IF NOT EXISTS model_types_owner_code ON model_types(owner, code);
    CREATE INDEX IF NOT EXISTS model_types_code_any ON model_types(code);
    """)


@migrations(name="0022_commune_register_audit")
def m0022_commune_register_audit(db: Database) -> None:
    """The province's register of communes audited like the pinned keys: a noted
    fingerprint, a revoked key and the clearing of a noted fingerprint once a key is
    pinned each get an entry by the signed-in user; the existing lines get a
    baseline entry here (a backup taken before this migration is checked without
    them, then gets its baseline when it is opened).
    """
    from core.audit import write_tracked_baseline
    write_tracked_baseline(db, "commune_register")


def known_names() -> list[str]:
    """Names of every migration this program knows, in order."""
    return [m.name for m in migrations._migrations]
