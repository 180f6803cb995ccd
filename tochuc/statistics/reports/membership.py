"""Report "membership": organizations and members at a date, under an organization or for the
whole country (content of forms 1-TCTW to 4-TCTW)."""

from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.lib.reference import ETHNICITIES, RELIGIONS, PoliticalTheory, Qualification
from tochuc.organizations.models import ABOVE_GRASSROOTS_KINDS, GrassrootsType, Kind, Organization
from tochuc.reports.dataset import TEXT, Column, Dataset, Table
from tochuc.reports.heading import count_table, dataset_for
from tochuc.reports.periods import Period
from tochuc.reports.registry import ReportDefinition

from .. import live, sources
from ..bands import AGE_BANDS, AGE_LABELS, EDUCATION_LEVELS, education_level


def membership(organization: Organization | None, period: Period) -> Dataset:
    """At a date, under `organization` (None: the whole country, the provinces counted)."""
    data = dataset_for(DEFINITION, organization, period)
    on = period.on
    counts = sources.organization_counts(organization, on)
    grassroots, under = live.grassroots_totals(counts)
    by_kind = Counter()
    for (kind, _type), n in counts.items():
        by_kind[kind] += n
    org_rows = [{"key": "grassroots", "label": _("Tổ chức cơ sở đảng"), "count": grassroots}]
    org_rows += [
        {"key": k, "label": "— " + str(Kind(k).label), "count": by_kind[k]}
        for k in (Kind.BASE_COMMITTEE, Kind.BASE_CELL)
    ]
    org_rows.append(
        {"key": "under_grassroots", "label": _("Tổ chức đảng trực thuộc đảng ủy cơ sở"),
         "count": under}
    )  # fmt: skip
    org_rows += [
        {"key": k, "label": "— " + str(Kind(k).label), "count": by_kind[k]}
        for k in (Kind.SUB_COMMITTEE, Kind.CELL)
    ]
    org_rows += [
        {"key": k, "label": str(Kind(k).label), "count": by_kind[k]}
        for k in ABOVE_GRASSROOTS_KINDS
        if k != Kind.PROVINCE or organization is None  # a province report is the province
    ]
    data.tables.append(
        Table(
            "organizations",
            _("Tổ chức đảng"),
            [Column("label", _("Loại tổ chức"), TEXT), Column("count", _("Số lượng"))],
            org_rows,
        )
    )
    type_rows = []
    for gtype, label in [*GrassrootsType.choices, ("", _("Chưa phân loại"))]:
        committees = counts[(Kind.BASE_COMMITTEE, gtype)]
        cells = counts[(Kind.BASE_CELL, gtype)]
        if gtype == "" and not (committees or cells):
            continue
        type_rows.append(
            {"key": gtype, "label": str(label), "base_committee": committees,
             "base_cell": cells, "total": committees + cells}
        )  # fmt: skip
    data.tables.append(
        Table(
            "grassroots_by_type",
            _("Tổ chức cơ sở đảng theo loại hình"),
            [
                Column("label", _("Loại hình"), TEXT),
                Column("base_committee", str(Kind.BASE_COMMITTEE.label)),
                Column("base_cell", str(Kind.BASE_CELL.label)),
                Column("total", _("Cộng")),
            ],
            type_rows,
            totals={
                "label": _("Cộng"),
                "base_committee": by_kind[Kind.BASE_COMMITTEE],
                "base_cell": by_kind[Kind.BASE_CELL],
                "total": grassroots,
            },
        )
    )

    profile = sources.member_profile(organization, on, AGE_BANDS)
    summary = sources.summary_of(profile, AGE_BANDS)
    total = summary["total"]
    member_rows = [
        ("total", _("Tổng số đảng viên")),
        ("full", _("Đảng viên chính thức")),
        ("probationary", _("Đảng viên dự bị")),
        ("women", _("Đảng viên nữ")),
        ("minorities", _("Đảng viên người dân tộc thiểu số")),
        ("religious", _("Đảng viên có đạo")),
    ]
    table = count_table(
        "members", _("Đảng viên"), _("Chỉ tiêu"),
        [(label, summary[key]) for key, label in member_rows], total, chart="",
    )  # fmt: skip
    for row, (key, _label) in zip(table.rows, member_rows, strict=True):
        row["key"] = key
    table.totals = None
    data.tables.append(table)
    data.tables.append(
        count_table(
            "age",
            _("Đảng viên theo độ tuổi"),
            _("Độ tuổi"),
            [(AGE_LABELS[b.key], summary[f"age_{b.key}"]) for b in AGE_BANDS],
            total,
        )  # fmt: skip
    )
    education = Counter()
    for value, n in profile.get("general_education", Counter()).items():
        education[education_level(value)] += n
    data.tables.append(
        count_table(
            "education",
            _("Đảng viên theo trình độ giáo dục phổ thông"),
            _("Trình độ"),
            [(label, education[key]) for key, label in EDUCATION_LEVELS],
            total,
        )  # fmt: skip
    )
    for key, field, title, label_title, choices in (
        ("qualification", "qualification", _("Đảng viên theo trình độ chuyên môn, nghiệp vụ"),
         _("Trình độ"), Qualification.choices),
        ("political_theory", "political_theory", _("Đảng viên theo trình độ lý luận chính trị"),
         _("Trình độ"), PoliticalTheory.choices),
        ("ethnicity", "ethnicity", _("Đảng viên theo dân tộc"), _("Dân tộc"), ETHNICITIES),
        ("religion", "religion", _("Đảng viên theo tôn giáo"), _("Tôn giáo"), RELIGIONS),
    ):  # fmt: skip
        found = profile.get(field, Counter())
        data.tables.append(
            count_table(
                key,
                title,
                label_title,
                [(label, found[value]) for value, label in choices],
                total,
                chart="" if key == "ethnicity" else "bar",
            )  # fmt: skip
        )
    return data


DEFINITION = ReportDefinition(
    "membership",
    gettext_lazy("Tổ chức đảng và đảng viên tại một thời điểm"),
    membership,
    needs_period=False,
    description=gettext_lazy("Nội dung các biểu 1-TCTW đến 4-TCTW, tại 31/12 hoặc ngày bất kỳ."),
    national=True,
    order=10,
)
