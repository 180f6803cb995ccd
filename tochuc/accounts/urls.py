from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("dang-nhap/xac-thuc/", views.otp_verify, name="otp_verify"),
    path("dang-nhap/dang-ky-xac-thuc/", views.otp_enrol, name="otp_enrol"),
    path("tai-khoan/xac-thuc-hai-buoc/", views.two_factor, name="two_factor"),
]
