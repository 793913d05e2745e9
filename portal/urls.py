from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import views
from .api import api_router

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("api/v1/", include("api.urls")),  # the family API (JSON, OpenAPI at /api/v1/openapi.json)
    path("i18n/setlang/", set_language, name="set_language"),
    path("payfip/", include("billing.urls_payfip")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Pages and the parent's space, with the language in the URL (/fr/..., /en/...).
urlpatterns += i18n_patterns(
    path("compte/", include("accounts.urls")),
    path("compte/", include("accounts.urls_auth")),
    path("portail/", include("home.urls")),
    path("reservations/", include("services.urls")),
    path("salles/", include("halls.urls")),
    path("factures/", include("billing.urls")),
    path("justificatifs/", include("documents.urls")),
    path("acces-api/", include("api.urls_pages")),  # the parent's API access tokens
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
