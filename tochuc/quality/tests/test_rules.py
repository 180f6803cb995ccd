"""The timeline rules: each suspicious history is found, explained, with where to fix it."""

from datetime import date

import pytest
from django.urls import reverse

from tochuc.members.models import Member, MemberEvent
from tochuc.organizations.models import Organization
from tochuc.quality.models import Problem
from tochuc.quality.rules import rule_for
from tochuc.testing import register
from tochuc.transfers.models import Transfer

from .conftest import FULL, scan

pytestmark = pytest.mark.django_db


def kinds_of(member) -> set[str]:
    return set(Problem.objects.filter(member=member).values_list("kind", flat=True))


def test_suspicious_timelines_are_found(cast):
    kw = {"citizen_id": "", **FULL}
    young = register(cast.village_cell, "Vi Văn Nam", **kw)
    Member.objects.filter(pk=young.pk).update(birth_date=date(1993, 1, 1))  # 17 at admission
    probation = register(cast.village_cell, "Hà Văn Bình", confirmed=False, **kw)
    ended = register(cast.cell, "Lương Thị Thu", **kw)
    Organization.objects.filter(pk=cast.cell.pk).update(ended_on=date(2026, 1, 1))
    away = register(cast.village_cell, "Triệu Văn Sơn", **kw)
    Transfer.objects.create(
        member=away, kind=Transfer.Kind.TEMPORARY, state=Transfer.State.RECEIVED,
        source=cast.village_cell, destination=cast.sibling_cell, letter_no="05-GGT/ĐU",
        letter_on=date(2025, 8, 1), ends_on=date(2026, 2, 1),
    )  # fmt: skip
    scan(cast.province)
    assert "under_age" in kinds_of(young)
    assert "probation_overdue" in kinds_of(probation)
    assert "ended_organization" in kinds_of(ended)
    assert "temporary_overdue" in kinds_of(away)
    assert kinds_of(young) == {"under_age", "missing_citizen_id"}


def test_an_act_after_death_is_found_on_a_record_kept_active(cast):
    member = register(cast.village_cell, "Nông Văn Quý", citizen_id="", **FULL)
    MemberEvent.objects.create(member=member, type="died", on=date(2026, 3, 1))
    MemberEvent.objects.create(member=member, type="disciplined", on=date(2026, 4, 1))
    scan(cast.province)
    assert "after_death" in kinds_of(member)


def test_each_rule_explains_itself_in_vietnamese_and_links_to_the_fix():
    rule = rule_for("missing_citizen_id")
    assert str(rule.label) == "Thiếu số CCCD"
    assert rule.fix(7) == reverse("members:edit", args=[7])
    assert "2-HSĐV" in str(rule.explanation)
    assert rule_for("after_death").fix(7) == reverse("members:timeline_correct", args=[7])


def test_the_dashboard_shows_the_quality_panel_after_a_scan(client, cast, users):
    register(cast.village_cell, "Hoàng Thị Hằng", citizen_id="", **FULL)
    scan(cast.province)
    client.force_login(users.province_officer)
    body = client.get(reverse("home")).content.decode()
    assert 'id="panel-quality"' in body
    assert "0/1 hồ sơ không có vấn đề" in body


def test_the_quality_report_lists_the_units_with_their_share(cast):
    from tochuc.reports import periods, registry

    register(cast.village_cell, "Hoàng Thị Hằng", citizen_id="", **FULL)
    register(cast.cell, "Lục Văn Minh", citizen_id="020188000199", **FULL)
    scan(cast.province)
    data = registry.build("quality", cast.commune, periods.at(date.today()))
    table = data.tables[0]
    assert [(r["label"], r["records"], r["clean"]) for r in table.rows] == [
        (cast.base.name, 1, 1),
        (cast.village_cell.name, 1, 0),
    ]
    assert (table.totals["records"], table.totals["clean"]) == (2, 1)
