"""The billing's e-mails, through ``portal.notifications.notify`` in the payer's language.

- ``billing_invoice_published``: a new invoice is available (optional: the parent may
  turn it off, ``accounts.preferences.INVOICE_PUBLISHED``);
- ``billing_payment_receipt``: a payment was received (always sent);
- ``billing_invoice_reminder`` and ``billing_invoice_second_reminder``: unpaid invoice
  reminders (optional, ``INVOICE_REMINDER``); the second points to the social services.
Paper-only households receive their documents on paper: no e-mail.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accounts.preferences import INVOICE_PUBLISHED, INVOICE_REMINDER, wants_email
from portal.notifications import notify


def recipient(invoice):
    """(address, user or None, language) of the invoice's payer, or (None, None, None)."""
    if invoice.household.paper_only:
        return None, None, None
    payer = invoice.payer
    user = payer.user if payer.user_id else None
    address = (user.email if user else "") or payer.email or invoice.payer_email
    if not address:
        return None, None, None
    language = (user.preferred_language if user else None) or settings.LANGUAGE_CODE
    return address, user, language


def _invoice_url(invoice, language):
    with translation.override(language):
        path = reverse("billing:invoice", args=[invoice.pk])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _context(invoice, language, **extra):
    return {"invoice": invoice, "office": invoice.office, "url": _invoice_url(invoice, language), **extra}


def send_invoice_published(invoice):
    address, user, language = recipient(invoice)
    if not address or (user is not None and not wants_email(user, INVOICE_PUBLISHED)):
        return None
    return notify(address, "billing_invoice_published", _context(invoice, language), language=language)


def send_payment_receipt(payment):
    invoice = payment.invoice
    address, _user, language = recipient(invoice)
    if not address:
        return None
    return notify(address, "billing_payment_receipt", _context(invoice, language, payment=payment),
                  language=language)


def send_reminder(invoice, level):
    address, user, language = recipient(invoice)
    if not address or (user is not None and not wants_email(user, INVOICE_REMINDER)):
        return None
    template = "billing_invoice_reminder" if level == 1 else "billing_invoice_second_reminder"
    return notify(address, template, _context(invoice, language), language=language)
