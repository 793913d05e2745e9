"""Payments: online through PayFiP, and at the office's desk.

Online (``billing/payfip.py`` speaks the protocol):

1. ``start_online_payment`` checks the payer may pay (the pay right on every child of
   the invoice, an online household, the regulation accepted), writes one
   ``PayfipTransaction`` per attempt with the portal's own amount and reference, calls
   ``creerPaiementSecurise`` and returns the PayFiP page to redirect to. PayFiP down
   or slow: ``PaymentUnavailable`` with a message for the parent; nothing else changes.
2. The notification and the browser's return only say "look at idOp":
   ``check_transaction`` asks ``recupererDetailPaiementSecurise`` and trusts only that
   answer, checked against the transaction row (idOp, amount, reference, client number,
   year; a test-mode answer is refused in production mode).
3. ``apply_result`` locks the transaction row, then the invoice row: a transaction is
   settled once, and a repeated or concurrent notification changes nothing (the
   payment row also points at its transaction through a unique key).
4. ``poll_pending`` re-checks the transactions left pending from 5 minutes to 3 hours
   (lost notifications), every few minutes (the ``portal_periodic_jobs`` hook).

At the desk: ``record_desk_payment`` (cash, cheque with its number and bank, CESU,
holiday cheques), partial payments allowed, never more than the balance. CESU are
refused for activities whose tariff does not accept them (never the canteen) and, where
the tariff sets an age limit (the leisure centre: under 6), for older children.
"""

import datetime
import logging
import secrets
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import record
from accounts.households import PAY, user_can
from accounts.models import AuditEvent, Child
from home.acceptance import acceptance_refusal

from . import payfip, stays
from .invoicing import refresh_status
from .models import ZERO, Invoice, Payment, PayfipExchange, PayfipTransaction, Tariff
from .tariffs import money

logger = logging.getLogger(__name__)

CANCEL_GRACE = datetime.timedelta(minutes=2)  # "A" stays pending for 2 minutes
PENDING_EXPIRY = datetime.timedelta(minutes=120)  # P5 expires after 120 minutes
POLL_MIN_AGE = datetime.timedelta(minutes=5)
POLL_MAX_AGE = datetime.timedelta(hours=3)
MIN_ONLINE = Decimal("1.00")
MAX_ONLINE = Decimal("100000.00")


class PaymentRefused(Exception):
    """A refused payment operation; the message is for the person who asked (French),
    ``code`` a stable word for machines (the family API answers it)."""

    default_code = "payment_refused"

    def __init__(self, message="", code=None):
        super().__init__(message)
        self.code = code or self.default_code


class PaymentUnavailable(PaymentRefused):
    """PayFiP is down or slow: try again later, the invoice stays payable."""

    default_code = "payment_unavailable"


UNAVAILABLE_MESSAGE = gettext_lazy(
    "Le service de paiement en ligne de la DGFiP (PayFiP) ne répond pas pour le moment. "
    "Votre facture n'a pas été payée et reste payable : réessayez dans quelques minutes, "
    "ou réglez-la au guichet de la régie."
)


# --- Who may pay ----------------------------------------------------------------------------


def payment_refusal(user, invoice):
    """None when ``user`` may pay ``invoice`` online, otherwise the reason (French)."""
    reason = payment_refusal_reason(user, invoice)
    return reason[1] if reason else None


def payment_refusal_reason(user, invoice):
    """None when ``user`` may pay ``invoice`` online, otherwise ``(code, message)``: the
    same checks as ``payment_refusal``, with a stable code (``paper_only``,
    ``not_allowed``, ``not_issued``, ``already_paid``, ``invoice_cancelled``,
    ``amount_too_small``, ``amount_too_large``, ``regulation_not_accepted``)."""
    if invoice.household.paper_only:
        return "paper_only", _("Ce foyer a choisi les démarches papier : la facture se règle au guichet de la régie.")
    child_ids = set(invoice.lines.values_list("child_id", flat=True))
    for child in Child.objects.filter(pk__in=child_ids):
        if not user_can(user, child, PAY):
            return "not_allowed", _("Vous n'avez pas le droit de payer pour tous les enfants de cette facture.")
    if invoice.status == Invoice.Status.DRAFT:
        return "not_issued", _("Cette facture n'est pas encore émise.")
    if invoice.status == Invoice.Status.PAID:
        return "already_paid", _("Cette facture est déjà payée.")
    if invoice.status == Invoice.Status.CANCELLED:
        return "invoice_cancelled", _("Cette facture a été annulée par un avoir.")
    if invoice.balance < MIN_ONLINE:
        return "amount_too_small", _("Le paiement en ligne n'est possible qu'à partir de 1 € : réglez ce montant "
                                     "au guichet.")
    if invoice.balance > MAX_ONLINE:
        return "amount_too_large", _("Ce montant dépasse le plafond du paiement en ligne : réglez-le au guichet.")
    refusal = acceptance_refusal(user)
    if refusal:
        return "regulation_not_accepted", refusal
    return None


# --- Raw exchanges --------------------------------------------------------------------------


def _exchange_logger(tx):
    def log(kind, operation, body, http_status):
        PayfipExchange.objects.create(transaction=tx, kind=kind, operation=operation, body=body or "",
                                      http_status=http_status)

    return log


def log_incoming(kind, request, tx=None):
    """Keep a notification or a return as it came (method, query, body)."""
    from django.http.request import RawPostDataException

    body = f"{request.method} {request.get_full_path()}"
    if request.method == "POST":
        try:
            body += "\n" + request.body.decode("utf-8", "replace")[:4000]
        except RawPostDataException:  # a multipart body already parsed
            body += "\n" + request.POST.urlencode()[:4000]
    PayfipExchange.objects.create(transaction=tx, kind=kind, operation=kind, body=body)


# --- Online payment ------------------------------------------------------------------------


def _notify_base(request):
    return (settings.PAYFIP.get("NOTIFY_BASE_URL") or payfip.site_base_url(request)).rstrip("/")


def start_online_payment(user, invoice, *, request=None, now=None):
    """Create the PayFiP payment for the invoice's balance; returns (transaction, URL of
    the PayFiP page). Raises PaymentRefused (not allowed) or PaymentUnavailable."""
    now = now or timezone.now()
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().select_related("household", "office").get(pk=invoice.pk)
        reason = payment_refusal_reason(user, invoice)
        if reason:
            raise PaymentRefused(reason[1], code=reason[0])
        token = secrets.token_urlsafe(24)
        base = _notify_base(request)
        tx = PayfipTransaction.objects.create(
            invoice=invoice, user=user, token=token,
            numcli=settings.PAYFIP["CLIENT_NUMBER"],
            exer=str(timezone.localtime(invoice.issued_at or now).year),
            refdet=invoice.refdet(), amount_cents=payfip.to_cents(invoice.balance),
            mel=user.email, saisie=settings.PAYFIP["MODE"], created_at=now,
        )
    fields = {
        "numcli": tx.numcli, "exer": tx.exer, "refdet": tx.refdet,
        "objet": payfip.clean_objet(f"Facture {invoice.number} {invoice.office.name}"),
        "montant": str(tx.amount_cents), "mel": tx.mel,
        "urlnotif": base + reverse("payfip:notification", args=[tx.token]),
        "urlredirect": base + reverse("payfip:return", args=[tx.token]),
        "saisie": tx.saisie,
    }
    problems = payfip.validate_create_fields(fields)
    if problems:
        _fail(tx, "; ".join(problems))
        raise PaymentRefused(_("Le paiement en ligne n'a pas pu être préparé (%(why)s) : réglez au guichet.")
                             % {"why": ", ".join(problems)})
    try:
        idop = payfip.client(on_exchange=_exchange_logger(tx), request=request).create_payment(**fields)
    except payfip.PayfipUnavailable as error:
        _fail(tx, f"indisponible : {error}")
        raise PaymentUnavailable(str(UNAVAILABLE_MESSAGE)) from error
    except payfip.PayfipFault as fault:
        _fail(tx, f"refus PayFiP {fault.code} : {fault.libelle}")
        raise PaymentUnavailable(
            _("PayFiP a refusé de créer le paiement (code %(code)s). La facture reste payable : "
              "réessayez plus tard ou réglez-la au guichet.") % {"code": fault.code or "?"}
        ) from fault
    PayfipTransaction.objects.filter(pk=tx.pk).update(idop=idop, status=PayfipTransaction.Status.PENDING)
    tx.idop, tx.status = idop, PayfipTransaction.Status.PENDING
    return tx, payfip.payment_page_url(idop, request=request)


def _fail(tx, why):
    PayfipTransaction.objects.filter(pk=tx.pk).update(status=PayfipTransaction.Status.FAILED, anomaly=why[:255])


def _parse_paid_on(details):
    try:
        day = datetime.datetime.strptime(details.get("dattrans", "") + details.get("heurtrans", ""), "%d%m%Y%H%M")
    except ValueError:
        return None
    return timezone.make_aware(day, timezone.get_default_timezone())


def details_mismatch(tx, details):
    """Why PayFiP's answer does not match the transaction row (None: it matches)."""
    expected = {"idOp": tx.idop, "montant": str(tx.amount_cents), "refdet": tx.refdet, "numcli": tx.numcli,
                "exer": tx.exer}
    for name, value in expected.items():
        if (details.get(name) or "") != value:
            return f"{name} reçu {details.get(name)!r}, attendu {value!r}"
    mode = settings.PAYFIP["MODE"]
    if mode == "W" and details.get("saisie") != "W":
        return f"résultat en mode {details.get('saisie')!r} refusé en production"
    if details.get("saisie") and details.get("saisie") != tx.saisie:
        return f"saisie reçue {details.get('saisie')!r}, attendue {tx.saisie!r}"
    return None


def check_transaction(tx, *, now=None, request=None):
    """Ask PayFiP for the result of ``tx`` and apply it; returns the transaction as
    stored afterwards. Raises PaymentUnavailable when PayFiP cannot answer."""
    now = now or timezone.now()
    tx = PayfipTransaction.objects.get(pk=tx.pk)
    if tx.is_final or not tx.idop:
        return tx
    try:
        details = payfip.client(on_exchange=_exchange_logger(tx), request=request).payment_details(tx.idop)
    except payfip.PayfipFault as fault:
        return apply_fault(tx, fault, now=now)
    except payfip.PayfipUnavailable as error:
        PayfipTransaction.objects.filter(pk=tx.pk).update(last_checked_at=now)
        raise PaymentUnavailable(str(UNAVAILABLE_MESSAGE)) from error
    return apply_result(tx, details, now=now, request=request)


def apply_fault(tx, fault, *, now):
    with transaction.atomic():
        tx = PayfipTransaction.objects.select_for_update().get(pk=tx.pk)
        if tx.is_final:
            return tx
        tx.last_checked_at = now
        if fault.code == "P1":
            tx.status = PayfipTransaction.Status.EXPIRED
        elif fault.code == "P5":
            if now - tx.created_at > PENDING_EXPIRY:
                tx.status = PayfipTransaction.Status.EXPIRED
        else:
            tx.anomaly = f"{fault.fault_type} {fault.code} {fault.libelle}"[:255]
        tx.save(update_fields=["status", "last_checked_at", "anomaly", "updated_at"])
    return tx


def apply_result(tx, details, *, now=None, request=None):
    """Apply PayFiP's server-side answer to ``tx`` exactly once (row locks)."""
    now = now or timezone.now()
    settle = False
    with transaction.atomic():
        tx = PayfipTransaction.objects.select_for_update().get(pk=tx.pk)
        if tx.is_final:
            return tx
        tx.last_checked_at = now
        mismatch = details_mismatch(tx, details)
        if mismatch:
            tx.anomaly = mismatch[:255]
            tx.save(update_fields=["anomaly", "last_checked_at", "updated_at"])
            logger.warning("PayFiP answer refused for transaction %s: %s", tx.pk, mismatch)
            return tx
        result = details.get("resultrans", "")
        tx.resultrans = result[:2]
        tx.numauto = (details.get("numauto") or "")[:40]
        tx.paid_on = _parse_paid_on(details)
        if result in ("P", "V"):
            tx.status = PayfipTransaction.Status.PAID
            settle = True
        elif result in ("R", "Z"):
            tx.status = PayfipTransaction.Status.REFUSED
        elif result == "A":
            if tx.paid_on is None or now - tx.paid_on >= CANCEL_GRACE:
                tx.status = PayfipTransaction.Status.CANCELLED
        else:
            tx.anomaly = f"resultrans inconnu {result!r}"
        tx.save(update_fields=["status", "resultrans", "numauto", "paid_on", "last_checked_at", "anomaly",
                               "updated_at"])
        if settle:
            _settle_online(tx, now=now, request=request)
    return tx


def _settle_online(tx, *, now, request):
    invoice = Invoice.objects.select_for_update().select_related("household", "office").get(pk=tx.invoice_id)
    method = Payment.Method.PAYFIP_CARD if tx.resultrans == "P" else Payment.Method.PAYFIP_DEBIT
    payment = Payment.objects.create(
        invoice=invoice, office=invoice.office, household=invoice.household, amount=tx.amount, method=method,
        received_at=tx.paid_on or now, reference=tx.numauto, transaction=tx, recorded_by=None,
    )
    before = {"status": invoice.status, "paid": str(invoice.amount_paid)}
    invoice.amount_paid += tx.amount
    refresh_status(invoice, now=now)
    invoice.save(update_fields=["amount_paid", "status", "paid_at"])
    stays.settled(invoice, now=now, actor=tx.user, request=request)
    record(AuditEvent.Action.PAYMENT, actor=tx.user, household=invoice.household, obj=payment,
           acting_for_family=False, summary=f"Paiement en ligne {payment.amount} € de la facture {invoice.number}",
           before=before, after={"status": invoice.status, "paid": str(invoice.amount_paid),
                                 "method": method, "idop": tx.idop})
    transaction.on_commit(lambda: _receipt(payment.pk))
    return payment


def _receipt(payment_id):
    from .notifications import send_payment_receipt

    send_payment_receipt(Payment.objects.select_related("invoice__payer__user", "invoice__office").get(pk=payment_id))


def transaction_for_token(token):
    return PayfipTransaction.objects.select_related("invoice").filter(token=token).first()


def poll_pending(now=None):
    """Re-check transactions pending for 5 minutes to 3 hours; expire older ones after a
    last check. Returns {status: count} of what was seen."""
    now = now or timezone.now()
    seen = {}
    pending = PayfipTransaction.objects.filter(
        status=PayfipTransaction.Status.PENDING, created_at__lte=now - POLL_MIN_AGE,
    ).order_by("created_at")[:500]
    for tx in pending:
        try:
            tx = check_transaction(tx, now=now)
        except PaymentUnavailable:
            seen["unavailable"] = seen.get("unavailable", 0) + 1
            continue
        if tx.status == PayfipTransaction.Status.PENDING and now - tx.created_at > POLL_MAX_AGE:
            PayfipTransaction.objects.filter(pk=tx.pk, status=PayfipTransaction.Status.PENDING).update(
                status=PayfipTransaction.Status.EXPIRED, anomaly="toujours en attente après 3 heures")
            tx.status = PayfipTransaction.Status.EXPIRED
        seen[tx.status] = seen.get(tx.status, 0) + 1
    return seen


# --- Desk payments --------------------------------------------------------------------------


def cesu_eligible_amount(invoice):
    """The part of the invoice that CESU may pay: lines whose tariff accepts CESU, for
    children under the tariff's age limit on the day charged."""
    lines = list(invoice.lines.select_related("child"))
    tariff_ids = {line.pricing.get("tariff") for line in lines if line.pricing.get("tariff")}
    tariffs = {t.pk: t for t in Tariff.objects.filter(pk__in=tariff_ids)}
    eligible = ZERO
    for line in lines:
        tariff = tariffs.get(line.pricing.get("tariff"))
        if tariff is None or not tariff.accepts_cesu:
            continue
        if tariff.cesu_max_age is not None and _age_on(line.child.birth_date, line.day) >= tariff.cesu_max_age:
            continue
        eligible += line.amount
    return eligible


def _age_on(birth_date, day):
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def record_desk_payment(invoice, *, amount, method, user, received_at=None, cheque_number="", bank="",
                        reference="", note="", request=None):
    """Record money received at the desk for ``invoice`` (partial payments allowed)."""
    received_at = received_at or timezone.now()
    if method not in Payment.DESK_METHODS:
        raise PaymentRefused(_("Moyen de paiement inconnu au guichet."))
    try:
        amount = money(Decimal(str(amount)))
    except (InvalidOperation, ValueError) as error:
        raise PaymentRefused(_("Montant invalide.")) from error
    if amount <= 0:
        raise PaymentRefused(_("Le montant doit être positif."))
    if method == Payment.Method.CHEQUE and not (cheque_number.strip() and bank.strip()):
        raise PaymentRefused(_("Indiquez le numéro du chèque et la banque."))
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().select_related("household", "office").get(pk=invoice.pk)
        if not invoice.is_open:
            raise PaymentRefused(_("Cette facture n'attend pas de paiement (état : %(status)s).")
                                 % {"status": invoice.get_status_display()})
        if amount > invoice.balance:
            raise PaymentRefused(_("Le montant (%(amount)s €) dépasse le reste à payer (%(balance)s €).")
                                 % {"amount": amount, "balance": invoice.balance})
        if method == Payment.Method.CESU:
            eligible = cesu_eligible_amount(invoice)
            already = invoice.payments.filter(method=Payment.Method.CESU).aggregate(s=Sum("amount"))["s"] or ZERO
            if eligible <= 0:
                raise PaymentRefused(_("Les CESU ne sont pas acceptés pour les prestations de cette facture "
                                       "(jamais pour la restauration scolaire ; centre de loisirs : enfants de "
                                       "moins de 6 ans)."))
            if amount + already > eligible:
                raise PaymentRefused(_("Les CESU ne peuvent régler que %(eligible)s € de cette facture "
                                       "(prestations éligibles)." ) % {"eligible": eligible - already})
        payment = Payment.objects.create(
            invoice=invoice, office=invoice.office, household=invoice.household, amount=amount, method=method,
            received_at=received_at, cheque_number=cheque_number.strip(), bank=bank.strip(),
            reference=reference.strip(), note=note.strip(), recorded_by=user,
        )
        before = {"status": invoice.status, "paid": str(invoice.amount_paid)}
        invoice.amount_paid += amount
        refresh_status(invoice, now=received_at)
        invoice.save(update_fields=["amount_paid", "status", "paid_at"])
        stays.settled(invoice, now=received_at, actor=user, request=request)
        record(AuditEvent.Action.PAYMENT, actor=user, household=invoice.household, obj=payment, request=request,
               acting_for_family=True,
               summary=f"Paiement au guichet {amount} € ({payment.get_method_display()}) de la facture "
                       f"{invoice.number}",
               before=before, after={"status": invoice.status, "paid": str(invoice.amount_paid), "method": method})
    return payment


def daily_slip(office, day):
    """The day's desk and online payments of an office, by method, with totals."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    end = start + datetime.timedelta(days=1)
    payments = list(
        Payment.objects.filter(office=office, received_at__gte=start, received_at__lt=end)
        .select_related("invoice", "household", "recorded_by").order_by("method", "received_at", "id")
    )
    by_method = {}
    for payment in payments:
        entry = by_method.setdefault(payment.method, {"method": payment.method, "label": payment.get_method_display(),
                                                      "payments": [],
                                                      "total": ZERO})
        entry["payments"].append(payment)
        entry["total"] += payment.amount
    return {"office": office, "day": day, "methods": list(by_method.values()),
            "total": sum((p.amount for p in payments), ZERO), "count": len(payments)}
