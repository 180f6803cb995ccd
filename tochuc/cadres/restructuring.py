"""How cadre work follows a restructuring (organizations/hooks.py `merged`): when an
organization ends into another (a merger, the 2025 reorganization), its agencies — with
their staffing quotas — and the cadres it manages go to the result, in the same transaction
as the event. Planned positions go too, unless the result already plans one of the same
title (then the list stays with the ended committee, where it can still be read)."""

from tochuc.core import audit

from .models import Agency, Cadre, PlannedPosition


def follow_merge(source, result, on, event, placement=None) -> None:
    agencies = Agency.objects.filter(organization=source).update(organization=result)
    cadres = Cadre.objects.filter(committee=source).update(committee=result)
    taken = set(PlannedPosition.objects.filter(committee=result).values_list("title", flat=True))
    positions = (
        PlannedPosition.objects.filter(committee=source)
        .exclude(title__in=taken)
        .update(committee=result)
    )
    if agencies or cadres or positions:
        audit.record(
            "tochuc.cadre.followed_merge", obj=result, reason=getattr(event, "decision_no", ""),
            source=source.code, on=on, agencies=agencies, cadres=cadres,
            planned_positions=positions,
        )  # fmt: skip
