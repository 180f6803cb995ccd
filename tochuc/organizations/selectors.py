"""Reads of the organization tree. Each takes the caller's scope and fails closed.

The tree as of a date is the versions in force on it; every report uses
`versions_on` / `subtree_on` so that a past date shows the tree as it was.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, Prefetch, Q, QuerySet, Value
from django.db.models.functions import StrIndex, Substr

from tochuc.lib import paths, search
from tochuc.lib.vntext import sort_key

from .models import (
    ABOVE_GRASSROOTS_KINDS,
    GRASSROOTS_KINDS,
    UNDER_GRASSROOTS_KINDS,
    EventParticipant,
    Organization,
    OrganizationEvent,
    OrganizationVersion,
)


def in_force(on: date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gt=on))


def versions_on(*, scope, on: date) -> QuerySet[OrganizationVersion]:
    return scope.filter_versions(OrganizationVersion.objects.filter(in_force(on)))


def version_of(*, organization: Organization, on: date) -> OrganizationVersion | None:
    return organization.versions.filter(in_force(on)).first()


UNREAD = object()  # a `version` argument not given: the selector reads it (`version_of`)


def subtree_on(
    *, scope, root: Organization, on: date, include_root: bool = True
) -> QuerySet[OrganizationVersion]:
    """Versions of the organizations under `root` on `on` (empty if it did not exist)."""
    root_version = version_of(organization=root, on=on)
    if root_version is None:
        return OrganizationVersion.objects.none()
    qs = versions_on(scope=scope, on=on).filter(paths.under("path", root_version.path))
    if not include_root:
        qs = qs.exclude(organization_id=root.pk)
    return qs


def children_on(*, scope, organization: Organization | None, on: date) -> list[OrganizationVersion]:
    """Direct children as of `on`, in Vietnamese order; roots when `organization` is None."""
    qs = versions_on(scope=scope, on=on).select_related("organization")
    qs = qs.filter(parent=organization) if organization else qs.filter(parent__isnull=True)
    return sorted(qs, key=_name_order)


@dataclass(frozen=True)
class VersionAndChildren:
    version: OrganizationVersion | None
    children: list[OrganizationVersion]
    # Whether any organization has it as its successor (its predecessors, in scope or not),
    # and whether it has a history (`organization_history`); None: no row carried the answer.
    has_predecessors: bool | None
    has_history: bool | None


def version_and_children_on(*, scope, organization: Organization, on: date) -> VersionAndChildren:
    """`version_of` and `children_on` in one query, for a page that shows both: the
    organization's version in force on `on` and its children's, in Vietnamese order. The
    organization is in the scope (its page's gate read it through the scope), so reading its
    version through the scope too finds what `version_of` finds. With them, whether it has
    predecessors and a history, so that a page reads those lists only if there are any."""
    qs = versions_on(scope=scope, on=on).select_related("organization")
    # Uncorrelated: the database evaluates each once.
    has_predecessors = Exists(Organization.objects.filter(successor_id=organization.pk))
    has_history = Exists(_own_events(organization))
    version, children, predecessors, history = None, [], None, None
    rows = qs.filter(Q(parent=organization) | Q(organization=organization))
    for found in rows.annotate(has_predecessors=has_predecessors, has_history=has_history):
        predecessors, history = found.has_predecessors, found.has_history
        if found.organization_id != organization.pk:
            children.append(found)
        elif version is None or found.valid_from < version.valid_from:  # `version_of`'s first
            version = found
    return VersionAndChildren(version, sorted(children, key=_name_order), predecessors, history)


def _name_order(version: OrganizationVersion) -> str:
    """`sort_key(version.name)`: the organization's stored key when the version bears its
    current name (most do), computed only for a former name."""
    org = version.organization
    return org.name_sort if version.name == org.name else sort_key(version.name)


@dataclass(frozen=True)
class Crumb:
    code: str
    name: str
    visible: bool


def ancestors_on(*, scope, organization: Organization, on: date, version=UNREAD) -> list[Crumb]:
    """Breadcrumb as of `on` (today's names where an ancestor had none then), root first.
    `version`: the organization's `version_of` on `on`, when the caller has read it."""
    if version is UNREAD:
        version = version_of(organization=organization, on=on)
    version = version or organization.versions.order_by("-valid_from").first()
    path = version.path if version else organization.path
    ids = [int(part) for part in path.strip("/").split("/") if part][:-1]
    if not ids:  # a root (a province): nothing above it, nothing to read
        return []
    names = dict(
        OrganizationVersion.objects.filter(in_force(on), organization_id__in=ids).values_list(
            "organization_id", "name"
        )
    )
    orgs = {o.pk: o for o in Organization.objects.filter(pk__in=ids)}
    return [
        Crumb(orgs[pk].code, names.get(pk, orgs[pk].name), scope.contains(orgs[pk]))
        for pk in ids
        if pk in orgs
    ]


@dataclass
class TreeCounts:
    grassroots: int = 0
    under_grassroots: int = 0
    organizations: int = 0


def subtree_counts_on(
    *, scope, organization: Organization, on: date, children: list | None = None,
    version=UNREAD,
) -> tuple[TreeCounts, dict[int, TreeCounts]]:  # fmt: skip
    """Counts under `organization` on `on`: for the whole subtree and per direct child.

    Grassroots organizations (đảng bộ cơ sở, chi bộ cơ sở) and organizations under
    grassroots committees (đảng bộ bộ phận, chi bộ trực thuộc). `children` (the versions
    of `children_on`, when the caller has them): the children above the grassroots are read
    from a summary where one answers exactly (`hooks.subtree_organizations`), today or for
    an administrator (the scope then covers every subtree the summary counted); the others
    are counted live, in one grouped query. `version`: the organization's `version_of` on
    `on`, when the caller has read it.
    """
    total = TreeCounts()
    per_child: dict[int, TreeCounts] = defaultdict(TreeCounts)
    root_version = version_of(organization=organization, on=on) if version is UNREAD else version
    if root_version is None:
        return total, per_child
    answered = _summarized(scope, children or [], on)
    for child in children or []:
        if child.organization_id in answered:
            grassroots, under_grassroots, organizations = answered[child.organization_id]
            counts = per_child[child.organization_id]
            counts.grassroots += grassroots  # its subtree
            counts.under_grassroots += under_grassroots
            counts.organizations += organizations
            _add(counts, child.kind, 1)  # and itself
            total.grassroots += counts.grassroots
            total.under_grassroots += counts.under_grassroots
            total.organizations += counts.organizations
    live = [c for c in children or [] if c.organization_id not in answered]
    if answered and not live:
        return total, per_child
    # The child a descendant sits under is the path segment after the root's path.
    rest = Substr("path", len(root_version.path) + 1)
    child = Substr(rest, 1, StrIndex(rest, Value("/")) - 1)
    qs = versions_on(scope=scope, on=on).filter(paths.under("path", root_version.path))
    qs = qs.exclude(organization_id=organization.pk)  # `subtree_on`, the root read above
    if answered:
        condition = Q(pk__in=[])
        for version in live:
            condition |= paths.under("path", version.path)
        qs = qs.filter(condition)
    rows = qs.annotate(child=child).values_list("child", "kind").annotate(n=Count("id")).order_by()
    for child_id, kind, n in rows:
        for counts in (total, per_child[int(child_id)]):
            _add(counts, kind, n)
    return total, per_child


def _add(counts: TreeCounts, kind: str, n: int) -> None:
    counts.organizations += n
    if kind in GRASSROOTS_KINDS:
        counts.grassroots += n
    elif kind in UNDER_GRASSROOTS_KINDS:
        counts.under_grassroots += n


def _summarized(scope, children: list, on: date) -> dict:
    """The children's subtree counts a summary answers (see `subtree_counts_on`)."""
    from django.utils import timezone

    from . import hooks

    above = [c for c in children if c.kind in ABOVE_GRASSROOTS_KINDS]
    if not above or not (scope.is_admin or on == timezone.localdate()):
        return {}
    for provider in hooks.subtree_organizations:
        found = provider(above, on)
        if found:
            return found
    return {}


def organization_search(
    *,
    scope,
    text: str = "",
    kinds: list[str] | None = None,
    under: Organization | None = None,
    active: bool | None = True,
) -> QuerySet[Organization]:
    """Accent-insensitive search by name or code, inside the scope, Vietnamese order."""
    qs = scope.organizations()
    if search.words(text):  # capped: QueryTooLong over the caps (lib.search)
        # Each typed word (or one of its synonyms, lib.vntext.search_terms) starts a word.
        name_match = search.name_condition(text, synonyms=True)
        qs = qs.filter(Q(code__iexact=text.strip()) | name_match)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    if under is not None:
        qs = qs.filter(paths.under("path", under.path))
    if active is True:
        qs = qs.filter(ended_on__isnull=True)
    elif active is False:
        qs = qs.filter(ended_on__isnull=False)
    return qs.select_related("parent").order_by("name_sort", "id")


def _own_events(organization: Organization) -> QuerySet[EventParticipant]:
    """The ids of the events that changed this organization (not the founding of each of
    its children)."""
    return (
        EventParticipant.objects.filter(organization=organization)
        .exclude(role=EventParticipant.Role.PARENT, event__type=OrganizationEvent.Type.FOUNDED)
        .values("event_id")
    )


def organization_history(*, organization: Organization) -> QuerySet[OrganizationEvent]:
    """Events that changed this organization (not the founding of each of its children)."""
    own = _own_events(organization)
    return (
        OrganizationEvent.objects.filter(id__in=own)
        .select_related("recorded_by")
        .prefetch_related(
            Prefetch("parts", EventParticipant.objects.select_related("organization"))
        )
        .order_by("-effective_on", "-id")
    )


def organization_history_parts(
    *, organization: Organization, limit: int
) -> list[tuple[OrganizationEvent, list[EventParticipant]]]:
    """The latest `limit` events of `organization_history`, each with its participants in
    the order they were recorded (their organizations and the event's recorder read with
    them), in one query instead of the events' and then their participants': every event
    of the history has a participant (the organization itself), so each one is found."""
    own = _own_events(organization)
    latest = (
        OrganizationEvent.objects.filter(id__in=own).order_by("-effective_on", "-id").values("id")
    )
    parts = (
        EventParticipant.objects.filter(event_id__in=latest[:limit])
        .select_related("event__recorded_by", "organization")
        .order_by("-event__effective_on", "-event_id", "id")
    )
    history: list[tuple[OrganizationEvent, list[EventParticipant]]] = []
    for part in parts:
        if not history or history[-1][0].pk != part.event_id:
            history.append((part.event, []))
        history[-1][1].append(part)
    return history
