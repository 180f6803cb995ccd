from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class DuesConfig(AppConfig):
    name = "tochuc.dues"
    verbose_name = gettext_lazy("Đảng phí")

    def ready(self):
        from tochuc.imports import catalog
        from tochuc.reports import registry

        from . import dashboard, screening
        from .reports.collected import DEFINITION

        registry.register(DEFINITION)
        dashboard.register()
        screening.register()
        catalog.register("dues", "tochuc.dues.importing.DuesImporter")
