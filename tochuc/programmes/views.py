"""Pages: an organization's programmes and tasks (overdue marked), its monthly briefings —
generate a month's, edit its text, issue it, download it as DOCX in the Party layout."""

from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tochuc.accounts.access import organization_view
from tochuc.accounts.permissions import EXPORT, MANAGE_PROGRAMMES, REPORT_PROGRESS, VIEW
from tochuc.core import audit
from tochuc.core.pages import DOCX_TYPE, download, place, procedure_page

from . import documents, selectors, services
from .forms import ProgressForm


class TextForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Nội dung báo cáo"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 24}),
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput)


def _month(text: str) -> date:
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise Http404 from None


def _briefing(organization, month: str):
    found = selectors.briefing_list(organization=organization).filter(month=_month(month)).first()
    if found is None:
        raise Http404
    return found


@organization_view(VIEW)
def programme_list(request, organization):
    today = timezone.localdate()
    programmes = list(
        selectors.programme_list(organization=organization).prefetch_related(
            "groups__tasks__assignees"
        )
    )
    return render(
        request,
        "programmes/list.html",
        {
            **place(request, organization),
            "programmes": programmes,
            "today": today,
            "overdue": selectors.tasks_overdue(organization=organization, on=today),
            "mine": set(
                selectors.tasks_assigned(organization=organization).values_list("pk", flat=True)
            ),
            "can_report": REPORT_PROGRESS in request.org_perms,
        },
    )


@organization_view(VIEW)
def briefing_list(request, organization):
    today = timezone.localdate()
    last_month = services.month_start(services.month_start(today) - timedelta(days=1))
    return render(
        request,
        "programmes/briefings.html",
        {
            **place(request, organization),
            "briefings": selectors.briefing_list(organization=organization),
            "last_month": last_month,
            "can_manage": MANAGE_PROGRAMMES in request.org_perms,
        },
    )


@organization_view(MANAGE_PROGRAMMES)
@require_POST
def briefing_generate(request, organization):
    month = request.POST.get("thang", "")
    try:
        briefing = services.briefing_draft(
            organization=organization, month=_month(month), by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("programmes:briefings", organization.code)
    messages.success(
        request,
        _("Đã lập dự thảo báo cáo giao ban tháng %(m)s.") % {"m": f"{briefing.month:%m/%Y}"},
    )
    return redirect("programmes:briefing", organization.code, f"{briefing.month:%Y-%m}")


@organization_view(VIEW)
def briefing_detail(request, organization, month):
    briefing = _briefing(organization, month)
    form = TextForm(initial={"text": briefing.text, "row_version": briefing.row_version})
    return render(
        request,
        "programmes/briefing.html",
        {
            **place(
                request,
                organization,
                [(_("Giao ban"), reverse("programmes:briefings", args=[organization.code]))],
            ),
            "briefing": briefing,
            "form": form,
            "can_manage": MANAGE_PROGRAMMES in request.org_perms and not briefing.is_issued,
        },
    )


@organization_view(MANAGE_PROGRAMMES)
@require_POST
def briefing_save(request, organization, month):
    briefing = _briefing(organization, month)
    form = TextForm(request.POST)
    back = redirect("programmes:briefing", organization.code, month)
    if not form.is_valid():
        return back
    try:
        if "ban_hanh" in request.POST:
            briefing = services.briefing_edit(
                briefing=briefing,
                text=form.cleaned_data["text"],
                row_version=form.cleaned_data["row_version"],
                by=request.user,
            )
            services.briefing_issue(
                briefing=briefing, row_version=briefing.row_version, by=request.user
            )
            messages.success(request, _("Đã ban hành báo cáo giao ban."))
        else:
            services.briefing_edit(
                briefing=briefing,
                text=form.cleaned_data["text"],
                row_version=form.cleaned_data["row_version"],
                by=request.user,
            )
            messages.success(request, _("Đã lưu nội dung báo cáo."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return back


@organization_view(EXPORT)
def briefing_docx(request, organization, month):
    briefing = _briefing(organization, month)
    data = documents.briefing_document(briefing=briefing)
    audit.record("tochuc.briefing.downloaded", by=request.user, obj=briefing)
    return download(data, f"giao-ban-{organization.code}-{briefing.month:%Y-%m}.docx", DOCX_TYPE)


@organization_view(REPORT_PROGRESS)
def progress_add(request, organization, pk):
    """The assignee's progress report on one of its tasks (a cell secretary, on a phone)."""
    task = selectors.tasks_assigned(organization=organization).filter(pk=pk).first()
    if task is None:
        raise Http404
    form = ProgressForm(
        request.POST if request.method == "POST" else None,
        initial={
            "reported_on": timezone.localdate(),
            "status": task.status,
            "percent": task.percent,
        },
    )
    return procedure_page(
        request,
        form=form,
        call=lambda form: services.progress_report(
            task=task, organization=organization, by=request.user, **form.cleaned_data
        ),
        done=_("Đã ghi báo cáo tiến độ."),
        then=reverse("programmes:list", args=[organization.code]),
        template="documents/form.html",
        context={
            **place(
                request,
                organization,
                [
                    (
                        _("Chương trình hành động"),
                        reverse("programmes:list", args=[organization.code]),
                    )
                ],
            ),
            "title": task.title,
            "help_text": _("Thời hạn %(d)s. %(output)s")
            % {"d": task.deadline.strftime("%d/%m/%Y"), "output": task.expected_output},
            "cancel": reverse("programmes:list", args=[organization.code]),
        },
    )
