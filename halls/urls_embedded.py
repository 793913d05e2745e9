"""Parent screens of hall hire embedded in the hall-hire ServicePage (``<page>/espace/...``).

Same contract as ``services.urls_embedded``: every view receives ``service_page`` and
links with ``service_page.screen_url(request, name, ...)``; no ``app_name``."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="index"),
    path("salles/<int:hall_id>/", views.calendar, name="calendar"),
    path("salles/<int:hall_id>/demande/", views.new_request, name="new_request"),
    path("mes-demandes/", views.my_requests, name="my_requests"),
    path("mes-demandes/<int:pk>/", views.request_detail, name="request_detail"),
    path("mes-demandes/<int:pk>/annuler/", views.cancel_request, name="cancel_request"),
]
