"""The member's own pages (phone first): their record, the cell's calendar and documents,
their requests; and the activation page where a member sets their password with the code.

Every page but the activation is a `self_view`: the member comes from the account of the
signed-in user, and everything else is read through them (another member's anything: 404).
"""

from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from tochuc.awards.selectors import member_badges
from tochuc.committees.selectors import posts_of_member
from tochuc.core.pages import download, procedure_page, show_refusal, today
from tochuc.meetings.selectors import attended_by
from tochuc.members.models import PERSONAL_FIELDS
from tochuc.members.selectors import member_party_age, member_timeline
from tochuc.ratings.selectors import ratings_of

from . import accounts, selectors, services
from .access import self_view
from .forms import ActivationForm, AssessmentForm, CorrectionForm, TransferLetterForm
from .models import RequestKind

MEETINGS_BACK_DAYS = 365  # the attendance shown: the last year


@self_view
def home(request, member):
    on = today()
    planned = selectors.planned_since(member=member, since=on)
    return render(request, "selfservice/home.html", {
        "member": member, "party_age": member_party_age(member=member, on=on),
        "next_meeting": planned[0] if planned else None, "due": selectors.due_items(member, on),
        "pending": selectors.requests_of(member=member).filter(state="pending").count(),
    })  # fmt: skip


@self_view
def record(request, member):
    on = today()
    dues, owed = selectors.dues_owed(member, on)
    held = [
        (member._meta.get_field(name).verbose_name, _display(member, name))
        for name in PERSONAL_FIELDS
    ]
    return render(request, "selfservice/record.html", {
        "member": member, "held": held, "timeline": member_timeline(member=member),
        "party_age": member_party_age(member=member, on=on),
        "posts": list(posts_of_member(member=member)),
        "badges": member_badges(member=member, today=on),
        "ratings": list(ratings_of(member=member)[:10]),
        "dues": dues, "owed": owed, "year": on.year,
    })  # fmt: skip


def _display(member, name: str) -> str:
    getter = getattr(member, f"get_{name}_display", None)
    value = getter() if getter else getattr(member, name)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return value or "—"


@self_view
def meetings(request, member):
    on = today()
    return render(request, "selfservice/meetings.html", {
        "member": member, "planned": selectors.planned_since(member=member, since=on),
        "attended": attended_by(member=member, since=on - timedelta(days=MEETINGS_BACK_DAYS)),
    })  # fmt: skip


@self_view
def documents(request, member):
    page = selectors.documents_for(member=member, page=request.GET.get("trang"))
    return render(request, "selfservice/documents.html", {
        "member": member, "documents": page.object_list, "page": page,
    })  # fmt: skip


@self_view
def document(request, member, pk: int):
    found = selectors.document_for(member=member, pk=pk)
    read = services.document_open(member=member, document=found, by=request.user)
    return render(request, "selfservice/document.html", {
        "member": member, "document": found, "read": read,
        "files": selectors.attachments_of(document=found),
    })  # fmt: skip


@self_view
def document_file(request, member, pk: int, file: int):
    """A file attached to a document sent to the member's cell (a secret one's: never)."""
    found = selectors.document_for(member=member, pk=pk)
    attachment = selectors.attachment_for(document=found, pk=file)
    services.document_file_downloaded(member=member, attachment=attachment, by=request.user)
    return download(bytes(attachment.content), attachment.filename, attachment.content_type)


@self_view
def requests(request, member):
    subject, _criteria = selectors.assessment_sheet(member)
    return render(request, "selfservice/requests.html", {
        "member": member, "requests": selectors.requests_of(member=member),
        "assessment_open": subject is not None,
    })  # fmt: skip


NEW_REQUEST = {
    "sua-thong-tin": RequestKind.CORRECTION,
    "giay-gioi-thieu": RequestKind.TRANSFER_LETTER,
    "tu-danh-gia": RequestKind.SELF_ASSESSMENT,
}


@self_view
@require_http_methods(["GET", "POST"])
def request_new(request, member, kind: str):
    chosen = NEW_REQUEST.get(kind)
    if chosen is None:
        raise Http404
    data = request.POST if request.method == "POST" else None
    context = {"member": member, "kind": RequestKind(chosen)}
    if chosen == RequestKind.CORRECTION:
        form = CorrectionForm(data, member=member)

        def call(f):
            return services.request_correction(
                member=member, field=f.cleaned_data["field"],
                asked_value=f.cleaned_data["asked_value"], note=f.cleaned_data["note"],
                by=request.user,
            )  # fmt: skip
    elif chosen == RequestKind.TRANSFER_LETTER:
        form = TransferLetterForm(data)

        def call(f):
            return services.request_transfer_letter(
                member=member, destination=f.cleaned_data["destination"],
                moving_on=f.cleaned_data["moving_on"], note=f.cleaned_data["note"],
                by=request.user,
            )  # fmt: skip
    else:
        subject, criteria = selectors.assessment_sheet(member)
        context["subject"] = subject
        form = AssessmentForm(data, criteria=criteria)

        def call(f):
            return services.request_self_assessment(
                member=member, scores=f.scores(), comment=f.cleaned_data["comment"],
                by=request.user,
            )  # fmt: skip

    return procedure_page(
        request, form=form, call=call,
        done=lambda r: _("Đã gửi yêu cầu; hạn trả lời %(day)s.") % {"day": f"{r.due_on:%d/%m/%Y}"},
        then="selfservice:requests", template="selfservice/request_form.html", context=context,
    )  # fmt: skip


@self_view
@require_POST
def request_withdraw(request, member, pk: int):
    found = selectors.request_of_member(member=member, pk=pk)
    try:
        services.request_withdraw(request=found, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã rút yêu cầu."))
    return redirect("selfservice:requests")


@login_not_required
@never_cache
@sensitive_post_parameters("code", "password1", "password2")
@require_http_methods(["GET", "POST"])
def activate(request):
    """The member sets their password with the one-time code (no sign-in yet)."""
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        identifier = form.cleaned_data["identifier"]
        if accounts.activation_locked(request, identifier):
            context = {"cooloff_timedelta": timedelta(hours=settings.AXES_COOLOFF_TIME)}
            return render(request, "registration/locked_out.html", context, status=429)
        try:
            accounts.account_activate(
                identifier=identifier, code=form.cleaned_data["code"],
                password=form.cleaned_data["password1"], request=request,
            )  # fmt: skip
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                _("Đã kích hoạt tài khoản. Đồng chí đăng nhập bằng số CCCD (hoặc số thẻ đảng "
                  "viên) và mật khẩu vừa đặt."),
            )  # fmt: skip
            return redirect("login")
    return render(request, "selfservice/activate.html", {"form": form})
