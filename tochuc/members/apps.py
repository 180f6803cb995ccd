from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class MembersConfig(AppConfig):
    name = "tochuc.members"
    verbose_name = gettext_lazy("Đảng viên")

    def ready(self):
        from tochuc.imports import catalog
        from tochuc.organizations import hooks

        from . import restructuring as r

        catalog.register("members", "tochuc.members.importing.MemberImporter")
        catalog.register("events", "tochuc.members.events_import.EventImporter")
        catalog.register(
            "event-corrections", "tochuc.members.corrections_import.CorrectionImporter"
        )

        hooks.paths_moved.append(r.follow_paths)
        hooks.merged.append(r.follow_merge)
        hooks.ending.append(r.refuse_if_members)
        hooks.event_corrected.append(r.follow_event_correction)
        hooks.event_cancelled.append(r.unfollow_restructuring)
        hooks.rosters.append(r.roster)
        hooks.describers.append(r.describe_moves)
