"""Pages of members working away from home (đi làm ăn xa): a member's record, checks and
return on one page, and the organization's list with the checks due."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tochuc.accounts.access import organization_view
from tochuc.accounts.permissions import CHANGE_MEMBERS, VIEW
from tochuc.core.pages import place, show_refusal
from tochuc.members.views import member_context, member_view

from . import forms, selectors, services


@member_view(CHANGE_MEMBERS)
def working_away(request, member):
    """Record that the member works away, a check on them, or their return (one page)."""
    record = member.working_away.filter(ended_on__isnull=True).first()
    action = request.POST.get("action", "") if request.method == "POST" else ""
    posted = {"away": None, "check": None, "end": None}
    if action in posted:
        posted[action] = request.POST
    away_form = forms.WorkingAwayForm(posted["away"], member=member, scope=request.scope)
    check_form = forms.WorkingAwayCheckForm(posted["check"], prefix="check")
    end_form = forms.WorkingAwayEndForm(posted["end"], prefix="end")
    if request.method == "POST" and not action:
        away_form = forms.WorkingAwayForm({}, member=member, scope=request.scope)
        away_form.is_valid()
    calls = {
        "away": (away_form, lambda data: services.working_away_record(
            member=member, by=request.user, **away_form.service_kwargs())),
        "check": (check_form, lambda data: services.working_away_check(
            record=record, checked_on=data["checked_on"], result=data["result"],
            by=request.user)),
        "end": (end_form, lambda data: services.working_away_end(
            record=record, on=data["on"], by=request.user)),
    }  # fmt: skip
    if action in calls and (action == "away" or record is not None):
        form, call = calls[action]
        if form.is_valid():
            try:
                call(form.cleaned_data)
            except ValidationError as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("Đã ghi."))
                return redirect("transfers:working_away", pk=member.pk)
    return render(
        request,
        "transfers/working_away.html",
        {
            **member_context(request, member),
            "title": _("Đảng viên đi làm ăn xa"),
            "record": record,
            "checks": list(record.checks.all()) if record else [],
            "past": list(member.working_away.exclude(pk=record.pk if record else None)),
            "away_form": away_form,
            "check_form": check_form,
            "end_form": end_form,
        },
    )


@organization_view(VIEW)
def working_away_list(request, organization):
    today = timezone.localdate()
    rows = selectors.working_away_list(organization=organization, today=today)
    return render(
        request,
        "transfers/working_away_list.html",
        {
            **place(request, organization),
            "rows": rows,
            "due": sum(1 for r in rows if r.is_due),
            "today": today,
        },
    )
