from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    """Membership statistics (thống kê đảng viên): the figures of forms 1-TCTW…4-TCTW and
    the movement of members, their summary table, their reports and home-page panels."""

    name = "tochuc.statistics"
    verbose_name = "Thống kê đảng viên"

    def ready(self):
        from tochuc.members import hooks as member_hooks
        from tochuc.organizations import hooks as organization_hooks
        from tochuc.reports import registry

        from . import counts, dashboard, tasks
        from .reports import membership, movement, movement_by_child, summary

        for module in (membership, movement, movement_by_child, summary):
            registry.register(module.DEFINITION)
        dashboard.register()
        registry.register_reading(counts.one_reading)  # a briefing counts each figure once
        # A restructuring or a correction refreshes the summary in the background (the
        # database knows which provinces and dates changed; imports queue it themselves).
        organization_hooks.merged.append(tasks.refresh_after_commit)
        organization_hooks.event_corrected.append(tasks.refresh_after_commit)
        organization_hooks.event_cancelled.append(tasks.refresh_after_commit)
        member_hooks.acts_corrected.append(tasks.refresh_after_commit)
        # The organization page's counts per child, from the summary when it is fresh.
        organization_hooks.subtree_organizations.append(counts.snapshot_organizations_of)
