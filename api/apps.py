from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The family API (/api/v1/): JSON for the commune's mobile app and the site's pages."""

    name = "api"
    verbose_name = _("API famille")
    default_auto_field = "django.db.models.BigAutoField"
