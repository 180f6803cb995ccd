from django.urls import path

from . import result_views, views

app_name = "committees"

urlpatterns = [
    path("", views.index, name="index"),
    path("den-han/", views.due, name="due"),
    path("to-chuc/<str:code>/", views.committee, name="committee"),
    path("to-chuc/<str:code>/nhiem-ky/", views.committee_form, name="form"),
    path("to-chuc/<str:code>/chuc-vu/", views.post_begin, name="post_begin"),
    path("to-chuc/<str:code>/thoi-giu/", views.post_end, name="post_end"),
    path("dang-vien/<int:pk>/", views.member_posts, name="member"),
    path("to-chuc/<str:code>/dai-hoi/", views.congresses, name="congresses"),
    path("to-chuc/<str:code>/dai-hoi/them/", views.congress_record, name="congress_record"),
    path("to-chuc/<str:code>/chuc-vu/sua-huy/", result_views.post_correct, name="post_correct"),
    path(
        "to-chuc/<str:code>/dai-hoi/sua-huy/",
        result_views.congress_correct,
        name="congress_correct",
    ),  # fmt: skip
    path(
        "to-chuc/<str:code>/dai-hoi/xac-nhan/",
        result_views.congress_confirm,
        name="congress_confirm",
    ),  # fmt: skip
    path(
        "to-chuc/<str:code>/dai-hoi/dai-bieu/",
        result_views.congress_delegates,
        name="congress_delegates",
    ),  # fmt: skip
]
