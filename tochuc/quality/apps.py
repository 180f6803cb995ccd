from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class QualityConfig(AppConfig):
    name = "tochuc.quality"
    verbose_name = gettext_lazy("Chất lượng dữ liệu")

    def ready(self):
        from tochuc.core.dashboard import register_panel
        from tochuc.members import hooks
        from tochuc.reports import registry

        from . import dashboard, duplicates, notes
        from .report import DEFINITION

        hooks.entry_checks.append(duplicates.entry_check)
        hooks.member_panels.append(notes.member_panel)
        register_panel("quality", "quality/_panel.html", dashboard.panel, order=60)
        registry.register(DEFINITION)
