"""Membership counts from the admission decision (as party age does), not the ceremony.

Affiliations written before started on the ceremony day while the admission is counted on
the decision day, so a movement report whose period fell between the two did not
balance. Each official affiliation started by an admission (or a re-admission) on its
ceremony day now starts on the decision day, where nothing else of the member's stands
in between and the cell existed then; one entered from another day (an import's "since",
a cell founded later) is left as it was (the report names such members). The summary
snapshots are dropped: `tochuc report_counts` builds them again (until then reports count
live). Reverse: nothing (the earlier start is the rule now).
"""

from datetime import date

from django.db import migrations
from django.db.models import F, Q


def _ceremony(type_: str, detail, member_ceremony: date | None) -> date | None:
    if type_ == "admitted":
        return member_ceremony
    value = (detail or {}).get("ceremony_on")
    return date.fromisoformat(value) if isinstance(value, str) else value


def start_at_the_decision(apps, schema_editor):
    Affiliation = apps.get_model("members", "Affiliation")
    changed = 0
    rows = (
        Affiliation.objects.filter(kind="official", started_by__type__in=["admitted", "readmitted"])
        .filter(started_by__on__lt=F("valid_from"))
        .values_list(
            "pk",
            "member_id",
            "valid_from",
            "started_by__on",
            "started_by__type",
            "started_by__detail",
            "member__ceremony_on",
            "organization__founded_on",
        )  # fmt: skip
    )
    for pk, member_id, valid_from, decided, type_, detail, ceremony, founded in list(rows):
        if valid_from != _ceremony(type_, detail, ceremony) or founded > decided:
            continue
        between = (
            Affiliation.objects.filter(member_id=member_id, kind="official")
            .exclude(pk=pk)
            .filter(valid_from__lt=valid_from)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=decided))
        )
        if between.exists():
            continue
        Affiliation.objects.filter(pk=pk).update(valid_from=decided)
        changed += 1
    if changed:
        apps.get_model("reports", "CountSnapshot").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0002_official_affiliations_do_not_overlap"),
        ("reports", "0002_count_parts"),
    ]

    operations = [migrations.RunPython(start_at_the_decision, migrations.RunPython.noop)]
