"""Parent screens of a service about the family's file: enrolment requests, absence
declarations, the history of booking changes and the iCalendar feeds (``services.views_family``).
Included by ``services.urls_embedded``."""

from django.urls import path

from . import views_family

urlpatterns = [
    path("inscription/", views_family.enrol, name="enrol"),
    path("inscriptions/", views_family.enrolment_list, name="enrolments"),
    path("inscriptions/<int:pk>/retirer/", views_family.enrolment_withdraw, name="enrolment_withdraw"),
    path("absence/", views_family.absence, name="absence"),
    path("historique/", views_family.history, name="history"),
    path("agenda/", views_family.feed_list, name="feeds"),
    path("agenda/<int:pk>/revoquer/", views_family.feed_revoke, name="feed_revoke"),
]
