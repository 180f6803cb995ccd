from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.index, name="index"),
    path("to-chuc/<str:code>/", views.document_list, name="list"),
    path("to-chuc/<str:code>/xuat.xlsx", views.document_export, name="export"),
    path("to-chuc/<str:code>/dang-ky/", views.document_register, name="register"),
    path("to-chuc/<str:code>/ban-hanh/", views.document_issue, name="issue"),
    path("to-chuc/<str:code>/<int:pk>/", views.document_detail, name="detail"),
    path("to-chuc/<str:code>/<int:pk>/lien-ket/", views.document_link, name="link"),
    path("to-chuc/<str:code>/<int:pk>/gui/", views.document_distribute, name="distribute"),
    path("to-chuc/<str:code>/<int:pk>/dinh-kem/", views.document_attach, name="attach"),
    path(
        "to-chuc/<str:code>/<int:pk>/tep/<int:file>/",
        views.attachment_download,
        name="attachment",
    ),
    path("to-chuc/<str:code>/<int:pk>/da-doc/", views.receipt_read, name="read"),
    path("to-chuc/<str:code>/<int:pk>/sua-huy/", views.document_correct, name="correct"),
    path(
        "to-chuc/<str:code>/<int:pk>/lien-ket/<int:link>/huy/",
        views.link_cancel,
        name="link_cancel",
    ),
    path(
        "to-chuc/<str:code>/<int:pk>/gui/<int:distribution>/thu-hoi/",
        views.distribution_withdraw,
        name="distribution_withdraw",
    ),
]
