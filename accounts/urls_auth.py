"""Registration, e-mail verification, password reset and change (mounted under compte/)."""

from django.urls import path  # noqa: F401

app_name = "auth"
urlpatterns = []
