"""The cell's calendar: a meeting called for a coming day, its members invited; a call
cancelled with its reason."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tochuc.core.models import AuditEntry
from tochuc.meetings.models import PlannedMeeting
from tochuc.meetings.planning import meeting_plan, meeting_plan_cancel
from tochuc.testing import PASSWORD


def test_a_day_past_or_a_committee_is_refused_beside_the_field(cast):
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError) as past:
        meeting_plan(organization=cast.cell, on=yesterday, kind="regular")
    assert "on" in past.value.message_dict
    with pytest.raises(ValidationError) as committee:
        meeting_plan(organization=cast.commune, on=timezone.localdate(), kind="regular")
    assert "organization" in committee.value.message_dict


def test_one_call_of_a_kind_a_day_until_it_is_cancelled(cast, users):
    on = timezone.localdate() + timedelta(days=3)
    first = meeting_plan(organization=cast.cell, on=on, kind="regular")
    with pytest.raises(ValidationError):
        meeting_plan(organization=cast.cell, on=on, kind="regular")
    with pytest.raises(ValidationError):
        meeting_plan_cancel(planned=first, reason=" ", by=users.cell_secretary)
    meeting_plan_cancel(planned=first, reason="Trùng lịch họp xã", by=users.cell_secretary)
    again = meeting_plan(organization=cast.cell, on=on, kind="regular")
    assert list(PlannedMeeting.objects.filter(cancelled_at__isnull=True)) == [again]
    entry = AuditEntry.objects.get(action="tochuc.meeting.plan_cancelled")
    assert (entry.user, entry.reason) == (users.cell_secretary, "Trùng lịch họp xã")


def test_the_secretary_calls_and_cancels_from_the_page(client, cast, users):
    client.login(username=users.cell_secretary.username, password=PASSWORD)
    url = reverse("meetings:plan", args=[cast.cell.code])
    on = timezone.localdate() + timedelta(days=6)
    refused = client.post(url, {"action": "plan", "on": "31/02/2026", "kind": "regular"})
    assert "không phải ngày hợp lệ" in refused.content.decode()
    client.post(url, {"action": "plan", "on": f"{on:%d/%m/%Y}", "kind": "thematic",
                      "topic": "Học tập chuyên đề"})  # fmt: skip
    planned = PlannedMeeting.objects.get()
    assert (planned.on, planned.kind, planned.topic) == (on, "thematic", "Học tập chuyên đề")
    client.post(url, {"action": "cancel", "planned": planned.pk, "reason": "Mưa bão"})
    planned.refresh_from_db()
    assert planned.cancelled_reason == "Mưa bão"
