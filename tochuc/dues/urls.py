from django.urls import path

from . import views

app_name = "dues"

urlpatterns = [
    path("", views.index, name="index"),
    path("to-chuc/<str:code>/", views.overview, name="overview"),
    path("to-chuc/<str:code>/xuat.xlsx", views.overview_export, name="overview_export"),
    path("to-chuc/<str:code>/thu/", views.roll, name="roll"),
    path("to-chuc/<str:code>/thu/ghi/", views.collect, name="collect"),
    path("to-chuc/<str:code>/thu.xlsx", views.roll_export, name="roll_export"),
    path("to-chuc/<str:code>/no/", views.arrears, name="arrears"),
    path("to-chuc/<str:code>/no.xlsx", views.arrears_export, name="arrears_export"),
    path("dang-vien/<int:pk>/", views.member_dues, name="member"),
    path("dang-vien/<int:pk>/muc-dong/", views.member_basis, name="member_basis"),
    path("dang-vien/<int:pk>/mien-giam/", views.member_relief, name="member_relief"),
    path("dang-vien/<int:pk>/muc-dong/sua/", views.basis_correct, name="basis_correct"),
    path("dang-vien/<int:pk>/mien-giam/sua/", views.relief_correct, name="relief_correct"),
]
