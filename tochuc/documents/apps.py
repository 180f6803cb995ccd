from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class DocumentsConfig(AppConfig):
    name = "tochuc.documents"
    verbose_name = gettext_lazy("Văn bản")

    def ready(self):
        from tochuc.imports import catalog
        from tochuc.reports import registry

        from .report_definition import DEFINITION

        registry.register(DEFINITION)
        catalog.register("documents", "tochuc.documents.importing.DocumentImporter")
