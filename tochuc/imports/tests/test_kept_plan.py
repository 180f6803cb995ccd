"""The write after a check reuses the check's plan: the file is not read and checked twice,
unless data changed in between (then the write checks the file again)."""

import pytest

from tochuc.imports import jobs, registry
from tochuc.imports.models import ImportJob
from tochuc.imports.tests.files import organization_row, xlsx_bytes
from tochuc.imports.tests.test_views import CONFIRM, status_url, token_of, upload
from tochuc.lib import xlsx
from tochuc.organizations.models import Kind, Organization
from tochuc.organizations.services import NewOrganization, organization_found

pytestmark = pytest.mark.django_db

ROWS = [
    organization_row("T01.X01.CB1", "Chi bộ Khu 1", "Chi bộ cơ sở", "T01.X01", "01/08/2025"),
    organization_row("T01.X01.CB2", "Chi bộ Khu 2", "Chi bộ cơ sở", "T01.X01", "01/08/2025"),
]


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path / "uploads"


@pytest.fixture
def reads(monkeypatch):
    """How many times a spreadsheet is read."""
    count = []
    read_table = xlsx.read_table

    def counted(*args, **kwargs):
        count.append(1)
        return read_table(*args, **kwargs)

    monkeypatch.setattr(xlsx, "read_table", counted)
    return count


def test_the_write_after_a_check_does_not_read_the_file_again(client, users, reads):
    client.force_login(users.commune_officer)
    token = token_of(upload(client, xlsx_bytes(ROWS)))
    assert len(reads) == 1 and ImportJob.objects.get(token=token).plan

    client.post(CONFIRM, {"token": token})

    assert len(reads) == 1
    assert Organization.objects.filter(code__startswith="T01.X01.CB").count() == 2
    assert jobs.load(token)["outcome"]["created"] == 2
    assert ImportJob.objects.get(token=token).plan is None  # dropped with the file


def test_a_write_of_data_in_between_makes_the_write_check_the_file_again(
    client, cast, users, reads
):
    client.force_login(users.commune_officer)
    token = token_of(upload(client, xlsx_bytes(ROWS)))
    organization_found(  # someone else takes one of the file's codes meanwhile
        spec=NewOrganization("T01.X01.CB2", "Chi bộ Khu 2 (khác)", Kind.BASE_CELL),
        parent=cast.commune, on=cast.commune.founded_on,
    )  # fmt: skip

    client.post(CONFIRM, {"token": token})

    assert len(reads) == 2
    state = jobs.load(token)
    assert [e["row"] for e in state["outcome"]["errors"]] == [3]
    assert not Organization.objects.filter(code="T01.X01.CB1").exists()
    assert "Mã “T01.X01.CB2” đã có" in client.get(status_url(token)).content.decode()


def test_a_tampered_plan_is_not_used():
    sealed = jobs.seal_plan(registry.Plan(created=1), since=7)
    assert jobs.kept_plan(sealed, 7).created == 1
    assert jobs.kept_plan(sealed, 8) is None  # data written since
    assert jobs.kept_plan(sealed.replace(b"created", b"changed"), 7) is None
