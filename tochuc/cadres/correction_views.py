"""The "Sửa / Hủy" pages of cadre work (core.corrections.correction_page) and the two steps
that close an act (out of planning at a review, back from rotation).

Each page is on one cadre's record (the gate fetches the cadre through the scope and needs
MANAGE_CADRES there, 404 without it); the item (a position, an appointment…) is read
through that cadre's own rows, so an item of another record answers 404.
"""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from tochuc.accounts.access import object_view
from tochuc.accounts.permissions import MANAGE_CADRES
from tochuc.core.corrections import correction_page
from tochuc.core.pages import place, procedure_page
from tochuc.lib.dates import vn_date

from . import correction_forms as forms
from . import corrections, selectors, services

# What the form holds beyond the correctable fields, passed to the service as is.
VERSIONED = ("row_version",)


def _organization_of(cadre):
    return cadre.committee


def _item(rows, item: int):
    found = rows.filter(pk=item).first()
    if found is None:
        raise Http404
    return found


def _context(request, cadre):
    back = reverse("cadres:detail", args=[cadre.pk])
    trail = [(_("Cán bộ"), reverse("cadres:list", args=[cadre.committee.code])),
             (cadre.full_name, back)]  # fmt: skip
    return back, place(request, cadre.committee, trail)


def _page(request, cadre, *, obj, key, form_class, title, fields, correct, cancel, done_url=None):
    """The Sửa / Hủy page of `obj` (passed to the services as `key`)."""
    back, context = _context(request, cadre)
    extra = [n for n in VERSIONED if n in form_class.base_fields]
    initial = {name: getattr(obj, name) for name in fields}
    initial.update(dict.fromkeys(extra, cadre.row_version))
    return correction_page(
        request, obj=obj, form_class=form_class, title=title, back_url=back,
        done_url=done_url, initial=initial, context=context,
        correct=(lambda form: (correct, {key: obj, **{
            n: form.cleaned_data[n] for n in [*fields, *extra]}})) if correct else None,
        cancel=lambda form: (cancel, {key: obj}),
    )  # fmt: skip


@object_view(MANAGE_CADRES, selectors.cadre_get, _organization_of)
def cadre_correct(request, cadre):
    return _page(
        request, cadre, obj=cadre, key="cadre", form_class=forms.CadreCorrectionForm,
        title=_("Sửa / Hủy hồ sơ cán bộ"), fields=corrections.CADRE_FIELDS,
        correct=corrections.cadre_correct, cancel=corrections.cadre_cancel,
        done_url=reverse("cadres:list", args=[cadre.committee.code])
        if request.POST.get("mode") == "cancelled" else None,
    )  # fmt: skip


@object_view(MANAGE_CADRES, selectors.cadre_get, _organization_of)
def position_correct(request, cadre, item):
    return _page(
        request, cadre, obj=_item(cadre.positions, item), key="position",
        form_class=forms.PositionCorrectionForm, title=_("Sửa / Hủy chức vụ"),
        fields=corrections.POSITION_FIELDS, correct=corrections.position_correct,
        cancel=corrections.position_cancel,
    )  # fmt: skip


@object_view(MANAGE_CADRES, selectors.cadre_get, _organization_of)
def appointment_correct(request, cadre, item):
    return _page(
        request, cadre, obj=_item(cadre.appointments.select_related("position"), item),
        key="appointment", form_class=forms.AppointmentCorrectionForm,
        title=_("Sửa / Hủy quyết định bổ nhiệm"), fields=corrections.APPOINTMENT_FIELDS,
        correct=corrections.appointment_correct, cancel=corrections.appointment_cancel,
    )  # fmt: skip


@object_view(MANAGE_CADRES, selectors.cadre_get, _organization_of)
def planning_cancel(request, cadre, item):
    return _page(
        request, cadre, obj=_item(cadre.planning.select_related("position"), item),
        key="entry", form_class=forms.CancelOnlyForm, title=_("Hủy mục quy hoạch (ghi nhầm)"),
        fields=[], correct=None, cancel=corrections.planning_entry_cancel,
    )  # fmt: skip


@object_view(MANAGE_CADRES, selectors.cadre_get, _organization_of)
def rotation_correct(request, cadre, item):
    return _page(
        request, cadre, obj=_item(cadre.rotations, item), key="rotation",
        form_class=forms.RotationCorrectionForm, title=_("Sửa / Hủy luân chuyển"),
        fields=corrections.ROTATION_FIELDS, correct=corrections.rotation_correct,
        cancel=corrections.rotation_cancel,
    )  # fmt: skip


@object_view(MANAGE_CADRES, selectors.cadre_get, _organization_of)
def training_correct(request, cadre, item):
    return _page(
        request, cadre, obj=_item(cadre.trainings, item), key="training",
        form_class=forms.TrainingCorrectionForm, title=_("Sửa / Hủy đào tạo, bồi dưỡng"),
        fields=corrections.TRAINING_FIELDS, correct=corrections.training_correct,
        cancel=corrections.training_cancel,
    )  # fmt: skip


def _committee_of(position):
    return position.committee


@object_view(MANAGE_CADRES, selectors.planned_position_get, _committee_of)
def planned_position_correct(request, position):
    back = reverse("cadres:planning_list", args=[position.pk])
    trail = [(_("Cán bộ"), reverse("cadres:list", args=[position.committee.code])),
             (_("Quy hoạch"), reverse("cadres:planning", args=[position.committee.code])),
             (position.title, back)]  # fmt: skip
    fields = corrections.PLANNED_POSITION_FIELDS
    return correction_page(
        request, obj=position, form_class=forms.PlannedPositionCorrectionForm,
        title=_("Sửa / Hủy chức danh quy hoạch"), back_url=back,
        done_url=reverse("cadres:planning", args=[position.committee.code])
        if request.POST.get("mode") == "cancelled" else None,
        initial={name: getattr(position, name) for name in fields},
        context=place(request, position.committee, trail),
        correct=lambda form: (corrections.planned_position_correct, {
            "position": position, **{n: form.cleaned_data[n] for n in fields}}),
        cancel=lambda form: (corrections.planned_position_cancel, {"position": position}),
    )  # fmt: skip


# ---------------------------------------------------------------- closing an act


def _step(request, cadre, *, form, call, done, title):
    back, context = _context(request, cadre)
    return procedure_page(
        request, form=form, call=call, done=done, then=back, template="cadres/form.html",
        context={**context, "title": f"{title}: {cadre.full_name}", "cancel": back},
    )  # fmt: skip


@object_view(MANAGE_CADRES, selectors.cadre_get, _organization_of)
def planning_remove(request, cadre, item):
    """Out of a planning list at a review (no longer meets the criteria, retires…)."""
    entry = _item(cadre.planning.select_related("position"), item)
    form = forms.PlanningRemoveForm(request.POST if request.method == "POST" else None)
    return _step(
        request, cadre, form=form,
        call=lambda form: services.planning_remove(entry=entry, by=request.user,
                                                   **form.cleaned_data),
        done=lambda _r: _("Đã đưa %(name)s ra khỏi quy hoạch %(title)s, nhiệm kỳ %(term)s.")
        % {"name": cadre.full_name, "title": entry.position.title, "term": entry.term_label},
        title=_("Đưa ra khỏi quy hoạch %(title)s") % {"title": entry.position.title},
    )  # fmt: skip


@object_view(MANAGE_CADRES, selectors.cadre_get, _organization_of)
def rotation_return(request, cadre, item):
    rotation = _item(cadre.rotations, item)
    form = forms.RotationReturnForm(request.POST if request.method == "POST" else None)
    return _step(
        request, cadre, form=form,
        call=lambda form: services.rotation_return(rotation=rotation, by=request.user,
                                                   **form.cleaned_data),
        done=lambda r: _("Đã ghi %(name)s trở về ngày %(day)s.")
        % {"name": cadre.full_name, "day": vn_date(r.returned_on)},
        title=_("Trở về sau luân chuyển"),
    )  # fmt: skip
