from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def organization_panel(request, organization, on):
    from django.utils import timezone

    from tochuc.organizations.selectors import subtree_counts_on

    total, _children = subtree_counts_on(scope=request.scope, organization=organization, on=on)
    return {"counts": total, "past": on != timezone.localdate()}


class CoreConfig(AppConfig):
    name = "tochuc.core"
    verbose_name = _("Hệ thống")

    def ready(self):
        from tochuc.lib import lookups  # noqa: F401 (registers `field__any`)

        from . import textinput
        from .dashboard import register_panel

        textinput.install()  # every form's text: NFC, hidden characters refused

        register_panel(
            "organization", "core/_panel_organization.html", organization_panel, order=10
        )
