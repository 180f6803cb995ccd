"""Admissions in the Django admin: read-only (the services keep the steps and the audit)."""

from django.contrib import admin

from .models import AdmissionTarget, Candidate, ConfirmationCase


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Candidate)
class CandidateAdmin(ReadOnly):
    list_display = ["full_name", "birth_date", "cell", "stage", "stage_on"]
    list_filter = ["stage"]
    list_select_related = ["cell"]
    search_fields = ["name_folded", "=citizen_id"]


@admin.register(ConfirmationCase)
class ConfirmationCaseAdmin(ReadOnly):
    list_display = ["member", "probation_ends_on", "proposed_on", "escalated_on", "outcome"]
    list_select_related = ["member"]


@admin.register(AdmissionTarget)
class AdmissionTargetAdmin(ReadOnly):
    list_display = ["organization", "year", "target"]
    list_filter = ["year"]
    list_select_related = ["organization"]
