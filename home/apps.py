from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _commune_names_from_site_settings():
    from django.db import DatabaseError

    from .models import CommuneSettings

    try:
        return list(CommuneSettings.objects.values_list("commune_name", flat=True))
    except DatabaseError:  # before the first migration
        return []


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Pages du site")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate, post_save

        from accounts.password_validation import register_commune_name_source

        from . import permissions
        from .models import LEGAL_PAGE_MODELS

        register_commune_name_source(_commune_names_from_site_settings)
        post_migrate.connect(permissions.ensure_page_permissions_after_migrate, sender=self)
        for model in LEGAL_PAGE_MODELS:
            post_save.connect(permissions.grant_legal_staff_on_new_page, sender=model,
                              dispatch_uid=f"grant_legal_staff_{model.__name__}")
