"""Forms of the committee pages. They parse and check input; the services decide."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.members.forms import date_field
from tochuc.organizations.forms import SELECT, TEXT

from . import selectors
from .models import Began, CongressKind, Ended, Formed, Role


def _decision_no() -> forms.CharField:
    return forms.CharField(
        label=gettext_lazy("Số quyết định"), max_length=60, widget=forms.TextInput(attrs=TEXT)
    )


def _count(label, initial=0, most=200) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=0, max_value=most, initial=initial,
        widget=forms.NumberInput(attrs=TEXT),
    )  # fmt: skip


class CommitteeForm(forms.Form):
    """A committee for a new term: elected at the congress or designated."""

    formed_how = forms.ChoiceField(
        label=gettext_lazy("Hình thức"), choices=Formed.choices, widget=forms.Select(attrs=SELECT)
    )
    formed_on = date_field(gettext_lazy("Ngày bầu, chỉ định (bắt đầu nhiệm kỳ)"))
    term_ends_on = date_field(
        gettext_lazy("Kết thúc nhiệm kỳ (dự kiến)"), required=False,
        help_text=gettext_lazy("Để trống: theo thời hạn nhiệm kỳ của quy định."),
    )  # fmt: skip
    decision_no = _decision_no()
    decision_date = date_field(gettext_lazy("Ngày quyết định"))
    size = forms.IntegerField(
        label=gettext_lazy("Số cấp ủy viên"), min_value=1, max_value=200,
        widget=forms.NumberInput(attrs=TEXT),
    )  # fmt: skip
    standing_size = _count(gettext_lazy("Số ủy viên Ban Thường vụ (0: không có)"))
    deputies = _count(gettext_lazy("Số Phó Bí thư"))
    inspection_size = _count(gettext_lazy("Số ủy viên Ủy ban kiểm tra (0: không có)"))

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization

    def service_kwargs(self) -> dict:
        return {"organization": self.organization, **self.cleaned_data}


class PostForm(forms.Form):
    """A member takes a post in the committee in office: elected, designated or added."""

    error_fields = {"began_on": "began_on"}

    member = forms.ModelChoiceField(
        label=gettext_lazy("Đảng viên"), queryset=None, widget=forms.Select(attrs=SELECT)
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Chức vụ"), choices=Role.choices, widget=forms.Select(attrs=SELECT)
    )
    began_how = forms.ChoiceField(
        label=gettext_lazy("Hình thức"), choices=Began.choices, initial=Began.MEETING,
        widget=forms.Select(attrs=SELECT),
    )  # fmt: skip
    began_on = date_field(gettext_lazy("Từ ngày"))
    decision_no = _decision_no()
    decision_date = date_field(gettext_lazy("Ngày quyết định"))

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.committee = committee
        self.fields["member"].queryset = selectors.members_in(
            organization=committee.organization
        ).only("id", "full_name", "birth_date")
        self.fields["member"].label_from_instance = lambda m: (
            f"{m.full_name} ({m.birth_date:%d/%m/%Y})"
        )

    def service_kwargs(self) -> dict:
        return {"committee": self.committee, **self.cleaned_data}


class PostEndForm(forms.Form):
    """A holder no longer holds their post: the seat is vacant."""

    post = forms.ModelChoiceField(
        label=gettext_lazy("Chức vụ"), queryset=None, widget=forms.Select(attrs=SELECT)
    )
    ended_how = forms.ChoiceField(
        label=gettext_lazy("Lý do"), choices=Ended.choices, widget=forms.Select(attrs=SELECT)
    )
    ended_on = date_field(gettext_lazy("Từ ngày không còn giữ"))
    decision_no = _decision_no()
    decision_date = date_field(gettext_lazy("Ngày quyết định"))

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = selectors.open_posts(committee=committee)
        self.fields["post"].label_from_instance = lambda p: (
            f"{p.get_role_display()}: {p.member.full_name}"
        )

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class CongressForm(forms.Form):
    """A congress and its election: the candidates one per line, "Họ và tên; số phiếu"."""

    committee = forms.ModelChoiceField(
        label=gettext_lazy("Cấp ủy được bầu (nhiệm kỳ)"), queryset=None,
        widget=forms.Select(attrs=SELECT),
    )  # fmt: skip
    ordinal = forms.IntegerField(
        label=gettext_lazy("Đại hội lần thứ"), min_value=1, max_value=100,
        widget=forms.NumberInput(attrs=TEXT),
    )  # fmt: skip
    kind = forms.ChoiceField(
        label=gettext_lazy("Hình thức"), choices=CongressKind.choices,
        widget=forms.Select(attrs=SELECT),
    )  # fmt: skip
    starts_on = date_field(gettext_lazy("Ngày khai mạc"))
    ends_on = date_field(gettext_lazy("Ngày bế mạc"))
    directive = forms.CharField(
        label=gettext_lazy("Thực hiện văn bản"), max_length=60, required=False,
        widget=forms.TextInput(attrs={**TEXT, "placeholder": "45-CT/TW"}),
    )  # fmt: skip
    delegates = _count(gettext_lazy("Số đại biểu (đảng viên) được triệu tập"), most=100_000)
    delegates_present = _count(gettext_lazy("Số có mặt"), most=100_000)
    ballots_issued = _count(gettext_lazy("Số phiếu phát ra"), most=100_000)
    ballots_valid = _count(gettext_lazy("Số phiếu hợp lệ"), most=100_000)
    candidates = forms.CharField(
        label=gettext_lazy("Người ứng cử và số phiếu bầu"),
        help_text=gettext_lazy("Mỗi dòng một người: Họ và tên; số phiếu."),
        widget=forms.Textarea(attrs={**TEXT, "rows": 8}),
    )  # fmt: skip

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.fields["committee"].queryset = selectors.committees_without_congress(
            organization=organization
        )
        self.fields["committee"].label_from_instance = lambda c: (
            f"{c.term} ({c.get_formed_how_display()} {c.formed_on:%d/%m/%Y})"
        )

    def clean_candidates(self):
        lines, errors = [], []
        for number, raw in enumerate(self.cleaned_data["candidates"].splitlines(), start=1):
            if not raw.strip():
                continue
            name, _sep, votes = raw.rpartition(";")
            name, votes = " ".join(name.split()), votes.strip().replace(".", "")
            if not name or not votes.isdigit():
                errors.append(_("Dòng %(n)s: cần “Họ và tên; số phiếu”.") % {"n": number})
                continue
            lines.append((name, int(votes)))
        if errors:
            raise forms.ValidationError(errors)
        if not lines:
            raise forms.ValidationError(_("Cần ít nhất một người ứng cử."))
        names = [name for name, _votes in lines]
        if len(set(names)) != len(names):
            raise forms.ValidationError(_("Một người ứng cử có tên hai lần."))
        members = selectors.members_by_name(organization=self.organization, names=names)
        return [(name, votes, members.get(name)) for name, votes in lines]

    def service_kwargs(self) -> dict:
        return {"organization": self.organization, **self.cleaned_data}
