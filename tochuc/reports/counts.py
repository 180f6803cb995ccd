"""The summary table: build a snapshot of the counts at a date, and read it for a report.

Build (nightly, and after imports: `tochuc report_counts`): every official affiliation in
force on the date, counted per grassroots organization and per value of each dimension —
grouped in SQL per organization, rolled up to the grassroots ancestor in Python over
organizations (never over members).

Read: `snapshot_counts(root, on)` answers only when a snapshot of that date exists, the
root is at or above the grassroots level, and nothing was written since the snapshot was
built (any audited action other than a read: the audit log is indexed by time). Otherwise
None, and the report counts live. A report therefore never shows stale numbers.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from functools import lru_cache

from django.db import transaction
from django.db.models import Case, CharField, Count, F, Q, Sum, Value, When
from django.utils import timezone

from tochuc.core.models import AuditEntry
from tochuc.lib import paths
from tochuc.members.models import Affiliation
from tochuc.organizations.models import (
    ABOVE_GRASSROOTS_KINDS,
    GRASSROOTS_KINDS,
    OrganizationVersion,
)
from tochuc.organizations.selectors import in_force, version_of

from .models import CountSnapshot, ReportCount

# Audited actions that can change what the summary counts: members, organizations, imports,
# admissions (a ceremony makes a member), confirmations, a restore. Logins, access denials,
# grants and audited reads (exports, printed documents) change nothing it counts.
COUNTED_ACTIONS = (
    "tochuc.member.", "tochuc.organization.", "tochuc.import.", "tochuc.admission.admitted",
    "tochuc.confirmation.", "tochuc.system.restored",
)  # fmt: skip
READ_ACTIONS = ("exported", "viewed", "printed")


def _grassroots_of(on: date) -> dict[int, tuple[int, str]]:
    """Organization id → (its grassroots ancestor or itself, that one's path) on `on`."""
    versions = list(
        OrganizationVersion.objects.filter(in_force(on)).values_list(
            "organization_id", "path", "kind"
        )
    )
    grassroots = {path: org_id for org_id, path, kind in versions if kind in GRASSROOTS_KINDS}
    mapping = {}
    for org_id, path, _kind in versions:
        prefix = ""
        for part in path.strip("/").split("/"):
            prefix += part + "/"
            if prefix in grassroots:
                mapping[org_id] = (grassroots[prefix], prefix)
                break
    return mapping


@transaction.atomic
def rebuild(on: date) -> CountSnapshot:
    """Count everything on `on` again (replacing that date's snapshot): per dimension, one
    query grouped by organization and value, rolled up to the grassroots level."""
    from .definitions import AGE_BANDS
    from .sources import PROFILE_FIELDS, age_band, full_on

    built_at = timezone.now()  # before reading: a write during the build makes it stale
    _summed.cache_clear()
    CountSnapshot.objects.filter(on=on).delete()
    snapshot = CountSnapshot.objects.create(on=on, built_at=built_at)
    mapping = _grassroots_of(on)
    affiliations = Affiliation.objects.filter(in_force(on), kind=Affiliation.Kind.OFFICIAL)
    status = Case(When(is_full=True, then=Value("full")), default=Value("probationary"),
                  output_field=CharField())  # fmt: skip
    dimensions = {
        "status": affiliations.annotate(is_full=full_on(on)).annotate(v=status),
        "age": affiliations.annotate(v=age_band(on, AGE_BANDS)),
        **{field: affiliations.annotate(v=F(f"member__{field}")) for field in PROFILE_FIELDS},
    }
    rows: Counter = Counter()
    for dimension, qs in dimensions.items():
        grouped = qs.values_list("organization_id", "v").annotate(n=Count("id")).order_by()
        for org_id, value, n in grouped:
            target = mapping.get(org_id)
            if target is not None:
                rows[(target, dimension, value or "")] += n
    ReportCount.objects.bulk_create(
        (
            ReportCount(snapshot=snapshot, organization_id=org_id, path=path,
                        dimension=dimension, value=value, n=n)
            for ((org_id, path), dimension, value), n in rows.items()
        ),
        batch_size=2000,
    )  # fmt: skip
    snapshot.members = sum(n for (_t, dimension, _v), n in rows.items() if dimension == "status")
    snapshot.save(update_fields=["members"])
    return snapshot


def written_since(moment) -> bool:
    counted = Q()
    for prefix in COUNTED_ACTIONS:
        counted |= Q(action__startswith=prefix)
    writes = AuditEntry.objects.filter(counted, at__gt=moment)
    for suffix in READ_ACTIONS:
        writes = writes.exclude(action__endswith=suffix)
    return writes.exists()


def snapshot_counts(root, on: date) -> dict[str, Counter] | None:
    """Dimension → value → members under `root` on `on`, from a fresh snapshot; or None."""
    snapshot = CountSnapshot.objects.filter(on=on).first()
    if snapshot is None or written_since(snapshot.built_at):
        return None
    version = version_of(organization=root, on=on)
    if version is None or version.kind not in (*GRASSROOTS_KINDS, *ABOVE_GRASSROOTS_KINDS):
        return None
    return _summed(snapshot.pk, snapshot.built_at, version.path)


@lru_cache(maxsize=128)
def _summed(snapshot_id: int, built_at, path: str) -> dict[str, Counter]:
    """Cached per snapshot build (its id and build time) and path."""
    rows = (
        ReportCount.objects.filter(Q(snapshot_id=snapshot_id) & paths.under("path", path))
        .values_list("dimension", "value")
        .annotate(n=Sum("n"))
        .order_by()
    )
    result: dict[str, Counter] = {}
    for dimension, value, n in rows:
        result.setdefault(dimension, Counter())[value] = n
    return result
