"""Periodic jobs of the documents area (registered with ``portal_periodic_jobs``; both are
idempotent and take ``now``).

``remind_expiring(now)``: a validated document whose validity ends within
``PORTAL_DOCUMENTS_EXPIRY_REMINDER_DAYS`` days, and that no newer document of the same
type (validated for longer, or awaiting validation) replaces, is reminded once to the
guardians who see it and want that e-mail (``document_expiry``), one message per guardian.

``purge_expired(now)``: the retention rule. A document is deleted, files included, once
its type's retention period (``DocumentType.retention_days``, otherwise
``PORTAL_DOCUMENTS_RETENTION_DAYS``) has passed since it stopped being useful:

- a refused document: since its refusal;
- a validated document with an end of validity: since that end;
- a validated document replaced by a newer validated one (same type, household and child):
  since the newer one was validated.

Documents awaiting validation, and validated documents without end that nothing
replaced, are kept. Each deletion writes a ``DOCUMENT_DELETION`` audit event.
"""

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.preferences import DOCUMENT_EXPIRY, wants_email

from .models import DocumentType, SupportingDocument
from .notifications import notify_expiry, recipients
from .uploads import remove_document

logger = logging.getLogger("portal.documents")

Status = SupportingDocument.Status


def _replaced_by(queryset_filter):
    """Exists() of another document of the same slot matching ``queryset_filter``."""
    same_child = SupportingDocument.objects.filter(
        queryset_filter,
        household=OuterRef("household"),
        document_type=OuterRef("document_type"),
        child=OuterRef("child"),
    ).exclude(pk=OuterRef("pk"))
    household_level = SupportingDocument.objects.filter(
        queryset_filter,
        household=OuterRef("household"),
        document_type=OuterRef("document_type"),
        child__isnull=True,
    ).exclude(pk=OuterRef("pk"))
    return (Q(child__isnull=False) & Exists(same_child)) | (Q(child__isnull=True) & Exists(household_level))


def expiring_documents(now):
    today = timezone.localdate(now)
    horizon = today + datetime.timedelta(days=settings.PORTAL_DOCUMENTS_EXPIRY_REMINDER_DAYS)
    newer = Q(status=Status.PENDING) | Q(status=Status.ACCEPTED, valid_until__isnull=True) | Q(
        status=Status.ACCEPTED, valid_until__gt=OuterRef("valid_until")
    )
    return (
        SupportingDocument.objects.filter(
            status=Status.ACCEPTED, valid_until__gte=today, valid_until__lte=horizon, expiry_reminded_at__isnull=True
        )
        .exclude(_replaced_by(newer))
        .select_related("document_type", "child", "household")
        .order_by("valid_until", "pk")
    )


def remind_expiring(now=None):
    """Send the expiry reminders due at ``now``; returns the number of e-mails."""
    now = now or timezone.now()
    documents = list(expiring_documents(now))
    per_user = defaultdict(list)
    users = {}
    for document in documents:
        for user in recipients(document):
            if wants_email(user, DOCUMENT_EXPIRY):
                users[user.pk] = user
                per_user[user.pk].append(document)
    with transaction.atomic():
        # Marked first (a reminder is sent at most once), e-mails queued once committed.
        SupportingDocument.objects.filter(pk__in=[d.pk for d in documents], expiry_reminded_at__isnull=True).update(
            expiry_reminded_at=now
        )
        for user_pk, user_documents in per_user.items():
            transaction.on_commit(lambda u=users[user_pk], d=user_documents: notify_expiry(u, d))
    return len(per_user)


def purgeable_documents(now):
    """The documents whose retention period is over at ``now``."""
    today = timezone.localdate(now)
    condition = Q(pk__in=[])
    for document_type in DocumentType.objects.all():
        cutoff = today - datetime.timedelta(days=document_type.effective_retention_days)
        cutoff_moment = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.max))
        replaced = _replaced_by(Q(status=Status.ACCEPTED, reviewed_at__gt=OuterRef("reviewed_at"),
                                  reviewed_at__lte=cutoff_moment))
        condition |= Q(document_type=document_type) & (
            Q(status=Status.REJECTED, reviewed_at__lte=cutoff_moment)
            | Q(status=Status.ACCEPTED, valid_until__lte=cutoff)
            | (Q(status=Status.ACCEPTED) & replaced)
        )
    return SupportingDocument.objects.filter(condition).select_related("document_type", "household", "child")


def purge_expired(now=None):
    """Delete the documents whose retention period is over; returns how many."""
    now = now or timezone.now()
    count = 0
    for document in purgeable_documents(now).order_by("pk"):
        with transaction.atomic():
            locked = SupportingDocument.objects.select_for_update().filter(pk=document.pk).first()
            if locked is None or not purgeable_documents(now).filter(pk=locked.pk).exists():
                continue  # deleted or decided again meanwhile
            remove_document(document, actor=None, reason="durée de conservation écoulée")
            count += 1
    if count:
        logger.info("documents purged after their retention period: %d", count)
    return count
