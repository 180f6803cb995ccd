from axes import apps as axes_apps
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp import apps as totp_apps


class AccountsConfig(AppConfig):
    name = "tochuc.accounts"
    verbose_name = _("Tài khoản và phân quyền")

    def ready(self):
        from . import signals  # noqa: F401


# The third-party apps shown in the Django admin, under Vietnamese names (settings names
# these configs instead of the packages; labels, models and migrations are unchanged).
class AxesConfig(axes_apps.AppConfig):
    verbose_name = _("Đăng nhập sai và khóa tài khoản")


class TOTPConfig(totp_apps.DefaultConfig):
    verbose_name = _("Xác thực hai bước (mã TOTP)")
