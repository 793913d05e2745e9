"""The monthly invoicing run, invoice numbering, finalisation and credit notes.

The run (per collection office and month) reads ``services.billable.month_facts`` for
the office's activities and writes **draft** invoices: one per payer and month.

- Payer: the guardian who made the booking (``BillableFact.booked_by_id``) when that
  guardian is a payer of the household holding the pay right on the child; otherwise
  the household's first payer (by record id) holding the pay right on the child; else
  its first payer; else its first guardian. Separated parents who are both payers thus
  each receive only the invoices for their own bookings.
- Lines (``billing.tariffs``): booked and present, booked and absent without a
  justification, booked without attendance taken, and cancelled too late are charged;
  a justified absence is shown at 0 €; a presence without booking is charged with the
  surcharge; a booking made late carries the late surcharge; a cancellation in time is
  not invoiced. A fact whose activity has no tariff that day is left for a later run.
- The days of a stay paid when booked (``BillableFact.prepaid``) are never charged
  here: the stay has its own invoice, issued when its enrolment becomes active
  (``billing.stays``).
- Re-running never invoices an occurrence twice: every line keeps the fact's key under
  a unique constraint; facts already on an invoice (even a credited one) are skipped.
  New facts of a month whose invoice is already final go to a complementary invoice.
- Two runs of the same office serialise on the office row (``select_for_update``);
  each batch of households is one transaction, so the progress shows in the admin and
  a failure leaves whole invoices only.

Finalising a run numbers its drafts without gaps per office and year
(``F01-26-11-0000123``: office, year, month, sequence), sets the due date, makes them
final (immutable: corrections by credit note only) and e-mails the payers.
"""

import datetime
import logging
from collections import defaultdict
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from accounts.audit import record
from accounts.models import AuditEvent, Child, Guardian, GuardianChildRight, Household
from services import billable
from services.models import Activity

from .models import (
    ZERO,
    CollectionOffice,
    CreditNote,
    CreditNoteLine,
    Invoice,
    InvoiceLine,
    InvoicingRun,
    NumberSequence,
)
from .quotients import QuotientBook, ensure_records
from .tariffs import CHARGED, NOT_INVOICED, SHOWN_FREE, SURCHARGED, TariffBook, money, ranks_by_child, unit_price

logger = logging.getLogger(__name__)

BATCH_SIZE = 200


class InvoicingError(Exception):
    """A refused invoicing operation; the message is meant for the cashier (French)."""


# --- Numbering -------------------------------------------------------------------------


def _sequence_for_update(office, kind, year):
    """The sequence row, created if missing, locked until the end of the transaction."""
    try:
        with transaction.atomic():
            NumberSequence.objects.get_or_create(office=office, kind=kind, year=year)
    except IntegrityError:  # created meanwhile by a concurrent transaction
        pass
    return NumberSequence.objects.select_for_update().get(office=office, kind=kind, year=year)


def take_numbers(office, kind, year, count):
    """Reserve ``count`` consecutive numbers; returns the first. Call inside the
    transaction that writes the numbered documents (a rollback gives them back)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take_numbers must run inside a transaction")
    sequence = _sequence_for_update(office, kind, year)
    first = sequence.last_number + 1
    sequence.last_number += count
    sequence.save(update_fields=["last_number"])
    return first


def invoice_number(office, year, month, sequence):
    return f"F{office.code}-{year % 100:02d}-{month:02d}-{sequence:07d}"


def credit_note_number(office, year, sequence):
    return f"A{office.code}-{year % 100:02d}-{sequence:07d}"


# --- The run ---------------------------------------------------------------------------


def start_run(office, year, month, *, user=None, facts_source=None):
    """Create a run and enqueue it (django_tasks: immediate in development and tests)."""
    if not 1 <= int(month) <= 12:
        raise InvoicingError(_("Le mois doit être compris entre 1 et 12."))
    if InvoicingRun.objects.filter(
        office=office, year=year, month=month,
        status__in=[InvoicingRun.Status.PENDING, InvoicingRun.Status.RUNNING, InvoicingRun.Status.FINALISING],
    ).exists():
        raise InvoicingError(_("Une campagne de cette régie pour ce mois est déjà en cours."))
    run = InvoicingRun.objects.create(office=office, year=year, month=month, created_by=user)
    if facts_source is not None:
        execute_run(run.pk, facts_source=facts_source)
    else:
        run_invoicing.enqueue(run.pk)
    run.refresh_from_db()
    return run


@task()
def run_invoicing(run_id):
    """The background task of a run."""
    return execute_run(run_id)


def execute_run(run_id, *, facts_source=None, now=None):
    """Build the drafts of run ``run_id``. ``facts_source(year, month, activity_ids=...)``
    defaults to ``services.billable.month_facts``."""
    now = now or timezone.now()
    run = InvoicingRun.objects.select_related("office").get(pk=run_id)
    InvoicingRun.objects.filter(pk=run.pk).update(status=InvoicingRun.Status.RUNNING, started_at=now, error="")
    try:
        summary = _build_drafts(run, facts_source or billable.month_facts)
    except Exception as error:  # the run is marked failed; whole batches already written stay
        logger.exception("invoicing run %s failed", run.pk)
        InvoicingRun.objects.filter(pk=run.pk).update(
            status=InvoicingRun.Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        raise
    InvoicingRun.objects.filter(pk=run.pk).update(status=InvoicingRun.Status.DRAFTED, finished_at=timezone.now())
    return summary


def _month_bounds(year, month):
    first = datetime.date(year, month, 1)
    last = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    return first, last


def _build_drafts(run, facts_source):
    office = run.office
    activity_ids = set(office.activities.values_list("pk", flat=True))
    first, last = _month_bounds(run.year, run.month)
    facts = [
        fact for fact in facts_source(run.year, run.month, activity_ids=sorted(activity_ids))
        if fact.activity_id in activity_ids and first <= fact.day <= last and fact.status not in NOT_INVOICED
        and not fact.prepaid  # a stay paid when booked has its own invoice (billing.stays)
    ]
    by_household = defaultdict(list)
    for fact in facts:
        by_household[fact.household_id].append(fact)
    household_ids = sorted(by_household)
    InvoicingRun.objects.filter(pk=run.pk).update(progress_total=len(household_ids), progress_done=0)

    tariffs = TariffBook(activity_ids)
    ensure_records(household_ids)
    quotients = QuotientBook(household_ids)
    activities = {a.pk: a for a in Activity.objects.filter(pk__in=activity_ids).only("pk", "name")}

    totals = {"invoices": 0, "lines": 0, "skipped": 0, "without_tariff": 0}
    for start in range(0, len(household_ids), BATCH_SIZE):
        batch = household_ids[start:start + BATCH_SIZE]
        counts = _invoice_batch(run, office, batch, by_household, tariffs, quotients, activities)
        for key, value in counts.items():
            totals[key] += value
        InvoicingRun.objects.filter(pk=run.pk).update(
            progress_done=F("progress_done") + len(batch),
            invoices_created=F("invoices_created") + counts["invoices"],
            lines_created=F("lines_created") + counts["lines"],
            facts_skipped=F("facts_skipped") + counts["skipped"],
            facts_without_tariff=F("facts_without_tariff") + counts["without_tariff"],
        )
    return totals


class _Payers:
    """Who pays for which child, per household (loaded once per batch)."""

    def __init__(self, household_ids):
        self.guardians = defaultdict(list)
        for guardian in Guardian.objects.filter(household_id__in=household_ids).select_related("user").order_by("id"):
            self.guardians[guardian.household_id].append(guardian)
        self.pay_rights = set(
            GuardianChildRight.objects.filter(guardian__household_id__in=household_ids, can_pay=True)
            .values_list("guardian_id", "child_id")
        )

    def payer_for(self, fact):
        guardians = self.guardians.get(fact.household_id, [])
        payers = [g for g in guardians if g.is_payer]
        if fact.booked_by_id is not None:
            for guardian in payers:
                if guardian.user_id == fact.booked_by_id and (guardian.id, fact.child_id) in self.pay_rights:
                    return guardian
        for guardian in payers:
            if (guardian.id, fact.child_id) in self.pay_rights:
                return guardian
        if payers:
            return payers[0]
        return guardians[0] if guardians else None


def _describe(activity_name, fact, detail):
    day = fact.day.strftime("%d/%m/%Y")
    if fact.status in SHOWN_FREE:
        note = _("absence justifiée, non facturée")
    elif fact.status in SURCHARGED:
        note = _("présence sans réservation (majorée)")
    elif fact.status == billable.BOOKED_ABSENT:
        note = _("absence non justifiée")
    elif fact.status == billable.CANCELLED_LATE:
        note = _("annulation hors délai")
    else:
        note = ""
    if detail.get("late"):
        note = (note + ", " if note else "") + _("réservation tardive (majorée)")
    if detail.get("medical_plan"):
        note = (note + ", " if note else "") + _("PAI")
    return f"{activity_name} — {day}" + (f" ({note})" if note else "")


def payer_address(household):
    lines = [household.address_line1, household.address_line2, f"{household.postcode} {household.city}".strip()]
    return "\n".join(line for line in lines if line)


def _invoice_batch(run, office, batch, by_household, tariffs, quotients, activities):
    counts = {"invoices": 0, "lines": 0, "skipped": 0, "without_tariff": 0}
    with transaction.atomic():
        # Runs of one office take turns, batch by batch: no fact is read as "not yet
        # invoiced" by two of them at once.
        CollectionOffice.objects.select_for_update().get(pk=office.pk)
        batch_facts = [fact for household_id in batch for fact in by_household[household_id]]
        already = set(
            InvoiceLine.objects.filter(fact_key__in=[f.key for f in batch_facts]).values_list("fact_key", flat=True)
        )
        households = {h.pk: h for h in Household.objects.filter(pk__in=batch)}
        children = list(Child.objects.filter(household_id__in=batch).only("pk", "household_id", "birth_date",
                                                                          "has_medical_plan", "first_name"))
        ranks = ranks_by_child(children)
        child_by_id = {c.pk: c for c in children}
        payers = _Payers(batch)
        drafts = {
            (inv.payer_id): inv
            for inv in Invoice.objects.filter(office=office, year=run.year, month=run.month, enrolment__isnull=True,
                                              household_id__in=batch, status=Invoice.Status.DRAFT)
        }
        finals = set(
            Invoice.objects.filter(office=office, year=run.year, month=run.month, household_id__in=batch,
                                   enrolment__isnull=True)
            .exclude(status=Invoice.Status.DRAFT).values_list("payer_id", flat=True)
        )

        pending = defaultdict(list)  # payer id -> [(fact, Price)]
        payer_objects = {}
        seen_keys = set()
        for fact in batch_facts:
            if fact.key in already or fact.key in seen_keys:
                counts["skipped"] += 1
                continue
            seen_keys.add(fact.key)
            household = households.get(fact.household_id)
            child = child_by_id.get(fact.child_id)
            tariff = tariffs.tariff_for(fact.activity_id, fact.day)
            if household is None or child is None or tariff is None:
                counts["without_tariff"] += 1
                continue
            price = unit_price(
                tariff,
                quotient=quotients.quotient_for(household.pk, fact.day),
                resident=household.is_resident,
                rank=ranks.get(child.pk, 1),
                medical_plan=child.has_medical_plan,
                unbooked=fact.status in SURCHARGED,
                late=fact.booked_late and fact.status not in SURCHARGED,
            )
            if price is None:
                counts["without_tariff"] += 1
                continue
            payer = payers.payer_for(fact)
            if payer is None:
                counts["without_tariff"] += 1
                continue
            payer_objects[payer.pk] = payer
            pending[payer.pk].append((fact, tariff, price))

        # New invoices in one INSERT, then every line in bulk; totals computed here.
        plans = []
        new_invoices = []
        updated = []
        for payer_id, items in pending.items():
            amounts = [Decimal("0") if f.status in SHOWN_FREE else p.unit_price for f, _t, p in items]
            invoice = drafts.get(payer_id)
            if invoice is None:
                if sum(amounts) <= 0:
                    continue  # nothing to charge: no invoice of zero
                payer = payer_objects[payer_id]
                household = households[payer.household_id]
                invoice = Invoice(
                    office=office, run=run, household=household, payer=payer,
                    payer_name=str(payer), payer_address=payer_address(household),
                    payer_email=(payer.user.email if payer.user_id else payer.email) or household.email,
                    year=run.year, month=run.month, is_supplementary=payer_id in finals,
                    total=money(sum(amounts, Decimal("0"))),
                )
                new_invoices.append(invoice)
            else:
                invoice.run = run
                invoice.total = money(invoice.total + sum(amounts, Decimal("0")))
                updated.append(invoice)
            plans.append((invoice, items, amounts))
        Invoice.objects.bulk_create(new_invoices, batch_size=500)
        counts["invoices"] = len(new_invoices)
        new_lines = []
        for invoice, items, amounts in plans:
            for (fact, tariff, price), amount in zip(items, amounts):
                new_lines.append(InvoiceLine(
                    invoice=invoice, fact_key=fact.key, child_id=fact.child_id, activity_id=fact.activity_id,
                    day=fact.day, fact_status=fact.status,
                    description=_describe(activities[fact.activity_id].name, fact, price.detail),
                    quantity=Decimal("1"), unit_price=price.unit_price, amount=money(amount),
                    pricing=dict(price.detail, tariff=tariff.pk, child=child_by_id[fact.child_id].first_name),
                ))
        InvoiceLine.objects.bulk_create(new_lines, batch_size=1000)
        counts["lines"] = len(new_lines)
        if updated:
            Invoice.objects.bulk_update(updated, ["total", "run"], batch_size=500)
    return counts


# --- Cashier review, finalisation ---------------------------------------------------------


def delete_draft(invoice, *, user=None):
    """Delete a draft invoice (its occurrences go back to the next run)."""
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if invoice.status != Invoice.Status.DRAFT:
            raise InvoicingError(_("Une facture émise ne se supprime pas : établissez un avoir."))
        record(AuditEvent.Action.INVOICE, actor=user, household=invoice.household, obj=invoice,
               summary=f"Brouillon de facture supprimé : {invoice.payer_name} {invoice.month:02d}/{invoice.year}",
               before={"total": str(invoice.total)})
        invoice.delete()


def finalise_run(run, *, user=None, now=None, request=None):
    """Number the run's drafts without gaps, make them final and e-mail the payers.
    Returns the number of invoices issued."""
    now = now or timezone.now()
    with transaction.atomic():
        run = InvoicingRun.objects.select_for_update().select_related("office").get(pk=run.pk)
        if run.status != InvoicingRun.Status.DRAFTED:
            raise InvoicingError(_("Seule une campagne dont les brouillons sont prêts peut être émise."))
        drafts = list(
            Invoice.objects.select_for_update().filter(run=run, status=Invoice.Status.DRAFT)
            .select_related("household", "payer").order_by("household__code", "payer_id", "id")
        )
        issued = _issue(run.office, drafts, user=user, now=now, request=request)
        run.status = InvoicingRun.Status.FINALISED
        run.finalised_at = now
        run.save(update_fields=["status", "finalised_at"])
    return issued


def finalise_invoices(invoices, *, user=None, now=None, request=None):
    """Finalise some draft invoices of one office (outside a run, or a run's remainder)."""
    now = now or timezone.now()
    with transaction.atomic():
        drafts = list(
            Invoice.objects.select_for_update().filter(pk__in=[i.pk for i in invoices], status=Invoice.Status.DRAFT)
            .select_related("household", "payer", "office").order_by("household__code", "payer_id", "id")
        )
        offices = {invoice.office_id for invoice in drafts}
        if len(offices) > 1:
            raise InvoicingError(_("Émettez les factures d'une seule régie à la fois."))
        if not drafts:
            return 0
        return _issue(drafts[0].office, drafts, user=user, now=now, request=request)


def _issue(office, drafts, *, user, now, request):
    by_year = defaultdict(list)
    for invoice in drafts:
        by_year[invoice.year].append(invoice)
    local_day = timezone.localtime(now).date()
    due = local_day + datetime.timedelta(days=office.payment_term_days)
    for year in sorted(by_year):
        invoices = by_year[year]
        first = take_numbers(office, NumberSequence.Kind.INVOICE, year, len(invoices))
        for offset, invoice in enumerate(invoices):
            invoice.sequence_number = first + offset
            invoice.number = invoice_number(office, invoice.year, invoice.month, invoice.sequence_number)
            invoice.status = Invoice.Status.ISSUED
            invoice.issued_at = now
            invoice.due_date = due
        Invoice.objects.bulk_update(invoices, ["sequence_number", "number", "status", "issued_at", "due_date"],
                                    batch_size=500)
    for invoice in drafts:
        record(AuditEvent.Action.INVOICE, actor=user, household=invoice.household, obj=invoice, request=request,
               acting_for_family=False, summary=f"Facture émise {invoice.number} : {invoice.total} €",
               after={"number": invoice.number, "total": str(invoice.total), "due_date": str(invoice.due_date)})
    ids = [invoice.pk for invoice in drafts]
    transaction.on_commit(lambda: notify_published(ids))
    return len(drafts)


def notify_published(invoice_ids):
    """E-mail each payer that their invoice is available (optional e-mail)."""
    from .notifications import send_invoice_published

    for invoice in Invoice.objects.filter(pk__in=invoice_ids).select_related("payer__user", "household", "office"):
        send_invoice_published(invoice)


# --- Statuses and credit notes -------------------------------------------------------------


def refresh_status(invoice, *, now=None):
    """Set the status of a final invoice from its amounts (call under the row lock)."""
    if invoice.status == Invoice.Status.DRAFT:
        return invoice.status
    now = now or timezone.now()
    if invoice.amount_credited >= invoice.total and invoice.amount_paid == 0:
        invoice.status = Invoice.Status.CANCELLED
    elif invoice.balance <= 0:
        invoice.status = Invoice.Status.PAID
        invoice.paid_at = invoice.paid_at or now
    elif invoice.amount_paid > 0:
        invoice.status = Invoice.Status.PARTIALLY_PAID
        invoice.paid_at = None
    else:
        invoice.status = Invoice.Status.ISSUED
        invoice.paid_at = None
    return invoice.status


def issue_credit_note(invoice, *, reason, amount=None, lines=(), user=None, now=None, request=None):
    """Correct a final invoice by a numbered credit note: either some of its lines
    (their remaining amount) or a plain amount. The invoice itself is never edited."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise InvoicingError(_("Indiquez le motif de l'avoir."))
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().select_related("office", "household").get(pk=invoice.pk)
        if invoice.status == Invoice.Status.DRAFT:
            raise InvoicingError(_("Un brouillon se corrige directement : l'avoir ne concerne que les factures émises."))
        remaining = invoice.total - invoice.amount_credited
        credit_lines = []
        line_ids = [getattr(line, "pk", line) for line in lines]
        if line_ids:
            invoice_lines = list(InvoiceLine.objects.filter(invoice=invoice, pk__in=line_ids))
            if len(invoice_lines) != len(set(line_ids)):
                raise InvoicingError(_("Une des lignes choisies n'appartient pas à cette facture."))
            credited = dict(
                CreditNoteLine.objects.filter(invoice_line__in=invoice_lines)
                .values("invoice_line").annotate(total=Sum("amount")).values_list("invoice_line", "total")
            )
            for line in invoice_lines:
                left = line.amount - (credited.get(line.pk) or ZERO)
                if left <= 0:
                    raise InvoicingError(_("La ligne « %(line)s » a déjà été créditée.") % {"line": line.description})
                credit_lines.append(CreditNoteLine(invoice_line=line, description=line.description, amount=left))
            total = sum((c.amount for c in credit_lines), ZERO)
        else:
            try:
                total = money(Decimal(str(amount)))
            except Exception as error:
                raise InvoicingError(_("Montant de l'avoir invalide.")) from error
            if total <= 0:
                raise InvoicingError(_("Le montant de l'avoir doit être positif."))
            credit_lines.append(CreditNoteLine(description=reason[:255], amount=total))
        if total > remaining:
            raise InvoicingError(
                _("L'avoir (%(amount)s €) dépasse ce qui reste de la facture (%(left)s €).")
                % {"amount": total, "left": remaining}
            )
        year = timezone.localtime(now).year
        sequence = take_numbers(invoice.office, NumberSequence.Kind.CREDIT_NOTE, year, 1)
        note = CreditNote.objects.create(
            office=invoice.office, invoice=invoice, number=credit_note_number(invoice.office, year, sequence),
            amount=total, reason=reason[:255], created_by=user, created_at=now,
        )
        for line in credit_lines:
            line.credit_note = note
        CreditNoteLine.objects.bulk_create(credit_lines)
        before = {"status": invoice.status, "credited": str(invoice.amount_credited)}
        invoice.amount_credited += total
        refresh_status(invoice, now=now)
        invoice.save(update_fields=["amount_credited", "status", "paid_at"])
        record(AuditEvent.Action.CREDIT_NOTE, actor=user, household=invoice.household, obj=note, request=request,
               acting_for_family=False, summary=f"Avoir {note.number} sur {invoice.number} : {total} €",
               before=before, after={"status": invoice.status, "credited": str(invoice.amount_credited),
                                     "reason": note.reason})
    return note
