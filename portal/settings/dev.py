"""Development: `make run`. Debug on, console e-mail, SQLite file in var/."""

from .base import *  # noqa: F401,F403
from .base import env

DEBUG = True
SECRET_KEY = env("SECRET_KEY", "dev-only-secret-key-not-for-production-use-0123456789")
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]
INTERNAL_IPS = ["127.0.0.1"]

# Accounts area: the demo staff log in with the demo authenticator (manage.py demo_totp <e-mail>).
PORTAL_DEMO_SECOND_FACTOR = True
