from django.contrib import admin

from .models import Discipline, Inspection


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["decision_no", "conductor", "body", "activity", "kind", "starts_on"]
    list_filter = ["body", "activity", "kind", "conclusion"]
    search_fields = ["decision_no", "conductor__code"]
    raw_id_fields = ["conductor", "subject_organization", "subject_member", "recorded_by"]

    def has_add_permission(self, request):
        return False  # recorded through the services (scope, locks, audit)


@admin.register(Discipline)
class DisciplineAdmin(admin.ModelAdmin):
    list_display = ["decision_no", "form", "authority", "decided_on", "effective_on"]
    list_filter = ["form", "body"]
    search_fields = ["decision_no", "authority__code"]
    raw_id_fields = [
        "authority", "subject_organization", "subject_member", "inspection", "member_event",
        "organization_event", "recorded_by",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
