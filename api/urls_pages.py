"""The parent's API access tokens (mounted under the language prefix: /fr/acces-api/)."""

from django.urls import path

from . import views_pages

app_name = "api_tokens"
urlpatterns = [
    path("", views_pages.token_list, name="list"),
    path("<int:pk>/revoquer/", views_pages.token_revoke, name="revoke"),
]
