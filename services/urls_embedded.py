"""Parent screens of the services embedded in their ServicePage (``<page>/espace/...``).

Each view receives the keyword argument ``service_page`` (the ``home.ServicePage``
being served) and links to the other screens with ``service_page.screen_url(request,
name, ...)``. No ``app_name``: names are looked up in this URLconf only."""

from django.urls import path  # noqa: F401

urlpatterns = []
