"""Import pages: the importers a user may use, their templates, upload → check → confirm.

The uploaded file is kept in a job row and checked, then (once confirmed) written, by a
worker of the task queue (`tochuc.imports.jobs`); the status page follows the job's
progress, polling every second with htmx, and shows the preview, the errors, the failure
(with a button to run it again) or the result when it ends. Refreshing it or coming back
later works; the token is honoured only for the user who uploaded the file (404 for
anyone else). The confirmation reads and checks the file again: the preview is never
trusted.
"""

from __future__ import annotations

import time

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from tochuc.accounts.access import scoped_view
from tochuc.accounts.permissions import IMPORT
from tochuc.core.pages import XLSX_TYPE, download
from tochuc.lib import xlsx

from . import jobs, registry
from .forms import UploadForm

MULTIPART_OVERHEAD = 64 * 1024


def _importer(request, name: str) -> registry.Importer:
    try:
        importer = registry.get(name)
    except registry.UnknownImporter:
        raise Http404 from None
    if importer.permission not in request.org_perms:
        raise Http404
    return importer


def _job(request, importer, token: str) -> dict:
    """The caller's own job for this importer; anyone else's, or none, is not found."""
    state = jobs.owned(token, request.user, importer.name)
    if state is None:
        raise Http404
    return state


# ---------------------------------------------------------------- pages


@scoped_view(IMPORT)
def index(request):
    importers = registry.available_to(request.scope)
    names = {importer.name: importer for importer in importers}
    recent = [
        _summary(state, names[state["importer"]])
        for state in jobs.of_user(request.user)
        if state["importer"] in names
    ]
    return render(
        request,
        "imports/index.html",
        {"importers": importers, "form": UploadForm(), "recent": recent},
    )


@scoped_view(IMPORT)
def template(request, name):
    importer = _importer(request, name)
    return download(importer.template(), importer.template_filename(), XLSX_TYPE)


def _upload_page(request, importer, form, status=200, refusal=""):
    context = {"importer": importer, "form": form, "refusal": refusal}
    return render(request, "imports/upload.html", context, status=status)


@csrf_exempt  # checked below, once the declared size is known to be acceptable
@scoped_view(IMPORT)
def upload(request, name):
    importer = _importer(request, name)
    if request.method != "POST":
        return _upload_page(request, importer, UploadForm())
    # Refuse an oversized upload from its declared length, before Django reads the body.
    limits = xlsx.Limits.from_settings()
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limits.max_bytes + MULTIPART_OVERHEAD:
        try:
            xlsx.check_size(declared, limits)
        except xlsx.SpreadsheetError as error:
            refusal = error.messages[0]
        return _upload_page(request, importer, UploadForm(), status=413, refusal=refusal)
    return _check(request, importer)


@csrf_protect
def _check(request, importer):
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, importer, form)
    token = jobs.create(importer=importer, upload=form.cleaned_data["file"], user=request.user)
    state = jobs.load(token)
    jobs.start(state, mode=jobs.CHECK, user=request.user, language=get_language())
    return redirect("imports:status", name=importer.name, token=token)


@scoped_view(IMPORT)
@require_GET
def status(request, name, token):
    """The job's progress while it runs; its preview, errors or result once it ends.

    htmx polls every second for the fragment alone; the fragment that shows the end
    carries no trigger, so the polling stops by itself.
    """
    importer = _importer(request, name)
    state = _job(request, importer, token)
    context = _summary(state, importer)
    context["importer"] = importer
    fragment = request.headers.get("HX-Request")
    return render(request, f"imports/{'_status' if fragment else 'status'}.html", context)


@scoped_view(IMPORT)
@require_POST
def confirm(request, name):
    """Write a checked file. Rows the check flagged (likely duplicates) are written only with
    a reason, typed beside the button; without one the preview comes back with the error
    beside the field and nothing is written."""
    importer = _importer(request, name)
    state = _job(request, importer, request.POST.get("token", ""))
    reason = request.POST.get("reason", "").strip()[:200]
    if jobs.confirmable(state):
        outcome = jobs.outcome_of(state, importer)
        if outcome is not None and outcome.flags and not reason:
            context = _summary(state, importer)
            context["importer"] = importer
            context["reason_error"] = registry.flags_need_reason(outcome.flagged_rows)
            return render(request, "imports/status.html", context, status=400)
        jobs.start(
            state, mode=jobs.WRITE, user=request.user, language=get_language(), reason=reason
        )
    return redirect("imports:status", name=importer.name, token=state["token"])


@scoped_view(IMPORT)
@require_POST
def rerun(request, name):
    """Run a failed job again (a crash, a lost worker, a stop), from its kept file."""
    importer = _importer(request, name)
    state = _job(request, importer, request.POST.get("token", ""))
    if jobs.rerunnable(state):
        jobs.start(state, mode=state["mode"], user=request.user, language=get_language())
    return redirect("imports:status", name=importer.name, token=state["token"])


@scoped_view(IMPORT)
@require_POST
def cancel(request, name):
    """Stop a running job (it rolls back) or forget a checked one and its file."""
    importer = _importer(request, name)
    state = jobs.owned(request.POST.get("token", ""), request.user, importer.name)
    if state is not None and state["phase"] in jobs.RUNNING:
        messages.info(request, jobs.stop(state))
        return redirect("imports:status", name=importer.name, token=state["token"])
    if state is not None:
        jobs.delete(state["token"])
    messages.info(request, _("Đã hủy, tệp tải lên đã được xóa."))
    return redirect("imports:upload", name=importer.name)


# ---------------------------------------------------------------- what a status shows


def _elapsed(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return _("%(seconds)s giây") % {"seconds": seconds}
    return _("%(minutes)s phút %(seconds)02d giây") % {
        "minutes": seconds // 60,
        "seconds": seconds % 60,
    }


def _phase_label(state: dict) -> str:
    phase = state["phase"]
    if phase == registry.READING:
        return _("Đang đọc tệp")
    if phase == registry.CHECKING:
        return _("Đang kiểm tra")
    if phase == registry.WRITING:
        return _("Đang ghi thử") if state["mode"] == jobs.CHECK else _("Đang ghi")
    return _("Đang chờ đến lượt")


def _summary(state: dict, importer: registry.Importer) -> dict:
    """What the status page (and the index's list of recent imports) shows of a job."""
    running = state["phase"] in jobs.RUNNING
    done, total = state.get("done", 0), state.get("total", 0)
    end = time.time() if running else (state.get("finished") or state.get("updated", 0))
    outcome = jobs.outcome_of(state, importer)
    return {
        "job": state,
        "job_importer": importer,
        "running": running,
        "waiting_long": state["waiting_long"],
        "writing": state["mode"] == jobs.WRITE,
        "phase_label": _phase_label(state),
        "counted": state["phase"] in (registry.CHECKING, registry.WRITING) and total > 0,
        "done": done,
        "total": total,
        "percent": min(100, done * 100 // total) if total else 0,
        "elapsed": _elapsed(end - state.get("started", end)),
        "outcome": outcome,
        "failed": state["phase"] == jobs.FAILED,
        "crash": state.get("crash", ""),
        "token": state["token"] if jobs.confirmable(state) else "",
        "rerun": jobs.rerunnable(state),
        "imported": outcome is not None and outcome.written,
        "at_confirm": state["mode"] == jobs.WRITE,
    }
