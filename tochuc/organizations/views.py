"""Organization pages: search, the organization with its tree as of a date, its history,
and one form per restructuring event (with a preview of its effect before saving)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tochuc.accounts.access import organization_view, scoped_view
from tochuc.accounts.permissions import CHANGE_ORGANIZATIONS, VIEW
from tochuc.core.corrections import correction_page
from tochuc.core.pages import date_in_view, place, show_refusal
from tochuc.lib import search as search_query
from tochuc.lib.dates import vn_date

from . import corrections, forms, hooks, selectors, services
from .models import Kind, Organization
from .tree_rows import tree_rows

PAGE_SIZE = 50
HISTORY_SIZE = 50


@scoped_view(VIEW)
def search(request):
    typed = search_query.from_request(request)
    kind = request.GET.get("loai", "")
    status = request.GET.get("trang_thai", "hoat_dong")
    active = {"hoat_dong": True, "da_cham_dut": False}.get(status)
    results = selectors.organization_search(
        scope=request.scope,
        text=typed.text,
        kinds=[kind] if kind in Kind.values else None,
        active=active,
    )
    if typed.error:  # shown beside the box; nothing is listed
        results = results.none()
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return render(
        request,
        "organizations/search.html",
        {
            "page": page,
            "text": typed.shown,
            "query_error": typed.error,
            "kind": kind,
            "status": status,
            "kinds": Kind.choices,
            "query": query.urlencode(),
        },
    )


@scoped_view(VIEW)
def picker(request):
    """htmx: organizations matching ?q, as buttons that fill the input named by ?target."""
    query = search_query.from_request(request)
    target = request.GET.get("target", "")
    results = []
    if len(query.text) >= 2:
        results = selectors.organization_search(scope=request.scope, text=query.text)[:15]
    return render(
        request,
        "organizations/_picker.html",
        {"results": results, "target": target, "query_error": query.error},
    )


def _tree_context(request, organization, on, version=selectors.UNREAD, children=None):
    if children is None:
        children = selectors.children_on(scope=request.scope, organization=organization, on=on)
    totals, per_child = selectors.subtree_counts_on(
        scope=request.scope, organization=organization, on=on, children=children,
        version=version,
    )  # fmt: skip
    rows = [(child, per_child.get(child.organization_id)) for child in children]
    # The date as the links carry it, formatted once rather than twice per child.
    on_text = vn_date(on)
    return {
        "children": rows,
        "tree_rows": tree_rows(rows, on_text),
        "totals": totals,
        "on": on,
        "on_text": on_text,
    }


@organization_view(VIEW)
def detail(request, organization):
    on, date_error = date_in_view(request)
    # Read once for the whole page (breadcrumb, title, tree and its counts), in one query,
    # which says too whether there are predecessors and a history to read.
    read = selectors.version_and_children_on(scope=request.scope, organization=organization, on=on)
    version, children = read.version, read.children
    predecessors = request.scope.organizations().filter(successor=organization)
    context = {
        **place(request, organization, on=on, version=version),
        "version": version,
        "history": _history_rows(request, organization) if read.has_history is not False else [],
        "predecessors": predecessors if read.has_predecessors is not False else [],
        "successor_visible": bool(
            organization.successor and request.scope.contains(organization.successor)
        ),
        "date_error": date_error,
        "past": on != timezone.localdate(),
        "can_change": CHANGE_ORGANIZATIONS in request.org_perms and organization.is_active,
        "can_correct": CHANGE_ORGANIZATIONS in request.org_perms,
        **_tree_context(request, organization, on, version, children),
    }
    return render(request, "organizations/detail.html", context)


def _history_rows(request, organization):
    """Events with their participants; links only to organizations in the caller's scope
    (`scope.contains` on the participants' organizations, read with them)."""
    history = selectors.organization_history_parts(organization=organization, limit=HISTORY_SIZE)
    contains = request.scope.contains
    return [
        (event, [(part, contains(part.organization)) for part in parts]) for event, parts in history
    ]


@organization_view(VIEW)
def tree_children(request, organization):
    on, _error = date_in_view(request)
    return render(
        request,
        "organizations/_tree_children.html",
        _tree_context(request, organization, on),
    )


# ---------------------------------------------------------------- restructuring events

# Service argument names → the form fields that show their errors.
_ERROR_FIELDS = {
    "parent": "parent_code",
    "sources": "siblings",
    "name": "name",
    "code": "code",
    "decision_date": "decision_date",
    "on": "effective_on",
}


def _sections(request, organization) -> list[tuple[hooks.Section, object]]:
    """The other apps' optional parts of a merge or split form (hooks.restructuring_sections)."""
    data = request.POST or None
    found = []
    for section in hooks.restructuring_sections:
        form = section.form(data, organization=organization, scope=request.scope)
        if form is not None:
            found.append((section, form))
    return found


def _with_sections(func, sections):
    """The event's service, then each section's writes, in one transaction."""

    def run(**kwargs):
        with transaction.atomic():
            result = func(**kwargs)
            results = list(result) if isinstance(result, list) else [result]
            for section, form in sections:
                section.apply(form, results=results, on=kwargs["on"],
                              decision=kwargs["decision"], by=kwargs["by"])  # fmt: skip
        return result

    return run


def _refuse(form, sections, error) -> None:
    """A refusal beside its field: a section's field, else the event form's."""
    if hasattr(error, "error_dict"):
        for _section, part in sections:
            mine = {k: v for k, v in error.error_dict.items() if k in part.fields}
            for name, errors in mine.items():
                part.add_error(name, errors)
            error = ValidationError({k: v for k, v in error.error_dict.items() if k not in mine})
        if not error.error_dict:
            return
    show_refusal(form, error, _ERROR_FIELDS)


def _event_page(request, organization, *, form_class, title, call, done, sections=False):
    """One shape for every event: validate, preview (rolled back), then save on confirm.
    `sections`: offer the other apps' parts of the form (merge, split)."""
    form = form_class(
        request.POST or None, request.FILES or None, organization=organization, scope=request.scope
    )
    parts = _sections(request, organization) if sections else []
    lines = None
    valid = [form.is_valid()] + [part.is_valid() for _section, part in parts]
    if request.method == "POST" and all(valid):
        func, kwargs = call(form)
        func = _with_sections(func, parts) if parts else func
        kwargs |= {
            "on": form.cleaned_data["effective_on"],
            "decision": form.decision,
            "by": request.user,
        }
        if request.POST.get("action") == "save":
            try:
                result = func(**kwargs)
            except ValidationError as error:
                _refuse(form, parts, error)
            else:
                messages.success(request, _("Đã ghi: %(what)s.") % {"what": title.lower()})
                return redirect("organizations:detail", code=done(result).code)
        else:
            lines, error = services.preview(func, **kwargs)
            if error is not None:
                _refuse(form, parts, error)
                lines = None
    return render(
        request,
        "organizations/event_form.html",
        {
            **place(request, organization),
            "form": form,
            "sections": [(section.title, part) for section, part in parts],
            "title": title,
            "lines": lines,
        },
    )


@organization_view(CHANGE_ORGANIZATIONS)
def found(request, organization):
    return _event_page(
        request, organization,
        form_class=forms.FoundForm,
        title=_("Thành lập tổ chức trực thuộc"),
        call=lambda f: (services.organization_found,
                        {"spec": f.new_organization(), "parent": organization}),
        done=lambda created: created,
    )  # fmt: skip


@organization_view(CHANGE_ORGANIZATIONS)
def rename(request, organization):
    return _event_page(
        request, organization,
        form_class=forms.RenameForm,
        title=_("Đổi tên, chuyển đổi loại tổ chức"),
        call=lambda f: (services.organization_rename, {
            "organization": organization, "name": f.cleaned_data["name"],
            "kind": f.cleaned_data.get("kind") or None,
        }),
        done=lambda event: organization,
    )  # fmt: skip


@organization_view(CHANGE_ORGANIZATIONS)
def move(request, organization):
    return _event_page(
        request, organization,
        form_class=forms.MoveForm,
        title=_("Chuyển trực thuộc"),
        call=lambda f: (services.organization_move,
                        {"organization": organization, "parent": f.cleaned_data["parent"]}),
        done=lambda event: organization,
    )  # fmt: skip


@organization_view(CHANGE_ORGANIZATIONS)
def merge(request, organization):
    return _event_page(
        request, organization,
        form_class=forms.MergeForm,
        title=_("Sáp nhập, hợp nhất"),
        call=lambda f: (services.organization_merge, f.service_kwargs()),
        done=lambda result: result, sections=True,
    )  # fmt: skip


@organization_view(CHANGE_ORGANIZATIONS)
def split(request, organization):
    return _event_page(
        request, organization,
        form_class=forms.SplitForm,
        title=_("Chia tách"),
        call=lambda f: (services.organization_split, {
            "source": organization, "parts": f.cleaned_data["parts"],
            "members": f.cleaned_data["members"],
        }),
        done=lambda parts: parts[0], sections=True,
    )  # fmt: skip


@organization_view(CHANGE_ORGANIZATIONS)
def dissolve(request, organization):
    return _event_page(
        request, organization,
        form_class=forms.DissolveForm,
        title=_("Giải thể"),
        call=lambda f: (services.organization_dissolve, {"organization": organization}),
        done=lambda event: organization,
    )  # fmt: skip


# ---------------------------------------------------------------- Sửa / Hủy


@organization_view(CHANGE_ORGANIZATIONS)
def correct_event(request, organization):
    """Sửa / Hủy an event of this organization (?su_kien=id; by default its latest)."""
    events = selectors.organization_history(organization=organization)
    raw = request.GET.get("su_kien", "")
    event = events.filter(pk=int(raw)).first() if raw.isdigit() else events.first()
    if event is None:
        raise Http404
    # Write rights are needed wherever the event put or took an organization: where it
    # stands now and where it stood the day before.
    denied = []
    for part in event.parts.select_related("organization"):
        org = part.organization
        earlier = org.versions.filter(valid_from__lt=event.effective_on).order_by("-valid_from")
        paths = [org.path, *earlier.values_list("path", flat=True)[:1]]
        if any(
            CHANGE_ORGANIZATIONS not in request.scope.permissions_for(Organization(path=path))
            for path in paths
        ):
            denied.append(org.name)
    back = reverse("organizations:detail", kwargs={"code": organization.code})

    def checked(service, **kwargs):
        if denied:
            raise ValidationError(
                _("Bạn không có quyền sửa, hủy sự kiện liên quan đến: %(names)s.")
                % {"names": ", ".join(denied)}
            )
        return service, {"event": event, **kwargs}

    def correct(form):
        data = form.cleaned_data
        return checked(
            corrections.organization_event_correct, on=data["effective_on"],
            decision_no=data["decision_no"], decision_date=data["decision_date"],
        )  # fmt: skip

    # Cancelling what founded this very organization leaves no page of it to go back to.
    founded_here = organization.versions.order_by("valid_from").first().event_id == event.pk
    parent = organization.parent
    gone_to = reverse("organizations:detail", kwargs={"code": parent.code}) if parent else "/"
    return correction_page(
        request,
        obj=event,
        form_class=forms.EventCorrectionForm,
        title=_("Sửa / Hủy: %(event)s") % {"event": event},
        back_url=back,
        done_url=gone_to if founded_here else back,
        initial={
            "effective_on": event.effective_on,
            "decision_no": event.decision_no,
            "decision_date": event.decision_date,
        },
        correct=correct,
        cancel=lambda form: checked(corrections.organization_event_cancel),
        error_fields={"on": "effective_on"},
        context=place(request, organization),
    )
