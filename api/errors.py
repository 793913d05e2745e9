"""Errors of the family API: always JSON, ``{"code": "...", "message": "..."}``.

``code`` is stable (apps test it), ``message`` is French (English on request with
``Accept-Language: en``). Domain refusals (``services.rules.Refusal`` and the booking
outcomes) keep their own code; the HTTP status says which kind of refusal it is:

- 401 ``not_authenticated``, ``invalid_token``, ``token_expired``, ``token_revoked``
- 403 who may act: ``not_allowed``, ``paper_only``, ``regulation_not_accepted``,
  ``staff_not_allowed``, ``csrf_failed``
- 404 ``not_found``: unknown, or another household's object (never told apart)
- 409 the rules refuse the operation now: ``deadline_passed``, ``full``,
  ``not_enrolled``, ``document_missing``, ``payment_refused``...
- 422 ``validation_error`` (with ``errors``: one entry per field) and input the rules
  reject (``invalid_range``, ``range_too_long``, ``file_refused``...)
- 429 ``rate_limited`` (with ``Retry-After``)
- 503 ``payment_unavailable``, ``antivirus_unavailable``
"""

import logging

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

logger = logging.getLogger("portal.api")

FORBIDDEN = {"not_allowed", "paper_only", "regulation_not_accepted", "override_not_allowed", "staff_not_allowed",
             "csrf_failed"}
INVALID_INPUT = {"invalid_range", "range_too_long", "no_weekday", "invalid_derogation",
                 "derogation_school_required", "file_refused", "too_many_files", "validation_error",
                 "invalid_expiry", "name_required", "name_too_long", "invalid_document_type", "child_required",
                 "invalid_date"}
UNAVAILABLE = {"payment_unavailable", "antivirus_unavailable"}


def status_for(code):
    if code in FORBIDDEN:
        return 403
    if code == "not_found":
        return 404
    if code in INVALID_INPUT:
        return 422
    if code == "rate_limited":
        return 429
    if code in UNAVAILABLE:
        return 503
    return 409


class ApiError(Exception):
    """An error answered as ``{"code", "message", ...extra}`` with ``status``."""

    def __init__(self, code, message, *, status=None, **extra):
        super().__init__(str(message))
        self.code = code
        self.message = str(message)
        self.status = status or status_for(code)
        self.extra = {k: v for k, v in extra.items() if v not in (None, [], "")}

    def body(self):
        return {"code": self.code, "message": self.message, **self.extra}


def not_found():
    return ApiError("not_found", _("Introuvable : cet objet n'existe pas ou vous n'y avez pas accès."), status=404)


# Pydantic's error types, told in French.
_FIELD_MESSAGES = {
    "missing": N_("Champ obligatoire."),
    "int_parsing": N_("Nombre entier attendu."),
    "int_type": N_("Nombre entier attendu."),
    "int_from_float": N_("Nombre entier attendu."),
    "bool_parsing": N_("Booléen attendu (true ou false)."),
    "bool_type": N_("Booléen attendu (true ou false)."),
    "date_parsing": N_("Date attendue, au format AAAA-MM-JJ."),
    "date_from_datetime_parsing": N_("Date attendue, au format AAAA-MM-JJ."),
    "date_type": N_("Date attendue, au format AAAA-MM-JJ."),
    "greater_than_equal": N_("Valeur trop petite."),
    "greater_than": N_("Valeur trop petite."),
    "less_than_equal": N_("Valeur trop grande."),
    "less_than": N_("Valeur trop grande."),
    "string_too_long": N_("Texte trop long."),
    "string_too_short": N_("Texte trop court."),
    "string_type": N_("Texte attendu."),
    "string_pattern_mismatch": N_("Format non valide."),
    "list_type": N_("Liste attendue."),
    "too_long": N_("Trop d'éléments."),
    "too_short": N_("Pas assez d'éléments."),
    "literal_error": N_("Valeur non autorisée."),
    "enum": N_("Valeur non autorisée."),
    "json_invalid": N_("JSON invalide."),
    "model_attributes_type": N_("Objet JSON attendu."),
    "dict_type": N_("Objet JSON attendu."),
}


def field_errors(errors):
    out = []
    for error in errors or []:
        kind = str(error.get("type", ""))
        if kind == "value_error" and error.get("ctx", {}).get("error"):
            message = str(error["ctx"]["error"])
        else:
            message = _(_FIELD_MESSAGES.get(kind, "Valeur invalide."))
        loc = [str(part) for part in error.get("loc", ())]
        if len(loc) > 1 and loc[1] == "payload":  # the view's parameter name, not the client's concern
            del loc[1]
        out.append({"field": ".".join(loc), "type": kind,
                    "message": message})
    return out


def install(api):
    """Register the JSON error handlers on the NinjaAPI ``api``."""

    def respond(request, body, status, headers=None):
        response = api.create_response(request, body, status=status)
        for name, value in (headers or {}).items():
            response[name] = value
        return response

    def on_api_error(request, exc):
        return respond(request, exc.body(), exc.status)

    def on_refusal(request, exc):
        error = ApiError(exc.code, exc.message, missing=list(getattr(exc, "missing", []) or []))
        return respond(request, error.body(), error.status)

    def on_validation(request, exc):
        return respond(request, {"code": "validation_error",
                                 "message": _("Données invalides : vérifiez les champs indiqués."),
                                 "errors": field_errors(exc.errors)}, 422)

    def on_authentication(request, exc):
        code = getattr(request, "_api_auth_error", None) or "not_authenticated"
        messages = {
            "not_authenticated": _("Authentification requise : un jeton d'accès (Authorization: Bearer …) ou "
                                   "une session du site."),
            "invalid_token": _("Jeton d'accès inconnu."),
            "token_expired": _("Ce jeton d'accès a expiré : créez-en un nouveau dans votre espace famille."),
            "token_revoked": _("Ce jeton d'accès a été révoqué."),
            "staff_not_allowed": _("Les comptes du personnel de la commune n'ont pas d'accès à l'API famille."),
        }
        status = 403 if code == "staff_not_allowed" else 401
        headers = {"WWW-Authenticate": 'Bearer realm="api"'} if status == 401 else {}
        return respond(request, {"code": code, "message": messages[code]}, status, headers)

    def on_throttled(request, exc):
        return respond(request, {"code": "rate_limited",
                                 "message": _("Trop de requêtes : réessayez dans quelques instants.")}, 429)

    def on_http_error(request, exc):
        if exc.status_code == 403 and "CSRF" in str(exc):
            return respond(request, {"code": "csrf_failed",
                                     "message": _("Jeton CSRF absent ou invalide : rechargez la page.")}, 403)
        if exc.status_code == 400:
            return respond(request, {"code": "bad_request",
                                     "message": _("Requête illisible : vérifiez son format.")}, 400)
        return respond(request, {"code": "error", "message": str(exc)}, exc.status_code)

    def on_404(request, exc):
        return respond(request, not_found().body(), 404)

    def on_exception(request, exc):
        logger.exception("API error on %s %s", request.method, request.path)
        return respond(request, {"code": "server_error",
                                 "message": _("Erreur inattendue du serveur : réessayez plus tard.")}, 500)

    from services.rules import Refusal

    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(Refusal, on_refusal)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(AuthenticationError, on_authentication)
    api.add_exception_handler(Throttled, on_throttled)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_404)
    api.add_exception_handler(Exception, on_exception)
