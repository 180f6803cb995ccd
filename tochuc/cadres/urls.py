from django.urls import path

from . import correction_views, staffing_views, views

app_name = "cadres"

urlpatterns = [
    path("", views.index, name="index"),
    path("to-chuc/<str:code>/", views.cadre_list, name="list"),
    path("to-chuc/<str:code>/xuat.xlsx", views.cadre_export, name="export"),
    path("to-chuc/<str:code>/them/", views.cadre_add, name="add"),
    path("to-chuc/<str:code>/den-han/", views.due, name="due"),
    path("to-chuc/<str:code>/nghi-huu/", views.retirements, name="retirements"),
    path("to-chuc/<str:code>/quy-hoach/", views.planning, name="planning"),
    path("to-chuc/<str:code>/bien-che/", views.staffing, name="staffing"),
    path("<int:pk>/", views.cadre_detail, name="detail"),
    path("<int:pk>/bo-nhiem/", views.appointment_add, name="appoint"),
    path("<int:pk>/luan-chuyen/", views.rotation_add, name="rotate"),
    path("<int:pk>/quyet-dinh-bo-nhiem.docx", views.appointment_docx, name="appointment_docx"),
    path("<int:pk>/dao-tao/", views.training_add, name="train"),
    path("quy-hoach/<int:pk>/", views.planning_list, name="planning_list"),
    path("quy-hoach/<int:pk>/xuat.xlsx", views.planning_export, name="planning_export"),
    path("quy-hoach/<int:pk>/danh-sach.docx", views.planning_docx, name="planning_docx"),
    path("quy-hoach/<int:pk>/them/", views.planning_add, name="planning_add"),
    path("<int:pk>/sua-huy/", correction_views.cadre_correct, name="correct"),
    path(
        "<int:pk>/chuc-vu/<int:item>/sua-huy/",
        correction_views.position_correct,
        name="position_correct",
    ),
    path(
        "<int:pk>/bo-nhiem/<int:item>/sua-huy/",
        correction_views.appointment_correct,
        name="appointment_correct",
    ),
    path(
        "<int:pk>/quy-hoach/<int:item>/huy/",
        correction_views.planning_cancel,
        name="planning_cancel",
    ),
    path(
        "<int:pk>/quy-hoach/<int:item>/dua-ra/",
        correction_views.planning_remove,
        name="planning_remove",
    ),
    path(
        "<int:pk>/luan-chuyen/<int:item>/sua-huy/",
        correction_views.rotation_correct,
        name="rotation_correct",
    ),
    path(
        "<int:pk>/luan-chuyen/<int:item>/tro-ve/",
        correction_views.rotation_return,
        name="rotation_return",
    ),
    path(
        "<int:pk>/dao-tao/<int:item>/sua-huy/",
        correction_views.training_correct,
        name="training_correct",
    ),
    path(
        "quy-hoach/<int:pk>/sua-huy/",
        correction_views.planned_position_correct,
        name="planned_position_correct",
    ),
    path("to-chuc/<str:code>/bien-che/giao/", staffing_views.quota_add, name="quota_add"),
    path(
        "to-chuc/<str:code>/bien-che/tinh-gian/",
        staffing_views.reduction_add,
        name="reduction_add",
    ),
    path(
        "to-chuc/<str:code>/bien-che/sua-huy/",
        staffing_views.quota_correct,
        name="quota_correct",
    ),
    path(
        "to-chuc/<str:code>/bien-che/tinh-gian/sua-huy/",
        staffing_views.reduction_correct,
        name="reduction_correct",
    ),
    path(
        "to-chuc/<str:code>/bien-che/co-quan/sua/",
        staffing_views.agency_correct,
        name="agency_correct",
    ),
]
