"""Vietnamese personal names for the demo's members, with weights.

Family names: the national distribution (Nguyễn ~38%, Trần ~11%, Lê ~9.5%, Phạm ~7%,
Hoàng ~5% …) for the Kinh; the families of Lạng Sơn's Tày and Nùng (Hoàng, Nông, Lương,
Vi, Lộc, Lăng, Hà, Chu, Mã, Triệu, Hứa, Vy …), Dao (Triệu, Bàn, Đặng, Lý), Hoa, Sán Chay,
Mường and Hmông for those peoples. Middle names are gendered (Văn, Đức, Hữu … / Thị,
Thu, Ngọc …); given names too. Weights are relative, not percentages.
"""

from __future__ import annotations

import random
from bisect import bisect
from itertools import accumulate

# Ethnicity codes (tochuc.lib.reference.ETHNICITIES) and their share among Lạng Sơn's
# party members: Nùng ~42%, Tày ~35%, Kinh ~16%, Dao, Hoa, Sán Chay, Mường …
ETHNICITY_SHARES = {
    "07": 42.0,  # Nùng
    "02": 35.0,  # Tày
    "01": 14.5,  # Kinh
    "09": 4.6,  # Dao
    "15": 0.6,  # Sán Chay
    "04": 0.5,  # Hoa
    "06": 0.3,  # Mường
    "18": 0.2,  # Sán Dìu
    "08": 0.15,  # Hmông
    "03": 0.15,  # Thái
}

KINH_FAMILIES = {
    "Nguyễn": 38.0, "Trần": 11.0, "Lê": 9.5, "Phạm": 7.0, "Hoàng": 4.6, "Huỳnh": 0.4,
    "Vũ": 3.4, "Võ": 0.5, "Phan": 2.5, "Trương": 0.8, "Bùi": 2.0, "Đặng": 2.1, "Đỗ": 1.4,
    "Ngô": 1.3, "Hồ": 1.0, "Dương": 1.0, "Lý": 0.5, "Đào": 0.9, "Đoàn": 0.8, "Trịnh": 0.8,
    "Đinh": 0.7, "Mai": 0.5, "Lương": 0.5, "Hà": 0.5, "Tạ": 0.4, "Phùng": 0.4, "Cao": 0.4,
    "Lâm": 0.3, "Tô": 0.3, "Vương": 0.3, "Chu": 0.3, "Kiều": 0.2, "Thân": 0.2, "Lưu": 0.3,
    "Nghiêm": 0.1, "Khổng": 0.1, "Quách": 0.1,
}  # fmt: skip
TAY_FAMILIES = {
    "Hoàng": 17.0, "Nông": 12.0, "Nguyễn": 9.0, "Lương": 6.0, "Vi": 5.0, "Hà": 5.0,
    "Lộc": 5.0, "Lăng": 3.0, "Hứa": 3.0, "Triệu": 3.0, "Chu": 3.0, "Mã": 3.0, "Vy": 3.0,
    "Đinh": 2.0, "Lý": 2.0, "Dương": 2.0, "Bế": 2.0, "Lành": 2.0, "Trần": 2.0, "Linh": 1.5,
    "Đàm": 1.5, "Lê": 1.5, "Lục": 1.0, "Ma": 1.0, "Long": 1.0, "Phùng": 1.0, "Tô": 1.0,
    "Lưu": 1.0, "Phan": 0.5, "Sầm": 0.5, "Hầu": 0.3,
}  # fmt: skip
NUNG_FAMILIES = {
    "Hoàng": 16.0, "Nông": 9.0, "Nguyễn": 7.0, "Lương": 6.0, "Vi": 6.0, "Chu": 5.0,
    "Lăng": 5.0, "Mã": 4.0, "Triệu": 4.0, "Hứa": 4.0, "Lộc": 4.0, "Lý": 4.0, "Dương": 3.0,
    "Vy": 3.0, "Hà": 3.0, "Lục": 2.0, "Lành": 2.0, "Đàm": 2.0, "Tô": 1.5, "Lâm": 1.5,
    "Trần": 1.5, "Sầm": 1.0, "Bế": 1.0, "Ngôn": 1.0, "Lê": 1.0, "Phùng": 1.0, "Đinh": 1.0,
    "Nịnh": 0.5, "Lô": 0.5,
}  # fmt: skip
DAO_FAMILIES = {
    "Triệu": 30.0, "Bàn": 20.0, "Đặng": 15.0, "Lý": 14.0, "Phùng": 8.0, "Chìu": 4.0,
    "Tằng": 3.0, "Hoàng": 3.0, "Dương": 2.0, "Trần": 1.0,
}  # fmt: skip
HOA_FAMILIES = {
    "Lý": 15.0, "Trương": 12.0, "Lâm": 12.0, "Lưu": 10.0, "Hoàng": 10.0, "Tạ": 8.0,
    "Chu": 8.0, "Dương": 6.0, "Quan": 5.0, "Mạc": 5.0, "Diệp": 5.0, "Lương": 4.0,
}  # fmt: skip
SAN_CHAY_FAMILIES = {
    "Hoàng": 25.0, "Lý": 15.0, "Lâm": 15.0, "Nịnh": 10.0, "Trần": 10.0, "Dương": 10.0,
    "La": 8.0, "Vi": 7.0,
}  # fmt: skip
MUONG_FAMILIES = {"Bùi": 30.0, "Đinh": 25.0, "Quách": 15.0, "Hà": 15.0, "Phạm": 10.0, "Xa": 5.0}
HMONG_FAMILIES = {"Vàng": 25.0, "Giàng": 20.0, "Lý": 15.0, "Sùng": 15.0, "Thào": 15.0, "Hầu": 10.0}
FAMILIES_BY_ETHNICITY = {
    "01": KINH_FAMILIES, "02": TAY_FAMILIES, "07": NUNG_FAMILIES, "09": DAO_FAMILIES,
    "04": HOA_FAMILIES, "15": SAN_CHAY_FAMILIES, "06": MUONG_FAMILIES, "08": HMONG_FAMILIES,
    "18": {**KINH_FAMILIES, "Lỷ": 3.0, "Diệp": 3.0}, "03": {"Lò": 30, "Lường": 25, "Quàng": 20,
                                                          "Cầm": 15, "Hà": 10},
}  # fmt: skip

MALE_MIDDLE = {
    "Văn": 40.0, "Đức": 6.0, "Hữu": 4.0, "Quang": 4.0, "Minh": 4.0, "Mạnh": 2.5,
    "Xuân": 2.5, "Thanh": 3.0, "Ngọc": 2.0, "Công": 2.5, "Đình": 2.5, "Trung": 2.0,
    "Tuấn": 1.5, "Hoàng": 1.5, "Anh": 1.5, "Việt": 1.5, "Duy": 1.5, "Tiến": 1.5, "Bá": 1.0,
    "Hồng": 1.0, "Kim": 1.0, "Thế": 1.5, "Quốc": 1.5, "Hải": 1.0, "Huy": 1.0, "Trọng": 1.0,
    "Chí": 1.0, "Nhật": 0.5, "Khắc": 0.5, "Tất": 0.3,
}  # fmt: skip
FEMALE_MIDDLE = {
    "Thị": 55.0, "Thu": 4.0, "Thanh": 4.0, "Ngọc": 3.0, "Minh": 2.0, "Hồng": 3.0,
    "Hương": 1.5, "Phương": 1.5, "Kim": 2.0, "Lan": 1.0, "Bích": 1.5, "Diệu": 1.0, "Hải": 1.0,
    "Mai": 1.0, "Khánh": 1.0, "Thúy": 1.5, "Thùy": 1.5, "Hoài": 1.0, "Quỳnh": 1.0,
    "Tuyết": 0.5, "Vân": 0.5, "Ánh": 1.0, "Bảo": 0.5, "Cẩm": 0.5, "Mỹ": 0.5, "Hà": 0.5,
}  # fmt: skip
MALE_GIVEN = {
    "Anh": 3.0, "Bình": 2.5, "Cường": 2.5, "Dũng": 3.0, "Đức": 2.0, "Hải": 3.0, "Hùng": 3.5,
    "Huy": 2.0, "Hưng": 2.0, "Khánh": 1.5, "Lâm": 1.5, "Long": 2.5, "Mạnh": 2.0, "Minh": 3.0,
    "Nam": 2.5, "Phong": 1.5, "Phúc": 1.5, "Quân": 2.0, "Quang": 2.0, "Sơn": 3.0,
    "Tài": 1.5, "Thắng": 2.5, "Thành": 3.0, "Tiến": 2.0, "Toàn": 1.5, "Trung": 2.5,
    "Tuấn": 3.0, "Tùng": 2.0, "Việt": 1.5, "Vinh": 2.0, "Hòa": 2.0, "Hiếu": 1.5,
    "Hoàng": 1.5, "Kiên": 1.5, "Lực": 1.0, "Lợi": 1.0, "Nghĩa": 1.5, "Ngọc": 1.0,
    "Phú": 1.0, "Quý": 1.0, "Tâm": 1.0, "Thái": 1.0, "Thịnh": 1.0, "Thuận": 1.0, "Trí": 1.0,
    "Trường": 1.5, "Tú": 1.0, "Chiến": 1.5, "Công": 1.0, "Đạt": 1.5, "Định": 1.0,
    "Đông": 1.0, "Giang": 1.0, "Hậu": 1.0, "Hiển": 0.8, "Học": 0.8, "Hợp": 0.8, "Khải": 0.8,
    "Khoa": 0.8, "Lập": 0.8, "Luân": 0.8, "Lượng": 0.8, "Ninh": 0.8, "Quyết": 1.0,
    "Sáng": 0.6, "Sinh": 0.8, "Tân": 1.0, "Thạch": 0.6, "Thiện": 0.8, "Thông": 0.8,
    "Tình": 0.8, "Tường": 0.8, "Vũ": 1.0, "Xuân": 0.8, "Bắc": 0.6, "Cảnh": 0.6, "Chung": 0.8,
    "Dương": 0.8, "Duy": 1.0, "Điệp": 0.5, "Hà": 0.6, "Hào": 0.6, "Kỳ": 0.5, "Lộc": 0.8,
    "Nhất": 0.5, "Pháo": 0.3, "Quế": 0.4, "Sỹ": 0.5, "Thọ": 0.8, "Tuyên": 0.6, "Văn": 0.3,
}  # fmt: skip
FEMALE_GIVEN = {
    "Anh": 2.0, "Bích": 1.5, "Chi": 1.0, "Dung": 2.5, "Duyên": 1.5, "Giang": 1.5, "Hà": 2.5,
    "Hạnh": 2.5, "Hằng": 2.5, "Hiền": 2.5, "Hoa": 3.0, "Hồng": 2.5, "Huệ": 2.0, "Hương": 3.0,
    "Huyền": 2.0, "Lan": 3.0, "Liên": 2.0, "Linh": 2.5, "Loan": 1.5, "Mai": 2.5, "Minh": 1.0,
    "My": 0.8, "Nga": 2.5, "Ngân": 1.0, "Ngọc": 1.5, "Nhung": 2.0, "Oanh": 1.5,
    "Phương": 2.5, "Quyên": 1.0, "Quỳnh": 1.0, "Tâm": 1.0, "Thảo": 2.5, "Thanh": 2.0,
    "Thơm": 1.0, "Thu": 2.0, "Thủy": 3.0, "Thúy": 2.0, "Trang": 2.5, "Tuyết": 1.5,
    "Uyên": 0.6, "Vân": 2.0, "Yến": 2.0, "Lụa": 0.8, "Lý": 0.8, "Mận": 0.6, "Nhàn": 1.0,
    "Tươi": 1.0, "Sen": 0.8, "Đào": 0.8, "Hảo": 0.8, "Hậu": 0.8, "Khuyên": 0.6,
    "Nguyệt": 1.0, "Phượng": 1.0, "Thắm": 1.0, "Thoa": 1.0, "Xuân": 1.0, "Điệp": 0.6,
    "Dịu": 0.6, "Hường": 1.0, "Lành": 0.5, "Ly": 0.8, "Mơ": 0.5, "Nụ": 0.5, "Quế": 0.5,
    "Thêu": 0.4, "Vui": 0.4, "Gấm": 0.4, "Hoài": 0.6, "Diệp": 0.5,
}  # fmt: skip
# A second middle word for some younger people: "Nguyễn Thị Thu Hà".
COMPOUND_FEMALE = ("Thu", "Thanh", "Ngọc", "Minh", "Phương", "Hồng", "Bích", "Kim", "Mai")
COMPOUND_MALE = ("Minh", "Quang", "Đức", "Tuấn", "Hoàng", "Việt", "Anh", "Thanh")


class Weighted:
    """Draws keys of a {key: weight} mapping with their weights (one bisect a draw)."""

    def __init__(self, weights: dict):
        items = [(k, w) for k, w in weights.items() if w > 0]
        self.keys = [k for k, _ in items]
        self.cumulative = list(accumulate(w for _, w in items))
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random):
        return self.keys[bisect(self.cumulative, rng.random() * self.total)]


ETHNICITY = Weighted(ETHNICITY_SHARES)
FAMILY = {code: Weighted(weights) for code, weights in FAMILIES_BY_ETHNICITY.items()}
MIDDLE = {"male": Weighted(MALE_MIDDLE), "female": Weighted(FEMALE_MIDDLE)}
GIVEN = {"male": Weighted(MALE_GIVEN), "female": Weighted(FEMALE_GIVEN)}


def full_name(rng: random.Random, *, gender: str, ethnicity: str, born: int) -> str:
    """ "Nông Văn Thắng", "Nguyễn Thị Thu Hà": family, middle (gendered), given name."""
    family = FAMILY.get(ethnicity, FAMILY["01"])(rng)
    young = born >= 1980
    middle = MIDDLE[gender](rng)
    # Older people, and the Tày, Nùng and Dao, keep Văn and Thị more than young Kinh do.
    usual = "Văn" if gender == "male" else "Thị"
    if middle != usual and ethnicity != "01" and rng.random() < 0.35:
        middle = usual
    if middle == usual and young and ethnicity == "01" and rng.random() < 0.45:
        middle = MIDDLE[gender](rng)
    given = GIVEN[gender](rng)
    parts = [family, middle]
    if young and rng.random() < 0.15:
        extra = rng.choice(COMPOUND_FEMALE if gender == "female" else COMPOUND_MALE)
        if extra not in (middle, given):
            parts.append(extra)
    parts.append(given)
    return " ".join(parts)
