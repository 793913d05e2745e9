"""Settings shared by every environment.

All configuration that differs between installations comes from environment
variables (see README "Configuration"); nothing secret is written here.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env(name, default=None):
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), not {value!r}")


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# Where the portal keeps its own files (SQLite database, media, private files).
VAR_DIR = Path(env("PORTAL_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env("SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "accounts",
    "home",
    "halls",
    "services",
    "billing",
    "documents",
    "ops",
    "api",  # the family API (/api/v1/)
    "ninja",  # django-ninja's static files (the API docs, served locally)
    "dashboards",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales (same app label)
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "rest_framework",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "portal.middleware.ForwardedForMiddleware",
    "portal.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.middleware.AdminCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.SessionLifetimeMiddleware",
    "portal.middleware.StaffSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

# Database: DATABASE_URL (postgres://user:password@host:5432/name), SQLite file by default.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Wait for a concurrent writer instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
# Several checkouts testing against one PostgreSQL server each name their own test database.
if env("TEST_DATABASE_NAME", ""):
    DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Users: one model for parents and staff, the e-mail address is the identifier.
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:space"
LOGOUT_REDIRECT_URL = "/"
WAGTAILADMIN_LOGIN_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# 12 to 128 characters, no composition rule, common passwords and the commune's name refused.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "accounts.password_validation.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.password_validation.CommuneNameValidator"},
]

# Sessions: 30 minutes idle (the cookie is renewed on every request), 12 hours at most.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_LIFETIME = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Languages: French first, English second; Europe/Paris time.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "portal" / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
# Family documents: never below MEDIA_ROOT, never under a public URL.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# E-mail
# The backend that delivers (the variable EMAIL_BACKEND: console in development, SMTP in
# production). Django's EMAIL_BACKEND is the task queue (portal.mail): what Django or Wagtail
# send themselves (workflow notifications...) is queued and retried like every e-mail.
EMAIL_DELIVERY_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_BACKEND = "portal.mail.QueuedEmailBackend"
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "30"))
# Where django.core.mail.backends.filebased.EmailBackend writes (one file per message).
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Portail Famille <portail-famille@example.org>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Background work: django_tasks (immediate in development, database worker in production).
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}

# --- Billing (issue 6) ---------------------------------------------------------------
# PayFiP (public treasury online payment). The local simulator is the default: URL
# "simulator" sends the SOAP calls to /payfip/simulateur/ on this site (PORTAL_BASE_URL).
PAYFIP = {
    "URL": env("PAYFIP_URL", "simulator"),  # production: https://www.payfip.gouv.fr/tpa/services/securite
    "PAGE_URL": env("PAYFIP_PAGE_URL", "https://www.payfip.gouv.fr/tpa/paiementws.web"),
    "CLIENT_NUMBER": env("PAYFIP_CLIENT_NUMBER", "000000"),
    "MODE": env("PAYFIP_MODE", "T"),  # T: test, X: activation, W: production
    "TIMEOUT": float(env("PAYFIP_TIMEOUT", "15")),
    # The simulator's views answer only when this is on (off by default with a real PAYFIP_URL).
    "SIMULATOR": env_bool("PAYFIP_SIMULATOR", env("PAYFIP_URL", "simulator") == "simulator"),
    "SIMULATOR_DELAY": float(env("PAYFIP_SIMULATOR_DELAY", "0")),  # seconds before each SOAP answer (tests)
    # Where PayFiP sends the server-to-server notification; empty: the site's own address.
    "NOTIFY_BASE_URL": env("PAYFIP_NOTIFY_BASE_URL", ""),
}
# --- end of billing settings ----------------------------------------------------------

# Which URLconf holds the parent screens embedded in a ServicePage, per service shape.
PORTAL_SERVICE_SCREENS = {"default": "services.urls_embedded", "hall_hire": "halls.urls_embedded"}

# --- Services (issue 5): enrolments, bookings, attendance, absences ---------------------
# Document types (DocumentType.code) accepted as a medical certificate that justifies an absence
# (the documents demo calls its type "certificat-medical-absence").
PORTAL_ABSENCE_CERTIFICATE_TYPES = env_list("PORTAL_ABSENCE_CERTIFICATE_TYPES",
                                            "certificat-medical,certificat-medical-absence")
# --- end of services settings -------------------------------------------------------------
# Hall hire (halls app): where new hall requests are announced to staff (empty: no e-mail,
# staff see them in the admin, "Location de salles").
HALLS_STAFF_EMAIL = env("HALLS_STAFF_EMAIL", "")

# The commune's name, refused in passwords (also edited in the site settings).
PORTAL_COMMUNE_NAME = env("PORTAL_COMMUNE_NAME", "Aulnoy-lez-Valenciennes")

# Content Security Policy (django-csp 4). The Wagtail admin needs inline styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# Paths whose pages need a looser script policy (the Wagtail admin uses inline scripts).
CSP_RELAXED_PATH_PREFIXES = ["/admin/"]

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Wagtail
WAGTAIL_SITE_NAME = "Portail Famille"
# No Gravatar in the admin: it would send a hash of each agent's e-mail to a third party,
# and the CSP (img-src 'self') refuses it.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_BASE_URL = env("PORTAL_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "docx", "xlsx", "ods", "csv", "txt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_PASSWORD_RESET_ENABLED = False  # parents and staff reset through the portal's own form
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# Logging: one line per request with its request id; everything to the console.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "portal.request_log.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
    "loggers": {
        "portal": {"level": env("PORTAL_LOG_LEVEL", "INFO")},
        "django.server": {"level": "WARNING"},
    },
}


# --- Ops (issue 9): running the portal ---------------------------------------------------
# Proxies whose X-Forwarded-For gives the client's address (portal.middleware.ForwardedForMiddleware):
# comma-separated addresses or networks; empty here, the local nginx in production.
PORTAL_TRUSTED_PROXIES = env_list("PORTAL_TRUSTED_PROXIES", "")
# Private files behind nginx: when set (e.g. "/_private/"), downloads answer with an
# X-Accel-Redirect to this internal location instead of streaming the file from Python.
PRIVATE_MEDIA_X_ACCEL_PREFIX = env("PRIVATE_MEDIA_X_ACCEL_PREFIX", "")
# How long finished task results stay in the queue table (they hold e-mail bodies).
OPS_TASK_RESULT_RETENTION_DAYS = int(env("OPS_TASK_RESULT_RETENTION_DAYS", "14"))
OPS_FAILED_TASK_RETENTION_DAYS = int(env("OPS_FAILED_TASK_RETENTION_DAYS", "90"))

# --- Accounts area (issue 4): account security, the family file, GDPR ------------------
# Password reset links: valid one hour, usable once (Django's token generator).
PASSWORD_RESET_TIMEOUT = 60 * 60
# Below this path, staff give a second factor once per session (accounts.second_factor).
PORTAL_ADMIN_PATH_PREFIX = "/admin/"
# The demo staff get a fixed authenticator secret (accounts.demo): development and tests only.
PORTAL_DEMO_SECOND_FACTOR = False
# Rate limits, name -> (hits, seconds), counted in the database (accounts.ratelimit).
PORTAL_RATE_LIMITS = {
    "registration_ip": (10, 3600),
    "password_reset_email": (3, 3600),
    "password_reset_ip": (20, 3600),
    "email_change": (5, 3600),
    "household_link_user": (5, 24 * 3600),
    "household_link_ip": (20, 24 * 3600),
    "data_export": (5, 3600),
    "gdpr_request": (5, 24 * 3600),
    "change_request": (20, 24 * 3600),
}
# Household fields a parent cannot change directly: a change request goes to an agent,
# who accepts or refuses it (accounts.family). Any of PARENT_EDITABLE_HOUSEHOLD_FIELDS.
PORTAL_CHECKED_HOUSEHOLD_FIELDS = [
    "address_line1", "address_line2", "postcode", "city",
    "family_situation", "family_quotient", "family_quotient_source",
]
# --- Documents (issue 7): supporting documents families upload -------------------------
# Limits of an upload: size of each file, files per document, bytes per household, uploads
# per household and hour; images above the pixel limit are refused, larger sides reduced.
PORTAL_DOCUMENTS_MAX_FILE_SIZE = int(env("PORTAL_DOCUMENTS_MAX_FILE_SIZE", str(10 * 1024 * 1024)))
PORTAL_DOCUMENTS_MAX_FILES = int(env("PORTAL_DOCUMENTS_MAX_FILES", "10"))
PORTAL_DOCUMENTS_HOUSEHOLD_QUOTA = int(env("PORTAL_DOCUMENTS_HOUSEHOLD_QUOTA", str(200 * 1024 * 1024)))
PORTAL_DOCUMENTS_UPLOADS_PER_HOUR = int(env("PORTAL_DOCUMENTS_UPLOADS_PER_HOUR", "20"))
PORTAL_DOCUMENTS_MAX_IMAGE_PIXELS = int(env("PORTAL_DOCUMENTS_MAX_IMAGE_PIXELS", str(120_000_000)))
PORTAL_DOCUMENTS_IMAGE_MAX_SIDE = int(env("PORTAL_DOCUMENTS_IMAGE_MAX_SIDE", "4000"))
# Days a document is kept after it stopped being useful (end of validity, refusal,
# replacement); a document type may set its own period.
PORTAL_DOCUMENTS_RETENTION_DAYS = int(env("PORTAL_DOCUMENTS_RETENTION_DAYS", "365"))
# Days before the end of validity at which the family is reminded (optional e-mail).
PORTAL_DOCUMENTS_EXPIRY_REMINDER_DAYS = int(env("PORTAL_DOCUMENTS_EXPIRY_REMINDER_DAYS", "30"))
# Behind nginx (production): the download views answer with X-Accel-Redirect to this
# internal location, aliased to PRIVATE_MEDIA_ROOT (empty: Django sends the file itself).
PORTAL_DOCUMENTS_ACCEL_REDIRECT_PREFIX = env("PORTAL_DOCUMENTS_ACCEL_REDIRECT_PREFIX", "")
# Antivirus: ClamAV's clamd (INSTREAM), off by default. Address: unix:///run/clamav/clamd.ctl
# or tcp://127.0.0.1:3310. When it is on and clamd does not answer, uploads are refused.
PORTAL_CLAMAV_ENABLED = env_bool("PORTAL_CLAMAV_ENABLED", False)
PORTAL_CLAMAV_ADDRESS = env("PORTAL_CLAMAV_ADDRESS", "unix:///run/clamav/clamd.ctl")
PORTAL_CLAMAV_TIMEOUT = float(env("PORTAL_CLAMAV_TIMEOUT", "30"))
# Editorial documents (Wagtail) behind nginx: X-Accel-Redirect to this internal location,
# aliased to MEDIA_ROOT, so that documents of a restricted collection are not served from
# /media/ (nginx must then refuse /media/documents/).
if env("PORTAL_MEDIA_ACCEL_REDIRECT_PREFIX", ""):
    SENDFILE_BACKEND = "documents.sendfile_nginx"
    SENDFILE_ROOT = str(MEDIA_ROOT)
    SENDFILE_URL = env("PORTAL_MEDIA_ACCEL_REDIRECT_PREFIX")
# Wagtail's privacy ("login" restriction on a collection of editorial documents, or on
# pages) sends visitors to the portal's own login page, not to Wagtail's.
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
# -- home (issue 3): French full-text search (stemming) when the database is PostgreSQL.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "french"
# -- end home

# --- Dashboards (issue 10): staff dashboards and statistics --------------------------------
# Smallest group a statistic may show: a count of 1 to N-1 people (or an amount paid by
# fewer than N households) is shown "< N", and totals that would reveal it are hidden too.
# A deployment setting on purpose (the DPO's call), never lowered from the admin.
PORTAL_STATISTICS_MIN_GROUP = max(int(env("PORTAL_STATISTICS_MIN_GROUP", "5")), 2)
# Groups whose members see every statistics theme, like superusers (e.g. "Direction").
PORTAL_STATISTICS_MANAGEMENT_GROUPS = env_list("PORTAL_STATISTICS_MANAGEMENT_GROUPS", "")
# --- end of dashboards settings -------------------------------------------------------------
