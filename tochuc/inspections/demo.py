"""Supervision, inspection and discipline in the demo commune (registry "commune") in
2025–2026: the committee's and the inspection commission's plans over its organizations and
members, and a few disciplines (khiển trách, cảnh cáo, one khai trừ), each resting on an
inspection that concluded there was a violation.

A step of `tochuc.demo.builders.STEPS`, after the registry, the accounts and the transfers;
everything goes through the services (scope checks, locks, timeline order, audit).
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from tochuc.lib.paths import under
from tochuc.members.models import ACTIVE_STATUSES, Member
from tochuc.organizations.models import Organization

from . import services
from .models import Activity, Body, Conclusion, DisciplineForm, InspectionKind

# (body, activity, organizations, members) per year: roughly a commune's plan.
PLAN = (
    (Body.COMMITTEE, Activity.SUPERVISION, 4, 10),
    (Body.COMMITTEE, Activity.INSPECTION, 1, 2),
    (Body.COMMISSION, Activity.SUPERVISION, 3, 8),
    (Body.COMMISSION, Activity.INSPECTION, 1, 3),
)
PLAN_NUMBERS = {
    (Body.COMMITTEE, Activity.SUPERVISION): "KH/ĐU",
    (Body.COMMITTEE, Activity.INSPECTION): "QĐ/ĐU",
    (Body.COMMISSION, Activity.SUPERVISION): "KH/UBKT",
    (Body.COMMISSION, Activity.INSPECTION): "QĐ/UBKT",
}
DISCIPLINES = (DisciplineForm.REPRIMAND, DisciplineForm.REPRIMAND, DisciplineForm.WARNING,
               DisciplineForm.EXPULSION)  # fmt: skip
FINDINGS = (
    "Thực hiện nghiêm Điều lệ Đảng, nghị quyết của chi bộ; giữ mối liên hệ với nơi cư trú.",
    "Tham gia sinh hoạt chi bộ đầy đủ; đóng đảng phí đúng quy định.",
    "Còn hạn chế trong việc thực hiện nhiệm vụ được giao; cần rút kinh nghiệm.",
)
VIOLATIONS = (
    "Vi phạm quy định về những điều đảng viên không được làm (vay nợ không trả đúng hạn).",
    "Vi phạm nguyên tắc tập trung dân chủ; không chấp hành sự phân công của tổ chức.",
    "Bỏ sinh hoạt đảng nhiều kỳ không có lý do chính đáng; vi phạm pháp luật đến mức bị xử lý.",
)


def _windows(today: date) -> list[tuple[int, date, date]]:
    windows = [(2025, date(2025, 8, 1), date(2025, 12, 10))]
    last = min(today - timedelta(days=20), date(2026, 10, 31))
    if last > date(2026, 1, 5):
        windows.append((2026, date(2026, 1, 5), last))
    return windows


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(max((end - start).days, 1)))


def seed_inspections(commune: Organization, *, today: date, rng: random.Random) -> Counter:
    made: Counter = Counter()
    organizations = list(
        Organization.objects.filter(under("path", commune.path), ended_on__isnull=True)
        .exclude(pk=commune.pk)
        .order_by("path")
    )
    members = list(
        Member.objects.filter(under("org_path", commune.path), status__in=ACTIVE_STATUSES).order_by(
            "name_sort", "id"
        )
    )
    if not organizations or not members:
        return made
    for year, start, end in _windows(today):
        for number, (body, activity, n_orgs, n_members) in enumerate(PLAN, start=1):
            decision_no = f"{number + (year - 2025) * 10:02d}-{PLAN_NUMBERS[(body, activity)]}"
            on = _day(rng, start, end - timedelta(days=30))
            subjects = rng.sample(organizations, min(n_orgs, len(organizations))) + rng.sample(
                members, min(n_members, len(members))
            )
            for subject in subjects:
                is_member = isinstance(subject, Member)
                services.inspection_record(
                    conductor=commune, body=body, activity=activity,
                    kind=rng.choice([InspectionKind.REGULAR, InspectionKind.THEMATIC]),
                    starts_on=on, ends_on=on + timedelta(days=rng.randrange(7, 30)),
                    decision_no=decision_no,
                    subject_member=subject if is_member else None,
                    subject_organization=None if is_member else subject,
                    content="Việc chấp hành Điều lệ Đảng, nghị quyết, chỉ thị của Đảng.",
                    findings=rng.choice(FINDINGS), conclusion=Conclusion.NO_VIOLATION,
                )  # fmt: skip
                made["inspections"] += 1
    made["disciplines"] += _seed_disciplines(commune, members, today=today, rng=rng)
    return made


def _seed_disciplines(commune, members, *, today: date, rng: random.Random) -> int:
    """Each on a member inspected on signs of violation; a member whose timeline would not
    take the decision (a later event) or whose standing does not allow the form (a
    probationary member: khiển trách, cảnh cáo only) is passed over."""
    if today < date(2026, 3, 1):
        return 0
    done = 0
    candidates = iter(rng.sample(members, len(members)))
    for index, form in enumerate(DISCIPLINES, start=1):
        starts_on = min(date(2026, 2, 2) + timedelta(days=45 * index), today - timedelta(days=40))
        decided_on = starts_on + timedelta(days=30)
        for member in candidates:
            try:
                with transaction.atomic():  # the pair, or nothing
                    _inspect_and_decide(commune, member, form, index, starts_on, decided_on, rng)
            except ValidationError:
                continue
            done += 1
            break
    return done


def _inspect_and_decide(commune, member, form, index, starts_on, decided_on, rng):
    inspection = services.inspection_record(
        conductor=commune, body=Body.COMMISSION, activity=Activity.INSPECTION,
        kind=InspectionKind.ON_SIGNS, starts_on=starts_on,
        ends_on=starts_on + timedelta(days=20), decision_no=f"{20 + index}-QĐ/UBKT",
        subject_member=member, findings=rng.choice(VIOLATIONS),
        conclusion=Conclusion.DISCIPLINE,
        conclusion_text="Có vi phạm đến mức phải xem xét kỷ luật.",
    )  # fmt: skip
    decision = services.discipline_decide(
        authority=commune, body=Body.COMMISSION, form=form,
        decision_no=f"{index:02d}-QĐ/UBKT", decided_on=decided_on,
        effective_on=decided_on, reasons=inspection.findings,
        subject_member=member, inspection=inspection,
        authority_level="Ủy ban Kiểm tra Đảng ủy xã",
    )  # fmt: skip
    return inspection, decision


def build(ctx) -> None:
    """The demo step."""
    from django.utils import timezone

    if "commune" not in ctx.registry:
        return
    with transaction.atomic():
        made = seed_inspections(
            ctx.registry.get("commune"),
            today=timezone.localdate(),
            rng=random.Random(f"{ctx.seed}-inspections"),
        )
    ctx.write(
        f"  {made['inspections']} lượt giám sát, kiểm tra; {made['disciplines']} quyết định "
        "kỷ luật."
    )
