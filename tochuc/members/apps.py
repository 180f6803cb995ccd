from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "tochuc.members"
    verbose_name = "Đảng viên"

    def ready(self):
        from tochuc.imports import catalog
        from tochuc.organizations import hooks

        from . import services

        catalog.register("members", "tochuc.members.importing.MemberImporter")
        catalog.register("events", "tochuc.members.events_import.EventImporter")
        catalog.register(
            "event-corrections", "tochuc.members.corrections_import.CorrectionImporter"
        )

        hooks.paths_moved.append(services.follow_paths)
        hooks.merged.append(services.follow_merge)
        hooks.ending.append(services.refuse_if_members)
        hooks.event_corrected.append(services.follow_event_correction)
        hooks.event_cancelled.append(services.unfollow_restructuring)
