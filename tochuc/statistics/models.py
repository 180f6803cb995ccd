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

    class Meta:
        db_table = "reports_countsnapshot"  # from the reports app (statistics 0001)
        ordering = ["-on"]

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y} ({self.members})"


class ReportCount(models.Model):
    snapshot = models.ForeignKey(CountSnapshot, on_delete=models.CASCADE, related_name="rows")
    organization = models.ForeignKey(  # empty: the whole system
        "organizations.Organization", on_delete=models.CASCADE, null=True, related_name="+"
    )
    path = models.CharField(max_length=255)  # the organization's path on `on` ("": system)
    dimension = models.CharField(max_length=20)
    value = models.CharField(max_length=60, blank=True)
    n = models.PositiveIntegerField()

    class Meta:
        db_table = "reports_reportcount"
        indexes = [
            models.Index(
                fields=["snapshot", "path"],
                name="report_count_path_idx",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
            models.Index(fields=["snapshot", "organization"], name="report_count_org_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.path} {self.dimension}={self.value}: {self.n}"


class CountPart(models.Model):
    """One province's part of a snapshot: when it was built. A write recorded after that
    in the province makes the part stale (counted live until rebuilt)."""

    snapshot = models.ForeignKey(CountSnapshot, on_delete=models.CASCADE, related_name="parts")
    province = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    path = models.CharField(max_length=255)
    built_at = models.DateTimeField()

    class Meta:
        db_table = "reports_countpart"
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "province"], name="count_part_unique")
        ]

    def __str__(self) -> str:
        return f"{self.snapshot} {self.path} {self.built_at:%d/%m/%Y %H:%M}"
