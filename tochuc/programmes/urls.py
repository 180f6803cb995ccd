from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("", views.index, name="index"),
    path("to-chuc/<str:code>/", views.programme_list, name="list"),
    path("to-chuc/<str:code>/giao-ban/", views.briefing_list, name="briefings"),
    path("to-chuc/<str:code>/giao-ban/lap/", views.briefing_generate, name="briefing_generate"),
    path("to-chuc/<str:code>/giao-ban/<str:month>/", views.briefing_detail, name="briefing"),
    path("to-chuc/<str:code>/giao-ban/<str:month>/luu/", views.briefing_save, name="briefing_save"),
    path("to-chuc/<str:code>/giao-ban/<str:month>.docx", views.briefing_docx, name="briefing_docx"),
    path("to-chuc/<str:code>/nhiem-vu/<int:pk>/bao-cao/", views.progress_add, name="progress"),
    path("to-chuc/<str:code>/them/", views.programme_add, name="add"),
    path("to-chuc/<str:code>/<int:pk>/nhiem-vu/", views.task_add, name="task_add"),
    path("to-chuc/<str:code>/nhiem-vu.xlsx", views.task_export, name="export"),
    path("to-chuc/<str:code>/nhiem-vu/<int:pk>/", views.task_detail, name="task"),
    path("to-chuc/<str:code>/nhiem-vu/<int:pk>/sua-huy/", views.task_correct, name="task_correct"),
    path(
        "to-chuc/<str:code>/bao-cao-tien-do/<int:pk>/sua-huy/",
        views.progress_correct,
        name="progress_correct",
    ),
    path(
        "to-chuc/<str:code>/bao-cao-tien-do/<int:pk>/dinh-kem/",
        views.progress_attach,
        name="progress_attach",
    ),
    path("to-chuc/<str:code>/tep/<int:file>/", views.progress_file, name="file"),
    path("to-chuc/<str:code>/tep/<int:file>/go/", views.progress_file_remove, name="file_remove"),
]
