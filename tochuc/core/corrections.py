"""Correct or cancel a recorded act, with a reason: one mechanism for every app.

An app's service does the correction itself (it knows its rules: what a change would make
impossible later); this module gives it the rest, the same everywhere:

- `Grounds(reason, decision_no, decision_date)`: why, and the correcting decision where
  there is one. `grounds.check()` refuses an empty reason (error on the field `reason`).
- `snapshot(obj, fields)`: the values of those fields as a JSON-able dict (a foreign key
  as its text, a date as ISO), taken before and after the change.
- `record(obj=, entity=, action=CORRECTED|CANCELLED, grounds=, before=, after=, by=,
  effects=(), audit_on=None)`: keeps both versions in a `core.Correction` row (who, when,
  why) and writes the audit entry `tochuc.<entity>.corrected` / `.cancelled` with
  before/after; a correction whose before equals its after is refused ("Không có gì thay
  đổi."). `audit_on`: the objects to file the audit entry under (default `obj`),
  one entry each — name the members or organizations the act counts for, so that the
  summary table (statistics/counts.py) marks their provinces stale. Call it *before*
  deleting a cancelled row (its text and id are kept).
- `lock(obj, row_version, stale=)`, `touch(obj)`, `apply(obj, changes, fields)`,
  `record_act(obj, entity=, action=, grounds=, before=, fields=, audit_on=, by=)`: the
  steps every correct/cancel pair repeats — lock the row and compare its row_version,
  set the given fields, bump the version, record with the after snapshot when correcting.
- `preview(service, **kwargs)`: runs the service and rolls it back; returns the
  `Correction` it would write (its `rows()`: label, before, after) or the refusal.
- `history(obj)`: the corrections of one object, newest first, for its page.
- `CorrectionForm` and `correction_page(...)`: the "Sửa / Hủy" page — the fields to
  correct (a subclass adds them, listing in `required_when_correcting` those that may
  not be emptied), the reason and the correcting decision; "Xem trước" shows before →
  after (`Correction.rows()`), "Xác nhận" saves; refusals show beside their field.

A service looks like (tochuc/ratings/corrections.py):

    @transaction.atomic
    def confidence_vote_correct(*, vote, grounds: Grounds, by=None, **changes):
        grounds.check()
        vote = ConfidenceVote.objects.select_for_update().get(pk=vote.pk)
        before = corrections.snapshot(vote, VOTE_FIELDS)
        ...change, validate (refuse with the reason: ValidationError), save...
        corrections.record(obj=vote, entity="confidence_vote", action=corrections.CORRECTED,
                           grounds=grounds, before=before,
                           after=corrections.snapshot(vote, VOTE_FIELDS), by=by)

and its page (tochuc/ratings/views.py `correct_vote`) is one call of `correction_page`.
Used by: organizations (events), admissions (steps, confirmation votes and decisions),
ratings (decisions, votes of confidence), inspections (inspections, disciplines), members
(timeline acts; members/hooks.py lets the apps keeping a record of an act follow it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.policy.acts import sensible_date

from . import audit
from .errors import ProcedureError
from .models import Correction

M = TypeVar("M", bound=models.Model)

CORRECTED = Correction.Action.CORRECTED
CANCELLED = Correction.Action.CANCELLED
# The entities whose acts are corrected through `record` (the audit action is
# `tochuc.<entity>.corrected` / `.cancelled`; core/audit_labels.py names each).
ENTITIES = (
    "organization", "admission", "confirmation", "confirmation_decision", "rating",
    "confidence_vote", "inspection", "discipline", "member", "meeting", "commendation",
    "badge",
    "cadre", "cadre_position", "appointment", "planning_entry", "rotation", "training",
    "planned_position", "committee_post", "congress",
    "dues_basis", "dues_relief", "dues_sheet",
    "document", "document_link", "programme_task", "programme_progress",
    "attachment",
    "document_distribution",
    "agency", "staffing_quota", "reduction",
)  # fmt: skip


@dataclass(frozen=True)
class Grounds:
    """Why an act is corrected or cancelled, and the correcting decision if any."""

    reason: str
    decision_no: str = ""
    decision_date: date | None = None

    def check(self) -> None:
        if not (self.reason or "").strip():
            raise ValidationError({"reason": _("Hãy ghi lý do sửa, hủy.")})


def _value(obj: models.Model, name: str) -> Any:
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        field = None
    if field is not None and field.is_relation and field.many_to_one:
        related = getattr(obj, name)
        return str(related) if related is not None else None
    value = getattr(obj, name)
    if field is not None and field.choices and value not in (None, ""):
        return str(getattr(obj, f"get_{name}_display")())
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of `fields` of `obj`, JSON-able (a related object as its text)."""
    return audit.jsonable({name: _value(obj, name) for name in fields})


def _labels(obj: models.Model, names: Iterable[str], given: dict[str, str]) -> list[list[str]]:
    """[[name, label], …] in the order of `names`: the given label, else the field's."""
    labels = []
    for name in names:
        try:
            label = given.get(name) or obj._meta.get_field(name).verbose_name
        except FieldDoesNotExist:
            label = name
        labels.append([name, str(label)])
    return labels


def record(
    *,
    obj: models.Model,
    entity: str,
    action: str,
    grounds: Grounds,
    before: dict[str, Any],
    after: dict[str, Any] | None = None,
    by=None,
    effects: Sequence[str] = (),
    audit_on: Sequence[models.Model] | None = None,
    labels: dict[str, str] | None = None,
) -> Correction:
    """Keep the wrong and the right version, and audit `tochuc.<entity>.<action>`."""
    if entity not in ENTITIES:
        raise ValueError(f"{entity}: not in corrections.ENTITIES (and its audit labels)")
    grounds.check()
    after = {} if action == CANCELLED and after is None else (after or {})
    if action == CORRECTED and audit.jsonable(before) == audit.jsonable(after):
        raise ValidationError(_("Không có gì thay đổi."))
    user = by if getattr(by, "is_authenticated", False) else None
    correction = Correction.objects.create(
        user=user,
        username=user.get_username() if user else "",
        action=action,
        entity=entity,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        reason=grounds.reason.strip(),
        decision_no=(grounds.decision_no or "").strip(),
        decision_date=grounds.decision_date,
        before=audit.jsonable(before),
        after=audit.jsonable(after),
        labels=_labels(obj, dict.fromkeys([*before, *after]), labels or {}),
        effects=[str(line) for line in effects],
    )
    for target in audit_on if audit_on is not None else (obj,):
        audit.record(
            f"tochuc.{entity}.{action}", by=by, obj=target, reason=grounds.reason,
            decision_no=correction.decision_no, decision_date=grounds.decision_date,
            before=correction.before, after=correction.after, correction=correction.pk,
            province=audit.EVERY_PROVINCE,  # a past act: where it was may not be where it is
        )  # fmt: skip
    return correction


def lock(obj: M, row_version: int | None, *, stale: str, related: Sequence[str] = ()) -> M:
    """`obj` read again and locked for a write (its `related` joined); refused with `stale`
    when another user changed it since `row_version` was read (None: not checked)."""
    locked = type(obj)._default_manager.select_for_update().select_related(*related).get(pk=obj.pk)
    if row_version is not None and locked.row_version != row_version:
        raise ProcedureError(str(stale))
    return locked


def touch(obj: models.Model) -> None:
    """A write on `obj` or on what hangs on it: its next version (a stale form is refused)."""
    type(obj)._default_manager.filter(pk=obj.pk).update(row_version=obj.row_version + 1)
    obj.row_version += 1


def apply(obj: models.Model, changes: dict[str, Any], fields: Iterable[str]) -> None:
    """Set each of `fields` given a value (not None) in `changes`."""
    for name in fields:
        if name in changes and changes[name] is not None:
            setattr(obj, name, changes[name])


def record_act(
    obj: models.Model,
    *,
    entity: str,
    action: str,
    grounds: Grounds,
    before: dict[str, Any],
    fields: Iterable[str],
    audit_on: Sequence[models.Model] | None = None,
    by=None,
    effects: Sequence[str] = (),
) -> Correction:
    """`record` of an act whose `fields` were snapshotted in `before`: after them again when
    corrected, nothing after when cancelled."""
    return record(
        obj=obj, entity=entity, action=action, grounds=grounds, before=before,
        after=snapshot(obj, fields) if action == CORRECTED else None, by=by, effects=effects,
        audit_on=audit_on,
    )  # fmt: skip


def preview(func: Callable, /, **kwargs) -> tuple[Correction | None, ValidationError | None]:
    """Run a correcting service and roll it back: the correction it would record (None
    when it records none; the first when it records several, the others in its
    `effects`), or the refusal."""
    found = None
    try:
        with transaction.atomic():
            last = Correction.objects.order_by("-id").values_list("id", flat=True).first() or 0
            func(**kwargs)
            written = list(Correction.objects.filter(id__gt=last).order_by("id"))
            transaction.set_rollback(True)
        if written:
            # The act asked for first; what it carried along (e.g. an organization event
            # under a discipline) as lines of its effects.
            found = written[0]
            for other in written[1:]:
                found.effects = [
                    *found.effects, *other.effects,
                    *(f"{label}: {old} → {new}" for label, old, new in other.rows()),
                ]  # fmt: skip
    except ValidationError as error:
        return None, error
    return found, None


def history(obj: models.Model):
    """The corrections and cancellations of `obj`, newest first."""
    return Correction.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


# ---------------------------------------------------------------- the page

DATE_WIDGET = forms.DateInput(
    attrs={"class": "form-control", "placeholder": "dd/mm/yyyy", "inputmode": "numeric"},
    format="%d/%m/%Y",
)
TEXT = {"class": "form-control"}


class CorrectionForm(forms.Form):
    """Sửa or hủy, the reason (mandatory) and the correcting decision. Subclasses add the
    fields that may be corrected (their initial values are the recorded ones)."""

    MODES = (
        (CORRECTED, gettext_lazy("Sửa thông tin đã ghi")),
        (CANCELLED, gettext_lazy("Hủy (ghi nhầm)")),
    )

    mode = forms.ChoiceField(
        label=gettext_lazy("Thao tác"), choices=MODES, widget=forms.RadioSelect, initial=CORRECTED
    )
    reason = forms.CharField(
        label=gettext_lazy("Lý do sửa, hủy"),
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
        error_messages={"required": gettext_lazy("Hãy ghi lý do sửa, hủy.")},
    )
    correcting_decision_no = forms.CharField(
        label=gettext_lazy("Số quyết định sửa, hủy (nếu có)"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs=TEXT),
    )
    correcting_decision_date = forms.DateField(
        label=gettext_lazy("Ngày quyết định sửa, hủy"), required=False, widget=DATE_WIDGET
    )

    def __init__(self, *args, can_correct: bool = True, can_cancel: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = {CORRECTED: can_correct, CANCELLED: can_cancel}
        modes = [(value, label) for value, label in self.MODES if allowed[value]]
        self.fields["mode"].choices = modes
        if len(modes) == 1:
            self.fields["mode"].initial = modes[0][0]
        # Move the shared fields to the end, after the subclass's own.
        for name in ("reason", "correcting_decision_no", "correcting_decision_date"):
            self.fields[name] = self.fields.pop(name)
        self.fields = {"mode": self.fields.pop("mode"), **self.fields}
        # Every date bounded to sense first (the service then applies the act's own rule).
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.validators = [*field.validators, sensible_date]

    # Correctable fields that may not be emptied (they are optional when cancelling).
    required_when_correcting: tuple[str, ...] = ()

    def clean(self):
        data = super().clean()
        if data.get("mode") == CORRECTED:
            for name in self.required_when_correcting:
                if data.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, _("Trường này không được để trống."))
        return data

    @property
    def grounds(self) -> Grounds:
        data = self.cleaned_data
        return Grounds(
            reason=data.get("reason", ""),
            decision_no=data.get("correcting_decision_no", ""),
            decision_date=data.get("correcting_decision_date"),
        )


def _show_refusal(form: forms.Form, error: ValidationError, fields: dict[str, str]) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = fields.get(field, field)
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, error)


def correction_page(
    request,
    *,
    obj: models.Model,
    form_class: type[CorrectionForm],
    title: str,
    back_url: str,
    correct: Callable[[CorrectionForm], tuple[Callable, dict]] | None = None,
    cancel: Callable[[CorrectionForm], tuple[Callable, dict]] | None = None,
    done_url: str | None = None,
    initial: dict | None = None,
    error_fields: dict[str, str] | None = None,
    context: dict | None = None,
):
    """The "Sửa / Hủy" page of one act.

    `correct(form)` / `cancel(form)` return (service, kwargs); the page adds `grounds=` and
    `by=`. "Xem trước" runs it rolled back and shows before → after (`Correction.rows()`);
    "Xác nhận" saves and goes to `done_url` (default `back_url`; a cancelled act may have
    no page left).
    `error_fields` maps a service's error keys to form fields.
    """
    form = form_class(
        request.POST or None,
        initial=initial,
        can_correct=correct is not None,
        can_cancel=cancel is not None,
    )
    shown = None
    if request.method == "POST" and form.is_valid():
        chosen = correct if form.cleaned_data["mode"] == CORRECTED else cancel
        try:
            func, kwargs = chosen(form)  # may refuse already (e.g. rights elsewhere)
            kwargs |= {"grounds": form.grounds, "by": request.user}
            if request.POST.get("action") == "save":
                with transaction.atomic():
                    func(**kwargs)
                messages.success(request, _("Đã ghi việc sửa, hủy và lý do."))
                return redirect(done_url or back_url)
            shown, error = preview(func, **kwargs)
            if error is not None:
                raise error
            if shown is None:
                form.add_error(None, _("Không có gì thay đổi."))
        except ValidationError as error:
            shown = None
            _show_refusal(form, error, error_fields or {})
    return render(
        request,
        "core/correction_form.html",
        {
            "obj": obj,
            "form": form,
            "title": title,
            "back_url": back_url,
            "preview": shown,
            "history": history(obj)[:20],
            **(context or {}),
        },
    )
