"""Parent-facing URLs of the services app (mounted under the language prefix by portal/urls.py).

- ``agenda/<token>.ics``: a child's iCalendar feed at its secret address (no session:
  the calendar application of the parent reads it; ``services.feeds``)."""

from django.urls import path

from . import views_family

app_name = "services"
urlpatterns = [
    path("agenda/<str:token>.ics", views_family.feed_ics, name="feed"),
]
