from django.contrib import admin

from .models import Attendance, Meeting


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    can_delete = False
    readonly_fields = ["member", "presence", "reason", "temporary"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    """Read-only: meetings are recorded and corrected through the services (the pages)."""

    list_display = ["held_on", "organization", "kind", "expected", "present", "quality"]
    list_filter = ["kind", "quality"]
    search_fields = ["organization__code", "organization__name", "topic"]
    inlines = [AttendanceInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
