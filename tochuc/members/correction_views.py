"""The "Sửa / Hủy" page of a member's timeline acts (members/corrections.py).

`/dang-vien/<pk>/sua-huy/` lists the member's acts that can be corrected; with
`?su_kien=<id>` it is the shared correction page (`core.corrections.correction_page`):
the act's date, decision number and organization, the reason and the correcting
decision; "Xem trước" shows the act, the status and the activity periods before → after;
"Xác nhận" saves.
"""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.permissions import CHANGE_MEMBERS, DECIDE_ADMISSIONS
from tochuc.core.corrections import TEXT, CorrectionForm, correction_page

from .corrections import (
    ON_THE_PAGE,
    TOWARDS,
    admission_act_correct,
    timeline_act_cancel,
    timeline_act_correct,
)
from .forms import date_field
from .models import Member, MemberEvent
from .timeline import CELL_KINDS
from .views import member_context, member_view

T = MemberEvent.Type


class TimelineActForm(CorrectionForm):
    on = date_field(gettext_lazy("Ngày"), required=False)
    decision_no = forms.CharField(
        label=gettext_lazy("Số quyết định, giấy giới thiệu"), max_length=60, required=False,
        widget=forms.TextInput(attrs=TEXT),
    )  # fmt: skip
    organization_code = forms.CharField(
        label=gettext_lazy("Mã chi bộ (nơi đến, nơi sinh hoạt)"), max_length=40, required=False,
        widget=forms.TextInput(attrs=TEXT),
    )  # fmt: skip
    required_when_correcting = ("on",)


class AdmissionActForm(CorrectionForm):
    on = date_field(gettext_lazy("Ngày quyết định kết nạp"), required=False)
    decision_no = forms.CharField(
        label=gettext_lazy("Số quyết định kết nạp"), max_length=60, required=False,
        widget=forms.TextInput(attrs=TEXT),
    )  # fmt: skip
    ceremony_on = date_field(gettext_lazy("Ngày lễ kết nạp (ngày vào Đảng)"), required=False)
    required_when_correcting = ("on",)


def _admission_page(request, member: Member, act: MemberEvent, back_url: str, context: dict):
    """The admission: its decision (membership and party age start there) and ceremony
    (probation runs from it); corrected, never cancelled here. Needs the right to decide."""
    if DECIDE_ADMISSIONS not in request.scope.permissions_for(member.organization):
        raise PermissionDenied
    return correction_page(
        request,
        obj=member,
        form_class=AdmissionActForm,
        title=_("Sửa: kết nạp ngày %(day)s") % {"day": act.on.strftime("%d/%m/%Y")},
        back_url=back_url,
        correct=lambda form: (admission_act_correct, {
            "member": member, "decided_on": form.cleaned_data.get("on"),
            "decision_no": (form.cleaned_data.get("decision_no") or "").strip() or None,
            "ceremony_on": form.cleaned_data.get("ceremony_on"),
        }),
        initial={"on": act.on, "decision_no": act.decision_no, "ceremony_on": member.ceremony_on},
        error_fields={"decided_on": "on"},
        context=context,
    )  # fmt: skip


def act_organization(act: MemberEvent):
    """The organization a correction of `act` may change: where it goes, or where it is."""
    return act.other_organization if act.type in TOWARDS else act.organization


def _refuse(field: str, message: str):
    def refused(**_kwargs):
        raise ValidationError({field: message})

    return refused


@member_view(CHANGE_MEMBERS)
def timeline_correct(request, member: Member):
    acts = member.events.filter(type__in=ON_THE_PAGE).select_related(
        "organization", "other_organization"
    )
    chosen = request.GET.get("su_kien", "")
    back_url = reverse("members:detail", args=[member.pk])
    context = member_context(request, member)
    if not chosen:
        return render(
            request,
            "members/timeline_acts.html",
            {**context, "acts": acts.order_by("-on", "-id"), "back_url": back_url},
        )
    if not chosen.isdigit():
        raise Http404
    act = acts.filter(pk=int(chosen)).first()
    if act is None:
        raise Http404
    if act.type == T.ADMITTED:
        return _admission_page(request, member, act, back_url, context)
    where = act_organization(act)
    version = member.row_version

    def correct(form):
        data = form.cleaned_data
        code = (data.get("organization_code") or "").strip()
        organization = None
        if code and (where is None or code != where.code):
            organization = (
                request.scope.organizations().filter(code=code, kind__in=CELL_KINDS).first()
            )
            if organization is None:
                return _refuse(
                    "organization_code",
                    _("Không tìm thấy chi bộ mã “%(code)s” trong phạm vi quản lý.")
                    % {"code": code},
                ), {}
            if CHANGE_MEMBERS not in request.scope.permissions_for(organization):
                return _refuse(
                    "organization_code",
                    _("Đồng chí không có quyền ghi đảng viên vào %(name)s.")
                    % {"name": organization.name},
                ), {}
        return timeline_act_correct, {
            "member": member, "act": act, "on": data.get("on"),
            "decision_no": (data.get("decision_no") or "").strip(),
            "organization": organization, "expected_version": version,
        }  # fmt: skip

    def cancel(_form):
        return timeline_act_cancel, {"member": member, "act": act, "expected_version": version}

    title = _("Sửa / Hủy: %(act)s ngày %(day)s") % {
        "act": act.get_type_display(),
        "day": act.on.strftime("%d/%m/%Y"),
    }
    return correction_page(
        request,
        obj=member,
        form_class=TimelineActForm,
        title=title,
        back_url=back_url,
        correct=correct,
        cancel=cancel,
        initial={
            "on": act.on,
            "decision_no": act.decision_no,
            "organization_code": where.code if where else "",
        },
        error_fields={
            "on": "on",
            "arrived_on": "on",
            "to": "organization_code",
            "organization": "organization_code",
        },  # fmt: skip
        context=context,
    )
