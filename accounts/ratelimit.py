"""Rate limits in the database (shared by every application server).

    hit(key, limit=..., period=..., now=None) -> bool

counts one hit on ``key`` in a fixed window of ``period`` and says whether it is allowed
(at most ``limit`` hits per window). ``limit_or_raise`` does the same and raises
``RateLimitExceeded`` with a French message. The limits of the accounts area are in
``settings.PORTAL_RATE_LIMITS`` (name -> (hits, seconds)); other areas may use
``hit``/``limit_or_raise`` for their own (booking, upload...).

A refused hit is not counted, so a client that keeps trying does not extend its wait.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import RateCounter


class RateLimitExceeded(Exception):
    def __init__(self, message, retry_at=None):
        super().__init__(str(message))
        self.message = message
        self.retry_at = retry_at


def configured(name):
    """(limit, period) for the named limit of ``settings.PORTAL_RATE_LIMITS``."""
    hits, seconds = settings.PORTAL_RATE_LIMITS[name]
    return hits, datetime.timedelta(seconds=seconds)


def _hit(key, limit, period, now):
    with transaction.atomic():
        counter, _created = RateCounter.objects.select_for_update().get_or_create(
            key=key[:200], defaults={"window_started_at": now, "hits": 0}
        )
        if counter.window_started_at + period <= now:
            counter.window_started_at, counter.hits = now, 0
        if counter.hits >= limit:
            return False, counter.window_started_at + period
        counter.hits += 1
        counter.save(update_fields=["window_started_at", "hits"])
        return True, None


def hit(key, *, limit, period, now=None):
    """Count one hit on ``key``; False when the window already holds ``limit`` hits."""
    allowed, _retry = _hit(key, limit, period, now or timezone.now())
    return allowed


def limit_or_raise(name, *keys, now=None, message=None):
    """Count a hit of the named limit on every key (e.g. the account and the IP address);
    raise ``RateLimitExceeded`` when any of them is over its limit."""
    limit, period = configured(name)
    now = now or timezone.now()
    for key in keys:
        if key is None:
            continue
        allowed, retry_at = _hit(f"{name}:{key}", limit, period, now)
        if not allowed:
            raise RateLimitExceeded(
                message or _("Trop de demandes en peu de temps : réessayez plus tard."), retry_at=retry_at
            )


def reset(name, key):
    RateCounter.objects.filter(key=f"{name}:{key}"[:200]).delete()
