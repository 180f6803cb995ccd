"""A form sent three times writes once (tochuc.core.once).

Three identical POSTs at once created three members (no CCCD given), three candidates and
three identical confidence-vote results that then counted three times. Every form that
writes carries a one-time token; the first POST claims it, the repeats create nothing and
are sent to what the first created, with a message.
"""

import io
import re
import threading
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tochuc.admissions.models import Candidate
from tochuc.core.models import SubmittedForm
from tochuc.core.once import FIELD, forget_old
from tochuc.members.models import Member
from tochuc.ratings.models import ConfidenceVote
from tochuc.testing import register

pytestmark = pytest.mark.django_db
REPEATED = "Biểu mẫu này đã được gửi trước đó; không ghi thêm lần nữa."
MEMBER = {
    "full_name": "Hà Thị Mai", "gender": "female", "birth_date": "02/09/1990",
    "ethnicity": "01", "admission_decision_no": "45-QĐ/ĐU", "admitted_on": "19/05/2015",
    "ceremony_on": "02/06/2015", "confirmed_on": "02/06/2016",
}  # fmt: skip


def token_of(client, url) -> str:
    page = client.get(url).content.decode()
    found = re.findall(rf'name="{FIELD}" value="([^"]+)"', page)
    assert len(found) == 1, "the form carries one token"
    return found[0]


def three_times(client, url, data):
    data = {**data, FIELD: token_of(client, url)}
    return [client.post(url, data) for _ in range(3)]


def test_a_member_form_sent_three_times_adds_one_member(client, cast, users):
    client.force_login(users.commune_officer)
    url = reverse("members:add", args=[cast.village_cell.code])
    first, *repeats = three_times(client, url, {**MEMBER, "cell": cast.village_cell.pk})
    member = Member.objects.get()  # one, not three
    assert first.status_code == 302
    for response in repeats:
        assert response.status_code == 302
        assert (
            response["Location"] == first["Location"] == reverse("members:detail", args=[member.pk])
        )
    shown = client.get(first["Location"]).content.decode()
    assert REPEATED in shown


def test_a_candidate_form_sent_three_times_adds_one_candidate(client, cast, users):
    client.force_login(users.cell_secretary)
    url = reverse("admissions:add", args=[cast.cell.code])
    data = {"cell": cast.cell.pk, "full_name": "Đinh Thị Ngọc", "gender": "female",
            "birth_date": "12/04/2000", "ethnicity": "02", "on": "04/08/2025"}  # fmt: skip
    responses = three_times(client, url, data)
    candidate = Candidate.objects.get()
    assert {r["Location"] for r in responses} == {reverse("admissions:detail", args=[candidate.pk])}


def test_a_confidence_vote_sent_three_times_counts_once(client, cast, users):
    member = register(cast.cell, "Lê Văn Hùng")
    client.force_login(users.commune_officer)
    url = reverse("ratings:vote_add", args=[cast.commune.code])
    data = {
        "member_id": member.pk, "position": "Bí thư Đảng ủy xã", "held_on": "20/11/2025",
        "ballots_issued": "152", "ballots_valid": "150", "high": "101", "medium": "37",
        "low": "12",
    }  # fmt: skip
    three_times(client, url, data)
    assert ConfidenceVote.objects.count() == 1
    export = client.get(reverse("ratings:votes_xlsx", args=[cast.commune.code]), {"nam": "2025"})
    rows = list(openpyxl.load_workbook(io.BytesIO(export.content)).active.values)
    assert [r[1] for r in rows[1:]] == ["Lê Văn Hùng"]  # counted once


def test_a_form_shown_again_with_errors_carries_a_fresh_token_and_then_writes(client, cast, users):
    client.force_login(users.commune_officer)
    url = reverse("members:add", args=[cast.village_cell.code])
    token = token_of(client, url)
    bad = client.post(url, {**MEMBER, "cell": cast.village_cell.pk, "birth_date": "x",
                            FIELD: token})  # fmt: skip
    assert bad.status_code == 200 and not Member.objects.exists()
    fresh = re.search(rf'name="{FIELD}" value="([^"]+)"', bad.content.decode()).group(1)
    assert fresh != token
    good = client.post(url, {**MEMBER, "cell": cast.village_cell.pk, FIELD: fresh})
    assert good.status_code == 302 and Member.objects.count() == 1
    # The first page sent again (the browser's back button) writes nothing more.
    again = client.post(url, {**MEMBER, "cell": cast.village_cell.pk, FIELD: token})
    assert again.status_code == 409 and Member.objects.count() == 1
    assert "đã được gửi trước đó" in again.content.decode()


def test_a_token_is_the_users_own(client, cast, users):
    client.force_login(users.commune_officer)
    url = reverse("members:add", args=[cast.village_cell.code])
    data = {**MEMBER, "cell": cast.village_cell.pk, FIELD: token_of(client, url)}
    client.post(url, data)
    client.force_login(users.province_officer)
    response = client.post(url, data)
    assert response.status_code == 409  # not sent to another user's result
    assert Member.objects.count() == 1


def test_old_claims_are_forgotten(cast, users):
    SubmittedForm.objects.create(token="t" * 32, user=users.admin, path="/")
    SubmittedForm.objects.update(at=timezone.now() - timedelta(days=3))
    assert forget_old() == 1


def test_the_daily_housekeeping_forgets_old_claims_and_keeps_recent_ones(cast, users):
    SubmittedForm.objects.create(token="o" * 32, user=users.admin, path="/")
    SubmittedForm.objects.update(at=timezone.now() - timedelta(days=3))
    SubmittedForm.objects.create(token="n" * 32, user=users.admin, path="/")
    out = io.StringIO()
    call_command("housekeeping", stdout=out)
    assert "Đã xóa 1 mã" in out.getvalue()
    assert list(SubmittedForm.objects.values_list("token", flat=True)) == ["n" * 32]


POST_FORM = re.compile(r'<form[^>]*method="post"[^>]*>(.*?)</form>', re.S | re.I)
# Forms that write nothing an identical repeat could double: signing in and out, the second
# factor, the password, and the import steps (a job is confirmed or cancelled once).
WITHOUT_TOKEN = {"registration", "base.html", "imports"}


def test_every_form_that_writes_carries_the_token():
    root = Path(settings.BASE_DIR) / "tochuc"
    checked = 0
    for template in root.glob("**/templates/**/*.html"):
        relative = template.relative_to(root).as_posix()
        if any(part in relative for part in WITHOUT_TOKEN):
            continue
        for body in POST_FORM.findall(template.read_text()):
            assert "{% once_token %}" in body, relative
            checked += 1
    assert checked >= 11


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent POSTs: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_three_identical_posts_at_once_add_one_member(cast, users):
    url = reverse("members:add", args=[cast.village_cell.code])
    opener = Client()
    opener.force_login(users.commune_officer)
    data = {**MEMBER, "cell": cast.village_cell.pk, FIELD: token_of(opener, url)}
    barrier, statuses = threading.Barrier(3), []

    def send():
        client = Client()
        client.force_login(users.commune_officer)
        barrier.wait()
        statuses.append(client.post(url, data).status_code)
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Member.objects.count() == 1
    assert sorted(statuses)[0] == 302 and set(statuses) <= {302, 409}
