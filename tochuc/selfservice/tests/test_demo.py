"""`tochuc demo` prints a member account of the demo cell: the member signs in with the CCCD
and the demo password, sees the cell's next meeting and the notice sent to the cell."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from tochuc.demo.builders import PASSWORD, Registry
from tochuc.selfservice.models import MemberAccount, SelfRequest

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        output = StringIO()
        call_command("demo", "--small", stdout=output, verbosity=0)
        yield output.getvalue(), Registry.load()
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def test_the_demo_prints_a_member_account_that_signs_in_with_its_cccd(demo, client):
    output, registry = demo
    account = MemberAccount.objects.select_related("member").get()
    member = account.member
    assert member.organization == registry.get("cell")
    line = next(line for line in output.splitlines() if line.startswith(member.citizen_id))
    assert PASSWORD in line and "Đảng viên (tự phục vụ)" in line and member.full_name in line
    assert client.login(username=member.citizen_id, password=PASSWORD)
    home = client.get(reverse("selfservice:home"))
    assert home.context["next_meeting"].place == "Nhà văn hóa thôn"
    documents = client.get(reverse("selfservice:documents")).context["documents"]
    assert documents[0].receipt.document.title.startswith("Thông báo lịch sinh hoạt chi bộ")
    inbox = client.get(reverse("notifications:inbox")).context["page"]
    assert {n.kind for n in inbox} == {"meeting", "document"}


def test_the_secretarys_queue_holds_the_demo_request(demo, client):
    request = SelfRequest.objects.get()
    assert (request.kind, request.state) == ("transfer_letter", "pending")
    assert client.login(username="bithu.naphai", password=PASSWORD)
    queue = client.get(reverse("selfservice:queue"))
    assert [r.pk for r in queue.context["rows"]] == [request.pk]
