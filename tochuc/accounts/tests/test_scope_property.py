"""Property: a user's scope is exactly the nodes under their active grants.

Random trees (kinds respecting ALLOWED_PARENTS, so at most five levels), random grants
(some revoked, some expired, some not yet valid, some ending tomorrow) and random
restructurings (merges into a sibling of the same kind, dissolutions of leaves) are
built through the services; `Scope.for_user(u).organizations()` must equal a reference
computed here in plain Python from parent links: a node is visible iff one of the
user's active grants is at the node or an ancestor, where an organization that ended
by a merge hangs under its successor (whoever sees the successor sees it) and a
dissolved one stays under its last parent. An admin grant sees everything.

HYPOTHESIS_SCOPE_EXAMPLES sets the number of examples (200 by default; `make test` runs
2,000 on SQLite).
"""

import os
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from tochuc.accounts.access import Scope
from tochuc.accounts.permissions import ALL_PERMISSIONS, ROLE_PERMISSIONS, Role
from tochuc.accounts.services import grant_create, grant_revoke, user_create
from tochuc.organizations.models import ALLOWED_PARENTS, Kind, Organization
from tochuc.organizations.services import (
    NewOrganization,
    organization_dissolve,
    organization_found,
    organization_merge,
)

EXAMPLES = int(os.environ.get("HYPOTHESIS_SCOPE_EXAMPLES", "200"))
FOUNDED = date(2025, 7, 1)
FIRST_CHANGE = date(2025, 9, 1)

CHILD_KINDS = {
    parent: [kind for kind in Kind if parent in ALLOWED_PARENTS[kind]] for parent in [None, *Kind]
}
CELL_KINDS = (Kind.CELL, Kind.BASE_CELL)

# How a grant stands today. Offsets are days from today.
VALIDITY = {
    "open": (-500, None, False),
    "until_tomorrow": (-500, 1, False),
    "from_today": (0, None, False),
    "ended_today": (-500, 0, False),  # valid_to is exclusive: no longer active today
    "expired": (-900, -400, False),
    "not_yet": (1, None, False),
    "revoked": (-500, None, True),
}


# ---------------------------------------------------------------- the generated world


@dataclass
class Shape:
    nodes: list[tuple[int | None, str]]  # (index of parent, kind), parents first
    grants: list[tuple[int, str, int | None, str]]  # (user, role, node index, validity)
    changes: list[tuple[str, int, int]]  # ("merge", source, nth sibling) / ("dissolve", node, 0)
    users: int


@st.composite
def shapes(draw) -> Shape:
    nodes: list[tuple[int | None, str]] = []
    for _ in range(draw(st.integers(1, 14))):
        can_parent = [None, *(i for i, (_p, kind) in enumerate(nodes) if CHILD_KINDS[kind])]
        parent = draw(st.sampled_from(can_parent))
        kind = draw(st.sampled_from(CHILD_KINDS[nodes[parent][1] if parent is not None else None]))
        nodes.append((parent, kind))

    users = draw(st.integers(1, 4))
    grants = []
    for _ in range(draw(st.integers(0, 8))):
        user = draw(st.integers(0, users - 1))
        node = draw(st.integers(0, len(nodes) - 1))
        roles = [Role.OFFICER, Role.OFFICER, Role.VIEWER, Role.VIEWER]
        if nodes[node][1] in CELL_KINDS:
            roles += [Role.CELL_SECRETARY, Role.CELL_SECRETARY]
        role = draw(st.sampled_from([*roles, Role.ADMIN]))  # an admin sees all: rarer
        where = None if role == Role.ADMIN and draw(st.booleans()) else node
        grants.append((user, role, where, draw(st.sampled_from(list(VALIDITY)))))

    changes = []
    for _ in range(draw(st.integers(0, 4))):
        index = draw(st.integers(0, len(nodes) - 1))
        if draw(st.booleans()):
            # Into the n-th live sibling of the same kind, whichever that is by then.
            changes.append(("merge", index, draw(st.integers(0, 3))))
        else:
            changes.append(("dissolve", index, 0))
    return Shape(nodes, grants, changes, users)


# ---------------------------------------------------------------- the reference, in Python


@dataclass
class Reference:
    """The tree as this test believes it is: live parents, and where ended nodes hang."""

    kind: dict[int, str] = field(default_factory=dict)
    parent: dict[int, int | None] = field(default_factory=dict)  # access parent
    ended: set[int] = field(default_factory=set)

    def live_children(self, node: int) -> list[int]:
        return [n for n, p in self.parent.items() if p == node and n not in self.ended]

    def merge(self, source: int, target: int) -> None:
        for child in self.live_children(source):
            self.parent[child] = target
        self.parent[source] = target
        self.ended.add(source)

    def dissolve(self, node: int) -> None:
        self.ended.add(node)

    def ancestors_or_self(self, node: int) -> list[int]:
        chain = []
        while node is not None:
            assert node not in chain, "a cycle in the reference tree"
            chain.append(node)
            node = self.parent[node]
        return chain


def active_today(validity: str) -> bool:
    start, end, revoked = VALIDITY[validity]
    return not revoked and start <= 0 and (end is None or end > 0)


def expected_scope(ref: Reference, grants, user: int) -> tuple[set[int], dict[int, frozenset]]:
    """Visible nodes and, per visible node, the permissions held there."""
    mine = [
        (role, node) for u, role, node, validity in grants if u == user and active_today(validity)
    ]
    if any(role == Role.ADMIN for role, _node in mine):
        return set(ref.parent), dict.fromkeys(ref.parent, ALL_PERMISSIONS)
    perms: dict[int, frozenset] = {}
    for node in ref.parent:
        held = frozenset().union(
            *(ROLE_PERMISSIONS[role] for role, at in mine if at in ref.ancestors_or_self(node))
        )
        if held:
            perms[node] = held
    return set(perms), perms


# ---------------------------------------------------------------- building it through the services


def build(shape: Shape, note=lambda _what: None):
    """Found the tree, restructure it, grant roles; return the reference tree with them."""
    today = timezone.localdate()
    # Ids from 1 in every example, also on PostgreSQL (whose sequences are not rolled
    # back), so that paths such as "1/" and "10/" meet: a prefix test must not confuse them.
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Organization]):
            cursor.execute(sql)
    ref = Reference()
    orgs: list[Organization] = []
    for index, (parent, kind) in enumerate(shape.nodes):
        org = organization_found(
            spec=NewOrganization(code=f"N{index}", name=f"Tổ chức số {index}", kind=kind),
            parent=orgs[parent] if parent is not None else None,
            on=FOUNDED,
        )
        orgs.append(org)
        ref.kind[index], ref.parent[index] = kind, parent

    on = FIRST_CHANGE
    for change, node, nth in shape.changes:
        on += timedelta(days=10)
        if node in ref.ended:
            continue
        if change == "merge":
            siblings = [
                n
                for n, parent in ref.parent.items()
                if parent == ref.parent[node]
                and n != node
                and n not in ref.ended
                and ref.kind[n] == ref.kind[node]
            ]
            if not siblings:
                continue
            target = siblings[nth % len(siblings)]
            organization_merge(sources=[orgs[node]], into=orgs[target], on=on)
            ref.merge(node, target)
            note("merged")
        else:
            try:
                organization_dissolve(organization=orgs[node], on=on)
            except ValidationError:
                # Refused (live children left): nothing changed, as the reference checks.
                assert ref.live_children(node)
                continue
            assert not ref.live_children(node)
            ref.dissolve(node)
            note("dissolved")

    users = [user_create(username=f"u{i}", password="x-khong-dung-den") for i in range(shape.users)]
    for user, role, node, validity in shape.grants:
        start, end, revoked = VALIDITY[validity]
        grant = grant_create(
            user=users[user],
            role=role,
            organization=orgs[node] if node is not None else None,
            valid_from=today + timedelta(days=start),
            valid_to=today + timedelta(days=end) if end is not None else None,
        )
        if revoked:
            grant_revoke(grant=grant)
    return ref, orgs, users


@pytest.mark.django_db
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(shape=shapes())
@example(  # a grant at "1/" must not reach "10/": path prefixes end with a slash
    shape=Shape(
        nodes=[
            (None, Kind.PROVINCE),
            *[(0, Kind.COMMUNE)] * 8,
            (None, Kind.PROVINCE),
            (9, Kind.BLOC),
        ],
        grants=[(0, Role.OFFICER, 0, "open"), (1, Role.VIEWER, 1, "open")],
        changes=[],
        users=2,
    )
)
@example(  # found by this test: dissolving a node (passed as a stale instance) after its
    # parent was merged into a sibling wrote its old path back, hiding it from the new parent
    shape=Shape(
        nodes=[
            (None, Kind.PROVINCE),
            (0, Kind.DISTRICT),
            (0, Kind.DISTRICT),
            (1, Kind.BASE_COMMITTEE),
        ],
        grants=[(0, Role.OFFICER, 2, "open")],
        changes=[("merge", 1, 0), ("dissolve", 3, 0)],
        users=1,
    )
)
def test_the_scope_is_the_subtrees_of_the_active_grants(shape):
    # One "today" for the grants built and the scope read: a run that crosses midnight
    # (Vietnam time) would otherwise see a grant starting "tomorrow" already active.
    with time_machine.travel(timezone.now(), tick=False), transaction.atomic():
        ref, orgs, users = build(shape, note=event)
        by_pk = {org.pk: index for index, org in enumerate(orgs)}
        for number, user in enumerate(users):
            visible, perms = expected_scope(ref, shape.grants, number)
            scope = Scope.for_user(user)
            got = {by_pk[pk] for pk in scope.organizations().values_list("pk", flat=True)}
            assert got == visible, (number, sorted(got), sorted(visible))
            event(f"visible: {'all' if len(got) == len(orgs) else 'none' if not got else 'some'}")
            for index, org in enumerate(orgs):
                org.refresh_from_db()
                assert scope.contains(org) == (index in visible), index
                if index in visible:
                    assert scope.permissions_for(org) == perms[index], index
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_a_merged_organization_stays_visible_to_whoever_sees_its_successor():
    # The property above, once by hand: A and B under P; B merges into A.
    shape = Shape(
        nodes=[(None, Kind.PROVINCE), (0, Kind.COMMUNE), (0, Kind.COMMUNE), (2, Kind.BASE_CELL)],
        grants=[(0, Role.OFFICER, 1, "open"), (1, Role.OFFICER, 2, "open")],
        changes=[("merge", 2, 0)],
        users=2,
    )
    ref, orgs, (a_officer, b_officer) = build(shape)
    province, a, b, b_cell = orgs
    assert set(Scope.for_user(a_officer).organizations()) == {a, b, b_cell}
    # B's officer keeps the ended B, but its cell has gone to A.
    assert set(Scope.for_user(b_officer).organizations()) == {b}
    assert expected_scope(ref, shape.grants, 0)[0] == {1, 2, 3}
