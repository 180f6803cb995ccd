"""Apps that follow the timeline hear of each act a service records, in its transaction."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tochuc.members import hooks
from tochuc.members.models import MemberEvent, Status
from tochuc.members.services import member_exit
from tochuc.testing import register

pytestmark = pytest.mark.django_db
T = MemberEvent.Type


@pytest.fixture
def heard(monkeypatch):
    calls = []
    monkeypatch.setattr(hooks, "acts_recorded", [lambda m, events, by: calls.append(events)])
    return calls


def test_a_death_recorded_is_heard_once_with_its_stored_event(cast, heard):
    an = register(cast.cell, "Nguyễn Văn An")
    heard.clear()  # the registration's own acts
    member_exit(member=an, type=T.DIED, on=date(2026, 6, 1))
    assert [[(e.type, e.on) for e in events] for events in heard] == [[(T.DIED, date(2026, 6, 1))]]
    assert MemberEvent.objects.filter(pk=heard[0][0].pk, type=T.DIED).exists()


def test_a_follower_that_refuses_undoes_the_whole_step(cast, monkeypatch):
    an = register(cast.cell, "Trần Thị Bình")

    def refuse(member, events, by):
        raise ValidationError("Chức vụ chưa được kết thúc.")

    monkeypatch.setattr(hooks, "acts_recorded", [refuse])
    with pytest.raises(ValidationError, match="Chức vụ"):
        member_exit(member=an, type=T.DIED, on=date(2026, 6, 1))
    an.refresh_from_db()
    assert an.status == Status.FULL
    assert not an.events.filter(type=T.DIED).exists()
