"""Pages of an organization in scope: its supervision/inspection records and its discipline
decisions (lists with filters and XLSX), the forms recording them, and a member picker.

Out of scope → 404, in scope without the permission → 403 (the gate's decorators). Records
of members and organizations need CHANGE_MEMBERS; a discipline of an organization needs
CHANGE_ORGANIZATIONS.
"""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import organization_view, scoped_view
from tochuc.accounts.permissions import CHANGE_MEMBERS, CHANGE_ORGANIZATIONS, EXPORT, VIEW
from tochuc.core.corrections import correction_page
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
from tochuc.lib import search
from tochuc.lib.dates import vn_date
from tochuc.members.selectors import MemberFilters, member_list

from . import corrections, forms, selectors, services
from .models import Activity, Body, Conclusion, DisciplineForm, InspectionKind
from .reports import period_from

PAGE_SIZE = 200
ANY = [("", gettext_lazy("Tất cả"))]
SUBJECT_FILTERS = [*ANY, *forms.SUBJECT_TYPES]


def _inspections_link(organization):
    return (_("Kiểm tra, giám sát"), reverse("inspections:list", args=[organization.code]))


def _disciplines_link(organization):
    return (_("Kỷ luật"), reverse("inspections:disciplines", args=[organization.code]))


def _choice(request, name: str, choices) -> str:
    value = request.GET.get(name, "")
    return value if value in dict(choices) else ""


@scoped_view(VIEW)
def index(request):
    """The navigation's entry: the records of the user's (first) organization."""
    homes = request.scope.home_organizations()
    if not homes:
        raise Http404
    return redirect("inspections:list", code=homes[0].code)


# ---------------------------------------------------------------- supervision, inspection

INSPECTION_FILTERS = {
    "hoat_dong": ("activity", [*ANY, *Activity.choices]),
    "chu_the": ("body", [*ANY, *Body.choices]),
    "loai": ("kind", [*ANY, *InspectionKind.choices]),
    "doi_tuong": ("subject_type", SUBJECT_FILTERS),
}


def _filters(request, spec, filters_class):
    """The period and the filters a list page was asked for (`spec`: query parameter →
    (the selector's field, choices)), and the selector's filters made of them."""
    period, error = period_from(request)
    chosen = {param: _choice(request, param, choices) for param, (_n, choices) in spec.items()}
    filters = filters_class(
        start=period.start,
        end=period.end,
        **{spec[param][0]: value for param, value in chosen.items()},
    )
    return period, error, chosen, filters


def _inspection_filters(request):
    return _filters(request, INSPECTION_FILTERS, selectors.InspectionFilters)


def _query(period, chosen) -> str:
    from urllib.parse import urlencode

    return urlencode({**period.as_query(), **{k: v for k, v in chosen.items() if v}})


def _list_context(qs, period, error, chosen, spec, labels) -> dict:
    """What the two list pages show alike: a page of rows, the period, the filters."""
    total = qs.count()
    return {
        "rows": list(qs[:PAGE_SIZE]),
        "total": total,
        "more": total > PAGE_SIZE,
        "period": period,
        "error": error,
        "chosen": chosen,
        "filters": [
            (param, label, choices)
            for (param, (_n, choices)), label in zip(spec.items(), labels, strict=True)
        ],
        "query": _query(period, chosen),
        "period_query": _query(period, {}),
    }


@organization_view(VIEW)
def inspection_list(request, organization):
    period, error, chosen, filters = _inspection_filters(request)
    qs = selectors.inspection_list(scope=request.scope, organization=organization, filters=filters)
    perms = request.org_perms
    labels = (_("Hoạt động"), _("Chủ thể"), _("Loại"), _("Đối tượng"))
    return render(
        request,
        "inspections/list.html",
        {
            **_place(request, organization),
            **_list_context(qs, period, error, chosen, INSPECTION_FILTERS, labels),
            "can_add": CHANGE_MEMBERS in perms and organization.is_active,
            "can_correct": CHANGE_MEMBERS in perms,
            "can_export": EXPORT in perms,
        },
    )


def inspection_rows(rows):
    for number, r in enumerate(rows, start=1):
        yield [
            number,
            r.conductor.name,
            r.get_body_display(),
            r.get_activity_display(),
            r.get_kind_display(),
            _("Đảng viên") if r.subject_is_member else _("Tổ chức đảng"),
            r.subject_name,
            r.subject_member.organization.name if r.subject_is_member else r.subject.code,
            r.decision_no,
            r.starts_on,
            r.ends_on,
            r.content,
            r.findings,
            r.get_conclusion_display(),
            r.conclusion_text,
        ]


INSPECTION_COLUMNS = (
    Col(gettext_lazy("STT"), INT, 6), Col(gettext_lazy("Tổ chức tiến hành"), TEXT, 36),
    Col(gettext_lazy("Chủ thể"), TEXT, 16), Col(gettext_lazy("Hoạt động"), TEXT, 12),
    Col(gettext_lazy("Loại"), TEXT, 20), Col(gettext_lazy("Đối tượng"), TEXT, 14),
    Col(gettext_lazy("Tên đối tượng"), TEXT, 30),
    Col(gettext_lazy("Nơi sinh hoạt / mã tổ chức"), TEXT, 30),
    Col(gettext_lazy("Số quyết định, kế hoạch"), TEXT, 20),
    Col(gettext_lazy("Từ ngày"), DATE, 12), Col(gettext_lazy("Đến ngày"), DATE, 12),
    Col(gettext_lazy("Nội dung"), TEXT, 40), Col(gettext_lazy("Kết quả, nhận xét"), TEXT, 40),
    Col(gettext_lazy("Kết luận"), TEXT, 30), Col(gettext_lazy("Nội dung kết luận"), TEXT, 40),
)  # fmt: skip


@organization_view(EXPORT)
def inspection_export(request, organization):
    period, _error, chosen, filters = _inspection_filters(request)
    qs = selectors.inspection_list(scope=request.scope, organization=organization, filters=filters)
    return export_response(
        request,
        sheets=[Sheet(_("Kiểm tra, giám sát"), INSPECTION_COLUMNS,
                      inspection_rows(qs.iterator(chunk_size=500)))],
        filename=dated_filename(f"kiem-tra-giam-sat-{organization.code}"),
        action="tochuc.inspection.exported", obj=organization, counted=False,
        start=period.start, end=period.end, **{k: v for k, v in chosen.items() if v},
    )  # fmt: skip


@organization_view(CHANGE_MEMBERS)
def inspection_add(request, organization):
    initial = {"body": Body.COMMITTEE, "activity": Activity.SUPERVISION,
               "conclusion": Conclusion.PENDING}  # fmt: skip
    if request.GET.get("dang_vien", "").isdigit():
        initial.update(subject_type="member", member=request.GET["dang_vien"])
    form = forms.InspectionForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        organization=organization,
        scope=request.scope,
    )
    return procedure_page(
        request,
        form=form,
        call=lambda form: services.inspection_record(by=request.user, **form.service_kwargs()),
        done=lambda record: _("Đã ghi: %(record)s.") % {"record": record},
        then=reverse("inspections:list", args=[organization.code]),
        template="inspections/form.html",
        context={
            **_place(request, organization, [_inspections_link(organization)]),
            "title": _("Ghi cuộc giám sát, kiểm tra"),
            "cancel": reverse("inspections:list", args=[organization.code]),
        },
    )


@organization_view(VIEW)
def member_picker(request, organization):
    """htmx: members of the organization's subtree matching ?q, as buttons that fill the
    input named by ?target (the organization picker's behaviour, tochuc/static)."""
    query = search.from_request(request)
    results = []
    if len(query.text) >= 2:
        results = member_list(
            scope=request.scope, filters=MemberFilters(text=query.text, organization=organization)
        )[:15]
    return render(
        request,
        "inspections/_member_picker.html",
        {"results": results, "target": request.GET.get("target", ""), "query_error": query.error},
    )


# ---------------------------------------------------------------- discipline

DISCIPLINE_FILTERS = {
    "hinh_thuc": ("form", [*ANY, *DisciplineForm.choices]),
    "chu_the": ("body", [*ANY, *Body.choices]),
    "doi_tuong": ("subject_type", SUBJECT_FILTERS),
}


def _discipline_filters(request):
    return _filters(request, DISCIPLINE_FILTERS, selectors.DisciplineFilters)


@organization_view(VIEW)
def discipline_list(request, organization):
    period, error, chosen, filters = _discipline_filters(request)
    qs = selectors.discipline_list(scope=request.scope, organization=organization, filters=filters)
    perms = request.org_perms
    labels = (_("Hình thức"), _("Cơ quan quyết định"), _("Đối tượng"))
    return render(
        request,
        "inspections/disciplines.html",
        {
            **_place(request, organization, [_inspections_link(organization)]),
            **_list_context(qs, period, error, chosen, DISCIPLINE_FILTERS, labels),
            "can_discipline_member": CHANGE_MEMBERS in perms and organization.is_active,
            "can_discipline_organization": CHANGE_ORGANIZATIONS in perms and organization.is_active,
            "can_correct": CHANGE_ORGANIZATIONS in perms,
            "can_correct_members": CHANGE_MEMBERS in perms,
            "can_export": EXPORT in perms,
        },
    )


DISCIPLINE_COLUMNS = (
    Col(gettext_lazy("STT"), INT, 6), Col(gettext_lazy("Đối tượng"), TEXT, 14),
    Col(gettext_lazy("Tên đối tượng"), TEXT, 30), Col(gettext_lazy("Diện"), TEXT, 20),
    Col(gettext_lazy("Hình thức"), TEXT, 14), Col(gettext_lazy("Số quyết định"), TEXT, 18),
    Col(gettext_lazy("Ngày quyết định"), DATE, 14),
    Col(gettext_lazy("Ngày có hiệu lực"), DATE, 14),
    Col(gettext_lazy("Tổ chức quyết định"), TEXT, 36),
    Col(gettext_lazy("Cơ quan quyết định"), TEXT, 16),
    Col(gettext_lazy("Cấp có thẩm quyền"), TEXT, 30),
    Col(gettext_lazy("Nội dung vi phạm"), TEXT, 50),
    Col(gettext_lazy("Theo cuộc kiểm tra, giám sát"), TEXT, 20),
)  # fmt: skip


def discipline_rows(rows):
    for number, r in enumerate(rows, start=1):
        yield [
            number,
            _("Đảng viên") if r.subject_is_member else _("Tổ chức đảng"),
            r.subject_name,
            services.SUBJECT_STATUS_LABELS.get(r.subject_status, ""),
            r.get_form_display(),
            r.decision_no,
            r.decided_on,
            r.effective_on,
            r.authority.name,
            r.get_body_display(),
            r.authority_level,
            r.reasons,
            r.inspection.decision_no if r.inspection_id else "",
        ]


@organization_view(EXPORT)
def discipline_export(request, organization):
    period, _error, chosen, filters = _discipline_filters(request)
    qs = selectors.discipline_list(scope=request.scope, organization=organization, filters=filters)
    return export_response(
        request,
        sheets=[Sheet(_("Kỷ luật"), DISCIPLINE_COLUMNS,
                      discipline_rows(qs.iterator(chunk_size=500)))],
        filename=dated_filename(f"ky-luat-{organization.code}"),
        action="tochuc.discipline.exported", obj=organization, counted=False,
        start=period.start, end=period.end, **{k: v for k, v in chosen.items() if v},
    )  # fmt: skip


def _discipline_done(record) -> str:
    return _("Đã ghi quyết định kỷ luật %(form)s %(subject)s (%(no)s, hiệu lực %(on)s).") % {
        "form": record.get_form_display().lower(),
        "subject": record.subject_name,
        "no": record.decision_no,
        "on": vn_date(record.effective_on),
    }


def _discipline_form(request, organization, subject: str):
    initial = {"body": Body.COMMISSION}
    if subject == "member" and request.GET.get("dang_vien", "").isdigit():
        initial["member"] = request.GET["dang_vien"]
    form = forms.DisciplineDecisionForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        organization=organization,
        scope=request.scope,
        subject=subject,
    )
    title = (
        _("Ghi quyết định kỷ luật đảng viên")
        if subject == "member"
        else _("Ghi quyết định kỷ luật tổ chức đảng")
    )
    return procedure_page(
        request,
        form=form,
        call=lambda form: services.discipline_decide(by=request.user, **form.service_kwargs()),
        done=_discipline_done,
        then=reverse("inspections:disciplines", args=[organization.code]),
        template="inspections/form.html",
        context={
            **_place(
                request,
                organization,
                [_inspections_link(organization), _disciplines_link(organization)],
            ),
            "title": title,
            "cancel": reverse("inspections:disciplines", args=[organization.code]),
        },
    )


@organization_view(CHANGE_MEMBERS)
def discipline_member(request, organization):
    return _discipline_form(request, organization, "member")


@organization_view(CHANGE_ORGANIZATIONS)
def discipline_organization(request, organization):
    return _discipline_form(request, organization, "organization")


# ---------------------------------------------------------------- Sửa / Hủy


def _record_param(request, qs):
    """The record named by ?ban_ghi=id in `qs` (the caller's subtree), else the latest."""
    raw = request.GET.get("ban_ghi", "")
    found = qs.filter(pk=int(raw)).first() if raw.isdigit() else qs.first()
    if found is None:
        raise Http404
    return found


@organization_view(CHANGE_MEMBERS)
def inspection_correct(request, organization):
    record = _record_param(request, selectors.inspection_list(
        scope=request.scope, organization=organization, filters=selectors.InspectionFilters(),
    ))  # fmt: skip
    return correction_page(
        request,
        obj=record,
        form_class=forms.InspectionCorrectionForm,
        title=_("Sửa / Hủy: %(record)s") % {"record": record},
        back_url=reverse("inspections:list", args=[organization.code]),
        initial={name: getattr(record, name) for name in ("starts_on", "ends_on", "decision_no")},
        correct=lambda form: (corrections.inspection_correct, {
            "inspection": record, "starts_on": form.cleaned_data["starts_on"],
            "ends_on": form.cleaned_data["ends_on"],
            "decision_no": form.cleaned_data["decision_no"],
        }),
        cancel=lambda form: (corrections.inspection_cancel, {"inspection": record}),
        context=_place(request, organization, [_inspections_link(organization)]),
    )  # fmt: skip


@organization_view(CHANGE_ORGANIZATIONS)
def discipline_correct(request, organization):
    """Sửa / Hủy an organization's discipline (a member's is on their timeline)."""
    record = _record_param(request, selectors.discipline_list(
        scope=request.scope, organization=organization, filters=selectors.DisciplineFilters(),
    ).filter(subject_member__isnull=True))  # fmt: skip
    return correction_page(
        request,
        obj=record,
        form_class=forms.DisciplineCorrectionForm,
        title=_("Sửa / Hủy: %(record)s") % {"record": record},
        back_url=reverse("inspections:disciplines", args=[organization.code]),
        initial={name: getattr(record, name)
                 for name in ("decision_no", "decided_on", "effective_on")},
        correct=lambda form: (corrections.discipline_correct, {
            "discipline": record, "decision_no": form.cleaned_data["decision_no"],
            "decided_on": form.cleaned_data["decided_on"],
            "effective_on": form.cleaned_data["effective_on"],
        }),
        cancel=lambda form: (corrections.discipline_cancel, {"discipline": record}),
        context=_place(request, organization, [_disciplines_link(organization)]),
    )  # fmt: skip


@organization_view(CHANGE_MEMBERS)
def member_discipline_correct(request, organization):
    """Sửa / Hủy a member's discipline: the record and its act on the member's timeline."""
    members = request.scope.holding(CHANGE_MEMBERS).members()
    record = _record_param(request, selectors.discipline_list(
        scope=request.scope, organization=organization, filters=selectors.DisciplineFilters(),
    ).filter(subject_member__in=members, member_event__isnull=False))  # fmt: skip
    return correction_page(
        request,
        obj=record,
        form_class=forms.MemberDisciplineCorrectionForm,
        title=_("Sửa / Hủy: %(record)s") % {"record": record},
        back_url=reverse("inspections:disciplines", args=[organization.code]),
        initial={name: getattr(record, name)
                 for name in ("form", "decision_no", "decided_on", "effective_on")},
        correct=lambda form: (corrections.member_discipline_correct, {
            "discipline": record, "form": form.cleaned_data["form"],
            "decision_no": form.cleaned_data["decision_no"],
            "decided_on": form.cleaned_data["decided_on"],
            "effective_on": form.cleaned_data["effective_on"],
        }),
        cancel=lambda form: (corrections.member_discipline_cancel, {"discipline": record}),
        error_fields={"on": "effective_on"},
        context=_place(request, organization, [_disciplines_link(organization)]),
    )  # fmt: skip
