"""Outgoing numbers: what an organization issues is numbered per issuer, series and year.

One mechanism for every numbered thing an organization issues — the transfers' introduction
letters (`transfers.services.numbering`), the documents it issues (`documents.services`):
`next_number` locks the issuer's row, so that two officers issuing at once in the same
series wait for each other and get different numbers, then takes the next one after the
highest already given in the series (the caller's rows: `rows` filtered to the issuer, the
series and the year). Each caller backs it with a unique constraint on (issuer, series,
year, number), which refuses a duplicate if anything bypassed the lock.

`issuer_suffix` is the part after the slash of a number an organization issues
("12-GGT/ĐU", "04-CTr/TU"): Tỉnh ủy "TU", a grassroots cell "CB", any other committee "ĐU".
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max, QuerySet

from .models import Kind, Organization

ISSUER_SUFFIX = {
    Kind.PROVINCE: "TU",
    Kind.BASE_CELL: "CB",
    Kind.CELL: "CB",
}
DEFAULT_SUFFIX = "ĐU"


def issuer_suffix(issuer: Organization) -> str:
    return ISSUER_SUFFIX.get(issuer.kind, DEFAULT_SUFFIX)


def next_number(*, issuer: Organization, rows: QuerySet, field: str) -> int:
    """The next number of a series of `issuer`: 1 + the highest `field` of `rows` (the
    series of this issuer and year), taken under a lock on the issuer's row. Call it inside
    the transaction that saves the numbered row."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside the transaction that saves the number")
    Organization.objects.select_for_update().filter(pk=issuer.pk).first()
    last = rows.aggregate(last=Max(field))["last"]
    return (last or 0) + 1
