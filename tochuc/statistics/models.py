"""Summary tables for the statistical reports (docs/performance.md, PERFORMANCE-BASELINE).

A `CountSnapshot` is the membership of the whole system at one date: for each organization
above the grassroots level (province, district, commune, bloc) and for the whole system
(organization empty), the totals of its subtree per dimension of forms 1-TCTW…4-TCTW and
the organizations under it by kind — a few dozen rows each, read by the organization's key
(not per cell: a cell holds ~22 members, a per-cell table would be almost as big as the
member table). Built in parts, one per province (`CountPart`), so that a write in one
province leaves the others in use and only that part is rebuilt (see `counts.py`).
"""

from django.db import models


class CountSnapshot(models.Model):
    on = models.DateField(unique=True)
    built_at = models.DateTimeField()
    members = models.PositiveIntegerField(default=0)
    # The changes recorded (CountChange, up to `on`) in provinces that have no part, when
    # built: another figure now means a province the snapshot lacks was written to.
    elsewhere = models.BigIntegerField(default=-1)

    class Meta:
        db_table = "reports_countsnapshot"  # from the reports app (statistics 0001)
        ordering = ["-on"]

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y} ({self.members})"


class ReportCount(models.Model):
    # Derived rows, written by the hundred thousand at each build in the build's own
    # transaction: no database foreign keys (their per-row checks at commit were a third of
    # the whole-nation build's writing); the deletions still cascade through the ORM. One
    # index beside the key, (snapshot, organization), for every read (an organization's
    # rows, the whole system's, a snapshot's); each index more is written 175,000 times a
    # national build (docs/performance.md, 07/12/2026): the snapshot's alone is its prefix,
    # and a partial rebuild's deletion by path and an organization's deletion (rare: undoing
    # a correction) read the rows without one.
    # (No index on the snapshot alone either: with several snapshots, the year ends
    # `report_counts` keeps, PostgreSQL chose it for the organization page's counts and
    # filtered a whole snapshot, 175,000 rows, 40 ms, instead of reading the children's rows
    # by `report_count_org_idx`, 1 ms.)
    snapshot = models.ForeignKey(
        CountSnapshot, on_delete=models.CASCADE, related_name="rows", db_constraint=False,
        db_index=False,
    )  # fmt: skip
    organization = models.ForeignKey(  # empty: the whole system
        "organizations.Organization", on_delete=models.CASCADE, null=True, related_name="+",
        db_constraint=False, db_index=False,
    )  # fmt: skip
    path = models.CharField(max_length=255)  # the organization's path on `on` ("": system)
    dimension = models.CharField(max_length=20)
    value = models.CharField(max_length=60, blank=True)
    n = models.PositiveIntegerField()

    class Meta:
        db_table = "reports_reportcount"
        indexes = [models.Index(fields=["snapshot", "organization"], name="report_count_org_idx")]

    def __str__(self) -> str:
        return f"{self.path} {self.dimension}={self.value}: {self.n}"


class CountPart(models.Model):
    """One province's part of a snapshot: when it was built, and the province's changes
    then. Any change since in the province, dated on or before the snapshot's date, makes
    the part stale (counted live until rebuilt)."""

    snapshot = models.ForeignKey(CountSnapshot, on_delete=models.CASCADE, related_name="parts")
    province = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    path = models.CharField(max_length=255)
    built_at = models.DateTimeField()
    # The province's changes up to `on` (CountChange) when built: fresh while equal.
    watermark = models.BigIntegerField(default=-1)

    class Meta:
        db_table = "reports_countpart"
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "province"], name="count_part_unique")
        ]

    def __str__(self) -> str:
        return f"{self.snapshot} {self.path} {self.built_at:%d/%m/%Y %H:%M}"


class CountChange(models.Model):
    """Changes of the tables the summary counts, written by the database itself (triggers
    of migration statistics 0003, whatever wrote the rows: a service, an import, raw SQL, a
    data migration, a restore): per province and per year from which the changed rows
    count (1 January of the earliest date affected), how many changes. Only ever added to,
    so the sum of a province's rows up to a date grows with every change that can alter
    that date's counts: a part is fresh while that sum equals its `watermark`.

    PostgreSQL: one row per statement and province, never updated (no lock between
    writers), compacted by `counts.refresh`. SQLite: one row per (province, year), its
    `n` increased by each changed row (unique index; one writer at a time)."""

    province_id = models.BigIntegerField()  # 0: rows with no province
    since = models.DateField()
    n = models.BigIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["since", "province_id"], name="count_change_since_idx")]

    def __str__(self) -> str:
        return f"{self.province_id} từ {self.since:%d/%m/%Y}: {self.n}"


class FlowPart(models.Model):
    """One province's part of the movement summary (`flows.py`): when it was built and the
    province's changes then (CountChange, every date: the movement of any period may read
    any of them). Fresh while the sum is the same. Province -1: the changes recorded in
    provinces that had no part (and the unattributed ones, province 0)."""

    province_id = models.BigIntegerField(unique=True)
    built_at = models.DateTimeField()
    watermark = models.BigIntegerField(default=-1)

    def __str__(self) -> str:
        return f"{self.province_id}: {self.watermark}"


class FlowCount(models.Model):
    """The movement of one month for one holder, in one province's part: `holder` is an
    organization above the grassroots (its whole subtree), minus its id (the organization
    itself only: the members directly in it, a row of "by child"), or 0 (the whole system).
    `key` is a movement key (admitted, transferred_in, restructured_out…) or "net": the
    change over the month of the members counted, so that the members at a month's end are
    the sum of "net" up to that month."""

    province_id = models.BigIntegerField()
    holder = models.BigIntegerField()
    month = models.DateField()
    key = models.CharField(max_length=20)
    n = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["holder", "month"], name="flow_count_holder_idx"),
            models.Index(fields=["province_id"], name="flow_count_province_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.holder} {self.month:%m/%Y} {self.key}: {self.n}"
