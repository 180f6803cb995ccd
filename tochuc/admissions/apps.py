from django.apps import AppConfig


class AdmissionsConfig(AppConfig):
    name = "tochuc.admissions"
    verbose_name = "Kết nạp đảng viên"

    def ready(self):
        from . import dashboard

        dashboard.register()

        from tochuc.members import hooks

        from . import corrections

        hooks.acts_corrected.append(corrections.follow_member_acts)
