from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class NotificationsConfig(AppConfig):
    name = "tochuc.notifications"
    verbose_name = gettext_lazy("Thông báo")

    def ready(self):
        from tochuc.accounts import access

        from .selectors import unread_count_of

        # The bell's count, read in the same query as the user of each request.
        access.read_with_user["unread_notifications"] = unread_count_of
