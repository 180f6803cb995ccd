from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class CommitteesConfig(AppConfig):
    """Terms, committees, posts and congresses. Follows the member timeline (a post ends when
    its holder leaves), signs the letters of the organizations (`organizations.hooks`), and
    plugs its reports into the report engine."""

    name = "tochuc.committees"
    verbose_name = gettext_lazy("Cấp ủy, nhiệm kỳ, đại hội")

    def ready(self):
        from tochuc.imports import catalog
        from tochuc.members import hooks as member_hooks
        from tochuc.organizations import hooks as organization_hooks
        from tochuc.reports import registry

        from . import dashboard, designation, following
        from .reports import composition, congresses, consolidations

        member_hooks.acts_recorded.append(following.end_posts_of_leavers)
        organization_hooks.signers.append(following.signer)
        organization_hooks.ending.append(following.end_posts_of_ended)
        organization_hooks.describers.append(following.describe_restructuring)
        organization_hooks.event_cancelled.append(following.reopen_posts_of_cancelled)
        organization_hooks.event_corrected.append(following.move_posts_of_corrected)
        organization_hooks.restructuring_sections.append(designation.SECTION)
        registry.register(consolidations.DEFINITION)
        registry.register(composition.DEFINITION)
        registry.register(congresses.DEFINITION)
        catalog.register("committees", "tochuc.committees.importing.CommitteeImporter")
        catalog.register("congresses", "tochuc.committees.congress_import.CongressImporter")
        dashboard.register()
