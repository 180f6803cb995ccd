from django.urls import path

from . import exporting, views

app_name = "members"

urlpatterns = [
    path("", views.member_list, name="list"),
    path("xuat.xlsx", exporting.export_list, name="export"),
    path("dem/", views.member_count, name="count"),
    path("them/", views.add, name="add"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sua/", views.edit, name="edit"),
    path("<int:pk>/cong-nhan-chinh-thuc/", views.confirm, name="confirm"),
    path("<int:pk>/mien-sinh-hoat/", views.exempt, name="exempt"),
    path("<int:pk>/chuyen-sinh-hoat/", views.transfer, name="transfer"),
    path("<int:pk>/ra-khoi-dang/", views.exit_party, name="exit"),
]
