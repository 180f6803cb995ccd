"""Forms of the transfer pages, temporary activity and members working away. They parse
and check input; the services (`services.py`) decide."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import global_lookup
from tochuc.members.forms import CELL_KINDS, MemberAddForm, MemberForm, date_field
from tochuc.members.forms import text_field as _text
from tochuc.organizations.forms import SELECT
from tochuc.organizations.models import Organization

from .models import Transfer
from .services import OutsideLetter

INSIDE = "trong"
OUTSIDE = "ngoai"


class DestinationMixin(forms.Form):
    """Where to: a cell of the system by its code, or a party outside the system.

    Any active cell of the system may be named (the sender rarely manages the
    destination): the letter goes to it and its officers receive the member."""

    where = forms.ChoiceField(
        label=gettext_lazy("Nơi đến"),
        choices=[
            (INSIDE, gettext_lazy("Chi bộ trong hệ thống")),
            (OUTSIDE, gettext_lazy("Ngoài hệ thống (tỉnh khác, nước ngoài)")),
        ],
        initial=INSIDE,
        widget=forms.RadioSelect,
    )
    to_code = _text(
        gettext_lazy("Mã chi bộ nơi đến"), required=False, max_length=40,
        help_text=gettext_lazy("Hỏi cấp ủy nơi đến mã chi bộ, hoặc tìm theo tên bên dưới."),
    )  # fmt: skip
    other_party = _text(
        gettext_lazy("Nơi đến ngoài hệ thống"), required=False,
        placeholder=gettext_lazy("VD: Đảng ủy phường Bến Nghé, Thành ủy TP Hồ Chí Minh"),
    )  # fmt: skip

    def clean_destination(self, data) -> None:
        data["to"] = None
        if data.get("where") == INSIDE:
            code = (data.get("to_code") or "").strip()
            if not code:
                self.add_error("to_code", _("Hãy nhập mã chi bộ nơi đến."))
                return
            found = global_lookup(
                "transfers.forms: destination cell by code",
                Organization.objects.filter(code=code, kind__in=CELL_KINDS, ended_on__isnull=True),
            ).first()
            if found is None:
                self.add_error(
                    "to_code",
                    _("Không có chi bộ đang hoạt động mã “%(code)s”.") % {"code": code},
                )
            else:
                data["to"] = found
        elif not (data.get("other_party") or "").strip():
            self.add_error("other_party", _("Hãy ghi nơi đến ngoài hệ thống."))

    def destination_kwargs(self, host_name: str = "to") -> dict:
        data = self.cleaned_data
        inside = data["where"] == INSIDE
        return {
            host_name: data["to"] if inside else None,
            "other_party": "" if inside else data["other_party"].strip(),
        }


class TransferIssueForm(DestinationMixin, MemberForm):
    """The official introduction letter."""

    error_fields = {"to": "to_code"}

    on = date_field(gettext_lazy("Ngày cấp giấy giới thiệu"))
    move_decided_on = date_field(
        gettext_lazy("Ngày quyết định chuyển công tác, nơi cư trú"),
        required=False,
        help_text=gettext_lazy(
            "Nếu có: thủ tục phải làm trong 60 ngày làm việc kể từ ngày này (theo quy định "
            "đang áp dụng)."
        ),
    )
    reason = _text(
        gettext_lazy("Lý do chuyển"),
        required=False,
        placeholder=gettext_lazy("VD: chuyển công tác, thay đổi nơi cư trú"),
    )
    field_order = ["where", "to_code", "other_party", "on", "move_decided_on", "reason"]

    def clean(self):
        data = super().clean()
        self.clean_destination(data)
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            **self.destination_kwargs(),
            "on": data["on"],
            "move_decided_on": data.get("move_decided_on"),
            "reason": data.get("reason", ""),
        }


class TemporaryTransferForm(DestinationMixin, MemberForm):
    """The temporary letter: host and period."""

    error_fields = {"to": "to_code"}

    purpose = forms.ChoiceField(
        label=gettext_lazy("Mục đích"), choices=Transfer.Purpose.choices,
        widget=forms.Select(attrs=SELECT),
        help_text=gettext_lazy(
            "Công tác, cư trú: từ 3 tháng đến dưới 1 năm; đi học: từ 3 tháng đến 2 năm."
        ),
    )  # fmt: skip
    on = date_field(gettext_lazy("Ngày cấp giấy (bắt đầu sinh hoạt tạm thời)"))
    ends_on = date_field(gettext_lazy("Sinh hoạt tạm thời đến ngày"))
    reason = _text(gettext_lazy("Ghi chú"), required=False)
    field_order = ["where", "to_code", "other_party", "purpose", "on", "ends_on", "reason"]

    def clean(self):
        data = super().clean()
        self.clean_destination(data)
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            **self.destination_kwargs("host"),
            "on": data["on"],
            "ends_on": data["ends_on"],
            "purpose": data["purpose"],
            "reason": data.get("reason", ""),
        }


class ReceiveForm(forms.Form):
    arrived_on = date_field(
        gettext_lazy("Ngày đến sinh hoạt"),
        help_text=gettext_lazy("Ngày đảng viên xuất trình giấy giới thiệu và bắt đầu sinh hoạt."),
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput)


class ReturnForm(forms.Form):
    on = date_field(gettext_lazy("Ngày trở về sinh hoạt tại nơi chính thức"))


class ReceiveFromOutsideForm(MemberAddForm):
    """A member arriving from outside the system: the other party's letter, the cell, the
    record and the admission dates."""

    error_fields = {"organization": "cell", "letter_no": "letter_no"}

    letter_no = _text(gettext_lazy("Số giấy giới thiệu"), max_length=60,
                      placeholder=gettext_lazy("VD: 45-GGT/ĐU"))  # fmt: skip
    letter_on = date_field(gettext_lazy("Ngày cấp giấy giới thiệu"))
    issued_by = _text(
        gettext_lazy("Nơi cấp (tổ chức đảng nơi đi)"),
        placeholder=gettext_lazy("VD: Đảng ủy xã Yên Bình, Tỉnh ủy Thái Nguyên"),
    )
    arrived_on = date_field(gettext_lazy("Ngày đến sinh hoạt"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("since")
        for name in ("letter_no", "letter_on", "issued_by", "arrived_on"):
            self.fields[name] = self.fields.pop(name)
        self.fields["letter_no"].heading = _("Giấy giới thiệu")

    def service_kwargs(self) -> dict:
        kwargs = super().service_kwargs()
        kwargs.pop("since")
        data = self.cleaned_data
        letter = OutsideLetter(data["letter_no"].strip(), data["letter_on"], data["issued_by"])
        return {**kwargs, "letter": letter, "arrived_on": data["arrived_on"]}


class WorkingAwayForm(MemberForm):
    place = _text(gettext_lazy("Nơi làm ăn"), placeholder=gettext_lazy("VD: KCN Vsip, Bình Dương"))
    starts_on = date_field(gettext_lazy("Đi từ ngày"))
    ends_on = date_field(gettext_lazy("Dự kiến đến ngày"), required=False)
    contact = _text(gettext_lazy("Liên hệ (điện thoại, địa chỉ)"))
    note = _text(gettext_lazy("Ghi chú"), required=False)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {name: data.get(name) or ("" if name == "note" else None) for name in
                ("place", "starts_on", "ends_on", "contact", "note")}  # fmt: skip


class WorkingAwayCheckForm(forms.Form):
    checked_on = date_field(gettext_lazy("Ngày kiểm tra, liên hệ"))
    result = _text(gettext_lazy("Kết quả"), placeholder=gettext_lazy("VD: gọi điện, vẫn làm tại"))


class WorkingAwayEndForm(forms.Form):
    on = date_field(gettext_lazy("Ngày trở về địa phương"))


class ReceiveRequestDecisionForm(forms.Form):
    """The side that keeps the record confirms a request to receive it, or refuses it."""

    CONFIRM = "xac-nhan"
    REFUSE = "tu-choi"

    action = forms.ChoiceField(
        label=gettext_lazy("Quyết định"),
        choices=[
            (CONFIRM, gettext_lazy("Xác nhận: chuyển hồ sơ về chi bộ tiếp nhận")),
            (REFUSE, gettext_lazy("Từ chối")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Hãy chọn xác nhận hoặc từ chối.")},
    )
    note = _text(gettext_lazy("Lý do từ chối"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("action") == self.REFUSE and not (data.get("note") or "").strip():
            self.add_error("note", _("Hãy ghi lý do từ chối."))
        return data


class ReceiveRequestWithdrawForm(forms.Form):
    """The receiving side withdraws its request while it waits."""

    note = _text(gettext_lazy("Lý do rút yêu cầu"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].error_messages["required"] = _("Hãy ghi lý do rút yêu cầu.")
