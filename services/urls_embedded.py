"""Parent screens of the services embedded in their ServicePage (``<page>/espace/...``).

Each view receives the keyword argument ``service_page`` (the ``home.ServicePage``
being served) and links to the other screens with ``service_page.screen_url(request,
name, ...)`` (``{% screen_url name %}`` in templates, from ``services_screens``).
No ``app_name``: names are looked up in this URLconf only.

- the service's landing screen, the month calendar, the weekly pattern and the
  cancellations are in ``services.views`` (below);
- enrolment requests, absence declarations, the history of changes and the
  iCalendar feeds are in ``services.urls_family``.
"""

from django.urls import path  # noqa: F401

from .urls_family import urlpatterns as family_urlpatterns

urlpatterns = [] + family_urlpatterns
