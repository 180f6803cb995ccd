from django.apps import AppConfig


class TransfersConfig(AppConfig):
    """Transfers of party activity (official, temporary), their letters, members working
    away, and requests to receive a member from outside. The models are here (their tables
    keep the names members_transfer … they had in `tochuc.members`); the rules of the
    timeline are the members' engine (`members.timeline`, `members.store`)."""

    name = "tochuc.transfers"
    verbose_name = "Chuyển sinh hoạt đảng"

    def ready(self):
        from tochuc.members import hooks

        from . import dashboard, moves

        dashboard.register()
        hooks.moves_loaded.append(moves.load_open_moves)
        hooks.moves_closed.append(moves.close_moves)
