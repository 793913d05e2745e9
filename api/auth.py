"""Who calls the family API: a parent's access token (``Authorization: Bearer pf_…``,
for apps) or the site's own session (for the site's pages, with the CSRF token on
every unsafe method). Staff accounts are refused either way: the API is the families'.

Both put the account in ``request.user``; ``request.api_token`` is the token (None for
a session)."""

from django.conf import settings
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie

from . import clock
from .tokens import may_hold_tokens, token_for, token_state


def _refuse(request, code):
    request._api_auth_error = code
    raise AuthenticationError()


class TokenAuth(HttpBearer):
    """A parent's access token. A request that carries an Authorization header is judged
    on it alone (a wrong token is never rescued by a session cookie)."""

    openapi_scheme = "bearer"

    def __call__(self, request):
        header = request.headers.get("Authorization")
        if not header:
            return None
        parts = header.split(" ")
        if len(parts) != 2 or parts[0].lower() != "bearer":
            _refuse(request, "invalid_token")
        return self.authenticate(request, parts[1])

    def authenticate(self, request, token):
        now = clock.now()
        found = token_for(token, now=now)
        if found is None:
            state = token_state(token, now=now)
            _refuse(request, {"expired": "token_expired", "revoked": "token_revoked"}.get(state, "invalid_token"))
        request.user = found.user
        request.api_token = found
        return found


class SessionAuth(APIKeyCookie):
    """The site's session (its pages call the API with their cookie): CSRF is checked on
    unsafe methods, as for the site's forms."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super()._get_key(request)  # the CSRF check

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not may_hold_tokens(user):
            _refuse(request, "staff_not_allowed")
        request.api_token = None
        return user
