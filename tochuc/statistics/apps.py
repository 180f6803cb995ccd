from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    """Membership statistics (thống kê đảng viên): the figures of forms 1-TCTW…4-TCTW and
    the movement of members, their summary table, their reports and home-page panels."""

    name = "tochuc.statistics"
    verbose_name = "Thống kê đảng viên"

    def ready(self):
        from tochuc.reports import registry

        from . import dashboard
        from .reports import membership, movement, movement_by_child, summary

        for module in (membership, movement, movement_by_child, summary):
            registry.register(module.DEFINITION)
        dashboard.register()
