"""What a district and a commune were made of before 1/7/2025: district agencies and where
each went when the districts ended, schools, forest companies, commune cells; and the names
of villages and companies. Plain data for the Lạng Sơn demo (see `catalog` for the
province level).
"""

from __future__ import annotations

from tochuc.organizations.models import GrassrootsType as G

from .catalog import BC, CELL, Unit, cells

# ---------------------------------------------------------------- district level

# Where district-level organizations went when the districts ended:
#   "dissolve"      dissolved on 1/7/2025 (their cells first);
#   "bloc:QS"       to Đảng bộ Quân sự tỉnh on 1/7/2025;
#   "bloc:CA"       to Đảng bộ Công an tỉnh on 1/3/2025, when district police ended;
#   "bloc:UBND"     to Đảng bộ Ủy ban nhân dân tỉnh on 1/7/2025;
#   "under:<code>"  into a provincial committee of the same sector (it becomes its cell);
#   "seat"          to the new commune at the district seat;
#   "commune"       to the new commune where it stands.
DISTRICT_DESTINATIONS = ("dissolve", "bloc:QS", "bloc:CA", "bloc:UBND", "under:", "seat", "commune")

UBND_CELLS = cells(
    "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân",
    "Phòng Nội vụ",
    "Phòng Tài chính – Kế hoạch",
    "Phòng Giáo dục và Đào tạo",
    "Phòng Nông nghiệp và Phát triển nông thôn",
    "Phòng Tài nguyên và Môi trường",
    "Phòng Kinh tế và Hạ tầng",
    "Phòng Văn hóa và Thông tin",
    "Phòng Lao động – Thương binh và Xã hội",
    "Phòng Tư pháp",
    "Thanh tra",
    "Phòng Y tế",
    "Phòng Dân tộc",
)
UBND_CITY_CELLS = cells(
    "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân",
    "Phòng Nội vụ",
    "Phòng Tài chính – Kế hoạch",
    "Phòng Giáo dục và Đào tạo",
    "Phòng Kinh tế",
    "Phòng Quản lý đô thị",
    "Phòng Tài nguyên và Môi trường",
    "Phòng Văn hóa và Thông tin",
    "Phòng Lao động – Thương binh và Xã hội",
    "Phòng Tư pháp",
    "Thanh tra",
    "Phòng Y tế",
)

# {unit}: "huyện Cao Lộc" / "thành phố Lạng Sơn"; {committee}: "Huyện ủy" / "Thành ủy".
DISTRICT_UNITS: tuple[Unit, ...] = (
    Unit("CQHU", "Chi bộ Cơ quan {committee}", CELL, G.ADMINISTRATIVE, dest="dissolve"),
    Unit(
        "MTDT",
        "Chi bộ Cơ quan Mặt trận Tổ quốc và các đoàn thể {unit}",
        CELL,
        G.ADMINISTRATIVE,
        dest="dissolve",
    ),
    Unit(
        "UBND",
        "Đảng bộ Cơ quan Ủy ban nhân dân {unit}",
        BC,
        G.ADMINISTRATIVE,
        UBND_CELLS,
        dest="dissolve",
    ),
    Unit(
        "QS",
        "Đảng bộ Quân sự {unit}",
        BC,
        G.ARMED_FORCES,
        cells("Chỉ huy", "Cơ quan", "Trung đội Dân quân thường trực"),
        dest="bloc:QS",
    ),
    Unit(
        "CA",
        "Đảng bộ Công an {unit}",
        BC,
        G.ARMED_FORCES,
        cells(
            "Đội Tham mưu – Tổng hợp",
            "Đội An ninh",
            "Đội Cảnh sát điều tra tội phạm về trật tự xã hội",
            "Đội Cảnh sát điều tra tội phạm về kinh tế và ma túy",
            "Đội Cảnh sát giao thông – Trật tự",
            "Đội Cảnh sát quản lý hành chính về trật tự xã hội",
        ),
        dest="bloc:CA",
    ),
    Unit("VKS", "Chi bộ Viện Kiểm sát nhân dân {unit}", CELL, G.ADMINISTRATIVE, dest="under:VKS"),
    Unit("TAND", "Chi bộ Tòa án nhân dân {unit}", CELL, G.ADMINISTRATIVE, dest="under:TAND"),
    Unit(
        "THA",
        "Chi bộ Chi cục Thi hành án dân sự {unit}",
        CELL,
        G.ADMINISTRATIVE,
        dest="under:THADS",
    ),
    Unit("THUE", "Chi bộ Chi cục Thuế {unit}", CELL, G.ADMINISTRATIVE, dest="under:CTHUE"),
    Unit("KB", "Chi bộ Kho bạc Nhà nước {unit}", CELL, G.ADMINISTRATIVE, dest="under:KBNN"),
    Unit("BHXH", "Chi bộ Bảo hiểm xã hội {unit}", CELL, G.ADMINISTRATIVE, dest="under:BHXH"),
    Unit(
        "TTYT",
        "Đảng bộ Trung tâm Y tế {unit}",
        BC,
        G.PUBLIC_SERVICE,
        cells(
            "Khối Hành chính",
            "Khoa Khám bệnh",
            "Khoa Nội – Nhi",
            "Khoa Ngoại – Sản",
            "Khoa Kiểm soát bệnh tật",
        ),
        dest="bloc:UBND",
    ),
    Unit(
        "GDNN",
        "Chi bộ Trung tâm Giáo dục nghề nghiệp – Giáo dục thường xuyên {unit}",
        CELL,
        G.PUBLIC_SERVICE,
        dest="bloc:UBND",
    ),
    Unit(
        "VHTT",
        "Chi bộ Trung tâm Văn hóa, Thể thao và Truyền thông {unit}",
        CELL,
        G.PUBLIC_SERVICE,
        dest="seat",
    ),
    Unit(
        "BQLDA",
        "Chi bộ Ban Quản lý dự án đầu tư xây dựng {unit}",
        CELL,
        G.PUBLIC_SERVICE,
        dest="seat",
    ),
    Unit("KL", "Chi bộ Hạt Kiểm lâm {unit}", CELL, G.ADMINISTRATIVE, dest="under:SNNMT"),
    Unit(
        "AGRI",
        "Chi bộ Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh {unit}",
        CELL,
        G.STATE_ENTERPRISE,
        dest="under:AGRI",
    ),
    Unit(
        "NHCS",
        "Chi bộ Phòng Giao dịch Ngân hàng Chính sách xã hội {unit}",
        CELL,
        G.STATE_ENTERPRISE,
        dest="bloc:UBND",
    ),
    Unit("DL", "Chi bộ Điện lực {unit}", CELL, G.STATE_ENTERPRISE, dest="under:PC"),
    Unit("BD", "Chi bộ Bưu điện {unit}", CELL, G.STATE_ENTERPRISE, dest="under:BD"),
)

# Boarding school for ethnic minorities (not in the city).
DTNT = Unit(
    "DTNT",
    "Chi bộ Trường Phổ thông Dân tộc nội trú Trung học cơ sở {unit}",
    CELL,
    G.PUBLIC_SERVICE,
    dest="seat",
)
THPT_CELLS = cells(
    "Tổ Toán – Tin", "Tổ Ngữ văn", "Tổ Khoa học tự nhiên", "Tổ Khoa học xã hội", "Tổ Ngoại ngữ"
)

# Upper-secondary schools by district, with the old commune they stand in (None: the seat).
THPT_SCHOOLS: dict[str, tuple[tuple[str, str | None], ...]] = {
    "thanhpholangson": (
        ("Việt Bắc", None),
        ("Hoàng Văn Thụ", "phuongtamthanh"),
        ("Ngô Thì Sĩ", "phuongdongkinh"),
    ),
    "huyentrangdinh": (("Thất Khê", None), ("Bình Độ", "xaquocviet")),
    "huyenbinhgia": (("Bình Gia", None), ("Pác Khuông", "xathienthuat")),
    "huyenvanlang": (("Văn Lãng", None),),
    "huyencaoloc": (("Cao Lộc", None), ("Đồng Đăng", "thitrandongdang")),
    "huyenvanquan": (("Văn Quan", None), ("Lương Văn Tri", "xatrile")),
    "huyenbacson": (("Bắc Sơn", None), ("Vũ Lễ", "xavule")),
    "huyenhuulung": (("Hữu Lũng", None), ("Vân Nham", "xavannham"), ("Tân Thành", "xatanthanh")),
    "huyenchilang": (("Chi Lăng", None), ("Đồng Bành", "xachilang"), ("Hòa Bình", "xahoabinh")),
    "huyenlocbinh": (("Lộc Bình", None), ("Na Dương", "thitrannaduong"), ("Tú Đoạn", "xatudoan")),
    "huyendinhlap": (("Đình Lập", None),),
}

# State forestry companies (they joined Đảng bộ Ủy ban nhân dân tỉnh in 2025).
FORESTRY = {
    "huyenlocbinh": "Chi bộ Công ty TNHH Một thành viên Lâm nghiệp Lộc Bình",
    "huyendinhlap": "Chi bộ Công ty TNHH Một thành viên Lâm nghiệp Đình Lập",
}

# Commune-level schools whose cells stood directly under the district committee.
COMMUNE_SCHOOLS = (
    "Trường Mầm non",
    "Trường Tiểu học",
    "Trường Trung học cơ sở",
    "Trường Phổ thông dân tộc bán trú Trung học cơ sở",
)

# The cells every commune committee had besides its village cells (slug, name, type).
COMMUNE_CELLS = (
    ("CQ", "Chi bộ Cơ quan {unit}", G.ADMINISTRATIVE),
    ("QS", "Chi bộ Quân sự {unit}", G.ARMED_FORCES),
    ("CA", "Chi bộ Công an {unit}", G.ARMED_FORCES),
)

# ---------------------------------------------------------------- village and company names

# Tày–Nùng place names are two syllables; Kinh names are used in the lowland districts.
TAY_FIRST = (
    "Nà",
    "Khòn",
    "Bản",
    "Pác",
    "Khuổi",
    "Phai",
    "Cốc",
    "Kéo",
    "Lũng",
    "Còn",
    "Pò",
    "Bó",
    "Khau",
    "Nặm",
    "Pá",
    "Phiêng",
    "Co",
    "Tà",
    "Vằng",
    "Hang",
    "Thâm",
    "Khun",
    "Nà",
    "Bản",
)
TAY_SECOND = (
    "Phái",
    "Lèng",
    "Slảng",
    "Cạn",
    "Pàn",
    "Mò",
    "Hin",
    "Sla",
    "Thin",
    "Tồng",
    "Rọ",
    "Giàng",
    "Lầy",
    "Vài",
    "Dăm",
    "Bao",
    "Mạ",
    "Nưa",
    "Đon",
    "Sản",
    "Tèo",
    "Lạn",
    "Kheo",
    "Luông",
    "Nọi",
    "Pục",
    "Phặc",
    "Sảng",
    "Khao",
    "Ngần",
    "Chang",
    "Pheo",
    "Riềng",
    "Pha",
    "Ngòa",
    "Thuổng",
    "Rầu",
    "Sàng",
    "Làng",
    "Tẩu",
    "Cáy",
    "Khà",
    "Mu",
    "Slam",
    "Păng",
    "Cuổi",
)
KINH_NAMES = (
    "Đồng Tân",
    "Tân Tiến",
    "Làng Mới",
    "Trung Tâm",
    "Đồng Bé",
    "Tân Hòa",
    "Hòa Bình",
    "Thống Nhất",
    "Quyết Thắng",
    "Đồng Tiến",
    "Tân Lập",
    "Bãi Hào",
    "Làng Chùa",
    "Đồng Mỏ",
    "Rừng Chùa",
    "Làng Cháy",
    "Đồng Lầy",
    "Tân Minh",
    "Phố Vị",
    "Đồng Quặng",
    "Bắc Lệ",
    "Làng Giữa",
    "Đồng Chằm",
    "Đồng Thắng",
    "Tân Sơn",
    "Khuôn Hà",
    "Lân Bông",
    "Đồng Bụt",
)
KINH_DISTRICTS = {"huyenhuulung", "huyenchilang", "huyenbacson"}

COMPANY_FORMS = ("Công ty TNHH", "Công ty Cổ phần")
COMPANY_TRADES = (
    "Xây dựng",
    "Thương mại và Dịch vụ",
    "Vận tải",
    "Xuất nhập khẩu",
    "Dịch vụ Logistics",
    "Chế biến nông sản",
    "Vật liệu xây dựng",
    "Khai thác đá",
    "Chế biến lâm sản",
    "Du lịch",
    "Đầu tư và Phát triển",
)
COMPANY_BRANDS = (
    "Hoàng Long",
    "Kỳ Lừa",
    "Đông Bắc",
    "Hữu Nghị",
    "Tân Thanh",
    "Mẫu Sơn",
    "Xứ Lạng",
    "Phú Lộc",
    "An Phát",
    "Thành Đạt",
    "Hưng Thịnh",
    "Minh Đức",
    "Trường Xuân",
    "Việt Trung",
    "Bảo Lâm",
    "Na Dương",
    "Phai Vệ",
    "Tam Thanh",
)
