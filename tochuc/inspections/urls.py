from django.urls import path

from . import documents, reports, views

app_name = "inspections"

urlpatterns = [
    path("", views.index, name="index"),
    path("to-chuc/<str:code>/", views.inspection_list, name="list"),
    path("to-chuc/<str:code>/xuat.xlsx", views.inspection_export, name="export"),
    path("to-chuc/<str:code>/them/", views.inspection_add, name="add"),
    path("to-chuc/<str:code>/sua-huy/", views.inspection_correct, name="correct"),
    path(
        "to-chuc/<str:code>/ky-luat/sua-huy/", views.discipline_correct, name="discipline_correct"
    ),
    path(
        "to-chuc/<str:code>/ky-luat/dang-vien/sua-huy/",
        views.member_discipline_correct,
        name="member_discipline_correct",
    ),
    path("to-chuc/<str:code>/chon-dang-vien/", views.member_picker, name="member_picker"),
    path("to-chuc/<str:code>/so-lieu/", reports.counts_page, name="counts"),
    path("to-chuc/<str:code>/so-lieu.xlsx", reports.counts_xlsx, name="counts_xlsx"),
    path("to-chuc/<str:code>/bao-cao.docx", documents.summary_docx, name="summary_docx"),
    path("to-chuc/<str:code>/ky-luat/", views.discipline_list, name="disciplines"),
    path(
        "to-chuc/<str:code>/ky-luat/xuat.xlsx", views.discipline_export, name="disciplines_export"
    ),
    path(
        "to-chuc/<str:code>/ky-luat/dang-vien/", views.discipline_member, name="discipline_member"
    ),
    path(
        "to-chuc/<str:code>/ky-luat/to-chuc/",
        views.discipline_organization,
        name="discipline_organization",
    ),
]
