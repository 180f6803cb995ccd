"""What each role may do. Views declare one of these; the gate checks it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

VIEW = "view"
EXPORT = "export"
CHANGE_ORGANIZATIONS = "change_organizations"
CHANGE_MEMBERS = "change_members"
IMPORT = "import"
ADMINISTER = "administer"


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị hệ thống")
    OFFICER = "officer", _("Cán bộ tổ chức")
    VIEWER = "viewer", _("Chỉ xem")
    CELL_SECRETARY = "cell_secretary", _("Bí thư chi bộ")


ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.VIEWER: frozenset({VIEW, EXPORT}),
    Role.CELL_SECRETARY: frozenset({VIEW}),
    Role.OFFICER: frozenset({VIEW, EXPORT, CHANGE_ORGANIZATIONS, CHANGE_MEMBERS, IMPORT}),
    Role.ADMIN: frozenset({VIEW, EXPORT, CHANGE_ORGANIZATIONS, CHANGE_MEMBERS, IMPORT, ADMINISTER}),
}
ALL_PERMISSIONS = ROLE_PERMISSIONS[Role.ADMIN]
