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

from django.db.models import DateField, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from tochuc.lib.dates import vn_date
from tochuc.lib.lookups import value_chunks
from tochuc.lib.vntext import fold
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


@dataclass(slots=True)
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
    kind: str = "member"  # or "candidate"; "entered": a record being entered

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


def given_names_agree(a: str, b: str) -> bool:
    """The given names (the last word of a Vietnamese name, which tells people apart where
    family and middle names are shared by many: Nguyễn Văn An, Nguyễn Văn Bình) are one
    name typed differently — the same first letter and at most one letter apart after it
    (An, Anh; but Minh and Sinh are two names) — or one stands among the other's words (the
    order changed)."""
    words_a, words_b = a.split(), b.split()
    if not words_a or not words_b:
        return True
    given_a, given_b = words_a[-1], words_b[-1]
    typed = given_a[0] == given_b[0] and Levenshtein.distance(given_a, given_b) <= 1
    return typed or given_a in words_b or given_b in words_a


def compare(a: Record, b: Record) -> Match | None:
    """The score of two records as one person, with its evidence; None when they cannot be."""
    if a.gender and b.gender and a.gender != b.gender:
        return None
    name = fuzz.token_sort_ratio(a.name_folded, b.name_folded)
    if name < 60 or not given_names_agree(a.name_folded, b.name_folded):
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


def index(records: list[Record]) -> dict[tuple, list[Record]]:
    """The records by blocking key (every key, blocks of one included)."""
    keyed: dict[tuple, list[Record]] = defaultdict(list)
    for record in records:
        if record.birth_date:
            keyed[("birth", record.birth_date)].append(record)
        for key in IDENTITY_KEYS:
            value = getattr(record, key)
            if value:
                keyed[(key, value)].append(record)
    return keyed


def blocks(records: list[Record], keyed: dict | None = None) -> Iterator[list[Record]]:
    for block in (index(records) if keyed is None else keyed).values():
        if 1 < len(block) <= MAX_BLOCK:
            yield block


def find(
    records: list[Record], *, min_score: int, keyed: dict | None = None
) -> dict[tuple[int, int], Match]:
    """Pairs (lower pk, higher pk) scoring at least `min_score`; `keyed`: `index(records)`
    when the caller has it already."""
    found: dict[tuple[int, int], Match] = {}
    for block in blocks(records, keyed):
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


def find_candidates(
    keyed: dict[tuple, list[Record]], candidates: list[Record], *, min_score: int
) -> dict[tuple[int, int], Match]:
    """Members (`keyed`: `index` of the members) and candidates that are likely one person:
    {(member pk, candidate pk): Match with the member first}. Blocked on the same keys as
    the members among themselves (a candidate has no card); a key shared by more than
    `MAX_BLOCK` records, members and candidates together, says nothing and is skipped."""
    by_key: dict[tuple, list[Record]] = defaultdict(list)
    for candidate in candidates:
        for key in _keys(candidate):
            by_key[key].append(candidate)
    found: dict[tuple[int, int], Match] = {}
    for key, some in by_key.items():
        members = keyed.get(key, ())
        if not members or len(members) + len(some) > MAX_BLOCK:
            continue
        for candidate in some:
            for member in members:
                pair = (member.pk, candidate.pk)
                if pair in found:
                    continue
                match = compare(member, candidate)
                if match is not None and match.score >= min_score:
                    found[pair] = match
    return found


# What an entry compares, candidates included (a candidate has no card nor admission).
CANDIDATE_FIELDS = ("pk", "full_name", "name_folded", "birth_date", "gender", "citizen_id",
                    Value(""), "phone", Value(None, output_field=DateField()), "cell_id",
                    "org_path", "hometown", "birthplace")  # fmt: skip
KIND_LABELS = {"member": gettext_lazy("đảng viên"), "candidate": gettext_lazy("quần chúng")}


def _entering(index: int, record: dict, folded: dict[str, str]) -> Record:
    """A record being entered, numbered -1, -2 … (it has no pk yet); `folded`: the names
    folded so far (a file's 70,000 rows hold a few thousand distinct names)."""
    name = record.get("full_name") or ""
    name_folded = folded.get(name)
    if name_folded is None:
        name_folded = folded[name] = fold(name)
    return Record(
        -(index + 1), name, name_folded, record.get("birth_date"), record.get("gender") or "",
        record.get("citizen_id") or "", record.get("party_card_no") or "",
        record.get("phone") or "", record.get("admitted_on"), record.get("organization_id"),
        "", record.get("hometown") or "", record.get("birthplace") or "", "entered",
    )  # fmt: skip


def _keys(record: Record) -> list[tuple]:
    keys = [("birth", record.birth_date)] if record.birth_date else []
    return keys + [(key, getattr(record, key)) for key in IDENTITY_KEYS if getattr(record, key)]


def _kept(entering: list[Record], *, scope) -> list[Record]:
    """The members and candidates (not yet admitted) of the caller's scope sharing a
    blocking key with a record being entered; records outside the scope are never read.

    The identity keys (citizen ID, card, phone) are looked up in the whole scope, by their
    indexes. The birth date, shared by some 220 members a day in the nation, is looked up
    in the province of the cell the record is entered into (as the scan blocks a province
    at a time), among records of a compatible gender (`compare` refuses the others):
    an administrator's import of a province's file reads that province's records of those
    birth dates by the (province, birth date) index, not the nation's (issue 26)."""
    from django.db.models import Q

    from tochuc.admissions.models import Candidate
    from tochuc.organizations.models import Organization

    wanted: dict[str, set] = defaultdict(set)
    cells = {record.organization_id for record in entering if record.organization_id}
    province_of: dict[int, int | None] = {}
    for chunk in value_chunks(cells):
        province_of.update(
            Organization.objects.filter(pk__any=chunk).values_list("pk", "province_id")
        )
    births: dict[tuple, set] = defaultdict(set)  # (province id or None, gender) → dates
    for record in entering:
        if record.birth_date:
            province = province_of.get(record.organization_id)
            births[(province, record.gender)].add(record.birth_date)
        for key in IDENTITY_KEYS:
            if value := getattr(record, key):
                wanted[key].add(value)
    conditions = [
        (field, Q(**{f"{field}__any": chunk}) & ~Q(**{field: ""}))
        for field, values in wanted.items()
        for chunk in value_chunks(values)
    ]
    for (province, gender), dates in births.items():
        where = Q(province_id=province) if province else Q()
        if gender:
            where &= Q(gender=gender) | Q(gender="")
        conditions += [
            ("birth_date", where & Q(birth_date__any=chunk)) for chunk in value_chunks(dates)
        ]
    found: list[Record] = []
    candidates = scope.filter_by_path(
        Candidate.objects.filter(member__isnull=True), "org_path"
    ).order_by()
    for field, condition in conditions:
        for values in scope.members().filter(condition).order_by().values_list(*FIELDS):
            found.append(Record.of(values))
        if field == "party_card_no":
            continue  # a candidate has no card
        for values in candidates.filter(condition).values_list(*CANDIDATE_FIELDS):
            found.append(Record(*values, kind="candidate"))
    unique = {(r.kind, r.pk): r for r in found}
    return list(unique.values())


def _warning(match: Match, other: Record, names: list[str] | None) -> dict:
    if other.kind == "entered":
        index = -other.pk - 1
        where = names[index] if names else _("hồ sơ thứ %(n)s") % {"n": index + 1}
        text = _("%(name)s, sinh %(born)s (%(where)s; độ giống %(score)s): %(evidence)s.")
        return {
            "text": text % {"name": other.full_name, "born": vn_date(other.birth_date),
                            "where": where, "score": match.score,
                            "evidence": ", ".join(match.evidence)},
            "url": "", "index": index, "score": match.score,
        }  # fmt: skip
    url = reverse(
        "members:detail" if other.kind == "member" else "admissions:detail", args=[other.pk]
    )
    text = _("%(name)s, sinh %(born)s (%(kind)s đã có; độ giống %(score)s): %(evidence)s.")
    return {
        "text": text % {"name": other.full_name, "born": vn_date(other.birth_date),
                        "kind": KIND_LABELS[other.kind], "score": match.score,
                        "evidence": ", ".join(match.evidence)},
        "url": url, "index": None, "score": match.score,
    }  # fmt: skip


def likely(records: list[dict], *, scope, names: list[str] | None = None) -> list[list[dict]]:
    """The one matcher of every entry point (`members.hooks.entry_checks`: member add,
    candidate add, each row of a members file): for each record being entered, the members
    and candidates of the caller's scope it likely duplicates, and the other records entered
    with it (rows of the same file) — blocked on the birth date, citizen ID, card and phone,
    scored as the scan scores (`compare`), from the policy's `quality_duplicate_min_score`.
    Each warning: {"text": the evidence in Vietnamese, "url": the record's page ("" for
    another row), "index": the other entered record's position (None for a kept record)}.
    `names[i]` is how record i is named in another's warning ("dòng 12")."""
    threshold = policy_for(timezone.localdate()).quality_duplicate_min_score
    folded: dict[str, str] = {}
    entering = [_entering(i, record, folded) for i, record in enumerate(records)]
    blocks: dict[tuple, list[Record]] = defaultdict(list)
    for record in _kept(entering, scope=scope):
        for key in _keys(record):
            blocks[key].append(record)
    warnings: list[list[dict]] = [[] for _ in records]
    seen: set[tuple] = set()
    for record in entering:
        for key in _keys(record):
            for other in blocks[key]:
                pair = (record.pk, other.kind, other.pk)
                if pair in seen or other.pk == record.pk and other.kind == record.kind:
                    continue
                seen.add(pair)
                match = compare(record, other)
                if match is not None and match.score >= threshold:
                    warnings[-record.pk - 1].append(_warning(match, other, names))
                    if other.kind == "entered":  # both rows of the file are flagged
                        warnings[-other.pk - 1].append(_warning(match, record, names))
            blocks[key].append(record)  # the next rows are compared with this one
    for found in warnings:
        found.sort(key=lambda w: (-w["score"], w["text"]))
    return warnings


def entry_check(records: list[dict], *, scope, names: list[str] | None = None) -> list[list[dict]]:
    """`members.hooks.entry_checks`: `likely`."""
    return likely(records, scope=scope, names=names)
