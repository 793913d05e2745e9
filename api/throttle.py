"""Rate limits of the family API, per token (per account for a session), in the Django
cache (shared by every application server in production: the database or Redis).

Fixed windows: ``settings.PORTAL_API_RATE_LIMITS`` gives ``(hits, seconds)`` for
``requests`` (every call) and ``writes`` (POST, PUT, PATCH, DELETE). Over the limit the
API answers 429 ``rate_limited`` with ``Retry-After`` (seconds to the next window)."""

import math
import threading
import time

from django.conf import settings
from django.core.cache import cache
from ninja.throttling import BaseThrottle

DEFAULT_LIMITS = {"requests": (300, 60), "writes": (30, 60)}
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def limits():
    configured = getattr(settings, "PORTAL_API_RATE_LIMITS", None) or {}
    return {**DEFAULT_LIMITS, **configured}


def caller_key(request):
    token = getattr(request, "api_token", None)
    if token is not None:
        return f"token:{token.pk}"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return None


class ApiThrottle(BaseThrottle):
    def __init__(self, scope):
        self.scope = scope
        self._state = threading.local()  # one instance serves every request of the process

    def allow_request(self, request):
        if self.scope == "writes" and request.method in SAFE_METHODS:
            return True
        ident = caller_key(request)
        if ident is None:
            return True
        hits, period = limits()[self.scope]
        now = time.time()
        window = int(now // period)
        key = f"portal-api-rate:{self.scope}:{ident}:{window}"
        cache.add(key, 0, timeout=period + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=period + 5)
            count = 1
        if count > hits:
            self._state.wait = max(1, math.ceil((window + 1) * period - now))
            return False
        return True

    def wait(self):
        return getattr(self._state, "wait", None)
