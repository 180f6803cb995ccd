from django.contrib import admin

from .models import Agency, Cadre, PlannedPosition, StaffingQuota


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False  # recorded through the services (scope, policy, audit)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Cadre)
class CadreAdmin(ReadOnly):
    list_display = ["full_name", "committee", "birth_date", "gender"]
    search_fields = ["full_name"]
    raw_id_fields = ["committee", "member", "recorded_by"]


@admin.register(Agency)
class AgencyAdmin(ReadOnly):
    list_display = ["code", "name", "organization"]
    search_fields = ["code", "name"]


@admin.register(PlannedPosition)
class PlannedPositionAdmin(ReadOnly):
    list_display = ["title", "committee", "min_theory"]


@admin.register(StaffingQuota)
class StaffingQuotaAdmin(ReadOnly):
    list_display = ["agency", "year", "assigned", "actual", "planned_reduction"]
    list_filter = ["year"]
