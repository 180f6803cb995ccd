"""What each role may do. Views declare one of these; the gate checks it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

VIEW = "view"
EXPORT = "export"
CHANGE_ORGANIZATIONS = "change_organizations"
CHANGE_MEMBERS = "change_members"
IMPORT = "import"
# Admissions: the cell's steps (identify … cell vote, ceremony, confirmation vote), and the
# committees' (grassroots resolution, admission and confirmation decisions, targets).
CHANGE_CANDIDATES = "change_candidates"
DECIDE_ADMISSIONS = "decide_admissions"
# Quality rating (tochuc/ratings): the cell's steps (self-assessment entered, the cell's
# proposal), and the committees' (opening a session, the decision, votes of confidence).
RATE = "rate"
DECIDE_RATINGS = "decide_ratings"
ADMINISTER = "administer"
# Dues (tochuc/dues): a member's category and reliefs, the cell's monthly collection sheet.
COLLECT_DUES = "collect_dues"
# Committees (tochuc/committees): terms, committees, posts and congresses — a personnel
# decision of the committee above, not a change of the tree: its own permission.
CHANGE_COMMITTEES = "change_committees"
# Cell meetings (tochuc/meetings): the cell records its own meetings and attendance; the
# committees above may record or correct them for a cell of their subtree.
RECORD_MEETINGS = "record_meetings"


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị hệ thống")
    OFFICER = "officer", _("Cán bộ tổ chức")
    VIEWER = "viewer", _("Chỉ xem")
    CELL_SECRETARY = "cell_secretary", _("Bí thư chi bộ")
    CADRE_OFFICER = "cadre_officer", _("Cán bộ tổ chức, có công tác cán bộ")
    # Never granted at a node: an account linked to exactly one member record (tochuc/selfservice).
    MEMBER = "member", _("Đảng viên (tự phục vụ)")


_OFFICER = {VIEW, EXPORT, CHANGE_ORGANIZATIONS, CHANGE_MEMBERS, IMPORT}
_ADMISSIONS = {CHANGE_CANDIDATES, DECIDE_ADMISSIONS}
_RATINGS = {RATE, DECIDE_RATINGS}
_DUES = {COLLECT_DUES}
_COMMITTEES = {CHANGE_COMMITTEES}
_MEETINGS = {RECORD_MEETINGS}
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.VIEWER: frozenset({VIEW, EXPORT}),
    Role.CELL_SECRETARY: frozenset({VIEW, CHANGE_CANDIDATES, RATE} | _DUES | _MEETINGS),
    Role.OFFICER: frozenset(_OFFICER | _ADMISSIONS | _RATINGS | _DUES | _COMMITTEES | _MEETINGS),
    Role.ADMIN: frozenset(
        _OFFICER | _ADMISSIONS | _RATINGS | _DUES | _COMMITTEES | {ADMINISTER} | _MEETINGS
    ),
}
ALL_PERMISSIONS = ROLE_PERMISSIONS[Role.ADMIN]

# The document registry and action programmes (tochuc/documents, tochuc/programmes): staff
# register, issue, link and distribute documents and run programmes and briefings; a cell's
# secretary marks what was sent to the cell as read and reports on the cell's tasks.
MANAGE_DOCUMENTS = "manage_documents"
RECEIVE_DOCUMENTS = "receive_documents"
MANAGE_PROGRAMMES = "manage_programmes"
REPORT_PROGRESS = "report_progress"
_DOCUMENTS_BY_ROLE = {
    Role.CELL_SECRETARY: {RECEIVE_DOCUMENTS, REPORT_PROGRESS},
    Role.OFFICER: {MANAGE_DOCUMENTS, RECEIVE_DOCUMENTS, MANAGE_PROGRAMMES, REPORT_PROGRESS},
    Role.ADMIN: {MANAGE_DOCUMENTS, RECEIVE_DOCUMENTS, MANAGE_PROGRAMMES, REPORT_PROGRESS},
}
ROLE_PERMISSIONS = {
    role: perms | _DOCUMENTS_BY_ROLE.get(role, set()) for role, perms in ROLE_PERMISSIONS.items()
}
ALL_PERMISSIONS = ROLE_PERMISSIONS[Role.ADMIN]

# Cadre work (tochuc/cadres): cadre records are the most sensitive personal data, so only
# grants whose role includes cadre work carry these: the cadre officer (an officer with
# cadre work) and the administrator. Without them every cadre page answers 404, not 403
# (CONCEALED: the gate, accounts/access.py, does not say that the records are there).
VIEW_CADRES = "view_cadres"
MANAGE_CADRES = "manage_cadres"
_CADRES = {VIEW_CADRES, MANAGE_CADRES}
ROLE_PERMISSIONS[Role.CADRE_OFFICER] = frozenset(ROLE_PERMISSIONS[Role.OFFICER] | _CADRES)
ROLE_PERMISSIONS[Role.ADMIN] = frozenset(ROLE_PERMISSIONS[Role.ADMIN] | _CADRES)
CONCEALED: frozenset[str] = frozenset(_CADRES)
ALL_PERMISSIONS = ROLE_PERMISSIONS[Role.ADMIN]

# Member self-service (tochuc/selfservice). The member role is never granted at a node: its
# account is linked to exactly one member record (selfservice.MemberAccount), so its scope
# holds no organization and every staff page answers 404; the self-service pages read the
# member's own record and their cell's meetings and documents through that link. The cell
# secretary and the officers activate, reset and deactivate the accounts of the members of
# their subtree and answer their requests.
SELF_SERVICE = "self_service"
MANAGE_MEMBER_ACCOUNTS = "manage_member_accounts"
ANSWER_REQUESTS = "answer_requests"
_SELF_SERVICE_STAFF = frozenset({MANAGE_MEMBER_ACCOUNTS, ANSWER_REQUESTS})
for _role in (Role.CELL_SECRETARY, Role.OFFICER, Role.CADRE_OFFICER, Role.ADMIN):
    ROLE_PERMISSIONS[_role] = frozenset(ROLE_PERMISSIONS[_role] | _SELF_SERVICE_STAFF)
ROLE_PERMISSIONS[Role.MEMBER] = frozenset({SELF_SERVICE})
ALL_PERMISSIONS = ROLE_PERMISSIONS[Role.ADMIN]
