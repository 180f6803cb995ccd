"""The one access gate.

A user's scope is the union of the subtrees of their active grants, computed afresh on
every request (a revoked grant takes effect on the next one). Every scoped read goes
through it; an object outside it answers 404, so nobody learns that it exists.
"""

from collections.abc import Callable, Sequence
from datetime import date
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tochuc.lib.paths import under
from tochuc.lib.prepared import Prepared
from tochuc.organizations.models import Organization

from .models import Grant
from .permissions import ALL_PERMISSIONS, CONCEALED, ROLE_PERMISSIONS, Role


def _subtree_members(organization: Organization) -> Q:
    if organization.province_id and organization.province_id == organization.pk:
        # A province is a root: its members are exactly those of its province id. The
        # path condition would only be redundant, and it misleads the planner (an extra
        # bitmap of the province's paths, row counts underestimated 25×).
        return Q(province_id=organization.pk)
    return under("org_path", organization.path)


ACTIVE_GRANTS = "_tochuc_active_grants"  # (date, grants) read with the user
READ_WITH = "_tochuc_read_with"  # name → value of the `read_with_user` figures
# Small per-user figures that every page shows (the bell's unread count), read in the same
# query as the user: name → function(reference to the user's id, for OuterRef) → expression.
# Registered by the apps that own them (AppConfig.ready()).
read_with_user: dict[str, Callable] = {}


def _fields(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def _grants_of(user_id, on):
    """The user's grants active on `on`, each with its organization and its user, and the
    `read_with_user` figures: one row per grant."""
    from django.contrib.auth import get_user_model

    extras = {f"read_with_{name}": make("user_id") for name, make in read_with_user.items()}
    user_fields = [f"user__{name}" for name in _fields(get_user_model())]
    organization_fields = [f"organization__{name}" for name in _fields(Organization)]
    return (
        Grant.objects.active_on(on)
        .filter(user_id=user_id)
        .annotate(**extras)
        .values_list(*_fields(Grant), *organization_fields, *user_fields, *extras)
    )


def _user_alone(user_id):
    """The user and the `read_with_user` figures (a user without an active grant)."""
    from django.contrib.auth import get_user_model

    extras = {f"read_with_{name}": make("pk") for name, make in read_with_user.items()}
    User = get_user_model()
    return (
        User._default_manager.filter(pk=user_id)
        .annotate(**extras)[:1]
        .values_list(*_fields(User), *extras)
    )


# Compiled once (lib.prepared): these run on every signed-in request. The samples are only
# used to compile them.
_GRANTS_OF = Prepared(_grants_of, user_id=-864_209_753, on=date(1901, 2, 3))
_USER_ALONE = Prepared(_user_alone, user_id=-864_209_753)


def user_with_grants(user_id) -> object | None:
    """The user of a request together with their grants active today, in one query (each
    grant joined to its user and organization; the user alone when none is active), for
    `Scope.for_user` of the same request: the same rows it would read, one round trip
    fewer. The query is compiled once per process (`_GRANTS_OF`); the instances are made
    from its values as the ORM makes them. None when there is no such user."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    today = timezone.localdate()
    user_fields, grant_fields, organization_fields = (
        _fields(User), _fields(Grant), _fields(Organization)
    )  # fmt: skip
    db = "default"
    rows = _GRANTS_OF.rows(user_id=user_id, on=today)
    if rows:
        first = rows[0]
        start = len(grant_fields) + len(organization_fields)
        user = User.from_db(db, user_fields, first[start : start + len(user_fields)])
        figures = first[start + len(user_fields) :]
    else:
        rows_alone = _USER_ALONE.rows(user_id=user_id)
        if not rows_alone:
            return None
        user = User.from_db(db, user_fields, rows_alone[0][: len(user_fields)])
        figures = rows_alone[0][len(user_fields) :]
    grants = []
    for row in rows:
        grant = Grant.from_db(db, grant_fields, row[: len(grant_fields)])
        organization = None
        if grant.organization_id is not None:
            values = row[len(grant_fields) : len(grant_fields) + len(organization_fields)]
            organization = Organization.from_db(db, organization_fields, values)
        Grant.organization.field.set_cached_value(grant, organization)
        Grant.user.field.set_cached_value(grant, user)
        grants.append(grant)
    setattr(user, ACTIVE_GRANTS, (today, tuple(grants)))
    setattr(user, READ_WITH, dict(zip(read_with_user, figures, strict=True)))
    return user


class Scope:
    def __init__(self, user, grants: list[Grant]):
        self.user = user
        self.grants = grants
        self.is_admin = any(g.role == Role.ADMIN for g in grants)
        self.roots = [(g.organization.path, g.role) for g in grants if g.organization_id]

    @classmethod
    def for_user(cls, user) -> "Scope":
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return cls(user, [])
        today = timezone.localdate()
        read = getattr(user, ACTIVE_GRANTS, None)  # read with the user, this request
        if read is not None and read[0] == today:
            return cls(user, list(read[1]))
        grants = list(
            Grant.objects.active_on(today).filter(user=user).select_related("organization")
        )
        return cls(user, grants)

    # ---- what is visible
    def _path_condition(self, field: str) -> Q | None:
        condition = None
        for path, _role in self.roots:
            q = under(field, path)
            condition = q if condition is None else condition | q
        return condition

    def organizations(self) -> QuerySet[Organization]:
        if self.is_admin:
            return Organization.objects.all()
        condition = self._path_condition("path")
        return Organization.objects.filter(condition) if condition else Organization.objects.none()

    def filter_versions(self, qs: QuerySet) -> QuerySet:
        """Versions whose organization is in scope (by its access path, not the old one)."""
        if self.is_admin:
            return qs
        condition = self._path_condition("organization__path")
        return qs.filter(condition) if condition else qs.none()

    def filter_by_path(self, qs: QuerySet, field: str) -> QuerySet:
        """Rows filed under the scope by a materialized-path column (e.g. members)."""
        if self.is_admin:
            return qs
        condition = self._path_condition(field)
        return qs.filter(condition) if condition else qs.none()

    def members(self, *, within: Organization | None = None) -> QuerySet:
        """Members filed under the scope, or under `within` (none when it is out of scope).

        A whole province is asked by its province id, so that the database walks the
        (province, name_sort) index for a sorted page; a smaller subtree is asked by its path
        alone, so that the database reads just that subtree's rows (by the path index)
        instead of walking the whole province's names and filtering them."""
        from tochuc.members.models import Member

        if within is not None:
            if not self.contains(within):
                return Member.objects.none()
            return Member.objects.filter(_subtree_members(within))
        if self.is_admin:
            return Member.objects.all()
        condition = None
        for grant in self.grants:
            if not grant.organization_id:
                continue
            q = _subtree_members(grant.organization)
            condition = q if condition is None else condition | q
        return Member.objects.filter(condition) if condition else Member.objects.none()

    def contains(self, organization: Organization) -> bool:
        return self.is_admin or any(organization.path.startswith(p) for p, _ in self.roots)

    def get_organization(self, **lookup) -> Organization:
        return get_object_or_404(self.organizations(), **lookup)

    # ---- what may be done
    def permissions_for(self, organization: Organization | None = None) -> frozenset[str]:
        if self.is_admin:
            return ALL_PERMISSIONS
        perms: set[str] = set()
        for path, role in self.roots:
            if organization is None or organization.path.startswith(path):
                perms |= ROLE_PERMISSIONS[role]
        return frozenset(perms)

    def holding(self, permission: str | None) -> "Scope":
        """The part of the scope where `permission` holds: the grants whose role carries it.

        A view over the whole scope reads through this, so that a permission is checked
        where the data is, not anywhere: a viewer of one commune who is also the secretary of
        a cell elsewhere exports the commune, never the cell (the secretary may not export).
        """
        if permission is None:
            return self
        kept = [g for g in self.grants if permission in ROLE_PERMISSIONS[g.role]]
        if len(kept) == len(self.grants):
            return self
        return Scope(self.user, kept)

    def home_organizations(self) -> list[Organization]:
        if self.is_admin and not self.roots:
            return list(Organization.objects.filter(parent__isnull=True, ended_on__isnull=True))
        return [g.organization for g in self.grants if g.organization_id]


def refuse(permission: str) -> Exception:
    """What a caller in scope without `permission` is told: 403, or 404 for a concealed
    permission (cadre work: a user without it does not learn that the pages exist)."""
    return Http404() if permission in CONCEALED else PermissionDenied()


def object_view(permission: str, fetch, organization_of):
    """Declare a view on one object (URL kwarg `pk`) needing `permission` where it stands.

    `fetch(scope=, pk=)` reads the object through the caller's scope (out of scope → 404);
    in scope without the permission at `organization_of(obj)` → 403. The view receives the
    object; `request.org_perms` holds what the user may do there.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, pk, *args, **kwargs):
            obj = fetch(scope=request.scope, pk=pk)
            perms = request.scope.permissions_for(organization_of(obj))
            if permission not in perms:
                raise refuse(permission)
            request.org_perms = perms
            return view(request, obj, *args, **kwargs)

        wrapper.permission = permission
        return wrapper

    return decorator


def organization_view(permission: str):
    """Declare a view on one organization (URL kwarg `code`) needing `permission`.

    Out of scope → 404; in scope without the permission → 403. The view receives the
    organization; `request.org_perms` holds what the user may do there.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, code, *args, **kwargs):
            organization = request.scope.get_organization(code=code)
            perms = request.scope.permissions_for(organization)
            if permission not in perms:
                raise refuse(permission)
            request.org_perms = perms
            return view(request, organization, *args, **kwargs)

        wrapper.permission = permission
        return wrapper

    return decorator


def two_sided_view(
    permission: str,
    fetch: Callable[..., object],
    sides: Sequence[Callable[[object], Organization | None]],
):
    """Declare a view on one object (URL kwarg `pk`) that belongs to two organizations, such
    as a transfer (its source and its destination).

    `fetch(scope=, pk=)` reads the object through the caller's scope: it is visible to
    whoever has either side in scope and to nobody else (404). `permission` is needed at one
    of `sides` (functions of the object giving an organization, or None for a side outside
    the system) that is in the caller's scope (403 otherwise): name one side where only it
    may act (a receipt at the destination), both where either may. The view receives the
    object; `request.org_perms` holds what the user may do on those sides.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, pk, *args, **kwargs):
            scope = request.scope
            obj = fetch(scope=scope, pk=pk)
            perms: set[str] = set()
            for side in sides:
                organization = side(obj)
                if organization is not None and scope.contains(organization):
                    perms |= scope.permissions_for(organization)
            if permission not in perms:
                raise refuse(permission)
            request.org_perms = frozenset(perms)
            return view(request, obj, *args, **kwargs)

        wrapper.permission = permission
        return wrapper

    return decorator


def scoped_view(permission: str):
    """Declare a view over the scope (lists, search, exports) needing `permission`.

    The view reads through `request.scope` narrowed to where the permission holds
    (`Scope.holding`): none of it → 404; an organization named in the query outside that
    part → 404, as for anything out of scope."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            request.scope = request.scope.holding(permission)
            perms = request.scope.permissions_for(None)
            if permission not in perms:
                raise Http404
            request.org_perms = perms
            return view(request, *args, **kwargs)

        wrapper.permission = permission
        return wrapper

    return decorator


# ---------------------------------------------------------------- intentional global look-ups

# Reads that look past the caller's scope on purpose, each with its reason. Nothing else in
# a view reads a model's whole table (tochuc/accounts/tests/test_views_read_through_scope.py
# walks every views module and fails on an unscoped `<Model>.objects` read that is not
# here). A global look-up answers only what its reason needs (an existence, one row found
# by an exact key), never a list.
GLOBAL_LOOKUPS: dict[str, str] = {
    "transfers.forms: destination cell by code": (
        "A letter names its destination anywhere in the system: the sender finds the "
        "receiving cell by its exact code, outside the sender's scope."
    ),
    "organizations.forms: code uniqueness": (
        "An organization code is unique in the whole system; a new or changed code is "
        "checked against every organization."
    ),
    "members.identity: citizen id": (
        "A CCCD identifies one person in the whole system: receiving a member from outside "
        "finds their record anywhere (it joins it only with the same name and birth date, "
        "and only as a request when the record is out of scope)."
    ),
    "accounts.views: the user signing in": (
        "Between the password and the second factor, the session names the user whose "
        "password was accepted; nobody's scope is known yet."
    ),
    "members.views: names of organizations in a member's history": (
        "The member's own change history names the organizations they were in, in scope "
        "or not (the names only, by the ids on the member's own rows)."
    ),
}


def global_lookup(reason: str, queryset: QuerySet) -> QuerySet:
    """Read `queryset` past the caller's scope on purpose, for the registered `reason`
    (a key of GLOBAL_LOOKUPS): `global_lookup("members.identity: citizen id",
    Member.objects.filter(citizen_id=...))`. An unregistered reason is a programming error."""
    if reason not in GLOBAL_LOOKUPS:
        raise KeyError(f"not a declared global look-up: {reason!r}")
    return queryset
