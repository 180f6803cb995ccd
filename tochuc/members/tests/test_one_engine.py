"""One timeline engine: a large generated history (every event type, restructurings of the
tree) leaves the same rows through the bulk path (the members and events imports), the
member services one call at a time, and the engine replaying the stored events alone."""

from collections import Counter, defaultdict
from datetime import date

import pytest
from django.utils import timezone

from tochuc.imports import registry
from tochuc.imports.history_fixture import generate, workbook
from tochuc.imports.tests.test_history_bulk import snapshot
from tochuc.lib.vntext import fold
from tochuc.members import services
from tochuc.members.bulk_events import DISCIPLINE_FORMS
from tochuc.members.events_import import TYPES_BY_TEXT
from tochuc.members.models import Affiliation, Member, MemberEvent
from tochuc.members.store import OrgLookup, link_periods
from tochuc.members.timeline import Event, Period, replay
from tochuc.organizations.models import Organization
from tochuc.policy.rules import PolicyLookup
from tochuc.transfers import services as transfers
from tochuc.transfers.models import Transfer

pytestmark = pytest.mark.django_db
MEMBERS = 2000
SAMPLE = 40  # members replayed through the services too (every event type among them)


def day(text: str) -> date | None:
    if not text:
        return None
    d, m, y = (int(part) for part in text.split("/"))
    return date(y, m, d)


@pytest.fixture(scope="module")
def history():
    return generate(MEMBERS, seed=1945)


def import_all(history) -> None:
    for name, rows in (("organizations", history.organizations),
                       ("org-events", history.org_events), ("members", history.members),
                       ("events", history.events)):  # fmt: skip
        outcome = registry.run_import(
            registry.get(name), workbook(name, rows), scope=registry.SystemScope()
        )
        assert outcome.ok, [str(e) for e in outcome.errors[:5]]


def stored_timelines():
    """Every member's stored events and periods, in two queries."""
    events, periods = defaultdict(list), defaultdict(list)
    for values in MemberEvent.objects.order_by("member_id", "on", "id").values_list(
        "member_id", "type", "on", "organization_id", "other_organization_id", "other_party",
        "decision_no", "decision_date", "detail", "note", "id",
    ):  # fmt: skip
        events[values[0]].append(Event(*values[1:]))
    for values in Affiliation.objects.order_by("member_id", "valid_from", "id").values_list(
        "member_id", "organization_id", "kind", "valid_from", "valid_to", "started_by_id", "id"
    ):
        periods[values[0]].append(Period(*values[1:]))
    return events, periods


def test_the_engine_replays_every_stored_history_to_the_same_periods_and_status(history):
    import_all(history)
    types = Counter(MemberEvent.objects.values_list("type", flat=True))
    assert set(types) >= set(MemberEvent.Type.values) - {MemberEvent.Type.REORGANIZED}
    events, periods = stored_timelines()
    orgs, policies, today = OrgLookup(), PolicyLookup(), timezone.localdate()
    members = Member.objects.values_list(
        "pk", "full_name", "status", "is_exempted", "organization_id", "party_age_anchor"
    )
    assert len(members) == MEMBERS
    for pk, name, status, exempted, organization_id, anchor in members:
        link_periods(events[pk], periods[pk])
        played = replay(name, [e.copy() for e in events[pk]], org=orgs, policies=policies)
        derived = played.derived(today)
        got = tuple(derived[k] for k in ("status", "is_exempted", "organization_id",
                                         "party_age_anchor"))  # fmt: skip
        assert got == (status, exempted, organization_id, anchor), name
        started = {id(e): e.pk for e in played.events}
        assert sorted(
            (p.organization_id, p.kind, p.valid_from, p.valid_to or date.max,
             started.get(id(p.started_by), p.started_by))
            for p in played.periods
        ) == sorted(
            (p.organization_id, p.kind, p.valid_from, p.valid_to or date.max, p.started_by)
            for p in periods[pk]
        ), name  # fmt: skip


def play_rows(member: Member, rows: list[dict]) -> None:
    """The member services, one call per row of the events file."""
    cells = {}

    def cell(code):
        if code and code not in cells:
            cells[code] = Organization.objects.get(code=code)
        return cells.get(code) if code else None

    for row in rows:
        type_ = TYPES_BY_TEXT.get(fold(row["type"])) or row["type"]
        on, decision = day(row["on"]), row.get("decision_no", "")
        decided = day(row.get("decision_date", ""))
        other = cell(row.get("organization"))
        detail = row.get("detail", "")
        transfers.temporary_transfers_expire(today=on)
        member.refresh_from_db()
        if type_ == "confirmed":
            services.member_confirm(member=member, on=on, decision_no=decision,
                                    decision_date=decided)  # fmt: skip
        elif type_ == "transferred_out":
            services.member_transfer(member=member, on=on, to=other,
                                     arrived_on=day(row.get("arrived_on", "")),
                                     other_party=row.get("other_party", ""),
                                     decision_no=decision)  # fmt: skip
        elif type_ == "transferred_in":
            letter = transfers.OutsideLetter(decision, decided or on, row["other_party"])
            transfers.transfer_receive_from_outside(organization=other, letter=letter,
                                                    arrived_on=on, member=member)  # fmt: skip
        elif type_ == "temporary_out":
            transfers.temporary_transfer_issue(
                member=member, on=on, ends_on=day(row["ends_on"]), host=other,
                other_party=row.get("other_party", ""), purpose="work",
            )  # fmt: skip
        elif type_ == "temporary_returned":
            open_ = member.transfers.get(state=Transfer.State.ISSUED)
            transfers.temporary_transfer_return(transfer=open_, on=on)
        elif type_ in ("exempted", "exemption_ended"):
            services.member_exempt(member=member, on=on, end=type_ == "exemption_ended",
                                   decision_no=decision, grounds=detail)  # fmt: skip
        elif type_ == "disciplined":
            code, label = DISCIPLINE_FORMS[fold(detail)]
            services.member_discipline(member=member, on=on, form=code, form_label=label,
                                       decision_no=decision, decision_date=decided)  # fmt: skip
        elif type_ in ("died", "removed", "expelled", "resigned"):
            services.member_exit(member=member, type=type_, on=on, decision_no=decision,
                                 decision_date=decided, grounds=detail)  # fmt: skip
        elif type_ == "readmitted":
            services.member_readmit(member=member, organization=other, decided_on=on,
                                    decision_no=decision, consent=detail)  # fmt: skip
    transfers.temporary_transfers_expire(today=timezone.localdate())


def sample(history) -> list[tuple[dict, list[dict]]]:
    """Members whose rows together hold every event type, then others, up to SAMPLE."""
    rows = defaultdict(list)
    for row in history.events:
        rows[row.get("party_card_no") or row.get("citizen_id")].append(row)
    chosen, seen = [], set()
    for person in history.members:
        mine = rows[person["party_card_no"]] + rows[person["citizen_id"]]
        kinds = {TYPES_BY_TEXT.get(fold(r["type"])) or r["type"] for r in mine}
        if kinds - seen or (len(chosen) < SAMPLE and len(mine) >= 4):
            chosen.append((person, mine))
            seen |= kinds
        if len(chosen) >= SAMPLE and len(seen) == 13:
            break
    assert len(seen) == 13  # every importable type
    return chosen


def test_the_services_leave_what_the_bulk_path_left_for_the_same_history(history):
    import_all(history)
    for person, rows in sample(history):
        original = Member.objects.get(party_card_no=person["party_card_no"])
        first = original.affiliations.order_by("valid_from", "id").first()
        copy = services.member_register(
            organization=first.organization, admitted_on=day(person["admitted_on"]),
            admission_decision_no=person["admission_decision_no"],
            ceremony_on=day(person["ceremony_on"]), confirmed_on=day(person["confirmed_on"]),
            since=first.valid_from,
            record={"full_name": original.full_name, "gender": original.gender,
                    "birth_date": original.birth_date},
        )  # fmt: skip
        play_rows(copy, sorted(rows, key=lambda r: day(r["on"])))
        assert snapshot(copy) == snapshot(original), original.full_name
