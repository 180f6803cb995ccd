"""The demo's registry: the Party documents the rules of tochuc cite (tochuc/policy, DESIGN
§7), registered by the demo province with their numbers, dates and titles, linked as they
replace and amend each other; 35-CT/TW sent to the demo commune's cells, some read.

A step of `tochuc.demo.builders.STEPS`; everything goes through the services.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from . import services

# (number, date, title): the sources of the rules in tochuc/policy.
SOURCES = (
    ("45-QĐ/TW", date(2011, 11, 1), "Quy định thi hành Điều lệ Đảng"),
    ("342-QĐ/TW", date(2010, 12, 28), "Quy định về chế độ đảng phí"),
    ("29-QĐ/TW", date(2016, 7, 25), "Quy định thi hành Điều lệ Đảng"),
    (
        "132-QĐ/TW",
        date(2018, 3, 8),
        "Quy định về việc kiểm điểm và đánh giá, xếp loại chất "
        "lượng hằng năm đối với tập thể, cá nhân trong hệ thống chính trị",
    ),
    ("24-QĐ/TW", date(2021, 7, 30), "Quy định thi hành Điều lệ Đảng"),
    (
        "11-HD/BTCTW",
        date(2021, 12, 13),
        "Hướng dẫn thực hiện các biểu mẫu thống kê cơ bản trong hệ thống tổ chức đảng",
    ),
    (
        "12-HD/BTCTW",
        date(2022, 6, 6),
        "Hướng dẫn một số vấn đề cụ thể về nghiệp vụ công tác đảng viên",
    ),
    ("69-QĐ/TW", date(2022, 7, 6), "Quy định về kỷ luật tổ chức đảng, đảng viên vi phạm"),
    (
        "96-QĐ/TW",
        date(2023, 2, 2),
        "Quy định về lấy phiếu tín nhiệm đối với chức vụ lãnh đạo, "
        "quản lý trong hệ thống chính trị",
    ),
    (
        "124-QĐ/TW",
        date(2023, 10, 4),
        "Quy định về kiểm điểm và đánh giá, xếp loại chất lượng "
        "hằng năm đối với tập thể, cá nhân trong hệ thống chính trị",
    ),
    (
        "35-CT/TW",
        date(2024, 6, 14),
        "Chỉ thị của Bộ Chính trị về đại hội đảng bộ các cấp tiến "
        "tới Đại hội đại biểu toàn quốc lần thứ XIV của Đảng",
    ),
    ("232-QĐ/TW", date(2025, 1, 20), "Quy định thi hành Điều lệ Đảng"),
    (
        "264-QĐ/TW",
        date(2025, 2, 14),
        "Quy định sửa đổi, bổ sung một số điều của Quy định "
        "69-QĐ/TW về kỷ luật tổ chức đảng, đảng viên vi phạm",
    ),
    (
        "31-HD/BTCTW",
        date(2025, 4, 23),
        "Hướng dẫn một số nội dung về sắp xếp tổ chức đảng, "
        "đảng viên khi sắp xếp đơn vị hành chính",
    ),
    ("294-QĐ/TW", date(2025, 5, 26), "Quy định thi hành Điều lệ Đảng"),
    (
        "366-QĐ/TW",
        date(2025, 8, 30),
        "Quy định về kiểm điểm, đánh giá, xếp loại chất lượng "
        "đối với tập thể, cá nhân trong hệ thống chính trị",
    ),
    ("01-QĐ/TW", date(2026, 2, 3), "Quy định về chế độ đảng phí"),
)
LINKS = (
    ("29-QĐ/TW", "replaces", "45-QĐ/TW"),
    ("24-QĐ/TW", "replaces", "29-QĐ/TW"),
    ("232-QĐ/TW", "replaces", "24-QĐ/TW"),
    ("294-QĐ/TW", "replaces", "232-QĐ/TW"),
    ("124-QĐ/TW", "replaces", "132-QĐ/TW"),
    ("366-QĐ/TW", "replaces", "124-QĐ/TW"),
    ("264-QĐ/TW", "amends", "69-QĐ/TW"),
    ("01-QĐ/TW", "replaces", "342-QĐ/TW"),
    ("12-HD/BTCTW", "guides", "24-QĐ/TW"),
)


def seed_documents(province, commune, *, today: date, secretary=None) -> dict[str, int]:
    made = {}
    for number, on, title in SOURCES:
        if on <= today:
            made[number] = services.document_register(
                organization=province, number=number, issued_on=on, title=title
            )
    for source, relation, target in LINKS:
        if source in made and target in made:
            services.document_link(source=made[source], target=made[target], relation=relation)
    directive = made["35-CT/TW"]
    distribution = services.document_distribute(
        document=directive, organization=commune, sent_on=date(2024, 6, 20)
    )
    receipts = list(distribution.receipts.order_by("organization__path"))
    for receipt in receipts[: len(receipts) * 2 // 3]:
        services.receipt_mark_read(receipt=receipt, by=secretary)
    return {
        "documents": len(made),
        "receipts": len(receipts),
        "issued": seed_issued(commune, today=today),
    }


MONTHLY = (
    (5, "KH", "Kế hoạch công tác xây dựng Đảng tháng %(m)s"),
    (25, "BC", "Báo cáo kết quả công tác xây dựng Đảng tháng %(m)s"),
)


def seed_issued(commune, *, today: date) -> int:
    """The commune's own documents since its founding: a plan early each month, a report
    late in it, every other month a notice — numbered in its series by the service."""
    made = 0
    month = commune.founded_on.replace(day=1)
    while month <= today:
        for day, kind, title in MONTHLY:
            on = month.replace(day=day)
            if commune.founded_on <= on <= today:
                services.document_issue(
                    issuer=commune, kind=kind, issued_on=on, title=title % {"m": f"{month:%m/%Y}"}
                )
                made += 1
        if month.month % 2 == 0 and month.replace(day=15) <= today:
            services.document_issue(
                issuer=commune,
                kind="TB",
                issued_on=month.replace(day=15),
                title=f"Thông báo kết luận của Ban Thường vụ Đảng ủy tháng {month:%m/%Y}",
            )
            made += 1
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return made


def build(ctx) -> None:
    from django.utils import timezone

    if "province" not in ctx.registry or "commune" not in ctx.registry:
        return
    with transaction.atomic():
        made = seed_documents(
            ctx.registry.get("province"), ctx.registry.get("commune"), today=timezone.localdate()
        )
    ctx.write(
        f"  {made['documents']} văn bản của cấp trên; 35-CT/TW gửi đến {made['receipts']} chi "
        f"bộ; {made['issued']} văn bản của đảng ủy xã."
    )
