from django.urls import path

from . import staff_views, views

app_name = "selfservice"
urlpatterns = [
    # The member's own pages (phone first).
    path("toi/", views.home, name="home"),
    path("toi/ho-so/", views.record, name="record"),
    path("toi/sinh-hoat/", views.meetings, name="meetings"),
    path("toi/van-ban/", views.documents, name="documents"),
    path("toi/van-ban/<int:pk>/", views.document, name="document"),
    path("toi/van-ban/<int:pk>/tep/<int:file>/", views.document_file, name="document_file"),
    path("toi/yeu-cau/", views.requests, name="requests"),
    path("toi/yeu-cau/moi/<slug:kind>/", views.request_new, name="request_new"),
    path("toi/yeu-cau/<int:pk>/rut/", views.request_withdraw, name="request_withdraw"),
    # The member sets their password with the one-time code (not signed in).
    path("kich-hoat/", views.activate, name="activate"),
    # The staff's pages: a member's account, the queue of requests and its answers.
    path("tu-phuc-vu/dang-vien/<int:pk>/tai-khoan/", staff_views.account, name="account"),
    path("tu-phuc-vu/yeu-cau/", staff_views.queue, name="queue"),
    path("tu-phuc-vu/yeu-cau/xuat/", staff_views.queue_export, name="queue_export"),
    path("tu-phuc-vu/to-chuc/<str:code>/yeu-cau/<int:pk>/", staff_views.answer, name="answer"),
    path(
        "tu-phuc-vu/to-chuc/<str:code>/yeu-cau/<int:pk>/mo-lai/",
        staff_views.reopen,
        name="reopen",
    ),  # fmt: skip
]
