from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """The report engine: periods, datasets, renderers, the registry (registry.py) and the
    report page. The reports themselves are registered by the apps that own them."""

    name = "tochuc.reports"
    verbose_name = "Báo cáo thống kê"
