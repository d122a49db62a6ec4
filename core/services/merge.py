"""One person from two: the kept person takes the other's memberships, attendance,
commendations and any value it lacks; the other becomes a tombstone naming it.

Which value survives, field by field (:func:`pick`): the kept person's, unless it
is empty or less precise than the other's — a full birth date over a year alone,
a name written with its diacritics over the same name without, an address that
contains the other (“Xóm 1, thôn Đông” over “thôn Đông”). Two different CCCD
numbers are two different people: such a merge is refused.

Memberships move to the kept person; where both were in the same model the two
become one (the earlier join date, still active if either is, the higher role).
The merged person's tombstone (``merged_into``) travels to the province in the
next package like every change, so the province's copy is merged the same way,
and an import that names the merged person is resolved to the kept one
(:func:`resolve_merged`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from core.errors import UserError
from core.records import Membership, Person
from core.repos.activities import CommendationRepo, EventRepo
from core.repos.persons import MembershipRepo, PersonRepo
from core.services.common import guard
from core.station import Context
from core.store import Changes
from core.text import fold, format_date

# The person fields a merge decides on, with their labels, in the form's order.
FIELDS: tuple[tuple[str, str], ...] = (
    ("full_name", "Họ và tên"), ("birth_date", "Ngày sinh"), ("gender", "Giới tính"),
    ("id_number", "Số định danh (CCCD)"), ("old_id_number", "Số CMND cũ"),
    ("phone", "Điện thoại"), ("address", "Nơi cư trú"),
    ("residence_unit_id", "Khu dân cư"), ("residence_since", "Cư trú từ ngày"),
    ("ethnicity", "Dân tộc"), ("religion", "Tôn giáo"), ("education", "Trình độ"),
    ("occupation", "Nghề nghiệp"), ("health_cert_date", "Ngày giấy khám sức khỏe"),
    ("notes", "Ghi chú"),
)
DATE_FIELDS = {"birth_date", "residence_since", "health_cert_date"}
ROLE_RANK = {"to_truong": 3, "to_pho": 2, "thanh_vien": 1}


@dataclass(frozen=True)
class FieldChoice:
    """One field of the merge: both values, the one kept, and where it came from."""

    field: str
    label: str
    keep: object
    gone: object
    result: object

    @property
    def source(self) -> str:
        """ "keep", "gone" or "same" (equal values, or both empty)."""
        if self.keep == self.gone:
            return "same"
        return "gone" if self.result == self.gone and self.result != self.keep else "keep"

    @property
    def changed(self) -> bool:
        """True when the kept person's value changes (a spelling or a value taken over)."""
        return self.result != self.keep


@dataclass
class MergePlan:
    """What merging *gone* into *keep* would do (nothing is written)."""

    keep: Person
    gone: Person
    fields: list[FieldChoice]
    moved_memberships: int = 0
    joined_memberships: list[str] = field(default_factory=list)  # model names
    events: int = 0
    commendations: int = 0

    def changes_text(self) -> list[str]:
        """Every value of the kept person that changes, in Vietnamese."""
        return [f"{c.label}: “{show(c.field, c.keep)}” → “{show(c.field, c.result)}”"
                for c in self.fields if c.changed]


@dataclass(frozen=True)
class MergeResult:
    """The kept person's id and every change written."""

    person_id: str
    changes: Changes
    plan: MergePlan


def show(field_name: str, value: object) -> str:
    """A value as the merge dialog shows it."""
    if value in (None, ""):
        return ""
    if field_name in DATE_FIELDS:
        return format_date(str(value))
    if field_name == "gender":
        return {"nam": "Nam", "nu": "Nữ"}.get(str(value), str(value))
    return str(value)


# -- choosing values --------------------------------------------------------------

def _marks(text: str) -> int:
    """How many letters carry a diacritic (more: written more precisely)."""
    return sum(1 for ch in text if not ch.isascii())


def pick(field_name: str, keep: object, gone: object) -> object:
    """The value that survives for one field (see the module's docstring)."""
    if keep in (None, ""):
        return gone
    if gone in (None, "") or keep == gone:
        return keep
    if field_name in DATE_FIELDS:
        keep_text, gone_text = str(keep), str(gone)
        if len(keep_text) == 4 and gone_text.startswith(keep_text):
            return gone                 # a full date over the year alone
        return keep
    if isinstance(keep, str) and isinstance(gone, str):
        keep_fold, gone_fold = fold(keep), fold(gone)
        if keep_fold == gone_fold:
            return gone if _marks(gone) > _marks(keep) else keep
        if keep_fold in gone_fold:
            return gone                 # the other says more ("Xóm 1, thôn Đông")
    return keep


def _check(keep: Person, gone: Person) -> None:
    if keep.id == gone.id:
        raise UserError("Hãy chọn hai người khác nhau để gộp.")
    if keep.merged_into or gone.merged_into:
        raise UserError("Người này đã được gộp vào người khác trước đó.")
    if keep.id_number and gone.id_number and keep.id_number != gone.id_number:
        raise UserError(
            f"Không gộp được: “{keep.full_name}” có số định danh {keep.id_number}, "
            f"“{gone.full_name}” có số định danh {gone.id_number}. Hai số định danh khác "
            "nhau là hai người khác nhau.")


def plan_merge(ctx: Context, keep_id: str, gone_id: str) -> MergePlan:
    """What merging *gone_id* into *keep_id* would do; raises UserError when it cannot."""
    guard(ctx, "read")
    repo = PersonRepo(ctx.store)
    keep, gone = repo.get(keep_id), repo.get(gone_id)
    _check(keep, gone)
    choices = [FieldChoice(name, label, getattr(keep, name), getattr(gone, name),
                           pick(name, getattr(keep, name), getattr(gone, name)))
               for name, label in FIELDS]
    plan = MergePlan(keep, gone, choices)
    memberships = MembershipRepo(ctx.store)
    kept_models = {m.model_id for m in memberships.of_person(keep_id)}
    names = dict(ctx.db.execute("SELECT id, name FROM models").fetchall())
    for membership in memberships.of_person(gone_id):
        if membership.model_id in kept_models:
            plan.joined_memberships.append(names.get(membership.model_id, ""))
        else:
            plan.moved_memberships += 1
    plan.events = len(_events_with(ctx, gone_id))
    plan.commendations = len(_commendations_of(ctx, gone_id))
    return plan


def _events_with(ctx: Context, person_id: str) -> list[str]:
    return [r[0] for r in ctx.db.execute(
        "SELECT e.id FROM event_attendees a JOIN events e ON e.id = a.event_id"
        " WHERE a.person_id = ? AND e.deleted = 0 ORDER BY e.rowid", [person_id])]


def _commendations_of(ctx: Context, person_id: str) -> list[str]:
    return CommendationRepo(ctx.store).ids("recipient_kind = 'person' AND recipient_id = ?",
                                           [person_id])


# -- merging ------------------------------------------------------------------------

def merge_persons(ctx: Context, keep_id: str, gone_id: str) -> MergeResult:
    """Merge *gone_id* into *keep_id* in one transaction (see the module's docstring)."""
    guard(ctx, "edit")
    plan = plan_merge(ctx, keep_id, gone_id)
    with ctx.store.transaction() as changes:
        _merge_person(ctx, plan)
        _merge_memberships(ctx, keep_id, gone_id)
        events = EventRepo(ctx.store)
        for event_id in _events_with(ctx, gone_id):
            event = events.get(event_id)
            event.attendee_ids = list(dict.fromkeys(
                keep_id if i == gone_id else i for i in event.attendee_ids))
            events.save(event)
        commendations = CommendationRepo(ctx.store)
        for item_id in _commendations_of(ctx, gone_id):
            item = commendations.get(item_id)
            item.recipient_id = keep_id
            commendations.save(item)
        repo = PersonRepo(ctx.store)
        gone = repo.get(gone_id)
        gone.merged_into = keep_id
        repo.save(gone)
        repo.delete(gone_id)
    return MergeResult(keep_id, changes, plan)


def _merge_person(ctx: Context, plan: MergePlan) -> None:
    person = plan.keep
    for choice in plan.fields:
        setattr(person, choice.field, choice.result)
    name = next(c for c in plan.fields if c.field == "full_name")
    if name.changed:       # the other's spelling: its họ / chữ đệm / tên with it
        gone = plan.gone
        person.family_name, person.middle_name, person.given_name = (
            gone.family_name, gone.middle_name, gone.given_name)
    PersonRepo(ctx.store).save(person)


def _merge_memberships(ctx: Context, keep_id: str, gone_id: str) -> None:
    repo = MembershipRepo(ctx.store)
    kept = {m.model_id: m for m in repo.of_person(keep_id)}
    for membership in repo.of_person(gone_id):
        twin = kept.get(membership.model_id)
        if twin is None:
            membership.person_id = keep_id
            repo.save(membership)
            continue
        repo.save(_joined(twin, membership))
        repo.delete(membership.id)


def _joined(kept: Membership, other: Membership) -> Membership:
    """One membership from two of the same model."""
    if ROLE_RANK.get(other.role, 0) > ROLE_RANK.get(kept.role, 0):
        kept.role = other.role
    joins = [d for d in (kept.join_date, other.join_date) if d]
    kept.join_date = min(joins) if joins else None
    if kept.leave_date and other.leave_date:
        kept.leave_date = max(kept.leave_date, other.leave_date)
        kept.leave_reason = kept.leave_reason or other.leave_reason
    else:                   # still active in either: active
        kept.leave_date, kept.leave_reason = None, ""
    for name in ("decision_no", "decision_date", "rating", "notes"):
        if not getattr(kept, name):
            setattr(kept, name, getattr(other, name))
    return kept


# -- imports ----------------------------------------------------------------------

def resolve_merged(ctx: Context, person_id: str) -> str:
    """The live person a merged person's id now stands for (itself if not merged)."""
    seen = set()
    current = person_id
    while current not in seen:
        seen.add(current)
        row = ctx.db.execute("SELECT merged_into FROM persons WHERE id = ?",
                             [current]).fetchone()
        if row is None or not row[0]:
            return current
        current = row[0]
    return current
