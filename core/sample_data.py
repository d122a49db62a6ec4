"""Realistic, reproducible sample data ("dữ liệu mẫu") for training, demos and benchmarks.

:func:`generate` makes plain records (no database): units of every kind, models of
every type, persons with accented Vietnamese names, memberships, a year of events,
results and commendations, scaled by a factor and seeded so the same call always
gives the same data. :func:`fill` writes them through the services (validated and
audited like typed data).
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from core.catalog import EVENT_TYPES, MODEL_TYPES, RESULT_TYPES
from core.records import (Commendation, Event, Membership, Model, Person, Result, Unit,
                          UnitYear)

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
          "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Lò", "Hà", "Quàng"]
MIDDLE_MALE = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Thành", "Xuân", "Ngọc", "Đình"]
MIDDLE_FEMALE = ["Thị", "Ngọc", "Thu", "Thanh", "Hồng", "Minh", "Kim", "Thúy", "Phương"]
GIVEN_MALE = ["An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hải", "Hùng", "Huy", "Khánh",
              "Long", "Mạnh", "Nam", "Phúc", "Quân", "Sơn", "Tài", "Thắng", "Toàn", "Tuấn",
              "Việt", "Vinh", "Hòa", "Thủy", "Lâm"]
GIVEN_FEMALE = ["Anh", "Ánh", "Châu", "Dung", "Đào", "Hà", "Hạnh", "Hoa", "Hương", "Lan",
                "Liên", "Mai", "Ngân", "Nhung", "Oanh", "Phượng", "Quyên", "Thảo", "Trang",
                "Tuyết", "Uyên", "Yến", "Thủy", "Hòa"]
ETHNICITIES = ["Kinh"] * 8 + ["Mường", "Tày", "Thái", "Dao", "Mông"]
OCCUPATIONS = ["Làm ruộng", "Buôn bán", "Công nhân", "Giáo viên", "Cán bộ hưu trí",
               "Lao động tự do", "Chăn nuôi", "Thợ xây", "Bộ đội xuất ngũ"]
VILLAGE_PREFIX = ["Thôn", "Xóm", "Tổ dân phố", "Bản", "Khu phố"]
VILLAGE_NAMES = ["Đông", "Tây", "Nam", "Bắc", "Trung", "Thượng", "Hạ", "Tân Lập", "Hòa Bình",
                 "Quyết Thắng", "Đoàn Kết", "Tiến Bộ", "Thống Nhất", "Phú Xuân", "An Lạc",
                 "Lạc Long", "Hưng Thịnh", "Đồng Tâm"]


@dataclass
class Sample:
    """A generated station's records, in dependency order."""

    units: list[Unit] = field(default_factory=list)
    unit_years: list[UnitYear] = field(default_factory=list)
    models: list[Model] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    commendations: list[Commendation] = field(default_factory=list)


def _uuid(rng: random.Random) -> str:
    import uuid
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _date(rng: random.Random, start: dt.date, end: dt.date) -> str:
    return (start + dt.timedelta(days=rng.randrange((end - start).days + 1))).isoformat()


def _person(rng: random.Random, index: int) -> Person:
    female = rng.random() < 0.35
    family = rng.choice(FAMILY)
    middle = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
    given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    born = dt.date(rng.randint(1956, 2004), rng.randint(1, 12), rng.randint(1, 28))
    return Person(
        id=_uuid(rng), family_name=family, middle_name=middle, given_name=given,
        full_name=f"{family} {middle} {given}", birth_date=born.isoformat(),
        gender="nu" if female else "nam", id_number=f"{rng.randint(1, 96):03d}"
        f"{int(female)}{born.year % 100:02d}{index:06d}",
        ethnicity=rng.choice(ETHNICITIES), religion=rng.choice(["Không"] * 5 + ["Phật giáo",
                                                                               "Công giáo"]),
        occupation=rng.choice(OCCUPATIONS), phone=f"09{rng.randint(10_000_000, 99_999_999)}",
        residence_since=dt.date(rng.randint(1980, 2024), 1, 1).isoformat())


def generate(scale: float = 1.0, *, seed: int = 2026, year: int = 2026,
             members_per_commune: int | None = None) -> Sample:
    """A commune's data; ``scale=1`` gives about 2,000 memberships in ~120 models.

    *members_per_commune* overrides the membership count implied by *scale*.
    """
    rng = random.Random(seed)
    sample = Sample()
    target = members_per_commune or max(20, int(2000 * scale))
    n_villages = max(3, min(40, target // 150))
    n_others = max(2, n_villages // 3)
    used: set[str] = set()
    for i in range(n_villages):
        name = f"{rng.choice(VILLAGE_PREFIX)} {rng.choice(VILLAGE_NAMES)}"
        while name in used:
            name = f"{name} {len(used) + 1}"
        used.add(name)
        sample.units.append(Unit(id=_uuid(rng), name=name, type="khu_dan_cu",
                                 households=rng.randint(80, 600), head=_person(rng, i).full_name))
    kinds = [("co_quan", "Ủy ban nhân dân xã"), ("nha_truong", "Trường THCS"),
             ("nha_truong", "Trường Tiểu học"), ("doanh_nghiep", "Công ty TNHH May"),
             ("doanh_nghiep", "Hợp tác xã Nông nghiệp"), ("co_quan", "Trạm Y tế xã")]
    for i in range(n_others):
        type_, label = kinds[i % len(kinds)]
        sample.units.append(Unit(id=_uuid(rng), name=f"{label} {i + 1}", type=type_))
    for unit in sample.units:
        registered = rng.random() < 0.9
        sample.unit_years.append(UnitYear(
            id=_uuid(rng), unit_id=unit.id, year=year, registered=registered,
            recognised=registered and rng.random() < 0.8,
            decision_no=f"{rng.randint(1, 300)}/QĐ-UBND" if registered else ""))
    _models(rng, sample, target, year)
    _activities(rng, sample, year)
    return sample


def _models(rng: random.Random, sample: Sample, target: int, year: int) -> None:
    villages = [u for u in sample.units if u.type == "khu_dan_cu"]
    codes = MODEL_TYPES.codes()
    n_models = max(len(codes), target // 17)
    for i in range(n_models):
        type_ = codes[i % len(codes)] if i < len(codes) else rng.choice(
            ["to_an_ninh_nhan_dan"] * 4 + codes)
        unit = rng.choice(villages if rng.random() < 0.8 else sample.units)
        launched = _date(rng, dt.date(2015, 1, 1), dt.date(year, 10, 31))
        sample.models.append(Model(
            id=_uuid(rng), name=f"{MODEL_TYPES.label(type_)} {unit.name} {i + 1}", type=type_,
            unit_ids=[unit.id], launch_date=launched, decision_no=f"{i + 1}/QĐ-UBND",
            decision_date=launched, status=rng.choice(
                ["hieu_qua"] * 3 + ["binh_thuong"] * 5 + ["yeu", "ngung"]),
            advanced=rng.random() < 0.08, advanced_by="Cục V05" if rng.random() < 0.3 else ""))
    per_person = 1.15
    n_persons = max(1, int(target / per_person))
    sample.persons = [_person(rng, i) for i in range(n_persons)]
    base, extra = divmod(target, len(sample.models))
    # Everyone belongs somewhere: hand persons out in a shuffled cycle, so each person
    # gets a first membership before anyone gets a second.
    queue = list(sample.persons)
    rng.shuffle(queue)
    cursor = 0
    for index, model in enumerate(sample.models):
        size = min(base + (1 if index < extra else 0), len(sample.persons))
        chosen: dict[str, Person] = {}
        while len(chosen) < size:
            person = queue[cursor % len(queue)]
            cursor += 1
            chosen.setdefault(person.id, person)
        for position, person in enumerate(chosen.values()):
            role = "to_truong" if position == 0 else rng.choice(["to_pho"] + ["thanh_vien"] * 8)
            left = rng.random() < 0.05 and role != "to_truong"
            join = _date(rng, _earliest_join(person), dt.date(year, 6, 1))
            sample.memberships.append(Membership(
                id=_uuid(rng), person_id=person.id, model_id=model.id, role=role,
                join_date=join,
                leave_date=_date(rng, dt.date(year, 6, 2), dt.date(year, 11, 30)) if left else None))


def _earliest_join(person: Person) -> dt.date:
    """Joining no earlier than 2015, at 18, and after a year of residence (the Tổ bảo
    vệ ANTT criteria, so that demo data raises no warnings)."""
    born = dt.date.fromisoformat(person.birth_date)
    resident = dt.date.fromisoformat(person.residence_since)
    return max(dt.date(2015, 1, 1), dt.date(born.year + 18, born.month, born.day),
               dt.date(resident.year + 1, resident.month, resident.day))


def _activities(rng: random.Random, sample: Sample, year: int) -> None:
    start, end = dt.date(year - 1, 12, 15), dt.date(year, 12, 14)
    for i in range(max(12, len(sample.models) // 2)):
        type_ = rng.choice(EVENT_TYPES.codes())
        unit = rng.choice(sample.units)
        sample.events.append(Event(
            id=_uuid(rng), date=_date(rng, start, end), type=type_,
            title=f"{EVENT_TYPES.label(type_)} tại {unit.name} (đợt {i + 1})", unit_id=unit.id,
            model_ids=[rng.choice(sample.models).id], participants=rng.randint(15, 300),
            organiser="Công an xã"))
    for _ in range(max(12, len(sample.models) // 2)):
        model = rng.choice(sample.models)
        sample.results.append(Result(
            id=_uuid(rng), date=_date(rng, start, end), type=rng.choice(RESULT_TYPES.codes()),
            quantity=rng.randint(1, 12), unit_id=model.unit_ids[0], model_id=model.id,
            description=f"Kết quả từ {model.name}"))
    picked = rng.sample(sample.persons, min(len(sample.persons), max(5, len(sample.models) // 8)))
    for i, person in enumerate(picked):
        sample.commendations.append(Commendation(
            id=_uuid(rng), recipient_kind="person", recipient_id=person.id, form="giay_khen",
            authority="chu_tich_ubnd_xa", decision_no=f"{100 + i // 20}/QĐ-UBND",
            decision_date=f"{year}-08-19", register_no=str(i + 1),
            achievement="Đã có thành tích xuất sắc trong phong trào toàn dân bảo vệ "
                        f"an ninh Tổ quốc năm {year}"))
    for i, model in enumerate(rng.sample(sample.models, min(3, len(sample.models)))):
        sample.commendations.append(Commendation(
            id=_uuid(rng), recipient_kind="model", recipient_id=model.id, form="giay_khen",
            authority="giam_doc_ca_tinh", decision_no=f"{500 + i}/QĐ-CAT",
            decision_date=f"{year}-08-19",
            achievement="Đã có thành tích tiêu biểu trong xây dựng mô hình tự quản"))


def fill(ctx, sample: Sample) -> int:
    """Write *sample* through the repositories in one transaction; returns records written."""
    from core.repos.activities import CommendationRepo, EventRepo, ResultRepo
    from core.repos.models import ModelRepo
    from core.repos.persons import MembershipRepo, PersonRepo
    from core.repos.units import UnitRepo, UnitYearRepo
    from core.services.common import guard
    guard(ctx, "edit")
    pairs = [(UnitRepo, sample.units), (UnitYearRepo, sample.unit_years),
             (ModelRepo, sample.models), (PersonRepo, sample.persons),
             (MembershipRepo, sample.memberships), (EventRepo, sample.events),
             (ResultRepo, sample.results), (CommendationRepo, sample.commendations)]
    written = 0
    with ctx.store.transaction():
        for repo_type, records in pairs:
            repo = repo_type(ctx.store)
            for record in records:
                repo.save(record)
                written += 1
    return written
