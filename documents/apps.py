from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Pièces justificatives")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete

        from . import checks_system  # noqa: F401  (registers the system checks)
        from .models import DocumentFile
        from .signals import delete_stored_file

        post_delete.connect(delete_stored_file, sender=DocumentFile, dispatch_uid="documents_delete_stored_file")
