from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tochuc.core"
    verbose_name = "Hệ thống"
