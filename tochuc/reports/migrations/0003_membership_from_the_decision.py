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
from django.db.models import Exists, F, OuterRef, Q, Subquery


def _ceremony(detail) -> date | None:
    value = (detail or {}).get("ceremony_on")
    return date.fromisoformat(value) if isinstance(value, str) else value


def start_at_the_decision(apps, schema_editor):
    Affiliation = apps.get_model("members", "Affiliation")
    MemberEvent = apps.get_model("members", "MemberEvent")
    started = Affiliation.objects.filter(kind="official").filter(
        started_by__on__lt=F("valid_from"), organization__founded_on__lte=F("started_by__on")
    )
    between = (
        Affiliation.objects.filter(member_id=OuterRef("member_id"), kind="official")
        .exclude(pk=OuterRef("pk"))
        .filter(valid_from__lt=OuterRef("valid_from"))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=OuterRef("started_by__on")))
    )
    # Admissions (nearly all): one statement, the ceremony is the member's.
    admitted = started.filter(started_by__type="admitted", valid_from=F("member__ceremony_on"))
    ids = list(admitted.exclude(Exists(between)).values_list("pk", flat=True))
    decided = MemberEvent.objects.filter(pk=OuterRef("started_by_id")).values("on")[:1]
    changed = 0
    for first in range(0, len(ids), 5000):
        changed += Affiliation.objects.filter(pk__in=ids[first : first + 5000]).update(
            valid_from=Subquery(decided)
        )
    # Re-admissions (a few): the ceremony is in the event's detail.
    readmitted = started.filter(started_by__type="readmitted").exclude(Exists(between))
    for pk, valid_from, on, detail in readmitted.values_list(
        "pk", "valid_from", "started_by__on", "started_by__detail"
    ):
        if valid_from == _ceremony(detail):
            changed += Affiliation.objects.filter(pk=pk).update(valid_from=on)
    if changed:
        apps.get_model("reports", "CountSnapshot").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0002_official_affiliations_do_not_overlap"),
        ("reports", "0002_count_parts"),
    ]

    operations = [migrations.RunPython(start_at_the_decision, migrations.RunPython.noop)]
