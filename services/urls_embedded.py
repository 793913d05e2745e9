"""Parent screens of the services embedded in their ServicePage (``<page>/espace/...``).

Each view receives the keyword argument ``service_page`` (the ``home.ServicePage``
being served) and links to the other screens with ``service_page.screen_url(request,
name, ...)`` (``{% screen_url name %}`` in templates, from ``services_screens``).
No ``app_name``: names are looked up in this URLconf only.

- the service's landing screen, the month calendar (``calendrier/?mois=YYYY-MM``, for
  every child the parent sees or ``?enfant=<id>``; ``calendrier/enfant/<id>/`` for one
  child), the weekly pattern and the sick-child cancellation are in ``services.views``
  (below);
- enrolment requests, absence declarations, the history of changes and the
  iCalendar feeds are in ``services.urls_family``.
"""

from django.urls import path

from . import views
from .urls_family import urlpatterns as family_urlpatterns

urlpatterns = [
    path("", views.index, name="index"),
    path("calendrier/", views.calendar, name="calendar"),
    path("calendrier/enfant/<int:child_id>/", views.calendar, name="child_calendar"),
    path("semaine-type/enfant/<int:child_id>/", views.pattern, name="pattern"),
    path("enfant-malade/enfant/<int:child_id>/", views.sick, name="sick"),
] + family_urlpatterns
