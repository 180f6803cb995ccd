"""Reads: records and decisions over an organization's subtree, filtered, and the period
counts as the sector reports them. Every read goes through the caller's scope.

Counting: one record is one subject supervised or inspected under one decision or plan, so
the counts are of records ("cấp ủy giám sát 6 tổ chức đảng và 170 đảng viên" = six records
on organizations, 170 on members). A record is counted in the period in which it starts,
so that the quarters of a year add up to the year. Records conducted by an organization of
the subtree (its committee or its inspection commission) are counted, wherever the subject.
Disciplines are counted by their decision date, by the authority's place in the subtree.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from tochuc.lib.paths import under
from tochuc.organizations.models import Organization

from .models import Activity, Body, Discipline, DisciplineForm, Inspection

SUBJECT_TYPES = ("organization", "member")


@dataclass
class InspectionFilters:
    start: date | None = None
    end: date | None = None
    activity: str = ""
    body: str = ""
    kind: str = ""
    subject_type: str = ""


def _subtree(qs: QuerySet, *, scope, organization: Organization, field: str) -> QuerySet:
    """Rows of `organization`'s subtree (by `field`'s path), in the scope (None: a caller that
    has checked the scope on `organization` already, e.g. the report engine)."""
    if scope is not None:
        qs = scope.filter_by_path(qs, f"{field}__path")
    return qs.filter(under(f"{field}__path", organization.path))


def _subject_type(qs: QuerySet, subject_type: str) -> QuerySet:
    if subject_type == "organization":
        return qs.filter(subject_organization__isnull=False)
    if subject_type == "member":
        return qs.filter(subject_member__isnull=False)
    return qs


def inspection_list(
    *, scope, organization: Organization, filters: InspectionFilters
) -> QuerySet[Inspection]:
    qs = _subtree(Inspection.objects.all(), scope=scope, organization=organization,
                  field="conductor")  # fmt: skip
    if filters.start:
        qs = qs.filter(starts_on__gte=filters.start)
    if filters.end:
        qs = qs.filter(starts_on__lte=filters.end)
    for name in ("activity", "body", "kind"):
        if getattr(filters, name):
            qs = qs.filter(**{name: getattr(filters, name)})
    qs = _subject_type(qs, filters.subject_type)
    return qs.select_related(
        "conductor", "subject_organization", "subject_member", "subject_member__organization"
    ).order_by("-starts_on", "conductor__name_sort", "subject_member__name_sort",
               "subject_organization__name_sort", "id")  # fmt: skip


def inspection_choices(*, conductor: Organization) -> QuerySet[Inspection]:
    """The records a discipline decided by `conductor` may rest on (latest first)."""
    return (
        Inspection.objects.filter(conductor=conductor)
        .select_related("subject_organization", "subject_member")
        .order_by("-starts_on", "-id")
    )


@dataclass
class DisciplineFilters:
    start: date | None = None
    end: date | None = None
    form: str = ""
    body: str = ""
    subject_type: str = ""


def discipline_list(
    *, scope, organization: Organization, filters: DisciplineFilters
) -> QuerySet[Discipline]:
    qs = _subtree(Discipline.objects.all(), scope=scope, organization=organization,
                  field="authority")  # fmt: skip
    if filters.start:
        qs = qs.filter(decided_on__gte=filters.start)
    if filters.end:
        qs = qs.filter(decided_on__lte=filters.end)
    for name in ("form", "body"):
        if getattr(filters, name):
            qs = qs.filter(**{name: getattr(filters, name)})
    qs = _subject_type(qs, filters.subject_type)
    return qs.select_related(
        "authority", "subject_organization", "subject_member", "inspection"
    ).order_by("-decided_on", "subject_member__name_sort", "subject_organization__name_sort",
               "id")  # fmt: skip


# ---------------------------------------------------------------- the period counts


@dataclass
class PeriodCounts:
    """Records by (body, activity, subject type), and disciplines by (form, subject type)."""

    inspections: Counter
    disciplines: Counter

    def get(self, body: str, activity: str, subject_type: str) -> int:
        return self.inspections[(body, activity, subject_type)]

    def total(self) -> int:
        return sum(self.inspections.values())

    def discipline_total(self, subject_type: str) -> int:
        return sum(n for (_form, kind), n in self.disciplines.items() if kind == subject_type)

    def rows(self) -> list[dict]:
        """One row per (body, activity): organizations, members, together."""
        rows = []
        for body in Body:
            for activity in Activity:
                orgs = self.get(body, activity, "organization")
                members = self.get(body, activity, "member")
                rows.append(
                    {
                        "key": f"{body.value}_{activity.value}",
                        "body": str(body.label),
                        "activity": str(activity.label),
                        "label": f"{body.label} {str(activity.label).lower()}",
                        "organizations": orgs,
                        "members": members,
                        "total": orgs + members,
                    }
                )
        return rows

    def discipline_rows(self) -> list[dict]:
        rows = []
        for form in DisciplineForm:
            orgs = self.disciplines[(form.value, "organization")]
            members = self.disciplines[(form.value, "member")]
            rows.append(
                {"key": form.value, "label": str(form.label), "organizations": orgs,
                 "members": members, "total": orgs + members}
            )  # fmt: skip
        return rows


def _subject_expression():
    return Count("id", filter=Q(subject_member__isnull=False)), Count(
        "id", filter=Q(subject_organization__isnull=False)
    )


def period_counts(*, scope, organization: Organization, start: date, end: date) -> PeriodCounts:
    members, orgs = _subject_expression()
    inspections = Counter()
    qs = _subtree(Inspection.objects.all(), scope=scope, organization=organization,
                  field="conductor").filter(starts_on__gte=start, starts_on__lte=end)  # fmt: skip
    for row in qs.values("body", "activity").annotate(members=members, orgs=orgs).order_by():
        inspections[(row["body"], row["activity"], "member")] += row["members"]
        inspections[(row["body"], row["activity"], "organization")] += row["orgs"]
    members, orgs = _subject_expression()
    disciplines = Counter()
    qs = _subtree(Discipline.objects.all(), scope=scope, organization=organization,
                  field="authority").filter(decided_on__gte=start, decided_on__lte=end)  # fmt: skip
    for row in qs.values("form").annotate(members=members, orgs=orgs).order_by():
        disciplines[(row["form"], "member")] += row["members"]
        disciplines[(row["form"], "organization")] += row["orgs"]
    return PeriodCounts(inspections, disciplines)
