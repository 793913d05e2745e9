"""The family API, version 1 (/api/v1/): one NinjaAPI, its routers, its OpenAPI document
(/api/v1/openapi.json) and browsable docs (/api/v1/docs, Swagger UI served from the
site's own static files, within its Content-Security-Policy)."""

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger
from ninja.renderers import JSONRenderer

from . import errors
from .auth import SessionAuth, TokenAuth
from .throttle import ApiThrottle

DESCRIPTION = """
L'API des familles du Portail Famille : les mêmes règles que les écrans du site
(délais, places, pièces justificatives, règlement accepté, droits de chaque
responsable sur chaque enfant), pour l'application mobile de la commune.

**Authentification** : un jeton d'accès créé par le parent dans son espace famille
(« Accès à l'API »), envoyé dans l'en-tête `Authorization: Bearer pf_…` ; ou la session
du site (avec le jeton CSRF, en-tête `X-CSRFToken`, pour POST et DELETE). Les comptes du
personnel n'y ont pas accès.

**Erreurs** : toujours `{"code": "...", "message": "..."}` ; `code` est stable, `message`
en français (`Accept-Language: en` pour l'anglais). 401 non authentifié, 403 droits
(`not_allowed`, `paper_only`, `regulation_not_accepted`), 404 introuvable (ou l'objet
d'un autre foyer), 409 refus des règles (`deadline_passed`, `full`, `not_enrolled`,
`document_missing`…), 422 données invalides (`validation_error`, avec `errors`),
429 trop de requêtes (`rate_limited`, en-tête `Retry-After`).

**Listes** : paginées par `limit` (au plus 200) et `offset` ; la réponse donne `count`.
"""


class PortalSwagger(Swagger):
    """Swagger UI from the site's static files (no CDN, no inline script), French page."""

    template = "api/docs.html"


class Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


class FamilyAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation):
        return operation.view_func.__name__


api = FamilyAPI(
    title="Portail Famille — API des familles",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    renderer=Renderer(),
    auth=[TokenAuth(), SessionAuth()],
    throttle=[ApiThrottle("requests"), ApiThrottle("writes")],
    docs=PortalSwagger(settings={"validatorUrl": None, "deepLinking": True}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)


def _add_routers():
    from .routes_billing import router as billing
    from .routes_documents import router as documents
    from .routes_family import router as family
    from .routes_services import router as services

    for router in (family, services, billing, documents):
        api.add_router("", router)


_add_routers()
