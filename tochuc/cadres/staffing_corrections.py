"""Sửa / Hủy of what a person can record wrongly in staffing (biên chế), with the reason and
the correcting decision (core/corrections.py keeps both versions and audits
`tochuc.<entity>.corrected|cancelled`):

- an agency (cơ quan, đơn vị): its name; cancelled only while nothing is recorded on it;
- a year's quota: the figures assigned, actual, planned reduction and the decision; cancelled;
- a reduction (tinh giản): its date, number of people, reason and decision; cancelled.

Every write locks the agency under its row_version: a form read before another user's
change is refused (the same rule as services.cadre_lock on a cadre record).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.core import corrections
from tochuc.core.corrections import CANCELLED, CORRECTED, Grounds
from tochuc.core.errors import ProcedureError
from tochuc.lib import vntext
from tochuc.policy.acts import check_act_date, check_act_year

from .models import Agency, Reduction, StaffingQuota

AGENCY_FIELDS = ["name"]
QUOTA_FIELDS = ["assigned", "actual", "planned_reduction", "decision_no"]
REDUCTION_FIELDS = ["on", "count", "reason", "decision_no"]


AGENCY_STALE = gettext_lazy(
    "Cơ quan, đơn vị vừa được người khác thay đổi; hãy tải lại trang rồi ghi lại."
)


def agency_lock(agency: Agency, row_version: int | None) -> Agency:
    """The agency locked for a write; refused when another user changed it since
    `row_version` was read."""
    return corrections.lock(agency, row_version, stale=AGENCY_STALE)


@transaction.atomic
def agency_correct(
    *, agency: Agency, grounds: Grounds, name: str, row_version=None, by=None
) -> Agency:
    grounds.check()
    agency = agency_lock(agency, row_version)
    before = corrections.snapshot(agency, AGENCY_FIELDS)
    agency.name = " ".join((name or "").split())
    if not agency.name:
        raise ValidationError({"name": _("Trường này không được để trống.")})
    taken = Agency.objects.filter(organization=agency.organization_id, name=agency.name)
    if taken.exclude(pk=agency.pk).exists():
        raise ValidationError(
            {"name": _("Tổ chức này đã có cơ quan, đơn vị “%(name)s”.") % {"name": agency.name}}
        )
    agency.name_sort = vntext.sort_key(agency.name)
    agency.full_clean()
    agency.save(update_fields=["name", "name_sort"])
    corrections.touch(agency)
    corrections.record_act(
        agency, entity="agency", action=CORRECTED, grounds=grounds, before=before,
        fields=AGENCY_FIELDS, audit_on=[agency.organization], by=by,
    )  # fmt: skip
    return agency


@transaction.atomic
def agency_cancel(*, agency: Agency, grounds: Grounds, row_version=None, by=None) -> None:
    """An agency created by mistake: only while nothing is recorded on it."""
    grounds.check()
    agency = agency_lock(agency, row_version)
    held = [
        label for label, qs in (
            (_("biên chế"), agency.quotas), (_("tinh giản"), agency.reductions),
            (_("chức vụ của cán bộ"), agency.positions),
        ) if qs.exists()
    ]  # fmt: skip
    if held:
        raise ProcedureError(_(
            "Cơ quan, đơn vị đã có %(what)s: hãy hủy các mục đó trước, hoặc chỉ sửa tên."
        ) % {"what": ", ".join(held)})  # fmt: skip
    before = {"code": agency.code, **corrections.snapshot(agency, AGENCY_FIELDS)}
    corrections.record_act(
        agency, entity="agency", action=CANCELLED, grounds=grounds, before=before,
        fields=AGENCY_FIELDS, audit_on=[agency.organization], by=by,
    )  # fmt: skip
    agency.delete()


def _check_quota(quota: StaffingQuota) -> None:
    errors = {
        name: _("Hãy nhập một số không âm.")
        for name in ("assigned", "actual", "planned_reduction")
        if getattr(quota, name) is None or getattr(quota, name) < 0
    }
    if errors:
        raise ValidationError(errors)
    if quota.planned_reduction > quota.assigned:
        raise ValidationError(
            {"planned_reduction": _("Kế hoạch tinh giản lớn hơn biên chế được giao.")}
        )


@transaction.atomic
def quota_correct(
    *, quota: StaffingQuota, grounds: Grounds, row_version=None, by=None, **changes
) -> StaffingQuota:
    grounds.check()
    agency = agency_lock(quota.agency, row_version)
    quota = StaffingQuota.objects.select_for_update().get(pk=quota.pk)
    before = corrections.snapshot(quota, QUOTA_FIELDS)
    if "decision_no" in changes:
        quota.decision_no = (changes.pop("decision_no") or "").strip()
    corrections.apply(quota, changes, QUOTA_FIELDS)
    _check_quota(quota)
    check_act_year(quota.year, ahead=1)
    quota.full_clean()
    quota.save()
    corrections.touch(agency)
    corrections.record_act(
        quota, entity="staffing_quota", action=CORRECTED, grounds=grounds, before=before,
        fields=QUOTA_FIELDS, audit_on=[agency.organization], by=by,
    )  # fmt: skip
    return quota


@transaction.atomic
def quota_cancel(*, quota: StaffingQuota, grounds: Grounds, row_version=None, by=None) -> None:
    grounds.check()
    agency = agency_lock(quota.agency, row_version)
    quota = StaffingQuota.objects.select_for_update().get(pk=quota.pk)
    before = {"year": quota.year, **corrections.snapshot(quota, QUOTA_FIELDS)}
    corrections.record_act(
        quota, entity="staffing_quota", action=CANCELLED, grounds=grounds, before=before,
        fields=QUOTA_FIELDS, audit_on=[agency.organization], by=by,
    )  # fmt: skip
    quota.delete()
    corrections.touch(agency)


@transaction.atomic
def reduction_correct(
    *, reduction: Reduction, grounds: Grounds, row_version=None, by=None, **changes
) -> Reduction:
    grounds.check()
    agency = agency_lock(reduction.agency, row_version)
    reduction = Reduction.objects.select_for_update().get(pk=reduction.pk)
    before = corrections.snapshot(reduction, REDUCTION_FIELDS)
    if "decision_no" in changes:
        reduction.decision_no = (changes.pop("decision_no") or "").strip()
    corrections.apply(reduction, changes, REDUCTION_FIELDS)
    errors = {}
    if not reduction.decision_no:
        errors["decision_no"] = _("Trường này không được để trống.")
    if not reduction.count or reduction.count < 1:
        errors["count"] = _("Số người phải từ 1 trở lên.")
    if reduction.reason not in Reduction.Reason.values:
        errors["reason"] = _("Hãy chọn lý do tinh giản.")
    if errors:
        raise ValidationError(errors)
    check_act_date(reduction.on, field="on")
    same = Reduction.objects.filter(agency=agency, decision_no=reduction.decision_no)
    if same.exclude(pk=reduction.pk).exists():
        raise ValidationError({"decision_no": _("Quyết định %(no)s đã được ghi.")
                               % {"no": reduction.decision_no}})  # fmt: skip
    reduction.full_clean()
    reduction.save()
    corrections.touch(agency)
    corrections.record_act(
        reduction, entity="reduction", action=CORRECTED, grounds=grounds, before=before,
        fields=REDUCTION_FIELDS, audit_on=[agency.organization], by=by,
    )  # fmt: skip
    return reduction


@transaction.atomic
def reduction_cancel(*, reduction: Reduction, grounds: Grounds, row_version=None, by=None) -> None:
    grounds.check()
    agency = agency_lock(reduction.agency, row_version)
    reduction = Reduction.objects.select_for_update().get(pk=reduction.pk)
    before = corrections.snapshot(reduction, REDUCTION_FIELDS)
    corrections.record_act(
        reduction, entity="reduction", action=CANCELLED, grounds=grounds, before=before,
        fields=REDUCTION_FIELDS, audit_on=[agency.organization], by=by,
    )  # fmt: skip
    reduction.delete()
    corrections.touch(agency)
