"""Citizen-ID and party-card checks are no oracle (issue 17): a number taken by a record
outside the caller's scope gets one neutral message that names no record, organization or
status; the look-ups are counted per user and hour, and beyond the limit refused (audited)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tochuc.accounts.access import Scope
from tochuc.admissions.services import candidate_identify
from tochuc.core.models import AuditEntry
from tochuc.imports import registry
from tochuc.imports.tests.files import xlsx_bytes
from tochuc.members.models import Member
from tochuc.testing import MEMBER_DEFAULTS, PASSWORD, register

pytestmark = pytest.mark.django_db
NEUTRAL_ID = "Số CCCD này không dùng được; cần cán bộ cấp trên xác minh."
NEUTRAL_CARD = "Số thẻ đảng viên này không dùng được; cần cán bộ cấp trên xác minh."
LIMIT = "Đồng chí đã kiểm tra quá nhiều số CCCD, số thẻ đảng viên trong một giờ."


@pytest.fixture
def xa(cast):
    """A member of the sibling commune: outside the commune officer's scope."""
    return register(cast.sibling_cell, "Lò Văn Xa", citizen_id="020085000005",
                    party_card_no="90000005")  # fmt: skip


@pytest.fixture
def nam(cast):
    """A member of the commune's village cell: in the commune officer's scope."""
    return register(cast.village_cell, "Hoàng Văn Nam", citizen_id="020085000001",
                    party_card_no="90000001")  # fmt: skip


def add(client, cast, user, **changes):
    assert client.login(username=user.username, password=PASSWORD)
    data = {
        "cell": cast.village_cell.pk, "full_name": "Hà Thị Mai", "gender": "female",
        "birth_date": "02/09/1990", "ethnicity": "01", "admitted_on": "19/05/2015",
        "ceremony_on": "02/06/2015", "confirmed_on": "02/06/2016", **changes,
    }  # fmt: skip
    response = client.post(reverse("members:add", args=[cast.commune.code]), data)
    return response.context["form"].errors if response.status_code == 200 else {}


# ---------------------------------------------------------------- the member form


def test_a_number_of_a_record_out_of_scope_is_refused_without_naming_it(client, cast, users, xa):
    errors = add(client, cast, users.commune_officer, citizen_id="020085000005",
                 party_card_no="90000005")  # fmt: skip
    assert errors["citizen_id"] == [NEUTRAL_ID]
    assert errors["party_card_no"] == [NEUTRAL_CARD]
    assert Member.objects.count() == 1
    entry = AuditEntry.objects.get(action="tochuc.access.identity_hidden_clash")
    assert (entry.user, entry.data["fields"]) == (
        users.commune_officer, ["citizen_id", "party_card_no"],
    )  # fmt: skip


def test_a_number_of_a_record_in_scope_is_named_plainly(client, cast, users, nam):
    errors = add(client, cast, users.commune_officer, citizen_id="020085000001",
                 party_card_no="90000001")  # fmt: skip
    assert errors["citizen_id"] == ["Số CCCD 020085000001 đã có trong hồ sơ khác."]
    assert errors["party_card_no"] == ["Số thẻ đảng viên 90000001 đã được dùng."]
    assert not AuditEntry.objects.filter(action__startswith="tochuc.access.identity").exists()


def test_the_limit_of_hidden_answers_refuses_further_checks(client, cast, users, xa, settings):
    settings.TOCHUC_IDENTITY_HIDDEN_PER_HOUR = 2
    for _attempt in range(2):
        errors = add(client, cast, users.commune_officer, citizen_id="020085000005")
        assert errors["citizen_id"] == [NEUTRAL_ID]
    errors = add(client, cast, users.commune_officer, citizen_id="020085000005")
    assert errors["citizen_id"][0].startswith(LIMIT)
    throttled = AuditEntry.objects.get(action="tochuc.access.identity_checks_throttled")
    assert (throttled.user, throttled.data["budget"], throttled.data["limit"]) == (
        users.commune_officer, "hidden", 2,
    )  # fmt: skip
    # Another user has their own budget.
    errors = add(client, cast, users.province_officer, citizen_id="020085000099")
    assert errors == {}


def test_the_limit_of_look_ups_counts_every_number(client, cast, users, settings):
    settings.TOCHUC_IDENTITY_CHECKS_PER_HOUR = 3
    add(client, cast, users.commune_officer, citizen_id="020085000011", party_card_no="1",
        full_name="Hà Văn Một")  # fmt: skip
    errors = add(client, cast, users.commune_officer, citizen_id="020085000012",
                 party_card_no="2", full_name="Hà Văn Hai")  # fmt: skip
    assert errors["citizen_id"][0].startswith(LIMIT)
    assert list(Member.objects.values_list("full_name", flat=True)) == ["Hà Văn Một"]


def test_the_system_administrator_is_not_counted(client, cast, users, xa, settings):
    settings.TOCHUC_IDENTITY_HIDDEN_PER_HOUR = 0
    errors = add(client, cast, users.admin, citizen_id="020085000005")
    assert errors["citizen_id"] == ["Số CCCD 020085000005 đã có trong hồ sơ khác."]


# ---------------------------------------------------------------- candidates


def test_a_candidate_with_a_citizen_id_taken_out_of_scope_is_refused_neutrally(cast, users, xa):
    record = {"full_name": "Hà Thị Mai", **MEMBER_DEFAULTS, "citizen_id": "020085000005"}
    with pytest.raises(ValidationError) as refused:
        candidate_identify(cell=cast.village_cell, record=record, on=date(2025, 9, 1),
                           by=users.commune_officer)  # fmt: skip
    assert refused.value.message_dict["citizen_id"] == [NEUTRAL_ID]
    with pytest.raises(ValidationError) as plain:
        candidate_identify(cell=cast.village_cell, record=record, on=date(2025, 9, 1),
                           by=users.province_officer)  # fmt: skip
    assert plain.value.message_dict["citizen_id"] == ["Số CCCD này đã có trong hồ sơ đảng viên."]
    assert AuditEntry.objects.filter(action="tochuc.access.identity_hidden_clash").count() == 1


# ---------------------------------------------------------------- imports


IMPORTER = registry.get("members")
HEADERS = [str(column.header) for column in IMPORTER.columns]
KEYS = [column.key for column in IMPORTER.columns]


def row(**values):
    values = {
        "organization": "T01.X01.NAPHAI", "gender": "Nam", "birth_date": "10/02/1985",
        "admitted_on": "03/02/2010", "ceremony_on": "19/02/2010", "confirmed_on": "19/02/2011",
        **values,
    }  # fmt: skip
    return [values.get(key, "") for key in KEYS]


def run(rows, user):
    data = xlsx_bytes(rows, headers=HEADERS, title="Đảng viên")
    return registry.run_import(IMPORTER, data, scope=Scope.for_user(user), by=user, dry_run=True)


def errors_of(outcome):
    return [(e.row, e.column, e.message) for e in outcome.errors]


def test_an_import_over_the_limit_says_no_row_is_taken(cast, users, xa, settings):
    settings.TOCHUC_IDENTITY_HIDDEN_PER_HOUR = 1
    numbers = ["020085000005", "020085000021", "020085000022"]
    rows = [row(full_name=f"Hà Văn {n[-2:]}", citizen_id=n) for n in numbers]
    first = run(rows, users.commune_officer)
    assert errors_of(first) == [(2, "Số CCCD", NEUTRAL_ID)]
    again = run(rows, users.commune_officer)
    assert [(r, c) for r, c, _m in errors_of(again)] == [(None, "Số CCCD")]  # no row named
    assert errors_of(again)[0][2].startswith(LIMIT)
    assert AuditEntry.objects.filter(action="tochuc.access.identity_checks_throttled").exists()
    assert AuditEntry.objects.filter(action="tochuc.access.identity_hidden_clash").count() == 1
