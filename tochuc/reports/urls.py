from django.urls import path

from . import views
from .forms import NATIONAL

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    # Before the organization's: the whole country is no organization's code.
    path(f"{NATIONAL}/tai-ve/", views.download_national, name="download_national"),
    path("<str:code>/tai-ve/", views.download, name="download"),
]
