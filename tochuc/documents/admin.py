from django.contrib import admin

from .models import Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "issued_on", "title", "organization", "classification"]
    search_fields = ["number", "title"]
    readonly_fields = [f.name for f in Document._meta.fields]
