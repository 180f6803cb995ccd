"""Cadre work in the demo: the demo province's agencies (the Tỉnh ủy's boards, the
departments of the provincial People's Committee) and the demo commune's, with their leaders
as cadre records, positions and appointments (some due for re-appointment within 90 days,
some retiring this year), planning lists for 2025–2030 and 2030–2035 (with cadres planned
earlier who no longer meet the age criterion), and staffing quotas 2021–2026 with the 2025
cuts of the apparatus reorganization (Nghị quyết 18-NQ/TW, Nghị định 178/2024/NĐ-CP).

A step of `tochuc.demo.builders.STEPS` (`build` below), written in bulk; it imports nothing
of the demo package (names come from `ctx.names`).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from tochuc.core import audit
from tochuc.lib import vntext
from tochuc.lib.dates import add_months
from tochuc.lib.paths import under
from tochuc.members.models import ACTIVE_STATUSES, Member
from tochuc.organizations.models import Organization
from tochuc.policy.retirement import retires_on
from tochuc.policy.rules import policy_for

from .models import (
    Agency,
    Appointment,
    Cadre,
    PlannedPosition,
    PlanningEntry,
    Position,
    Reduction,
    Rotation,
    StaffingQuota,
    Training,
)

# (code, name, quota 2021, the leader's title, the deputy's title)
PROVINCE_AGENCIES = (
    ("BTC", "Ban Tổ chức Tỉnh ủy", 34, "Trưởng ban", "Phó Trưởng ban"),
    ("VPTU", "Văn phòng Tỉnh ủy", 62, "Chánh Văn phòng", "Phó Chánh Văn phòng"),
    ("UBKT", "Ủy ban Kiểm tra Tỉnh ủy", 31, "Chủ nhiệm", "Phó Chủ nhiệm"),
    ("BTGDV", "Ban Tuyên giáo và Dân vận Tỉnh ủy", 45, "Trưởng ban", "Phó Trưởng ban"),
    ("SNV", "Sở Nội vụ tỉnh Lạng Sơn", 66, "Giám đốc", "Phó Giám đốc"),
    ("STC", "Sở Tài chính tỉnh Lạng Sơn", 88, "Giám đốc", "Phó Giám đốc"),
    ("SGDDT", "Sở Giáo dục và Đào tạo tỉnh Lạng Sơn", 72, "Giám đốc", "Phó Giám đốc"),
    ("SYT", "Sở Y tế tỉnh Lạng Sơn", 68, "Giám đốc", "Phó Giám đốc"),
    ("VPUB", "Văn phòng Ủy ban nhân dân tỉnh Lạng Sơn", 79, "Chánh Văn phòng",
     "Phó Chánh Văn phòng"),
)  # fmt: skip
COMMUNE_AGENCIES = (
    ("VPDU", "Văn phòng Đảng ủy", 6, "Chánh Văn phòng", "Phó Chánh Văn phòng"),
    ("VPUB", "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân", 9, "Chánh Văn phòng",
     "Phó Chánh Văn phòng"),
    ("PKT", "Phòng Kinh tế", 7, "Trưởng phòng", "Phó Trưởng phòng"),
    ("PVHXH", "Phòng Văn hóa – Xã hội", 7, "Trưởng phòng", "Phó Trưởng phòng"),
)  # fmt: skip
# The share of the 2024 quota cut in 2025 (the reorganization of the apparatus).
CUT_2025 = 0.18
PROVINCE_PLANNED = (
    ("Bí thư Tỉnh ủy", "cao_cap"),
    ("Phó Bí thư Tỉnh ủy", "cao_cap"),
    ("Chủ tịch Ủy ban nhân dân tỉnh", "cao_cap"),
    ("Trưởng Ban Tổ chức Tỉnh ủy", "cao_cap"),
    ("Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy", "cao_cap"),
)
COMMUNE_PLANNED = (
    ("Bí thư Đảng ủy xã", "trung_cap"),
    ("Chủ tịch Ủy ban nhân dân xã", "trung_cap"),
)


class _Book:
    """Decision numbers of one issuer, in order: 12-QĐ/TU, 13-QĐ/TU …"""

    def __init__(self, suffix: str):
        self.suffix, self.number = suffix, 0

    def __call__(self) -> str:
        self.number += 1
        return f"{self.number}-QĐ/{self.suffix}"


def _agencies(owner: Organization, specs, prefix: str) -> list[Agency]:
    made = [
        Agency(organization=owner, code=f"{owner.code}.CQ.{code}",
               name=name if prefix == "" else f"{name} {prefix}",
               name_sort=vntext.sort_key(name if prefix == "" else f"{name} {prefix}"))
        for code, name, *_rest in specs
    ]  # fmt: skip
    return Agency.objects.bulk_create(made)


def _quotas(agencies, specs, years, rng) -> tuple[list[StaffingQuota], list[Reduction]]:
    quotas, reductions = [], []
    for agency, (_code, _name, base, *_titles) in zip(agencies, specs, strict=True):
        assigned = base
        for year in years:
            planned = 0
            if year == 2025:
                planned = round(assigned * CUT_2025)
                cut = planned - rng.randint(0, 2)
                reductions.append(Reduction(
                    agency=agency, on=date(2025, 6, 30), count=max(cut, 1),
                    reason=Reduction.Reason.EARLY_RETIREMENT,
                    decision_no=f"{rng.randint(300, 900)}-QĐ/UBND",
                ))  # fmt: skip
                assigned -= planned
            elif year > years[0] and year < 2025:
                planned = rng.randint(0, 1)
                assigned -= planned
            actual = assigned - rng.randint(0, max(1, assigned // 15))
            quotas.append(StaffingQuota(
                agency=agency, year=year, assigned=assigned, actual=actual,
                planned_reduction=planned, decision_no=f"{rng.randint(10, 99)}-QĐ/TU",
            ))  # fmt: skip
    return quotas, reductions


def _born_retiring_in(year: int, gender: str, rng, policy) -> date:
    """A birth date whose retirement falls in `year`."""
    months = (
        policy.retirement_first_male_months
        if gender == "male"
        else (policy.retirement_first_female_months)
    )
    for _ in range(200):
        born = date(year - months // 12 - rng.randint(0, 2), rng.randint(1, 12), rng.randint(1, 28))
        if retires_on(born, gender, policy).year == year:
            return born
    raise ValueError("no birth date")


class _People:
    def __init__(self, committee, names, rng, today, policy):
        self.committee, self.names, self.rng = committee, names, rng
        self.today, self.policy = today, policy
        self.cadres: list[Cadre] = []

    def add(self, *, born: date | None = None, gender: str | None = None,
            theory: str = "cao_cap", member: Member | None = None) -> Cadre:  # fmt: skip
        rng = self.rng
        if member is not None:
            gender, born, ethnicity = member.gender, member.birth_date, member.ethnicity
            name = member.full_name
        else:
            gender = gender or ("female" if rng.random() < 0.3 else "male")
            first = 1968 if gender == "male" else 1973  # both with years of work ahead
            born = born or date(rng.randint(first, 1986), rng.randint(1, 12), rng.randint(1, 28))
            ethnicity = self.names.ETHNICITY(rng)
            name = self.names.full_name(rng, gender=gender, ethnicity=ethnicity, born=born.year)
        cadre = Cadre(
            committee=self.committee, member=member, full_name=name,
            name_sort=vntext.person_sort_key(name), name_folded=vntext.fold(name)[:120],
            gender=gender, birth_date=born, ethnicity=ethnicity, political_theory=theory,
            qualification=rng.choice(("Thạc sĩ Quản lý công", "Cử nhân Luật",
                                      "Thạc sĩ Kinh tế", "Cử nhân Hành chính")),
        )  # fmt: skip
        self.cadres.append(cadre)
        return cadre


def _appoint(cadre, title, agency, starts_on, book, policy, positions, appointments, today):
    """A first appointment from `starts_on` for a term, held still."""
    retires = retires_on(cadre.birth_date, cadre.gender, policy)
    term_end = min(add_months(starts_on, policy.appointment_term_months), retires)
    decided = starts_on - timedelta(days=7)
    left = retires if retires <= today else None  # retired: the post ended
    position = Position(cadre=cadre, title=title, agency=agency, starts_on=starts_on,
                        ends_on=left, term_ends_on=term_end, decision_no=book(),
                        decided_on=decided)  # fmt: skip
    positions.append(position)
    appointments.append((position, Appointment(
        cadre=cadre, kind=Appointment.Kind.FIRST, decision_no=position.decision_no,
        decided_on=decided, starts_on=starts_on, term_ends_on=term_end,
    )))  # fmt: skip
    return position


def _staff(people, agencies, specs, book, today, policy, rng, *, due: int, retiring: int):
    """A leader and a deputy per agency: `due` of them with a term ending within the
    notice, `retiring` retiring this year; the rest appointed at a random date."""
    positions, appointments = [], []
    notice = policy.reappointment_notice_days
    slots = [(a, s[3]) for a, s in zip(agencies, specs, strict=True)]
    slots += [(a, s[4]) for a, s in zip(agencies, specs, strict=True)]
    for index, (agency, title) in enumerate(slots):
        if index < retiring:
            gender = "male" if index % 2 == 0 else "female"
            cadre = people.add(born=_born_retiring_in(today.year, gender, rng, policy),
                               gender=gender)  # fmt: skip
            starts = date(today.year - 3, rng.randint(1, 12), 1)
        elif index < retiring + due:
            cadre = people.add(born=date(rng.randint(1972, 1980), rng.randint(1, 12), 10))
            ends = today + timedelta(days=rng.randint(10, notice - 5))
            starts = add_months(ends, -policy.appointment_term_months)
        else:
            cadre = people.add()
            # Well inside the term: not due before the notice.
            starts = add_months(today, -rng.randint(4, 48)).replace(day=1)
        _appoint(cadre, title, agency, starts, book, policy, positions, appointments, today)
    return positions, appointments


def _planning(positions_spec, committee, candidates, today, rng, policy) -> tuple[list, list]:
    """Planned positions of `committee` and the lists of both terms: for 2025–2030 cadres
    planned at the 2022 review, one of them now short of the age criterion in the first
    position; for 2030–2035 younger cadres planned at the 2025 review."""
    planned = PlannedPosition.objects.bulk_create([
        PlannedPosition(committee=committee, title=t, min_theory=m, order=n)
        for n, (t, m) in enumerate(positions_spec, start=1)
    ])  # fmt: skip
    entries = []
    older = sorted(candidates, key=lambda c: c.birth_date)
    younger = [c for c in older if c.birth_date.year >= 1976]
    per_cadre: dict[int, int] = {}
    for position in planned:
        for term, pool, added in ((2025, older, date(2022, 9, 15)),
                                  (2030, younger, date(2025, 10, 20))):  # fmt: skip
            target, chosen = rng.randint(2, 3), []
            for cadre in rng.sample(pool, len(pool)):
                if len(chosen) == target:
                    break
                if per_cadre.get(cadre.pk, 0) < policy.planning_max_positions_per_cadre:
                    chosen.append(cadre)
            if term == 2025 and position.order == 1 and older and older[0] not in chosen:
                chosen = [*chosen[: target - 1], older[0]]  # the eldest: retires before 2030
            for cadre in chosen:
                per_cadre[cadre.pk] = per_cadre.get(cadre.pk, 0) + 1
                entries.append(
                    PlanningEntry(
                        position=position,
                        cadre=cadre,
                        term_start=term,
                        added_on=added,
                        decision_no=f"{term}-QĐ/TU",
                    )
                )
    PlanningEntry.objects.bulk_create(entries)
    return planned, entries


def _rotations_and_training(people, commune, today, rng) -> tuple[list, list]:
    """Two provincial cadres rotated to the commune (one due back within the notice), and a
    political theory degree for each cadre of the province."""
    young = sorted((c for c in people.cadres if c.birth_date.year >= 1976),
                   key=lambda c: c.name_sort)[:2]  # fmt: skip
    rotations = []
    for cadre, months_ago, planned in zip(young, (22, 10), (24, 36), strict=False):
        starts = add_months(today, -months_ago).replace(day=1)
        rotations.append(Rotation(
            cadre=cadre, from_position="Phó Trưởng ban, cơ quan tỉnh",
            to_position="Phó Bí thư Thường trực Đảng ủy", to_unit=commune.name,
            starts_on=starts, planned_months=planned, due_back_on=add_months(starts, planned),
            decision_no=f"{rng.randint(100, 400)}-QĐ/TU",
        ))  # fmt: skip
    trainings = []
    for cadre in people.cadres:
        start = date(rng.randint(2012, 2019), 9, 1)
        trainings.append(Training(
            cadre=cadre, kind=Training.Kind.POLITICAL_THEORY, theory_level=cadre.political_theory,
            name="Cao cấp lý luận chính trị", institution="Học viện Chính trị khu vực I",
            starts_on=start, ends_on=add_months(start, 18), completed=True, result="Khá",
        ))  # fmt: skip
    Rotation.objects.bulk_create(rotations)
    Training.objects.bulk_create(trainings)
    return rotations, trainings


def seed_cadres(province: Organization, commune: Organization, *, names, today: date | None = None,
                rng: random.Random | None = None) -> dict:  # fmt: skip
    today = today or timezone.localdate()
    rng = rng or random.Random(2025)
    policy = policy_for(today)
    made = {}
    # Agencies and quotas: the province's 2021–2026, the new commune's from its founding.
    province_agencies = _agencies(province, PROVINCE_AGENCIES, "")
    commune_agencies = _agencies(commune, COMMUNE_AGENCIES, commune.name.split(" ", 2)[-1])
    quotas, reductions = _quotas(province_agencies, PROVINCE_AGENCIES,
                                 list(range(2021, 2027)), rng)  # fmt: skip
    more_quotas, _none = _quotas(commune_agencies, COMMUNE_AGENCIES, [2026], rng)
    StaffingQuota.objects.bulk_create(quotas + more_quotas)
    Reduction.objects.bulk_create(reductions)
    # The cadres: the province's agency leaders, the commune's, some of them its members.
    cadres, positions, appointments = [], [], []
    people = _People(province, names, rng, today, policy)
    p, a = _staff(people, province_agencies, PROVINCE_AGENCIES, _Book("TU"), today, policy, rng,
                  due=4, retiring=3)  # fmt: skip
    positions += p
    appointments += a
    commune_people = _People(commune, names, rng, today, policy)
    members = list(
        Member.objects.filter(under("org_path", commune.path), status__in=ACTIVE_STATUSES,
                              birth_date__gte=date(1972, 1, 1), birth_date__lte=date(1990, 1, 1))
        .order_by("name_sort", "id")[:3]
    )  # fmt: skip
    for member in members:
        commune_people.add(member=member, theory="trung_cap")
    p, a = _staff(commune_people, commune_agencies, COMMUNE_AGENCIES, _Book("ĐU"), today, policy,
                  rng, due=1, retiring=1)  # fmt: skip
    positions += p
    appointments += a
    cadres = Cadre.objects.bulk_create(people.cadres + commune_people.cadres)
    Position.objects.bulk_create(positions)
    for position, appointment in appointments:
        appointment.position = position
    Appointment.objects.bulk_create([ap for _p, ap in appointments])
    audit.record_many(
        "tochuc.cadre.created",
        ((c, "Dữ liệu mẫu", {"committee": c.committee.code}) for c in cadres),
    )
    planned, entries = _planning(PROVINCE_PLANNED, province, people.cadres, today, rng, policy)
    rotations, trainings = _rotations_and_training(people, commune, today, rng)
    more, more_entries = _planning(COMMUNE_PLANNED, commune, commune_people.cadres, today, rng,
                                   policy)  # fmt: skip
    made.update(agencies=len(province_agencies) + len(commune_agencies),
                quotas=len(quotas) + len(more_quotas), reductions=len(reductions),
                cadres=len(cadres), positions=len(positions),
                planned_positions=len(planned) + len(more),
                planning_entries=len(entries) + len(more_entries), rotations=len(rotations),
                trainings=len(trainings))  # fmt: skip
    return made


def build(ctx) -> None:
    province = ctx.registry.get("province")
    commune = ctx.registry.get("commune")
    made = seed_cadres(province, commune, names=ctx.names,
                       rng=random.Random(f"{ctx.seed}-cadres"))  # fmt: skip
    ctx.write(
        f"  {made['cadres']} cán bộ, {made['positions']} chức vụ, {made['planning_entries']} "
        f"lượt quy hoạch ({made['planned_positions']} chức danh), {made['agencies']} cơ quan "
        f"với biên chế 2021–2026 ({made['reductions']} quyết định tinh giản năm 2025); "
        f"{made['rotations']} cán bộ luân chuyển."
    )
