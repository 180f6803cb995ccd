"""Suspected duplicate persons: blocking on stable keys, then a similarity score.

Two records are compared only when they share a key that does not change with spelling —
the birth date, the citizen ID, the party card number or the phone — so a province of
88,000 records costs a few hundred thousand comparisons, not billions. The score (0–100)
weighs the names (rapidfuzz on the folded names, word order ignored: accents, order and
typing errors) against the other facts both records have (admission date, cell, hometown,
birthplace); the same citizen ID, card or phone with a similar name is strong evidence.
Suggested from the policy's `quality_duplicate_min_score`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import combinations

from django.urls import reverse
from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from tochuc.lib.dates import vn_date
from tochuc.lib.vntext import fold
from tochuc.members.models import Member
from tochuc.policy.rules import policy_for

# A block larger than this (a shared office phone, a default birth date typed for many)
# says nothing about persons: skipped.
MAX_BLOCK = 40
FIELDS = ("pk", "full_name", "name_folded", "birth_date", "gender", "citizen_id",
          "party_card_no", "phone", "admitted_on", "organization_id", "org_path",
          "hometown", "birthplace")  # fmt: skip
# The facts compared besides the name, when both records have them.
FACTS = ("admitted_on", "organization_id", "hometown", "birthplace")
# Keys that name one person: the same value with a similar name is strong evidence.
IDENTITY_KEYS = ("citizen_id", "party_card_no", "phone")
NAME_WEIGHT = 0.6


@dataclass
class Record:
    pk: int | None
    full_name: str
    name_folded: str
    birth_date: date | None
    gender: str
    citizen_id: str
    party_card_no: str
    phone: str
    admitted_on: date | None
    organization_id: int | None
    org_path: str
    hometown: str
    birthplace: str

    @classmethod
    def of(cls, values: Iterable) -> Record:
        return cls(*values)


@dataclass
class Match:
    first: Record
    second: Record
    score: int
    evidence: list[str]


def _same_text(a: str, b: str) -> bool | None:
    if not a or not b:
        return None
    return fold(a) == fold(b)


def compare(a: Record, b: Record) -> Match | None:
    """The score of two records as one person, with its evidence; None when they cannot be."""
    if a.gender and b.gender and a.gender != b.gender:
        return None
    name = fuzz.token_sort_ratio(a.name_folded, b.name_folded)
    if name < 60:
        return None
    evidence = [_("Họ tên giống %(score)s%%") % {"score": int(name)}]
    agreed = possible = 0
    for fact in FACTS:
        x, y = getattr(a, fact), getattr(b, fact)
        same = _same_text(x, y) if isinstance(x, str) else (None if not x or not y else x == y)
        if same is None:
            continue
        possible += 1
        agreed += same
    score = NAME_WEIGHT * name + (100 - 100 * NAME_WEIGHT) * (agreed / possible if possible else 0)
    if a.birth_date and a.birth_date == b.birth_date:
        evidence.append(_("cùng ngày sinh %(on)s") % {"on": vn_date(a.birth_date)})
    if a.admitted_on and a.admitted_on == b.admitted_on:
        evidence.append(_("cùng ngày kết nạp %(on)s") % {"on": vn_date(a.admitted_on)})
    if a.organization_id and a.organization_id == b.organization_id:
        evidence.append(_("cùng chi bộ"))
    labels = {
        "citizen_id": _("cùng số CCCD"),
        "party_card_no": _("cùng số thẻ đảng viên"),
        "phone": _("cùng số điện thoại"),
    }
    for key in IDENTITY_KEYS:
        if getattr(a, key) and getattr(a, key) == getattr(b, key) and name >= 80:
            evidence.append(labels[key])
            score = max(score, 95)
    return Match(a, b, round(score), evidence)


def blocks(records: list[Record]) -> Iterator[list[Record]]:
    keyed: dict[tuple, list[Record]] = defaultdict(list)
    for record in records:
        if record.birth_date:
            keyed[("birth", record.birth_date)].append(record)
        for key in IDENTITY_KEYS:
            value = getattr(record, key)
            if value:
                keyed[(key, value)].append(record)
    for block in keyed.values():
        if 1 < len(block) <= MAX_BLOCK:
            yield block


def find(records: list[Record], *, min_score: int) -> dict[tuple[int, int], Match]:
    """Pairs (lower pk, higher pk) scoring at least `min_score`."""
    found: dict[tuple[int, int], Match] = {}
    for block in blocks(records):
        for a, b in combinations(block, 2):
            if a.pk == b.pk:
                continue
            key = (a.pk, b.pk) if a.pk < b.pk else (b.pk, a.pk)
            if key in found:
                continue
            match = compare(a, b)
            if match is not None and match.score >= min_score:
                if a.pk > b.pk:
                    match.first, match.second = b, a
                found[key] = match
    return found


def entry_check(organization, record: dict, *, scope) -> list[dict]:
    """`members.hooks.entry_checks`: the records of the caller's scope that the member being
    entered likely duplicates (same birth date, citizen ID, card or phone, and a similar
    name), each with its link. Records outside the scope are never named."""
    from django.db.models import Q

    birth = record.get("birth_date")
    keys = Q(birth_date=birth) if birth else Q(pk__in=[])
    for key in IDENTITY_KEYS:
        if record.get(key):
            keys |= Q(**{key: record[key]})
    entering = Record(
        None, record.get("full_name", ""), fold(record.get("full_name", "")), birth,
        record.get("gender", ""), record.get("citizen_id", ""), record.get("party_card_no", ""),
        record.get("phone", ""), record.get("admitted_on"), getattr(organization, "pk", None),
        "", record.get("hometown", ""), record.get("birthplace", ""),
    )  # fmt: skip
    threshold = policy_for(birth or date.today()).quality_duplicate_min_score if birth else 85
    found = scope.members().filter(keys).values_list(*FIELDS)[: MAX_BLOCK + 1]
    warnings = []
    for values in found:
        match = compare(entering, Record.of(values))
        if match is None or match.score < threshold:
            continue
        other = match.second
        warnings.append(
            {
                "text": _("%(name)s, sinh %(born)s (độ giống %(score)s): %(evidence)s.")
                % {
                    "name": other.full_name,
                    "born": vn_date(other.birth_date),
                    "score": match.score,
                    "evidence": ", ".join(match.evidence),
                },
                "url": reverse("members:detail", args=[other.pk]),
            }
        )
    return warnings


def records_under(path: str) -> list[Record]:
    from tochuc.lib import paths

    return [
        Record.of(values)
        for values in Member.objects.filter(paths.under("org_path", path))
        .order_by()
        .values_list(*FIELDS)
        .iterator(chunk_size=5000)
    ]
