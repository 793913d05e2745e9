"""Which optional e-mails a parent receives (issue 9: each parent chooses their reminders).

Contract used by every area that sends an optional e-mail:

    wants_email(user, kind) -> bool

``kind`` is one of ``OPTIONAL_KINDS``. E-mails a parent cannot turn off (account
security, a new regulation to accept, a waiting-list place, a decision on a request, a
refused document) are sent without asking.
"""

from django.utils.translation import gettext_lazy as _

BOOKING_CONFIRMATION = "booking_confirmation"
INVOICE_PUBLISHED = "invoice_published"
INVOICE_REMINDER = "invoice_reminder"
DOCUMENT_EXPIRY = "document_expiry"
BOOKING_REMINDER = "booking_reminder"

OPTIONAL_KINDS = {
    BOOKING_CONFIRMATION: _("confirmation de mes réservations et annulations"),
    INVOICE_PUBLISHED: _("nouvelle facture disponible"),
    INVOICE_REMINDER: _("rappel de facture impayée"),
    DOCUMENT_EXPIRY: _("pièce justificative bientôt expirée"),
    BOOKING_REMINDER: _("rappel avant la clôture des réservations"),
}


def wants_email(user, kind):
    """Whether ``user`` receives the optional e-mail ``kind`` (issue 4/9 store the choice)."""
    if kind not in OPTIONAL_KINDS:
        raise ValueError(f"Unknown e-mail kind {kind!r}: expected one of {', '.join(OPTIONAL_KINDS)}.")
    return True
