"""The bands of the statistical forms: age (1-TCTW) and general education (2-TCTW)."""

import re

from django.utils.translation import gettext_lazy

from .live import AgeBand

# Age bands of form 1-TCTW (Hướng dẫn 11-HD/BTCTW, 13/12/2021): up to 30, 31–40 … over 70.
AGE_BANDS = [
    AgeBand("30", None, 30),
    AgeBand("31_40", 31, 40),
    AgeBand("41_50", 41, 50),
    AgeBand("51_60", 51, 60),
    AgeBand("61_70", 61, 70),
    AgeBand("71", 71, None),
]
AGE_LABELS = {
    "30": gettext_lazy("Đến 30 tuổi"),
    "31_40": gettext_lazy("Từ 31 đến 40 tuổi"),
    "41_50": gettext_lazy("Từ 41 đến 50 tuổi"),
    "51_60": gettext_lazy("Từ 51 đến 60 tuổi"),
    "61_70": gettext_lazy("Từ 61 đến 70 tuổi"),
    "71": gettext_lazy("Trên 70 tuổi"),
}
# General education (form 2-TCTW): grade reached out of the system's last grade (12 or 10).
EDUCATION_LEVELS = [
    ("primary", gettext_lazy("Tiểu học")),
    ("lower_secondary", gettext_lazy("Trung học cơ sở")),
    ("upper_secondary", gettext_lazy("Trung học phổ thông")),
    ("unknown", gettext_lazy("Chưa ghi")),
]
EDUCATION = re.compile(r"^(\d{1,2})/(10|12)$")
# Last grade of primary and of lower secondary school in each system.
EDUCATION_STAGES = {12: (5, 9), 10: (4, 7)}


def education_level(value: str) -> str:
    match = EDUCATION.match(value or "")
    if not match:
        return "unknown"
    grade, system = int(match.group(1)), int(match.group(2))
    primary, lower = EDUCATION_STAGES[system]
    if grade <= primary:
        return "primary"
    return "lower_secondary" if grade <= lower else "upper_secondary"
