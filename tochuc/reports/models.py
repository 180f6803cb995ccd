"""Summary tables for the statistical reports (docs/performance.md, PERFORMANCE-BASELINE).

A `CountSnapshot` is the membership of the whole system at one date, counted once per
grassroots organization (not per cell: a cell holds ~22 members, a per-cell table would be
almost as big as the member table) and per dimension of forms 1-TCTW…4-TCTW. A report at
that date for an organization at or above the grassroots level sums the rows whose path
starts with the organization's path — one small grouped query instead of a scan of the
subtree's members. Rebuilt by `tochuc report_counts` (nightly, and after imports); used
only while no write has been recorded since it was built (see `counts.py`), so a report
never shows stale numbers.
"""

from django.db import models


class CountSnapshot(models.Model):
    on = models.DateField(unique=True)
    built_at = models.DateTimeField()
    members = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-on"]

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y} ({self.members})"


class ReportCount(models.Model):
    snapshot = models.ForeignKey(CountSnapshot, on_delete=models.CASCADE, related_name="rows")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    path = models.CharField(max_length=255)  # the grassroots organization's path on `on`
    dimension = models.CharField(max_length=20)
    value = models.CharField(max_length=20, blank=True)
    n = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["snapshot", "path"],
                name="report_count_path_idx",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            )
        ]

    def __str__(self) -> str:
        return f"{self.path} {self.dimension}={self.value}: {self.n}"
