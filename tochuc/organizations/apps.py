from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "tochuc.organizations"
    verbose_name = "Tổ chức đảng"
