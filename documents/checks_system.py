"""System checks: the private folder must never be reachable through a public URL."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Warning, register


def _inside(child, parent):
    try:
        Path(child).resolve().relative_to(Path(parent).resolve())
    except ValueError:
        return False
    return True


@register()
def private_media_root_is_private(app_configs, **kwargs):
    errors = []
    private = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
    if not private:
        return [Error("PRIVATE_MEDIA_ROOT is not set.", id="documents.E001")]
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        public = getattr(settings, name, None)
        if public and (_inside(private, public) or _inside(public, private)):
            errors.append(
                Error(
                    f"PRIVATE_MEDIA_ROOT ({private}) must not be inside {name} ({public}) nor contain it: "
                    "family documents would be served publicly.",
                    id="documents.E002",
                )
            )
    prefix = getattr(settings, "PORTAL_DOCUMENTS_ACCEL_REDIRECT_PREFIX", "")
    if prefix and not (prefix.startswith("/") and prefix.endswith("/")):
        errors.append(
            Error("PORTAL_DOCUMENTS_ACCEL_REDIRECT_PREFIX must start and end with '/'.", id="documents.E003")
        )
    if prefix and settings.MEDIA_URL and prefix.startswith(settings.MEDIA_URL):
        errors.append(
            Warning(
                "PORTAL_DOCUMENTS_ACCEL_REDIRECT_PREFIX is below MEDIA_URL: make sure nginx marks it internal.",
                id="documents.W001",
            )
        )
    return errors
