"""Transfers in the Django admin: read-only (letters are issued, received and returned
through the services, which keep the member's timeline and the audit log)."""

from django.contrib import admin

from .models import Transfer


@admin.register(Transfer)
class TransferAdmin(admin.ModelAdmin):
    """Read-only: letters are issued and received through the services."""

    list_display = ["letter_no", "letter_on", "member", "kind", "state", "source", "destination"]
    list_filter = ["kind", "state"]
    list_select_related = ["member", "source", "destination"]
    search_fields = ["letter_no", "member__name_folded"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
