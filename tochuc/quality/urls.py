from django.urls import path

from . import views

app_name = "quality"

urlpatterns = [
    path("", views.index, name="index"),
    path("to-chuc/<str:code>/", views.overview, name="overview"),
    path("to-chuc/<str:code>/quet/", views.scan_start, name="scan"),
    path("to-chuc/<str:code>/van-de/", views.problems, name="problems"),
    path("to-chuc/<str:code>/van-de.xlsx", views.problems_xlsx, name="problems_xlsx"),
    path("to-chuc/<str:code>/nghi-trung/", views.pairs, name="pairs"),
    path("to-chuc/<str:code>/nghi-trung/<int:pk>/", views.pair, name="pair"),
    path("to-chuc/<str:code>/nghi-trung/<int:pk>/gop/", views.pair_merge, name="pair_merge"),
    path(
        "to-chuc/<str:code>/nghi-trung/<int:pk>/khong-trung/",
        views.pair_not_same,
        name="pair_not_same",
    ),
    path("to-chuc/<str:code>/sang-loc/", views.screening_view, name="screening"),
    path("to-chuc/<str:code>/sang-loc/de-nghi/", views.screening_propose, name="propose"),
    path("to-chuc/<str:code>/sang-loc/<int:pk>/quyet-dinh/", views.screening_decide, name="decide"),
    path("dang-vien/<int:pk>/nghi-trung/", views.member_pairs, name="member_pairs"),
    path("to-chuc/<str:code>/chien-dich/", views.campaigns, name="campaigns"),
    path("to-chuc/<str:code>/chien-dich/them/", views.campaign_add, name="campaign_add"),
    path("to-chuc/<str:code>/chien-dich/<int:pk>/", views.campaign, name="campaign"),
    path(
        "to-chuc/<str:code>/nghi-trung/<int:pk>/dung-quan-chung/",
        views.pair_withdraw,
        name="pair_withdraw",
    ),
]
