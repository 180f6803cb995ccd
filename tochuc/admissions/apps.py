from django.apps import AppConfig


class AdmissionsConfig(AppConfig):
    name = "tochuc.admissions"
    verbose_name = "Kết nạp đảng viên"

    def ready(self):
        from tochuc.imports import catalog
        from tochuc.members import hooks

        from . import corrections, dashboard

        dashboard.register()
        hooks.acts_corrected.append(corrections.follow_member_acts)
        catalog.register("targets", "tochuc.admissions.targets_import.TargetImporter")
