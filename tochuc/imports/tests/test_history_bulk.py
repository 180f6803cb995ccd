"""The bulk path of the `events` import leaves the rows the member services would."""

from datetime import date

import pytest

from tochuc.imports.tests.history_helpers import Tree, event_row, person, run
from tochuc.members import services
from tochuc.members.models import Affiliation, MemberEvent
from tochuc.transfers import services as transfers
from tochuc.transfers.models import Transfer

pytestmark = pytest.mark.django_db
T = MemberEvent.Type
LETTERED = (T.TEMPORARY_OUT, T.TEMPORARY_RETURNED)  # the services number letters themselves


def d(text):
    day, month, year = (int(part) for part in text.split("/"))
    return date(year, month, day)


# Each story: (probationary?, [(type, on, extra), …]) — a mixed sample of every service.
STORIES = [
    (
        True,
        [
            ("confirmed", "15/03/2021", {"decision_no": "1-QĐ", "decision_date": "20/04/2021"}),
            (
                "transferred_out",
                "01/06/2021",
                {"organization": "P.C2.B1", "arrived_on": "20/06/2021", "decision_no": "2-QĐ"},
            ),
            ("exempted", "10/01/2022", {"decision_no": "3-NQ", "detail": "Tuổi cao"}),
            ("exemption_ended", "01/02/2023", {"decision_no": "4-NQ"}),
            (
                "disciplined",
                "01/03/2023",
                {"decision_no": "4-QĐ/UBKT", "detail": "Cảnh cáo", "decision_date": "20/02/2023"},
            ),
            ("died", "05/05/2024", {"decision_no": "5-TB", "decision_date": "06/05/2024"}),
        ],
    ),
    (
        False,
        [
            (
                "temporary_out",
                "10/01/2019",
                {
                    "organization": "P.C1.A2",
                    "ends_on": "10/07/2019",
                    "decision_no": "6-GGT",
                    "detail": "đi học",
                },
            ),
            ("temporary_returned", "01/05/2019", {}),
            (
                "transferred_out",
                "02/02/2020",
                {"other_party": "Đảng bộ tỉnh Q", "decision_no": "7"},
            ),
            (
                "transferred_in",
                "04/04/2021",
                {
                    "organization": "P.C2.B1",
                    "decision_no": "8-GGT",
                    "other_party": "Đảng bộ tỉnh Q",
                    "decision_date": "30/03/2021",
                },
            ),
        ],
    ),
    (
        False,
        [
            (
                "temporary_out",
                "05/01/2018",
                {"other_party": "Đảng bộ tỉnh Q", "ends_on": "05/07/2018", "decision_no": "9-GGT"},
            ),
            ("removed", "10/01/2019", {"decision_no": "10-QĐ", "detail": "Bỏ sinh hoạt"}),
            (
                "readmitted",
                "01/06/2022",
                {"organization": "P.C1.A2", "decision_no": "11-QĐ", "detail": "Công văn 5-CV/TU"},
            ),
            ("confirmed", "01/06/2023", {"decision_no": "12-QĐ"}),
        ],
    ),
    (
        False,
        [
            (
                "temporary_out",
                "10/01/2024",
                {"organization": "P.C2.B1", "ends_on": "10/07/2024", "decision_no": "13-GGT"},
            ),
            ("resigned", "01/03/2024", {"decision_no": "14-QĐ"}),
        ],
    ),
    (
        False,
        [
            (
                "temporary_out",
                "10/01/2025",
                {
                    "organization": "P.C2.NEW",
                    "ends_on": "10/07/2025",
                    "decision_no": "15-GGT",
                    "detail": "cư trú",
                },
            ),
        ],
    ),
    (False, [("expelled", "03/03/2023", {"decision_no": "16-QĐ"})]),
]
PURPOSES = {"đi học": "study", "cư trú": "residence"}


def play_with_services(member, steps, tree):
    cells = {c.code: c for c in (tree.a1, tree.a2, tree.b1, tree.new)}
    for type_, on_text, extra in steps:
        on = d(on_text)
        transfers.temporary_transfers_expire(today=on)
        member.refresh_from_db()
        decision_no = extra.get("decision_no", "")
        decided = d(extra["decision_date"]) if "decision_date" in extra else None
        org = cells.get(extra.get("organization"))
        if type_ == "confirmed":
            services.member_confirm(member=member, on=on, decision_no=decision_no,
                                    decision_date=decided)  # fmt: skip
        elif type_ == "transferred_out":
            arrived = d(extra["arrived_on"]) if "arrived_on" in extra else None
            services.member_transfer(member=member, on=on, to=org, arrived_on=arrived,
                                     other_party=extra.get("other_party", ""),
                                     decision_no=decision_no)  # fmt: skip
        elif type_ == "transferred_in":
            letter = transfers.OutsideLetter(decision_no, decided, extra["other_party"])
            transfers.transfer_receive_from_outside(organization=org, letter=letter,
                                                    arrived_on=on, member=member)  # fmt: skip
        elif type_ == "temporary_out":
            transfers.temporary_transfer_issue(
                member=member, on=on, ends_on=d(extra["ends_on"]), host=org,
                other_party=extra.get("other_party", ""),
                purpose=PURPOSES.get(extra.get("detail"), "work"),
            )  # fmt: skip
        elif type_ == "temporary_returned":
            open_ = member.transfers.get(state=Transfer.State.ISSUED)
            transfers.temporary_transfer_return(transfer=open_, on=on)
        elif type_ in ("exempted", "exemption_ended"):
            services.member_exempt(
                member=member, on=on, end=type_ == "exemption_ended", decision_no=decision_no,
                grounds=extra.get("detail", ""),
            )  # fmt: skip
        elif type_ in ("died", "removed", "expelled", "resigned"):
            services.member_exit(
                member=member, type=type_, on=on, decision_no=decision_no,
                decision_date=decided, grounds=extra.get("detail", ""),
            )  # fmt: skip
        elif type_ == "disciplined":
            services.member_discipline(
                member=member, on=on, form="warning", form_label=extra["detail"],
                decision_no=decision_no, decision_date=decided,
            )  # fmt: skip
        elif type_ == "readmitted":
            services.member_readmit(member=member, organization=org, decided_on=on,
                                    decision_no=decision_no, consent=extra["detail"])  # fmt: skip
    transfers.temporary_transfers_expire(today=date.today())


def snapshot(member):
    member.refresh_from_db()
    events = list(member.events.order_by("on", "id"))
    index = {e.pk: i for i, e in enumerate(events)}

    def detail(e):
        return {k: v for k, v in e.detail.items() if k != "letter"}

    return {
        "member": (member.status, member.is_exempted, member.organization_id, member.province_id,
                   member.org_path, member.party_age_anchor, member.confirmed_on,
                   member.row_version),
        "events": [
            (e.type, e.on, e.organization_id, e.other_organization_id, e.other_party,
             "" if e.type in LETTERED else e.decision_no, e.decision_date, detail(e), e.note)
            for e in events
        ],
        "affiliations": [
            (a.organization_id, a.kind, a.valid_from, a.valid_to, index.get(a.started_by_id))
            for a in Affiliation.objects.filter(member=member).order_by("valid_from", "kind")
        ],
        "transfers": [
            (t.kind, t.state, t.source_id, t.destination_id, t.other_party, t.letter_on,
             t.arrived_on, t.purpose, t.ends_on, t.returned_on, t.row_version,
             index.get(t.out_event_id), index.get(t.in_event_id),
             "" if t.kind == Transfer.Kind.TEMPORARY else t.letter_no)
            for t in member.transfers.order_by("letter_on", "id")
        ],
    }  # fmt: skip


def test_the_bulk_path_leaves_the_same_rows_as_the_services_for_a_mixed_sample():
    tree = Tree()
    by_services, by_import, rows = [], [], []
    for number, (probationary, steps) in enumerate(STORIES, start=1):
        served = person(tree.a1, number, probationary=probationary)
        play_with_services(served, steps, tree)
        by_services.append(served)
        imported = person(tree.a1, 100 + number, probationary=probationary)
        by_import.append(imported)
        for type_, on, extra in steps:
            rows.append(event_row(imported.party_card_no, type_, on, **extra))
    outcome = run("events", rows)
    assert outcome.ok, [str(e) for e in outcome.errors]
    assert outcome.created == sum(len(steps) for _p, steps in STORIES)
    for served, imported in zip(by_services, by_import, strict=True):
        assert snapshot(imported) == snapshot(served), served.party_card_no


def test_the_sample_covers_every_kind_of_row_written():
    tree = Tree()
    rows = []
    members = []
    for number, (probationary, steps) in enumerate(STORIES, start=1):
        member = person(tree.a1, number, probationary=probationary)
        members.append(member)
        rows += [event_row(member.party_card_no, t, on, **extra) for t, on, extra in steps]
    assert run("events", rows).ok
    types = set(MemberEvent.objects.values_list("type", flat=True))
    assert types >= {T.CONFIRMED, T.TRANSFERRED_OUT, T.TRANSFERRED_IN, T.TEMPORARY_OUT,
                     T.TEMPORARY_RETURNED, T.EXEMPTED, T.EXEMPTION_ENDED, T.DIED, T.REMOVED,
                     T.READMITTED, T.RESIGNED, T.EXPELLED, T.DISCIPLINED}  # fmt: skip
    states = sorted(Transfer.objects.values_list("kind", "state"))
    assert states == sorted([
        ("temporary", "returned"), ("official", "received"), ("temporary", "returned"),
        ("temporary", "closed"), ("temporary", "returned"),
    ])  # fmt: skip
    automatic = MemberEvent.objects.filter(type=T.TEMPORARY_RETURNED, detail__automatic=True)
    assert automatic.count() == 2
    statuses = [m.__class__.objects.get(pk=m.pk).status for m in members]
    assert statuses == ["deceased", "full", "full", "left", "full", "left"]
    assert Affiliation.objects.filter(kind="temporary").count() == 3
