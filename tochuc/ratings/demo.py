"""Quality rating in the demo: the demo commune's decided 2024 session and its 2025 session
in progress, with plausible scores that respect the cap on "xuất sắc", two members rated
"không hoàn thành" both years (the screening list), and a few votes of confidence.

A step of `tochuc.demo.builders.STEPS` (`build` below). The sessions are opened by the
service (which lists whom they rate); the steps' results are then written in bulk with the
same rules (bands, cap) so that the step stays fast.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection

from tochuc.lib.paths import under
from tochuc.members.models import ACTIVE_STATUSES, Member
from tochuc.organizations.models import Organization
from tochuc.policy.rules import policy_for

from . import services
from .models import ConfidenceVote, Level, RatingSession, RatingSubject, Step

# The share of each level the demo draws (before the cap): most members "tốt".
WEIGHTS = {Level.EXCELLENT: 18, Level.GOOD: 62, Level.DONE: 17, Level.NOT_DONE: 3}
BANDS = {
    Level.EXCELLENT: (Decimal("90"), Decimal("98")),
    Level.GOOD: (Decimal("70"), Decimal("89.5")),
    Level.DONE: (Decimal("50"), Decimal("69.5")),
    Level.NOT_DONE: (Decimal("30"), Decimal("49.5")),
}
POSITIONS = (
    ("Bí thư Đảng ủy xã", 0.9),
    ("Phó Bí thư Thường trực Đảng ủy xã", 0.7),
    ("Chủ tịch Ủy ban nhân dân xã", 0.4),  # flagged: high confidence under half
)
CENT = Decimal("0.01")


def _score(level: str, rng: random.Random) -> Decimal:
    low, high = BANDS[level]
    steps = int((high - low) / Decimal("0.5"))
    return low + Decimal("0.5") * rng.randint(0, steps)


def _criteria(total: Decimal, sheet) -> list[str]:
    parts = [(total * top / 100).quantize(CENT, rounding=ROUND_HALF_UP) for _label, top in sheet]
    parts[-1] += total - sum(parts)
    return [str(p) for p in parts]


def _levels(subjects: list[RatingSubject], rng: random.Random, policy, forced) -> None:
    """Draw a level for each subject, then hold "xuất sắc" to the cap in each group."""
    groups = defaultdict(list)
    for subject in subjects:
        level = (
            forced.get(subject.member_id)
            or rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
        )
        subject.final_level = level
        groups[(subject.kind, subject.cap_group_id)].append(subject)
    for members in groups.values():
        good = sum(1 for s in members if s.final_level == Level.GOOD)
        allowed = services.excellent_allowed(good, policy)
        for subject in [s for s in members if s.final_level == Level.EXCELLENT][allowed:]:
            subject.final_level = Level.GOOD


def _fill(subject: RatingSubject, level: str, step: str, days: dict, rng, policy) -> None:
    score = _score(level, rng)
    sheet = services.criteria_for(subject.kind, policy)
    subject.step = step
    if step == Step.PENDING:
        subject.final_level = ""
        return
    subject.criteria_scores = _criteria(score, sheet)
    subject.self_score, subject.self_level = score, services.level_for(score, policy)
    subject.self_on = days["self"]
    subject.self_comment = "Hoàn thành các nhiệm vụ được giao."
    if step in (Step.PROPOSED, Step.DECIDED):
        subject.proposed_level, subject.proposed_on = level, days["proposed"]
    if step == Step.DECIDED:
        subject.final_level, subject.decided_on = level, days["decided"]
        subject.decision_no = days["decision_no"]
    else:
        subject.final_level = ""


FIELDS = [
    "step", "criteria_scores", "self_score", "self_level", "self_on", "self_comment",
    "proposed_level", "proposed_on", "final_level", "decided_on", "decision_no",
]  # fmt: skip


def _session(commune, year, listed_on, rng, *, in_progress, forced, by=None) -> RatingSession:
    session = services.rating_session_open(
        organization=commune, kind="year", year=year, listed_on=listed_on, by=by
    )
    policy = policy_for(session.ends_on)
    subjects = list(session.subjects.all())
    _levels(subjects, rng, policy, forced)
    days = {
        "self": date(year, 12, 8), "proposed": date(year, 12, 15), "decided": date(year, 12, 26),
        "decision_no": f"{rng.randint(150, 260)}-QĐ/ĐU",
    }  # fmt: skip
    steps = {}
    for subject in subjects:
        steps[subject.pk] = Step.DECIDED
        if in_progress and subject.member_id not in forced:
            steps[subject.pk] = rng.choices(
                [Step.DECIDED, Step.PROPOSED, Step.SELF_ASSESSED, Step.PENDING],
                weights=[55, 20, 15, 10],
            )[0]
    # What is decided keeps to the cap on its own: a "xuất sắc" beyond it waits, proposed.
    groups = defaultdict(list)
    for subject in subjects:
        if steps[subject.pk] == Step.DECIDED:
            groups[(subject.kind, subject.cap_group_id)].append(subject)
    for decided in groups.values():
        good = sum(1 for s in decided if s.final_level == Level.GOOD)
        allowed = services.excellent_allowed(good, policy)
        for subject in [s for s in decided if s.final_level == Level.EXCELLENT][allowed:]:
            steps[subject.pk] = Step.PROPOSED
    for subject in subjects:
        _fill(subject, subject.final_level, steps[subject.pk], days, rng, policy)
    _save_steps(subjects)
    return session


def _save_steps(subjects: list[RatingSubject]) -> None:
    """One UPDATE per subject, sent together: Django's bulk_update composes a CASE per row
    and field, which took 40 s for a commune's 930 subjects."""
    fields = [RatingSubject._meta.get_field(name) for name in FIELDS]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = f"UPDATE {quote(RatingSubject._meta.db_table)} SET {assignments} WHERE id = %s"
    rows = [
        [f.get_db_prep_save(getattr(s, f.attname), connection) for f in fields] + [s.pk]
        for s in subjects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _votes(commune: Organization, members: list[Member], rng: random.Random) -> int:
    made = []
    for (position, high_share), member in zip(POSITIONS, members, strict=False):
        issued = rng.randint(28, 35)
        valid = issued - rng.randint(0, 2)
        high = round(valid * high_share)
        low = rng.randint(0, max(valid - high, 0) // 3)
        made.append(
            ConfidenceVote(
                member=member, position=position, organization=commune,
                held_on=date(2025, 12, 20), ballots_issued=issued, ballots_valid=valid,
                high=high, medium=valid - high - low, low=low, org_path=commune.path,
            )
        )  # fmt: skip
    ConfidenceVote.objects.bulk_create(made)
    return len(made)


def seed_ratings(commune: Organization, *, rng: random.Random) -> dict:
    """The 2024 session (decided) and the 2025 one (in progress) of `commune`."""
    listed_2024 = max(date(2024, 12, 31), commune.founded_on)
    members = list(
        Member.objects.filter(under("org_path", commune.path), status__in=ACTIVE_STATUSES,
                              is_exempted=False)
        .order_by("name_sort", "id")[:40]
    )  # fmt: skip
    screened = {m.pk: Level.NOT_DONE for m in members[-2:]}
    y2024 = _session(commune, 2024, listed_2024, rng, in_progress=False, forced=screened)
    y2025 = _session(
        commune, 2025, max(date(2025, 12, 31), listed_2024 + timedelta(days=1)), rng,
        in_progress=True, forced=screened,
    )  # fmt: skip
    votes = _votes(commune, members[:3], rng)
    return {"sessions": [y2024, y2025], "votes": votes}


def build(ctx) -> None:
    commune = ctx.registry.get("commune")
    made = seed_ratings(commune, rng=random.Random(f"{ctx.seed}-ratings"))
    counts = [s.subjects.count() for s in made["sessions"]]
    ctx.write(
        f"  Đánh giá, xếp loại năm 2024 và 2025 của {commune.name}: "
        f"{counts[0]} và {counts[1]} đối tượng; {made['votes']} kết quả lấy phiếu tín nhiệm."
    )
