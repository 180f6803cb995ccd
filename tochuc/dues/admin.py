from django.contrib import admin

from .models import DuesBasis, DuesPayment, DuesRelief, DuesSheet


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False  # written through the services (scope, locks, audit)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DuesBasis)
class DuesBasisAdmin(ReadOnly):
    list_display = ["member", "valid_from", "category", "basis"]
    raw_id_fields = ["member", "recorded_by"]


@admin.register(DuesRelief)
class DuesReliefAdmin(ReadOnly):
    list_display = ["member", "kind", "percent", "first_month", "last_month", "decision_no"]
    raw_id_fields = ["member", "recorded_by"]


@admin.register(DuesSheet)
class DuesSheetAdmin(ReadOnly):
    list_display = ["organization", "month", "collected", "payments", "reported_on"]
    raw_id_fields = ["organization", "reported_by"]


@admin.register(DuesPayment)
class DuesPaymentAdmin(ReadOnly):
    list_display = ["member", "for_month", "amount", "paid_on", "reference"]
    raw_id_fields = ["sheet", "member", "recorded_by"]
