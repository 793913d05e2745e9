"""Parent screens of hall hire embedded in the hall-hire ServicePage (``<page>/espace/...``).

Same contract as ``services.urls_embedded``: every view receives ``service_page``."""

from django.urls import path  # noqa: F401

urlpatterns = []
