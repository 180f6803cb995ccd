"""Forms of the committee pages. They parse and check input; the services decide."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.core.corrections import CorrectionForm
from tochuc.lib.vntext import fold
from tochuc.members.forms import date_field
from tochuc.organizations.forms import SELECT, TEXT

from . import selectors
from .models import Began, CongressKind, DelegateKind, Ended, Formed, Role
from .results import FirstMeeting


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
    replaces = forms.ModelChoiceField(
        label=gettext_lazy("Thay người đang giữ (nếu có)"), queryset=None, required=False,
        widget=forms.Select(attrs=SELECT),
        help_text=gettext_lazy("Người đó thôi giữ chức vụ từ ngày này, theo cùng quyết định."),
    )  # fmt: skip
    replaced_how = forms.ChoiceField(
        label=gettext_lazy("Lý do người được thay thôi giữ"), choices=Ended.choices,
        initial=Ended.REASSIGNED, required=False, widget=forms.Select(attrs=SELECT),
    )  # fmt: skip

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.committee = committee
        self.fields["member"].queryset = selectors.members_in(
            organization=committee.organization
        ).only("id", "full_name", "birth_date")
        self.fields["member"].label_from_instance = lambda m: (
            f"{m.full_name} ({m.birth_date:%d/%m/%Y})"
        )
        self.fields["replaces"].queryset = selectors.open_posts(committee=committee)
        self.fields["replaces"].label_from_instance = _post_label

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["replaced_how"] = data.get("replaced_how") or Ended.REASSIGNED
        return {"committee": self.committee, **data}


def _post_label(post) -> str:
    return f"{post.get_role_display()}: {post.member.full_name}"


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
        return parse_candidates(self.cleaned_data["candidates"], self.organization)

    def service_kwargs(self) -> dict:
        return {"organization": self.organization, **self.cleaned_data}


def parse_candidates(text: str, organization) -> list[tuple]:
    """ "Họ và tên; số phiếu" per line → [(name, votes, member or None)]."""
    lines, errors = [], []
    for number, raw in enumerate(text.splitlines(), start=1):
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
    members = selectors.members_by_name(organization=organization, names=names)
    return [(name, votes, members.get(name)) for name, votes in lines]


# ---------------------------------------------------------------- Sửa / Hủy


def _optional_date(label):
    return date_field(label, required=False)


class PostCorrectionForm(CorrectionForm):
    """Sửa / Hủy a post: its dates, how it began and ended, the decisions."""

    began_on = _optional_date(gettext_lazy("Từ ngày"))
    began_how = forms.ChoiceField(
        label=gettext_lazy("Hình thức"), choices=Began.choices, required=False,
        widget=forms.Select(attrs=SELECT),
    )  # fmt: skip
    began_decision_no = forms.CharField(
        label=gettext_lazy("Số quyết định"), max_length=60, required=False,
        widget=forms.TextInput(attrs=TEXT),
    )  # fmt: skip
    began_decision_date = _optional_date(gettext_lazy("Ngày quyết định"))
    ended_on = _optional_date(gettext_lazy("Đến ngày (để trống: đang giữ)"))
    ended_how = forms.ChoiceField(
        label=gettext_lazy("Lý do thôi giữ"), choices=[("", "—"), *Ended.choices],
        required=False, widget=forms.Select(attrs=SELECT),
    )  # fmt: skip
    ended_decision_no = forms.CharField(
        label=gettext_lazy("Số quyết định thôi giữ"), max_length=60, required=False,
        widget=forms.TextInput(attrs=TEXT),
    )  # fmt: skip
    ended_decision_date = _optional_date(gettext_lazy("Ngày quyết định thôi giữ"))
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    required_when_correcting = ("began_on", "began_how", "began_decision_no", "began_decision_date")
    FIELDS = (
        "began_on", "began_how", "began_decision_no", "began_decision_date", "ended_on",
        "ended_how", "ended_decision_no", "ended_decision_date",
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("mode") == "corrected" and data.get("ended_on") and not data.get("ended_how"):
            self.add_error("ended_how", _("Chọn lý do thôi giữ."))
        return data

    def changes(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.FIELDS}


class CongressCorrectionForm(CorrectionForm):
    """Sửa / Hủy a congress: its dates, kind, delegates, ballots and votes."""

    ordinal = forms.IntegerField(
        label=gettext_lazy("Đại hội lần thứ"), min_value=1, max_value=100, required=False
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Hình thức"), choices=CongressKind.choices, required=False,
        widget=forms.Select(attrs=SELECT),
    )  # fmt: skip
    starts_on = _optional_date(gettext_lazy("Ngày khai mạc"))
    ends_on = _optional_date(gettext_lazy("Ngày bế mạc"))
    directive = forms.CharField(
        label=gettext_lazy("Thực hiện văn bản"), max_length=60, required=False,
        widget=forms.TextInput(attrs=TEXT),
    )  # fmt: skip
    delegates = forms.IntegerField(
        label=gettext_lazy("Số đại biểu (đảng viên) được triệu tập"), min_value=0,
        max_value=100_000, required=False,
    )  # fmt: skip
    delegates_present = forms.IntegerField(
        label=gettext_lazy("Số có mặt"), min_value=0, max_value=100_000, required=False
    )
    ballots_issued = forms.IntegerField(
        label=gettext_lazy("Số phiếu phát ra"), min_value=0, max_value=100_000, required=False
    )
    ballots_valid = forms.IntegerField(
        label=gettext_lazy("Số phiếu hợp lệ"), min_value=0, max_value=100_000, required=False
    )
    candidates = forms.CharField(
        label=gettext_lazy("Người ứng cử và số phiếu bầu"), required=False,
        help_text=gettext_lazy("Mỗi dòng một người: Họ và tên; số phiếu."),
        widget=forms.Textarea(attrs={**TEXT, "rows": 8}),
    )  # fmt: skip
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    FIELDS = ("ordinal", "kind", "starts_on", "ends_on", "directive", "delegates",
              "delegates_present", "ballots_issued", "ballots_valid")  # fmt: skip
    required_when_correcting = (*FIELDS[:4], *FIELDS[5:], "candidates")

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        for name in self.FIELDS:
            if isinstance(self.fields[name], forms.IntegerField):
                self.fields[name].widget.attrs.update({"class": "form-control"})

    def clean_candidates(self):
        text = self.cleaned_data.get("candidates") or ""
        if not text.strip():
            return None
        return parse_candidates(text, self.organization)

    def changes(self) -> dict:
        data = self.cleaned_data
        return {**{name: data.get(name) for name in self.FIELDS},
                "candidates": data.get("candidates")}  # fmt: skip


# ---------------------------------------------------------------- results of a congress


class ConfirmForm(forms.Form):
    """Confirm a congress's results: the elected take their seats; the first meeting of the
    committee elects its leaders among them."""

    held_on = date_field(gettext_lazy("Ngày hội nghị cấp ủy lần thứ nhất"))
    secretary = forms.ModelChoiceField(
        label=gettext_lazy("Bí thư"), queryset=None, widget=forms.Select(attrs=SELECT)
    )
    deputies = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Phó Bí thư"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    standing = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Ủy viên Ban Thường vụ (ngoài Bí thư, Phó Bí thư)"), queryset=None,
        required=False, widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    inspection_chair = forms.ModelChoiceField(
        label=gettext_lazy("Chủ nhiệm Ủy ban kiểm tra"), queryset=None, required=False,
        widget=forms.Select(attrs=SELECT),
    )  # fmt: skip
    inspection_members = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Ủy viên Ủy ban kiểm tra"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    decision_no = forms.CharField(
        label=gettext_lazy("Số nghị quyết đại hội, quyết định chuẩn y"), max_length=60,
        widget=forms.TextInput(attrs=TEXT),
    )  # fmt: skip
    decision_date = date_field(gettext_lazy("Ngày nghị quyết, quyết định"))
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.congress = congress
        elected = selectors.elected_members(congress=congress)
        for name in ("secretary", "deputies", "standing", "inspection_chair",
                     "inspection_members"):  # fmt: skip
            self.fields[name].queryset = elected
            self.fields[name].label_from_instance = lambda m: m.full_name

    def meeting(self) -> FirstMeeting:
        data = self.cleaned_data
        return FirstMeeting(
            held_on=data["held_on"], secretary=data["secretary"],
            deputies=list(data.get("deputies") or []), standing=list(data.get("standing") or []),
            inspection_chair=data.get("inspection_chair"),
            inspection_members=list(data.get("inspection_members") or []),
        )  # fmt: skip

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "congress": self.congress, "meeting": self.meeting(),
            "decision_no": data["decision_no"], "decision_date": data["decision_date"],
            "row_version": data.get("row_version"),
        }  # fmt: skip


KINDS_BY_WORD = {fold(str(label)): value for value, label in DelegateKind.choices} | {
    "chinh thuc": DelegateKind.OFFICIAL, "du khuyet": DelegateKind.ALTERNATE,
}  # fmt: skip


class DelegatesForm(forms.Form):
    """The delegates a congress elected to the congress above, one per line:
    "Họ và tên; chính thức|dự khuyết; số phiếu" (the votes may be left out)."""

    delegates = forms.CharField(
        label=gettext_lazy("Đại biểu dự đại hội cấp trên"), required=False,
        help_text=gettext_lazy(
            "Mỗi dòng một người: Họ và tên; chính thức hoặc dự khuyết; số phiếu (không bắt buộc)."
        ),
        widget=forms.Textarea(attrs={**TEXT, "rows": 10}),
    )  # fmt: skip
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.congress = congress

    def clean_delegates(self):
        rows, errors = [], []
        for number, raw in enumerate(self.cleaned_data["delegates"].splitlines(), start=1):
            if not raw.strip():
                continue
            parts = [p.strip() for p in raw.split(";")]
            name = " ".join(parts[0].split())
            kind = KINDS_BY_WORD.get(fold(parts[1])) if len(parts) > 1 else None
            votes = parts[2].replace(".", "") if len(parts) > 2 else ""
            if not name or kind is None or (votes and not votes.isdigit()) or len(parts) > 3:
                errors.append(
                    _("Dòng %(n)s: cần “Họ và tên; chính thức hoặc dự khuyết; số phiếu”.")
                    % {"n": number}
                )
                continue
            rows.append((name, kind, int(votes) if votes else None))
        if errors:
            raise forms.ValidationError(errors)
        names = [row[0] for row in rows]
        members = selectors.members_by_name(organization=self.congress.organization, names=names)
        return [(name, kind, votes, members.get(name)) for name, kind, votes in rows]

    def service_kwargs(self) -> dict:
        return {
            "congress": self.congress, "delegates": self.cleaned_data["delegates"],
            "row_version": self.cleaned_data.get("row_version"),
        }  # fmt: skip
