from django.apps import AppConfig
from django.utils.translation import gettext_lazy


# The designation section's form pulls in the members' and organizations' forms (and through
# them the spreadsheet libraries): loaded when a merge or split form is shown, not at start-up
# (core/tests/test_cli_startup.py).
def _designation_form(*args, **kwargs):
    from . import designation

    return designation.section_form(*args, **kwargs)


def _designation_apply(*args, **kwargs):
    from . import designation

    return designation.apply(*args, **kwargs)


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

        from . import dashboard, following
        from .reports import composition, congresses, consolidations

        member_hooks.acts_recorded.append(following.end_posts_of_leavers)
        organization_hooks.signers.append(following.signer)
        organization_hooks.ending.append(following.end_posts_of_ended)
        organization_hooks.describers.append(following.describe_restructuring)
        organization_hooks.event_cancelled.append(following.reopen_posts_of_cancelled)
        organization_hooks.event_corrected.append(following.move_posts_of_corrected)
        organization_hooks.restructuring_sections.append(
            organization_hooks.Section(
                key="committees",
                title=gettext_lazy("Chỉ định cấp ủy của tổ chức sau sắp xếp (không bắt buộc)"),
                form=_designation_form,
                apply=_designation_apply,
            )
        )
        registry.register(consolidations.DEFINITION)
        registry.register(composition.DEFINITION)
        registry.register(congresses.DEFINITION)
        catalog.register("committees", "tochuc.committees.importing.CommitteeImporter")
        catalog.register("congresses", "tochuc.committees.congress_import.CongressImporter")
        dashboard.register()
