from django.urls import path

from . import views

app_name = "api"
urlpatterns = [
    path("", views.tokens, name="tokens"),
    path("<int:pk>/thu-hoi/", views.token_revoke, name="token_revoke"),
]
