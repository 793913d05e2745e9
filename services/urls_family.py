"""Parent screens of a service about the family's file: enrolment requests, absence
declarations, the history of booking changes and the iCalendar feeds (``services.views_family``).
Included by ``services.urls_embedded``."""

from django.urls import path  # noqa: F401

urlpatterns = []
