from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tochuc.organizations.models import Organization

from .permissions import Role


class GrantQuerySet(models.QuerySet):
    def active_on(self, on):
        return self.filter(
            Q(revoked_at__isnull=True),
            Q(valid_from__lte=on),
            Q(valid_to__isnull=True) | Q(valid_to__gt=on),
        )


class Grant(models.Model):
    """A role held at an organization node; it covers that node's subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants"
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grants",
        verbose_name=_("tổ chức"),
    )
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.CheckConstraint(
                condition=Q(role=Role.ADMIN) | Q(organization__isnull=False),
                name="grant_scoped_roles_have_organization",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="grant_period_not_empty",
            ),
        ]

    def __str__(self) -> str:
        where = self.organization.name if self.organization_id else gettext("toàn hệ thống")
        return f"{self.user} — {self.get_role_display()} — {where}"


class UserSession(models.Model):
    """A signed-in session, kept so that disabling the user can end every one of them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phiên đăng nhập")
        verbose_name_plural = _("phiên đăng nhập")

    def __str__(self) -> str:
        return f"{self.user} {self.started_at:%d/%m/%Y %H:%M}"
