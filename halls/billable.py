"""What billing needs to invoice hall hire (halls computes, billing invoices).

Contract between halls (which owns hall requests) and billing (which owns invoices):

    month_charges(year, month) -> list[HallCharge]

every amount owed for hall hire that falls in that month (Europe/Paris dates):

- ``HIRE``: an approved hire, on its event date, for the price frozen in the request
  (resident or non-resident price of the day of the request);
- ``CANCELLATION_FEE``: a hire cancelled by its requester with a fee (``Hall.cancellation_fee``
  tiers frozen in the request), on the day of the cancellation; a hire cancelled by the
  commune, or a pending request cancelled, owes nothing;
- ``DEPOSIT_KEPT``: the part of a deposit the commune kept (damage, cleaning), on the day
  staff recorded it; the deposit itself is a guarantee, not income.

``key`` is stable (``"hall-hire:<id>"``, ``"hall-cancellation:<id>"``,
``"hall-deposit-kept:<id>"``): a re-run never invoices the same charge twice. A hire
invoiced in advance and later cancelled stops appearing as ``HIRE`` and appears as a
``CANCELLATION_FEE``: billing credits the first with a credit note and invoices the
second. The payer is the requester: ``household_id`` for a private person with a
family file (its payer guardian pays), else ``payer_name`` (the association, or the
person) with ``requester_id`` (the portal account) and ``association_number``.

    charges_for(hall_request) -> list[HallCharge]

the charges of one request (for a staff screen or an invoice line), and

    deposits_held(on=None) -> list[DepositHeld]

the deposits received and not yet returned or kept (for the collection office's
statement).
"""

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from .models import PARIS, HallRequest

HIRE = "hire"
CANCELLATION_FEE = "cancellation_fee"
DEPOSIT_KEPT = "deposit_kept"
KINDS = (HIRE, CANCELLATION_FEE, DEPOSIT_KEPT)


@dataclass(frozen=True)
class HallCharge:
    key: str
    kind: str
    request_id: int
    reference: str
    hall_id: int
    hall_name: str
    day: dt.date  # the day the charge belongs to (event, cancellation, retention)
    event_date: dt.date
    amount: Decimal
    label: str
    requester_id: int | None
    household_id: int | None
    payer_name: str
    association_number: str
    resident: bool


@dataclass(frozen=True)
class DepositHeld:
    request_id: int
    reference: str
    hall_id: int
    event_date: dt.date
    amount: Decimal
    received_on: dt.date
    requester_id: int | None
    household_id: int | None
    payer_name: str


def _local_date(value):
    return timezone.localtime(value, PARIS).date()


def _charge(hall_request, kind, day, amount):
    label = {
        HIRE: f"Location {hall_request.hall.name}, {hall_request.event_date:%d/%m/%Y} ({hall_request.slot.name})",
        CANCELLATION_FEE: f"Frais d'annulation de la location {hall_request.reference}",
        DEPOSIT_KEPT: f"Retenue sur la caution de la location {hall_request.reference}",
    }[kind]
    prefix = {HIRE: "hall-hire", CANCELLATION_FEE: "hall-cancellation", DEPOSIT_KEPT: "hall-deposit-kept"}[kind]
    return HallCharge(
        key=f"{prefix}:{hall_request.pk}",
        kind=kind,
        request_id=hall_request.pk,
        reference=hall_request.reference or "",
        hall_id=hall_request.hall_id,
        hall_name=hall_request.hall.name,
        day=day,
        event_date=hall_request.event_date,
        amount=amount,
        label=label,
        requester_id=hall_request.requester_id,
        household_id=hall_request.household_id,
        payer_name=hall_request.requester_name,
        association_number=hall_request.association_number,
        resident=hall_request.resident,
    )


def charges_for(hall_request):
    """The charges one request gives rise to, whatever the month."""
    charges = []
    if hall_request.status == HallRequest.Status.APPROVED:
        charges.append(_charge(hall_request, HIRE, hall_request.event_date, hall_request.price))
    if (hall_request.status == HallRequest.Status.CANCELLED and hall_request.cancellation_fee
            and not hall_request.cancelled_by_commune):
        charges.append(_charge(hall_request, CANCELLATION_FEE, _local_date(hall_request.cancelled_at),
                               hall_request.cancellation_fee))
    if hall_request.deposit_status == HallRequest.DepositStatus.KEPT and hall_request.deposit_kept_amount:
        charges.append(_charge(hall_request, DEPOSIT_KEPT, _local_date(hall_request.deposit_settled_at),
                               hall_request.deposit_kept_amount))
    return charges


def month_charges(year, month):
    """Every hall-hire charge of that month, ordered by day and key (one query)."""
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    start = dt.datetime.combine(first, dt.time.min, tzinfo=PARIS)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=PARIS)
    candidates = HallRequest.objects.filter(
        Q(status=HallRequest.Status.APPROVED, event_date__range=(first, last))
        | Q(status=HallRequest.Status.CANCELLED, cancelled_at__gte=start, cancelled_at__lt=end,
            cancellation_fee__gt=0, cancelled_by_commune=False)
        | Q(deposit_status=HallRequest.DepositStatus.KEPT, deposit_settled_at__gte=start, deposit_settled_at__lt=end)
    ).select_related("hall", "slot")
    charges = [charge for hall_request in candidates for charge in charges_for(hall_request)
               if first <= charge.day <= last]
    return sorted(charges, key=lambda charge: (charge.day, charge.key))


def deposits_held(on=None):
    """Deposits received and not yet returned or kept (received on or before ``on``)."""
    held = HallRequest.objects.filter(deposit_status=HallRequest.DepositStatus.RECEIVED).select_related("hall")
    rows = []
    for hall_request in held.order_by("event_date", "id"):
        received_on = _local_date(hall_request.deposit_received_at)
        if on is not None and received_on > on:
            continue
        rows.append(DepositHeld(
            request_id=hall_request.pk,
            reference=hall_request.reference or "",
            hall_id=hall_request.hall_id,
            event_date=hall_request.event_date,
            amount=hall_request.deposit,
            received_on=received_on,
            requester_id=hall_request.requester_id,
            household_id=hall_request.household_id,
            payer_name=hall_request.requester_name,
        ))
    return rows
