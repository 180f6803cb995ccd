"""Staffing (biên chế) on the web: record a year's quota or a reduction for an agency, and
Sửa / Hủy of each; correct an agency's name.

The pages are on the agency's own organization (the gate needs MANAGE_CADRES there, 404
without it); the agency, the quota or the reduction is named in the query (?co_quan=,
?bien_che=, ?tinh_gian=) and read among that organization's own rows: another's is 404.
"""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from tochuc.accounts.access import organization_view
from tochuc.accounts.permissions import MANAGE_CADRES
from tochuc.core.corrections import correction_page
from tochuc.core.pages import place, procedure_page

from . import selectors, services
from . import staffing_corrections as corrections
from . import staffing_forms as forms
from .models import Agency, Reduction, StaffingQuota


def _pk(request, name: str) -> int:
    raw = request.GET.get(name, "")
    if not raw.isdigit():
        raise Http404
    return int(raw)


def _one(rows, request, name):
    found = rows.filter(pk=_pk(request, name)).select_related("organization").first()
    if found is None:
        raise Http404
    return found


def _agency(request, organization) -> Agency:
    return _one(selectors.agencies_of(organization), request, "co_quan")


def _context(request, organization):
    back = reverse("cadres:staffing", args=[organization.code])
    trail = [(_("Cán bộ"), reverse("cadres:list", args=[organization.code])),
             (_("Biên chế"), back)]  # fmt: skip
    return back, place(request, organization, trail)


def _record_page(request, organization, *, form_class, call, done, title):
    agency = _agency(request, organization)
    back, context = _context(request, organization)
    form = form_class(request.POST if request.method == "POST" else None)
    return procedure_page(
        request, form=form,
        call=lambda form: call(agency=agency, by=request.user, **form.cleaned_data),
        done=done, then=lambda r: f"{back}?nam={r.year if hasattr(r, 'year') else r.on.year}",
        template="cadres/form.html",
        context={**context, "title": f"{title}: {agency.name}", "cancel": back},
    )  # fmt: skip


@organization_view(MANAGE_CADRES)
def quota_add(request, organization):
    def call(*, planned_reduction, decision_no, **rest):
        return services.quota_set(planned_reduction=planned_reduction or 0,
                                  decision_no=decision_no or "", **rest)  # fmt: skip

    return _record_page(
        request, organization, form_class=forms.QuotaForm, call=call,
        done=lambda q: _("Đã ghi biên chế năm %(year)s của %(name)s.")
        % {"year": q.year, "name": q.agency.name},
        title=_("Giao biên chế"),
    )  # fmt: skip


@organization_view(MANAGE_CADRES)
def reduction_add(request, organization):
    return _record_page(
        request, organization, form_class=forms.ReductionForm, call=services.reduction_record,
        done=lambda r: _("Đã ghi tinh giản %(count)s người của %(name)s.")
        % {"count": r.count, "name": r.agency.name},
        title=_("Ghi tinh giản biên chế"),
    )  # fmt: skip


# A field of the record whose name the correction form gives to something else.
FORM_NAMES = {"reason": "cause"}


def _correction(request, organization, *, obj, agency, key, form_class, title, fields,
                correct, cancel):  # fmt: skip
    back, context = _context(request, organization)
    named = {n: FORM_NAMES.get(n, n) for n in fields}
    initial = {named[n]: getattr(obj, n) for n in fields}
    initial["row_version"] = agency.row_version
    return correction_page(
        request, obj=obj, form_class=form_class, title=f"{title}: {agency.name}",
        back_url=back, initial=initial, context=context, error_fields=named,
        correct=lambda form: (correct, {key: obj, **{
            n: form.cleaned_data[named.get(n, n)] for n in [*fields, "row_version"]}}),
        cancel=lambda form: (cancel, {key: obj,
                                      "row_version": form.cleaned_data.get("row_version")}),
    )  # fmt: skip


@organization_view(MANAGE_CADRES)
def agency_correct(request, organization):
    agency = _agency(request, organization)
    return _correction(
        request, organization, obj=agency, agency=agency, key="agency",
        form_class=forms.AgencyCorrectionForm, title=_("Sửa / Hủy cơ quan, đơn vị"),
        fields=corrections.AGENCY_FIELDS, correct=corrections.agency_correct,
        cancel=corrections.agency_cancel,
    )  # fmt: skip


@organization_view(MANAGE_CADRES)
def quota_correct(request, organization):
    quota = _one_of(StaffingQuota, request, organization, "bien_che")
    return _correction(
        request, organization, obj=quota, agency=quota.agency, key="quota",
        form_class=forms.QuotaCorrectionForm,
        title=_("Sửa / Hủy biên chế năm %(year)s") % {"year": quota.year},
        fields=corrections.QUOTA_FIELDS, correct=corrections.quota_correct,
        cancel=corrections.quota_cancel,
    )  # fmt: skip


@organization_view(MANAGE_CADRES)
def reduction_correct(request, organization):
    reduction = _one_of(Reduction, request, organization, "tinh_gian")
    return _correction(
        request, organization, obj=reduction, agency=reduction.agency, key="reduction",
        form_class=forms.ReductionCorrectionForm, title=_("Sửa / Hủy tinh giản biên chế"),
        fields=corrections.REDUCTION_FIELDS, correct=corrections.reduction_correct,
        cancel=corrections.reduction_cancel,
    )  # fmt: skip


def _one_of(model, request, organization, name):
    found = (
        model.objects.filter(agency__organization=organization, pk=_pk(request, name))
        .select_related("agency__organization")
        .first()
    )
    if found is None:
        raise Http404
    return found
