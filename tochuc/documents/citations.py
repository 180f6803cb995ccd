"""The rules' sources in the registry: which policy versions (tochuc/policy, built in and an
administrator's) cite a document, by the number written in their source ("Quy định
294-QĐ/TW (26/5/2025)" cites 294-QĐ/TW). A link by number: the policy keeps its text, the
registry finds the numbers in it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from tochuc.lib.dates import vn_date
from tochuc.policy.models import PolicyVersion
from tochuc.policy.rules import BUILT_IN

from . import numbers

CITED = re.compile(r"\b\d{1,5}-[^\s/,;()]+/[^\s,;()]+")


@dataclass(frozen=True)
class Citation:
    effective_from: date
    source: str

    def __str__(self) -> str:
        return f"{self.source} — áp dụng từ {vn_date(self.effective_from)}"


def cited_numbers(text: str) -> set[str]:
    """The document numbers written in a source text, as the registry writes them."""
    found = set()
    for raw in CITED.findall(text or ""):
        try:
            found.add(str(numbers.parse(raw)))
        except Exception:  # noqa: BLE001 — a text that only looks like a number
            continue
    return found


def _sources():
    for policy in BUILT_IN:
        for text in (policy.source, policy.rating_source, policy.confidence_source):
            yield policy.effective_from, text
    for version in PolicyVersion.objects.order_by("effective_from", "id"):
        yield version.effective_from, version.source


def citing(number: str) -> list[Citation]:
    """The policy versions whose source cites document `number`."""
    seen, found = set(), []
    for effective_from, text in _sources():
        if number in cited_numbers(text) and (effective_from, text) not in seen:
            seen.add((effective_from, text))
            found.append(Citation(effective_from, text))
    return found
