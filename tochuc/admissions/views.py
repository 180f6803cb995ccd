"""Admission pages: the candidates of an organization, a candidate's file with the step
forms, the probationary member's confirmation, the due list, and the targets.

Candidates and members are fetched through the caller's scope: out of scope reads exactly
as missing (404); in scope without the permission is 403. The cell's steps need
CHANGE_CANDIDATES (the cell secretary); the committees' need DECIDE_ADMISSIONS (officers).
"""

from dataclasses import dataclass
from operator import attrgetter
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import object_view, organization_view, scoped_view
from tochuc.accounts.permissions import CHANGE_CANDIDATES, DECIDE_ADMISSIONS, EXPORT, VIEW
from tochuc.core.corrections import correction_page
from tochuc.core.pages import place as _place
from tochuc.core.pages import procedure_page, recorded_by, show_refusal
from tochuc.lib import search
from tochuc.lib.dates import date_in_query, year_in_query
from tochuc.members.models import Status
from tochuc.members.views import member_view
from tochuc.organizations.selectors import children_on
from tochuc.policy.acts import PARTY_FOUNDED

from . import confirmations, corrections, forms, selectors, services
from .models import Stage
from .targets import target_set

PAGE_SIZE = 100


# ---------------------------------------------------------------- gates


def candidate_view(permission: str):
    """A view on one candidate (URL kwarg `pk`): out of scope → 404, no permission → 403."""
    return object_view(permission, selectors.candidate_get, attrgetter("cell"))


# A view on one member's confirmation, gated like the member pages.
probation_view = member_view


def _candidates_link(organization):
    return (_("Kết nạp đảng viên"), reverse("admissions:list", args=[organization.code]))


# ---------------------------------------------------------------- the list

STAGE_FILTERS = [
    ("dang_xem_xet", gettext_lazy("Đang xem xét")),
    ("", gettext_lazy("Tất cả")),
    *Stage.choices,
]


@organization_view(VIEW)
def candidate_list(request, organization):
    stage = request.GET.get("buoc", "dang_xem_xet")
    if stage not in dict(STAGE_FILTERS):
        stage = "dang_xem_xet"
    query = search.from_request(request)
    qs = selectors.candidate_list(
        scope=request.scope, organization=organization, stage=stage, text=query.text
    )
    if query.error:  # shown beside the box; nothing is listed
        qs = qs.none()
    total = qs.count()
    perms = request.org_perms
    return render(
        request,
        "admissions/list.html",
        {
            **_place(request, organization),
            "rows": list(qs[:PAGE_SIZE]),
            "total": total,
            "more": total > PAGE_SIZE,
            "stage": stage,
            "stage_filters": STAGE_FILTERS,
            "q": query.shown,
            "query_error": query.error,
            "can_add": CHANGE_CANDIDATES in perms and organization.is_active,
            "can_export": EXPORT in perms,
            "can_decide": DECIDE_ADMISSIONS in perms,
        },
    )


@organization_view(CHANGE_CANDIDATES)
def add(request, organization):
    form = forms.CandidateForm(
        request.POST if request.method == "POST" else None,
        organization=organization,
        scope=request.scope,
    )
    return procedure_page(
        request,
        form=form,
        call=lambda form: services.candidate_identify(by=request.user, **form.service_kwargs()),
        done=lambda candidate: _("Đã thêm quần chúng %(name)s.") % {"name": candidate},
        then=lambda candidate: reverse("admissions:detail", args=[candidate.pk]),
        template="admissions/form.html",
        context={
            **_place(request, organization, [_candidates_link(organization)]),
            "title": _("Thêm quần chúng ưu tú"),
            "wide": True,
            "cancel": reverse("admissions:list", args=[organization.code]),
        },
    )


# ---------------------------------------------------------------- the candidate's file


@dataclass
class StepSpec:
    slug: str
    title: str
    form: type
    service: object
    stages: tuple[str, ...]  # the stages it follows


CELL_STEPS = {
    s.slug: s
    for s in (
        StepSpec(
            "khoa-hoc",
            gettext_lazy("Lớp bồi dưỡng nhận thức về Đảng"),
            forms.CourseForm,
            services.candidate_record_course,
            (Stage.IDENTIFIED,),
        ),
        StepSpec(
            "don",
            gettext_lazy("Đơn xin vào Đảng"),
            forms.ApplyForm,
            services.candidate_apply,
            (Stage.TRAINED,),
        ),
        StepSpec(
            "gioi-thieu",
            gettext_lazy("Người giới thiệu"),
            forms.IntroducerForm,
            services.candidate_add_introducer,
            (Stage.APPLIED,),
        ),
        StepSpec(
            "tham-tra",
            gettext_lazy("Thẩm tra lý lịch"),
            forms.VerifyForm,
            services.candidate_verify,
            (Stage.INTRODUCED,),
        ),
        StepSpec(
            "chi-bo",
            gettext_lazy("Nghị quyết chi bộ đề nghị kết nạp"),
            forms.CellVoteForm,
            services.candidate_cell_resolution,
            (Stage.VERIFIED,),
        ),
        StepSpec(
            "le-ket-nap",
            gettext_lazy("Lễ kết nạp"),
            forms.CeremonyForm,
            services.candidate_ceremony,
            (Stage.DECIDED,),
        ),
        StepSpec(
            "dung",
            gettext_lazy("Dừng xem xét"),
            forms.WithdrawForm,
            services.candidate_withdraw,
            tuple(s for s in Stage.values if s not in (Stage.ADMITTED, Stage.WITHDRAWN)),
        ),
    )
}
COMMITTEE_STEPS = {
    s.slug: s
    for s in (
        StepSpec(
            "dang-uy",
            gettext_lazy("Nghị quyết đảng ủy cơ sở"),
            forms.CommitteeForm,
            services.candidate_committee_resolution,
            (Stage.CELL_APPROVED,),
        ),
        StepSpec(
            "quyet-dinh",
            gettext_lazy("Quyết định kết nạp"),
            forms.DecideForm,
            services.candidate_decide,
            (Stage.COMMITTEE_APPROVED,),
        ),
    )
}


def next_steps(candidate, perms) -> list[tuple[str, StepSpec]]:
    """(URL name, step) of what may be recorded now, by what the user may do."""
    found = []
    for url, steps, permission in (
        ("admissions:decide", COMMITTEE_STEPS, DECIDE_ADMISSIONS),
        ("admissions:step", CELL_STEPS, CHANGE_CANDIDATES),
    ):
        if permission in perms:
            found += [(url, s) for s in steps.values() if candidate.stage in s.stages]
    return found


@candidate_view(VIEW)
def detail(request, candidate):
    perms = request.org_perms
    deadlines = {
        "decision": selectors.decision_deadline(candidate)
        if candidate.stage in (Stage.CELL_APPROVED, Stage.COMMITTEE_APPROVED)
        else None,
        "ceremony": selectors.ceremony_deadline(candidate)
        if candidate.stage == Stage.DECIDED
        else None,
    }
    return render(
        request,
        "admissions/detail.html",
        {
            **_place(request, candidate.cell, [_candidates_link(candidate.cell)]),
            "candidate": candidate,
            "steps": candidate.steps.select_related("recorded_by"),
            "introducers": candidate.introducers.select_related("member"),
            "next_steps": next_steps(candidate, perms),
            "deadlines": deadlines,
            "can_export": EXPORT in perms,
            "member_visible": candidate.member_id is not None,
            "can_correct": CHANGE_CANDIDATES in perms,
        },
    )


def _step_page(request, candidate, spec: StepSpec):
    if candidate.stage not in spec.stages:
        messages.error(request, _("Bước này không làm được ở giai đoạn hiện tại của hồ sơ."))
        return redirect("admissions:detail", pk=candidate.pk)
    posted = request.method == "POST"
    form = spec.form(request.POST if posted else None, candidate=candidate)
    if posted and form.is_valid():
        try:
            with recorded_by(request):
                result = spec.service(candidate=candidate, by=request.user, **form.service_kwargs())
        except ValidationError as error:
            show_refusal(form, error, form.error_fields)
        else:
            messages.success(request, _("Đã ghi: %(what)s.") % {"what": spec.title})
            if spec.service is services.candidate_ceremony:
                messages.info(
                    request,
                    _("%(name)s là đảng viên dự bị từ %(day)s.")
                    % {"name": result.full_name, "day": result.ceremony_on.strftime("%d/%m/%Y")},
                )
                return redirect("members:detail", pk=result.pk)
            return redirect("admissions:detail", pk=candidate.pk)
    return render(
        request,
        "admissions/form.html",
        {
            **_place(
                request,
                candidate.cell,
                [
                    _candidates_link(candidate.cell),
                    (candidate.full_name, reverse("admissions:detail", args=[candidate.pk])),
                ],
            ),
            "form": form,
            "title": spec.title,
            "subject": candidate,
            "cancel": reverse("admissions:detail", args=[candidate.pk]),
        },
    )


@candidate_view(CHANGE_CANDIDATES)
def step(request, candidate, step):
    spec = CELL_STEPS.get(step)
    if spec is None:
        raise Http404
    return _step_page(request, candidate, spec)


@candidate_view(DECIDE_ADMISSIONS)
def decide(request, candidate, step):
    spec = COMMITTEE_STEPS.get(step)
    if spec is None:
        raise Http404
    return _step_page(request, candidate, spec)


# ---------------------------------------------------------------- probation and confirmation


def _case(member):
    return selectors.confirmation_case(member=member)


def _confirmation_context(request, member, **extra):
    case = _case(member)
    ends = case.probation_ends_on if case else selectors.probation_end(member)
    return {
        **_place(
            request,
            member.organization,
            [(member.full_name, reverse("members:detail", args=[member.pk]))],
        ),
        "member": member,
        "case": case,
        "probation_ends_on": ends,
        "proposal_deadline": selectors.proposal_deadline(ends),
        "decision_deadline": selectors.confirmation_deadline(case.proposed_on)
        if case and case.proposed_on
        else None,
        "is_probationary": member.status == Status.PROBATIONARY,
        **extra,
    }


@probation_view(VIEW)
def confirmation(request, member):
    perms = request.org_perms
    return render(
        request,
        "admissions/confirmation.html",
        _confirmation_context(
            request,
            member,
            can_vote=CHANGE_CANDIDATES in perms,
            can_decide=DECIDE_ADMISSIONS in perms,
            can_export=EXPORT in perms,
        ),
    )


def _confirmation_step(request, member, form_class, service, title):
    form = form_class(request.POST if request.method == "POST" else None, member=member)
    return procedure_page(
        request,
        form=form,
        call=lambda form: service(member=member, by=request.user, **form.service_kwargs()),
        done=_("Đã ghi: %(what)s.") % {"what": title},
        then=reverse("admissions:confirmation", args=[member.pk]),
        template="admissions/form.html",
        context={
            **_confirmation_context(request, member),
            "title": title,
            "subject": member,
            "cancel": reverse("admissions:confirmation", args=[member.pk]),
        },
    )


@probation_view(CHANGE_CANDIDATES)
def confirmation_vote(request, member):
    return _confirmation_step(
        request,
        member,
        forms.ConfirmationVoteForm,
        confirmations.confirmation_vote,
        _("Chi bộ xét đề nghị công nhận đảng viên chính thức"),
    )


@probation_view(DECIDE_ADMISSIONS)
def confirmation_decide(request, member):
    return _confirmation_step(
        request,
        member,
        forms.ConfirmationDecideForm,
        confirmations.confirmation_decide,
        _("Quyết định công nhận đảng viên chính thức"),
    )


# ---------------------------------------------------------------- what is due


@scoped_view(VIEW)
def due(request):
    code = request.GET.get("to_chuc", "").strip()
    organization = request.scope.get_organization(code=code) if code else None
    on, _error = date_in_query(request.GET, "ngay", default=timezone.localdate())
    items = selectors.due_items(scope=request.scope, on=on, organization=organization)
    context = (
        _place(request, organization)
        if organization
        else {"org": None, "ancestors": [], "trail": []}
    )
    homes = [
        o for o in request.scope.home_organizations() if VIEW in request.scope.permissions_for(o)
    ]
    return render(
        request, "admissions/due.html", {**context, "items": items, "on": on, "homes": homes}
    )


# ---------------------------------------------------------------- targets


def _year(request) -> int:
    params = request.POST if "nam" in request.POST else request.GET
    year, _error = year_in_query(
        params, "nam", default=timezone.localdate().year, first=PARTY_FOUNDED.year
    )
    return year


@organization_view(DECIDE_ADMISSIONS)
def targets(request, organization):
    """The year's targets the organization distributes to its children."""
    year = _year(request)
    children = [
        v.organization
        for v in children_on(
            scope=request.scope, organization=organization, on=timezone.localdate()
        )
    ]
    current = selectors.targets_of(organizations=children, year=year)
    posted = request.method == "POST"
    form = forms.TargetsForm(
        request.POST if posted else None, children=children, current=current, initial={"nam": year}
    )
    if posted and form.is_valid():
        for child, value in form.targets().items():
            target_set(organization=child, year=year, target=value, by=request.user)
        messages.success(request, _("Đã lưu chỉ tiêu kết nạp năm %(year)s.") % {"year": year})
        return redirect(
            f"{reverse('admissions:report_targets', args=[organization.code])}?nam={year}"
        )
    own = selectors.target_of(organization=organization, year=year)
    return render(
        request,
        "admissions/targets.html",
        {
            **_place(request, organization, [_candidates_link(organization)]),
            "form": form,
            "year": year,
            "own": own,
            "distributed": sum(v for v in current.values()),
        },
    )


def report_query(organization_code: str, year: int) -> str:
    return f"?nam={year}&to_chuc={quote(organization_code)}"


# ---------------------------------------------------------------- Sửa / Hủy


@candidate_view(CHANGE_CANDIDATES)
def correct_step(request, candidate):
    """Sửa / Hủy a recorded step (?buoc=stage; by default the latest). The committee's
    decision needs the right to decide."""
    stage = request.GET.get("buoc") or candidate.stage
    step = candidate.steps.filter(stage=stage).order_by("-id").first()
    if step is None:
        raise Http404
    if stage in (Stage.DECIDED, Stage.ADMITTED) and DECIDE_ADMISSIONS not in request.org_perms:
        raise PermissionDenied
    back = reverse("admissions:detail", args=[candidate.pk])
    latest = stage == candidate.stage
    return correction_page(
        request,
        obj=candidate,
        form_class=forms.StepCorrectionForm,
        title=_("Sửa / Hủy bước: %(step)s") % {"step": step.get_stage_display()},
        back_url=back,
        initial={"on": step.on, "document_no": step.document_no},
        correct=lambda form: (
            corrections.candidate_step_correct,
            {
                "candidate": candidate,
                "stage": stage,
                "on": form.cleaned_data["on"],
                "document_no": form.cleaned_data["document_no"] or None,
            },
        ),  # fmt: skip
        cancel=(lambda form: (corrections.candidate_step_cancel, {"candidate": candidate}))
        if latest and not candidate.member_id
        else None,
        context=_place(request, candidate.cell, [_candidates_link(candidate.cell)]),
    )


@probation_view(CHANGE_CANDIDATES)
def correct_confirmation_vote(request, member):
    """Sửa / Hủy the cell's vote on the member's confirmation (?lan=id; by default the
    latest)."""
    case = selectors.confirmation_case(member=member)
    votes = case.votes.order_by("-id") if case else None
    raw = request.GET.get("lan", "")
    vote = None
    if votes is not None:
        vote = votes.filter(pk=int(raw)).first() if raw.isdigit() else votes.first()
    if vote is None:
        raise Http404
    latest = vote == votes.first()
    return correction_page(
        request,
        obj=vote,
        form_class=forms.ConfirmationVoteCorrectionForm,
        title=_("Sửa / Hủy biểu quyết công nhận chính thức: %(name)s") % {"name": member.full_name},
        back_url=reverse("admissions:confirmation", args=[member.pk]),
        initial={"on": vote.on, "resolution_no": vote.resolution_no},
        correct=lambda form: (corrections.confirmation_vote_correct, {
            "vote": vote, "on": form.cleaned_data["on"],
            "resolution_no": form.cleaned_data["resolution_no"],
        }),
        cancel=(lambda form: (corrections.confirmation_vote_cancel, {"vote": vote}))
        if latest else None,
        context=_place(request, member.organization),
    )  # fmt: skip


@probation_view(DECIDE_ADMISSIONS)
def correct_confirmation_decision(request, member):
    """Sửa / Hủy the committee's decision on the member's confirmation (or removal)."""
    case = selectors.confirmation_case(member=member)
    if case is None or not case.outcome:
        raise Http404
    return correction_page(
        request,
        obj=case,
        form_class=forms.ConfirmationDecisionCorrectionForm,
        title=_("Sửa / Hủy quyết định %(outcome)s: %(name)s")
        % {"outcome": case.get_outcome_display().lower(), "name": member.full_name},
        back_url=reverse("admissions:confirmation", args=[member.pk]),
        initial={"decision_no": case.decision_no, "decided_on": case.decided_on},
        correct=lambda form: (corrections.confirmation_decision_correct, {
            "case": case, "decision_no": form.cleaned_data["decision_no"],
            "decided_on": form.cleaned_data["decided_on"],
        }),
        cancel=lambda form: (corrections.confirmation_decision_cancel, {"case": case}),
        error_fields={"on": "decided_on"},
        context=_place(request, member.organization),
    )  # fmt: skip
