"""Pages of the badge cycle on an organization (the members due at an occasion, the
proposal, the decision, the ceremony, re-issue, return, withdrawal, XLSX and DOCX), the
early or posthumous proposal on a member, and the commendations of an organization.

Out of scope → 404, in scope without the permission → 403 (the gate's decorators). The
steps need CHANGE_MEMBERS; the lists VIEW; the files EXPORT.
"""

from datetime import date
from operator import attrgetter

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import object_view, organization_view, scoped_view
from tochuc.accounts.permissions import CHANGE_MEMBERS, EXPORT, VIEW
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
from tochuc.lib.dates import parse_date, vn_date
from tochuc.members.selectors import member_get

from . import corrections, forms, rules, selectors, services
from .models import Stage


def _badges_link(organization, occasion: date | None = None):
    url = reverse("awards:due", args=[organization.code])
    if occasion:
        url += f"?dot={occasion:%d/%m/%Y}"
    return (_("Huy hiệu Đảng"), url)


def _cases_url(organization, occasion: date) -> str:
    return reverse("awards:cases", args=[organization.code]) + f"?dot={occasion:%d/%m/%Y}"


def occasion_from(request) -> tuple[date, str]:
    """The occasion asked by ?dot=dd/mm/yyyy (the next one by default), and an error."""
    today = timezone.localdate()
    text = request.GET.get("dot", "").strip()
    if not text:
        return rules.next_occasion(today), ""
    try:
        day = parse_date(text)
    except ValueError as error:
        return rules.next_occasion(today), str(error)
    if day is None or not rules.is_occasion(day):
        return rules.next_occasion(today), _(
            "Ngày %(day)s không phải đợt trao Huy hiệu Đảng; đang hiện đợt tới."
        ) % {"day": text}
    return day, ""


def _occasions_around(occasion: date) -> list[date]:
    days = [rules.previous_occasion(rules.previous_occasion(occasion))]
    while len(days) < 6:
        days.append(rules.next_occasion(days[-1]))
    return days


@scoped_view(VIEW)
def index(request):
    homes = request.scope.home_organizations()
    if not homes:
        raise Http404
    return redirect("awards:due", code=homes[0].code)


# ---------------------------------------------------------------- due and proposal


@organization_view(VIEW)
def due(request, organization):
    occasion, error = occasion_from(request)
    rows = selectors.badge_due(scope=request.scope, organization=organization, occasion=occasion)
    can_propose = CHANGE_MEMBERS in request.org_perms and organization.is_active
    form = forms.ProposeForm(due_ids=[r.member.pk for r in rows])
    return render(
        request,
        "awards/due.html",
        {
            **_place(request, organization, [_badges_link(organization)]),
            "occasion": occasion,
            "occasions": _occasions_around(occasion),
            "error": error,
            "rows": rows,
            "form": form,
            "can_propose": can_propose,
            "can_export": EXPORT in request.org_perms,
            "proposed": selectors.badge_cases(
                scope=request.scope, organization=organization, occasion=occasion
            )
            .exclude(stage=Stage.WITHDRAWN)
            .count(),
        },
    )


@organization_view(CHANGE_MEMBERS)
def propose(request, organization):
    occasion, _error = occasion_from(request)
    rows = selectors.badge_due(scope=request.scope, organization=organization, occasion=occasion)
    by_pk = {r.member.pk: r.member for r in rows}
    form = forms.ProposeForm(request.POST or None, due_ids=list(by_pk))
    return procedure_page(
        request,
        form=form,
        call=lambda form: services.badge_propose(
            proposer=organization,
            occasion=occasion,
            members=[by_pk[pk] for pk in form.cleaned_data["members"]],
            proposal_no=form.cleaned_data["proposal_no"],
            proposed_on=form.cleaned_data["proposed_on"],
            by=request.user,
        ),
        done=lambda cases: (
            _("Đã đề nghị tặng Huy hiệu Đảng cho %(n)s đảng viên (đợt %(day)s).")
            % {"n": len(cases), "day": vn_date(occasion)}
        ),
        then=_cases_url(organization, occasion),
        template="awards/due.html",
        context={
            **_place(request, organization, [_badges_link(organization)]),
            "occasion": occasion,
            "occasions": _occasions_around(occasion),
            "rows": rows,
            "can_propose": organization.is_active,
            "can_export": EXPORT in request.org_perms,
        },
    )


DUE_COLUMNS = (
    Col(gettext_lazy("STT"), INT, 6),
    Col(gettext_lazy("Họ và tên"), TEXT, 28),
    Col(gettext_lazy("Ngày sinh"), DATE, 12),
    Col(gettext_lazy("Nơi sinh hoạt"), TEXT, 34),
    Col(gettext_lazy("Ngày vào Đảng"), DATE, 12),
    Col(gettext_lazy("Huy hiệu (năm tuổi Đảng)"), INT, 12),
    Col(gettext_lazy("Ngày đủ tuổi Đảng"), DATE, 14),
    Col(gettext_lazy("Ghi chú"), TEXT, 30),
)


def due_lines(rows):
    for number, r in enumerate(rows, start=1):
        note = []
        if r.overdue:
            note.append(_("đến hạn từ đợt trước"))
        if r.member.is_exempted:
            note.append(_("đang miễn sinh hoạt"))
        yield [
            number,
            r.member.full_name,
            r.member.birth_date,
            r.member.organization.name,
            r.member.admitted_on,
            r.milestone,
            r.reached_on,
            "; ".join(note),
        ]


@organization_view(EXPORT)
def due_export(request, organization):
    occasion, _error = occasion_from(request)
    rows = selectors.badge_due(scope=request.scope, organization=organization, occasion=occasion)
    return export_response(
        request,
        sheets=[Sheet(_("Đến hạn Huy hiệu Đảng"), DUE_COLUMNS, due_lines(rows))],
        filename=dated_filename(f"huy-hieu-den-han-{organization.code}", occasion),
        action="tochuc.badge.exported",
        obj=organization,
        occasion=occasion,
    )


# ---------------------------------------------------------------- cases and decision


@organization_view(VIEW)
def cases(request, organization):
    occasion, error = occasion_from(request)
    qs = selectors.badge_cases(scope=request.scope, organization=organization, occasion=occasion)
    rows = list(qs)
    waiting = [c for c in rows if c.stage == Stage.PROPOSED]
    can_change = CHANGE_MEMBERS in request.org_perms
    form = forms.DecideForm(case_ids=[c.pk for c in waiting])
    return render(
        request,
        "awards/cases.html",
        {
            **_place(request, organization, [_badges_link(organization, occasion)]),
            "occasion": occasion,
            "occasions": _occasions_around(occasion),
            "error": error,
            "rows": rows,
            "waiting": waiting,
            "form": form,
            "can_change": can_change,
            "can_export": EXPORT in request.org_perms,
            "total_gift": sum(c.gift_amount or 0 for c in rows if c.stage != Stage.WITHDRAWN),
        },
    )


@organization_view(CHANGE_MEMBERS)
def decide(request, organization):
    occasion, _error = occasion_from(request)
    qs = selectors.badge_cases(
        scope=request.scope, organization=organization, occasion=occasion, stage=Stage.PROPOSED
    )
    waiting = list(qs)
    by_pk = {c.pk: c for c in waiting}
    form = forms.DecideForm(request.POST or None, case_ids=list(by_pk))
    return procedure_page(
        request,
        form=form,
        call=lambda form: services.badge_decide(
            cases=[by_pk[pk] for pk in form.cleaned_data["cases"]],
            decision_no=form.cleaned_data["decision_no"],
            decided_on=form.cleaned_data["decided_on"],
            issuer=form.cleaned_data["issuer"],
            by=request.user,
        ),
        done=lambda done: (
            _("Đã ghi quyết định tặng Huy hiệu Đảng cho %(n)s đảng viên.") % {"n": len(done)}
        ),
        then=_cases_url(organization, occasion),
        template="awards/cases.html",
        context={
            **_place(request, organization, [_badges_link(organization, occasion)]),
            "occasion": occasion,
            "occasions": _occasions_around(occasion),
            "rows": list(
                selectors.badge_cases(
                    scope=request.scope, organization=organization, occasion=occasion
                )
            ),
            "waiting": waiting,
            "can_change": True,
        },
    )


CASE_COLUMNS = (
    Col(gettext_lazy("STT"), INT, 6),
    Col(gettext_lazy("Họ và tên"), TEXT, 28),
    Col(gettext_lazy("Nơi sinh hoạt"), TEXT, 34),
    Col(gettext_lazy("Huy hiệu (năm tuổi Đảng)"), INT, 12),
    Col(gettext_lazy("Diện"), TEXT, 20),
    Col(gettext_lazy("Bước"), TEXT, 18),
    Col(gettext_lazy("Số tờ trình"), TEXT, 16),
    Col(gettext_lazy("Số quyết định"), TEXT, 16),
    Col(gettext_lazy("Ngày quyết định"), DATE, 14),
    Col(gettext_lazy("Tiền thưởng (đồng)"), INT, 16),
    Col(gettext_lazy("Số huy hiệu"), TEXT, 14),
    Col(gettext_lazy("Ngày trao"), DATE, 12),
)


def case_lines(rows):
    for number, c in enumerate(rows, start=1):
        yield [
            number,
            c.member.full_name,
            c.member.organization.name,
            c.milestone,
            c.get_early_display(),
            c.get_stage_display(),
            c.proposal_no,
            c.decision_no,
            c.decided_on,
            c.gift_amount,
            c.badge_no,
            c.ceremony_on,
        ]


@organization_view(EXPORT)
def cases_export(request, organization):
    occasion, _error = occasion_from(request)
    qs = selectors.badge_cases(scope=request.scope, organization=organization, occasion=occasion)
    return export_response(
        request,
        sheets=[Sheet(_("Hồ sơ Huy hiệu Đảng"), CASE_COLUMNS, case_lines(qs))],
        filename=dated_filename(f"huy-hieu-{organization.code}", occasion),
        action="tochuc.badge.exported",
        obj=organization,
        occasion=occasion,
    )


# ---------------------------------------------------------------- one case


def _case_param(request, organization, stage=None):
    """The case named by ?ho_so=id in the caller's subtree (404 otherwise)."""
    raw = request.GET.get("ho_so", "")
    qs = selectors.badge_cases(scope=request.scope, organization=organization)
    if stage:
        qs = qs.filter(stage=stage)
    found = qs.filter(pk=int(raw)).first() if raw.isdigit() else None
    if found is None:
        raise Http404
    return found


def _case_page(request, organization, *, stage, form, call, done, title):
    case = _case_param(request, organization, stage)
    return procedure_page(
        request,
        form=form(case),
        call=lambda f: call(case, f.cleaned_data),
        done=done,
        then=_cases_url(organization, case.occasion),
        template="awards/form.html",
        context={
            **_place(request, organization, [_badges_link(organization, case.occasion)]),
            "title": title,
            "case": case,
            "cancel": _cases_url(organization, case.occasion),
        },
    )


@organization_view(CHANGE_MEMBERS)
def award(request, organization):
    def form(case):
        return forms.AwardForm(request.POST or None, initial={"row_version": case.row_version})

    return _case_page(
        request,
        organization,
        stage=Stage.DECIDED,
        form=form,
        call=lambda case, data: services.badge_award(
            case=case,
            badge_no=data["badge_no"],
            ceremony_on=data["ceremony_on"],
            row_version=data.get("row_version"),
            by=request.user,
        ),
        done=lambda case: _("Đã ghi trao %(case)s.") % {"case": case},
        title=_("Ghi trao Huy hiệu Đảng"),
    )


@organization_view(CHANGE_MEMBERS)
def reissue(request, organization):
    return _case_page(
        request,
        organization,
        stage=Stage.AWARDED,
        form=lambda case: forms.ReissueForm(request.POST or None),
        call=lambda case, data: services.badge_reissue(case=case, by=request.user, **data),
        done=_("Đã ghi cấp lại huy hiệu."),
        title=_("Cấp lại Huy hiệu Đảng"),
    )


@organization_view(CHANGE_MEMBERS)
def take_back(request, organization):
    return _case_page(
        request,
        organization,
        stage=Stage.AWARDED,
        form=lambda case: forms.ReturnForm(request.POST or None),
        call=lambda case, data: services.badge_return(case=case, by=request.user, **data),
        done=_("Đã ghi thu hồi huy hiệu."),
        title=_("Thu hồi Huy hiệu Đảng"),
    )


@organization_view(CHANGE_MEMBERS)
def withdraw(request, organization):
    return _case_page(
        request,
        organization,
        stage=None,
        form=lambda case: forms.WithdrawForm(request.POST or None),
        call=lambda case, data: services.badge_withdraw(case=case, by=request.user, **data),
        done=_("Đã rút đề nghị."),
        title=_("Rút đề nghị tặng Huy hiệu Đảng"),
    )


# ---------------------------------------------------------------- early, posthumous


def _any_member(*, scope, pk: int):
    """A member of the scope, whatever their status (a posthumous award is for the dead)."""
    return member_get(scope=scope, pk=pk)


@object_view(CHANGE_MEMBERS, _any_member, attrgetter("organization"))
def propose_early(request, member):
    form = forms.EarlyForm(request.POST or None, today=timezone.localdate())
    organization = member.organization
    return procedure_page(
        request,
        form=form,
        call=lambda form: services.badge_propose(
            proposer=organization, members=[member], by=request.user, **form.service_kwargs()
        ),
        done=lambda cases: _("Đã đề nghị: %(case)s.") % {"case": cases[0]},
        then=reverse("members:detail", args=[member.pk]),
        template="awards/form.html",
        context={
            **_place(
                request,
                organization,
                [(member.full_name, reverse("members:detail", args=[member.pk]))],
            ),
            "title": _("Đề nghị tặng sớm, truy tặng Huy hiệu Đảng"),
            "member": member,
            "cancel": reverse("members:detail", args=[member.pk]),
        },
    )


@organization_view(CHANGE_MEMBERS)
def correct(request, organization):
    """Sửa a badge case (numbers, dates), with the reason kept beside the versions."""
    case = _case_param(request, organization)
    back = _cases_url(organization, case.occasion)
    return correction_page(
        request,
        obj=case,
        form_class=forms.BadgeCorrectionForm,
        title=_("Sửa: %(case)s") % {"case": case},
        back_url=back,
        initial={
            name: getattr(case, name)
            for name in (
                "proposal_no",
                "proposed_on",
                "decision_no",
                "decided_on",
                "issuer",
                "badge_no",
                "ceremony_on",
            )
        },
        correct=lambda form: (corrections.badge_correct, {"case": case, **form.changes()}),
        context=_place(request, organization, [_badges_link(organization, case.occasion)]),
    )
