from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Comptes et familles")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from portal.middleware import mark_login_time

        from . import roles

        post_migrate.connect(roles.ensure_groups_after_migrate, sender=self)
        user_logged_in.connect(mark_login_time, dispatch_uid="portal_mark_login_time")

        from django.contrib.auth.signals import user_logged_out, user_login_failed

        from . import audit

        user_logged_in.connect(audit.on_login, dispatch_uid="portal_audit_login")
        user_logged_out.connect(audit.on_logout, dispatch_uid="portal_audit_logout")
        user_login_failed.connect(audit.on_login_failed, dispatch_uid="portal_audit_login_failed")
