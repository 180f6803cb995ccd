"""Pages of data quality: the score and ranking of an organization, the problems to fix
(drill-down, XLSX), suspected duplicate pairs (evidence side by side, merge or "not the same
person"), and screening (grounds → proposal → decision through the exit service)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tochuc.accounts.access import organization_view, scoped_view
from tochuc.accounts.permissions import CHANGE_MEMBERS, EXPORT, VIEW
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
    recorded_by,
    show_refusal,
    today,
)
from tochuc.members.models import PERSONAL_FIELDS, Member
from tochuc.members.views import member_view

from . import campaigns as campaign_progress
from . import forms, screening, selectors, services
from .models import DuplicatePair, ScreeningProposal
from .rules import RULES, rule_for

TITLE = gettext_lazy("Chất lượng dữ liệu")
PAGE = 300


def _place(request, organization, *trail):
    return place(
        request,
        organization,
        [(str(TITLE), reverse("quality:overview", args=[organization.code])), *trail],
    )


@scoped_view(VIEW)
def index(request):
    homes = request.scope.home_organizations()
    if not homes:
        raise Http404
    return redirect("quality:overview", code=homes[0].code)


def _overview_page(request, organization):
    score = selectors.score_of(organization=organization)
    return render(
        request,
        "quality/overview.html",
        {
            **_place(request, organization),
            "title": TITLE,
            "score": score,
            "ranking": selectors.ranking(organization=organization, score=score),
            "trend": selectors.trend(organization=organization),
            "kinds": selectors.kinds_of(score),
            "pending": selectors.pending_scan(organization=organization),
            "pairs": selectors.pair_list(organization=organization).count(),
            "can_change": CHANGE_MEMBERS in request.org_perms,
        },
    )


@organization_view(VIEW)
def overview(request, organization):
    return _overview_page(request, organization)


@organization_view(CHANGE_MEMBERS)
@require_POST
def scan_start(request, organization):
    """Queue a scan (a background job); the page then shows it pending, or its result when
    the job has already run."""
    scan = services.scan_request(organization=organization, by=request.user)
    if scan.state == scan.State.DONE:
        messages.success(request, _("Đã quét xong %(n)s hồ sơ.") % {"n": scan.records})
    else:
        messages.info(request, _("Đã xếp lịch quét; kết quả hiện ở trang này khi quét xong."))
    return _overview_page(request, organization)


def _problem_rows(organization, kind):
    return selectors.problem_list(organization=organization, kind=kind)


@organization_view(VIEW)
def problems(request, organization):
    kind = request.GET.get("loai", "")
    if kind and kind not in RULES and not kind.startswith("missing_"):
        kind = ""
    rows = _problem_rows(organization, kind)
    shown = [(p, rule_for(p.kind), rule_for(p.kind).fix(p.member_id)) for p in rows[:PAGE]]
    return render(
        request,
        "quality/problems.html",
        {
            **_place(request, organization, (_("Vấn đề cần sửa"), "")),
            "rows": shown,
            "total": rows.count(),
            "page": PAGE,
            "kind": kind,
            "kinds": selectors.kinds_of(selectors.score_of(organization=organization)),
        },
    )


PROBLEM_COLUMNS = (
    Col(gettext_lazy("STT"), INT, 6),
    Col(gettext_lazy("Họ và tên"), TEXT, 28),
    Col(gettext_lazy("Ngày sinh"), DATE, 12),
    Col(gettext_lazy("Nơi sinh hoạt"), TEXT, 36),
    Col(gettext_lazy("Vấn đề"), TEXT, 30),
    Col(gettext_lazy("Giải thích"), TEXT, 60),
)


@organization_view(EXPORT)
def problems_xlsx(request, organization):
    kind = request.GET.get("loai", "")
    rows = (
        (n, p.member.full_name, p.member.birth_date, p.organization.name,
         str(rule_for(p.kind).label), str(rule_for(p.kind).explanation))
        for n, p in enumerate(_problem_rows(organization, kind).iterator(), start=1)
    )  # fmt: skip
    return export_response(
        request,
        sheets=[Sheet(_("Vấn đề dữ liệu"), PROBLEM_COLUMNS, rows)],
        filename=dated_filename(f"chat-luong-{organization.code}"),
        action="tochuc.quality.problems_exported",
        obj=organization,
        kind=kind,
    )


@organization_view(VIEW)
def pairs(request, organization):
    state = request.GET.get("tinh_trang", DuplicatePair.State.OPEN)
    if state not in DuplicatePair.State.values:
        state = DuplicatePair.State.OPEN
    found = selectors.pair_list(organization=organization, state=state)
    return render(
        request,
        "quality/pairs.html",
        {
            **_place(request, organization, (_("Hồ sơ nghi trùng"), "")),
            "rows": list(found[:PAGE]),
            "total": found.count(),
            "state": state,
            "states": DuplicatePair.State.choices,
        },
    )


def _side_by_side(pair) -> list[tuple[str, str, str, bool]]:
    rows = []
    first, second = pair.first, pair.second
    for name in [*PERSONAL_FIELDS, "admitted_on", "ceremony_on", "confirmed_on"]:
        field = Member._meta.get_field(name)
        a = first._get_FIELD_display(field) if field.choices else getattr(first, name)
        b = (
            (second._get_FIELD_display(field) if field.choices else getattr(second, name))
            if second
            else ""
        )
        rows.append((field.verbose_name, a, b, a != b))
    return rows


# A candidate's fields beside a member's: the personal fields both have, then the
# admission process (a member's admission facts, a candidate's stage).
CANDIDATE_ROWS = ("stage", "stage_on", "identified_on", "applied_on")


def _beside_candidate(pair) -> list[tuple[str, str, str, bool]]:
    rows = []
    member, candidate = pair.first, pair.candidate
    for name in PERSONAL_FIELDS:
        if name == "party_card_no":
            continue  # a candidate has none
        field = Member._meta.get_field(name)
        a = member._get_FIELD_display(field) if field.choices else getattr(member, name)
        b = candidate._get_FIELD_display(field) if field.choices else getattr(candidate, name)
        rows.append((field.verbose_name, a, b, a != b))
    rows.append((_("chi bộ"), member.organization.name, candidate.cell.name,
                 member.organization_id != candidate.cell_id))  # fmt: skip
    rows.append((Member._meta.get_field("admitted_on").verbose_name, member.admitted_on, "", True))
    for name in CANDIDATE_ROWS:
        field = candidate._meta.get_field(name)
        b = candidate._get_FIELD_display(field) if field.choices else getattr(candidate, name)
        rows.append((field.verbose_name, "", b, True))
    return rows


def _pair_page(
    request, organization, pair, merge_form=None, not_same_form=None, withdraw_form=None
):
    context = {
        **_place(
            request,
            organization,
            (_("Hồ sơ nghi trùng"), reverse("quality:pairs", args=[organization.code])),
            (_("Cặp số %(pk)s") % {"pk": pair.pk}, ""),
        ),  # fmt: skip
        "pair": pair,
        "can_change": CHANGE_MEMBERS in request.org_perms,
    }
    if pair.candidate_id:
        context.update(
            rows=_beside_candidate(pair),
            timelines=[list(pair.first.events.order_by("on", "id"))],
            not_same_form=not_same_form or forms.NotSameForm(),
            withdraw_form=withdraw_form or forms.WithdrawCandidateForm(),
        )
    elif pair.second is not None:
        context.update(
            rows=_side_by_side(pair),
            timelines=[
                list(pair.first.events.order_by("on", "id")),
                list(pair.second.events.order_by("on", "id")),
            ],  # fmt: skip
            merge_form=merge_form or forms.MergeForm(pair=pair),
            not_same_form=not_same_form or forms.NotSameForm(),
        )
    else:
        context["timelines"] = [list(pair.first.events.order_by("on", "id"))]
    return render(request, "quality/pair.html", context)


@organization_view(VIEW)
def pair(request, organization, pk):
    return _pair_page(request, organization, selectors.pair_get(organization=organization, pk=pk))


@organization_view(CHANGE_MEMBERS)
@require_POST
def pair_merge(request, organization, pk):
    found = selectors.pair_get(organization=organization, pk=pk)
    if found.second is None:
        return redirect("quality:pair", code=organization.code, pk=found.pk)
    form = forms.MergeForm(request.POST, pair=found)
    if form.is_valid():
        try:
            with recorded_by(request):
                kept = services.pair_merge(
                    pair=found, keep=form.cleaned_data["keep"], values=form.values(),
                    reason=form.cleaned_data["reason"], by=request.user,
                    within=organization.path,
                )  # fmt: skip
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Đã gộp hai hồ sơ vào hồ sơ của %(name)s.") % {
                "name": kept.full_name})  # fmt: skip
            return redirect("members:detail", pk=kept.pk)
    return _pair_page(request, organization, found, merge_form=form)


@organization_view(CHANGE_MEMBERS)
@require_POST
def pair_not_same(request, organization, pk):
    found = selectors.pair_get(organization=organization, pk=pk)
    form = forms.NotSameForm(request.POST)
    if form.is_valid():
        try:
            services.pair_not_same(
                pair=found, reason=form.cleaned_data["reason"], by=request.user,
                within=organization.path,
            )  # fmt: skip
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Đã ghi: hai hồ sơ của hai người khác nhau."))
            return redirect("quality:pairs", code=organization.code)
    return _pair_page(request, organization, found, not_same_form=form)


@organization_view(CHANGE_MEMBERS)
@require_POST
def pair_withdraw(request, organization, pk):
    """A member entered again as a candidate: the candidate's admission process stops
    ("dừng xem xét", with the reason); a candidate is never merged into a member."""
    found = selectors.pair_get(organization=organization, pk=pk)
    if not found.candidate_id:
        return redirect("quality:pair", code=organization.code, pk=found.pk)
    form = forms.WithdrawCandidateForm(request.POST)
    if form.is_valid():
        try:
            with recorded_by(request):
                services.pair_withdraw_candidate(
                    pair=found, reason=form.cleaned_data["reason"], by=request.user,
                    within=organization.path,
                )  # fmt: skip
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Đã dừng xem xét hồ sơ quần chúng %(name)s.") % {
                "name": found.candidate.full_name})  # fmt: skip
            return redirect("quality:pairs", code=organization.code)
    return _pair_page(request, organization, found, withdraw_form=form)


@member_view(VIEW)
def member_pairs(request, member):
    """The member's open suspected pairs (the member page's note links here)."""
    organization = member.organization
    found = selectors.pairs_of(member=member)
    return render(
        request,
        "quality/pairs.html",
        {
            **_place(request, organization, (_("Hồ sơ nghi trùng"), "")),
            "rows": found,
            "total": len(found),
            "state": DuplicatePair.State.OPEN,
            "states": DuplicatePair.State.choices,
        },
    )


def _screening_page(request, organization, propose_form=None, decide_form=None, status=200):
    on = today()
    rows = screening.screening_list(organization=organization, on=on)
    proposals = {
        p.member_id: p
        for p in selectors.proposals_under(organization=organization).filter(
            member_id__in=[r["member"].pk for r in rows]
        )
    }
    for row in rows:
        row["proposal"] = proposals.get(row["member"].pk)
    return render(
        request,
        "quality/screening.html",
        {
            **_place(request, organization, (_("Sàng lọc đảng viên"), "")),
            "rows": rows,
            "proposals": selectors.proposals_under(organization=organization).filter(
                state=ScreeningProposal.State.PROPOSED
            ),
            "can_change": CHANGE_MEMBERS in request.org_perms,
            "propose_form": propose_form or forms.ProposeForm(initial={"on": on}),
            "decide_form": decide_form or forms.DecideForm(initial={"on": on}),
            "grounds": screening.GROUNDS.values(),
        },
        status=status,
    )


@organization_view(VIEW)
def screening_view(request, organization):
    return _screening_page(request, organization)


@organization_view(CHANGE_MEMBERS)
@require_POST
def screening_propose(request, organization):
    form = forms.ProposeForm(request.POST)
    if form.is_valid():
        rows = screening.screening_list(organization=organization, on=today())
        row = next((r for r in rows if r["member"].pk == form.cleaned_data["member"]), None)
        if row is None:
            form.add_error(None, _("Đảng viên này không có trong danh sách sàng lọc."))
        else:
            try:
                services.screening_propose(
                    member=row["member"], grounds=row["grounds"], on=form.cleaned_data["on"],
                    by=request.user,
                )  # fmt: skip
            except ValidationError as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("Đã lập đề nghị xóa tên %(name)s.") % {
                    "name": row["member"].full_name})  # fmt: skip
                return redirect("quality:screening", code=organization.code)
    return _screening_page(request, organization, propose_form=form)


@organization_view(CHANGE_MEMBERS)
@require_POST
def screening_decide(request, organization, pk):
    proposal = selectors.proposal_get(organization=organization, pk=pk)
    form = forms.DecideForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with recorded_by(request):
                services.screening_decide(
                    proposal=proposal, remove=data["remove"], on=data["on"],
                    decision_no=data["decision_no"], by=request.user,
                )  # fmt: skip
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Đã ghi quyết định."))
            return redirect("quality:screening", code=organization.code)
    return _screening_page(request, organization, decide_form=form)


@organization_view(VIEW)
def campaigns(request, organization):
    return render(
        request,
        "quality/campaigns.html",
        {
            **_place(request, organization, (_("Chiến dịch làm sạch dữ liệu"), "")),
            "rows": selectors.campaigns_covering(organization=organization),
            "can_change": CHANGE_MEMBERS in request.org_perms,
        },
    )


@organization_view(CHANGE_MEMBERS)
def campaign_add(request, organization):
    form = forms.CampaignForm(request.POST if request.method == "POST" else None)
    return procedure_page(
        request,
        form=form,
        call=lambda form: campaign_progress.campaign_create(
            organization=organization, by=request.user, **form.cleaned_data
        ),
        done=lambda c: _("Đã mở chiến dịch %(name)s.") % {"name": c.name},
        then=lambda c: reverse("quality:campaign", args=[organization.code, c.pk]),
        template="quality/campaign_form.html",
        context={
            **_place(
                request,
                organization,
                (
                    _("Chiến dịch làm sạch dữ liệu"),
                    reverse("quality:campaigns", args=[organization.code]),
                ),
                (_("Mở chiến dịch"), ""),
            ),  # fmt: skip
        },
    )


@organization_view(VIEW)
def campaign(request, organization, pk):
    found = selectors.campaign_get(organization=organization, pk=pk)
    days, lines = campaign_progress.campaign_progress(campaign=found, organization=organization)
    return render(
        request,
        "quality/campaign.html",
        {
            **_place(
                request,
                organization,
                (
                    _("Chiến dịch làm sạch dữ liệu"),
                    reverse("quality:campaigns", args=[organization.code]),
                ),
                (found.name, ""),
            ),  # fmt: skip
            "campaign": found,
            "days": days,
            "lines": [(line, line.reached(found)) for line in lines],
        },
    )
