"""Pages: an organization's programmes and tasks (overdue marked), its monthly briefings —
generate a month's, edit its text, issue it, download it as DOCX in the Party layout."""

from datetime import date

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tochuc.accounts.access import organization_view, scoped_view
from tochuc.accounts.permissions import EXPORT, MANAGE_PROGRAMMES, REPORT_PROGRESS, VIEW
from tochuc.core import audit, uploads
from tochuc.core.corrections import correction_page
from tochuc.core.pages import (
    DATE,
    DOCX_TYPE,
    INT,
    PERCENT,
    TEXT,
    Col,
    Sheet,
    dated_filename,
    download,
    export_response,
    place,
    procedure_page,
)
from tochuc.documents.numbers import parse as parse_number
from tochuc.documents.selectors import document_by_number

from . import corrections as fixes
from . import documents, selectors, services
from .forms import (
    AttachForm,
    FileRemoveForm,
    ProgrammeForm,
    ProgressCorrectionForm,
    ProgressForm,
    TaskCorrectionForm,
    TaskForm,
)
from .models import Status


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


@scoped_view(VIEW)
def index(request):
    """The navigation's entry: the programmes of the user's (first) organization."""
    homes = request.scope.home_organizations()
    if not homes:
        raise Http404
    return redirect("programmes:list", code=homes[0].code)


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
            "can_export": EXPORT in request.org_perms,
            "can_manage": MANAGE_PROGRAMMES in request.org_perms and organization.is_active,
        },
    )


@organization_view(VIEW)
def briefing_list(request, organization):
    today = timezone.localdate()
    last_month = services.previous_month(today)
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


@organization_view(MANAGE_PROGRAMMES)
def programme_add(request, organization):
    form = ProgrammeForm(request.POST if request.method == "POST" else None)

    def call(form):
        number = form.cleaned_data["document"].strip()
        document = None
        if number:
            parsed = parse_number(number, field="document")
            document = document_by_number(organization=organization, number=str(parsed))
            if document is None:
                raise ValidationError(
                    {"document": _("Chưa có văn bản số %(n)s trong sổ.") % {"n": parsed}}
                )
        return services.programme_create(
            organization=organization,
            title=form.cleaned_data["title"],
            document=document,
            starts_on=form.cleaned_data["starts_on"],
            ends_on=form.cleaned_data["ends_on"],
            groups=form.groups_list(),
            by=request.user,
        )

    return procedure_page(
        request,
        form=form,
        call=call,
        done=lambda p: _("Đã lập chương trình: %(t)s.") % {"t": p.title},
        then=lambda p: reverse("programmes:task_add", args=[organization.code, p.pk]),
        template="documents/form.html",
        context={
            **place(request, organization, [_programmes_link(organization)]),
            "title": _("Lập chương trình hành động"),
            "cancel": reverse("programmes:list", args=[organization.code]),
        },
    )


@organization_view(MANAGE_PROGRAMMES)
def task_add(request, organization, pk):
    programme = (
        selectors.programme_list(organization=organization)
        .filter(organization__path__startswith=organization.path, pk=pk)
        .first()
    )
    if programme is None:
        raise Http404
    form = TaskForm(request.POST if request.method == "POST" else None, programme=programme)

    def call(form):
        codes = form.codes()
        found = {o.code: o for o in request.scope.organizations().filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise ValidationError(
                {"assignees": _("Không có tổ chức mã %(codes)s.") % {"codes": ", ".join(missing)}}
            )
        return services.task_add(
            group=programme.groups.get(pk=form.cleaned_data["group"]),
            title=form.cleaned_data["title"],
            assignees=[found[c] for c in codes],
            deadline=form.cleaned_data["deadline"],
            expected_output=form.cleaned_data["expected_output"],
            by=request.user,
        )

    return procedure_page(
        request,
        form=form,
        call=call,
        done=lambda t: _("Đã giao nhiệm vụ: %(t)s.") % {"t": t.title},
        then=reverse("programmes:task_add", args=[organization.code, programme.pk]),
        template="documents/form.html",
        context={
            **place(request, organization, [_programmes_link(organization)]),
            "title": _("Giao nhiệm vụ: %(t)s") % {"t": programme.title},
            "cancel": reverse("programmes:list", args=[organization.code]),
        },
    )


def _programmes_link(organization):
    return (_("Chương trình hành động"), reverse("programmes:list", args=[organization.code]))


TASK_COLUMNS = (
    Col(gettext_lazy("STT"), INT, 6),
    Col(gettext_lazy("Chương trình"), TEXT, 40),
    Col(gettext_lazy("Nhóm nhiệm vụ"), TEXT, 30),
    Col(gettext_lazy("Nhiệm vụ"), TEXT, 50),
    Col(gettext_lazy("Giao cho"), TEXT, 36),
    Col(gettext_lazy("Thời hạn"), DATE, 12),
    Col(gettext_lazy("Sản phẩm"), TEXT, 24),
    Col(gettext_lazy("Tình trạng"), TEXT, 16),
    Col(gettext_lazy("Tỷ lệ hoàn thành"), PERCENT, 12, 0),
    Col(gettext_lazy("Quá hạn"), TEXT, 10),
)


def _task_rows(tasks, today):
    for number, t in enumerate(tasks, start=1):
        overdue = t.deadline < today and t.status != Status.DONE
        yield [
            number,
            t.group.programme.title,
            str(t.group),
            t.title,
            ", ".join(a.name for a in t.assignees.all()),
            t.deadline,
            t.expected_output,
            t.get_status_display(),
            t.percent / 100,
            _("Quá hạn") if overdue else "",
        ]


@organization_view(EXPORT)
def task_export(request, organization):
    today = timezone.localdate()
    tasks = selectors.tasks_of(organization=organization).prefetch_related("assignees")
    return export_response(
        request,
        sheets=[Sheet(_("Nhiệm vụ"), TASK_COLUMNS, _task_rows(tasks, today))],
        filename=dated_filename(f"nhiem-vu-{organization.code}"),
        action="tochuc.programme.exported",
        obj=organization,
    )


# ---------------------------------------------------------------- one task, Sửa / Hủy, files


def _task_link(organization, task):
    return (task.title[:60], reverse("programmes:task", args=[organization.code, task.pk]))


@organization_view(VIEW)
def task_detail(request, organization, pk):
    """A task and its progress reports (with their files): what was reported, by whom."""
    task = selectors.tasks_of(organization=organization).filter(pk=pk).first()
    if task is None:
        raise Http404
    perms = request.org_perms
    reports = list(selectors.reports_of(task=task))
    own = {r.pk for r in selectors.reports_by(organization=organization).filter(task=task)}
    return render(
        request,
        "programmes/task.html",
        {
            **place(request, organization, [_programmes_link(organization)]),
            "task": task,
            "assignees": task.assignees.all(),
            "reports": reports,
            "own": own,
            "can_report": REPORT_PROGRESS in perms,
            "can_correct": MANAGE_PROGRAMMES in perms
            and selectors.tasks_set_by(organization=organization).filter(pk=task.pk).exists(),
            "can_report_here": REPORT_PROGRESS in perms
            and selectors.tasks_assigned(organization=organization).filter(pk=task.pk).exists(),
        },
    )


@organization_view(MANAGE_PROGRAMMES)
def task_correct(request, organization, pk):
    """Sửa / Hủy a task of a programme set in the subtree."""
    task = selectors.tasks_set_by(organization=organization).filter(pk=pk).first()
    if task is None:
        raise Http404
    back = reverse("programmes:task", args=[organization.code, task.pk])
    initial = {
        "title": task.title,
        "deadline": task.deadline,
        "expected_output": task.expected_output,
        "assignees": ", ".join(sorted(o.code for o in task.assignees.all())),
        "row_version": task.row_version,
    }

    def correct(form):
        codes = form.codes()
        found = {o.code: o for o in request.scope.organizations().filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise ValidationError(
                {"assignees": _("Không có tổ chức mã %(codes)s.") % {"codes": ", ".join(missing)}}
            )
        data = form.cleaned_data
        return fixes.task_correct, {
            "task": task,
            "expected_version": data.get("row_version"),
            "title": data.get("title"),
            "deadline": data.get("deadline"),
            "expected_output": data.get("expected_output"),
            "assignees": [found[c] for c in codes],
        }

    def cancel(form):
        return fixes.task_cancel, {
            "task": task,
            "expected_version": form.cleaned_data.get("row_version"),
        }

    return correction_page(
        request,
        obj=task,
        form_class=TaskCorrectionForm,
        title=_("Sửa / Hủy nhiệm vụ"),
        back_url=back,
        done_url=reverse("programmes:list", args=[organization.code]),
        initial=initial,
        correct=correct,
        cancel=cancel,
        context=place(request, organization, [_programmes_link(organization)]),
    )


def _own_report(organization, pk):
    report = selectors.reports_by(organization=organization).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


@organization_view(REPORT_PROGRESS)
def progress_correct(request, organization, pk):
    """Sửa / Hủy a progress report filed in the subtree; the task's state follows."""
    report = _own_report(organization, pk)
    back = reverse("programmes:task", args=[organization.code, report.task_id])
    initial = {name: getattr(report, name) for name in fixes.PROGRESS_FIELDS}
    initial["row_version"] = report.row_version

    def correct(form):
        return fixes.progress_correct, {
            "report": report,
            "expected_version": form.cleaned_data.get("row_version"),
            **form.changes(),
        }

    def cancel(form):
        return fixes.progress_cancel, {
            "report": report,
            "expected_version": form.cleaned_data.get("row_version"),
        }

    return correction_page(
        request,
        obj=report,
        form_class=ProgressCorrectionForm,
        title=_("Sửa / Hủy báo cáo tiến độ"),
        back_url=back,
        initial=initial,
        correct=correct,
        cancel=cancel,
        context=place(
            request,
            organization,
            [_programmes_link(organization), _task_link(organization, report.task)],
        ),
    )


@organization_view(REPORT_PROGRESS)
def progress_attach(request, organization, pk):
    """Attach a file (result, evidence) to a progress report filed in the subtree."""
    report = _own_report(organization, pk)
    back = reverse("programmes:task", args=[organization.code, report.task_id])
    form = AttachForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    return procedure_page(
        request,
        form=form,
        call=lambda form: fixes.progress_attach(
            report=report, upload=form.cleaned_data["file"], by=request.user
        ),
        done=lambda row: _("Đã đính kèm %(name)s.") % {"name": row.filename},
        then=back,
        template="documents/form.html",
        context={
            **place(
                request,
                organization,
                [_programmes_link(organization), _task_link(organization, report.task)],
            ),
            "title": _("Đính kèm tệp vào báo cáo tiến độ"),
            "help_text": _("Nhận tệp %(types)s, tối đa %(mb)s MB.")
            % {
                "types": ", ".join(f".{t}" for t in uploads.allowed_types()),
                "mb": settings.TOCHUC_ATTACHMENT_MAX_BYTES // 1048576,
            },
            "cancel": back,
            "multipart": True,
        },
    )


@organization_view(VIEW)
def progress_file(request, organization, file):
    """A file of a progress report on a task the subtree sets or is assigned (else 404);
    the download is audited."""
    row = selectors.progress_file(organization=organization, pk=file)
    if row is None:
        raise Http404
    audit.record(
        "tochuc.programme.file_downloaded",
        by=request.user,
        obj=row.report.task.group.programme,
        reason=row.report.task.title[:255],
        filename=row.filename,
    )
    return uploads.response(row)


@organization_view(REPORT_PROGRESS)
def progress_file_remove(request, organization, file):
    """Hủy a file attached by mistake to a report filed in the subtree (the reason is kept)."""
    row = selectors.progress_file(organization=organization, pk=file)
    if (
        row is None
        or not selectors.reports_by(organization=organization).filter(pk=row.report_id).exists()
    ):
        raise Http404
    back = reverse("programmes:task", args=[organization.code, row.report.task_id])
    return correction_page(
        request,
        obj=row,
        form_class=FileRemoveForm,
        title=_("Gỡ tệp %(name)s") % {"name": row.filename},
        back_url=back,
        cancel=lambda form: (fixes.progress_file_remove, {"row": row}),
        context=place(request, organization, [_programmes_link(organization)]),
    )
