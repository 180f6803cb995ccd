from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("da-doc/", views.read_all, name="read_all"),
    path("<int:pk>/", views.open_notification, name="open"),
]
