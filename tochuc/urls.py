from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from tochuc.core import views as core_views

admin.site.site_header = "tochuc — Quản trị hệ thống"
admin.site.site_title = "tochuc"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("dang-nhap/", core_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", core_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "doi-mat-khau/xong/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("to-chuc/", include("tochuc.organizations.urls")),
    path("dang-vien/", include("tochuc.members.urls")),
    path("nhap-lieu/", include("tochuc.imports.urls")),
    path("quan-tri/", admin.site.urls),
]
