from django.urls import path

from . import correction_views, exporting, views

app_name = "members"

urlpatterns = [
    path("", views.member_list, name="list"),
    path("xuat.xlsx", exporting.export_list, name="export"),
    # The tenant in the path, as everywhere (`to-chuc/<code>/`).
    path("to-chuc/<str:code>/dem/", views.member_count, name="count"),
    path("to-chuc/<str:code>/them/", views.add, name="add"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sua/", views.edit, name="edit"),
    path("<int:pk>/cong-nhan-chinh-thuc/", views.confirm, name="confirm"),
    path("<int:pk>/mien-sinh-hoat/", views.exempt, name="exempt"),
    path("<int:pk>/ra-khoi-dang/", views.exit_party, name="exit"),
    path("<int:pk>/ket-nap-lai/", views.readmit, name="readmit"),
    # Correct or cancel a timeline act (?su_kien=ID; without it, the list of acts).
    path("<int:pk>/sua-huy/", correction_views.timeline_correct, name="timeline_correct"),
]
