"""Committee pages: an organization's committee as of a date (posts, vacancies, history), the
forms to form a committee for a term and to begin and end a post, a member's posts, and the
due lists over the scope (vacancies, terms ending within the notice months)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tochuc.accounts.access import organization_view, scoped_view
from tochuc.accounts.permissions import CHANGE_COMMITTEES, VIEW
from tochuc.core.pages import date_in_view, place, procedure_page, show_refusal, today
from tochuc.lib.dates import vn_date
from tochuc.members.views import member_view

from . import forms, selectors, services

HISTORY_SIZE = 200


def _link(organization):
    return (_("Cấp ủy"), reverse("committees:committee", args=[organization.code]))


@scoped_view(VIEW)
def index(request):
    """The navigation's entry: the committee of the user's first organization."""
    homes = request.scope.home_organizations()
    if not homes:
        return redirect("committees:due")
    return redirect("committees:committee", code=homes[0].code)


@organization_view(VIEW)
def committee(request, organization):
    on, date_error = date_in_view(request)
    current = selectors.committee_on(organization=organization, on=on)
    posts = selectors.posts_on(committee=current, on=on) if current else []
    can_change = CHANGE_COMMITTEES in request.org_perms and organization.is_active
    return render(
        request,
        "committees/committee.html",
        {
            **place(request, organization, on=on),
            "title": _("Cấp ủy"),
            "date_error": date_error,
            "committee": current,
            "posts": posts,
            "vacancies": selectors.vacancies(committee=current, posts=posts) if current else [],
            "history": list(selectors.post_history(organization=organization)[:HISTORY_SIZE]),
            "terms": list(selectors.committees_of(organization=organization)),
            "can_change": can_change,
            "predecessors": [] if current else _predecessors(request, organization, on),
        },
    )


def _predecessors(request, organization, on):
    """Before an organization was founded by a merger (the communes of 1/7/2025): the
    committees of the organizations it carries on, in the caller's scope, on that date."""
    rows = []
    for predecessor in request.scope.organizations().filter(successor=organization):
        found = selectors.committee_on(organization=predecessor, on=on)
        if found is not None:
            rows.append((predecessor, found, selectors.posts_on(committee=found, on=on)))
    return rows


@organization_view(CHANGE_COMMITTEES)
def committee_form(request, organization):
    form = forms.CommitteeForm(
        request.POST if request.method == "POST" else None, organization=organization
    )
    return procedure_page(
        request,
        form=form,
        call=lambda form: services.committee_form(by=request.user, **form.service_kwargs()),
        done=lambda c: _("Đã ghi cấp ủy nhiệm kỳ %(term)s.") % {"term": c.term},
        then=reverse("committees:committee", args=[organization.code]),
        template="committees/form.html",
        context={
            **place(request, organization, [_link(organization)]),
            "title": _("Cấp ủy nhiệm kỳ mới"),
            "cancel": reverse("committees:committee", args=[organization.code]),
        },
    )


def _post_page(request, organization, *, form_class, title, call, done):
    current = selectors.committee_on(organization=organization, on=today())
    context = {
        **place(request, organization, [_link(organization)]),
        "title": title,
        "cancel": reverse("committees:committee", args=[organization.code]),
        "committee": current,
    }
    if current is None:
        return render(request, "committees/form.html", {**context, "form": None})
    form = form_class(request.POST if request.method == "POST" else None, committee=current)
    if request.method == "POST" and request.POST.get("action") != "save":
        context["preview"] = _preview(form, lambda: call(**form.service_kwargs(), by=None))
        return render(request, "committees/form.html", {**context, "form": form})
    return procedure_page(
        request,
        form=form,
        call=lambda form: call(**form.service_kwargs(), by=request.user),
        done=done,
        then=reverse("committees:committee", args=[organization.code]),
        template="committees/form.html",
        context=context,
    )


def _preview(form, call) -> list[str] | None:
    """What the service would write, done and rolled back (a refusal beside its field)."""
    if not form.is_valid():
        return None
    try:
        with transaction.atomic():
            post = call()
            committee = post.committee
            posts = selectors.posts_on(committee=committee, on=post.ended_on or post.began_on)
            lines = [_describe(post)]
            if post.replaced is not None:
                lines.append(_describe(post.replaced))
            missing = selectors.vacancies(committee=committee, posts=posts)
            lines.append(
                _("Sau đó còn khuyết: %(list)s.")
                % {"list": "; ".join(f"{v.label} {v.missing}/{v.seats}" for v in missing)}
                if missing
                else _("Sau đó cấp ủy đủ số được bầu.")
            )
            transaction.set_rollback(True)
    except ValidationError as error:
        show_refusal(form, error, getattr(form, "error_fields", None))
        return None
    return lines


def _describe(post) -> str:
    if post.ended_on:
        return _("%(name)s thôi giữ chức %(role)s từ %(day)s (%(how)s).") % {
            "name": post.member.full_name, "role": post.get_role_display(),
            "day": vn_date(post.ended_on), "how": post.get_ended_how_display().lower(),
        }  # fmt: skip
    text = _("%(name)s giữ chức %(role)s từ %(day)s (%(how)s).") % {
        "name": post.member.full_name, "role": post.get_role_display(),
        "day": vn_date(post.began_on), "how": post.get_began_how_display().lower(),
    }  # fmt: skip
    if post.is_consolidation:
        text += " " + _("Đây là một lần kiện toàn cấp ủy.")
    return text


@organization_view(CHANGE_COMMITTEES)
def post_begin(request, organization):
    return _post_page(
        request, organization, form_class=forms.PostForm, title=_("Bầu, chỉ định, bổ sung"),
        call=services.post_begin,
        done=lambda post: _("Đã ghi: %(name)s giữ chức %(role)s từ %(day)s.") % {
            "name": post.member.full_name, "role": post.get_role_display(),
            "day": vn_date(post.began_on),
        },
    )  # fmt: skip


@organization_view(CHANGE_COMMITTEES)
def post_end(request, organization):
    return _post_page(
        request, organization, form_class=forms.PostEndForm, title=_("Thôi giữ chức vụ"),
        call=services.post_end,
        done=lambda post: _("Đã ghi: %(name)s thôi giữ chức %(role)s từ %(day)s.") % {
            "name": post.member.full_name, "role": post.get_role_display(),
            "day": vn_date(post.ended_on),
        },
    )  # fmt: skip


@member_view(VIEW)
def member_posts(request, member):
    return render(
        request,
        "committees/member.html",
        {
            **place(
                request,
                member.organization,
                [(member.full_name, reverse("members:detail", args=[member.pk]))],
            ),
            "title": _("Chức vụ trong cấp ủy"),
            "member": member,
            "posts": list(selectors.posts_of_member(member=member)),
        },
    )


@scoped_view(VIEW)
def due(request):
    """What is due over the scope: committees below their elected sizes, and terms ending
    within the notice months (congresses to prepare)."""
    day = today()
    return render(
        request,
        "committees/due.html",
        {
            "org": None,
            "ancestors": [],
            "trail": [],
            "title": _("Cấp ủy: khuyết và đến hạn đại hội"),
            "vacant": selectors.vacancy_rows(
                committees=selectors.committees_in_scope(scope=request.scope), on=day
            ),
            "ending": selectors.terms_ending(scope=request.scope, today=day),
            "today": day,
        },
    )


@organization_view(VIEW)
def congresses(request, organization):
    return render(
        request,
        "committees/congresses.html",
        {
            **place(request, organization, [_link(organization)]),
            "title": _("Đại hội"),
            "congresses": _with_delegates_below(selectors.congresses_of(organization=organization)),
            "can_change": CHANGE_COMMITTEES in request.org_perms and organization.is_active,
        },
    )


def _with_delegates_below(congresses):
    """Each congress with the delegates the congresses below elected to it, and their counts."""
    found = list(congresses)
    for congress in found:
        congress.delegates_below = selectors.delegates_for(congress=congress)
        congress.below_official = sum(e.official for e in congress.delegates_below)
        congress.below_alternate = sum(e.alternate for e in congress.delegates_below)
    return found


@organization_view(CHANGE_COMMITTEES)
def congress_record(request, organization):
    form = forms.CongressForm(
        request.POST if request.method == "POST" else None, organization=organization
    )
    return procedure_page(
        request,
        form=form,
        call=lambda form: services.congress_record(by=request.user, **form.service_kwargs()),
        done=lambda c: _("Đã ghi Đại hội lần thứ %(n)s.") % {"n": c.ordinal_roman},
        then=reverse("committees:congresses", args=[organization.code]),
        template="committees/form.html",
        context={
            **place(request, organization, [_link(organization)]),
            "title": _("Ghi đại hội và kết quả bầu cử"),
            "cancel": reverse("committees:congresses", args=[organization.code]),
            "always_form": True,
        },
    )
