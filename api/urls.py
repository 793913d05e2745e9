"""/api/v1/: the family API (mounted outside the language prefix by portal/urls.py).

Every answer is ``Cache-Control: no-store`` (private data); an unknown path below
/api/v1/ gets the API's JSON 404, not the site's page, and a 404 stays a 404 (see
``api.urls_root``)."""

import functools

from django.http import JsonResponse
from django.urls import URLPattern, re_path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from .api import api


def api_view(view):
    """No caching; the language middleware judges the answer against ``api.urls_root``."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        request.urlconf = "api.urls_root"
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
            allowed = response.get("Allow", "")
            response = JsonResponse({"code": "method_not_allowed",
                                     "message": _("Méthode non permise sur cette adresse : %(allowed)s.")
                                     % {"allowed": allowed}}, status=405)
            response["Allow"] = allowed
        return response

    return never_cache(wrapped)


@csrf_exempt
@api_view
def unknown(request, rest=""):
    return JsonResponse({"code": "not_found", "message": _("Introuvable : cette adresse n'existe pas dans l'API.")},
                        status=404)


def _patterns():
    patterns, _app_name, _namespace = api.urls
    wrapped = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = api_view(pattern.callback)
        wrapped.append(pattern)
    wrapped.append(re_path(r"^(?P<rest>.*)$", unknown, name="unknown"))
    return wrapped


app_name = api.urls_namespace  # "api-v1": ninja reverses its docs and schema URLs in it
urlpatterns = _patterns()
