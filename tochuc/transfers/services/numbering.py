"""Letters' numbers: the organization that issues a member's letter and its next number.

Letters are numbered per issuing organization and year by the one numbering mechanism of
the organizations (`organizations.numbering.next_number`: a lock on the issuer's row, the
next number of the series); the unique constraint `transfer_letter_number_unique` backs it."""

from __future__ import annotations

from datetime import date

from tochuc.organizations.models import Kind, Organization
from tochuc.organizations.numbering import issuer_suffix, next_number

from ..models import Transfer

# The level whose committee issues official letters: the commune-level committee above the
# cell (Đảng ủy xã, phường; a bloc; a district before 7/2025), else the province.
OFFICIAL_ISSUER_KINDS = (Kind.COMMUNE, Kind.BLOC, Kind.DISTRICT, Kind.PROVINCE)
# Temporary letters: the grassroots organization (đảng ủy cơ sở, chi bộ cơ sở) or above.
TEMPORARY_ISSUER_KINDS = (Kind.BASE_COMMITTEE, Kind.BASE_CELL, *OFFICIAL_ISSUER_KINDS)


def letter_issuer(organization: Organization, kind: str) -> Organization:
    """The organization that issues the letter for a member of `organization` (a cell)."""
    kinds = OFFICIAL_ISSUER_KINDS if kind == Transfer.Kind.OFFICIAL else TEMPORARY_ISSUER_KINDS
    ids = [int(part) for part in organization.path.strip("/").split("/") if part]
    ancestors = {o.pk: o for o in Organization.objects.filter(pk__in=ids)}
    for pk in reversed(ids):
        found = ancestors.get(pk)
        if found is not None and found.kind in kinds:
            return found
    return ancestors[ids[0]]


def letter_number(issuer: Organization, seq: int, kind: str) -> str:
    """'Số 12-GGT/ĐU' (official) or 'Số 12-GGTTT/ĐU' (temporary)."""
    suffix = issuer_suffix(issuer)
    letters = "GGT" if kind == Transfer.Kind.OFFICIAL else "GGTTT"
    return f"{seq}-{letters}/{suffix}"


def allocate_letter_number(*, issuer: Organization, on: date) -> int:
    """The next letter number of `issuer` in the year of `on`, under a lock on the issuer's
    row: two officers issuing at once get different numbers (the unique constraint
    `transfer_letter_number_unique` refuses a duplicate if anything bypassed this)."""
    return next_number(
        issuer=issuer,
        rows=Transfer.objects.filter(issuer=issuer, letter_year=on.year),
        field="letter_seq",
    )
