"""The demo province's action programme (04-CTr/TU) with its 8 groups of key tasks, tasks
assigned to the demo communes with progress reports, and the demo commune's monthly
briefings of the last two years, generated from the reports and issued.

A step of `tochuc.demo.builders.STEPS`, after the document registry; through the services.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction

from tochuc.documents import services as documents
from tochuc.statistics.counts import one_reading

from . import services
from .models import Status

TITLE = (
    "Chương trình hành động thực hiện Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XVIII, "
    "nhiệm kỳ 2025–2030"
)
GROUPS = (
    (
        "Xây dựng Đảng về chính trị, tư tưởng, đạo đức",
        (
            "Học tập, quán triệt Nghị quyết Đại hội Đảng bộ các cấp",
            "Sinh hoạt chuyên đề học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        ),
    ),
    (
        "Kiện toàn tổ chức cơ sở đảng sau sắp xếp đơn vị hành chính",
        (
            "Kiện toàn chi ủy, bí thư các chi bộ thôn, bản sau sắp xếp",
            "Rà soát, chuyển sinh hoạt đảng của đảng viên theo địa giới mới",
        ),
    ),
    (
        "Nâng cao chất lượng sinh hoạt chi bộ",
        ("Mỗi chi bộ sinh hoạt chuyên đề ít nhất một lần mỗi quý",),
    ),
    (
        "Phát triển đảng viên",
        (
            "Kết nạp đảng viên đạt chỉ tiêu năm 2026",
            "Xóa thôn, bản chưa có đảng viên",
        ),
    ),
    ("Quản lý đảng viên", ("Rà soát, quản lý đảng viên đi làm ăn xa",)),
    (
        "Đánh giá, xếp loại chất lượng",
        ("Kiểm điểm, đánh giá, xếp loại tổ chức đảng và đảng viên năm 2025",),
    ),
    ("Kiểm tra, giám sát", ("Thực hiện chương trình kiểm tra, giám sát năm 2026",)),
    ("Công tác cán bộ", ("Rà soát, bổ sung quy hoạch cấp ủy nhiệm kỳ 2025–2030",)),
)


def seed_programme(province, communes, *, today: date, rng: random.Random, cells=()):
    """The programme, its tasks assigned to `communes`; with `cells`, one task each of them
    reports on itself (the demo secretary's cell)."""
    document = documents.document_register(
        organization=province, number="04-CTr/TU", issued_on=date(2025, 11, 3), title=TITLE
    )
    programme = services.programme_create(
        organization=province,
        title=TITLE,
        starts_on=date(2025, 11, 3),
        ends_on=date(2030, 10, 31),
        document=document,
        groups=[g for g, _t in GROUPS],
    )
    tasks = 0
    groups = list(programme.groups.order_by("number"))
    for group, (_title, titles) in zip(groups, GROUPS, strict=True):
        for title in titles:
            deadline = date(2025, 12, 31) + timedelta(days=rng.randrange(30, 420))
            task = services.task_add(
                group=group,
                title=title,
                assignees=communes,
                deadline=deadline,
                expected_output="Báo cáo kết quả",
            )
            tasks += 1
            reported = min(today, deadline) - timedelta(days=rng.randrange(5, 40))
            if reported <= date(2025, 11, 10):
                continue
            done = deadline < today and rng.random() < 0.7
            for commune in communes:
                services.progress_report(
                    task=task,
                    organization=commune,
                    reported_on=reported,
                    status=Status.DONE if done else Status.IN_PROGRESS,
                    percent=100 if done else rng.choice((20, 40, 60, 80)),
                    text="Đã triển khai đến các chi bộ.",
                )
    if cells:
        services.task_add(
            group=groups[3],
            title="Kết nạp ít nhất 2 đảng viên mới trong năm 2026",
            assignees=list(cells),
            deadline=date(2026, 12, 31),
            expected_output="Quyết định kết nạp đảng viên",
        )
        tasks += 1
    return programme, tasks


def seed_briefings(commune, *, today: date, months: int = 24) -> int:
    """The commune's monthly briefings of the last `months` months, generated and issued."""
    month = services.month_start(today)
    made = 0
    # One reading of the summary tables for every month (statistics/counts.py): the
    # freshness of each date is resolved once, as in one request, not once per report.
    with one_reading():
        for _n in range(months):
            month = services.previous_month(month)
            if month < commune.founded_on.replace(day=1):
                break
            briefing = services.briefing_draft(organization=commune, month=month)
            if made:  # last month's stays a draft for the staff to edit and issue
                services.briefing_issue(briefing=briefing, row_version=briefing.row_version)
            made += 1
    return made


def build(ctx) -> None:
    from django.utils import timezone

    if "province" not in ctx.registry or "commune" not in ctx.registry:
        return
    today = timezone.localdate()
    communes = [ctx.registry.get(n) for n in ("commune", "sibling_commune") if n in ctx.registry]
    with transaction.atomic():
        _programme, tasks = seed_programme(
            ctx.registry.get("province"),
            communes,
            today=today,
            rng=random.Random(f"{ctx.seed}-programmes"),
            cells=[ctx.registry.get("cell")] if "cell" in ctx.registry else (),
        )
        briefings = seed_briefings(ctx.registry.get("commune"), today=today)
    ctx.write(f"  04-CTr/TU: 8 nhóm, {tasks} nhiệm vụ; {briefings} báo cáo giao ban hằng tháng.")
