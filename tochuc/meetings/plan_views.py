"""The cell's calendar: call a meeting for a coming day (its members with an account are
invited: meetings.hooks.planned), or cancel one called by mistake (Hủy, with a reason)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tochuc.accounts.access import organization_view
from tochuc.accounts.permissions import RECORD_MEETINGS
from tochuc.core.pages import place, recorded_by, show_refusal, today
from tochuc.lib.dates import parse_date

from .models import Kind
from .planning import meeting_plan, meeting_plan_cancel
from .selectors import planned_for

INPUT = {"class": "form-control"}


class PlanForm(forms.Form):
    on = forms.CharField(
        label=gettext_lazy("Ngày sinh hoạt (dd/mm/yyyy)"), max_length=10,
        widget=forms.TextInput(attrs={**INPUT, "inputmode": "numeric"}),
    )  # fmt: skip
    kind = forms.ChoiceField(
        label=gettext_lazy("Loại buổi sinh hoạt"), choices=Kind.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )  # fmt: skip
    place = forms.CharField(
        label=gettext_lazy("Địa điểm"), required=False, max_length=255,
        widget=forms.TextInput(attrs=INPUT),
    )  # fmt: skip
    topic = forms.CharField(
        label=gettext_lazy("Chủ đề"), required=False, max_length=255,
        widget=forms.TextInput(attrs=INPUT),
    )  # fmt: skip

    def clean_on(self):
        try:
            day = parse_date(self.cleaned_data["on"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error
        if day is None:
            raise forms.ValidationError(_("Nhập ngày sinh hoạt."))
        return day


class CancelForm(forms.Form):
    planned = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=gettext_lazy("Lý do hủy"), max_length=255, widget=forms.TextInput(attrs=INPUT),
        error_messages={"required": gettext_lazy("Ghi lý do hủy lịch.")},
    )  # fmt: skip


@organization_view(RECORD_MEETINGS)
@require_http_methods(["GET", "POST"])
def plan(request, organization):
    """Call a meeting of the cell (action "plan") or cancel one called (action "cancel")."""
    cancelling = request.POST.get("action") == "cancel"
    form = PlanForm(request.POST if request.method == "POST" and not cancelling else None)
    cancel = CancelForm(request.POST if cancelling else None)
    calendar = planned_for(organization=organization, since=today())
    bound = cancel if cancelling else form
    if request.method == "POST" and bound.is_valid():
        try:
            with recorded_by(request):
                if cancelling:
                    planned = get_object_or_404(calendar, pk=cancel.cleaned_data["planned"])
                    meeting_plan_cancel(
                        planned=planned, reason=cancel.cleaned_data["reason"], by=request.user
                    )
                    done = _("Đã hủy lịch sinh hoạt ngày %(day)s.")
                else:
                    planned = meeting_plan(organization=organization, by=request.user,
                                           **form.cleaned_data)  # fmt: skip
                    done = _("Đã lên lịch sinh hoạt ngày %(day)s; đảng viên có tài khoản được mời.")
        except ValidationError as error:
            show_refusal(bound, error)
        else:
            messages.success(request, done % {"day": f"{planned.on:%d/%m/%Y}"})
            return redirect("meetings:plan", code=organization.code)
    return render(request, "meetings/plan.html", {
        **place(request, organization), "form": form, "cancel": cancel, "calendar": calendar,
        "title": _("Lịch sinh hoạt"),
    })  # fmt: skip
