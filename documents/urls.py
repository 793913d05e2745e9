"""Parent-facing URLs of the documents app (mounted under the language prefix by portal/urls.py)."""

from django.urls import path  # noqa: F401

app_name = "documents"
urlpatterns = []
