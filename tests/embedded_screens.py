"""A screens URLconf used by tests/test_contracts.py in place of an app's own."""

from django.http import HttpResponse
from django.urls import path


def echo(request, item, service_page):
    link = service_page.screen_url(request, "echo", item=item + 1)
    return HttpResponse(f"{service_page.title}|{item}|{link}|{request.method}")


urlpatterns = [path("essai/<int:item>/", echo, name="echo")]
