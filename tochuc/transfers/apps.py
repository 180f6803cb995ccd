from django.apps import AppConfig


class TransfersConfig(AppConfig):
    """Transfers of party activity (official, temporary), their letters, members working
    away. The models stay in `tochuc.members` (tables members_transfer …); the rules of the
    timeline are the members' engine (`members.timeline`)."""

    name = "tochuc.transfers"
    verbose_name = "Chuyển sinh hoạt đảng"

    def ready(self):
        from . import dashboard

        dashboard.register()
