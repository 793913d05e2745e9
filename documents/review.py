"""Validation of supporting documents by agents (``documents.review_supportingdocument``).

    accept_document(document, agent, valid_until=UNSET, now=None, request=None)
    reject_document(document, agent, reason, now=None, request=None)

An agent accepts a document waiting for validation, with an end of validity computed
from its type (the document's date, or today, plus the type's validity period) that the
agent may change; or refuses it with a reason the family reads. A validated document may
be refused afterwards (a mistake, a forged document): it then stops counting. Each
decision is one conditional update (two agents cannot both decide), one audit event
(``DOCUMENT_VALIDATION``) and, once committed, an e-mail to the guardians who see the
document, in their language.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import AuditEvent

from .models import SupportingDocument
from .notifications import notify_decision

UNSET = object()
MAX_REASON_LENGTH = 1000


class ReviewRefused(Exception):
    def __init__(self, message, field=None):
        super().__init__(str(message))
        self.message = str(message)
        self.field = field


def proposed_valid_until(document, *, today=None):
    """The end of validity proposed when ``document`` is accepted."""
    return document.document_type.default_valid_until(document.issued_on, today=today or timezone.localdate())


def accept_document(document, agent, *, valid_until=UNSET, now=None, request=None):
    now = now or timezone.now()
    today = timezone.localdate(now)
    if valid_until is UNSET:
        valid_until = proposed_valid_until(document, today=today)
    if valid_until is not None and valid_until < today:
        raise ReviewRefused(
            _("Cette date de fin de validité est déjà passée : corrigez-la, ou refusez la pièce."), field="valid_until"
        )
    with transaction.atomic():
        updated = SupportingDocument.objects.filter(pk=document.pk, status=SupportingDocument.Status.PENDING).update(
            status=SupportingDocument.Status.ACCEPTED,
            valid_until=valid_until,
            reviewed_by=agent,
            reviewed_at=now,
            rejection_reason="",
            expiry_reminded_at=None,
        )
        if not updated:
            raise ReviewRefused(_("Cette pièce a déjà été examinée (ou supprimée) entre-temps."))
        document.refresh_from_db()
        audit.record(
            AuditEvent.Action.DOCUMENT_VALIDATION,
            actor=agent,
            request=request,
            household=document.household,
            obj=document,
            acting_for_family=False,
            summary=f"Pièce validée : {document.document_type.name} ({document.child or document.household})",
            before={"status": SupportingDocument.Status.PENDING},
            after={"status": document.status,
                   "valid_until": valid_until.isoformat() if valid_until else None},
        )
        transaction.on_commit(lambda: notify_decision(document.pk))
    return document


def reject_document(document, agent, reason, *, now=None, request=None):
    now = now or timezone.now()
    reason = " ".join((reason or "").split())
    if not reason:
        raise ReviewRefused(_("Indiquez le motif du refus : la famille le lira."), field="reason")
    if len(reason) > MAX_REASON_LENGTH:
        raise ReviewRefused(
            _("Le motif est trop long (%(max)d caractères au plus).") % {"max": MAX_REASON_LENGTH}, field="reason"
        )
    with transaction.atomic():
        before = (
            SupportingDocument.objects.filter(pk=document.pk)
            .exclude(status=SupportingDocument.Status.REJECTED)
            .values_list("status", flat=True)
            .first()
        )
        updated = 0
        if before is not None:
            updated = SupportingDocument.objects.filter(pk=document.pk, status=before).update(
                status=SupportingDocument.Status.REJECTED,
                reviewed_by=agent,
                reviewed_at=now,
                rejection_reason=reason,
            )
        if not updated:
            raise ReviewRefused(_("Cette pièce a déjà été refusée (ou supprimée) entre-temps."))
        document.refresh_from_db()
        audit.record(
            AuditEvent.Action.DOCUMENT_VALIDATION,
            actor=agent,
            request=request,
            household=document.household,
            obj=document,
            acting_for_family=False,
            summary=f"Pièce refusée : {document.document_type.name} ({document.child or document.household})",
            before={"status": before},
            after={"status": document.status, "reason": reason},
        )
        transaction.on_commit(lambda: notify_decision(document.pk))
    return document
