from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "tochuc.members"
    verbose_name = "Đảng viên"

    def ready(self):
        from tochuc.organizations import hooks

        from . import services

        hooks.paths_moved.append(services.follow_paths)
        hooks.merged.append(services.follow_merge)
        hooks.ending.append(services.refuse_if_members)
        hooks.event_corrected.append(services.follow_event_correction)
        hooks.event_cancelled.append(services.unfollow_restructuring)
