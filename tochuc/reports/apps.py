from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "tochuc.reports"
    verbose_name = "Báo cáo thống kê"

    def ready(self):
        from . import dashboard

        dashboard.register()
