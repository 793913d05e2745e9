"""Demo data of hall hire: terms and slots for both halls, a closure, one approved hire
(the MARTIN household, resident) and one pending request (an association).

Idempotent: terms, slots and closures are matched on their natural keys, the two
requests on (hall, date, slot, requester); a request is created with its occupancy only
when its slot is free. Runs after the services demo (the halls) and the accounts demo
(the families)."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Household, User
from services.models import Hall

from .models import HallClosure, HallHireTerms, HallOccupancy, HallRequest, HallSlot, occupancy_units

T = dt.time

TERMS = {
    "min_notice_days": 15,
    "max_advance_days": 365,
    "hold_days": 15,
    "instructions": "Remise des clés la veille à l'accueil de la mairie, état des lieux à l'arrivée et au départ ; "
                    "la salle est rendue rangée et nettoyée.",
}
SLOTS = [
    # name, start, end, ends n days later, weekdays, order
    ("Journée", T(9, 0), T(18, 0), 0, [0, 1, 2, 3, 4, 5, 6], 1),
    ("Soirée", T(18, 0), T(2, 0), 1, [4, 5], 2),
    ("Week-end", T(10, 0), T(8, 0), 2, [5], 3),
]
CLOSURES = [
    # hall name (None: every hall), first day, last day, reason
    ("Nymphéas", dt.date(2027, 8, 2), dt.date(2027, 8, 22), "Travaux d'été"),
]
APPROVED = {
    "hall": "Nymphéas", "slot": "Journée", "date": dt.date(2027, 6, 12), "requester": "marie.martin@example.org",
    "household": "F-000101",
    "fields": {"requester_kind": HallRequest.RequesterKind.PERSON, "contact_name": "Marie Martin",
               "contact_phone": "06 00 00 01 02", "contact_email": "marie.martin@example.org",
               "event_description": "Anniversaire de Léa", "expected_guests": 60},
}
PENDING = {
    "hall": "Salle de l'Union", "slot": "Soirée", "date": dt.date(2027, 6, 19),
    "requester": "sophie.bernard@example.org",
    "household": None,
    "fields": {"requester_kind": HallRequest.RequesterKind.ASSOCIATION, "association_name": "Les Amis du Quartier",
               "association_number": "W595001234", "association_seat_in_commune": True,
               "contact_name": "Sophie Bernard", "contact_phone": "06 00 00 02 01",
               "contact_email": "sophie.bernard@example.org", "event_description": "Repas associatif",
               "expected_guests": 80},
}


def _request(spec, halls, now, *, approved):
    hall = halls[spec["hall"]]
    slot = HallSlot.objects.get(hall=hall, name=spec["slot"])
    requester = User.objects.filter(email=spec["requester"]).first()
    household = Household.objects.filter(code=spec["household"]).first() if spec["household"] else None
    existing = HallRequest.objects.filter(hall=hall, slot=slot, event_date=spec["date"], requester=requester).first()
    if existing is not None and existing.is_holding:
        return existing
    starts_at, ends_at = slot.interval(spec["date"])
    resident = household.is_resident if household else bool(spec["fields"].get("association_seat_in_commune"))
    values = {
        "starts_at": starts_at, "ends_at": ends_at, "household": household, "resident": resident,
        "price": hall.price_for(resident=resident), "deposit": hall.deposit,
        "first_cancellation_notice_days": hall.first_cancellation_notice_days,
        "first_cancellation_fee_percent": hall.first_cancellation_fee_percent,
        "second_cancellation_notice_days": hall.second_cancellation_notice_days,
        "second_cancellation_fee_percent": hall.second_cancellation_fee_percent,
        "created_at": now, "cancelled_at": None, "cancellation_fee": None, "decision_reason": "",
        **spec["fields"],
    }
    if approved:
        values.update(status=HallRequest.Status.APPROVED, expires_at=None, decided_at=now,
                      decided_by=User.objects.filter(email="agent@example.org").first(),
                      insurance_confirmed_at=now, deposit_status=HallRequest.DepositStatus.RECEIVED,
                      deposit_received_at=now)
    else:
        values.update(status=HallRequest.Status.PENDING, decided_at=None, decided_by=None,
                      expires_at=min(now + dt.timedelta(days=TERMS["hold_days"]), starts_at),
                      deposit_status=HallRequest.DepositStatus.AWAITED, deposit_received_at=None)
    try:
        with transaction.atomic():
            if existing is None:
                hall_request = HallRequest.objects.create(hall=hall, slot=slot, event_date=spec["date"],
                                                          requester=requester, **values)
                hall_request.reference = f"SAL-{now:%Y}-{hall_request.pk:05d}"
                hall_request.save(update_fields=["reference"])
            else:
                HallRequest.objects.filter(pk=existing.pk).update(**values)
                hall_request = HallRequest.objects.get(pk=existing.pk)
            HallOccupancy.objects.bulk_create(
                [HallOccupancy(hall=hall, starts_at=unit, request=hall_request)
                 for unit in occupancy_units(starts_at, ends_at)]
            )
    except IntegrityError:  # the slot is taken by another request of this database: leave it
        return None
    return hall_request


@transaction.atomic
def load(stdout=None, *, now=None):
    """Create or refresh the hall-hire demo; returns the number of rows of each kind."""
    now = now or timezone.now()
    halls = {hall.name: hall for hall in Hall.objects.all()}
    for hall in halls.values():
        HallHireTerms.objects.update_or_create(hall=hall, defaults=TERMS)
        for name, start, end, offset, weekdays, order in SLOTS:
            HallSlot.objects.update_or_create(
                hall=hall, name=name,
                defaults={"start_time": start, "end_time": end, "end_day_offset": offset, "weekdays": weekdays,
                          "order": order, "is_active": True},
            )
    for hall_name, first, last, reason in CLOSURES:
        if hall_name is None or hall_name in halls:
            HallClosure.objects.update_or_create(
                hall=halls.get(hall_name), start_date=first, end_date=last, defaults={"reason": reason}
            )
    requests = 0
    if "Nymphéas" in halls and "Salle de l'Union" in halls:
        requests += _request(APPROVED, halls, now, approved=True) is not None
        requests += _request(PENDING, halls, now, approved=False) is not None
    summary = {
        "slots": HallSlot.objects.count(),
        "closures": HallClosure.objects.count(),
        "requests": requests,
    }
    if stdout is not None:
        stdout.write("Location de salles : " + ", ".join(f"{key} {value}" for key, value in summary.items()) + "\n")
    return summary

