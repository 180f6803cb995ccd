"""Import pages: the importers a user may use, their templates, upload → preview → confirm.

The uploaded file waits between the preview and the confirmation in
VAR_DIR/uploads/<token>.xlsx; the random token is only honoured for the session it was
issued to, and the file is deleted once imported or cancelled (stale ones after a day).
The confirmation reads and checks the file again: the preview is never trusted.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from tochuc.accounts.access import scoped_view
from tochuc.accounts.permissions import IMPORT
from tochuc.lib import xlsx

from . import registry
from .forms import UploadForm

SESSION_KEY = "tochuc_imports"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
KEEP_SECONDS = 24 * 3600
MAX_PENDING = 5
MULTIPART_OVERHEAD = 64 * 1024
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _importer(request, name: str) -> registry.Importer:
    try:
        importer = registry.get(name)
    except registry.UnknownImporter:
        raise Http404 from None
    if importer.permission not in request.org_perms:
        raise Http404
    return importer


def _upload_dir() -> Path:
    path = Path(settings.VAR_DIR) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _sweep(directory: Path) -> None:
    """Forget uploads left waiting longer than a day."""
    limit = time.time() - KEEP_SECONDS
    for stale in directory.glob("*.xlsx"):
        try:
            if stale.stat().st_mtime < limit:
                stale.unlink()
        except OSError:
            pass


def _pending(request) -> dict:
    return request.session.get(SESSION_KEY, {})


def _keep(request, importer, upload) -> str:
    directory = _upload_dir()
    _sweep(directory)
    token = secrets.token_urlsafe(32)
    with (directory / f"{token}.xlsx").open("wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    pending = _pending(request)
    pending[token] = {"name": importer.name, "filename": upload.name[:200], "at": time.time()}
    while len(pending) > MAX_PENDING:
        oldest = min(pending, key=lambda t: pending[t]["at"])
        _forget(request, oldest, pending)
    request.session[SESSION_KEY] = pending
    return token


def _forget(request, token: str, pending: dict | None = None) -> None:
    pending = _pending(request) if pending is None else pending
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    if TOKEN.match(token):
        (_upload_dir() / f"{token}.xlsx").unlink(missing_ok=True)


def _kept(request, importer, token: str) -> tuple[Path, dict]:
    """The waiting file for `token`, if this session uploaded it for this importer."""
    entry = _pending(request).get(token) if TOKEN.match(token or "") else None
    if entry is None or entry.get("name") != importer.name:
        raise Http404
    path = _upload_dir() / f"{token}.xlsx"
    if not path.is_file():
        _forget(request, token)
        raise Http404
    return path, entry


# ---------------------------------------------------------------- pages


@scoped_view(IMPORT)
def index(request):
    importers = registry.available_to(request.scope)
    return render(request, "imports/index.html", {"importers": importers, "form": UploadForm()})


@scoped_view(IMPORT)
def template(request, name):
    importer = _importer(request, name)
    return HttpResponse(
        importer.template(),
        content_type=XLSX_TYPE,
        headers={
            "Content-Disposition": content_disposition_header(True, importer.template_filename())
        },
    )


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
    return _preview(request, importer)


@csrf_protect
def _preview(request, importer):
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, importer, form)
    upload = form.cleaned_data["file"]
    token = _keep(request, importer, upload)
    path, entry = _kept(request, importer, token)
    outcome = registry.run_import(
        importer, path, scope=request.scope, by=request.user, dry_run=True,
        filename=entry["filename"],
    )  # fmt: skip
    if not outcome.ok or outcome.created + outcome.changed == 0:
        _forget(request, token)
        token = ""
    return render(
        request,
        "imports/preview.html",
        {"importer": importer, "outcome": outcome, "token": token},
    )


@scoped_view(IMPORT)
@require_POST
def confirm(request, name):
    importer = _importer(request, name)
    token = request.POST.get("token", "")
    path, entry = _kept(request, importer, token)
    try:
        outcome = registry.run_import(
            importer, path, scope=request.scope, by=request.user, filename=entry["filename"]
        )
    finally:
        _forget(request, token)
    if not outcome.ok:
        return render(
            request,
            "imports/preview.html",
            {"importer": importer, "outcome": outcome, "token": "", "at_confirm": True},
        )
    messages.success(
        request,
        _("Đã nhập %(what)s từ tệp %(filename)s: %(summary)s.")
        % {"what": importer.title, "filename": entry["filename"], "summary": outcome.summary},
    )
    return redirect("imports:index")


@scoped_view(IMPORT)
@require_POST
def cancel(request, name):
    importer = _importer(request, name)
    token = request.POST.get("token", "")
    if token in _pending(request):
        _forget(request, token)
    messages.info(request, _("Đã hủy, tệp tải lên đã được xóa."))
    return redirect("imports:upload", name=importer.name)
