"""Ratings in the Django admin: read-only (the services keep the steps, the cap and the audit)."""

from django.contrib import admin

from .models import ConfidenceVote, RatingSession, RatingSubject


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RatingSession)
class RatingSessionAdmin(ReadOnly):
    list_display = ["title", "organization", "kind", "starts_on", "ends_on", "listed_on"]
    list_filter = ["kind", "year"]


@admin.register(RatingSubject)
class RatingSubjectAdmin(ReadOnly):
    list_display = ["name", "kind", "session", "step", "self_score", "final_level"]
    list_filter = ["kind", "step", "final_level"]
    search_fields = ["name"]


@admin.register(ConfidenceVote)
class ConfidenceVoteAdmin(ReadOnly):
    list_display = ["member", "position", "organization", "held_on", "high", "medium", "low"]
