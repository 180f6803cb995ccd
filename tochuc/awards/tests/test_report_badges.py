"""The report "badges": per occasion and organization directly under the chosen one, the
members newly due, proposed, decided and awarded."""

import pytest

from tochuc.reports import periods, registry

pytestmark = pytest.mark.django_db


def test_the_commune_report_counts_each_occasion_per_organization(cast, veterans, cycle):
    cycle([veterans.an, veterans.binh])
    data = registry.build("badges", cast.commune, periods.year(2026))
    table = data.table("badges")
    rows = {(r["occasion"], r["organization"]): r for r in table.rows}
    assert len(table.rows) == 4 * 2  # four occasions × the school's committee, the village cell
    may = rows[("19/05/2026", "Chi bộ thôn Nà Phái")]
    assert (may["due"], may["proposed"]) == (1, 0)  # Chiến, 30 years on 2/5/2026
    village = rows[("02/09/2026", "Chi bộ thôn Nà Phái")]
    school = rows[("02/09/2026", "Đảng bộ Trường THPT Tân An")]
    assert (village["due"], village["proposed"], village["decided"], village["awarded"]) == (
        1, 1, 1, 1,
    )  # fmt: skip
    assert (school["due"], school["awarded"]) == (1, 1)  # Bình, 40 years on 1/7/2026
    assert table.totals["due"] == 3 and table.totals["awarded"] == 2
    assert "3 đảng viên đến hạn" in data.paragraphs[0]


def _reference(organization, occasions):
    """The report's figures the long way, as they were computed before bench/badges.py:
    `badge_due` (since the previous occasion, whether proposed or not) and the badge cases,
    one occasion at a time, each member placed under the child whose path holds theirs."""
    from tochuc.awards import rules, selectors
    from tochuc.awards.models import Stage
    from tochuc.organizations.models import Organization

    children = list(
        Organization.objects.filter(parent=organization).order_by("name_sort", "id")
    ) or [organization]

    def child_of(path):
        return next((c for c in children if path.startswith(c.path)), None)

    rows = []
    for occasion in occasions:
        counts = {c: dict.fromkeys(("due", "proposed", "decided", "awarded"), 0) for c in children}
        since = rules.previous_occasion(occasion)
        for row in selectors.badge_due(
            scope=None, organization=organization, occasion=occasion, since=since, unheld=False
        ):
            if child_of(row.member.org_path):
                counts[child_of(row.member.org_path)]["due"] += 1
        for case in selectors.badge_cases(
            scope=None, organization=organization, occasion=occasion
        ).exclude(stage=Stage.WITHDRAWN):
            found = counts.get(child_of(case.member.org_path))
            if found is None:
                continue
            found["proposed"] += 1
            found["decided"] += case.stage in (Stage.DECIDED, Stage.AWARDED, Stage.RETURNED)
            found["awarded"] += case.ceremony_on is not None
        rows += [{"occasion": occasion, "organization": c, **counts[c]} for c in children]
    return rows


def test_the_fast_counts_are_the_long_ways_for_every_occasion_and_organization(
    cast, users, veterans, cycle
):
    from datetime import date

    from tochuc.awards import rules, selectors
    from tochuc.testing import register

    cycle([veterans.an, veterans.binh])
    for _n in range(3):
        register(cast.sibling_cell, f"Đinh Văn Khải {_n}", admitted_on=date(1985, 11 - _n, 5),
                 citizen_id=f"00105600010{_n}")  # fmt: skip
    for organization in (cast.province, cast.commune, cast.village_cell):
        for year in (2025, 2026, 2027):
            occasions = rules.occasions_of_year(year)
            fast = selectors.badge_counts(organization=organization, occasions=occasions)
            assert fast == _reference(organization, occasions), (organization.code, year)
    november = {
        r["organization"].code: r["due"]
        for r in selectors.badge_counts(
            organization=cast.province, occasions=[date(2025, 11, 7)]
        )  # fmt: skip
    }
    assert november[cast.sibling_commune.code] == 3  # 40 years on 5/9, 5/10 and 5/11/2025
