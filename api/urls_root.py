"""The URLconf the API's responses are judged against after the view (``request.urlconf``):
only /api/v1/, without the site's language prefix, so that LocaleMiddleware never turns
the API's JSON 404 into a redirect to /fr/api/v1/… (every path is a valid page path
there, through Wagtail's page tree)."""

from django.urls import include, path

urlpatterns = [path("api/v1/", include("api.urls"))]
