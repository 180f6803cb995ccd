from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ApiConfig(AppConfig):
    name = "tochuc.api"
    verbose_name = gettext_lazy("Giao diện lập trình (API)")
