from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from tochuc.accounts import views as account_views
from tochuc.api import public as api_public
from tochuc.core import views as core_views

admin.site.site_header = "tochuc — Quản trị hệ thống"
admin.site.site_title = "tochuc"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("dang-nhap/", account_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", core_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "doi-mat-khau/xong/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("to-chuc/", include("tochuc.organizations.urls")),
    path("dang-vien/", include("tochuc.members.urls")),
    path("dang-vien/", include("tochuc.transfers.urls")),
    path("ket-nap/", include("tochuc.admissions.urls")),
    path("danh-gia/", include("tochuc.ratings.urls")),
    path("kiem-tra/", include("tochuc.inspections.urls")),
    path("nhap-lieu/", include("tochuc.imports.urls")),
    path("bao-cao/", include("tochuc.reports.urls")),
    path("", include("tochuc.accounts.urls")),
    path("nhat-ky/", include("tochuc.core.urls")),
    path("quan-tri/", admin.site.urls),
    path("dang-phi/", include("tochuc.dues.urls")),
    path("van-ban/", include("tochuc.documents.urls")),
    path("chuong-trinh/", include("tochuc.programmes.urls")),
    path("cap-uy/", include("tochuc.committees.urls")),
    path("sinh-hoat/", include("tochuc.meetings.urls")),
    path("tong-quan/to-chuc/<str:code>/", core_views.home_organization, name="home_organization"),
    path("chat-luong/", include("tochuc.quality.urls")),
    path("api/v1/", api_public.urls()),
    path("tai-khoan/ma-api/", include("tochuc.api.urls")),
    path("khen-thuong/", include("tochuc.awards.urls")),
    path("can-bo/", include("tochuc.cadres.urls")),
    path("", include("tochuc.selfservice.urls")),
    path("thong-bao/", include("tochuc.notifications.urls")),
]
