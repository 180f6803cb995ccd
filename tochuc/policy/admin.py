"""Rule changes and calendar exceptions in the Django admin: the form checks the values
(each error beside its field, nothing saved); the services write and audit."""

from django import forms
from django.contrib import admin

from . import services
from .dues import validate_dues_params
from .models import PolicyVersion, WorkingDayOverride
from .rules import validate_params


class PolicyVersionForm(forms.ModelForm):
    class Meta:
        model = PolicyVersion
        fields = ["effective_from", "source", "params", "note"]

    def clean_params(self):
        """The rules' parameters with values of their types (the messages name each one)."""
        params = self.cleaned_data["params"] or {}
        for check in (validate_params, validate_dues_params):
            try:
                check(params)
            except forms.ValidationError as error:
                raise forms.ValidationError(error.message_dict["params"]) from error
        return params


class AuditedAdmin(admin.ModelAdmin):
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        services.save(obj, by=request.user)

    def delete_model(self, request, obj):
        services.delete(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.delete(obj, by=request.user)


@admin.register(PolicyVersion)
class PolicyVersionAdmin(AuditedAdmin):
    form = PolicyVersionForm
    list_display = ["effective_from", "source", "params", "created_by"]


@admin.register(WorkingDayOverride)
class WorkingDayOverrideAdmin(AuditedAdmin):
    list_display = ["day", "is_working_day", "reason", "created_by"]
