"""Members in the Django admin: read-only (the record changes only through the services,
which keep the timeline, the history and the audit log)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Member


@admin.register(Member)
class MemberAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "birth_date", "party_card_no", "status", "organization"]
    list_filter = ["status", "is_exempted", "gender"]
    list_select_related = ["organization"]
    search_fields = ["full_name", "name_folded", "party_card_no", "=citizen_id"]
    ordering = ["name_sort", "id"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
