"""Writes for admission targets (chỉ tiêu kết nạp): given by the level above, per year."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tochuc.core import audit
from tochuc.organizations.models import Organization
from tochuc.policy.acts import check_act_year

from .models import AdmissionTarget

TARGET_YEARS_AHEAD = 1  # a year's admission target is given during the year before


@transaction.atomic
def target_set(*, organization: Organization, year: int, target: int | None, by=None) -> None:
    """Set (or clear, with None) an organization's admission target for a year (up to the
    next one: targets are given ahead)."""
    check_act_year(year, ahead=TARGET_YEARS_AHEAD)
    if target is not None and target < 0:
        raise ValidationError({"target": _("Chỉ tiêu không được âm.")})
    current = (
        AdmissionTarget.objects.select_for_update()
        .filter(organization=organization, year=year)
        .first()
    )
    before = current.target if current else None
    if before == target:
        return
    if target is None:
        current.delete()
    elif current is None:
        AdmissionTarget.objects.create(
            organization=organization,
            year=year,
            target=target,
            set_by=by if getattr(by, "is_authenticated", False) else None,
        )
    else:
        current.target = target
        current.set_by = by if getattr(by, "is_authenticated", False) else None
        current.save(update_fields=["target", "set_by", "set_at"])
    audit.record(
        "tochuc.admission.target_set",
        by=by,
        obj=organization,
        year=year,
        before=before,
        after=target,
    )
