"""Official reference lists: Vietnam's 54 ethnic groups (Tổng cục Thống kê codes),
religions recognized by the State, and the education and training levels of form 2-HSĐV."""

from django.db import models

ETHNICITIES = [
    ("01", "Kinh"), ("02", "Tày"), ("03", "Thái"), ("04", "Hoa"), ("05", "Khơ-me"),
    ("06", "Mường"), ("07", "Nùng"), ("08", "Hmông"), ("09", "Dao"), ("10", "Gia-rai"),
    ("11", "Ngái"), ("12", "Ê-đê"), ("13", "Ba-na"), ("14", "Xơ-đăng"), ("15", "Sán Chay"),
    ("16", "Cơ-ho"), ("17", "Chăm"), ("18", "Sán Dìu"), ("19", "Hrê"), ("20", "Mnông"),
    ("21", "Ra-glai"), ("22", "Xtiêng"), ("23", "Bru-Vân Kiều"), ("24", "Thổ"),
    ("25", "Giáy"), ("26", "Cơ-tu"), ("27", "Gié-Triêng"), ("28", "Mạ"), ("29", "Khơ-mú"),
    ("30", "Co"), ("31", "Tà-ôi"), ("32", "Chơ-ro"), ("33", "Kháng"), ("34", "Xinh-mun"),
    ("35", "Hà Nhì"), ("36", "Chu-ru"), ("37", "Lào"), ("38", "La Chí"), ("39", "La Ha"),
    ("40", "Phù Lá"), ("41", "La Hủ"), ("42", "Lự"), ("43", "Lô Lô"), ("44", "Chứt"),
    ("45", "Mảng"), ("46", "Pà Thẻn"), ("47", "Cơ Lao"), ("48", "Cống"), ("49", "Bố Y"),
    ("50", "Si La"), ("51", "Pu Péo"), ("52", "Brâu"), ("53", "Ơ Đu"), ("54", "Rơ-măm"),
    ("99", "Khác"),
]  # fmt: skip
KINH = "01"

RELIGIONS = [
    ("", "Không"), ("phat_giao", "Phật giáo"), ("cong_giao", "Công giáo"),
    ("tin_lanh", "Tin lành"), ("cao_dai", "Cao Đài"), ("hoa_hao", "Phật giáo Hòa Hảo"),
    ("hoi_giao", "Hồi giáo"), ("khac", "Tôn giáo khác"),
]  # fmt: skip


class Gender(models.TextChoices):
    MALE = "male", "Nam"
    FEMALE = "female", "Nữ"


class Qualification(models.TextChoices):
    NONE = "", "Chưa qua đào tạo"
    ELEMENTARY = "so_cap", "Sơ cấp"
    INTERMEDIATE = "trung_cap", "Trung cấp"
    COLLEGE = "cao_dang", "Cao đẳng"
    UNIVERSITY = "dai_hoc", "Đại học"
    MASTER = "thac_si", "Thạc sĩ"
    DOCTOR = "tien_si", "Tiến sĩ"


class AcademicTitle(models.TextChoices):
    NONE = "", "Không"
    ASSOCIATE_PROFESSOR = "pgs", "Phó Giáo sư"
    PROFESSOR = "gs", "Giáo sư"


class PoliticalTheory(models.TextChoices):
    NONE = "", "Chưa qua đào tạo"
    ELEMENTARY = "so_cap", "Sơ cấp"
    INTERMEDIATE = "trung_cap", "Trung cấp"
    ADVANCED = "cao_cap", "Cao cấp"
    BACHELOR = "cu_nhan", "Cử nhân"


class StateManagement(models.TextChoices):
    NONE = "", "Chưa qua đào tạo"
    SPECIALIST = "chuyen_vien", "Chuyên viên"
    PRINCIPAL = "chuyen_vien_chinh", "Chuyên viên chính"
    SENIOR = "chuyen_vien_cao_cap", "Chuyên viên cao cấp"
