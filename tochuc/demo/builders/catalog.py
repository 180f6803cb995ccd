"""What a province's party organization is made of: agencies, units, schools, enterprises.

Plain data for the Lạng Sơn demo. Names are those in use in the sector's documents;
slugs make readable codes ("T20.KCQ.SYT"). Where an organization went in 2025 is part of
its entry:

- in the province's bloc of agencies and enterprises (Khối), `dest` is the bloc it joined
  when the Khối was divided on 1/2/2025: "CQD" (Đảng bộ các cơ quan Đảng tỉnh) or
  "UBND" (Đảng bộ Ủy ban nhân dân tỉnh);
- at district level (`catalog_local`), `dest` says what happened to it when the districts
  ended (see `catalog_local.DISTRICT_DESTINATIONS`).
"""

from __future__ import annotations

from dataclasses import dataclass

from tochuc.organizations.models import GrassrootsType as G
from tochuc.organizations.models import Kind

BC, CELL = Kind.BASE_COMMITTEE, Kind.BASE_CELL


@dataclass(frozen=True)
class Unit:
    slug: str
    name: str
    kind: str
    grassroots_type: str
    cells: tuple[str, ...] = ()
    dest: str = ""
    subcommittees: tuple[tuple[str, tuple[str, ...]], ...] = ()


def cells(*names: str) -> tuple[str, ...]:
    return tuple(f"Chi bộ {name}" for name in names)


SO_CELLS = cells("Văn phòng Sở", "Thanh tra Sở", "Phòng Kế hoạch – Tài chính", "Phòng Nghiệp vụ")
HOSPITAL_CELLS = cells(
    "Khối Hành chính",
    "Khoa Khám bệnh",
    "Khoa Nội tổng hợp",
    "Khoa Ngoại tổng hợp",
    "Khoa Sản",
    "Khoa Nhi",
    "Khoa Hồi sức tích cực – Chống độc",
    "Khoa Cận lâm sàng",
    "Khoa Dược",
    "Khoa Truyền nhiễm",
)
BANK_CELLS = cells("Hội sở", "Phòng Giao dịch số 1", "Phòng Giao dịch số 2")
POLICE_CELLS = cells("Đội Tham mưu – Tổng hợp", "Đội 1", "Đội 2", "Đội 3")
BORDER_CELLS = cells("Chỉ huy", "Đội Vũ trang", "Đội Vận động quần chúng")

# The province's bloc of agencies and enterprises, until 1/2/2025.
KHOI_UNITS: tuple[Unit, ...] = (
    Unit("VPTU", "Chi bộ Văn phòng Tỉnh ủy", CELL, G.ADMINISTRATIVE, dest="CQD"),
    Unit("BTC", "Chi bộ Ban Tổ chức Tỉnh ủy", CELL, G.ADMINISTRATIVE, dest="CQD"),
    Unit("BTG", "Chi bộ Ban Tuyên giáo Tỉnh ủy", CELL, G.ADMINISTRATIVE, dest="CQD"),
    Unit("BDV", "Chi bộ Ban Dân vận Tỉnh ủy", CELL, G.ADMINISTRATIVE, dest="CQD"),
    Unit("UBKT", "Chi bộ Cơ quan Ủy ban Kiểm tra Tỉnh ủy", CELL, G.ADMINISTRATIVE, dest="CQD"),
    Unit("BNC", "Chi bộ Ban Nội chính Tỉnh ủy", CELL, G.ADMINISTRATIVE, dest="CQD"),
    Unit(
        "HDND",
        "Chi bộ Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh",
        CELL,
        G.ADMINISTRATIVE,
        dest="CQD",
    ),
    Unit(
        "MTTQ",
        "Chi bộ Cơ quan Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
        CELL,
        G.ADMINISTRATIVE,
        dest="CQD",
    ),
    Unit("TD", "Chi bộ Tỉnh đoàn", CELL, G.ADMINISTRATIVE, dest="CQD"),
    Unit("HPN", "Chi bộ Hội Liên hiệp Phụ nữ tỉnh", CELL, G.ADMINISTRATIVE, dest="CQD"),
    Unit("HND", "Chi bộ Hội Nông dân tỉnh", CELL, G.ADMINISTRATIVE, dest="CQD"),
    Unit("CCB", "Chi bộ Hội Cựu chiến binh tỉnh", CELL, G.ADMINISTRATIVE, dest="CQD"),
    Unit(
        "LDLD",
        "Đảng bộ Liên đoàn Lao động tỉnh",
        BC,
        G.ADMINISTRATIVE,
        cells("Văn phòng", "Ban Tổ chức – Chính sách pháp luật", "Ban Tuyên giáo – Nữ công"),
        dest="CQD",
    ),
    Unit(
        "BAO",
        "Đảng bộ Báo Lạng Sơn",
        BC,
        G.PUBLIC_SERVICE,
        cells("Văn phòng Tòa soạn", "Phòng Thời sự", "Phòng Kinh tế – Xã hội", "Phòng Điện tử"),
        dest="CQD",
    ),
    Unit(
        "PTTH",
        "Đảng bộ Đài Phát thanh và Truyền hình tỉnh",
        BC,
        G.PUBLIC_SERVICE,
        cells("Phòng Thời sự", "Phòng Chuyên đề", "Phòng Kỹ thuật", "Phòng Hành chính"),
        dest="CQD",
    ),
    Unit(
        "TCT",
        "Đảng bộ Trường Chính trị Hoàng Văn Thụ",
        BC,
        G.PUBLIC_SERVICE,
        cells("Khoa Lý luận cơ sở", "Khoa Xây dựng Đảng", "Khối Hành chính"),
        dest="CQD",
    ),
    Unit(
        "TAND",
        "Đảng bộ Tòa án nhân dân tỉnh",
        BC,
        G.ADMINISTRATIVE,
        cells("Văn phòng", "Tòa Hình sự", "Tòa Dân sự"),
        dest="CQD",
    ),
    Unit(
        "VKS",
        "Đảng bộ Viện Kiểm sát nhân dân tỉnh",
        BC,
        G.ADMINISTRATIVE,
        cells("Văn phòng", "Phòng 1", "Phòng 2"),
        dest="CQD",
    ),
    Unit(
        "VPUB",
        "Đảng bộ Văn phòng Ủy ban nhân dân tỉnh",
        BC,
        G.ADMINISTRATIVE,
        cells("Phòng Tổng hợp", "Phòng Kinh tế", "Trung tâm Phục vụ hành chính công"),
        dest="UBND",
    ),
    Unit(
        "SNV",
        "Đảng bộ Sở Nội vụ",
        BC,
        G.ADMINISTRATIVE,
        cells("Văn phòng Sở", "Ban Thi đua – Khen thưởng", "Chi cục Văn thư – Lưu trữ"),
        dest="UBND",
    ),
    Unit("STC", "Đảng bộ Sở Tài chính", BC, G.ADMINISTRATIVE, SO_CELLS[:3], dest="UBND"),
    Unit(
        "SKHDT",
        "Đảng bộ Sở Kế hoạch và Đầu tư",
        BC,
        G.ADMINISTRATIVE,
        cells(
            "Phòng Đăng ký kinh doanh",
            "Phòng Kinh tế ngành",
            "Phòng Đấu thầu, thẩm định và giám sát đầu tư",
        ),
        dest="UBND",
    ),
    Unit(
        "SCT",
        "Đảng bộ Sở Công Thương",
        BC,
        G.ADMINISTRATIVE,
        cells("Văn phòng Sở", "Phòng Quản lý thương mại", "Trung tâm Khuyến công"),
        dest="UBND",
    ),
    Unit(
        "SNN",
        "Đảng bộ Sở Nông nghiệp và Phát triển nông thôn",
        BC,
        G.ADMINISTRATIVE,
        cells(
            "Văn phòng Sở",
            "Chi cục Kiểm lâm",
            "Chi cục Thủy lợi",
            "Chi cục Trồng trọt và Bảo vệ thực vật",
            "Chi cục Chăn nuôi và Thú y",
            "Trung tâm Khuyến nông",
        ),
        dest="UBND",
    ),
    Unit(
        "SGD",
        "Đảng bộ Sở Giáo dục và Đào tạo",
        BC,
        G.ADMINISTRATIVE,
        cells("Văn phòng Sở", "Phòng Giáo dục Trung học", "Phòng Tổ chức cán bộ"),
        dest="UBND",
    ),
    Unit(
        "SYT",
        "Đảng bộ Sở Y tế",
        BC,
        G.ADMINISTRATIVE,
        cells("Văn phòng Sở", "Phòng Nghiệp vụ Y", "Chi cục Dân số – Kế hoạch hóa gia đình"),
        dest="UBND",
    ),
    Unit(
        "STNMT",
        "Đảng bộ Sở Tài nguyên và Môi trường",
        BC,
        G.ADMINISTRATIVE,
        cells(
            "Văn phòng Đăng ký đất đai",
            "Chi cục Bảo vệ môi trường",
            "Trung tâm Quan trắc tài nguyên và môi trường",
        ),
        dest="UBND",
    ),
    Unit(
        "SGTVT",
        "Đảng bộ Sở Giao thông vận tải",
        BC,
        G.ADMINISTRATIVE,
        cells("Thanh tra giao thông", "Ban Quản lý bảo trì đường bộ", "Phòng Quản lý vận tải"),
        dest="UBND",
    ),
    Unit("SXD", "Đảng bộ Sở Xây dựng", BC, G.ADMINISTRATIVE, SO_CELLS[:3], dest="UBND"),
    Unit(
        "SVH",
        "Đảng bộ Sở Văn hóa, Thể thao và Du lịch",
        BC,
        G.ADMINISTRATIVE,
        cells("Văn phòng Sở", "Bảo tàng tỉnh", "Thư viện tỉnh", "Trung tâm Văn hóa nghệ thuật"),
        dest="UBND",
    ),
    Unit(
        "SLD",
        "Đảng bộ Sở Lao động – Thương binh và Xã hội",
        BC,
        G.ADMINISTRATIVE,
        cells("Phòng Người có công", "Trung tâm Dịch vụ việc làm", "Trung tâm Bảo trợ xã hội"),
        dest="UBND",
    ),
    Unit("STP", "Chi bộ Sở Tư pháp", CELL, G.ADMINISTRATIVE, dest="UBND"),
    Unit("SKHCN", "Chi bộ Sở Khoa học và Công nghệ", CELL, G.ADMINISTRATIVE, dest="UBND"),
    Unit("STTTT", "Chi bộ Sở Thông tin và Truyền thông", CELL, G.ADMINISTRATIVE, dest="UBND"),
    Unit("SNGV", "Chi bộ Sở Ngoại vụ", CELL, G.ADMINISTRATIVE, dest="UBND"),
    Unit("TTR", "Chi bộ Thanh tra tỉnh", CELL, G.ADMINISTRATIVE, dest="UBND"),
    Unit("BDT", "Chi bộ Ban Dân tộc tỉnh", CELL, G.ADMINISTRATIVE, dest="UBND"),
    Unit(
        "KKT",
        "Đảng bộ Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn",
        BC,
        G.ADMINISTRATIVE,
        cells(
            "Văn phòng Ban",
            "Trung tâm Quản lý cửa khẩu Hữu Nghị",
            "Trung tâm Quản lý cửa khẩu Tân Thanh",
        ),
        dest="UBND",
    ),
    Unit(
        "BVDK", "Đảng bộ Bệnh viện Đa khoa tỉnh", BC, G.PUBLIC_SERVICE, HOSPITAL_CELLS, dest="UBND"
    ),
    Unit(
        "BVYHCT",
        "Đảng bộ Bệnh viện Y học cổ truyền tỉnh",
        BC,
        G.PUBLIC_SERVICE,
        HOSPITAL_CELLS[:3],
        dest="UBND",
    ),
    Unit("BVP", "Chi bộ Bệnh viện Phổi tỉnh", CELL, G.PUBLIC_SERVICE, dest="UBND"),
    Unit(
        "CDC",
        "Đảng bộ Trung tâm Kiểm soát bệnh tật tỉnh",
        BC,
        G.PUBLIC_SERVICE,
        cells(
            "Khoa Phòng, chống bệnh truyền nhiễm", "Khoa Xét nghiệm", "Phòng Tổ chức – Hành chính"
        ),
        dest="UBND",
    ),
    Unit(
        "CDSP",
        "Đảng bộ Trường Cao đẳng Sư phạm Lạng Sơn",
        BC,
        G.PUBLIC_SERVICE,
        cells("Khoa Tự nhiên", "Khoa Xã hội", "Khoa Tiểu học – Mầm non", "Khối Hành chính"),
        dest="UBND",
    ),
    Unit("CDYT", "Chi bộ Trường Cao đẳng Y tế Lạng Sơn", CELL, G.PUBLIC_SERVICE, dest="UBND"),
    Unit(
        "CVA",
        "Đảng bộ Trường Trung học phổ thông Chuyên Chu Văn An",
        BC,
        G.PUBLIC_SERVICE,
        cells("Tổ Toán – Tin", "Tổ Ngữ văn", "Tổ Khoa học tự nhiên", "Tổ Ngoại ngữ"),
        dest="UBND",
    ),
    Unit(
        "DTNT", "Chi bộ Trường Phổ thông Dân tộc nội trú tỉnh", CELL, G.PUBLIC_SERVICE, dest="UBND"
    ),
    Unit(
        "CTHUE",
        "Đảng bộ Cục Thuế tỉnh",
        BC,
        G.ADMINISTRATIVE,
        cells("Văn phòng Cục", "Phòng Kiểm tra thuế", "Phòng Tuyên truyền – Hỗ trợ người nộp thuế"),
        dest="UBND",
    ),
    Unit(
        "HQ",
        "Đảng bộ Cục Hải quan tỉnh",
        BC,
        G.ADMINISTRATIVE,
        cells(
            "Văn phòng Cục",
            "Chi cục Hải quan cửa khẩu Hữu Nghị",
            "Chi cục Hải quan cửa khẩu Tân Thanh",
            "Chi cục Hải quan cửa khẩu Chi Ma",
            "Chi cục Hải quan Ga đường sắt quốc tế Đồng Đăng",
            "Đội Kiểm soát Hải quan",
        ),
        dest="UBND",
    ),
    Unit(
        "KBNN",
        "Đảng bộ Kho bạc Nhà nước tỉnh",
        BC,
        G.ADMINISTRATIVE,
        cells("Văn phòng", "Phòng Kế toán nhà nước", "Phòng Kiểm soát chi"),
        dest="UBND",
    ),
    Unit(
        "BHXH",
        "Đảng bộ Bảo hiểm xã hội tỉnh",
        BC,
        G.ADMINISTRATIVE,
        cells("Văn phòng", "Phòng Thu – Sổ thẻ", "Phòng Chế độ bảo hiểm xã hội"),
        dest="UBND",
    ),
    Unit(
        "THADS",
        "Đảng bộ Cục Thi hành án dân sự tỉnh",
        BC,
        G.ADMINISTRATIVE,
        cells("Văn phòng Cục", "Phòng Nghiệp vụ và Tổ chức thi hành án"),
        dest="CQD",
    ),
    Unit("CTK", "Chi bộ Cục Thống kê tỉnh", CELL, G.ADMINISTRATIVE, dest="UBND"),
    Unit(
        "NHNN",
        "Chi bộ Ngân hàng Nhà nước chi nhánh tỉnh Lạng Sơn",
        CELL,
        G.ADMINISTRATIVE,
        dest="UBND",
    ),
    Unit(
        "NHCS",
        "Chi bộ Chi nhánh Ngân hàng Chính sách xã hội tỉnh",
        CELL,
        G.STATE_ENTERPRISE,
        dest="UBND",
    ),
    Unit(
        "AGRI",
        "Đảng bộ Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh tỉnh Lạng Sơn",
        BC,
        G.STATE_ENTERPRISE,
        BANK_CELLS,
        dest="UBND",
    ),
    Unit(
        "VCB",
        "Chi bộ Ngân hàng TMCP Ngoại thương Việt Nam chi nhánh Lạng Sơn",
        CELL,
        G.STATE_ENTERPRISE,
        dest="UBND",
    ),
    Unit(
        "BIDV",
        "Chi bộ Ngân hàng TMCP Đầu tư và Phát triển Việt Nam chi nhánh Lạng Sơn",
        CELL,
        G.STATE_ENTERPRISE,
        dest="UBND",
    ),
    Unit(
        "VTB",
        "Chi bộ Ngân hàng TMCP Công thương Việt Nam chi nhánh Lạng Sơn",
        CELL,
        G.STATE_ENTERPRISE,
        dest="UBND",
    ),
    Unit(
        "PC",
        "Đảng bộ Công ty Điện lực Lạng Sơn",
        BC,
        G.STATE_ENTERPRISE,
        cells(
            "Văn phòng Công ty",
            "Phòng Kỹ thuật",
            "Phòng Kinh doanh",
            "Đội Quản lý vận hành lưới điện cao thế",
        ),
        dest="UBND",
    ),
    Unit(
        "BD",
        "Đảng bộ Bưu điện tỉnh",
        BC,
        G.STATE_ENTERPRISE,
        cells("Văn phòng", "Trung tâm Khai thác vận chuyển"),
        dest="UBND",
    ),
    Unit(
        "VNPT",
        "Đảng bộ Viễn thông Lạng Sơn",
        BC,
        G.STATE_ENTERPRISE,
        cells("Văn phòng", "Trung tâm Điều hành thông tin", "Trung tâm Kinh doanh"),
        dest="UBND",
    ),
    Unit(
        "VTL",
        "Đảng bộ Viettel Lạng Sơn",
        BC,
        G.STATE_ENTERPRISE,
        cells("Văn phòng", "Phòng Kỹ thuật"),
        dest="UBND",
    ),
    Unit(
        "NUOC",
        "Chi bộ Công ty Cổ phần Cấp thoát nước Lạng Sơn",
        CELL,
        G.STATE_ENTERPRISE,
        dest="UBND",
    ),
    Unit(
        "XSKT",
        "Chi bộ Công ty TNHH Một thành viên Xổ số kiến thiết Lạng Sơn",
        CELL,
        G.STATE_ENTERPRISE,
        dest="UBND",
    ),
    Unit(
        "DLN",
        "Chi bộ Công ty Cổ phần Vận tải và Dịch vụ Kỳ Lừa",
        CELL,
        G.PRIVATE_ENTERPRISE,
        dest="UBND",
    ),  # its cell was dissolved in 2023
)

QUANSU_UNITS: tuple[Unit, ...] = (
    Unit(
        "CQ",
        "Đảng bộ Cơ quan Bộ Chỉ huy Quân sự tỉnh",
        BC,
        G.ARMED_FORCES,
        subcommittees=(
            (
                "Đảng bộ bộ phận Phòng Tham mưu",
                cells("Ban Tác chiến", "Ban Quân lực", "Ban Thông tin"),
            ),
            ("Đảng bộ bộ phận Phòng Chính trị", cells("Ban Tổ chức", "Ban Cán bộ – Chính sách")),
            (
                "Đảng bộ bộ phận Phòng Hậu cần – Kỹ thuật",
                cells("Ban Hậu cần", "Ban Kỹ thuật", "Kho Kỹ thuật"),
            ),
        ),
    ),
    Unit(
        "TQS",
        "Đảng bộ Trường Quân sự tỉnh",
        BC,
        G.ARMED_FORCES,
        cells("Khoa Chiến thuật", "Khoa Chính trị", "Tiểu đoàn Huấn luyện"),
    ),
    Unit(
        "TDHL",
        "Đảng bộ Tiểu đoàn Huấn luyện – Cơ động",
        BC,
        G.ARMED_FORCES,
        cells("Đại đội 1", "Đại đội 2", "Đại đội 3"),
    ),
    Unit("TS", "Chi bộ Đại đội Trinh sát", CELL, G.ARMED_FORCES),
    Unit("CB", "Chi bộ Đại đội Công binh", CELL, G.ARMED_FORCES),
    Unit("TT", "Chi bộ Đại đội Thông tin", CELL, G.ARMED_FORCES),
    Unit("PK", "Chi bộ Đại đội Phòng không", CELL, G.ARMED_FORCES),
    Unit("K", "Chi bộ Đội Quy tập hài cốt liệt sĩ", CELL, G.ARMED_FORCES),
)

CONGAN_UNITS: tuple[Unit, ...] = tuple(
    Unit(
        slug,
        f"{'Đảng bộ' if n else 'Chi bộ'} {name}",
        BC if n else CELL,
        G.ARMED_FORCES,
        POLICE_CELLS[:n],
    )
    for slug, name, n in (
        ("PV01", "Phòng Tham mưu", 3),
        ("PX01", "Phòng Tổ chức cán bộ", 2),
        ("PX03", "Phòng Công tác Đảng và công tác chính trị", 0),
        ("PA01", "Phòng An ninh chính trị nội bộ", 3),
        ("PA02", "Phòng An ninh kinh tế", 3),
        ("PA03", "Phòng An ninh đối ngoại", 3),
        ("PA05", "Phòng An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao", 2),
        ("PA08", "Phòng Quản lý xuất nhập cảnh", 3),
        ("PC01", "Phòng Cảnh sát điều tra", 0),
        ("PC02", "Phòng Cảnh sát hình sự", 4),
        ("PC03", "Phòng Cảnh sát kinh tế", 3),
        ("PC04", "Phòng Cảnh sát điều tra tội phạm về ma túy", 4),
        ("PC06", "Phòng Cảnh sát quản lý hành chính về trật tự xã hội", 3),
        ("PC07", "Phòng Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ", 4),
        ("PC08", "Phòng Cảnh sát giao thông", 4),
        ("PK02", "Phòng Cảnh sát cơ động", 4),
        ("PC10", "Phòng Cảnh sát thi hành án hình sự và hỗ trợ tư pháp", 2),
        ("PH10", "Phòng Hậu cần", 3),
        ("PH11", "Phòng Kỹ thuật hậu cần", 0),
        ("TTG", "Trại tạm giam Công an tỉnh", 3),
        ("PV06", "Phòng Hồ sơ", 0),
        ("PX05", "Phòng Xây dựng phong trào bảo vệ an ninh Tổ quốc", 0),
    )
)

BIENPHONG_UNITS: tuple[Unit, ...] = (
    Unit(
        "CQ",
        "Đảng bộ Cơ quan Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
        BC,
        G.ARMED_FORCES,
        cells(
            "Phòng Tham mưu",
            "Phòng Chính trị",
            "Phòng Hậu cần – Kỹ thuật",
            "Phòng Phòng chống ma túy và tội phạm",
        ),
    ),
    *(
        Unit(slug, f"Đảng bộ Đồn Biên phòng {name}", BC, G.ARMED_FORCES, BORDER_CELLS)
        for slug, name in (
            ("HN", "Cửa khẩu Quốc tế Hữu Nghị"),
            ("GDD", "Cửa khẩu Ga đường sắt quốc tế Đồng Đăng"),
            ("CM", "Cửa khẩu Chi Ma"),
            ("TT", "Tân Thanh"),
            ("CN", "Cốc Nam"),
            ("BL", "Bảo Lâm"),
            ("TL", "Thanh Lòa"),
            ("NH", "Na Hình"),
            ("BN", "Bình Nghi"),
            ("QK", "Quốc Khánh"),
            ("DC", "Đội Cấn"),
            ("MS", "Mẫu Sơn"),
        )
    ),
    Unit("TDHL", "Chi bộ Đội Đặc nhiệm phòng, chống ma túy và tội phạm", CELL, G.ARMED_FORCES),
)
