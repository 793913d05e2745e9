"""The parent screens' notion of "now" (one place, so that tests can set the time, like
``api.clock`` for the API). Always aware; the domain functions take it as ``now``."""

from django.utils import timezone


def now():
    return timezone.now()
