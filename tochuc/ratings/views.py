"""Rating pages: an organization's sessions, a session's list (subjects with their step and
score) and results, the forms of the three steps, the screening list, and the votes of
confidence (per organization and per member).

A session is read from an organization it covers (`?ky=`; default: the latest one), its
subjects within that organization's subtree. Subjects are fetched through the caller's
scope: out of scope reads as missing (404); in scope without the permission is 403. The
cell's steps need RATE (cell secretaries, officers); the committee's need DECIDE_RATINGS.
"""

from dataclasses import dataclass
from operator import attrgetter

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import object_view, organization_view, scoped_view
from tochuc.accounts.permissions import DECIDE_RATINGS, EXPORT, RATE, VIEW
from tochuc.core.corrections import correction_page
from tochuc.core.pages import place as _place
from tochuc.core.pages import procedure_page
from tochuc.lib import paths, search
from tochuc.lib.dates import year_in_query
from tochuc.lib.vntext import fold
from tochuc.members.models import ACTIVE_STATUSES
from tochuc.members.views import member_view
from tochuc.policy.acts import PARTY_FOUNDED
from tochuc.reports.numbers import vn_percent

from . import corrections, forms, selectors, services
from .models import LEVEL_ORDER, SHORT_LABELS, Level, Step, SubjectKind

PAGE_SIZE = 200


def subject_view(permission: str):
    """A view on one rated subject (URL kwarg `pk`): out of scope → 404, no permission → 403."""
    return object_view(permission, selectors.subject_get, attrgetter("organization"))


def _ratings_link(organization):
    return (_("Đánh giá, xếp loại"), reverse("ratings:list", args=[organization.code]))


def session_param(request, organization):
    """The session named by `?ky=` covering the organization (404 if it does not), or the
    latest one covering it (None if there is none)."""
    raw = request.GET.get("ky", "").strip()
    if raw and not raw.isdigit():
        raise Http404
    return selectors.session_for(organization=organization, pk=int(raw) if raw else None)


def _levels():
    return [(level, SHORT_LABELS[level]) for level in LEVEL_ORDER]


# ---------------------------------------------------------------- sessions


@scoped_view(VIEW)
def index(request):
    """Where to start: the user's organizations, each with the sessions covering it."""
    homes = [
        o for o in request.scope.home_organizations() if VIEW in request.scope.permissions_for(o)
    ]
    return render(
        request,
        "ratings/index.html",
        {
            "org": None,
            "ancestors": [],
            "trail": [],
            "homes": [
                (o, list(selectors.sessions_covering(organization=o)[:5])) for o in homes[:50]
            ],
        },
    )


@organization_view(VIEW)
def session_list(request, organization):
    perms = request.org_perms
    return render(
        request,
        "ratings/list.html",
        {
            **_place(request, organization),
            "covering": list(selectors.sessions_covering(organization=organization)),
            "below": list(selectors.sessions_below(organization=organization)[:100]),
            "can_open": DECIDE_RATINGS in perms and organization.is_active,
        },
    )


@organization_view(DECIDE_RATINGS)
def session_open(request, organization):
    form = forms.SessionForm(
        request.POST if request.method == "POST" else None, organization=organization
    )
    return procedure_page(
        request,
        form=form,
        call=lambda form: services.rating_session_open(by=request.user, **form.service_kwargs()),
        done=lambda session: _("Đã mở kỳ đánh giá %(t)s.") % {"t": session.title},
        then=lambda session: (
            f"{reverse('ratings:subjects', args=[organization.code])}?ky={session.pk}"
        ),
        template="ratings/form.html",
        context={
            **_place(request, organization, [_ratings_link(organization)]),
            "title": _("Mở kỳ đánh giá, xếp loại chất lượng"),
            "cancel": reverse("ratings:list", args=[organization.code]),
        },
    )


KIND_FILTERS = [("", gettext_lazy("Tất cả")), *SubjectKind.choices]


@organization_view(VIEW)
def subjects(request, organization):
    session = session_param(request, organization)
    kind = request.GET.get("loai", "")
    kind = kind if kind in SubjectKind.values else ""
    step = request.GET.get("buoc", "")
    step = step if step in Step.values else ""
    query = search.from_request(request)
    text = query.text
    rows, total, flagged, counts = [], 0, set(), {}
    if session is not None:
        qs = selectors.subject_list(
            session=session, organization=organization, kind=kind, step=step
        )
        rows = [] if query.error else list(qs)
        if text:
            folded = fold(text)
            rows = [r for r in rows if folded in fold(r.name)]
        total = len(rows)
        rows = rows[:PAGE_SIZE]
        flagged = selectors.flagged_member_ids(session=session, organization=organization)
        counts = selectors.step_counts(session=session, organization=organization)
    perms = request.org_perms
    return render(
        request,
        "ratings/subjects.html",
        {
            **_place(request, organization, [_ratings_link(organization)]),
            "session": session,
            "rows": rows,
            "total": total,
            "more": total > PAGE_SIZE,
            "flagged": flagged,
            "step_counts": [(Step(s).label, n) for s, n in counts.items()],
            "kind": kind,
            "step": step,
            "q": query.shown,
            "query_error": query.error,
            "kind_filters": KIND_FILTERS,
            "step_filters": [("", _("Tất cả")), *Step.choices],
            "can_rate": RATE in perms,
            "can_decide": DECIDE_RATINGS in perms,
            "can_export": EXPORT in perms,
        },
    )


# ---------------------------------------------------------------- the steps


@dataclass
class StepSpec:
    slug: str
    title: str
    form: type
    service: object
    steps: tuple[str, ...]


CELL_STEPS = {
    "tu-danh-gia": StepSpec(
        "tu-danh-gia", gettext_lazy("Tự đánh giá, chấm điểm"), forms.SelfAssessForm,
        services.rating_self_assess, (Step.PENDING, Step.SELF_ASSESSED),
    ),
    "de-xuat": StepSpec(
        "de-xuat", gettext_lazy("Chi bộ đề xuất mức xếp loại"), forms.ProposeForm,
        services.rating_propose, (Step.SELF_ASSESSED, Step.PROPOSED),
    ),
}  # fmt: skip
DECISION = StepSpec(
    "quyet-dinh", gettext_lazy("Cấp ủy quyết định xếp loại"), forms.DecideForm,
    services.rating_decide, (Step.PROPOSED,),
)  # fmt: skip


def _subject_back(subject) -> str:
    return (
        f"{reverse('ratings:subjects', args=[subject.organization.code])}?ky={subject.session_id}"
    )


def _step_page(request, subject, spec: StepSpec):
    back = _subject_back(subject)
    if subject.step not in spec.steps:
        messages.error(request, _("Bước này không làm được ở bước hiện tại của đối tượng."))
        return redirect(back)
    form = spec.form(request.POST if request.method == "POST" else None, subject=subject)
    return procedure_page(
        request,
        form=form,
        call=lambda form: spec.service(subject=subject, by=request.user, **form.service_kwargs()),
        done=lambda _result: (
            _("Đã ghi: %(what)s — %(name)s.") % {"what": spec.title, "name": subject}
        ),
        then=back,
        template="ratings/form.html",
        context={
            **_place(
                request,
                subject.organization,
                [_ratings_link(subject.organization), (subject.session.title, back)],
            ),
            "title": spec.title,
            "subject": subject,
            "cancel": back,
        },
    )


@subject_view(RATE)
def step(request, subject, step):
    spec = CELL_STEPS.get(step)
    if spec is None:
        raise Http404
    return _step_page(request, subject, spec)


@subject_view(DECIDE_RATINGS)
def decide(request, subject):
    return _step_page(request, subject, DECISION)


# ---------------------------------------------------------------- results


@organization_view(VIEW)
def results(request, organization):
    session = session_param(request, organization)
    found = selectors.results(scope=request.scope, organization=organization, session=session)
    return render(
        request,
        "ratings/results.html",
        {
            **_place(request, organization, [_ratings_link(organization)]),
            "session": session,
            "results": found,
            "levels": _levels(),
            "flagged": selectors.two_years_not_done(organization=organization, year=session.year)
            if session is not None and session.kind == "year"
            else [],
            "can_export": EXPORT in request.org_perms,
        },
    )


@organization_view(VIEW)
def screening(request, organization):
    year, _error = year_in_query(request.GET, "nam", default=None, first=PARTY_FOUNDED.year)
    return render(
        request,
        "ratings/screening.html",
        {
            **_place(request, organization, [_ratings_link(organization)]),
            "rows": selectors.two_years_not_done(organization=organization, year=year),
            "year": year,
            "not_done": Level.NOT_DONE.label,
        },
    )


# ---------------------------------------------------------------- votes of confidence


def _year(request) -> int | None:
    year, _error = year_in_query(request.GET, "nam", default=None, first=PARTY_FOUNDED.year)
    return year


def shares(vote) -> list[str]:
    return [vn_percent(vote.high_share), vn_percent(vote.medium_share), vn_percent(vote.low_share)]


@organization_view(VIEW)
def votes(request, organization):
    year = _year(request)
    rows = [
        (vote, selectors.vote_flags(vote), shares(vote))
        for vote in selectors.vote_list(organization=organization, year=year)[:PAGE_SIZE]
    ]
    return render(
        request,
        "ratings/votes.html",
        {
            **_place(request, organization, [_ratings_link(organization)]),
            "rows": rows,
            "year": year,
            "can_add": DECIDE_RATINGS in request.org_perms and organization.is_active,
            "can_export": EXPORT in request.org_perms,
            "correct_code": organization.code if DECIDE_RATINGS in request.org_perms else "",
        },
    )


@organization_view(DECIDE_RATINGS)
def vote_add(request, organization):
    members = list(
        request.scope.members()
        .filter(paths.under("org_path", organization.path), status__in=ACTIVE_STATUSES)
        .select_related("organization")
        .order_by("name_sort", "id")[: forms.VoteForm.MAX_CHOICES]
    )
    form = forms.VoteForm(
        request.POST if request.method == "POST" else None,
        organization=organization,
        members=members,
    )
    return procedure_page(
        request,
        form=form,
        call=lambda form: services.confidence_vote_record(by=request.user, **form.service_kwargs()),
        done=lambda vote: _("Đã ghi kết quả lấy phiếu tín nhiệm: %(v)s.") % {"v": vote},
        then=reverse("ratings:votes", args=[organization.code]),
        template="ratings/form.html",
        context={
            **_place(
                request,
                organization,
                [(_("Lấy phiếu tín nhiệm"), reverse("ratings:votes", args=[organization.code]))],
            ),
            "title": _("Ghi kết quả lấy phiếu tín nhiệm"),
            "cancel": reverse("ratings:votes", args=[organization.code]),
        },
    )


@member_view(VIEW)
def member_history(request, member):
    return render(
        request,
        "ratings/member.html",
        {
            "member": member,
            **_place(
                request,
                member.organization,
                [(member.full_name, reverse("members:detail", args=[member.pk]))],
            ),
            "ratings": list(selectors.ratings_of(member=member)),
            "votes": [
                (v, selectors.vote_flags(v), shares(v)) for v in selectors.votes_of(member=member)
            ],
        },
    )


# ---------------------------------------------------------------- Sửa / Hủy


@subject_view(DECIDE_RATINGS)
def correct_decision(request, subject):
    organization = subject.session.organization
    back = reverse("ratings:subjects", args=[organization.code]) + f"?ky={subject.session_id}"
    return correction_page(
        request,
        obj=subject,
        form_class=forms.DecisionCorrectionForm,
        title=_("Sửa / Hủy quyết định xếp loại: %(name)s") % {"name": subject.name},
        back_url=back,
        initial={
            "final_level": subject.final_level,
            "decision_no": subject.decision_no,
            "decided_on": subject.decided_on,
        },
        correct=lambda form: (
            corrections.rating_decision_correct,
            {
                "subject": subject,
                "level": form.cleaned_data["final_level"],
                "decision_no": form.cleaned_data["decision_no"],
                "decided_on": form.cleaned_data["decided_on"],
            },
        ),  # fmt: skip
        cancel=lambda form: (corrections.rating_decision_cancel, {"subject": subject}),
        error_fields={"level": "final_level"},
        context=_place(request, organization, [_ratings_link(organization)]),
    )


@organization_view(DECIDE_RATINGS)
def correct_vote(request, organization):
    """Sửa / Hủy a vote of confidence of this organization (?phieu=id; by default the
    latest)."""
    votes = selectors.vote_list(organization=organization)
    raw = request.GET.get("phieu", "")
    vote = votes.filter(pk=int(raw)).first() if raw.isdigit() else votes.first()
    if vote is None:
        raise Http404
    back = reverse("ratings:votes", args=[organization.code])
    return correction_page(
        request,
        obj=vote,
        form_class=forms.VoteCorrectionForm,
        title=_("Sửa / Hủy kết quả lấy phiếu tín nhiệm"),
        back_url=back,
        initial={name: getattr(vote, name) for name in corrections.VOTE_FIELDS},
        correct=lambda form: (
            corrections.confidence_vote_correct,
            {"vote": vote, **{name: form.cleaned_data[name] for name in corrections.VOTE_FIELDS}},
        ),
        cancel=lambda form: (corrections.confidence_vote_cancel, {"vote": vote}),
        context=_place(request, organization, [_ratings_link(organization)]),
    )
