"""The members import's format: its columns (as the template documents them), the lists
its cells are chosen from, and the limits of its values (`members.importing` reads them)."""

import re

from django.utils.translation import gettext_lazy

from tochuc.imports import columns
from tochuc.lib import xlsx
from tochuc.lib.reference import (
    ETHNICITIES,
    KINH,
    RELIGIONS,
    Gender,
    PoliticalTheory,
    Qualification,
    StateManagement,
)

from .models import Member

SAMPLE_ROWS = 20
CARD_PATTERN = re.compile(r"^[0-9A-Z./-]+$")
MOBILE_WITHOUT_ZERO = re.compile(r"^[1-9]\d{8}$")

# Other spellings in common use, folded (see `_key`) → code.
ETHNICITY_ALIASES = {
    "mong": "08", "hmong": "08", "mieu": "08", "khmer": "05", "jrai": "10", "giarai": "10",
    "rhade": "12", "bahnar": "13", "sedang": "14", "koho": "16", "cham": "17", "raglai": "21",
    "stieng": "22", "vankieu": "23", "katu": "26", "khmu": "29", "taoi": "31", "hani": "35",
    "lolo": "43", "bouyei": "49", "boy": "49",
}  # fmt: skip
RELIGION_ALIASES = {"hoahao": "hoa_hao", "thienchua": "cong_giao", "thienchuagiao": "cong_giao"}

COLUMNS = [
    xlsx.Column(
        "organization", gettext_lazy("Mã chi bộ"), required=True, width=22,
        format=gettext_lazy("Mã một chi bộ (chi bộ cơ sở hoặc chi bộ trực thuộc) đã có"),
        note=gettext_lazy(
            "Chi bộ trong phạm vi bạn được phân quyền; xem mã trên trang của tổ chức."
        ),
    ),
    xlsx.Column(
        "full_name", gettext_lazy("Họ và tên"), required=True, width=26,
        format=gettext_lazy("Văn bản, tối đa 120 ký tự"),
        note=gettext_lazy("Khoảng trắng thừa được bỏ."),
    ),
    xlsx.Column(
        "other_names", gettext_lazy("Tên gọi khác"), width=16,
        format=gettext_lazy("Văn bản, tối đa 120 ký tự"),
    ),
    xlsx.Column(
        "gender", gettext_lazy("Giới tính"), required=True, width=10,
        format=gettext_lazy("Nam hoặc Nữ"), choices=tuple(Gender.labels),
    ),
    columns.Date(
        "birth_date", gettext_lazy("Ngày sinh"), required=True, width=13, bounded=False,
    ),
    xlsx.Column("birthplace", gettext_lazy("Nơi sinh"), width=24,
                format=gettext_lazy("Văn bản, tối đa 255 ký tự")),
    xlsx.Column("hometown", gettext_lazy("Quê quán"), width=24,
                format=gettext_lazy("Văn bản, tối đa 255 ký tự")),
    xlsx.Column("residence", gettext_lazy("Nơi ở hiện nay"), width=28,
                format=gettext_lazy("Văn bản, tối đa 255 ký tự")),
    xlsx.Column(
        "ethnicity", gettext_lazy("Dân tộc"), width=14,
        format=gettext_lazy("Tên một trong 54 dân tộc (không phân biệt hoa thường, dấu, gạch nối)"),
        choices=tuple(name for _code, name in ETHNICITIES),
        note=gettext_lazy("Để trống: Kinh."),
    ),
    xlsx.Column(
        "religion", gettext_lazy("Tôn giáo"), width=16,
        format=gettext_lazy("Một giá trị trong danh mục"),
        choices=tuple(name for _code, name in RELIGIONS),
        note=gettext_lazy("Để trống: Không."),
    ),
    xlsx.Column(
        "citizen_id", gettext_lazy("Số CCCD"), width=15,
        format=gettext_lazy("Đúng 12 chữ số (ô kiểu Văn bản để giữ số 0 ở đầu)"),
        note=gettext_lazy(
            "Số căn cước (căn cước công dân). Cùng với số thẻ đảng viên, dùng để nhận ra "
            "đảng viên đã có khi nhập lại tệp."
        ),
    ),
    xlsx.Column("phone", gettext_lazy("Điện thoại"), width=13,
                format=gettext_lazy("Văn bản, tối đa 20 ký tự")),
    xlsx.Column("email", gettext_lazy("Email"), width=24,
                format=gettext_lazy("Địa chỉ thư điện tử")),
    xlsx.Column(
        "general_education", gettext_lazy("Giáo dục phổ thông"), width=12,
        format=gettext_lazy("Lớp/hệ, ví dụ 12/12 hoặc 10/10"),
    ),
    xlsx.Column(
        "qualification", gettext_lazy("Chuyên môn"), width=16,
        format=gettext_lazy("Trình độ chuyên môn, nghiệp vụ cao nhất, trong danh mục"),
        choices=tuple(Qualification.labels),
    ),
    xlsx.Column(
        "political_theory", gettext_lazy("Lý luận chính trị"), width=16,
        format=gettext_lazy("Một giá trị trong danh mục"), choices=tuple(PoliticalTheory.labels),
    ),
    xlsx.Column(
        "state_management", gettext_lazy("Quản lý nhà nước"), width=18,
        format=gettext_lazy("Một giá trị trong danh mục"), choices=tuple(StateManagement.labels),
    ),
    xlsx.Column("occupation", gettext_lazy("Nghề nghiệp"), width=18,
                format=gettext_lazy("Văn bản, tối đa 120 ký tự")),
    xlsx.Column("workplace", gettext_lazy("Nơi làm việc"), width=26,
                format=gettext_lazy("Văn bản, tối đa 255 ký tự")),
    xlsx.Column(
        "party_card_no", gettext_lazy("Số thẻ đảng viên"), width=14,
        format=gettext_lazy("Chữ số (có thể có chữ cái, dấu . / -), tối đa 20 ký tự"),
        note=gettext_lazy("Duy nhất trong toàn hệ thống."),
    ),
    xlsx.Column(
        "admission_decision_no", gettext_lazy("Số quyết định kết nạp"), width=16,
        format=gettext_lazy("Văn bản, tối đa 60 ký tự"),
        note=gettext_lazy("Ví dụ 125-QĐ/ĐU."),
    ),
    columns.Date(
        "admitted_on", gettext_lazy("Ngày quyết định kết nạp"), required=True, width=14,
        note=gettext_lazy(
            "Sau ngày sinh, không sau hôm nay; người được kết nạp đủ tuổi tối thiểu (tính theo "
            "tháng) theo quy định có hiệu lực vào ngày này. Tuổi đảng tính từ ngày này."
        ),
    ),
    columns.Date(
        "ceremony_on", gettext_lazy("Ngày vào Đảng"), width=14,
        note=gettext_lazy("Ngày lễ kết nạp: không trước ngày quyết định kết nạp."),
    ),
    columns.Date(
        "confirmed_on", gettext_lazy("Ngày chính thức"), width=14,
        note=gettext_lazy(
            "Ngày được công nhận đảng viên chính thức; để trống nếu còn dự bị. Không trước "
            "ngày vào Đảng."
        ),
    ),
    columns.Date(
        "since", gettext_lazy("Sinh hoạt tại chi bộ từ ngày"), width=16,
        note=gettext_lazy(
            "Để trống: từ ngày vào Đảng (hoặc ngày quyết định kết nạp), nhưng không trước ngày "
            "thành lập chi bộ. Chi bộ phải đang hoạt động vào ngày này."
        ),
    ),
]  # fmt: skip
TITLES = {c.key: c.title for c in COLUMNS}
TEXT_FIELDS = [
    "full_name", "other_names", "birthplace", "hometown", "residence", "phone", "email",
    "occupation", "workplace", "admission_decision_no",
]  # fmt: skip
DATE_FIELDS = ["birth_date", "admitted_on", "ceremony_on", "confirmed_on", "since"]
# The date columns (`columns.Date`): act dates within the acts' bounds (policy.acts), the
# birth date any real date.
DATES: dict[str, columns.Date] = {c.key: c for c in COLUMNS if isinstance(c, columns.Date)}
MAX_LENGTHS = {
    key: Member._meta.get_field(key).max_length
    for key in (*TEXT_FIELDS, "citizen_id", "party_card_no")
}

# The lists a cell's value is chosen from, by its column (`columns.Choice`: by label or
# code, whatever the accents, case and punctuation, or by one of the other spellings).
LISTS: dict[str, columns.Choice] = {
    name: columns.Choice(name, TITLES[name], vocabulary=pairs, synonyms=synonyms)
    for name, pairs, synonyms in (
        ("gender", Gender.choices, {}),
        ("ethnicity", ETHNICITIES, ETHNICITY_ALIASES),
        ("religion", RELIGIONS, RELIGION_ALIASES),
        ("qualification", Qualification.choices, {}),
        ("political_theory", PoliticalTheory.choices, {}),
        ("state_management", StateManagement.choices, {}),
    )
}
DEFAULTS = {"ethnicity": KINH}
