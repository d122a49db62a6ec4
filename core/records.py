"""Plain records the services take and return (no database, no Qt).

Field names match the database columns of :mod:`core.schema`. Dates are ISO text
("2026-01-05"; a birth date may be a year alone, "1980"); empty text is "".
"""
from __future__ import annotations

from dataclasses import dataclass, field

from core.rules import paragraphs


@dataclass
class Record:
    """Metadata shared by every record; ``id`` is None until saved."""

    id: str | None = field(default=None, kw_only=True)
    owner: str = field(default="", kw_only=True)
    version: int = field(default=0, kw_only=True)
    deleted: bool = field(default=False, kw_only=True)


@dataclass
class Unit(Record):
    """A village, agency, enterprise or school (đơn vị, địa bàn)."""

    name: str = ""
    type: str = "khu_dan_cu"
    parent_id: str | None = None
    address: str = ""
    head: str = ""
    phone: str = ""
    households: int | None = None
    notes: str = ""


@dataclass
class UnitYear(Record):
    """A unit's registration and recognition as “An toàn về an ninh, trật tự”."""

    unit_id: str = ""
    year: int = 0
    registered: bool = False
    recognised: bool = False
    decision_no: str = ""
    decision_date: str | None = None


@dataclass
class Model(Record):
    """A movement model (mô hình): a self-management team or club."""

    name: str = ""
    type: str = "to_an_ninh_nhan_dan"
    unit_ids: list[str] = field(default_factory=list)
    launch_date: str | None = None
    decision_no: str = ""
    decision_date: str | None = None
    status: str = "binh_thuong"
    advanced: bool = False
    advanced_by: str = ""
    replicated_from: str | None = None
    replication_points: int | None = None
    funding: str = ""
    notes: str = ""


@dataclass
class Person(Record):
    """A member of one or more models (personal data: restricted)."""

    family_name: str = ""
    middle_name: str = ""
    given_name: str = ""
    full_name: str = ""
    birth_date: str | None = None
    gender: str | None = None
    id_number: str = ""
    old_id_number: str = ""  # the old 9-digit CMND (chứng minh nhân dân)
    ethnicity: str = ""
    religion: str = ""
    education: str = ""
    occupation: str = ""
    address: str = ""
    residence_since: str | None = None
    residence_unit_id: str | None = None
    phone: str = ""
    health_cert_date: str | None = None
    notes: str = ""
    # Set on the tombstone of a person merged into another (the kept one's id).
    merged_into: str | None = None


@dataclass
class Membership(Record):
    """A person's place in a model."""

    person_id: str = ""
    model_id: str = ""
    role: str = "thanh_vien"
    join_date: str | None = None
    decision_no: str = ""
    decision_date: str | None = None
    leave_date: str | None = None
    leave_reason: str = ""
    rating: str = ""
    notes: str = ""


@dataclass
class Event(Record):
    """An event or activity of the movement."""

    date: str = ""
    type: str = "tuyen_truyen"
    title: str = ""
    unit_id: str | None = None
    model_ids: list[str] = field(default_factory=list)
    participants: int = 0
    attendee_ids: list[str] = field(default_factory=list)
    organiser: str = ""
    notes: str = ""
    # its biên bản's details, as last printed and saved (“In biên bản”, print-minutes --save)
    minutes_start: str = ""
    minutes_end: str = ""
    minutes_place: str = ""
    minutes_chair: str = ""
    minutes_secretary: str = ""
    minutes_content: str = ""
    minutes_result: str = ""


@dataclass
class Result(Record):
    """A result the movement brought (tips, cases solved, mediations, …)."""

    date: str = ""
    type: str = "tin_bao"
    quantity: int = 0
    unit_id: str | None = None
    model_id: str | None = None
    description: str = ""


@dataclass
class Commendation(Record):
    """A commendation to a person or a collective (model or unit)."""

    recipient_kind: str = "person"  # person | model | unit
    recipient_id: str = ""
    form: str = "giay_khen"
    authority: str = ""
    decision_no: str = ""
    decision_date: str = ""
    achievement: str = ""
    register_no: str = ""
    notes: str = ""

    @property
    def collective(self) -> bool:
        """True for a model or a unit (tập thể)."""
        return self.recipient_kind != "person"


# The biên bản's details and the event columns that keep them (core.schema.MINUTES_COLUMNS).
MINUTES_FIELDS = {"start_time": "minutes_start", "end_time": "minutes_end",
                  "place": "minutes_place", "chair": "minutes_chair",
                  "secretary": "minutes_secretary", "content": "minutes_content",
                  "result": "minutes_result"}


@dataclass
class MinutesDetails:
    """What a biên bản says beyond the event record (empty: a line to fill in by hand)."""

    start_time: str = ""     # “8 giờ 00”
    end_time: str = ""
    place: str = ""
    chair: str = ""          # họ tên, chức vụ
    secretary: str = ""
    content: str = ""
    result: str = ""

    def cleaned(self) -> "MinutesDetails":
        """Every field as NFC text, each line trimmed (the content keeps its paragraphs)."""
        return MinutesDetails(**{name: paragraphs(getattr(self, name))
                                 for name in MINUTES_FIELDS})

    @classmethod
    def of_event(cls, event: Event) -> "MinutesDetails":
        """What the event keeps of its biên bản (empty strings when nothing was saved)."""
        return cls(**{name: getattr(event, column) or "" for name, column in
                      MINUTES_FIELDS.items()})

    def is_empty(self) -> bool:
        """True when nothing is filled in."""
        return not any(getattr(self, name).strip() for name in MINUTES_FIELDS)

