"""PayFiP server-to-server notification and the local simulator (no language prefix)."""

from django.urls import path  # noqa: F401

app_name = "payfip"
urlpatterns = []
