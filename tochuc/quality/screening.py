"""Screening (sàng lọc): the grounds for reviewing or removing a member, as a registry.

A ground is a function `find(organization, on) -> {member pk: evidence text}` over the
organization's subtree, registered with `register_ground` (from an app's `ready()`): the
meetings app adds absence from cell meetings (`meetings/screening.py`), the dues app unpaid
dues (`dues/screening.py`), each for the months its rule names. Built in here: ratings
"không hoàn thành nhiệm vụ" in consecutive years (ratings selectors) and lost contact while
working away (no check by the cell for the policy's months). The numbers are the dated policy's
(`screening_*`, with their source).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.lib import paths
from tochuc.lib.dates import add_months, vn_date
from tochuc.members.models import ACTIVE_STATUSES, Member
from tochuc.organizations.models import Organization
from tochuc.policy.rules import policy_for


@dataclass(frozen=True)
class Ground:
    kind: str
    label: str
    find: Callable[[Organization, date], dict[int, str]]


GROUNDS: dict[str, Ground] = {}


def register_ground(kind: str, label, find: Callable[[Organization, date], dict[int, str]]):
    GROUNDS[kind] = Ground(kind, label, find)


def ratings_not_done(organization: Organization, on: date) -> dict[int, str]:
    from tochuc.ratings.selectors import two_years_not_done

    years = policy_for(on).screening_not_done_years
    found = {}
    for row in two_years_not_done(organization=organization):
        if row["years"][1] - row["years"][0] + 1 >= years:
            found[row["member"].pk] = _(
                "Xếp loại “Không hoàn thành nhiệm vụ” các năm %(first)s, %(second)s"
            ) % {"first": row["years"][0], "second": row["years"][1]}
    return found


def lost_contact(organization: Organization, on: date) -> dict[int, str]:
    from tochuc.transfers.models import WorkingAway

    months = policy_for(on).screening_lost_contact_months
    since = add_months(on, -months)
    rows = (
        WorkingAway.objects.filter(
            paths.under("member__org_path", organization.path),
            ended_on__isnull=True,
            starts_on__lt=since,
        )
        .annotate(last=Max("checks__checked_on"))
        .values_list("member_id", "place", "starts_on", "last")
    )
    found = {}
    for member_id, place, starts_on, last in rows:
        if last is None or last < since:
            found[member_id] = _(
                "Đi làm ăn xa (%(place)s) từ %(since)s, không liên lạc được từ %(last)s"
            ) % {"place": place, "since": vn_date(starts_on), "last": vn_date(last or starts_on)}
    return found


register_ground(
    "ratings", gettext_lazy("Không hoàn thành nhiệm vụ nhiều năm liền"), ratings_not_done
)
register_ground("lost_contact", gettext_lazy("Mất liên lạc khi đi làm ăn xa"), lost_contact)


def screening_list(*, organization: Organization, on: date) -> list[dict]:
    """Active members of the subtree with at least one ground, each with its evidence."""
    grounds: dict[int, list[dict]] = {}
    for ground in GROUNDS.values():
        for pk, text in ground.find(organization, on).items():
            grounds.setdefault(pk, []).append(
                {"kind": ground.kind, "label": str(ground.label), "text": text}
            )
    members = Member.objects.filter(pk__in=grounds, status__in=ACTIVE_STATUSES).select_related(
        "organization"
    )
    return [
        {"member": m, "grounds": grounds[m.pk]}
        for m in sorted(members, key=lambda m: (m.name_sort, m.pk))
    ]
