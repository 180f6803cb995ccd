from django.contrib import admin

from .models import DuplicatePair, Scan


@admin.register(Scan)
class ScanAdmin(admin.ModelAdmin):
    list_display = ["organization", "on", "state", "records", "problems", "pairs", "seconds"]
    readonly_fields = [f.name for f in Scan._meta.fields]


@admin.register(DuplicatePair)
class DuplicatePairAdmin(admin.ModelAdmin):
    list_display = ["first", "second_pk", "score", "state"]
    readonly_fields = [f.name for f in DuplicatePair._meta.fields]
