"""Pages of the registry for an organization in scope: the list (search, filters, XLSX),
register a received document, issue one, a document's page (links, files, distribution and
read receipts), and the secretary's "đã đọc".

Out of scope → 404, in scope without the permission → 403 (the gate's decorators). A
document the organization may not read (`selectors.visible_to`) is not found (404).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tochuc.accounts.access import organization_view, scoped_view
from tochuc.accounts.permissions import EXPORT, MANAGE_DOCUMENTS, RECEIVE_DOCUMENTS, VIEW
from tochuc.core import audit, uploads
from tochuc.core.corrections import correction_page
from tochuc.core.pages import (
    DATE,
    INT,
    TEXT,
    Col,
    Sheet,
    dated_filename,
    download,
    export_response,
    place,
    procedure_page,
    show_refusal,
)
from tochuc.lib.search import QueryTooLong

from . import citations, forms, numbers, selectors, services
from . import corrections as fixes
from .models import Document, Validity

PAGE_SIZE = 100
ANY = [("", gettext_lazy("Tất cả"))]


def _list_link(organization):
    return (_("Văn bản"), reverse("documents:list", args=[organization.code]))


def _document(organization, pk) -> Document:
    try:
        return selectors.document_get(organization=organization, pk=pk)
    except Document.DoesNotExist:
        raise Http404 from None


@scoped_view(VIEW)
def index(request):
    homes = request.scope.home_organizations()
    if not homes:
        raise Http404
    return redirect("documents:list", code=homes[0].code)


def _filters(request) -> tuple[selectors.DocumentFilters, dict]:
    get = request.GET
    year = get.get("nam", "").strip()
    chosen = {
        "q": get.get("q", "").strip(),
        "loai": get.get("loai", "") if get.get("loai", "") in numbers.KINDS else "",
        "co_quan": get.get("co_quan", "").strip()[:30],
        "nam": year if year.isdigit() and len(year) == 4 else "",
        "hieu_luc": get.get("hieu_luc", "") if get.get("hieu_luc", "") in Validity.values else "",
    }
    filters = selectors.DocumentFilters(
        text=chosen["q"],
        kind=chosen["loai"],
        issuer=chosen["co_quan"],
        year=int(chosen["nam"]) if chosen["nam"] else None,
        validity=chosen["hieu_luc"],
    )
    return filters, chosen


def _listed(organization, filters):
    """The list, or none and the message when the search text is over the caps."""
    try:
        qs = selectors.document_list(organization=organization, filters=filters)
        qs.exists()
    except QueryTooLong as error:
        return Document.objects.none(), error.message
    return qs, ""


@organization_view(VIEW)
def document_list(request, organization):
    from urllib.parse import urlencode

    filters, chosen = _filters(request)
    qs, error = _listed(organization, filters)
    total = qs.count()
    rows = list(qs[:PAGE_SIZE])
    for row in rows:
        row.validity_label = Validity(selectors.validity(row)).label
    perms = request.org_perms
    return render(
        request,
        "documents/list.html",
        {
            **place(request, organization),
            "rows": rows,
            "total": total,
            "more": total > PAGE_SIZE,
            "error": error,
            "chosen": chosen,
            "kinds": [*ANY, *((k, f"{k} — {v}") for k, v in numbers.KINDS.items())],
            "validities": [*ANY, *Validity.choices],
            "query": urlencode({k: v for k, v in chosen.items() if v}),
            "unread": selectors.unread_for(organization=organization).filter(
                organization=organization
            )[:20],
            "can_manage": MANAGE_DOCUMENTS in perms and organization.is_active,
            "can_export": EXPORT in perms,
        },
    )


COLUMNS = (
    Col(gettext_lazy("STT"), INT, 6),
    Col(gettext_lazy("Số, ký hiệu"), TEXT, 18),
    Col(gettext_lazy("Loại"), TEXT, 14),
    Col(gettext_lazy("Cơ quan ban hành"), TEXT, 12),
    Col(gettext_lazy("Ngày ban hành"), DATE, 14),
    Col(gettext_lazy("Trích yếu"), TEXT, 60),
    Col(gettext_lazy("Độ mật"), TEXT, 10),
    Col(gettext_lazy("Hiệu lực"), TEXT, 24),
    Col(gettext_lazy("Tổ chức đăng ký"), TEXT, 30),
)


def _rows(qs):
    for number, d in enumerate(qs, start=1):
        yield [
            number,
            d.number,
            str(numbers.KINDS.get(d.kind, d.kind)),
            d.issuer,
            d.issued_on,
            d.title,
            d.get_classification_display(),
            str(Validity(selectors.validity(d)).label),
            d.organization.name,
        ]


@organization_view(EXPORT)
def document_export(request, organization):
    filters, chosen = _filters(request)
    qs, _error = _listed(organization, filters)
    return export_response(
        request,
        sheets=[Sheet(_("Văn bản"), COLUMNS, _rows(qs.iterator(chunk_size=500)))],
        filename=dated_filename(f"van-ban-{organization.code}"),
        action="tochuc.document.exported",
        obj=organization,
        **{k: v for k, v in chosen.items() if v},
    )


def _form_page(request, organization, *, form, call, title, help_text):
    return procedure_page(
        request,
        form=form,
        call=call,
        done=lambda d: _("Đã đăng ký văn bản %(number)s.") % {"number": d.number},
        then=lambda d: reverse("documents:detail", args=[organization.code, d.pk]),
        template="documents/form.html",
        context={
            **place(request, organization, [_list_link(organization)]),
            "title": title,
            "help_text": help_text,
            "cancel": reverse("documents:list", args=[organization.code]),
        },
    )


@organization_view(MANAGE_DOCUMENTS)
def document_register(request, organization):
    form = forms.RegisterForm(request.POST if request.method == "POST" else None)
    return _form_page(
        request,
        organization,
        form=form,
        title=_("Đăng ký văn bản đến"),
        call=lambda form: services.document_register(
            organization=organization, by=request.user, **form.service_kwargs()
        ),
        help_text=_("Văn bản của cấp trên hoặc nơi khác gửi đến, ghi số như trên văn bản."),
    )


@organization_view(MANAGE_DOCUMENTS)
def document_issue(request, organization):
    form = forms.IssueForm(request.POST if request.method == "POST" else None)
    return _form_page(
        request,
        organization,
        form=form,
        title=_("Ban hành văn bản"),
        call=lambda form: services.document_issue(
            issuer=organization, by=request.user, **form.service_kwargs()
        ),
        help_text=_("Số văn bản do hệ thống cấp, nối tiếp theo loại văn bản và năm của %(name)s.")
        % {"name": organization.name},
    )


@organization_view(VIEW)
def document_detail(request, organization, pk):
    document = _document(organization, pk)
    links_out, links_in = selectors.links_of(document)
    perms = request.org_perms
    own_receipt = (
        selectors.receipts_of(document=document, organization=organization)
        .filter(organization=organization)
        .first()
    )
    return render(
        request,
        "documents/detail.html",
        {
            **place(request, organization, [_list_link(organization)]),
            "document": document,
            "validity": Validity(selectors.validity(document)).label,
            "citations": citations.citing(document.number),
            "kind_label": numbers.KINDS.get(document.kind, document.kind),
            "links_out": links_out,
            "links_in": links_in,
            "attachments": document.attachments.defer("content"),
            "receipts": selectors.receipts_of(document=document, organization=organization),
            "distributions": selectors.distributions_of(
                document=document, organization=organization
            ),
            "own_receipt": own_receipt,
            "can_manage": MANAGE_DOCUMENTS in perms and organization.is_active,
            "can_manage_in_scope": MANAGE_DOCUMENTS in perms,
            "can_correct": MANAGE_DOCUMENTS in perms and _registered_under(document, organization),
            "can_receive": RECEIVE_DOCUMENTS in perms,
            "link_form": forms.LinkForm(),
            "distribute_form": forms.DistributeForm(),
            "attach_form": forms.AttachForm(),
        },
    )


def _act(request, organization, document, form, act):
    """A small form on a document: POST → `act(form)` (a service, returning the message) →
    back to the document; a refusal is shown beside its field."""
    back = reverse("documents:detail", args=[organization.code, document.pk])
    if request.method == "POST" and form.is_valid():
        try:
            message = act(form)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, message)
            return redirect(back)
    return render(
        request,
        "documents/form.html",
        {
            **place(request, organization, [_list_link(organization), (document.number, back)]),
            "title": document.number,
            "form": form,
            "cancel": back,
            "multipart": isinstance(form, forms.AttachForm),
        },
    )


@organization_view(MANAGE_DOCUMENTS)
def document_link(request, organization, pk):
    document = _document(organization, pk)
    form = forms.LinkForm(request.POST or None)

    def act(form):
        number = form.cleaned_data["target"]
        parsed = numbers.parse(number, field="target")
        target = selectors.document_by_number(organization=organization, number=str(parsed))
        if target is None:
            raise ValidationError(
                {"target": _("Chưa có văn bản số %(number)s trong sổ.") % {"number": parsed}}
            )
        link = services.document_link(
            source=document, target=target, relation=form.cleaned_data["relation"], by=request.user
        )
        return _("Đã ghi: %(link)s.") % {"link": link}

    return _act(request, organization, document, form, act)


@organization_view(MANAGE_DOCUMENTS)
def document_distribute(request, organization, pk):
    document = _document(organization, pk)
    form = forms.DistributeForm(request.POST or None)

    def act(form):
        code = form.cleaned_data["organization"].strip()
        found = request.scope.organizations().filter(code=code).first()
        if found is None or not found.path.startswith(organization.path):
            raise ValidationError(
                {
                    "organization": _("Không có tổ chức mã %(code)s trong %(name)s.")
                    % {"code": code, "name": organization.name}
                }
            )
        distribution = services.document_distribute(
            document=document,
            organization=found,
            sent_on=form.cleaned_data["sent_on"],
            by=request.user,
        )
        return _("Đã gửi %(number)s đến %(name)s (%(n)s nơi nhận).") % {
            "number": document.number,
            "name": found.name,
            "n": distribution.receipts.count(),
        }

    return _act(request, organization, document, form, act)


@organization_view(MANAGE_DOCUMENTS)
def document_attach(request, organization, pk):
    document = _document(organization, pk)
    form = forms.AttachForm(request.POST or None, request.FILES or None)

    def act(form):
        upload = form.cleaned_data["file"]
        name = uploads.check(upload)  # size, type, name: the same checks as every attachment
        services.attachment_add(
            document=document,
            upload=services.Upload(name, upload.content_type or "", b"".join(upload.chunks())),
            by=request.user,
        )
        return _("Đã đính kèm %(name)s.") % {"name": name}

    return _act(request, organization, document, form, act)


@organization_view(VIEW)
def attachment_download(request, organization, pk, file):
    document = _document(organization, pk)
    attachment = document.attachments.filter(pk=file).first()
    if attachment is None:
        raise Http404
    audit.record(
        "tochuc.document.file_downloaded", by=request.user, obj=document,
        reason=document.number, filename=attachment.filename,
    )  # fmt: skip
    return download(bytes(attachment.content), attachment.filename, attachment.content_type)


@organization_view(RECEIVE_DOCUMENTS)
@require_POST
def receipt_read(request, organization, pk):
    document = _document(organization, pk)
    receipt = (
        selectors.receipts_of(document=document, organization=organization)
        .filter(organization=organization)
        .first()
    )
    if receipt is None:
        raise Http404
    services.receipt_mark_read(receipt=receipt, by=request.user)
    messages.success(
        request,
        _("Đã ghi nhận: %(name)s đã đọc %(number)s.")
        % {"name": organization.name, "number": document.number},
    )
    return redirect("documents:detail", organization.code, document.pk)


# ---------------------------------------------------------------- Sửa / Hủy


def _registered_under(document, organization) -> bool:
    """Whether `organization`'s officers keep `document` (registered in its subtree); a
    document from above is only read there."""
    return document.organization.path.startswith(organization.path)


def _own_document(organization, pk) -> Document:
    document = _document(organization, pk)
    if not _registered_under(document, organization):
        raise Http404
    return document


@organization_view(MANAGE_DOCUMENTS)
def document_correct(request, organization, pk):
    """Sửa / Hủy a document registered in the subtree: cancelling withdraws its distribution."""
    document = _own_document(organization, pk)
    back = reverse("documents:detail", args=[organization.code, document.pk])
    initial = {name: getattr(document, name) for name in fixes.FIELDS}
    initial["row_version"] = document.row_version

    def correct(form):
        return fixes.document_correct, {
            "document": document,
            "expected_version": form.cleaned_data.get("row_version"),
            **form.changes(),
        }

    def cancel(form):
        return fixes.document_cancel, {
            "document": document,
            "expected_version": form.cleaned_data.get("row_version"),
        }

    return correction_page(
        request,
        obj=document,
        form_class=forms.DocumentCorrectionForm,
        title=_("Sửa / Hủy văn bản %(number)s") % {"number": document.number},
        back_url=back,
        done_url=reverse("documents:list", args=[organization.code]),
        initial=initial,
        correct=correct,
        cancel=cancel,
        context=place(request, organization, [_list_link(organization), (document.number, back)]),
    )


@organization_view(MANAGE_DOCUMENTS)
def link_cancel(request, organization, pk, link):
    """Hủy a link of the document recorded by mistake (the reason is kept)."""
    document = _own_document(organization, pk)
    found = document.links_out.filter(pk=link).select_related("target").first()
    # Withdrawn by whoever sent it: the level whose registry holds the document, or the
    # officer who forwarded it; a recipient cannot withdraw what the level above sent it.
    if found is None or not (
        _registered_under(document, organization) or found.sent_by_id == request.user.pk
    ):
        raise Http404
    back = reverse("documents:detail", args=[organization.code, document.pk])
    return correction_page(
        request,
        obj=document,
        form_class=forms.LinkCancelForm,
        title=_("Hủy liên kết: %(link)s") % {"link": found},
        back_url=back,
        cancel=lambda form: (fixes.link_cancel, {"link": found}),
        context=place(request, organization, [_list_link(organization), (document.number, back)]),
    )


@organization_view(MANAGE_DOCUMENTS)
def distribution_withdraw(request, organization, pk, distribution):
    """Thu hồi one distribution sent to the wrong subtree: the preview says how many
    recipients lose the document and how many had read it; the reason is kept."""
    document = _document(organization, pk)
    found = (
        selectors.distributions_of(document=document, organization=organization)
        .filter(pk=distribution)
        .first()
    )
    # Withdrawn by whoever sent it: the level whose registry holds the document, or the
    # officer who forwarded it; a recipient cannot withdraw what the level above sent it.
    if found is None or not (
        _registered_under(document, organization) or found.sent_by_id == request.user.pk
    ):
        raise Http404
    back = reverse("documents:detail", args=[organization.code, document.pk])
    return correction_page(
        request,
        obj=found,
        form_class=forms.LinkCancelForm,
        title=_("Thu hồi %(number)s đã gửi đến %(name)s")
        % {"number": document.number, "name": found.organization.name},
        back_url=back,
        cancel=lambda form: (fixes.distribution_withdraw, {"distribution": found}),
        context=place(request, organization, [_list_link(organization), (document.number, back)]),
    )
