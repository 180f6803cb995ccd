"""The rules a record is checked against, each with its Vietnamese explanation and the page
where it is fixed. The numbers come from the dated policy (`policy.rules`: quality_*), in
force on the day of the scan; what a field must hold, from `quality_required_fields`.

A rule is a `Rule` in `RULES` (kind → label, explanation, where to fix); the scan
(`scan.py`) finds the records that break it in bulk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy

from tochuc.members.models import Member


@dataclass(frozen=True)
class Rule:
    kind: str
    label: str
    explanation: str
    fix: Callable[[int], str]  # member pk → the page where it is fixed
    fix_label: str


def _edit(pk: int) -> str:
    return reverse("members:edit", args=[pk])


def _timeline(pk: int) -> str:
    return reverse("members:timeline_correct", args=[pk])


def _detail(pk: int) -> str:
    return reverse("members:detail", args=[pk])


def _pairs(pk: int) -> str:
    return reverse("quality:member_pairs", args=[pk])


EDIT = gettext_lazy("Sửa hồ sơ")
TIMELINE = gettext_lazy("Sửa / Hủy quá trình sinh hoạt")
DETAIL = gettext_lazy("Mở hồ sơ")

MISSING = "missing_"  # kinds "missing_<field>"


def missing_rule(field: str) -> Rule:
    label = Member._meta.get_field(field).verbose_name
    return Rule(
        MISSING + field,
        gettext_lazy("Thiếu %(field)s") % {"field": label},
        gettext_lazy("Hồ sơ đảng viên đang sinh hoạt phải có %(field)s (mẫu 2-HSĐV).")
        % {"field": label},
        _edit,
        EDIT,
    )


RULES: dict[str, Rule] = {
    rule.kind: rule
    for rule in (
        Rule(
            "under_age",
            gettext_lazy("Kết nạp khi chưa đủ tuổi"),
            gettext_lazy(
                "Ngày quyết định kết nạp trước ngày đủ tuổi kết nạp theo quy định khi đó: "
                "ngày sinh hoặc ngày kết nạp có thể ghi sai."
            ),
            _timeline,
            TIMELINE,
        ),
        Rule(
            "probation_overdue",
            gettext_lazy("Dự bị quá hạn"),
            gettext_lazy(
                "Đã hết thời gian dự bị từ lâu mà chưa công nhận chính thức hay xóa tên: "
                "cần ghi quyết định còn thiếu."
            ),
            _detail,
            DETAIL,
        ),
        Rule(
            "after_death",
            gettext_lazy("Có sự kiện sau ngày từ trần"),
            gettext_lazy("Quá trình sinh hoạt ghi một sự kiện sau ngày từ trần."),
            _timeline,
            TIMELINE,
        ),
        Rule(
            "ended_organization",
            gettext_lazy("Sinh hoạt ở tổ chức đã chấm dứt"),
            gettext_lazy(
                "Đảng viên còn sinh hoạt ở một tổ chức đảng đã chấm dứt hoạt động: cần chuyển "
                "sinh hoạt theo sắp xếp tổ chức."
            ),
            _detail,
            DETAIL,
        ),
        Rule(
            "temporary_overdue",
            gettext_lazy("Sinh hoạt tạm thời quá hạn"),
            gettext_lazy(
                "Giấy giới thiệu sinh hoạt tạm thời đã hết hạn từ lâu mà chưa ghi trở về."
            ),
            _detail,
            DETAIL,
        ),
        Rule(
            "duplicate",
            gettext_lazy("Nghi trùng hồ sơ"),
            gettext_lazy(
                "Hồ sơ giống một hồ sơ khác (họ tên, ngày sinh, …): gộp hai hồ sơ hoặc xác "
                "nhận không phải cùng một người."
            ),
            _pairs,
            gettext_lazy("Xem cặp nghi trùng"),
        ),
    )
}


def rule_for(kind: str) -> Rule:
    if kind not in RULES and kind.startswith(MISSING):
        RULES[kind] = missing_rule(kind.removeprefix(MISSING))
    return RULES[kind]
