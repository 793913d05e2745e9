"""Reminders for unpaid invoices (a periodic job, idempotent).

An open invoice gets a first reminder ``office.first_reminder_days`` after its due date,
then a second one ``office.second_reminder_days`` after it, which points to the
commune's social services (CCAS). Each is sent once: the timestamp is set by a
conditional UPDATE, so two schedulers running at once send it once. The software never
excludes a child from a service for an unpaid invoice: no rule anywhere reads these
reminders to refuse a booking.
"""

import datetime

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
        if Invoice.objects.filter(pk=invoice.pk, first_reminder_at__isnull=True).update(first_reminder_at=now):
            _send(invoice.pk, 1)
            sent["first"] += 1
    second = open_invoices.filter(first_reminder_at__isnull=False, second_reminder_at__isnull=True).select_related(
        "office")
    for invoice in second.iterator():
        if invoice.due_date + datetime.timedelta(days=invoice.office.second_reminder_days) > today:
            continue
        if invoice.first_reminder_at > now - datetime.timedelta(days=7):
            continue  # at least a week between the two reminders
        if Invoice.objects.filter(pk=invoice.pk, second_reminder_at__isnull=True).update(second_reminder_at=now):
            _send(invoice.pk, 2)
            sent["second"] += 1
    return sent


def _send(invoice_id, level):
    invoice = Invoice.objects.select_related("payer__user", "household", "office").get(pk=invoice_id)
    record(AuditEvent.Action.INVOICE, household=invoice.household, obj=invoice, acting_for_family=False,
           summary=f"{'Première' if level == 1 else 'Seconde'} relance de la facture {invoice.number}",
           after={"reminder": level, "balance": str(invoice.balance)})
    send_reminder(invoice, level)
