"""Data quality in the demo: realistic defects planted in the demo province, then a scan.

- a few hundred records entered twice: a copy of a member's record (same birth date, cell,
  admission and confirmation, complete history: the same acts and the same activity
  period) under a spelling variant of the name (accents dropped, a letter mistyped, family
  name last) and without citizen ID — suspected pairs to merge;
- citizen IDs missing from about 1.5% of the active records;
- members of the sibling commune (Tân Thành) working away without news for months
  (screening; the demo commune's list holds the ratings' two);
- a scan of the province, so the quality page and the dashboard show the score at once.

A step of `tochuc.demo.builders.STEPS` (`build` below); written in bulk (fast), the copies
with the same rules as the records they copy (nothing else changes: each copy's history is
complete, so every movement report still balances).
"""

from __future__ import annotations

import random
from datetime import date

from django.db import transaction
from django.utils import timezone

from tochuc.lib import paths
from tochuc.lib.dates import add_months
from tochuc.lib.vntext import fold, person_sort_key
from tochuc.members.models import ACTIVE_STATUSES, Affiliation, Member, MemberEvent, Status
from tochuc.transfers.models import WorkingAway

from .models import Scan
from .scan import scan_run

DUPLICATES = 300
MISSING_CID_SHARE = 0.015
AWAY = 4
# Copies of members admitted before the years that admission targets are followed in: the
# copies' admissions do not move any recent admission figure.
BEFORE = date(2015, 1, 1)
T = MemberEvent.Type
TYPO = {"a": "s", "n": "m", "h": "g", "i": "u", "o": "p", "u": "y", "t": "r", "g": "h"}


def variant(name: str, rng: random.Random) -> str:
    """A spelling of `name` as a clerk might have typed it."""
    words = name.split()
    how = rng.randrange(3)
    if how == 0:  # accents dropped (an old keyboard, a copied list)
        return " ".join(w[0] + fold(w[1:]) if len(w) > 1 else w for w in words).title()
    if how == 1 and len(words) > 1:  # a letter mistyped in the given name
        given = words[-1]
        for i, ch in enumerate(given[1:], start=1):
            if ch in TYPO:
                words[-1] = given[:i] + TYPO[ch] + given[i + 1 :]
                break
        return " ".join(words)
    return " ".join(words[1:] + words[:1])  # family name written last


def _sources(province, rng: random.Random) -> list[Member]:
    """Active full members whose history is their admission and confirmation in one cell."""
    simple = (
        Member.objects.filter(province=province, status=Status.FULL, admitted_on__lt=BEFORE)
        .exclude(citizen_id="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    pool = list(simple[:20000])
    chosen = set(rng.sample(pool, min(len(pool), DUPLICATES * 3)))
    events = {}
    for member_id, type_ in MemberEvent.objects.filter(member_id__in=chosen).values_list(
        "member_id", "type"
    ):
        events.setdefault(member_id, []).append(type_)
    periods = {}
    for member_id in Affiliation.objects.filter(member_id__in=chosen).values_list(
        "member_id", flat=True
    ):
        periods[member_id] = periods.get(member_id, 0) + 1
    keep = [
        pk for pk in sorted(chosen)
        if sorted(events.get(pk, [])) == [T.ADMITTED, T.CONFIRMED] and periods.get(pk) == 1
    ][:DUPLICATES]  # fmt: skip
    return list(Member.objects.filter(pk__in=keep))


def plant_duplicates(province, rng: random.Random) -> int:
    sources = _sources(province, rng)
    copies = []
    for source in sources:
        copy = Member(**{
            f.attname: getattr(source, f.attname) for f in Member._meta.concrete_fields
            if f.attname not in ("id", "created_at")
        })  # fmt: skip
        copy.full_name = variant(source.full_name, rng)
        copy.name_folded = fold(copy.full_name)
        copy.name_sort = person_sort_key(copy.full_name)
        copy.citizen_id = ""
        copy.party_card_no = ""
        copy.phone = ""
        copy.row_version = 1
        copies.append(copy)
    Member.objects.bulk_create(copies, batch_size=1000)
    by_source = {s.pk: c for s, c in zip(sources, copies, strict=True)}
    events = []
    for event in MemberEvent.objects.filter(member_id__in=by_source).order_by("member_id", "on"):
        event.member_id = by_source[event.member_id].pk
        event.pk = None
        events.append(event)
    MemberEvent.objects.bulk_create(events, batch_size=1000)
    admitted = {e.member_id: e.pk for e in events if e.type == T.ADMITTED}
    periods = []
    for period in Affiliation.objects.filter(member_id__in=by_source):
        period.member_id = by_source[period.member_id].pk
        period.pk = None
        period.started_by_id = admitted.get(period.member_id)
        periods.append(period)
    Affiliation.objects.bulk_create(periods, batch_size=1000)
    return len(copies)


def blank_citizen_ids(province, rng: random.Random) -> int:
    pks = list(
        Member.objects.filter(province=province, status__in=ACTIVE_STATUSES)
        .exclude(citizen_id="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chosen = rng.sample(pks, int(len(pks) * MISSING_CID_SHARE))
    return Member.objects.filter(pk__in=chosen).update(citizen_id="")


def plant_lost_contact(commune, rng: random.Random) -> int:
    today = timezone.localdate()
    taken = WorkingAway.objects.filter(ended_on__isnull=True).values_list("member_id", flat=True)
    members = list(
        Member.objects.filter(paths.under("org_path", commune.path), status=Status.FULL)
        .exclude(pk__in=taken)
        .order_by("name_sort", "pk")[:40]
    )
    places = ["Khu công nghiệp VSIP Bắc Ninh", "Thành phố Thủ Đức, TP Hồ Chí Minh",
              "Khu công nghiệp Đình Vũ, Hải Phòng", "Thuận An, Bình Dương"]  # fmt: skip
    rows = [
        WorkingAway(
            member=m,
            organization=m.organization,
            place=places[i % len(places)],
            starts_on=add_months(today, -rng.randint(9, 20)),
            contact=_("Qua gia đình"),
            note=_("Gia đình không còn liên lạc được"),
        )  # fmt: skip
        for i, m in enumerate(rng.sample(members, min(AWAY, len(members))))
    ]
    WorkingAway.objects.bulk_create(rows)
    return len(rows)


def _(text: str) -> str:
    return text


def build(ctx) -> None:
    province = ctx.registry.get("province")
    # The sibling commune: the demo commune's working-away list stays as the transfers step
    # made it (its one member working away); its screening list has the ratings' two.
    sibling = ctx.registry.get("sibling_commune")
    rng = random.Random(f"{ctx.seed}-quality")
    with transaction.atomic():
        # Not in the small demo (the tests' registry): every record there is one person.
        copies = 0 if ctx.small else plant_duplicates(province, rng)
        blanked = blank_citizen_ids(province, rng)
        away = plant_lost_contact(sibling, rng)
    scan = Scan.objects.create(
        organization=province, org_path=province.path, state=Scan.State.QUEUED,
        on=timezone.localdate(),
    )  # fmt: skip
    scan = scan_run(scan)
    ctx.write(
        f"  {copies} hồ sơ nhập trùng, {blanked} hồ sơ thiếu số CCCD, {away} đảng viên đi làm "
        f"ăn xa mất liên lạc; quét {scan.records:,} hồ sơ trong {scan.seconds} giây: "
        f"{scan.pairs} cặp nghi trùng."
    )
