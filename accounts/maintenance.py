"""The accounts area's periodic job (``portal_periodic_jobs``, run by the scheduler):
idempotent purges of what is no longer needed (GDPR: keep no more than necessary)."""

import datetime

from django.db.models import Q

from .models import Guardian, LoginThrottle, RateCounter, User

UNVERIFIED_ACCOUNT_DAYS = 7


def purge(now):
    """Old rate-limit windows and login counters; registrations never verified after a
    week (no household link, never logged in)."""
    day = now - datetime.timedelta(days=1)
    counters = RateCounter.objects.filter(window_started_at__lt=now - datetime.timedelta(days=2)).delete()[0]
    throttles = LoginThrottle.objects.filter(
        Q(blocked_until__isnull=True) | Q(blocked_until__lt=now),
        Q(last_failure_at__isnull=True) | Q(last_failure_at__lt=day - datetime.timedelta(days=1)),
    ).delete()[0]
    stale = User.objects.filter(is_active=False, email_verified_at__isnull=True, closed_at__isnull=True,
                                last_login__isnull=True, is_staff=False,
                                date_joined__lt=now - datetime.timedelta(days=UNVERIFIED_ACCOUNT_DAYS))
    stale = stale.exclude(pk__in=Guardian.objects.filter(user__isnull=False).values("user_id"))
    accounts = stale.delete()[0]
    return {"rate_counters": counters, "login_counters": throttles, "unverified_accounts": accounts}
