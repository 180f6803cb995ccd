from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Grant
from .services import grant_create, grant_revoke


def _admin_site_permission(request) -> bool:
    """The Django admin is for system administrators only (checked on every request).

    A signed-in user who is not one is answered 404: the admin would send them to its login,
    the login page back to the admin (a redirect loop), and the loop says the admin exists.
    Anonymous visitors go to the login page, once."""
    if request.user.is_active and request.scope.is_admin:
        return True
    if request.user.is_authenticated:
        raise Http404
    return False


admin.site.has_permission = _admin_site_permission


@login_not_required
def _admin_login(request, extra_context=None):
    """The Django admin has no login form of its own: every sign-in goes through the login
    page (lockout, second factor, audit)."""
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


admin.site.login = _admin_login


@admin.register(Grant)
class GrantAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "organization", "valid_from", "valid_to", "revoked_at"]
    list_filter = ["role", "revoked_at"]
    search_fields = ["user__username", "organization__code", "organization__name"]
    autocomplete_fields = ["user", "organization"]
    readonly_fields = ["revoked_at", "granted_by", "created_at"]
    actions = ["revoke"]

    def has_change_permission(self, request, obj=None):
        return obj is None  # a grant is revoked and granted anew, never edited

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        grant = grant_create(
            user=obj.user,
            role=obj.role,
            organization=obj.organization,
            valid_from=obj.valid_from or timezone.localdate(),
            valid_to=obj.valid_to,
            note=obj.note,
            by=request.user,
        )
        obj.pk = grant.pk

    @admin.action(description=gettext_lazy("Thu hồi các quyền đã chọn"))
    def revoke(self, request, queryset):
        for grant in queryset.filter(revoked_at__isnull=True):
            grant_revoke(grant=grant, by=request.user, reason=_("Thu hồi qua trang quản trị"))
