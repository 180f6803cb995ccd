"""The home page's panels: each app registers what it shows for one organization on a date.

An app calls `register_panel` from its `AppConfig.ready()`; the home page renders, in order,
every panel whose permission the user holds at that organization and whose context function
returns a dict (None hides the panel: nothing to show there).

A panel's context depends on the organization, the date and the data only (never on who
asks: the permission is checked before), so it is cached for everyone under a key of the
language, the organization, the date and its province's data version: the latest audited
change of data that may touch the province (`audit.last_write_id`: a change recorded in one
province, such as an import running there, leaves the other provinces' panels cached; an
administrator's rule or calendar change is audited for every province,
tochuc/policy/services.py) and the versions apps register (`register_data_version`: the
statistics' change counters, kept by the database's triggers, see any change of members,
affiliations, events and organizations by whatever path, raw SQL included). What neither
sees (a fix made in the database to another table: meetings, dues…) shows at the next change
of the province or the next day: PANEL_CACHE_SECONDS is a day, the key carries the date. The
worker computes the provinces' panels ahead (`warm`, tochuc/core/tasks.py), so an officer's
home page reads them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from tochuc.accounts.access import Scope
from tochuc.accounts.models import Grant
from tochuc.accounts.permissions import VIEW, Role
from tochuc.core import audit


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: Callable[..., dict | None]
    permission: str = VIEW
    order: int = 100


PANELS: dict[str, Panel] = {}


def register_panel(key, template, context, permission=VIEW, order=100) -> None:
    PANELS[key] = Panel(key, template, context, permission, order)


PANEL_CACHE_SECONDS = 24 * 60 * 60
DATA_VERSIONS: list[Callable[[int | None], object]] = []


def register_data_version(version: Callable[[int | None], object]) -> None:
    """`version(province_id)` changes whenever data the panels of that province show may
    have changed (called for every home page: one cheap query)."""
    DATA_VERSIONS.append(version)


_NOTHING = "nothing to show"  # a cached None


def _keys(panels, organization, on: date) -> dict[str, str]:
    # The data version is read before anything is computed: a write that lands meanwhile
    # gives the next page a new key, never a stale context under the new one.
    province = organization.province_id
    data_version = ".".join(
        [str(audit.last_write_id(province)), *(str(v(province)) for v in DATA_VERSIONS)]
    )
    # A context may hold translated labels: each language has its own.
    language = translation.get_language()
    return {
        panel.key: (
            f"tochuc:panel:{panel.key}:{language}:{organization.pk}:{on.isoformat()}:{data_version}"
        )
        for panel in panels
    }


def _ordered(allowed=None) -> list[Panel]:
    return [
        panel
        for panel in sorted(PANELS.values(), key=lambda p: (p.order, p.key))
        if allowed is None or panel.permission in allowed
    ]


def panels_for(request, organization, on: date) -> list[tuple[Panel, dict]]:
    """The panels to show, each with its context, in order (the cached ones read in one
    round trip, the others computed and cached together)."""
    panels = _ordered(request.scope.permissions_for(organization))
    keys = _keys(panels, organization, on)
    cached = cache.get_many(keys.values())
    computed = {}
    shown = []
    for panel in panels:
        context = cached.get(keys[panel.key])
        if context is None:
            context = panel.context(request, organization, on)
            computed[keys[panel.key]] = _NOTHING if context is None else context
        elif context == _NOTHING:
            context = None
        if context is not None:
            shown.append((panel, {**context, "organization": organization, "on": on}))
    if computed:
        cache.set_many(computed, PANEL_CACHE_SECONDS)
    return shown


def warm(organizations, on: date) -> int:
    """Compute ahead, for each organization, every panel not cached for its data version
    (all of them: each user then reads those their permissions show); returns how many
    were computed. The worker does it for the provinces' home pages after the nightly
    summary and after each refresh (tochuc/core/tasks.py), so that a home page reads its
    panels instead of counting a province's members while its user waits."""
    everything = Scope(None, [Grant(role=Role.ADMIN)])  # a context never depends on who asks
    request = _Request(scope=everything, org_perms=everything.permissions_for())
    panels = _ordered()
    computed = 0
    with translation.override(settings.LANGUAGE_CODE):
        for organization in organizations:
            keys = _keys(panels, organization, on)
            cached = cache.get_many(keys.values())
            missing = [panel for panel in panels if keys[panel.key] not in cached]
            fresh = {}
            for panel in missing:
                context = panel.context(request, organization, on)
                fresh[keys[panel.key]] = _NOTHING if context is None else context
            cache.set_many(fresh, PANEL_CACHE_SECONDS)
            computed += len(fresh)
    return computed


@dataclass
class _Request:
    """What a panel's context reads of the request when the worker computes it."""

    scope: object
    org_perms: frozenset
    user: object = None
