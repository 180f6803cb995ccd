from django.contrib import admin

from .models import BadgeCase, Commendation


@admin.register(BadgeCase)
class BadgeCaseAdmin(admin.ModelAdmin):
    list_display = ["member", "milestone", "occasion", "stage", "decision_no", "badge_no"]
    list_filter = ["stage", "milestone", "early"]
    search_fields = ["decision_no", "badge_no", "member__full_name"]
    raw_id_fields = ["member", "proposer", "recorded_by"]

    def has_add_permission(self, request):
        return False  # recorded through the services (scope, rules, audit)


@admin.register(Commendation)
class CommendationAdmin(admin.ModelAdmin):
    list_display = ["decision_no", "form", "recipient_name", "authority", "decided_on"]
    list_filter = ["form", "recipient_kind", "reason_kind"]
    search_fields = ["decision_no", "recipient_name"]
    raw_id_fields = ["authority", "recipient_organization", "recipient_member", "recorded_by"]

    def has_add_permission(self, request):
        return False
