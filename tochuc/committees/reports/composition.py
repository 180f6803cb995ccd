"""The report "committee_composition": at a date, the committees in office in a subtree —
seats held, women, under 40, ethnic minorities, age bands, advanced political theory —
per organization and in total, against the composition targets of the term (dated policy),
shown as met or not. Registered from CommitteesConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.lib.dates import full_months
from tochuc.policy.rules import policy_for
from tochuc.reports.dataset import PERCENT, TEXT, Column, Table
from tochuc.reports.heading import dataset_for
from tochuc.reports.numbers import ratio_percent, vn_percent
from tochuc.reports.registry import ReportDefinition

from .. import selectors

MAJORITY_ETHNICITY = "01"  # Kinh
ADVANCED_THEORY = ("cao_cap", "cu_nhan")
AGE_BANDS = ((0, 40), (40, 50), (50, 60), (60, 200))


def _share(part: int, whole: int):
    """The share in percent (15,0), as the report engine shows percentages."""
    return ratio_percent(part, whole)


def _met(share, target) -> str:
    if share is None:
        return ""
    return _("Đạt") if share >= target * 100 else _("Chưa đạt")


def composition_report(organization, period):
    on = period.end
    data = dataset_for(DEFINITION, organization, period)
    policy = policy_for(on)
    young_age = policy.committee_young_below_age
    people = selectors.committee_people_on(organization=organization, on=on)
    rows, totals = [], {"seats": 0, "held": 0, "women": 0, "young": 0, "minority": 0, "theory": 0}
    bands = [0] * len(AGE_BANDS)
    for committee, members in people:
        held = len(members)
        women = sum(m.gender == "female" for m in members)
        ages = [full_months(m.birth_date, on) // 12 for m in members]
        young = sum(age < young_age for age in ages)
        minority = sum(m.ethnicity != MAJORITY_ETHNICITY for m in members)
        theory = sum(m.political_theory in ADVANCED_THEORY for m in members)
        for age in ages:
            bands[next(i for i, (low, high) in enumerate(AGE_BANDS) if low <= age < high)] += 1
        rows.append({
            "label": committee.organization.name, "term": str(committee.term),
            "seats": committee.size, "held": held, "women": women,
            "women_share": _share(women, held), "young": young,
            "young_share": _share(young, held), "minority": minority, "theory": theory,
            "met": _("Nữ: %(w)s; trẻ: %(y)s") % {
                "w": _met(_share(women, held), policy.committee_women_share_target),
                "y": _met(_share(young, held), policy.committee_young_share_target),
            } if held else "",
        })  # fmt: skip
        counted = {"seats": committee.size, "held": held, "women": women, "young": young,
                   "minority": minority, "theory": theory}  # fmt: skip
        for key, value in counted.items():
            totals[key] += value
    held = totals["held"]
    women_share, young_share = _share(totals["women"], held), _share(totals["young"], held)
    data.paragraphs = [
        _(
            "%(count)s cấp ủy đương nhiệm, %(held)s cấp ủy viên; nữ %(women)s (chỉ tiêu từ "
            "%(women_target)s), dưới %(age)s tuổi %(young)s (chỉ tiêu từ %(young_target)s) "
            "theo %(source)s."
        )
        % {
            "count": len(rows),
            "held": held,
            "women": vn_percent(women_share) or "—",
            "women_target": vn_percent(float(policy.committee_women_share_target * 100)),
            "age": young_age,
            "young": vn_percent(young_share) or "—",
            "young_target": vn_percent(float(policy.committee_young_share_target * 100)),
            "source": policy.committee_targets_source,
        }  # fmt: skip
    ]
    data.tables.append(
        Table(
            "composition",
            _("Cơ cấu cấp ủy"),
            [
                Column("label", _("Tổ chức"), TEXT),
                Column("term", _("Nhiệm kỳ"), TEXT),
                Column("seats", _("Số được bầu")),
                Column("held", _("Hiện có")),
                Column("women", _("Nữ")),
                Column("women_share", _("Tỷ lệ nữ"), PERCENT),
                Column("young", _("Dưới %(age)s tuổi") % {"age": young_age}),
                Column("young_share", _("Tỷ lệ trẻ"), PERCENT),
                Column("minority", _("Dân tộc thiểu số")),
                Column("theory", _("Cao cấp, cử nhân LLCT")),
                Column("met", _("Chỉ tiêu"), TEXT),
            ],
            rows,
            totals={
                "label": _("Cộng"),
                "term": "",
                **totals,
                "women_share": women_share,
                "young_share": young_share,
                "met": _("Nữ: %(w)s; trẻ: %(y)s")
                % {
                    "w": _met(women_share, policy.committee_women_share_target),
                    "y": _met(young_share, policy.committee_young_share_target),
                },
            },  # fmt: skip
        )
    )
    labels = [
        _("Dưới 40"), _("Từ 40 đến dưới 50"), _("Từ 50 đến dưới 60"), _("Từ 60 trở lên")
    ]  # fmt: skip
    data.tables.append(
        Table(
            "ages",
            _("Độ tuổi cấp ủy viên"),
            [
                Column("label", _("Độ tuổi"), TEXT),
                Column("count", _("Số người")),
                Column("share", _("Tỷ lệ"), PERCENT),
            ],  # fmt: skip
            [
                {"label": label, "count": n, "share": _share(n, held)}
                for label, n in zip(labels, bands, strict=True)
            ],
            chart="bar",
        )
    )
    return data


DEFINITION = ReportDefinition(
    "committee_composition",
    gettext_lazy("Cơ cấu cấp ủy"),
    composition_report,
    needs_period=False,
    description=gettext_lazy(
        "Cấp ủy đương nhiệm tại một ngày: số được bầu, hiện có, nữ, dưới 40 tuổi, dân tộc thiểu "
        "số, lý luận chính trị, độ tuổi; đạt hay chưa đạt chỉ tiêu cơ cấu của nhiệm kỳ."
    ),
    order=61,
)
