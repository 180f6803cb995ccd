from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "tochuc.ratings"
    verbose_name = "Đánh giá, xếp loại chất lượng"

    def ready(self):
        from tochuc.reports import registry

        from .statistics import DEFINITION

        registry.register(DEFINITION)
