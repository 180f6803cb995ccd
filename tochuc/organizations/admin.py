from django.contrib import admin

from .models import Organization, OrganizationEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """The tree changes only through its dated events (the organization pages)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "founded_on", "ended_on"]
    list_filter = ["kind", "grassroots_type"]
    search_fields = ["code", "name", "name_folded"]


@admin.register(OrganizationEvent)
class OrganizationEventAdmin(ReadOnlyAdmin):
    list_display = ["effective_on", "type", "decision_no", "recorded_by", "recorded_at"]
    list_filter = ["type"]
    search_fields = ["decision_no"]
