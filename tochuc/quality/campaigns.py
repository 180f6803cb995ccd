"""Campaigns: creating one (a service) and reading its progress per organization per day.

Progress comes from the scores the scans stored (`OrgScore.by_kind`): on each day with a
scan during the campaign, the share of active records with a citizen ID and the records
still in a suspected pair, for the campaign's organization and each one directly under it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tochuc.core import audit
from tochuc.organizations.models import Organization
from tochuc.policy.acts import check_act_date

from .models import Campaign, OrgScore, Scan


@transaction.atomic
def campaign_create(
    *, organization: Organization, name: str, starts_on: date, ends_on: date,
    target_citizen_id: int = 100, target_pairs: int = 0, by=None,
) -> Campaign:  # fmt: skip
    if not name.strip():
        raise ValidationError({"name": _("Hãy đặt tên chiến dịch.")})
    check_act_date(starts_on, field="starts_on", scheduled=True)
    check_act_date(ends_on, field="ends_on", scheduled=True)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("Ngày kết thúc không được trước ngày bắt đầu.")})
    if not 0 <= target_citizen_id <= 100:
        raise ValidationError({"target_citizen_id": _("Chỉ tiêu là một tỷ lệ từ 0 đến 100.")})
    campaign = Campaign.objects.create(
        organization=organization, org_path=organization.path, name=name.strip(),
        starts_on=starts_on, ends_on=ends_on, target_citizen_id=target_citizen_id,
        target_pairs=target_pairs, created_by=by if getattr(by, "pk", None) else None,
    )  # fmt: skip
    audit.record(
        "tochuc.quality.campaign_created", by=by, obj=organization, campaign=campaign.pk,
        name=campaign.name,
    )  # fmt: skip
    return campaign


@dataclass
class Point:
    on: date
    records: int
    with_id: int
    in_pairs: int

    @property
    def id_share(self) -> float:
        return self.with_id / self.records if self.records else 1.0

    @property
    def id_percent(self) -> int:
        return round(100 * self.id_share)


@dataclass
class Line:
    organization: Organization
    points: list[Point]

    def reached(self, campaign: Campaign) -> bool:
        last = self.points[-1] if self.points else None
        return bool(last) and (
            last.id_percent >= campaign.target_citizen_id
            and last.in_pairs // 2 <= campaign.target_pairs
        )


def campaign_progress(
    *, campaign: Campaign, organization: Organization | None = None
) -> tuple[list[date], list[Line]]:
    """(days with a scan, a line per organization: `organization`'s own first — the
    campaign's by default, or one under it that a page is about — then those directly
    under it), from the last scan of each day during the campaign."""
    organization = organization or campaign.organization
    scans = (
        Scan.objects.filter(
            state=Scan.State.DONE,
            on__gte=campaign.starts_on,
            on__lte=campaign.ends_on,
            org_path__in=_prefixes(campaign.org_path),
        )  # fmt: skip
        .order_by("on", "id")
        .values_list("on", "id")
    )
    last_of_day = dict(scans)  # later ids win
    days = sorted(last_of_day)
    rows = OrgScore.objects.filter(scan_id__in=last_of_day.values()).filter(
        organization=organization
    ) | OrgScore.objects.filter(scan_id__in=last_of_day.values(), parent=organization)
    day_of = {scan_id: on for on, scan_id in last_of_day.items()}
    lines: dict[int, Line] = {}
    for row in rows.select_related("organization").order_by("scan_id"):
        line = lines.setdefault(row.organization_id, Line(row.organization, []))
        missing = row.by_kind.get("missing_citizen_id", 0)
        line.points.append(
            Point(
                day_of[row.scan_id],
                row.records,
                row.records - missing,
                row.by_kind.get("duplicate", 0),
            )  # fmt: skip
        )
    own = lines.pop(organization.pk, None)
    others = sorted(lines.values(), key=lambda line: line.organization.name_sort)
    return days, ([own] if own else []) + others


def _prefixes(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
