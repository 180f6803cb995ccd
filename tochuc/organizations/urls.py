from django.urls import path

from . import exporting, views

app_name = "organizations"

urlpatterns = [
    path("", views.search, name="search"),
    path("chon/", views.picker, name="picker"),
    path("xuat.xlsx", exporting.export_search, name="export"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/cay/nhanh/", views.tree_children, name="tree_children"),
    path("<str:code>/thanh-lap/", views.found, name="found"),
    path("<str:code>/doi-ten/", views.rename, name="rename"),
    path("<str:code>/chuyen/", views.move, name="move"),
    path("<str:code>/sap-nhap/", views.merge, name="merge"),
    path("<str:code>/chia-tach/", views.split, name="split"),
    path("<str:code>/giai-the/", views.dissolve, name="dissolve"),
    path("<str:code>/sua-huy/", views.correct_event, name="correct_event"),
]
