"""Reads of data quality. Each takes an organization the gate has already found in the
caller's scope (or a member the gate fetched), and reads within its subtree."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from tochuc.lib import paths
from tochuc.lib.vntext import person_sort_key
from tochuc.members.models import Member
from tochuc.organizations.models import Organization

from .models import Campaign, DuplicatePair, OrgScore, Problem, Scan, ScreeningProposal
from .rules import rule_for


def _prefixes(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def latest_scan(*, organization: Organization) -> Scan | None:
    """The latest finished scan covering `organization` (of it or of an ancestor)."""
    return (
        Scan.objects.filter(org_path__in=_prefixes(organization.path), state=Scan.State.DONE)
        .order_by("-id")
        .first()
    )


def pending_scan(*, organization: Organization) -> Scan | None:
    return (
        Scan.objects.filter(
            org_path__in=_prefixes(organization.path),
            state__in=(Scan.State.QUEUED, Scan.State.RUNNING),
        )
        .order_by("-id")
        .first()
    )


def score_of(*, organization: Organization) -> OrgScore | None:
    """The organization's latest score (kept up to date by the fixes made here)."""
    return (
        OrgScore.objects.filter(organization=organization, scan__state=Scan.State.DONE)
        .select_related("scan")
        .order_by("-scan_id")
        .first()
    )


def ranking(*, organization: Organization, score: OrgScore | None) -> list[OrgScore]:
    """The organizations directly under it at its latest scan, best share first."""
    if score is None:
        return []
    rows = list(
        OrgScore.objects.filter(scan_id=score.scan_id, parent=organization).select_related(
            "organization"
        )
    )
    rows.sort(key=lambda r: (-r.share, -r.records, person_sort_key(r.organization.name)))
    return rows


def trend(*, organization: Organization, limit: int = 24) -> list[OrgScore]:
    """Its score at each scan, oldest first (the trend)."""
    rows = (
        OrgScore.objects.filter(organization=organization, scan__state=Scan.State.DONE)
        .select_related("scan")
        .order_by("-scan_id")[:limit]
    )
    return list(reversed(rows))


def kinds_of(score: OrgScore | None) -> list[tuple[str, str, int]]:
    """(kind, label, count) of the score's problems, most frequent first."""
    if score is None:
        return []
    return sorted(
        ((kind, str(rule_for(kind).label), n) for kind, n in score.by_kind.items()),
        key=lambda row: (-row[2], row[1]),
    )


def problem_list(*, organization: Organization, kind: str = "") -> QuerySet[Problem]:
    problems = Problem.objects.filter(paths.under("org_path", organization.path))
    if kind:
        problems = problems.filter(kind=kind)
    return problems.select_related("member", "organization").order_by(
        "member__name_sort", "member_id", "kind"
    )


def problems_of(*, member: Member) -> QuerySet[Problem]:
    return Problem.objects.filter(member=member).order_by("kind")


def pair_list(*, organization: Organization, state: str = DuplicatePair.State.OPEN):
    """Pairs whose two records are both in the organization's subtree: by the paths stored
    at the scan (the index), and by where the records are now — a record moved out of the
    subtree since the scan takes its pair out of the list (re-checked at read). A merged
    pair has one record left; that one must be in the subtree."""
    under = organization.path
    pairs = DuplicatePair.objects.filter(
        paths.under("org_path", under),
        paths.under("other_path", under),
        paths.under("first__org_path", under),
    ).filter(
        Q(second__isnull=True, candidate__isnull=True)
        | paths.under("second__org_path", under)
        | paths.under("candidate__org_path", under)
    )  # a member and a candidate: the candidate too, where it is now
    if state:
        pairs = pairs.filter(state=state)
    return pairs.select_related(
        "first", "second", "first__organization", "second__organization", "candidate",
        "candidate__cell",
    )  # fmt: skip


def pair_get(*, organization: Organization, pk: int) -> DuplicatePair:
    return get_object_or_404(pair_list(organization=organization, state=""), pk=pk)


def pairs_of(*, member: Member) -> list[DuplicatePair]:
    """The member's open pairs whose other record is in the same organization's subtree as
    the member's own organization (what a page on the member may show)."""
    return [
        pair
        for pair in pair_list(organization=member.organization)
        if member.pk in (pair.first_id, pair.second_id)
    ]


def proposals_under(*, organization: Organization) -> QuerySet[ScreeningProposal]:
    return ScreeningProposal.objects.filter(
        paths.under("org_path", organization.path)
    ).select_related("member", "organization")


def proposal_get(*, organization: Organization, pk: int) -> ScreeningProposal:
    return get_object_or_404(proposals_under(organization=organization), pk=pk)


def campaigns_covering(*, organization: Organization) -> QuerySet[Campaign]:
    """Campaigns of the organization or of an ancestor (they cover it)."""
    return Campaign.objects.filter(org_path__in=_prefixes(organization.path)).select_related(
        "organization"
    )


def campaign_get(*, organization: Organization, pk: int) -> Campaign:
    return get_object_or_404(campaigns_covering(organization=organization), pk=pk)
