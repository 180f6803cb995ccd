from django import forms
from django.utils.translation import gettext_lazy

from tochuc.members.forms import date_field
from tochuc.members.models import PERSONAL_FIELDS, Member
from tochuc.organizations.forms import TEXT

REASON = forms.CharField(
    label=gettext_lazy("Căn cứ"), max_length=255, widget=forms.TextInput(attrs=TEXT)
)


class NotSameForm(forms.Form):
    reason = REASON


class WithdrawCandidateForm(forms.Form):
    """The candidate is the member already: its admission process stops, with the reason."""

    reason = REASON


class MergeForm(forms.Form):
    """Which record is kept, and for each field where the two differ, whose value."""

    keep = forms.TypedChoiceField(label=gettext_lazy("Giữ hồ sơ"), coerce=int)
    reason = REASON

    def __init__(self, *args, pair, **kwargs):
        super().__init__(*args, **kwargs)
        self.pair = pair
        first, second = pair.first, pair.second
        self.fields["keep"].choices = [(first.pk, first.full_name), (second.pk, second.full_name)]
        self.differing = []
        for name in PERSONAL_FIELDS:
            a, b = getattr(first, name), getattr(second, name)
            if a != b and a not in ("", None) and b not in ("", None):
                label = Member._meta.get_field(name).verbose_name
                self.fields[f"v_{name}"] = forms.ChoiceField(
                    label=label, choices=[("first", str(a)), ("second", str(b))],
                    widget=forms.RadioSelect, initial="first",
                )  # fmt: skip
                self.differing.append(name)

    def values(self) -> dict:
        pair, data = self.pair, self.cleaned_data
        return {
            name: getattr(pair.first if data[f"v_{name}"] == "first" else pair.second, name)
            for name in self.differing
        }


class ProposeForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    on = date_field(gettext_lazy("Ngày đề nghị"))


class DecideForm(forms.Form):
    remove = forms.TypedChoiceField(
        label=gettext_lazy("Quyết định"),
        coerce=lambda v: v == "1",
        choices=[("1", gettext_lazy("Xóa tên")), ("0", gettext_lazy("Không xóa tên"))],
    )
    on = date_field(gettext_lazy("Ngày quyết định"))
    decision_no = forms.CharField(
        label=gettext_lazy("Số quyết định"), max_length=60, required=False,
        widget=forms.TextInput(attrs=TEXT),
    )  # fmt: skip


class CampaignForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Tên chiến dịch"), max_length=200, widget=forms.TextInput(attrs=TEXT)
    )
    starts_on = date_field(gettext_lazy("Từ ngày"))
    ends_on = date_field(gettext_lazy("Đến ngày"))
    target_citizen_id = forms.IntegerField(
        label=gettext_lazy("Chỉ tiêu hồ sơ có số CCCD (%)"), min_value=0, max_value=100,
        initial=100, widget=forms.NumberInput(attrs=TEXT),
    )  # fmt: skip
    target_pairs = forms.IntegerField(
        label=gettext_lazy("Chỉ tiêu số cặp nghi trùng còn lại"), min_value=0, initial=0,
        widget=forms.NumberInput(attrs=TEXT),
    )  # fmt: skip
