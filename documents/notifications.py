"""E-mails of the documents area (through ``portal.notifications.notify``).

- ``documents_accepted`` / ``documents_rejected``: an agent's decision, sent to every
  guardian with a login who sees the document (always sent: a parent cannot turn off the
  answer to what they sent);
- ``documents_expiry``: documents that stop being valid soon, one message per guardian
  listing them, for those who want it (``accounts.preferences.wants_email``,
  ``document_expiry``).
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accounts.models import GuardianChildRight, User
from portal.notifications import notify


def recipients(document):
    """The active accounts of the guardians who see ``document``."""
    users = User.objects.filter(is_active=True, guardianships__household_id=document.household_id)
    if document.child_id:
        rights = GuardianChildRight.objects.filter(
            child_id=document.child_id, can_view=True, guardian__household_id=document.household_id
        )
        users = users.filter(guardianships__in=rights.values("guardian_id"))
    return list(users.distinct().order_by("email"))


def documents_url(language):
    with translation.override(language):
        path = reverse("documents:list")
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def notify_decision(document_id):
    """Tell the guardians that their document was accepted or refused."""
    from .models import SupportingDocument

    document = (
        SupportingDocument.objects.select_related("document_type", "child", "household").filter(pk=document_id).first()
    )
    if document is None or document.status == SupportingDocument.Status.PENDING:
        return 0
    template = "documents_accepted" if document.status == SupportingDocument.Status.ACCEPTED else "documents_rejected"
    sent = 0
    for user in recipients(document):
        language = user.preferred_language or settings.LANGUAGE_CODE
        notify(
            user.email,
            template,
            {"user": user, "document": document, "url": documents_url(language)},
            language=language,
        )
        sent += 1
    return sent


def notify_expiry(user, documents):
    language = user.preferred_language or settings.LANGUAGE_CODE
    return notify(
        user.email,
        "documents_expiry",
        {"user": user, "documents": documents, "url": documents_url(language)},
        language=language,
    )
