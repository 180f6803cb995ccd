from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "tochuc.organizations"
    verbose_name = _("Tổ chức đảng")

    def ready(self):
        from tochuc.imports import catalog

        catalog.register("organizations", "tochuc.organizations.importing.OrganizationImporter")
        catalog.register(
            "org-events", "tochuc.organizations.history_import.OrganizationEventImporter"
        )
