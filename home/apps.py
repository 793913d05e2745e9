from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _commune_names_from_site_settings():
    from django.db import DatabaseError

    from .models import CommuneSettings

    try:
        return list(CommuneSettings.objects.values_list("commune_name", flat=True))
    except DatabaseError:  # before the first migration
        return []


def notice_at_login(sender, request, user, **kwargs):
    """At login, a parent who has a version of the regulation to accept is told so."""
    if request is None:
        return
    from django.contrib import messages
    from django.utils import formats, timezone
    from django.utils.translation import gettext as _

    from .acceptance import pending_version

    version = pending_version(user)
    if version is not None:
        messages.warning(
            request,
            _("Le règlement d'utilisation a changé (version %(number)s en vigueur depuis le %(date)s) : "
               "lisez-le et acceptez-le avant votre prochaine démarche.")
            % {"number": version.number, "date": formats.date_format(timezone.localtime(version.published_at), "j F Y")},
            fail_silently=True,
        )


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Pages du site")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate, post_save
        from wagtail.signals import page_published

        from accounts.password_validation import register_commune_name_source

        from . import permissions, versions
        from .models import LEGAL_PAGE_MODELS

        register_commune_name_source(_commune_names_from_site_settings)
        post_migrate.connect(permissions.ensure_page_permissions_after_migrate, sender=self)
        for model in LEGAL_PAGE_MODELS:
            post_save.connect(permissions.grant_legal_staff_on_new_page, sender=model,
                              dispatch_uid=f"grant_legal_staff_{model.__name__}")
            page_published.connect(versions.on_page_published, sender=model,
                                   dispatch_uid=f"legal_version_{model.__name__}")
        user_logged_in.connect(notice_at_login, dispatch_uid="home_regulation_notice_at_login")
