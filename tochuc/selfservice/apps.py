from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class SelfServiceConfig(AppConfig):
    name = "tochuc.selfservice"
    verbose_name = gettext_lazy("Đảng viên tự phục vụ")

    def ready(self):
        from tochuc.accounts import hooks as accounts_hooks
        from tochuc.documents import hooks as documents_hooks
        from tochuc.meetings import hooks as meetings_hooks
        from tochuc.members import hooks as members_hooks

        from . import following

        meetings_hooks.planned.append(following.invite_to_meeting)
        documents_hooks.distributed.append(following.tell_about_document)
        accounts_hooks.home_pages.append(following.home_of_member)
        members_hooks.member_panels.append(following.account_panel)
