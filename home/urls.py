"""Parent-facing URLs of the home app (mounted under the language prefix by portal/urls.py)."""

from django.urls import path

from . import views

app_name = "home"
urlpatterns = [
    path("reglement/accepter/", views.accept_regulation, name="accept_regulation"),
    path("recherche/", views.search_view, name="search"),
]
