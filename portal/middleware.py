"""Request ids in the logs, session lifetimes, and a looser CSP for the Wagtail admin."""

import logging
import re
import time
import uuid

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import resolve_url

from .request_log import request_id_var

logger = logging.getLogger("portal.request")

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# Paths that carry a secret (a child's iCalendar feed address): masked in the log line.
_SECRET_IN_PATH = re.compile(r"(/agenda/)[^/]+(\.ics)$")


def loggable_path(path):
    """The path as the request log writes it: the secret part of a feed address masked."""
    return _SECRET_IN_PATH.sub(r"\1[masqué]\2", path)


class RequestIdMiddleware:
    """Gives every request an id (the proxy's X-Request-ID when it is well formed),
    returns it in the response and writes one log line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            logger.info(
                "%s %s %s %.1fms",
                request.method,
                loggable_path(request.path),
                response.status_code,
                (time.monotonic() - started) * 1000,
            )
            return response
        finally:
            request_id_var.reset(token)


def mark_login_time(sender, request, user, **kwargs):
    """``user_logged_in`` receiver: the 12-hour limit counts from this login."""
    if hasattr(request, "session"):
        request.session[SessionLifetimeMiddleware.KEY] = time.time()


class SessionLifetimeMiddleware:
    """Ends a logged-in session 12 hours after login, whatever the activity.

    The idle limit (30 minutes) is the cookie age renewed on every request
    (SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST)."""

    KEY = "_portal_login_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            started = request.session.get(self.KEY)
            if started is None:
                request.session[self.KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_LIFETIME:
                logout(request)
                return redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL))
        return self.get_response(request)


class AdminCSPMiddleware:
    """The Wagtail admin still ships inline scripts: allow them there, and only there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if any(request.path.startswith(prefix) for prefix in settings.CSP_RELAXED_PATH_PREFIXES):
            response._csp_update = {"script-src": ["'unsafe-inline'"]}
        return response


class ForwardedForMiddleware:
    """The client's address in REMOTE_ADDR when the request came through a trusted proxy.

    Behind nginx, gunicorn sees nginx's address; nginx passes the client's in
    X-Forwarded-For. Only when the peer is one of ``PORTAL_TRUSTED_PROXIES`` (addresses or
    networks; empty: off) is that header read, from the right, skipping the trusted
    proxies: the first other address is the client (an address a client wrote itself at
    the left of the header is never taken). The audit trail and the rate limits read
    REMOTE_ADDR."""

    def __init__(self, get_response):
        import ipaddress

        self.get_response = get_response
        self.ipaddress = ipaddress
        self.networks = [ipaddress.ip_network(item, strict=False) for item in settings.PORTAL_TRUSTED_PROXIES]

    def _address(self, value):
        try:
            return self.ipaddress.ip_address(value.strip())
        except ValueError:
            return None

    def _trusted(self, address):
        return address is not None and any(address in network for network in self.networks)

    def __call__(self, request):
        if self.networks and self._trusted(self._address(request.META.get("REMOTE_ADDR", ""))):
            chain = [item for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if item.strip()]
            for item in reversed(chain):
                address = self._address(item)
                if address is None:
                    break  # garbage: keep the proxy's address rather than guess
                if not self._trusted(address):
                    request.META["REMOTE_ADDR"] = str(address)
                    break
        return self.get_response(request)


class StaffSecondFactorMiddleware:
    """Below ``/admin/``: whoever may enter the admin must have given a second factor in
    this session (``accounts.second_factor``); Wagtail's own login form is replaced by the
    portal's (which carries the brute-force counters)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        prefix = settings.PORTAL_ADMIN_PATH_PREFIX
        if request.path.startswith(prefix):
            from urllib.parse import urlencode

            from accounts.second_factor import is_verified, needs_second_factor

            if request.path == f"{prefix}login/":
                from django.shortcuts import redirect

                target = request.GET.get("next") or prefix
                return redirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': target})}")
            user = getattr(request, "user", None)
            if needs_second_factor(user) and not is_verified(request):
                from django.shortcuts import redirect

                url = resolve_url("accounts:second_factor")
                return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
