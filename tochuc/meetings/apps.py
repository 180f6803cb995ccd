from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class MeetingsConfig(AppConfig):
    name = "tochuc.meetings"
    verbose_name = gettext_lazy("Sinh hoạt chi bộ")

    def ready(self):
        from tochuc.imports import catalog
        from tochuc.reports import registry

        from . import dashboard, screening
        from .reports import due, held

        dashboard.register()
        screening.register()
        registry.register(held.DEFINITION)
        registry.register(due.DEFINITION)
        catalog.register("meetings", "tochuc.meetings.importing.MeetingImporter")
