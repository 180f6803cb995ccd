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

        from . import dashboard, moves, selectors

        dashboard.register()
        hooks.moves_loaded.append(moves.load_open_moves)
        hooks.moves_closed.append(moves.close_moves)
        for registered, follower in (
            (hooks.moves_replayed, moves.sync_moves),
            (hooks.open_moves_among, moves.open_moves_among),
            (hooks.moves_written, moves.write_moves),
            (hooks.member_page, selectors.member_movements),
        ):
            if follower not in registered:
                registered.append(follower)
