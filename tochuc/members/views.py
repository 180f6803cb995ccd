"""Member pages: the list (search, filters, keyset paging), the member with their timeline
and change history, the record's edit and entry forms, and one small form per procedure.

Every member is fetched through the caller's scope (`selectors.member_get`): out of scope
reads exactly as missing (404); in scope without the permission is 403.
"""

from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import global_lookup, object_view, organization_view, scoped_view
from tochuc.accounts.permissions import CHANGE_MEMBERS, EXPORT, VIEW
from tochuc.core import pages
from tochuc.core.pages import place, recorded_by, show_refusal
from tochuc.lib.dates import full_months, parse_date, vn_date
from tochuc.organizations.models import Organization
from tochuc.organizations.selectors import ancestors_on

from . import forms, hooks, selectors, services
from .corrections import ON_THE_PAGE
from .list_rows import ListedMember, list_rows
from .models import Member, MemberEvent, Status

PAGE_SIZE = 50
HISTORY_SIZE = 100


# ---------------------------------------------------------------- gates


def member_view(permission: str):
    """Declare a view on one member (URL kwarg `pk`) needing `permission` where they are:
    out of scope → 404; in scope without the permission at their organization → 403."""
    return object_view(permission, selectors.member_get, attrgetter("organization"))


def _organization_param(request) -> Organization | None:
    """The organization the list is narrowed to (`?to_chuc=CODE`, a filter of a view over
    the scope, not the tenant of the page): out of scope → 404."""
    code = request.GET.get("to_chuc", "").strip()
    return request.scope.get_organization(code=code) if code else None


# ---------------------------------------------------------------- the list


def party_years(anchor: date | None, today: date) -> int | None:
    if anchor is None or anchor > today:
        return None
    return full_months(anchor, today) // 12


@scoped_view(VIEW)
def member_list(request):
    organization = _organization_param(request)
    today = timezone.localdate()
    form = forms.MemberFilterForm(request.GET)
    filters = form.to_filters(organization)
    if form.query_error:  # shown beside the box; nothing is listed
        page, total = selectors.Page([], None), selectors.Count(0)
    else:
        page, total = selectors.member_page(
            scope=request.scope,
            filters=filters,
            today=today,
            after=request.GET.get("sau"),
            size=PAGE_SIZE,
            rows_as=ListedMember,
        )
    for member in page.rows:  # computed here: cheaper than the template's filters, per row
        member.party_years = party_years(member.party_age_anchor, today)
        member.birth_text = vn_date(member.birth_date)
        member.joined_text = vn_date(member.ceremony_on or member.admitted_on)
    query = request.GET.copy()
    query.pop("sau", None)
    next_query = query.copy()
    if page.next_cursor:
        next_query["sau"] = page.next_cursor
    perms = request.scope.permissions_for(organization)
    return render(
        request,
        "members/list.html",
        {
            "form": form,
            "filtered": form.narrows(),
            "page": page,
            "member_rows": list_rows(page.rows),
            "total": total,
            "query_error": form.query_error,
            "org": organization,
            "ancestors": (
                ancestors_on(scope=request.scope, organization=organization, on=today)
                if organization
                else []
            ),
            "query": query.urlencode(),
            "next_query": next_query.urlencode(),
            "is_first_page": not request.GET.get("sau"),
            "can_export": EXPORT in perms,
            "can_add": organization is not None
            and organization.is_active
            and CHANGE_MEMBERS in perms,
        },
    )


@organization_view(VIEW)
def member_count(request, organization):
    """htmx: the number of active members under the organization (its page's link); with a
    past `?ngay`, the members counted there on that day (a page dated in the past shows
    every figure as of its date)."""
    try:
        on = parse_date(request.GET.get("ngay", "").strip())
    except ValueError:
        on = None  # the page names the bad date; its figures are today's
    if organization is not None and on is not None and on != timezone.localdate():
        from tochuc.statistics.sources import member_total  # the home page's figure, same source

        count = member_total(organization, on)
    else:
        count = selectors.member_list(
            scope=request.scope, filters=selectors.MemberFilters(organization=organization)
        ).count()
    return render(request, "members/_count.html", {"count": count, "org": organization})


# ---------------------------------------------------------------- the member page

PROFILE_SECTIONS = [
    (
        gettext_lazy("Sơ yếu lý lịch"),
        ["full_name", "other_names", "gender", "birth_date", "birthplace", "hometown",
         "residence", "ethnicity", "religion", "citizen_id", "phone", "email"],
    ),
    (
        gettext_lazy("Trình độ, công tác"),
        ["general_education", "qualification", "academic_title", "political_theory",
         "state_management", "occupation", "workplace"],
    ),
    (
        gettext_lazy("Vào Đảng"),
        ["party_card_no", "admission_decision_no", "admitted_on", "ceremony_on",
         "confirmed_on"],
    ),
]  # fmt: skip
FIELD_ORDER = [name for _title, names in PROFILE_SECTIONS for name in names]
# Derived fields the procedures change, shown in the history beside the record's fields.
DERIVED_FIELDS = {
    "status": gettext_lazy("Trạng thái"),
    "is_exempted": gettext_lazy("Miễn công tác và sinh hoạt đảng"),
    "organization_id": gettext_lazy("Nơi sinh hoạt"),
}


def shown(member_field, value) -> str:
    """A stored value as the user reads it."""
    if value in ("", None):
        return "—"
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, date):
        return vn_date(value)
    if member_field is not None and member_field.choices:
        return str(dict(member_field.flatchoices).get(value, value))
    return str(value)


def profile(member: Member) -> list[tuple[str, list[tuple[str, str]]]]:
    sections = []
    for title, names in PROFILE_SECTIONS:
        rows = []
        for name in names:
            field = Member._meta.get_field(name)
            rows.append((capfirst(field.verbose_name), shown(field, getattr(member, name))))
        sections.append((title, rows))
    return sections


@dataclass
class HistoryRow:
    record: object
    changes: list[tuple[str, str, str]]  # (label, old, new)
    first: bool


def history_rows(member: Member) -> list[HistoryRow]:
    """The record's saved versions, newest first, each with what changed since the one
    before (django-simple-history's diff for the record, the derived fields beside)."""
    records = list(
        member.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : HISTORY_SIZE + 1
        ]
    )
    names = dict(
        global_lookup(
            "members.views: names of organizations in a member's history",
            Organization.objects.filter(
                pk__in={r.organization_id for r in records if r.organization_id}
            ).values_list("pk", "name"),
        )
    )
    rows = []
    for record, previous in zip(records[:HISTORY_SIZE], [*records[1:], None], strict=False):
        changes: list[tuple[str, str, str]] = []
        if previous is not None:
            delta = record.diff_against(previous)
            for change in sorted(
                delta.changes,
                key=lambda c: FIELD_ORDER.index(c.field) if c.field in FIELD_ORDER else 99,
            ):
                field = Member._meta.get_field(change.field)
                label = capfirst(field.verbose_name)
                changes.append((label, shown(field, change.old), shown(field, change.new)))
            for attname, label in DERIVED_FIELDS.items():
                old, new = getattr(previous, attname), getattr(record, attname)
                if old == new:
                    continue
                if attname == "organization_id":
                    old, new = names.get(old, old), names.get(new, new)
                field = Member._meta.get_field(attname) if attname == "status" else None
                changes.append((str(label), shown(field, old), shown(field, new)))
        rows.append(HistoryRow(record, changes, first=previous is None))
    return rows


def procedures(member: Member) -> list[tuple[str, str]]:
    """(URL name, title) of the procedures that apply to the member now."""
    if member.status == Status.LEFT:
        return [("members:readmit", _("Kết nạp lại vào Đảng"))]
    if not member.is_active:
        return []
    found = []
    if member.status == Status.PROBATIONARY:
        # The procedure (the cell's vote, the committee's decision) and, for a decision
        # taken before the system, its record.
        found.append(("admissions:confirmation", _("Xét công nhận đảng viên chính thức")))
        found.append(("members:confirm", _("Ghi quyết định công nhận chính thức đã có")))
    found.append(("transfers:transfer", _("Chuyển sinh hoạt đảng chính thức")))
    found.append(("transfers:temporary", _("Chuyển sinh hoạt đảng tạm thời")))
    found.append(("transfers:working_away", _("Đi làm ăn xa")))
    found.append(("members:exempt", exempt_title(member)))
    found.append(("members:exit", _("Ra khỏi Đảng (xóa tên, khai trừ, xin ra, từ trần)")))
    return found


def exempt_title(member: Member) -> str:
    if member.is_exempted:
        return _("Thôi miễn công tác và sinh hoạt đảng")
    return _("Miễn công tác và sinh hoạt đảng")


def member_context(request, member: Member) -> dict:
    return {
        "member": member,
        **place(
            request,
            member.organization,
            [(member.full_name, reverse("members:detail", args=[member.pk]))],
        ),
    }


def member_movements(member: Member) -> dict:
    """What the member page shows of transfers and working away (from the app keeping
    them, through `hooks.member_page`)."""
    return {
        **hooks.member_page_context(member),
        # Events whose number is an introduction letter's, not a decision's.
        "letter_events": [
            MemberEvent.Type.TRANSFERRED_OUT, MemberEvent.Type.TRANSFERRED_IN,
            MemberEvent.Type.TEMPORARY_OUT, MemberEvent.Type.TEMPORARY_RETURNED,
        ],
    }  # fmt: skip


@member_view(VIEW)
def detail(request, member):
    scope = request.scope
    timeline = [
        (
            event,
            event.organization is not None and scope.contains(event.organization),
            event.other_organization is not None and scope.contains(event.other_organization),
        )
        for event in selectors.member_timeline(member=member)
    ]
    can_change = CHANGE_MEMBERS in request.org_perms
    return render(
        request,
        "members/detail.html",
        {
            **member_context(request, member),
            "trail": [],
            "profile": profile(member),
            "party_age": selectors.member_party_age(member=member),
            "timeline": timeline,
            "history": history_rows(member),
            "can_change": can_change,
            "procedures": procedures(member) if can_change else [],
            "correctable": ON_THE_PAGE,
            **member_movements(member),
            "panels": hooks.member_panels_for(request, member),
        },
    )


# ---------------------------------------------------------------- the record's forms


@member_view(CHANGE_MEMBERS)
def edit(request, member):
    posted = request.method == "POST"
    form = forms.MemberEditForm(request.POST if posted else None, member=member)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            with recorded_by(request):
                saved = services.member_update(
                    member=member,
                    changes=form.changes,
                    expected_version=data["row_version"],
                    reason=data["reason"].strip(),
                    by=request.user,
                )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            if saved.row_version == data["row_version"]:
                messages.info(request, _("Không có thay đổi nào để lưu."))
            else:
                messages.success(request, _("Đã lưu hồ sơ đảng viên."))
            return redirect("members:detail", pk=member.pk)
    return render(
        request,
        "members/form.html",
        {
            **member_context(request, member),
            "form": form,
            "title": _("Sửa hồ sơ đảng viên"),
        },
    )


@organization_view(CHANGE_MEMBERS)
def add(request, organization):
    form = forms.MemberAddForm(
        request.POST if request.method == "POST" else None,
        organization=organization,
        scope=request.scope,
    )
    return pages.procedure_page(
        request,
        form=form,
        call=lambda form: services.member_register(by=request.user, **form.service_kwargs()),
        done=lambda member: _("Đã thêm đảng viên %(name)s.") % {"name": member.full_name},
        then=lambda member: reverse("members:detail", args=[member.pk]),
        template="members/form.html",
        context={
            **place(
                request,
                organization,
                [(_("Đảng viên"), f"{reverse('members:list')}?to_chuc={quote(organization.code)}")],
            ),
            "title": _("Thêm đảng viên"),
        },
    )


# ---------------------------------------------------------------- procedures


def procedure_page(request, member, *, form_class, title, service):
    """One shape for every procedure on a member: the form, the service, its refusal beside
    the form (the page kit's procedure page)."""
    posted = request.method == "POST"
    return pages.procedure_page(
        request,
        form=form_class(request.POST if posted else None, member=member, scope=request.scope),
        call=lambda form: service(member=member, by=request.user, **form.service_kwargs()),
        done=_("Đã ghi: %(what)s.") % {"what": title},
        then=reverse("members:detail", args=[member.pk]),
        template="members/procedure_form.html",
        context={**member_context(request, member), "title": title},
    )


@member_view(CHANGE_MEMBERS)
def confirm(request, member):
    return procedure_page(
        request, member, form_class=forms.ConfirmForm,
        title=_("Công nhận đảng viên chính thức"), service=services.member_confirm,
    )  # fmt: skip


@member_view(CHANGE_MEMBERS)
def exempt(request, member):
    return procedure_page(
        request, member, form_class=forms.ExemptForm,
        title=exempt_title(member), service=services.member_exempt,
    )  # fmt: skip


@member_view(CHANGE_MEMBERS)
def exit_party(request, member):
    return procedure_page(
        request, member, form_class=forms.ExitForm,
        title=_("Ra khỏi Đảng"), service=services.member_exit,
    )  # fmt: skip


@member_view(CHANGE_MEMBERS)
def readmit(request, member):
    return procedure_page(
        request, member, form_class=forms.ReadmitForm,
        title=_("Kết nạp lại vào Đảng"), service=services.member_readmit,
    )  # fmt: skip
