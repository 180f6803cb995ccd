"""Designate the committee of the organization a merger or a split produces, inside the
restructuring form (the July 2025 pattern: designated committees for the new communes).

The organizations app offers `hooks.restructuring_sections`; this module gives it a form
(the members to designate as Bí thư, Phó Bí thư and ủy viên, by party card number or
citizen ID) and writes the committee through `services.committee_form` and
`services.post_begin` after the event, in the same transaction: a refusal undoes the
event too, and shows beside the section's field.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.permissions import CHANGE_COMMITTEES
from tochuc.core import audit
from tochuc.lib.paths import under
from tochuc.members.forms import date_field
from tochuc.members.models import ACTIVE_STATUSES, Member
from tochuc.organizations.forms import TEXT
from tochuc.organizations.models import Organization

from . import services
from .models import Began, Formed, Role

PREFIX = "cap_uy"


def _people(label, help_text=""):
    return forms.CharField(
        label=label, required=False, help_text=help_text, widget=forms.TextInput(attrs=TEXT)
    )


class DesignationForm(forms.Form):
    """Optional: the committee designated for the resulting organization."""

    designate = forms.BooleanField(
        label=gettext_lazy("Chỉ định cấp ủy của tổ chức sau sắp xếp"), required=False
    )
    target_code = forms.CharField(
        label=gettext_lazy("Mã tổ chức được chỉ định cấp ủy"), required=False, max_length=40,
        help_text=gettext_lazy("Khi chia tách; để trống: tổ chức mới thứ nhất."),
        widget=forms.TextInput(attrs=TEXT),
    )  # fmt: skip
    secretary = _people(gettext_lazy("Bí thư"), gettext_lazy("Số thẻ đảng viên hoặc số CCCD."))
    deputies = _people(gettext_lazy("Phó Bí thư"), gettext_lazy("Cách nhau bởi dấu phẩy."))
    members = _people(gettext_lazy("Ủy viên khác"), gettext_lazy("Cách nhau bởi dấu phẩy."))
    size = forms.IntegerField(
        label=gettext_lazy("Số cấp ủy viên"), required=False, min_value=1, max_value=200,
        help_text=gettext_lazy("Để trống: số người được chỉ định."),
        widget=forms.NumberInput(attrs=TEXT),
    )  # fmt: skip
    decision_no = forms.CharField(
        label=gettext_lazy("Số quyết định chỉ định"), required=False, max_length=60,
        help_text=gettext_lazy("Để trống: số quyết định sắp xếp."),
        widget=forms.TextInput(attrs=TEXT),
    )  # fmt: skip
    decision_date = date_field(gettext_lazy("Ngày quyết định chỉ định"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("designate") and not (data.get("secretary") or "").strip():
            self.add_error("secretary", _("Hãy nhập số thẻ đảng viên hoặc CCCD của Bí thư."))
        for name in ("secretary", "deputies", "members"):
            data[name] = [k.replace(" ", "").upper() for k in (data.get(name) or "").split(",")
                          if k.strip()]  # fmt: skip
        if len(data["secretary"]) > 1:
            self.add_error("secretary", _("Chỉ một Bí thư."))
        everyone = data["secretary"] + data["deputies"] + data["members"]
        if len(set(everyone)) != len(everyone):
            self.add_error("members", _("Một người được nhập hai lần."))
        return data


def section_form(data, *, organization: Organization, scope):
    if CHANGE_COMMITTEES not in scope.permissions_for(organization):
        return None
    return DesignationForm(data, prefix=PREFIX)


def _find(result: Organization, keys: list[str], field: str) -> list[Member]:
    """The members in activity under `result` (after the event) named by `keys`."""
    found = {}
    members = Member.objects.filter(
        Q(party_card_no__in=keys) | Q(citizen_id__in=keys),
        under("org_path", result.path),
        status__in=ACTIVE_STATUSES,
    )
    for member in members:
        for key in (member.party_card_no, member.citizen_id):
            if key in keys:
                found[key] = member
    missing = [k for k in keys if k not in found]
    if missing:
        raise ValidationError(
            {field: _("Không có đảng viên “%(keys)s” sinh hoạt trong %(name)s sau sắp xếp.")
             % {"keys": ", ".join(missing), "name": result.name}}
        )  # fmt: skip
    return [found[k] for k in keys]


def _target(form: DesignationForm, results: list[Organization]) -> Organization:
    code = (form.cleaned_data.get("target_code") or "").strip()
    if not code:
        return results[0]
    for result in results:
        if result.code == code:
            return result
    raise ValidationError(
        {"target_code": _("“%(code)s” không phải tổ chức sau sắp xếp.") % {"code": code}}
    )


def apply(form: DesignationForm, *, results, on: date, decision, by=None) -> None:
    data = form.cleaned_data
    if not data.get("designate"):
        return
    result = _target(form, results)
    secretary = _find(result, data["secretary"], "secretary")
    deputies = _find(result, data["deputies"], "deputies")
    others = _find(result, data["members"], "members")
    people = len(secretary) + len(deputies) + len(others)
    decision_no = (data.get("decision_no") or "").strip() or decision.number
    decision_date = data.get("decision_date") or decision.date or on
    if not decision_no:
        raise ValidationError({"decision_no": _("Cần số quyết định chỉ định.")})
    try:
        committee = services.committee_form(
            organization=result, formed_on=on, formed_how=Formed.DESIGNATED,
            decision_no=decision_no, decision_date=decision_date,
            size=data.get("size") or people, deputies=len(deputies), by=by,
        )  # fmt: skip
    except ValidationError as error:
        fields = {"formed_on": "size", "term_ends_on": "size"}
        raise ValidationError(
            {fields.get(k, k): v for k, v in error.message_dict.items()}
            if hasattr(error, "error_dict") else {"size": error.messages}
        ) from error  # fmt: skip
    seats = [(Role.SECRETARY, m, "secretary") for m in secretary]
    seats += [(Role.DEPUTY, m, "deputies") for m in deputies]
    seats += [(Role.MEMBER, m, "members") for m in others]
    for role, member, field in seats:
        try:
            services.post_begin(
                committee=committee, member=member, role=role, began_on=on,
                began_how=Began.DESIGNATED, decision_no=decision_no,
                decision_date=decision_date, by=by,
            )  # fmt: skip
        except ValidationError as error:
            raise ValidationError({field: error.messages}) from error
    audit.record(
        "tochuc.committee.designated_in_restructuring", by=by, obj=committee,
        reason=decision_no, organization=result.code, on=on, size=committee.size,
    )  # fmt: skip
