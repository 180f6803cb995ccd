from django.contrib import admin

from .dues import validate_dues_params
from .models import PolicyVersion, WorkingDayOverride
from .rules import validate_params


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    list_display = ["effective_from", "source", "params", "created_by"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        validate_params(obj.params)
        validate_dues_params(obj.params)
        obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(WorkingDayOverride)
class WorkingDayOverrideAdmin(admin.ModelAdmin):
    list_display = ["day", "is_working_day", "reason", "created_by"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        obj.created_by = request.user
        super().save_model(request, obj, form, change)
