"""Parent-facing URLs of the halls app (mounted under the language prefix by portal/urls.py).

Stable addresses that lead to the screens embedded in the hall-hire ServicePage, whatever
its slug: ``/fr/salles/`` (the halls) and ``/fr/salles/mes-demandes/`` (my requests)."""

from django.urls import path

from . import views

app_name = "halls"
urlpatterns = [
    path("", views.entry, name="entry"),
    path("mes-demandes/", views.entry, {"screen": "my_requests"}, name="my_requests"),
]
