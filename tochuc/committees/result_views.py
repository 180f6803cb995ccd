"""Pages that correct or cancel what was recorded (Sửa / Hủy of a post, of a congress) and
that turn a congress's results into posts (confirm, with a preview) and record the
delegates it elected to the congress above. Each on an organization, the object named in
the query (?chuc_vu=, ?dai_hoi=) and read through the organization the gate gave."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from tochuc.accounts.access import organization_view
from tochuc.accounts.permissions import CHANGE_COMMITTEES
from tochuc.core.corrections import correction_page
from tochuc.core.pages import place, procedure_page, show_refusal

from . import corrections, forms, results, selectors


def _link(organization):
    return (_("Cấp ủy"), reverse("committees:committee", args=[organization.code]))


def _congresses_link(organization):
    return (_("Đại hội"), reverse("committees:congresses", args=[organization.code]))


def _pk(request, name: str) -> int:
    raw = request.GET.get(name, "")
    if not raw.isdigit():
        raise Http404
    return int(raw)


def _post(request, organization):
    post = selectors.post_of(organization=organization, pk=_pk(request, "chuc_vu"))
    if post is None:
        raise Http404
    return post


def _congress(request, organization):
    congress = selectors.congress_of(organization=organization, pk=_pk(request, "dai_hoi"))
    if congress is None:
        raise Http404
    return congress


@organization_view(CHANGE_COMMITTEES)
def post_correct(request, organization):
    post = _post(request, organization)
    initial = {name: getattr(post, name) for name in forms.PostCorrectionForm.FIELDS}
    initial["row_version"] = post.row_version
    return correction_page(
        request,
        obj=post,
        form_class=forms.PostCorrectionForm,
        title=_("Sửa / Hủy chức vụ trong cấp ủy"),
        back_url=reverse("committees:committee", args=[organization.code]),
        initial=initial,
        correct=lambda form: (
            corrections.post_correct,
            {"post": post, "row_version": form.cleaned_data.get("row_version"), **form.changes()},
        ),  # fmt: skip
        cancel=lambda form: (
            corrections.post_cancel,
            {"post": post, "row_version": form.cleaned_data.get("row_version")},
        ),
        context=place(request, organization, [_link(organization)]),
    )


@organization_view(CHANGE_COMMITTEES)
def congress_correct(request, organization):
    congress = _congress(request, organization)
    initial = {name: getattr(congress, name) for name in forms.CongressCorrectionForm.FIELDS}
    initial["row_version"] = congress.row_version
    initial["candidates"] = "\n".join(
        f"{c.full_name}; {c.votes}" for c in congress.candidates.order_by("-votes", "id")
    )

    def form_class(*args, **kwargs):
        return forms.CongressCorrectionForm(*args, organization=organization, **kwargs)

    return correction_page(
        request,
        obj=congress,
        form_class=form_class,
        title=_("Sửa / Hủy đại hội"),
        back_url=reverse("committees:congresses", args=[organization.code]),
        initial=initial,
        correct=lambda form: (
            corrections.congress_correct,
            {
                "congress": congress,
                "row_version": form.cleaned_data.get("row_version"),
                **form.changes(),
            },
        ),  # fmt: skip
        cancel=lambda form: (
            corrections.congress_cancel,
            {"congress": congress, "row_version": form.cleaned_data.get("row_version")},
        ),
        context=place(request, organization, [_congresses_link(organization)]),
    )


@organization_view(CHANGE_COMMITTEES)
def congress_confirm(request, organization):
    """Xác nhận kết quả: "Xem trước" lists the posts it would begin; "Ghi" writes them."""
    congress = _congress(request, organization)
    data = request.POST if request.method == "POST" else None
    form = forms.ConfirmForm(
        data, congress=congress,
        initial={"held_on": congress.ends_on, "row_version": congress.row_version},
    )  # fmt: skip
    context = {
        **place(request, organization, [_congresses_link(organization)]),
        "title": _("Xác nhận kết quả đại hội"),
        "congress": congress,
        "cancel": reverse("committees:congresses", args=[organization.code]),
    }
    if request.method == "POST" and request.POST.get("action") != "save":
        if form.is_valid():
            lines, error = results.confirm_preview(**form.service_kwargs(), by=None)
            if error is not None:
                show_refusal(form, error)
            context["preview"] = lines
        return render(request, "committees/confirm.html", {**context, "form": form})
    return procedure_page(
        request,
        form=form,
        call=lambda form: results.congress_confirm(by=request.user, **form.service_kwargs()),
        done=lambda posts: (
            _("Đã xác nhận kết quả: %(count)s chức vụ trong cấp ủy.") % {"count": len(posts)}
        ),
        then=reverse("committees:committee", args=[organization.code]),
        template="committees/confirm.html",
        context=context,
    )


@organization_view(CHANGE_COMMITTEES)
def congress_delegates(request, organization):
    """The delegates the congress elected to the congress of the level above."""
    congress = _congress(request, organization)
    initial = {
        "delegates": "\n".join(
            f"{d.full_name}; {d.get_kind_display().removeprefix('Đại biểu ')}"
            + (f"; {d.votes}" if d.votes is not None else "")
            for d in congress.delegates_elected.all()
        ),
        "row_version": congress.row_version,
    }
    form = forms.DelegatesForm(
        request.POST if request.method == "POST" else None, congress=congress, initial=initial
    )
    return procedure_page(
        request,
        form=form,
        call=lambda form: results.congress_delegates_set(by=request.user, **form.service_kwargs()),
        done=lambda rows: (
            _("Đã ghi %(count)s đại biểu dự đại hội cấp trên.") % {"count": len(rows)}
        ),
        then=reverse("committees:congresses", args=[organization.code]),
        template="committees/form.html",
        context={
            **place(request, organization, [_congresses_link(organization)]),
            "title": _("Đại biểu dự đại hội cấp trên"),
            "cancel": reverse("committees:congresses", args=[organization.code]),
            "always_form": True,
        },
    )
