from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ProgrammesConfig(AppConfig):
    name = "tochuc.programmes"
    verbose_name = gettext_lazy("Chương trình hành động, giao ban")

    def ready(self):
        from . import dashboard

        dashboard.register()
