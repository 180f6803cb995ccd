from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("<str:name>/", views.upload, name="upload"),
    path("<str:name>/mau.xlsx", views.template, name="template"),
    path("<str:name>/tien-do/<str:token>/", views.status, name="status"),
    path("<str:name>/xac-nhan/", views.confirm, name="confirm"),
    path("<str:name>/chay-lai/", views.rerun, name="rerun"),
    path("<str:name>/huy/", views.cancel, name="cancel"),
]
