"""The API's notion of "now" (one place, so that tests can set the time)."""

from django.utils import timezone


def now():
    return timezone.now()
