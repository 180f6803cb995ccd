from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "tochuc.policy"
    verbose_name = "Quy định áp dụng"
