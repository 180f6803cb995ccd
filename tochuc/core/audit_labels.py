"""What the audit viewer shows for an entry: the one registry of Vietnamese labels for the
actions recorded anywhere in the code (`audit.record("tochuc.…")`), for their groups, and for
the keys of their details. core/tests/test_audit_labels.py fails when a recorded action has
no label here."""

import re
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

# The groups (the second part of an action's name), for the viewer's filter.
GROUPS = {
    "tochuc.access": _("Truy cập"),
    "tochuc.admission": _("Kết nạp"),
    "tochuc.audit": _("Nhật ký hệ thống"),
    "tochuc.auth": _("Đăng nhập"),
    "tochuc.confidence_vote": _("Lấy phiếu tín nhiệm"),
    "tochuc.confirmation": _("Công nhận đảng viên chính thức"),
    "tochuc.confirmation_decision": _("Công nhận đảng viên chính thức"),
    "tochuc.discipline": _("Kỷ luật"),
    "tochuc.grant": _("Phân quyền"),
    "tochuc.import": _("Nhập từ Excel"),
    "tochuc.inspection": _("Kiểm tra, giám sát"),
    "tochuc.job": _("Việc chạy nền"),
    "tochuc.member": _("Đảng viên"),
    "tochuc.organization": _("Tổ chức đảng"),
    "tochuc.rating": _("Đánh giá, xếp loại"),
    "tochuc.report": _("Báo cáo"),
    "tochuc.system": _("Hệ thống"),
    "tochuc.user": _("Tài khoản"),
    "tochuc.dues": _("Đảng phí"),
    "tochuc.document": _("Văn bản"),
    "tochuc.programme": _("Chương trình hành động"),
    "tochuc.briefing": _("Giao ban"),
    "tochuc.committee": _("Cấp ủy, đại hội"),
}

ACTIONS = {
    "tochuc.access.denied": _("Bị từ chối truy cập"),
    "tochuc.access.denied_throttled": _("Bị từ chối truy cập nhiều lần (các lần sau không ghi)"),
    "tochuc.access.identity_checks_throttled": _(
        "Tra số CCCD, số thẻ đảng viên quá số lần cho phép trong giờ"
    ),
    "tochuc.access.identity_hidden_clash": _(
        "Số CCCD, số thẻ đảng viên trùng một hồ sơ ngoài phạm vi quản lý"
    ),
    # The admission's steps (admissions.models.Stage), then its other acts.
    "tochuc.admission.identified": _("Kết nạp: xác định đối tượng"),
    "tochuc.admission.trained": _("Kết nạp: đã học lớp bồi dưỡng nhận thức về Đảng"),
    "tochuc.admission.applied": _("Kết nạp: nhận đơn xin vào Đảng"),
    "tochuc.admission.introduced": _("Kết nạp: đủ người giới thiệu"),
    "tochuc.admission.verified": _("Kết nạp: thẩm tra lý lịch"),
    "tochuc.admission.cell_approved": _("Kết nạp: chi bộ biểu quyết đề nghị"),
    "tochuc.admission.committee_approved": _("Kết nạp: đảng ủy cơ sở đề nghị"),
    "tochuc.admission.decided": _("Kết nạp: quyết định kết nạp"),
    "tochuc.admission.admitted": _("Kết nạp: tổ chức lễ kết nạp"),
    "tochuc.admission.withdrawn": _("Kết nạp: dừng xem xét"),
    "tochuc.admission.introducer_added": _("Kết nạp: thêm người giới thiệu"),
    "tochuc.admission.candidates_exported": _("Xuất danh sách đối tượng kết nạp"),
    "tochuc.admission.decision_printed": _("In quyết định kết nạp"),
    "tochuc.admission.report_exported": _("Xuất báo cáo kết nạp"),
    "tochuc.admission.target_set": _("Đặt chỉ tiêu kết nạp"),
    "tochuc.audit.exported": _("Xuất nhật ký hệ thống"),
    "tochuc.auth.login": _("Đăng nhập"),
    "tochuc.auth.login_failed": _("Đăng nhập sai"),
    "tochuc.auth.logout": _("Đăng xuất"),
    "tochuc.auth.password_accepted": _("Mật khẩu đúng, chờ mã xác thực hai bước"),
    "tochuc.auth.password_change_failed": _("Đổi mật khẩu: nhập sai mật khẩu hiện tại"),
    "tochuc.auth.password_change_locked": _("Đổi mật khẩu: tạm khóa vì nhập sai nhiều lần"),
    "tochuc.auth.password_changed": _("Đổi mật khẩu"),
    "tochuc.auth.session_expired": _("Hết phiên làm việc"),
    "tochuc.auth.totp_enrolled": _("Đăng ký xác thực hai bước"),
    "tochuc.auth.totp_failed": _("Nhập sai mã xác thực hai bước"),
    "tochuc.auth.totp_removed": _("Hủy xác thực hai bước"),
    "tochuc.confidence_vote.exported": _("Xuất kết quả lấy phiếu tín nhiệm"),
    "tochuc.confidence_vote.recorded": _("Ghi kết quả lấy phiếu tín nhiệm"),
    # Confirmation: its acts, then its outcomes (admissions.models.ConfirmationCase.Outcome).
    "tochuc.confirmation.proposed": _("Chi bộ đề nghị công nhận đảng viên chính thức"),
    "tochuc.confirmation.vote_short": _("Biểu quyết công nhận chính thức chưa đủ hai phần ba"),
    "tochuc.confirmation.escalated": _("Chuyển cấp ủy cấp trên xem xét công nhận chính thức"),
    "tochuc.confirmation.decision_printed": _("In quyết định công nhận đảng viên chính thức"),
    "tochuc.confirmation.confirmed": _("Công nhận đảng viên chính thức"),
    "tochuc.confirmation.removed": _("Xóa tên đảng viên dự bị (không công nhận chính thức)"),
    "tochuc.discipline.decided": _("Quyết định kỷ luật"),
    "tochuc.discipline.exported": _("Xuất danh sách kỷ luật"),
    "tochuc.grant.created": _("Cấp quyền"),
    "tochuc.grant.revoked": _("Thu hồi quyền"),
    # One per importer (imports/registry.py: tochuc import NAME).
    "tochuc.import.checked": _("Kiểm tra tệp Excel trước khi nhập (đọc dữ liệu trong tệp)"),
    "tochuc.import.organizations": _("Nhập tổ chức đảng từ Excel"),
    "tochuc.import.members": _("Nhập đảng viên từ Excel"),
    "tochuc.import.org-events": _("Nhập sự kiện tổ chức từ Excel"),
    "tochuc.import.events": _("Nhập diễn biến đảng viên từ Excel"),
    "tochuc.import.event-corrections": _("Sửa, hủy sự kiện đảng viên hàng loạt từ Excel"),
    "tochuc.import.targets": _("Nhập chỉ tiêu kết nạp từ Excel"),
    "tochuc.inspection.recorded": _("Ghi cuộc kiểm tra, giám sát"),
    "tochuc.inspection.exported": _("Xuất danh sách kiểm tra, giám sát"),
    "tochuc.inspection.report_exported": _("Xuất báo cáo kiểm tra, giám sát"),
    "tochuc.inspection.summary_exported": _("Xuất số liệu kiểm tra, giám sát trong kỳ"),
    "tochuc.job.failed": _("Việc chạy nền bị lỗi, bị dừng hoặc mất tiến trình xử lý"),
    "tochuc.job.summary_refreshed": _("Làm mới bảng tổng hợp báo cáo"),
    "tochuc.member.registered": _("Nhập hồ sơ đảng viên"),
    "tochuc.member.bulk_registered": _("Nhập hàng loạt hồ sơ đảng viên"),
    "tochuc.member.updated": _("Sửa hồ sơ đảng viên"),
    "tochuc.member.confirmed": _("Công nhận đảng viên chính thức"),
    "tochuc.member.transferred": _("Chuyển sinh hoạt đảng"),
    "tochuc.member.transfer_issued": _("Cấp giấy chuyển sinh hoạt đảng chính thức"),
    "tochuc.member.transfer_received": _("Tiếp nhận sinh hoạt đảng chính thức"),
    "tochuc.member.transfer_received_from_outside": _("Tiếp nhận sinh hoạt đảng từ ngoài hệ thống"),
    "tochuc.member.receive_requested": _("Đề nghị tiếp nhận đảng viên đang ở nơi khác"),
    "tochuc.member.receive_request_confirmed": _("Xác nhận đề nghị tiếp nhận đảng viên"),
    "tochuc.member.receive_request_refused": _("Từ chối đề nghị tiếp nhận đảng viên"),
    "tochuc.member.receive_request_withdrawn": _("Rút đề nghị tiếp nhận đảng viên"),
    "tochuc.member.temporary_transfer_issued": _("Chuyển sinh hoạt đảng tạm thời"),
    "tochuc.member.temporary_transfer_returned": _("Kết thúc sinh hoạt đảng tạm thời"),
    "tochuc.member.working_away": _("Ghi đảng viên đi làm ăn xa"),
    "tochuc.member.working_away_checked": _("Kiểm tra đảng viên đi làm ăn xa"),
    "tochuc.member.working_away_ended": _("Kết thúc đi làm ăn xa"),
    "tochuc.member.exempted": _("Miễn công tác và sinh hoạt đảng"),
    "tochuc.member.disciplined": _("Kỷ luật đảng viên"),
    # Exits (members.services.member_exit, one per EXIT_STATUS type).
    "tochuc.member.removed": _("Xóa tên"),
    "tochuc.member.expelled": _("Khai trừ"),
    "tochuc.member.resigned": _("Xin ra khỏi Đảng"),
    "tochuc.member.died": _("Từ trần"),
    "tochuc.member.readmitted": _("Kết nạp lại"),
    "tochuc.member.exported": _("Xuất danh sách đảng viên"),
    "tochuc.member.letter_exported": _("In giấy giới thiệu sinh hoạt đảng"),
    "tochuc.member.transfers_exported": _("Xuất danh sách chuyển sinh hoạt đảng"),
    "tochuc.organization.founded": _("Thành lập tổ chức đảng"),
    "tochuc.organization.renamed": _("Đổi tên tổ chức đảng"),
    "tochuc.organization.moved": _("Chuyển tổ chức đảng sang cấp trên khác"),
    "tochuc.organization.merged": _("Hợp nhất, sáp nhập tổ chức đảng"),
    "tochuc.organization.split": _("Chia tách tổ chức đảng"),
    "tochuc.organization.dissolved": _("Giải thể tổ chức đảng"),
    "tochuc.organization.exported": _("Xuất danh sách tổ chức đảng"),
    "tochuc.rating.session_opened": _("Mở đợt đánh giá, xếp loại"),
    "tochuc.rating.subject_added": _("Thêm đối tượng đánh giá"),
    "tochuc.rating.self_assessed": _("Tự đánh giá, xếp loại"),
    "tochuc.rating.proposed": _("Đề xuất mức xếp loại"),
    "tochuc.rating.decided": _("Quyết định mức xếp loại"),
    "tochuc.rating.results_exported": _("Xuất kết quả xếp loại"),
    "tochuc.report.exported": _("Xuất báo cáo thống kê"),
    "tochuc.report.unbalanced_viewed": _("Xem danh sách đảng viên làm chênh lệch cân đối"),
    "tochuc.system.backup": _("Sao lưu dữ liệu"),
    "tochuc.system.restored": _("Phục hồi dữ liệu từ bản sao lưu"),
    "tochuc.user.created": _("Tạo tài khoản"),
    "tochuc.user.enabled": _("Mở lại tài khoản"),
    "tochuc.user.disabled": _("Khóa tài khoản"),
    # Corrections and cancellations (core.corrections.ENTITIES), each with its reason.
    "tochuc.organization.corrected": _("Sửa sự kiện tổ chức đảng"),
    "tochuc.organization.cancelled": _("Hủy sự kiện tổ chức đảng ghi nhầm"),
    "tochuc.admission.corrected": _("Kết nạp: sửa một bước đã ghi"),
    "tochuc.admission.cancelled": _("Kết nạp: hủy bước đã ghi"),
    "tochuc.confirmation.corrected": _("Sửa biểu quyết công nhận đảng viên chính thức"),
    "tochuc.confirmation.cancelled": _("Hủy biểu quyết công nhận đảng viên chính thức"),
    "tochuc.confirmation_decision.corrected": _("Sửa quyết định công nhận đảng viên chính thức"),
    "tochuc.confirmation_decision.cancelled": _("Hủy quyết định công nhận đảng viên chính thức"),
    "tochuc.rating.corrected": _("Sửa quyết định xếp loại"),
    "tochuc.rating.cancelled": _("Hủy quyết định xếp loại"),
    "tochuc.confidence_vote.corrected": _("Sửa kết quả lấy phiếu tín nhiệm"),
    "tochuc.confidence_vote.cancelled": _("Hủy kết quả lấy phiếu tín nhiệm"),
    "tochuc.inspection.corrected": _("Sửa cuộc kiểm tra, giám sát"),
    "tochuc.inspection.cancelled": _("Hủy cuộc kiểm tra, giám sát"),
    "tochuc.discipline.corrected": _("Sửa quyết định kỷ luật"),
    "tochuc.discipline.cancelled": _("Hủy quyết định kỷ luật"),
    "tochuc.member.corrected": _("Sửa sự kiện của đảng viên"),
    "tochuc.member.cancelled": _("Hủy sự kiện của đảng viên ghi nhầm"),
    "tochuc.member.event_corrected": _("Sửa sự kiện của đảng viên"),
    "tochuc.member.event_cancelled": _("Hủy sự kiện của đảng viên ghi nhầm"),
    "tochuc.dues.basis_set": _("Ghi đối tượng, mức đóng đảng phí"),
    "tochuc.dues.relief_granted": _("Ghi miễn, giảm đảng phí"),
    "tochuc.dues.paid": _("Ghi thu đảng phí"),
    "tochuc.dues.payment_cancelled": _("Hủy lượt nộp đảng phí ghi nhầm"),
    "tochuc.dues.sheet_reported": _("Báo cáo sổ thu đảng phí tháng"),
    "tochuc.dues.exported": _("Xuất số liệu thu nộp đảng phí"),
    "tochuc.dues.roll_exported": _("Xuất sổ thu đảng phí"),
    "tochuc.dues.arrears_exported": _("Xuất danh sách nợ đảng phí"),
    "tochuc.import.dues": _("Nhập sổ thu đảng phí từ Excel"),
    "tochuc.dues.summary_recorded": _("Ghi số tổng hợp thu đảng phí của các chi bộ"),
    "tochuc.document.registered": _("Đăng ký văn bản đến"),
    "tochuc.document.issued": _("Ban hành văn bản"),
    "tochuc.document.attached": _("Đính kèm tệp vào văn bản"),
    "tochuc.document.linked": _("Liên kết văn bản"),
    "tochuc.document.distributed": _("Gửi văn bản đến các chi bộ"),
    "tochuc.document.read": _("Đánh dấu đã đọc văn bản"),
    "tochuc.document.exported": _("Xuất sổ văn bản"),
    "tochuc.import.documents": _("Nhập sổ văn bản từ Excel"),
    "tochuc.programme.created": _("Lập chương trình hành động"),
    "tochuc.programme.task_added": _("Giao nhiệm vụ trong chương trình"),
    "tochuc.programme.progress_reported": _("Báo cáo tiến độ nhiệm vụ"),
    "tochuc.programme.exported": _("Xuất danh sách nhiệm vụ"),
    "tochuc.briefing.drafted": _("Lập dự thảo báo cáo giao ban"),
    "tochuc.briefing.edited": _("Sửa dự thảo báo cáo giao ban"),
    "tochuc.briefing.issued": _("Ban hành báo cáo giao ban"),
    "tochuc.briefing.downloaded": _("Tải báo cáo giao ban"),
    "tochuc.committee.formed": _("Ghi cấp ủy nhiệm kỳ mới"),
    "tochuc.committee.post_began": _("Bầu, chỉ định, bổ sung chức vụ trong cấp ủy"),
    "tochuc.committee.post_ended": _("Thôi giữ chức vụ trong cấp ủy"),
    "tochuc.committee.congress_recorded": _("Ghi đại hội và kết quả bầu cử"),
    "tochuc.import.committees": _("Nhập lịch sử cấp ủy từ Excel"),
    "tochuc.committee.post_reopened": _("Chức vụ trong cấp ủy được giữ lại (hủy sắp xếp)"),
}

# The keys of the details (`audit.record(…, key=value)`); a key not listed shows as written.
DETAILS = {
    "action_prefix": _("thao tác"),
    "active": _("đang hoạt động"),
    "activity": _("hoạt động"),
    "after": _("sau"),
    "age_seconds": _("sau (giây)"),
    "arrived_on": _("ngày đến"),
    "attempted": _("đã thử"),
    "authority": _("cấp quyết định"),
    "automatic": _("tự động"),
    "before": _("trước"),
    "body": _("cơ quan"),
    "bytes": _("dung lượng (byte)"),
    "cell": _("chi bộ"),
    "changed": _("thay đổi"),
    "channel": _("kênh"),
    "conductor": _("chủ thể"),
    "correction": _("lần sửa, hủy số"),
    "count": _("số dòng"),
    "created": _("tạo mới"),
    "decision_date": _("ngày quyết định"),
    "decision_no": _("số quyết định"),
    "destination": _("nơi đến"),
    "end": _("đến ngày"),
    "errors": _("số lỗi"),
    "ends_on": _("ngày kết thúc"),
    "exempted": _("miễn"),
    "factor": _("hệ số"),
    "failures": _("số lần sai"),
    "fields": _("trường"),
    "filename": _("tệp"),
    "filters": _("bộ lọc"),
    "form": _("hình thức"),
    "format": _("định dạng"),
    "high": _("cao"),
    "home": _("nơi sinh hoạt chính thức"),
    "host": _("nơi sinh hoạt tạm thời"),
    "idle_seconds": _("không hoạt động (giây)"),
    "importer": _("loại dữ liệu nhập"),
    "introducer": _("người giới thiệu"),
    "issued": _("ngày cấp"),
    "kind": _("loại"),
    "kinds": _("các loại"),
    "level": _("mức"),
    "limit": _("giới hạn"),
    "locked_out": _("bị khóa tạm"),
    "low": _("thấp"),
    "medium": _("trung bình"),
    "member": _("đảng viên"),
    "members": _("đảng viên"),
    "method": _("phương thức"),
    "mode": _("bước"),
    "new_name": _("tên mới"),
    "new_parent": _("cấp trên mới"),
    "old_name": _("tên cũ"),
    "old_parent": _("cấp trên cũ"),
    "on": _("ngày"),
    "organization": _("tổ chức"),
    "organizations": _("tổ chức"),
    "output": _("kết quả"),
    "overdue": _("quá hạn"),
    "parent": _("cấp trên"),
    "parts": _("các phần"),
    "path": _("địa chỉ"),
    "period": _("kỳ"),
    "place": _("nơi đến"),
    "present_due": _("hạn trình giấy"),
    "provinces": _("tỉnh"),
    "report": _("báo cáo"),
    "role": _("vai trò"),
    "request": _("đề nghị"),
    "rows": _("số dòng"),
    "score": _("điểm"),
    "session": _("đợt"),
    "sessions_ended": _("số phiên đã đóng"),
    "since": _("từ ngày"),
    "source": _("nguồn"),
    "sources": _("nguồn"),
    "start": _("từ ngày"),
    "status": _("mã trạng thái"),
    "subject": _("đối tượng"),
    "tab": _("mục"),
    "text": _("nội dung"),
    "times": _("số lần"),
    "title": _("tiêu đề"),
    "to": _("đến"),
    "unchanged": _("không đổi"),
    "until": _("đến ngày"),
    "username": _("tên đăng nhập"),
    "valid": _("hợp lệ"),
    "votes": _("số phiếu"),
    "worker": _("tiến trình xử lý"),
    "year": _("năm"),
    "month": _("tháng"),
    "months": _("các tháng"),
    "category": _("đối tượng"),
    "basis": _("tiền lương, lương hưu"),
    "replaced": _("thay mức cũ"),
    "percent": _("tỷ lệ (%)"),
    "first_month": _("từ tháng"),
    "last_month": _("đến tháng"),
    "ground": _("lý do"),
    "paid_on": _("ngày nộp"),
    "amount": _("số tiền"),
    "collected": _("đã thu"),
    "payments": _("số lượt nộp"),
    "for_month": _("đảng phí tháng"),
    "sheets": _("số sổ thu"),
}

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def action_label(action: str) -> str:
    """The action's Vietnamese label; a group's label for a group; the code when unknown."""
    return str(ACTIONS.get(action) or GROUPS.get(action) or action)


def _value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("có") if value else _("không"))
    if isinstance(value, int) and abs(value) >= 10_000:  # not years, not HTTP statuses
        return f"{value:,}".replace(",", ".")
    if isinstance(value, int | float):
        return str(value).replace(".", ",")
    if isinstance(value, list | tuple):
        return ", ".join(_value(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{detail_label(k)}: {_value(v)}" for k, v in value.items())
    text = str(value)
    if _ISO_DATE.match(text):
        return date.fromisoformat(text).strftime("%d/%m/%Y")
    if _ISO_DATETIME.match(text):
        try:
            return datetime.fromisoformat(text).strftime("%d/%m/%Y %H:%M")
        except ValueError:
            return text
    return text


def detail_label(key: str) -> str:
    return str(DETAILS.get(key) or key.replace("_", " "))


def readable_details(data: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The entry's details as (label, value) pairs: dates as dd/mm/yyyy, numbers as 1.234,
    yes/no in Vietnamese."""
    return [(detail_label(key), _value(value)) for key, value in (data or {}).items()]
