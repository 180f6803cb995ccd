from django.urls import path

from . import documents, reports, views

app_name = "admissions"

urlpatterns = [
    path("den-han/", views.due, name="due"),
    path("ho-so/<int:pk>/", views.detail, name="detail"),
    path("ho-so/<int:pk>/buoc/<slug:step>/", views.step, name="step"),
    path("ho-so/<int:pk>/cap-uy/<slug:step>/", views.decide, name="decide"),
    path("ho-so/<int:pk>/sua-huy/", views.correct_step, name="correct_step"),
    path("ho-so/<int:pk>/quyet-dinh.docx", documents.admission_decision, name="decision_docx"),
    path("du-bi/<int:pk>/", views.confirmation, name="confirmation"),
    path("du-bi/<int:pk>/bieu-quyet/", views.confirmation_vote, name="confirmation_vote"),
    path("du-bi/<int:pk>/quyet-dinh/", views.confirmation_decide, name="confirmation_decide"),
    path(
        "du-bi/<int:pk>/bieu-quyet/sua-huy/",
        views.correct_confirmation_vote,
        name="correct_confirmation_vote",
    ),
    path(
        "du-bi/<int:pk>/quyet-dinh/sua-huy/",
        views.correct_confirmation_decision,
        name="correct_confirmation_decision",
    ),
    path(
        "du-bi/<int:pk>/quyet-dinh.docx", documents.confirmation_decision, name="confirmation_docx"
    ),
    path("to-chuc/<str:code>/", views.candidate_list, name="list"),
    path("to-chuc/<str:code>/xuat.xlsx", reports.export_candidates, name="export"),
    path("to-chuc/<str:code>/them/", views.add, name="add"),
    path("to-chuc/<str:code>/chi-tieu/", views.targets, name="targets"),
    path("to-chuc/<str:code>/bao-cao/chi-tieu/", reports.report_targets, name="report_targets"),
    path(
        "to-chuc/<str:code>/bao-cao/chi-tieu.xlsx",
        reports.report_targets_xlsx,
        name="report_targets_xlsx",
    ),
    path("to-chuc/<str:code>/bao-cao/quy-trinh/", reports.report_pipeline, name="report_pipeline"),
    path(
        "to-chuc/<str:code>/bao-cao/quy-trinh.xlsx",
        reports.report_pipeline_xlsx,
        name="report_pipeline_xlsx",
    ),
]
