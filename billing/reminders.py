"""Reminders for unpaid invoices (a periodic job, idempotent).

An open invoice gets a first reminder ``office.first_reminder_days`` after its due date,
then a second one ``office.second_reminder_days`` after it, which points to the
commune's social services (CCAS). Each is sent once: the timestamp is set by a
conditional UPDATE, so two schedulers running at once send it once. The software never
excludes a child from a service for an unpaid invoice: no rule anywhere reads these
reminders to refuse a booking.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.audit import record
from accounts.models import AuditEvent

from .models import Invoice
from .notifications import send_reminder


def send_due_reminders(now=None):
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    sent = {"first": 0, "second": 0}
    open_invoices = Invoice.objects.filter(status__in=Invoice.OPEN_STATUSES, due_date__isnull=False)
    first = open_invoices.filter(first_reminder_at__isnull=True).select_related("office")
    for invoice in first.iterator():
        if invoice.due_date + datetime.timedelta(days=invoice.office.first_reminder_days) > today:
            continue
        if _mark_and_send(invoice.pk, 1, now):
            sent["first"] += 1
    second = open_invoices.filter(first_reminder_at__isnull=False, second_reminder_at__isnull=True).select_related(
        "office")
    for invoice in second.iterator():
        if invoice.due_date + datetime.timedelta(days=invoice.office.second_reminder_days) > today:
            continue
        if invoice.first_reminder_at > now - datetime.timedelta(days=7):
            continue  # at least a week between the two reminders
        if _mark_and_send(invoice.pk, 2, now):
            sent["second"] += 1
    return sent


def _mark_and_send(invoice_id, level, now):
    """Set the reminder's timestamp (once: a conditional UPDATE), trace it in the same
    transaction, and send the e-mail after the commit."""
    field = "first_reminder_at" if level == 1 else "second_reminder_at"
    with transaction.atomic():
        if not Invoice.objects.filter(pk=invoice_id, **{f"{field}__isnull": True}).update(**{field: now}):
            return False
        invoice = Invoice.objects.select_related("payer__user", "household", "office").get(pk=invoice_id)
        record(AuditEvent.Action.INVOICE, household=invoice.household, obj=invoice, acting_for_family=False,
               summary=f"{'Première' if level == 1 else 'Seconde'} relance de la facture {invoice.number}",
               after={"reminder": level, "balance": str(invoice.balance)})
        transaction.on_commit(lambda: send_reminder(invoice, level))
    return True
