"""Pages of cadre work: the cadres a committee manages (list, record, export), appointments,
what is due (re-appointments, retirements), planning lists, staffing.

Every page needs VIEW_CADRES (reading) or MANAGE_CADRES (writing) where it stands; without
it the gate answers 404 as if nothing were there (accounts.permissions.CONCEALED). Every
read of a list or a record and every export is audited (`tochuc.cadre.*viewed`,
`*exported`).
"""

from datetime import date, timedelta

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import object_view, organization_view, scoped_view
from tochuc.accounts.permissions import MANAGE_CADRES, VIEW_CADRES
from tochuc.core import audit
from tochuc.core.pages import (
    DATE,
    INT,
    TEXT,
    Col,
    Sheet,
    dated_filename,
    export_response,
    place,
    procedure_page,
)
from tochuc.lib.dates import vn_date, year_in_query
from tochuc.policy.rules import policy_for

from . import forms, selectors, services
from .criteria import retirement_of

PAGE_SIZE = 200


def _read(request, action: str, obj, **data) -> None:
    """Every read of cadre data is in the audit log (a bulk read of sensitive data)."""
    audit.record(action, by=request.user, obj=obj, **data)


def _cadres_link(organization):
    return (_("Cán bộ"), reverse("cadres:list", args=[organization.code]))


def _year(request) -> tuple[int, str]:
    return year_in_query(request.GET, "nam", default=timezone.localdate().year)


@scoped_view(VIEW_CADRES)
def index(request):
    """The navigation's entry: the cadres of the user's (first) organization."""
    homes = request.scope.home_organizations()
    if not homes:
        raise Http404
    return redirect("cadres:list", code=homes[0].code)


# ---------------------------------------------------------------- cadres


@organization_view(VIEW_CADRES)
def cadre_list(request, organization):
    text = request.GET.get("q", "").strip()[:120]
    qs = selectors.cadre_list(scope=request.scope, organization=organization, text=text)
    rows = list(qs.prefetch_related("positions__agency")[:PAGE_SIZE])
    total = qs.count()
    policy = policy_for(timezone.localdate())
    _read(request, "tochuc.cadre.list_viewed", organization, q=text, count=len(rows))
    return render(request, "cadres/list.html", {
        **place(request, organization), "rows": [
            (c, [p for p in c.positions.all() if p.ends_on is None], retirement_of(c, policy))
            for c in rows
        ],
        "total": total, "more": total > PAGE_SIZE, "q": text,
        "can_manage": MANAGE_CADRES in request.org_perms,
    })  # fmt: skip


CADRE_COLUMNS = (
    Col(gettext_lazy("STT"), INT, 6), Col(gettext_lazy("Họ và tên"), TEXT, 26),
    Col(gettext_lazy("Giới tính"), TEXT, 9), Col(gettext_lazy("Ngày sinh"), DATE, 12),
    Col(gettext_lazy("Dân tộc"), TEXT, 10), Col(gettext_lazy("Lý luận chính trị"), TEXT, 14),
    Col(gettext_lazy("Chức vụ hiện nay"), TEXT, 40),
    Col(gettext_lazy("Diện quản lý của"), TEXT, 30),
    Col(gettext_lazy("Nghỉ hưu từ"), DATE, 12),
)  # fmt: skip


@organization_view(VIEW_CADRES)
def cadre_export(request, organization):
    qs = selectors.cadre_list(scope=request.scope, organization=organization,
                              text=request.GET.get("q", "").strip()[:120])  # fmt: skip
    policy = policy_for(timezone.localdate())
    rows = (
        [n, c.full_name, c.get_gender_display(), c.birth_date, c.get_ethnicity_display(),
         c.get_political_theory_display() if c.political_theory else "",
         "; ".join(str(p) for p in c.positions.all() if p.ends_on is None),
         c.committee.name, retirement_of(c, policy)]
        for n, c in enumerate(qs.prefetch_related("positions__agency"), start=1)
    )  # fmt: skip
    return export_response(
        request, sheets=[Sheet(_("Cán bộ"), CADRE_COLUMNS, rows)],
        filename=dated_filename(f"can-bo-{organization.code}"),
        action="tochuc.cadre.exported", obj=organization,
    )  # fmt: skip


@organization_view(MANAGE_CADRES)
def cadre_add(request, organization):
    form = forms.CadreForm(request.POST if request.method == "POST" else None,
                           organization=organization, scope=request.scope)  # fmt: skip
    return procedure_page(
        request, form=form,
        call=lambda form: services.cadre_create(by=request.user, **form.service_kwargs()),
        done=lambda cadre: _("Đã lập hồ sơ cán bộ %(name)s.") % {"name": cadre.full_name},
        then=lambda cadre: reverse("cadres:detail", args=[cadre.pk]),
        template="cadres/form.html",
        context={**place(request, organization, [_cadres_link(organization)]),
                 "title": _("Lập hồ sơ cán bộ"),
                 "cancel": reverse("cadres:list", args=[organization.code])},
    )  # fmt: skip


def _organization_of(obj):
    return obj.committee


@object_view(VIEW_CADRES, selectors.cadre_get, _organization_of)
def cadre_detail(request, cadre):
    _read(request, "tochuc.cadre.viewed", cadre)
    planning = cadre.planning.select_related("position").order_by("term_start", "position__order")
    return render(request, "cadres/detail.html", {
        **place(request, cadre.committee, [_cadres_link(cadre.committee)]),
        "cadre": cadre, "retires_on": retirement_of(cadre),
        "positions": cadre.positions.select_related("agency"),
        "appointments": cadre.appointments.select_related("position"),
        "planning": planning,
        "rotations": cadre.rotations.all(), "trainings": cadre.trainings.all(),
        "votes": selectors.confidence_votes_of(cadre),
        "committee_posts": selectors.committee_posts_of(cadre),
        "can_manage": MANAGE_CADRES in request.org_perms,
    })  # fmt: skip


@object_view(MANAGE_CADRES, selectors.cadre_get, _organization_of)
def appointment_add(request, cadre):
    form = forms.AppointmentForm(request.POST if request.method == "POST" else None,
                                 cadre=cadre, scope=request.scope)  # fmt: skip
    back = reverse("cadres:detail", args=[cadre.pk])
    return procedure_page(
        request, form=form,
        call=lambda form: services.appointment_record(
            by=request.user, row_version=cadre.row_version, **form.service_kwargs()),
        done=lambda a: _("Đã ghi %(what)s, thời hạn đến %(end)s.")
        % {"what": str(a), "end": vn_date(a.term_ends_on)},
        then=back, template="cadres/form.html",
        context={**place(request, cadre.committee, [_cadres_link(cadre.committee),
                                                    (cadre.full_name, back)]),
                 "title": _("Bổ nhiệm, bổ nhiệm lại: %(name)s") % {"name": cadre.full_name},
                 "cancel": back},
    )  # fmt: skip


@object_view(VIEW_CADRES, selectors.cadre_get, _organization_of)
def appointment_docx(request, cadre):
    """The decision of the cadre's appointment `?quyet_dinh=<id>` (the latest by default)."""
    from tochuc.core.pages import DOCX_TYPE, download

    from .documents import appointment_document

    raw = request.GET.get("quyet_dinh", "")
    appointments = cadre.appointments.select_related("position__agency", "cadre__committee")
    found = appointments.filter(pk=int(raw)).first() if raw.isdigit() else appointments.first()
    if found is None:
        raise Http404
    content = appointment_document(appointment=found, on=timezone.localdate())
    audit.record("tochuc.cadre.appointment_printed", by=request.user, obj=cadre,
                 reason=found.decision_no)  # fmt: skip
    return download(content, f"quyet-dinh-bo-nhiem-{cadre.pk}-{found.pk}.docx", DOCX_TYPE)


def _cadre_procedure(request, cadre, *, form, call, done, title):
    back = reverse("cadres:detail", args=[cadre.pk])
    return procedure_page(
        request, form=form, call=call, done=done, then=back, template="cadres/form.html",
        context={**place(request, cadre.committee, [_cadres_link(cadre.committee),
                                                    (cadre.full_name, back)]),
                 "title": f"{title}: {cadre.full_name}", "cancel": back},
    )  # fmt: skip


@object_view(MANAGE_CADRES, selectors.cadre_get, _organization_of)
def rotation_add(request, cadre):
    form = forms.RotationForm(request.POST if request.method == "POST" else None, cadre=cadre)
    return _cadre_procedure(
        request, cadre, form=form,
        call=lambda form: services.rotation_record(
            by=request.user, row_version=cadre.row_version, **form.service_kwargs()),
        done=lambda r: _("Đã ghi luân chuyển đến %(to)s, dự kiến trở về %(back)s.")
        % {"to": str(r), "back": vn_date(r.due_back_on)},
        title=_("Luân chuyển"),
    )  # fmt: skip


@object_view(MANAGE_CADRES, selectors.cadre_get, _organization_of)
def training_add(request, cadre):
    form = forms.TrainingForm(request.POST if request.method == "POST" else None, cadre=cadre)
    return _cadre_procedure(
        request, cadre, form=form,
        call=lambda form: services.training_record(
            by=request.user, row_version=cadre.row_version, **form.service_kwargs()),
        done=lambda t: _("Đã ghi đào tạo, bồi dưỡng: %(name)s.") % {"name": t.name},
        title=_("Đào tạo, bồi dưỡng"),
    )  # fmt: skip


# ---------------------------------------------------------------- due, retirements


def _due(request, organization, on):
    reappointments = list(
        selectors.reappointments_due(scope=request.scope, organization=organization, on=on)
    )
    retirements = selectors.retirements_between(
        scope=request.scope, organization=organization, start=date(on.year, 1, 1),
        end=date(on.year, 12, 31),
    )  # fmt: skip
    return reappointments, retirements


@organization_view(VIEW_CADRES)
def due(request, organization):
    on = timezone.localdate()
    reappointments, retirements = _due(request, organization, on)
    rotations = list(selectors.rotations_under(scope=request.scope, organization=organization))
    _read(request, "tochuc.cadre.due_viewed", organization, reappointments=len(reappointments),
          retirements=len(retirements), rotations=len(rotations))  # fmt: skip
    return render(request, "cadres/due.html", {
        **place(request, organization, [_cadres_link(organization)]),
        "reappointments": reappointments, "retirements": retirements, "today": on,
        "year": on.year, "rotations": rotations,
        "due_back_before": on + timedelta(days=policy_for(on).reappointment_notice_days),
    })  # fmt: skip


RETIREMENT_COLUMNS = (
    Col(gettext_lazy("STT"), INT, 6), Col(gettext_lazy("Họ và tên"), TEXT, 26),
    Col(gettext_lazy("Ngày sinh"), DATE, 12), Col(gettext_lazy("Giới tính"), TEXT, 9),
    Col(gettext_lazy("Nghỉ hưu từ"), DATE, 12), Col(gettext_lazy("Chức vụ hiện nay"), TEXT, 40),
    Col(gettext_lazy("Đang trong quy hoạch"), TEXT, 40),
)  # fmt: skip


@organization_view(VIEW_CADRES)
def retirements(request, organization):
    year, error = _year(request)
    found = selectors.retirements_between(
        scope=request.scope,
        organization=organization,
        start=date(year, 1, 1),
        end=date(year, 12, 31),
    )
    if request.GET.get("xuat") == "xlsx":
        rows = (
            [n, r.cadre.full_name, r.cadre.birth_date, r.cadre.get_gender_display(),
             r.retires_on, "; ".join(str(p) for p in r.positions),
             "; ".join(f"{e.position.title} ({e.term_label})" for e in r.planned)]
            for n, r in enumerate(found, start=1)
        )  # fmt: skip
        return export_response(
            request, sheets=[Sheet(_("Nghỉ hưu %(year)s") % {"year": year}, RETIREMENT_COLUMNS,
                                   rows)],
            filename=dated_filename(f"nghi-huu-{year}-{organization.code}"),
            action="tochuc.cadre.retirements_exported", obj=organization, year=year,
        )  # fmt: skip
    _read(request, "tochuc.cadre.retirements_viewed", organization, year=year, count=len(found))
    return render(request, "cadres/retirements.html", {
        **place(request, organization, [_cadres_link(organization)]),
        "rows": found, "year": year, "error": error,
    })  # fmt: skip


# ---------------------------------------------------------------- planning


def _term(request) -> int:
    choices = dict(forms.term_choices())
    raw = request.GET.get("nhiem_ky", "")
    return int(raw) if raw.isdigit() and int(raw) in choices else next(iter(choices))


@organization_view(VIEW_CADRES)
def planning(request, organization):
    term = _term(request)
    positions = selectors.planned_positions(scope=request.scope, organization=organization)
    coverage = selectors.planning_coverage(positions=positions, term_start=term,
                                           on=timezone.localdate())  # fmt: skip
    structure = selectors.planning_structure(positions=positions, term_start=term,
                                             on=timezone.localdate())  # fmt: skip
    _read(request, "tochuc.cadre.planning_viewed", organization, term=term)
    return render(request, "cadres/planning.html", {
        **place(request, organization, [_cadres_link(organization)]),
        "coverage": coverage, "term": term, "terms": forms.term_choices(),
        "structure": structure,
    })  # fmt: skip


def _position_context(request, position):
    return place(request, position.committee, [
        _cadres_link(position.committee),
        (_("Quy hoạch"), reverse("cadres:planning", args=[position.committee.code])),
    ])  # fmt: skip


PLANNING_COLUMNS = (
    Col(gettext_lazy("STT"), INT, 6), Col(gettext_lazy("Họ và tên"), TEXT, 26),
    Col(gettext_lazy("Ngày sinh"), DATE, 12), Col(gettext_lazy("Lý luận chính trị"), TEXT, 14),
    Col(gettext_lazy("Đưa vào quy hoạch"), DATE, 12), Col(gettext_lazy("Nghỉ hưu từ"), DATE, 12),
    Col(gettext_lazy("Tiêu chuẩn"), TEXT, 60),
)  # fmt: skip


def planning_rows(planned):
    for n, p in enumerate(planned, start=1):
        cadre = p.entry.cadre
        yield [n, cadre.full_name, cadre.birth_date,
               cadre.get_political_theory_display() if cadre.political_theory else "",
               p.entry.added_on, p.retires_on,
               " ".join(p.failures) if p.failures else _("Đạt")]  # fmt: skip


def _planning_of(request, position):
    term = _term(request)
    return term, selectors.planning_list(position=position, term_start=term,
                                         on=timezone.localdate())  # fmt: skip


def _rating_criterion(policy) -> dict:
    from tochuc.ratings.models import Level

    return {"years": policy.planning_rating_years, "source": policy.planning_rating_source,
            "level": Level(policy.planning_rating_min_level).label.lower()}  # fmt: skip


@object_view(VIEW_CADRES, selectors.planned_position_get, _organization_of)
def planning_list(request, position):
    term, planned = _planning_of(request, position)
    _read(request, "tochuc.cadre.planning_list_viewed", position, term=term, count=len(planned))
    return render(request, "cadres/planning_list.html", {
        **_position_context(request, position), "position": position, "planned": planned,
        "term": term, "terms": forms.term_choices(),
        "failing": sum(not p.meets for p in planned),
        "rating": _rating_criterion(policy_for(timezone.localdate())),
        "can_manage": MANAGE_CADRES in request.org_perms,
    })  # fmt: skip


@object_view(VIEW_CADRES, selectors.planned_position_get, _organization_of)
def planning_export(request, position):
    term, planned = _planning_of(request, position)
    return export_response(
        request, sheets=[Sheet(_("Quy hoạch %(term)s") % {"term": f"{term}-{term + 5}"},
                               PLANNING_COLUMNS, planning_rows(planned))],
        filename=dated_filename(f"quy-hoach-{term}-{position.pk}"),
        action="tochuc.cadre.planning_exported", obj=position, term=term,
    )  # fmt: skip


@object_view(VIEW_CADRES, selectors.planned_position_get, _organization_of)
def planning_docx(request, position):
    from tochuc.core.pages import DOCX_TYPE, download

    from .documents import planning_document

    term, planned = _planning_of(request, position)
    content = planning_document(position=position, term=term, planned=planned,
                                on=timezone.localdate())  # fmt: skip
    audit.record("tochuc.cadre.planning_printed", by=request.user, obj=position, term=term,
                 count=len(planned))  # fmt: skip
    return download(content, dated_filename(f"quy-hoach-{term}-{position.pk}", extension="docx"),
                    DOCX_TYPE)  # fmt: skip


@object_view(MANAGE_CADRES, selectors.planned_position_get, _organization_of)
def planning_add(request, position):
    form = forms.PlanningAddForm(request.POST if request.method == "POST" else None,
                                 position=position, scope=request.scope)  # fmt: skip
    back = reverse("cadres:planning_list", args=[position.pk])
    return procedure_page(
        request, form=form,
        call=lambda form: services.planning_add(by=request.user, **form.service_kwargs()),
        done=lambda e: _("Đã đưa %(name)s vào quy hoạch %(title)s, nhiệm kỳ %(term)s.")
        % {"name": e.cadre.full_name, "title": position.title, "term": e.term_label},
        then=lambda e: f"{back}?nhiem_ky={e.term_start}", template="cadres/form.html",
        context={**_position_context(request, position),
                 "title": _("Đưa vào quy hoạch: %(title)s") % {"title": position.title},
                 "cancel": back},
    )  # fmt: skip


# ---------------------------------------------------------------- staffing

STAFFING_COLUMNS = (
    Col(gettext_lazy("STT"), INT, 6), Col(gettext_lazy("Cơ quan, đơn vị"), TEXT, 40),
    Col(gettext_lazy("Biên chế được giao"), INT, 12), Col(gettext_lazy("Thực có"), INT, 10),
    Col(gettext_lazy("Chênh lệch"), INT, 10), Col(gettext_lazy("Kế hoạch tinh giản"), INT, 12),
    Col(gettext_lazy("Đã tinh giản"), INT, 12),
)  # fmt: skip
REDUCTION_COLUMNS = (
    Col(gettext_lazy("STT"), INT, 6), Col(gettext_lazy("Cơ quan, đơn vị"), TEXT, 40),
    Col(gettext_lazy("Ngày"), DATE, 12), Col(gettext_lazy("Số người"), INT, 10),
    Col(gettext_lazy("Lý do"), TEXT, 30), Col(gettext_lazy("Quyết định"), TEXT, 18),
)  # fmt: skip


@organization_view(VIEW_CADRES)
def staffing(request, organization):
    year, error = _year(request)
    rows = selectors.staffing(scope=request.scope, organization=organization, year=year)
    if request.GET.get("xuat") == "xlsx":
        lines = ([n, r.agency.name, r.assigned, r.actual, r.difference, r.planned_reduction,
                  r.reduced] for n, r in enumerate(rows, start=1))  # fmt: skip
        return export_response(
            request, sheets=[Sheet(_("Biên chế %(year)s") % {"year": year}, STAFFING_COLUMNS,
                                   lines)],
            filename=dated_filename(f"bien-che-{year}-{organization.code}"),
            action="tochuc.staffing.exported", obj=organization, year=year,
        )  # fmt: skip
    reductions = selectors.reductions(scope=request.scope, organization=organization, year=year)
    if request.GET.get("xuat") == "tinh-gian":
        lines = ([n, d.agency.name, d.on, d.count, d.get_reason_display(), d.decision_no]
                 for n, d in enumerate(reductions, start=1))  # fmt: skip
        return export_response(
            request, sheets=[Sheet(_("Tinh giản %(year)s") % {"year": year}, REDUCTION_COLUMNS,
                                   lines)],
            filename=dated_filename(f"tinh-gian-{year}-{organization.code}"),
            action="tochuc.staffing.reductions_exported", obj=organization, year=year,
        )  # fmt: skip
    _read(request, "tochuc.staffing.viewed", organization, year=year)
    totals = {
        k: sum(getattr(r, k) for r in rows)
        for k in ("assigned", "actual", "difference", "planned_reduction", "reduced")
    }
    return render(request, "cadres/staffing.html", {
        **place(request, organization, [_cadres_link(organization)]),
        "rows": rows, "totals": totals, "year": year, "error": error,
        "can_manage": MANAGE_CADRES in request.org_perms,
        "agencies": selectors.agencies_under(scope=request.scope, organization=organization)
        .select_related("organization"),
        "reductions": reductions,
    })  # fmt: skip
