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


def _check(kind):
    if kind not in OPTIONAL_KINDS:
        raise ValueError(f"Unknown e-mail kind {kind!r}: expected one of {', '.join(OPTIONAL_KINDS)}.")


def wants_email(user, kind):
    """Whether ``user`` receives the optional e-mail ``kind``: yes unless they turned it
    off on their preferences screen (``accounts:preferences``); never for a closed or
    inactive account (one query)."""
    from .models import EmailPreference

    _check(kind)
    if user is None or not getattr(user, "pk", None) or not user.is_active:
        return False
    return not EmailPreference.objects.filter(user_id=user.pk, kind=kind, enabled=False).exists()


def choices_of(user):
    """kind -> bool for every optional kind (the screen's current values)."""
    from .models import EmailPreference

    stored = dict(EmailPreference.objects.filter(user=user).values_list("kind", "enabled"))
    return {kind: stored.get(kind, True) for kind in OPTIONAL_KINDS}


def save_choices(user, choices, *, request=None):
    """Store the user's choices; traced (as a change of the account's contact settings)."""
    from django.db import transaction

    from .audit import record
    from .models import AuditEvent, EmailPreference

    before = choices_of(user)
    after = {kind: bool(choices.get(kind, False)) for kind in OPTIONAL_KINDS}
    changed = {kind for kind in OPTIONAL_KINDS if before[kind] != after[kind]}
    if not changed:
        return None
    with transaction.atomic():
        for kind in changed:
            EmailPreference.objects.update_or_create(user=user, kind=kind, defaults={"enabled": after[kind]})
        return record(AuditEvent.Action.CONTACT_CHANGE, actor=user, obj=user, request=request,
                      acting_for_family=False, summary="Préférences d'e-mails modifiées",
                      before={k: before[k] for k in sorted(changed)}, after={k: after[k] for k in sorted(changed)})
