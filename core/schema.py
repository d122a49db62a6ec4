"""What the synchronised entities look like: their tables, columns and link tables.

Every entity row carries the same metadata: ``id`` (a UUID made where the record
was first entered), ``owner`` (the code of the station that owns it),
``created_at``, ``updated_at``, ``version`` (bumped on every change) and
``deleted`` (a tombstone flag; nothing is ever removed). The store, the audit
trail and the exchange package all work from these definitions.
"""
from __future__ import annotations

from dataclasses import dataclass, field

META_COLUMNS = ("id", "owner", "created_at", "updated_at", "version", "deleted")


@dataclass(frozen=True)
class Link:
    """A many-to-many list kept in its own table and owned by the parent record."""

    table: str
    parent: str
    child: str


@dataclass(frozen=True)
class Entity:
    """One kind of synchronised record."""

    table: str
    columns: tuple[str, ...]
    links: dict[str, Link] = field(default_factory=dict)
    # Columns computed from others (search and sort keys): stored, never compared.
    derived: tuple[str, ...] = ()

    @property
    def content_columns(self) -> tuple[str, ...]:
        """The columns that make up the record's content (no metadata, no derived)."""
        return tuple(c for c in self.columns if c not in self.derived)


MODEL_TYPE = Entity("model_types", ("code", "label", "aliases", "sort_order"))
UNIT = Entity(
    "units",
    ("name", "name_fold", "type", "parent_id", "address", "head", "phone",
     "households", "notes"),
    derived=("name_fold",),
)
UNIT_YEAR = Entity(
    "unit_years",
    ("unit_id", "year", "registered", "recognised", "decision_no", "decision_date"),
)
MODEL = Entity(
    "models",
    ("name", "name_fold", "type", "launch_date", "decision_no", "decision_date",
     "status", "advanced", "advanced_by", "replicated_from", "replication_points",
     "funding", "notes"),
    links={"unit_ids": Link("model_units", "model_id", "unit_id")},
    derived=("name_fold",),
)
PERSON = Entity(
    "persons",
    ("family_name", "middle_name", "given_name", "full_name", "name_fold",
     "sort_key", "birth_date", "gender", "id_number", "old_id_number", "ethnicity",
     "religion", "education", "occupation", "address", "residence_since",
     "residence_unit_id", "phone", "health_cert_date", "notes", "merged_into"),
    derived=("name_fold", "sort_key"),
)
MEMBERSHIP = Entity(
    "memberships",
    ("person_id", "model_id", "role", "join_date", "decision_no", "decision_date",
     "leave_date", "leave_reason", "rating", "notes"),
)
# What the event's biên bản says beyond the event record, kept with it (migration
# 0020); empty: the biên bản prints a dotted line (place, content: their defaults).
MINUTES_COLUMNS = ("minutes_start", "minutes_end", "minutes_place", "minutes_chair",
                   "minutes_secretary", "minutes_content", "minutes_result")
EVENT = Entity(
    "events",
    ("date", "type", "title", "title_fold", "unit_id", "participants", "organiser",
     "notes", *MINUTES_COLUMNS),
    links={
        "model_ids": Link("event_models", "event_id", "model_id"),
        "attendee_ids": Link("event_attendees", "event_id", "person_id"),
    },
    derived=("title_fold",),
)
RESULT = Entity(
    "results",
    ("date", "type", "quantity", "unit_id", "model_id", "description"),
)
COMMENDATION = Entity(
    "commendations",
    ("recipient_kind", "recipient_id", "form", "authority", "decision_no",
     "decision_date", "achievement", "register_no", "notes"),
)

# In dependency order: a record only refers to records of kinds listed before it.
ENTITIES: dict[str, Entity] = {
    e.table: e
    for e in (MODEL_TYPE, UNIT, UNIT_YEAR, MODEL, PERSON, MEMBERSHIP, EVENT, RESULT,
              COMMENDATION)
}
