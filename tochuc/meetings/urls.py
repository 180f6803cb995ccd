from django.urls import path

from . import plan_views, views

app_name = "meetings"

urlpatterns = [
    path("", views.index, name="index"),
    path("to-chuc/<str:code>/", views.meeting_list, name="list"),
    path("to-chuc/<str:code>/xuat.xlsx", views.meeting_export, name="export"),
    path("to-chuc/<str:code>/ghi/", views.meeting_record, name="record"),
    path("to-chuc/<str:code>/buoi/", views.meeting_detail, name="detail"),
    path("to-chuc/<str:code>/sua-huy/", views.meeting_correct, name="correct"),
    path("to-chuc/<str:code>/chua-sinh-hoat/", views.due_list, name="due"),
    path("to-chuc/<str:code>/chua-sinh-hoat.xlsx", views.due_export, name="due_export"),
    path("to-chuc/<str:code>/so-lieu/", views.figures, name="figures"),
    path("to-chuc/<str:code>/so-lieu.xlsx", views.figures_export, name="figures_export"),
    path("to-chuc/<str:code>/vang-khong-ly-do/", views.absentees, name="absentees"),
    path("to-chuc/<str:code>/lich/", plan_views.plan, name="plan"),
    path("to-chuc/<str:code>/buoi/dinh-kem/", views.meeting_attach, name="attach"),
    path("to-chuc/<str:code>/tep/<int:file>/", views.meeting_file, name="file"),
    path("to-chuc/<str:code>/tep/<int:file>/go/", views.meeting_file_remove, name="file_remove"),
]
