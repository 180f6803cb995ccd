from django.urls import path

from . import commendation_documents, commendation_views, documents, views

app_name = "awards"

urlpatterns = [
    path("", views.index, name="index"),
    path("huy-hieu/to-chuc/<str:code>/", views.due, name="due"),
    path("huy-hieu/to-chuc/<str:code>/xuat.xlsx", views.due_export, name="due_export"),
    path("huy-hieu/to-chuc/<str:code>/de-nghi/", views.propose, name="propose"),
    path("huy-hieu/to-chuc/<str:code>/ho-so/", views.cases, name="cases"),
    path("huy-hieu/to-chuc/<str:code>/ho-so/xuat.xlsx", views.cases_export, name="cases_export"),
    path("huy-hieu/to-chuc/<str:code>/quyet-dinh/", views.decide, name="decide"),
    path("huy-hieu/to-chuc/<str:code>/trao/", views.award, name="award"),
    path("huy-hieu/to-chuc/<str:code>/cap-lai/", views.reissue, name="reissue"),
    path("huy-hieu/to-chuc/<str:code>/thu-hoi/", views.take_back, name="take_back"),
    path("huy-hieu/to-chuc/<str:code>/rut/", views.withdraw, name="withdraw"),
    path("huy-hieu/to-chuc/<str:code>/sua/", views.correct, name="correct"),
    path(
        "huy-hieu/to-chuc/<str:code>/to-trinh.docx", documents.proposal_docx, name="proposal_docx"
    ),
    path(
        "huy-hieu/to-chuc/<str:code>/quyet-dinh.docx", documents.decision_docx, name="decision_docx"
    ),
    path("huy-hieu/dang-vien/<int:pk>/de-nghi-som/", views.propose_early, name="propose_early"),
    path("to-chuc/<str:code>/", commendation_views.commendation_list, name="commendations"),
    path(
        "to-chuc/<str:code>/xuat.xlsx",
        commendation_views.commendation_export,
        name="commendations_export",
    ),
    path("to-chuc/<str:code>/them/", commendation_views.commendation_add, name="commendation_add"),
    path("to-chuc/<str:code>/ung-vien/", commendation_views.candidates, name="candidates"),
    path(
        "to-chuc/<str:code>/huy/",
        commendation_views.commendation_cancel,
        name="commendation_cancel",
    ),
    path(
        "to-chuc/<str:code>/sua/",
        commendation_views.commendation_correct,
        name="commendation_correct",
    ),
    path(
        "to-chuc/<str:code>/to-trinh.docx",
        commendation_documents.proposal_docx,
        name="commendation_proposal_docx",
    ),
    path(
        "to-chuc/<str:code>/quyet-dinh.docx",
        commendation_documents.decision_docx,
        name="commendation_decision_docx",
    ),
]
