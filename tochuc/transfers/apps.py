from django.apps import AppConfig


class TransfersConfig(AppConfig):
    """Transfers of party activity (official, temporary), their letters, members working
    away, and requests to receive a member from outside. The models are here (their tables
    keep the names members_transfer … they had in `tochuc.members`); the rules of the
    timeline are the members' engine (`members.timeline`, `members.store`)."""

    name = "tochuc.transfers"
    verbose_name = "Chuyển sinh hoạt đảng"

    def ready(self):
        from . import dashboard

        dashboard.register()
