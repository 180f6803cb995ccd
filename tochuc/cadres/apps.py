from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class CadresConfig(AppConfig):
    name = "tochuc.cadres"
    verbose_name = gettext_lazy("Công tác cán bộ")

    def ready(self):
        from tochuc.imports import catalog
        from tochuc.organizations import hooks
        from tochuc.reports import registry

        from . import dashboard, restructuring
        from .report_definition import DEFINITION

        registry.register(DEFINITION)
        dashboard.register()
        catalog.register("staffing", "tochuc.cadres.importing.StaffingImporter")
        catalog.register("work-history", "tochuc.cadres.history_import.CadrePositionImporter")
        catalog.register("appointments", "tochuc.cadres.appointment_import.AppointmentImporter")
        catalog.register("training", "tochuc.cadres.training_import.TrainingImporter")
        catalog.register("planning", "tochuc.cadres.planning_import.PlanningImporter")
        if restructuring.follow_merge not in hooks.merged:
            hooks.merged.append(restructuring.follow_merge)
