from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class InspectionsConfig(AppConfig):
    name = "tochuc.inspections"
    verbose_name = gettext_lazy("Kiểm tra, giám sát, kỷ luật")

    def ready(self):
        from tochuc.members import hooks
        from tochuc.reports import registry

        from . import corrections
        from .report_definition import DEFINITION

        hooks.acts_corrected.append(corrections.follow_member_acts)
        registry.register(DEFINITION)
