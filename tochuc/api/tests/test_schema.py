"""Schemathesis over the whole schema, as each role of the cast with its own token: no 500,
every response as the schema says, and no member or organization outside the role's scope.

Examples are few per operation (SCHEMA_EXAMPLES, default 5) so that the nine roles stay
under a minute; CI may raise it."""

import os
from datetime import timedelta

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tochuc.api.services import token_create
from tochuc.testing import (
    MEMBER_ROLES,
    ROLES_BY_NAME,
    build_cast,
    citizen_id_for,
    member_account,
    register,
)

EXAMPLES = int(os.environ.get("SCHEMA_EXAMPLES", "5"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
CAST_NODES = [
    "province", "commune", "base", "cell", "village_cell", "sibling_commune", "sibling_cell",
    "other_province", "other_commune",
]  # fmt: skip


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The cast, a member in each cell and a token per role, built once for the module in a
    transaction rolled back at its end."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        cast = build_cast()
        tokens = {}
        for name, (role, where) in ROLES_BY_NAME.items():
            user = cast.user(name, role, getattr(cast, where) if where else None)
            expires = timezone.localdate() + timedelta(days=30)
            tokens[name] = token_create(user=user, name="schemathesis", expires_on=expires, by=user)
        cast.members = {
            node: register(
                getattr(cast, node), f"Nguyễn Văn {getattr(cast, node).name}",
                citizen_id=citizen_id_for(node),
            )
            for node in ("cell", "village_cell", "sibling_cell")
        }  # fmt: skip
        # The member role: the cell's member with a self-service account, and a token.
        for name, (_role, where) in MEMBER_ROLES.items():
            user = member_account(cast.members[where]).user
            expires = timezone.localdate() + timedelta(days=30)
            tokens[name] = token_create(user=user, name="schemathesis", expires_on=expires, by=user)
    yield cast, tokens
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def app():
    """Django as a WSGI application, keeping the test's connection open between requests
    (as the test client does: the connection holds the test's transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _visible(cast, token) -> tuple[set[str], set[str]]:
    """Codes of the organizations in the token user's scope, and their paths."""
    scope_user = token.user
    from tochuc.accounts.access import Scope

    scope = Scope.for_user(scope_user)
    nodes = [getattr(cast, n) for n in CAST_NODES]
    inside = [o for o in nodes if scope.contains(o)]
    return {o.code for o in inside}, {o.path for o in inside}


def _codes_in(body) -> set[str]:
    """Every organization code a response names as an object it returns."""
    if isinstance(body, list):
        return {row["code"] for row in body if isinstance(row, dict) and "code" in row}
    if not isinstance(body, dict):
        return set()
    found = set()
    if "code" in body and "history" in body:
        found.add(body["code"])
    if isinstance(body.get("organization"), dict):
        found.add(body["organization"]["code"])
    for item in body.get("items", []):
        if item.get("organization"):
            found.add(item["organization"])
    if "timeline" in body and body.get("organization"):
        found.add(body["organization"])
    return found


def _member_ids_in(body) -> set[int]:
    """Ids of the members a response returns (one, or a page of them)."""
    if not isinstance(body, dict):
        return set()
    if "timeline" in body and "id" in body:
        return {body["id"]}
    return {item["id"] for item in body.get("items", []) if "full_name" in item}


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*ROLES_BY_NAME, *MEMBER_ROLES])
@override_settings(TOCHUC_API_REQUESTS_PER_MINUTE=1_000_000)
def test_the_whole_schema_holds_for(world, app, role):
    cast, tokens = world
    token, secret = tokens[role]
    codes, _paths = _visible(cast, token)
    own = cast.members[MEMBER_ROLES[role][1]] if role in MEMBER_ROLES else None
    own_cell = {own.organization.code} if own is not None else set()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {secret}"}
    answered: list[int] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS)
            answered.append(response.status_code)
            if response.status_code == 200:
                outside = _codes_in(response.json()) - codes - own_cell
                assert not outside, (case.operation.label, outside)
                if own is not None:  # a member's token: nothing but their own record
                    assert _member_ids_in(response.json()) <= {own.pk}, case.operation.label

        run()
    # The token was taken (none refused as unknown); a stranger's 200s named nothing (above).
    assert 401 not in answered and 200 in answered
