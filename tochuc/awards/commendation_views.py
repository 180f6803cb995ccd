"""Pages of an organization's commendations: the list (period, form, recipient kind; XLSX),
the form recording one, the candidates drawn from the ratings, "Sửa / Hủy" with a reason
(the row version the page showed), and the proposal and decision as DOCX."""

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import organization_view
from tochuc.accounts.permissions import CHANGE_MEMBERS, EXPORT, VIEW
from tochuc.core.corrections import CorrectionForm, correction_page
from tochuc.core.pages import (
    DATE,
    INT,
    TEXT,
    Col,
    Sheet,
    dated_filename,
    export_response,
    procedure_page,
)
from tochuc.core.pages import place as _place
from tochuc.lib.dates import parse_query_year
from tochuc.reports import periods

from . import corrections, forms, selectors, services
from .models import CommendationForm, RecipientKind

ANY = [("", gettext_lazy("Tất cả"))]
PAGE_SIZE = 200


def _link(organization):
    return (_("Khen thưởng"), reverse("awards:commendations", args=[organization.code]))


def _period(request):
    get = request.GET
    this_year = periods.year(timezone.localdate().year)
    try:
        period = periods.parse(
            year_text=get.get("nam", "").strip() or None,
            quarter_text=get.get("quy", "").strip() or None,
            start=get.get("tu", "").strip() or None,
            end=get.get("den", "").strip() or None,
        )
    except ValidationError as error:
        return this_year, " ".join(getattr(error, "messages", [str(error)]))
    return period or this_year, ""


def _filters(request):
    period, error = _period(request)
    form = request.GET.get("hinh_thuc", "")
    kind = request.GET.get("doi_tuong", "")
    form = form if form in CommendationForm.values else ""
    kind = kind if kind in RecipientKind.values else ""
    filters = selectors.CommendationFilters(period.start, period.end, form, kind)
    chosen = {"hinh_thuc": form, "doi_tuong": kind}
    return period, error, chosen, filters


@organization_view(VIEW)
def commendation_list(request, organization):
    period, error, chosen, filters = _filters(request)
    qs = selectors.commendation_list(
        scope=request.scope, organization=organization, filters=filters
    )
    counts = selectors.commendation_counts(
        scope=request.scope, organization=organization, start=period.start, end=period.end
    )
    summary = [
        (form.label, [counts[(form.value, kind.value)] for kind in RecipientKind])
        for form in CommendationForm
        if any(counts[(form.value, kind.value)] for kind in RecipientKind)
    ]
    total = qs.count()
    query = urlencode({**period.as_query(), **{k: v for k, v in chosen.items() if v}})
    return render(
        request,
        "awards/commendations.html",
        {
            **_place(request, organization, [_link(organization)]),
            "rows": list(qs[:PAGE_SIZE]),
            "total": total,
            "more": total > PAGE_SIZE,
            "period": period,
            "error": error,
            "chosen": chosen,
            "query": query,
            "filters": [
                ("hinh_thuc", _("Hình thức"), [*ANY, *CommendationForm.choices]),
                ("doi_tuong", _("Đối tượng"), [*ANY, *RecipientKind.choices]),
            ],
            "summary": summary,
            "kinds": RecipientKind.choices,
            "can_add": CHANGE_MEMBERS in request.org_perms and organization.is_active,
            "can_export": EXPORT in request.org_perms,
        },
    )


COLUMNS = (
    Col(gettext_lazy("STT"), INT, 6),
    Col(gettext_lazy("Hình thức"), TEXT, 28),
    Col(gettext_lazy("Đối tượng"), TEXT, 14),
    Col(gettext_lazy("Tên"), TEXT, 30),
    Col(gettext_lazy("Chức vụ, đơn vị"), TEXT, 30),
    Col(gettext_lazy("Thành tích"), TEXT, 36),
    Col(gettext_lazy("Năm"), TEXT, 12),
    Col(gettext_lazy("Số quyết định"), TEXT, 16),
    Col(gettext_lazy("Ngày quyết định"), DATE, 14),
    Col(gettext_lazy("Cơ quan quyết định"), TEXT, 30),
)


def lines(rows):
    for number, c in enumerate(rows, start=1):
        yield [
            number,
            c.get_form_display(),
            c.get_recipient_kind_display(),
            c.recipient_name,
            c.recipient_detail,
            c.get_reason_kind_display(),
            c.years_label,
            c.decision_no,
            c.decided_on,
            c.issuer,
        ]


@organization_view(EXPORT)
def commendation_export(request, organization):
    period, _error, chosen, filters = _filters(request)
    qs = selectors.commendation_list(
        scope=request.scope, organization=organization, filters=filters
    )
    return export_response(
        request,
        sheets=[Sheet(_("Khen thưởng"), COLUMNS, lines(qs.iterator(chunk_size=500)))],
        filename=dated_filename(f"khen-thuong-{organization.code}"),
        action="tochuc.commendation.exported",
        obj=organization,
        counted=False,
        start=period.start,
        end=period.end,
        **{k: v for k, v in chosen.items() if v},
    )


@organization_view(CHANGE_MEMBERS)
def commendation_add(request, organization):
    initial = {"recipient_kind": RecipientKind.MEMBER, "year_from": timezone.localdate().year - 1}
    for param, field in (
        ("dang_vien", "member"),
        ("to_chuc", "recipient_code"),
        ("nam", "year_from"),
        ("den_nam", "year_to"),
    ):
        if request.GET.get(param):
            initial[field] = request.GET[param]
    if request.GET.get("to_chuc"):
        initial["recipient_kind"] = RecipientKind.ORGANIZATION
    form = forms.CommendationRecordForm(
        request.POST or None, initial=initial, organization=organization, scope=request.scope
    )
    return procedure_page(
        request,
        form=form,
        call=lambda form: services.commendation_record(by=request.user, **form.service_kwargs()),
        done=lambda record: _("Đã ghi: %(record)s.") % {"record": record},
        then=reverse("awards:commendations", args=[organization.code]),
        template="awards/form.html",
        context={
            **_place(request, organization, [_link(organization)]),
            "title": _("Ghi khen thưởng"),
            "cancel": reverse("awards:commendations", args=[organization.code]),
        },
    )


@organization_view(VIEW)
def candidates(request, organization):
    this_year = timezone.localdate().year
    try:
        year_to = parse_query_year(request.GET.get("den_nam")) or this_year - 1
        year_from = parse_query_year(request.GET.get("tu_nam")) or year_to
        error = ""
    except ValidationError as problem:
        year_from = year_to = this_year - 1
        error = " ".join(getattr(problem, "messages", [str(problem)]))
    if year_from > year_to:
        year_from, year_to = year_to, year_from
    rows = selectors.candidates(
        scope=request.scope, organization=organization, year_from=year_from, year_to=year_to
    )
    return render(
        request,
        "awards/candidates.html",
        {
            **_place(request, organization, [_link(organization)]),
            "rows": rows,
            "year_from": year_from,
            "year_to": year_to,
            "error": error,
            "can_add": CHANGE_MEMBERS in request.org_perms and organization.is_active,
        },
    )


class CancelForm(CorrectionForm):
    pass


def _record_param(request, organization):
    """The commendation named by `?ban_ghi=`, through the caller's scope (404 otherwise)."""
    raw = request.GET.get("ban_ghi", "")
    qs = selectors.commendation_list(
        scope=request.scope, organization=organization, filters=selectors.CommendationFilters()
    )
    record = qs.filter(pk=int(raw)).first() if raw.isdigit() else None
    if record is None:
        raise Http404
    return record


@organization_view(CHANGE_MEMBERS)
def commendation_cancel(request, organization):
    record = _record_param(request, organization)
    back = reverse("awards:commendations", args=[organization.code])
    return correction_page(
        request,
        obj=record,
        form_class=CancelForm,
        title=_("Hủy: %(record)s") % {"record": record},
        back_url=back,
        cancel=lambda form: (services.commendation_cancel, {"commendation": record}),
        context=_place(request, organization, [_link(organization)]),
    )


@organization_view(CHANGE_MEMBERS)
def commendation_correct(request, organization):
    """Sửa or Hủy a commendation, with the reason; refused (nothing written) when someone
    changed it since the page was opened."""
    record = _record_param(request, organization)
    back = reverse("awards:commendations", args=[organization.code])
    initial = {name: getattr(record, name) for name in forms.CommendationCorrectionForm.FIELDS}
    initial["row_version"] = record.row_version

    def version(form):
        return form.cleaned_data.get("row_version")

    return correction_page(
        request,
        obj=record,
        form_class=forms.CommendationCorrectionForm,
        title=_("Sửa / Hủy: %(record)s") % {"record": record},
        back_url=back,
        initial=initial,
        correct=lambda form: (
            corrections.commendation_correct,
            {"commendation": record, "expected_version": version(form), **form.changes()},
        ),
        cancel=lambda form: (
            services.commendation_cancel,
            {"commendation": record, "expected_version": version(form)},
        ),
        context=_place(request, organization, [_link(organization)]),
    )
