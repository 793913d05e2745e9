from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running the portal: the periodic-job scheduler, the task queue's state in the
    admin, readiness checks, backups (see README "Deploying")."""

    name = "ops"
    verbose_name = _("Exploitation")
    default_auto_field = "django.db.models.BigAutoField"
