"""The test suite: fast hashing, in-memory e-mail, immediate tasks."""

from .base import *  # noqa: F401,F403
from .base import PASSWORD_HASHERS, env

DEBUG = False
SECRET_KEY = "test-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Still Argon2id first, with small costs so that fixtures and logins stay quick.
PASSWORD_HASHERS = ["tests.hashers.QuickArgon2PasswordHasher", *PASSWORD_HASHERS]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WHITENOISE_AUTOREFRESH = True

# Accounts area: the demo staff get the demo authenticator (tests/fixtures_accounts.py logs staff in).
PORTAL_DEMO_SECOND_FACTOR = True
