"""Brute-force protection of the login (quality bar: more than one minute of delay after
5 failures, at most 25 failures a day per account, without locking anyone out forever).

What is counted, and why:

- **per account** (``account:<e-mail>``), for attempts from a browser that has never
  logged into that account: after 5 failures in a row each new attempt waits, 2 minutes
  after the 5th failure, then 4, 8, 16... up to 1 hour; after 25 failures within 24 hours
  the account refuses logins from unknown browsers until those 24 hours are over. Unknown
  addresses are counted the same way, so the answers tell nothing about which accounts
  exist.
- **per trusted device** (``device:<id>``): a browser that logged into the account gets a
  signed device cookie (OWASP "device cookies"); its failures are counted apart, with the
  same rules. An attacker hammering an account from elsewhere therefore never locks the
  owner's own browser out.
- **per IP address** (``ip:<address>``): at most 100 failures within 24 hours from one
  address, whatever the accounts tried (credential stuffing); trusted devices are exempt.
- A successful login clears the counter it was checked against; a completed password
  reset clears the account's counter (the owner proves they hold the mailbox), so nobody
  is locked out for longer than it takes to read an e-mail.

While a key is blocked the password is not even checked (no oracle). Counters live in
the database (``LoginThrottle``): every application server sees the same ones.
"""

import datetime
import secrets

from django.core import signing
from django.db import transaction
from django.utils import timezone

from .models import LoginThrottle, normalize_email_address

FAILURES_BEFORE_DELAY = 5
FIRST_DELAY = datetime.timedelta(minutes=2)
MAX_DELAY = datetime.timedelta(hours=1)
DAILY_FAILURES = 25
IP_DAILY_FAILURES = 100
DAY = datetime.timedelta(hours=24)

DEVICE_COOKIE = "portal_device"
DEVICE_COOKIE_AGE = 180 * 24 * 3600
_DEVICE_SALT = "accounts.throttle.device"


def delay_after(failures):
    """The wait imposed after ``failures`` consecutive failures (zero below five)."""
    if failures < FAILURES_BEFORE_DELAY:
        return datetime.timedelta(0)
    return min(FIRST_DELAY * (2 ** (failures - FAILURES_BEFORE_DELAY)), MAX_DELAY)


def account_key(email):
    return f"account:{normalize_email_address(email)}"


def ip_key(ip):
    return f"ip:{ip}" if ip else None


# --- device cookies -----------------------------------------------------------------


def device_cookie_value(email):
    """A new signed device cookie for the account ``email``."""
    return signing.dumps({"e": normalize_email_address(email), "n": secrets.token_urlsafe(12)}, salt=_DEVICE_SALT)


def trusted_device_key(request, email):
    """``device:<id>`` when the request carries a valid device cookie of this account."""
    raw = request.COOKIES.get(DEVICE_COOKIE) if request is not None else None
    if not raw:
        return None
    try:
        data = signing.loads(raw, salt=_DEVICE_SALT, max_age=DEVICE_COOKIE_AGE)
    except signing.BadSignature:
        return None
    if data.get("e") != normalize_email_address(email):
        return None
    return f"device:{data.get('n')}"


def keys_for(request, email, ip):
    """The counters a login attempt is checked against: the trusted device alone, or the
    account and the IP address."""
    device = trusted_device_key(request, email)
    if device:
        return [device]
    return [k for k in (account_key(email), ip_key(ip)) if k]


# --- counters -----------------------------------------------------------------------


def blocked_until(keys, now=None):
    """The latest moment until which one of ``keys`` is blocked, or None."""
    now = now or timezone.now()
    until = [
        t for t in LoginThrottle.objects.filter(key__in=keys, blocked_until__gt=now).values_list("blocked_until", flat=True)
    ]
    return max(until) if until else None


def register_failure(keys, now=None):
    """Count a failure on every key; returns the keys that became blocked by it."""
    now = now or timezone.now()
    newly_blocked = []
    with transaction.atomic():
        for key in keys:
            throttle, _ = LoginThrottle.objects.select_for_update().get_or_create(key=key[:200])
            if throttle.day_started_at is None or throttle.day_started_at + DAY <= now:
                throttle.day_started_at, throttle.day_failures = now, 0
            throttle.failures += 1
            throttle.day_failures += 1
            throttle.last_failure_at = now
            until = None
            if key.startswith("ip:"):
                if throttle.day_failures >= IP_DAILY_FAILURES:
                    until = throttle.day_started_at + DAY
            else:
                delay = delay_after(throttle.failures)
                if delay:
                    until = now + delay
                if throttle.day_failures >= DAILY_FAILURES:
                    until = max(until or now, throttle.day_started_at + DAY)
            was_blocked = throttle.blocked_until is not None and throttle.blocked_until > now
            throttle.blocked_until = until
            throttle.save()
            if until and not was_blocked:
                newly_blocked.append((key, until))
    return newly_blocked


def register_success(keys):
    """A successful login clears the consecutive failures of the keys it was checked on
    (the daily count stays: 25 failures a day is a ceiling, whatever the successes)."""
    LoginThrottle.objects.filter(key__in=[k for k in keys if not k.startswith("ip:")]).update(
        failures=0, blocked_until=None
    )


def clear_account(email):
    """After a completed password reset: the account starts afresh."""
    LoginThrottle.objects.filter(key=account_key(email)).delete()
