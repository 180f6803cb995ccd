from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tochuc.accounts"
    verbose_name = "Tài khoản và phân quyền"
