from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class AwardsConfig(AppConfig):
    name = "tochuc.awards"
    verbose_name = gettext_lazy("Khen thưởng, Huy hiệu Đảng")

    def ready(self):
        from tochuc.imports import catalog
        from tochuc.members import hooks
        from tochuc.reports import registry

        from . import dashboard, services
        from .reports.badges import DEFINITION as BADGES
        from .reports.commendations import DEFINITION as COMMENDATIONS

        hooks.acts_recorded.append(services.follow_member_exits)
        hooks.member_panels.append(dashboard.member_panel)
        dashboard.register()
        registry.register(BADGES)
        registry.register(COMMENDATIONS)
        catalog.register("badges", "tochuc.awards.importing.BadgeImporter")
        catalog.register("commendations", "tochuc.awards.commendation_import.CommendationImporter")
