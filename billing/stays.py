"""Stays paid when booked (séjours, issue 5/6): the prepayment is the stay's own invoice.

A stay whose activity asks for payment when booked (``Activity.prepayment_required``)
books all its days when its enrolment becomes active, and the enrolment's prepayment
becomes due (``services.enrolments``). Billing then:

- issues **the stay's invoice** at once (``invoice_stay``): one line per day of the stay,
  priced by the activity's tariff like any day (family quotient, resident, rank, PAI),
  numbered in the office's invoice sequence like the monthly invoices, due after the
  office's payment term but never after the stay's first day, e-mailed to the payer. Its
  lines carry the days' fact keys (``booking:<id>``, ``services.billable.stay_facts``)
  and the monthly run skips every day of such a stay (``BillableFact.prepaid``): a stay
  is never charged twice;
- when that invoice is settled (PayFiP or the desk, ``billing.payments``), records the
  enrolment's prepayment as paid (``services.enrolments.record_prepayment``, reference
  the invoice number);
- when the stay is withdrawn within its cancellation deadline, credits the days
  cancelled in time with a numbered credit note (a paid invoice then shows what is owed
  back to the family);
- an unpaid stay invoice follows the ordinary path of unpaid invoices (reminders, the
  second pointing to the social services, then the public treasury): the software never
  takes the child's place away for an unpaid bill.

The invoice is made after the enrolment's transaction commits (a ``post_save`` receiver
on ``services.Enrolment``); a periodic job (``billing.stay_invoices``) catches up with any
stay left without one (no office or tariff yet, an error).
"""

import datetime
import logging
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import record
from accounts.models import AuditEvent, Child, Household
from services import billable
from services.models import Booking, Enrolment

from .invoicing import (
    InvoicingError,
    _describe,
    _Payers,
    invoice_number,
    issue_credit_note,
    notify_published,
    payer_address,
    take_numbers,
)
from .models import CollectionOffice, CreditNoteLine, Invoice, InvoiceLine, NumberSequence
from .quotients import QuotientBook, ensure_records
from .tariffs import TariffBook, money, ranks_by_child, unit_price

logger = logging.getLogger(__name__)


def office_for(activity):
    """The active office invoicing ``activity`` (the first by code), or None."""
    return CollectionOffice.objects.filter(activities=activity, is_active=True).order_by("code").first()


def invoice_stay(enrolment, *, now=None, user=None):
    """Issue the invoice of a stay whose prepayment is due; returns it (or the one
    already issued), or None when it cannot be made yet (no office, no tariff for one of
    its days, no payer) or is not due. Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().select_related("activity", "household").get(pk=enrolment.pk)
        existing = Invoice.objects.filter(enrolment=enrolment).first()
        if existing is not None:
            return existing
        if enrolment.status != Enrolment.Status.ACTIVE or enrolment.prepayment_status != Enrolment.Prepayment.DUE:
            return None
        activity = enrolment.activity
        office = office_for(activity)
        if office is None:
            logger.warning("stay enrolment %s: no collection office invoices %s", enrolment.pk, activity.code)
            return None
        facts = [f for f in billable.stay_facts(enrolment)
                 if not InvoiceLine.objects.filter(fact_key=f.key).exists()]
        if not facts:
            return None
        household = Household.objects.get(pk=enrolment.household_id)
        ensure_records([household.pk])
        quotients = QuotientBook([household.pk])
        tariffs = TariffBook([activity.pk])
        children = list(Child.objects.filter(household_id=household.pk).only("pk", "household_id", "birth_date",
                                                                             "has_medical_plan", "first_name"))
        ranks = ranks_by_child(children)
        child = next(c for c in children if c.pk == enrolment.child_id)
        priced = []
        for fact in facts:
            tariff = tariffs.tariff_for(activity.pk, fact.day)
            price = None if tariff is None else unit_price(
                tariff, quotient=quotients.quotient_for(household.pk, fact.day), resident=household.is_resident,
                rank=ranks.get(child.pk, 1), medical_plan=child.has_medical_plan)
            if price is None:
                logger.warning("stay enrolment %s: no tariff for %s on %s", enrolment.pk, activity.code, fact.day)
                return None
            priced.append((fact, tariff, price))
        payer = _Payers([household.pk]).payer_for(facts[0])
        if payer is None:
            return None
        total = money(sum((p.unit_price for _f, _t, p in priced), Decimal("0")))
        local_day = timezone.localtime(now).date()
        due = max(local_day, min(local_day + datetime.timedelta(days=office.payment_term_days),
                                 activity.start_date or enrolment.start_date))
        year, month = enrolment.start_date.year, enrolment.start_date.month
        sequence = take_numbers(office, NumberSequence.Kind.INVOICE, year, 1)
        invoice = Invoice.objects.create(
            office=office, household=household, payer=payer, payer_name=str(payer),
            payer_address=payer_address(household),
            payer_email=(payer.user.email if payer.user_id else payer.email) or household.email,
            year=year, month=month, number=invoice_number(office, year, month, sequence), sequence_number=sequence,
            status=Invoice.Status.ISSUED, issued_at=now, due_date=due, total=total, enrolment=enrolment,
        )
        InvoiceLine.objects.bulk_create([
            InvoiceLine(invoice=invoice, fact_key=fact.key, child_id=fact.child_id, activity_id=fact.activity_id,
                        day=fact.day, fact_status=fact.status, description=_describe(activity.name, fact, price.detail),
                        quantity=Decimal("1"), unit_price=price.unit_price, amount=price.unit_price,
                        pricing=dict(price.detail, tariff=tariff.pk, child=child.first_name, stay=enrolment.pk))
            for fact, tariff, price in priced
        ])
        if total <= 0:  # a free stay: nothing to pay
            from .invoicing import refresh_status

            refresh_status(invoice, now=now)
            invoice.save(update_fields=["status", "paid_at"])
        record(AuditEvent.Action.INVOICE, actor=user, household=household, obj=invoice, acting_for_family=False,
               summary=f"Facture du séjour émise {invoice.number} : {invoice.total} €",
               after={"number": invoice.number, "total": str(invoice.total), "due_date": str(invoice.due_date),
                      "enrolment": enrolment.pk})
        if invoice.status == Invoice.Status.PAID:
            settled(invoice, now=now, actor=user)
        else:
            transaction.on_commit(lambda: notify_published([invoice.pk]))
    return invoice


def invoice_due_stays(now=None):
    """Periodic job: issue the invoice of every stay whose prepayment is due and has none
    yet. Returns how many were issued."""
    from services.enrolments import prepayments_due

    issued = 0
    for enrolment in prepayments_due().exclude(stay_invoices__isnull=False):
        try:
            if invoice_stay(enrolment, now=now) is not None:
                issued += 1
        except Exception:  # one stay's problem never stops the others
            logger.exception("stay invoice of enrolment %s failed", enrolment.pk)
    return issued


def settled(invoice, *, now=None, actor=None, request=None):
    """Call under the invoice's lock after a payment: a stay's invoice paid in full
    records the enrolment's prepayment as paid."""
    if invoice.enrolment_id is None or invoice.status != Invoice.Status.PAID:
        return
    from services.enrolments import record_prepayment
    from services.rules import Refusal

    enrolment = Enrolment.objects.get(pk=invoice.enrolment_id)
    if enrolment.prepayment_status == Enrolment.Prepayment.DUE:
        try:
            record_prepayment(enrolment, reference=invoice.number, now=now or timezone.now(), actor=actor,
                              request=request)
        except Refusal:  # paid meanwhile: nothing more to record
            pass


def credit_withdrawn_stay(enrolment, *, now=None, user=None):
    """A stay withdrawn: credit the lines of its invoice whose day was cancelled in time
    (a late cancellation stays charged, like any day). Returns the credit note or None."""
    invoice = Invoice.objects.filter(enrolment=enrolment).exclude(status=Invoice.Status.DRAFT).first()
    if invoice is None:
        return None
    booking_ids = {}
    for line in invoice.lines.all():
        kind, _sep, pk = line.fact_key.partition(":")
        if kind == "booking" and pk.isdigit():
            booking_ids[int(pk)] = line
    cancelled = set(Booking.objects.filter(pk__in=booking_ids, status=Booking.Status.CANCELLED, cancelled_late=False)
                    .values_list("pk", flat=True))
    credited = set(CreditNoteLine.objects.filter(invoice_line__invoice=invoice).values_list("invoice_line_id",
                                                                                          flat=True))
    lines = [line for pk, line in booking_ids.items() if pk in cancelled and line.pk not in credited
             and line.amount > 0]
    if not lines:
        return None
    try:
        return issue_credit_note(invoice, reason=_("Séjour annulé dans les délais"), lines=lines, user=user, now=now)
    except InvoicingError:
        logger.exception("credit note of the withdrawn stay %s refused", enrolment.pk)
        return None


def on_enrolment_saved(sender, instance, created, **kwargs):
    """``post_save`` on ``services.Enrolment``: after the commit, issue the invoice of a
    stay whose prepayment became due, or credit the invoice of a withdrawn stay."""
    if instance.status == Enrolment.Status.ACTIVE and instance.prepayment_status == Enrolment.Prepayment.DUE:
        pk = instance.pk
        transaction.on_commit(lambda: _safely(invoice_stay, pk))
    elif instance.status == Enrolment.Status.WITHDRAWN and instance.prepayment_status != (
            Enrolment.Prepayment.NOT_REQUIRED):
        pk = instance.pk
        transaction.on_commit(lambda: _safely(credit_withdrawn_stay, pk))


def _safely(function, enrolment_pk):
    try:
        function(Enrolment.objects.get(pk=enrolment_pk))
    except Exception:  # the enrolment is committed; the periodic job or a cashier catches up
        logger.exception("%s for enrolment %s failed", function.__name__, enrolment_pk)
