from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HallsConfig(AppConfig):
    name = "halls"
    verbose_name = _("Location de salles")
    default_auto_field = "django.db.models.BigAutoField"
