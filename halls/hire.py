"""The rules of hall hire, in plain functions (the views and the admin only call them).

Who asks. A request is always made by a portal user. For a private person it names
one of the user's households (required when the user has one): the price follows the
household's residence (``Household.is_resident``, checked by the commune); a user
without a household pays the non-resident price. For an association it names the
association (name, SIRET or RNA number, a contact); the resident price applies when the
requester declares the association's seat is in the commune, which staff check against
the number before approving.

Insurance certificate. For a household, the certificate is a supporting document of the
documents area: ``documents.rules.missing_documents(household, None, None, event_date,
hall_hire=True)`` must be empty (valid on the date hired), otherwise the request is
refused with that reason and a link to ``documents:upload``. An association (or a user
without a household) has no family file to hold it: the request is taken, and the
certificate is handed in at the town hall or sent to the service; staff record that
they checked it (``confirm_insurance``) and approval is refused until they have.

Holding a slot. First come, first served: a pending request holds its slot from the
moment it is made, for ``HallHireTerms.hold_days`` (15 days by default, never past the
start of the hire). Staff decide within that time; past it the request expires, the slot
is released and the requester is told (``expire_lapsed``, a periodic job, also run
before every new request on the hall).

Never twice. While a request is pending or approved it holds one ``HallOccupancy`` row
per 30-minute unit of its slot, under a unique constraint on (hall, unit): two requests
for overlapping slots cannot both be written, whether they arrive one after the other or
at the same instant, on SQLite or on PostgreSQL. Refusal, cancellation and expiry delete
those rows. Every change of state is a conditional UPDATE on the expected state, so two
staff members deciding at once make one transition.

Cancellation. The requester may cancel a pending request free of charge, and an
approved hire with the fee of ``services.Hall.cancellation_fee`` applied to the price
and tiers frozen in the request (30 and 10 days before in the demo commune); the fee is
shown before confirming. Staff may cancel for the commune, without fee, with a reason.

Every operation writes its audit event in the same transaction (HALL_REQUEST,
HALL_DECISION, CANCELLATION) and e-mails the requester once the transaction commits.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import record
from accounts.households import households_for
from accounts.models import AuditEvent

from .identifiers import is_valid_association_number, normalize_association_number
from .models import PARIS, HallClosure, HallOccupancy, HallRequest, occupancy_units, terms_for

Status = HallRequest.Status
Kind = HallRequest.RequesterKind
Deposit = HallRequest.DepositStatus
Action = AuditEvent.Action

DECIDE_PERMISSION = "halls.decide_hallrequest"
DEPOSIT_PERMISSION = "halls.manage_hall_deposit"


class HireRefused(Exception):
    """A rule refuses the operation; ``message`` is for the user (in the active language)."""

    def __init__(self, message, *, code="refused", missing_documents=(), household=None, day=None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.missing_documents = list(missing_documents)
        # For a missing document: whose and for which date (the upload links).
        self.household = household
        self.day = day


@dataclass
class RequesterDetails:
    """What the requester fills in (the form's cleaned data)."""

    kind: str = Kind.PERSON
    household: object = None
    association_name: str = ""
    association_number: str = ""
    association_seat_in_commune: bool = False
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    event_description: str = ""
    expected_guests: int = 0


@dataclass
class FeeTier:
    first_day: dt.date | None  # cancelling from this day (None: from the request)...
    last_day: dt.date  # ...up to this day included
    percent: Decimal
    amount: Decimal


@dataclass
class Quote:
    """What the requester sees before confirming: the hire as it would be written."""

    hall_request: HallRequest
    fee_tiers: list = field(default_factory=list)
    insurance_to_hand_in: bool = False
    instructions: str = ""

    @property
    def price(self):
        return self.hall_request.price

    @property
    def deposit(self):
        return self.hall_request.deposit

    @property
    def resident(self):
        return self.hall_request.resident


def euros(value):
    """An amount as the user reads it: "550,00 €" (French), "550.00 €" (English)."""
    from django.utils import formats

    return f"{formats.number_format(Decimal(value), 2, use_l10n=True)} €"


def _now(now):
    return now if now is not None else timezone.now()


def _today(now):
    return timezone.localtime(now, PARIS).date()


# --- Who sees what ---------------------------------------------------------------------


def requests_for(user):
    """The requests a portal user sees: the ones they made (another user's gives 404)."""
    if user is None or not user.is_authenticated:
        return HallRequest.objects.none()
    return HallRequest.objects.filter(requester=user)


# --- Documents -------------------------------------------------------------------------


def missing_insurance(household, on):
    """Names of the required hall-hire documents the household lacks on ``on``."""
    from documents.rules import missing_documents

    return list(missing_documents(household, None, None, on, hall_hire=True))


def insurance_ok(hall_request, *, on=None):
    """Whether the insurance certificate is in order for the hire."""
    if not hall_request.hall.insurance_required or hall_request.insurance_confirmed:
        return True
    if hall_request.household_id is None:
        return False
    return not missing_insurance(hall_request.household, on or hall_request.event_date)


# --- Building and checking a request ----------------------------------------------------


def _closures(hall, first_day, last_day):
    return HallClosure.objects.filter(Q(hall=hall) | Q(hall__isnull=True),
                                      start_date__lte=last_day, end_date__gte=first_day)


def _gate(user):
    from home.acceptance import acceptance_refusal

    refusal = acceptance_refusal(user)
    if refusal:
        raise HireRefused(str(refusal), code="regulation")


def _resolve_requester(user, details):
    """(household, resident) for the request, or HireRefused."""
    if details.kind == Kind.ASSOCIATION:
        number = normalize_association_number(details.association_number)
        if not details.association_name.strip() or not is_valid_association_number(number):
            raise HireRefused(_("Indiquez le nom de l'association et un numéro SIRET (14 chiffres) ou RNA "
                                "(W suivi de 9 caractères) valide."), code="association")
        return None, bool(details.association_seat_in_commune)
    if details.kind != Kind.PERSON:
        raise HireRefused(_("Choisissez qui fait la demande."), code="kind")
    own = list(households_for(user))
    if details.household is None:
        if own:
            raise HireRefused(_("Choisissez le foyer pour lequel vous demandez la salle."), code="household")
        return None, False
    household = next((h for h in own if h.pk == getattr(details.household, "pk", None)), None)
    if household is None:
        raise HireRefused(_("Ce foyer n'est pas le vôtre."), code="household")
    if household.paper_only:
        raise HireRefused(_("Ce foyer a choisi les démarches papier : adressez votre demande au service de la "
                            "commune."), code="paper_only")
    return household, bool(household.is_resident)


def build_request(user, hall, slot, day, details, *, now=None):
    """The unsaved request for these choices, every rule checked; HireRefused otherwise."""
    now = _now(now)
    if user is None or not user.is_authenticated or not user.is_active:
        raise HireRefused(_("Connectez-vous pour demander une salle."), code="login")
    _gate(user)
    if not hall.is_active:
        raise HireRefused(_("Cette salle n'est pas proposée à la location."), code="hall")
    if slot is None or slot.hall_id != hall.pk or not slot.is_active:
        raise HireRefused(_("Ce créneau n'est pas proposé pour cette salle."), code="slot")
    if not slot.starts_on(day):
        raise HireRefused(_("Le créneau « %(slot)s » n'est pas proposé ce jour-là.") % {"slot": slot.name},
                          code="weekday")
    household, resident = _resolve_requester(user, details)

    terms = terms_for(hall)
    today = _today(now)
    starts_at, ends_at = slot.interval(day)
    if starts_at <= now or day < today:
        raise HireRefused(_("Cette date est passée."), code="past")
    if (day - today).days < terms.min_notice_days:
        raise HireRefused(
            _("Une demande doit être faite au moins %(days)s jours avant la date louée.")
            % {"days": terms.min_notice_days},
            code="notice",
        )
    if (day - today).days > terms.max_advance_days:
        raise HireRefused(
            _("Les demandes ne sont ouvertes que %(days)s jours à l'avance.") % {"days": terms.max_advance_days},
            code="advance",
        )
    closure = _closures(hall, day, slot.last_day(day)).first()
    if closure is not None:
        raise HireRefused(_("La salle est fermée à cette date : %(reason)s.") % {"reason": closure.reason},
                          code="closed")
    guests = details.expected_guests or 0
    if guests < 1:
        raise HireRefused(_("Indiquez le nombre de personnes attendues."), code="guests")
    if guests > hall.capacity:
        raise HireRefused(
            _("La salle accueille au plus %(capacity)s personnes.") % {"capacity": hall.capacity}, code="capacity"
        )
    if household is not None and hall.insurance_required:
        missing = missing_insurance(household, day)
        if missing:
            raise HireRefused(
                _("Il manque une pièce en règle pour la date louée : %(names)s.") % {"names": ", ".join(missing)},
                code="documents",
                missing_documents=missing,
                household=household,
                day=day,
            )

    hall_request = HallRequest(
        hall=hall,
        slot=slot,
        event_date=day,
        starts_at=starts_at,
        ends_at=ends_at,
        requester=user,
        requester_kind=details.kind,
        household=household,
        resident=resident,
        association_name=details.association_name.strip() if details.kind == Kind.ASSOCIATION else "",
        association_number=(normalize_association_number(details.association_number)
                            if details.kind == Kind.ASSOCIATION else ""),
        association_seat_in_commune=bool(details.association_seat_in_commune) and details.kind == Kind.ASSOCIATION,
        contact_name=details.contact_name.strip(),
        contact_phone=details.contact_phone.strip(),
        contact_email=details.contact_email.strip(),
        event_description=details.event_description.strip(),
        expected_guests=guests,
        price=hall.price_for(resident=resident),
        deposit=hall.deposit,
        first_cancellation_notice_days=hall.first_cancellation_notice_days,
        first_cancellation_fee_percent=hall.first_cancellation_fee_percent,
        second_cancellation_notice_days=hall.second_cancellation_notice_days,
        second_cancellation_fee_percent=hall.second_cancellation_fee_percent,
        status=Status.PENDING,
        created_at=now,
        expires_at=min(now + dt.timedelta(days=terms.hold_days), starts_at),
    )
    if not hall_request.contact_name or not hall_request.contact_phone or not hall_request.contact_email:
        raise HireRefused(_("Indiquez une personne à contacter, son téléphone et son adresse e-mail."),
                          code="contact")
    if not hall_request.event_description:
        raise HireRefused(_("Indiquez la nature de l'événement."), code="event")
    return hall_request


def slot_taken(hall, starts_at, ends_at, *, now=None, exclude_request=None):
    """Whether a pending (not lapsed) or approved request holds part of that time."""
    now = _now(now)
    units = occupancy_units(starts_at, ends_at)
    held = HallOccupancy.objects.filter(hall=hall, starts_at__in=units).filter(
        Q(request__status=Status.APPROVED) | Q(request__status=Status.PENDING, request__expires_at__gt=now)
    )
    if exclude_request is not None:
        held = held.exclude(request=exclude_request)
    return held.exists()


def fee_tiers(hall_request):
    """The cancellation fee tiers of a hire, computed with ``Hall.cancellation_fee``."""
    terms = hall_request.fee_terms_hall()
    event = hall_request.event_date
    first, second = hall_request.first_cancellation_notice_days, hall_request.second_cancellation_notice_days

    def fee_on(day):
        return terms.cancellation_fee(event_date=event, cancelled_on=day, resident=hall_request.resident)

    free_until = event - dt.timedelta(days=first)
    partial_until = event - dt.timedelta(days=second)
    return [
        FeeTier(None, free_until, Decimal("0"), fee_on(free_until)),
        FeeTier(free_until + dt.timedelta(days=1), partial_until, hall_request.first_cancellation_fee_percent,
                fee_on(partial_until)),
        FeeTier(partial_until + dt.timedelta(days=1), event, hall_request.second_cancellation_fee_percent,
                fee_on(event)),
    ]


def quote(user, hall, slot, day, details, *, now=None):
    """What the request would be (price, deposit, fees) — nothing is written."""
    now = _now(now)
    hall_request = build_request(user, hall, slot, day, details, now=now)
    if slot_taken(hall, hall_request.starts_at, hall_request.ends_at, now=now):
        raise HireRefused(_("Ce créneau n'est plus libre : la salle est déjà demandée ou réservée sur ce créneau."),
                          code="taken")
    return Quote(
        hall_request=hall_request,
        fee_tiers=fee_tiers(hall_request),
        insurance_to_hand_in=hall.insurance_required and hall_request.household_id is None,
        instructions=terms_for(hall).instructions,
    )


def create_request(user, hall, slot, day, details, *, now=None, request=None):
    """Write the request and hold its slot, or raise HireRefused (then nothing is written)."""
    now = _now(now)
    with transaction.atomic():
        expire_lapsed(now=now, hall=hall)
        hall_request = build_request(user, hall, slot, day, details, now=now)
        if slot_taken(hall, hall_request.starts_at, hall_request.ends_at, now=now):
            raise HireRefused(_("Ce créneau n'est plus libre : la salle est déjà demandée ou réservée sur ce "
                                "créneau."), code="taken")
        hall_request.save()
        hall_request.reference = f"SAL-{hall_request.created_at:%Y}-{hall_request.pk:05d}"
        hall_request.save(update_fields=["reference"])
        units = occupancy_units(hall_request.starts_at, hall_request.ends_at)
        try:
            with transaction.atomic():
                HallOccupancy.objects.bulk_create(
                    [HallOccupancy(hall=hall, starts_at=unit, request=hall_request) for unit in units]
                )
        except IntegrityError:
            # Another request took (part of) the slot at the same instant.
            raise HireRefused(_("Ce créneau vient d'être demandé par quelqu'un d'autre : choisissez-en un autre."),
                              code="taken") from None
        record(
            Action.HALL_REQUEST,
            actor=user,
            household=hall_request.household,
            obj=hall_request,
            request=request,
            acting_for_family=False,
            summary=f"Demande {hall_request.reference} : {hall} le {day:%d/%m/%Y} ({slot.name})",
            after=_snapshot(hall_request),
        )
        _after_commit(_notify_requester, hall_request.pk, "halls_request_received")
        _after_commit(_notify_staff, hall_request.pk)
    return hall_request


# --- Decisions by staff -----------------------------------------------------------------


def _require(staff, permission):
    if staff is None or not staff.is_active or not staff.has_perm(permission):
        raise PermissionDenied


def _locked(hall_request):
    """The request re-read inside the transaction (row-locked on PostgreSQL)."""
    return HallRequest.objects.select_for_update(of=("self",)).select_related("hall", "slot", "household").get(
        pk=hall_request.pk
    )


def _transition(hall_request, expected, **changes):
    """Conditional UPDATE: apply ``changes`` only if the request is still in ``expected``."""
    if isinstance(expected, str):
        expected = [expected]
    changed = HallRequest.objects.filter(pk=hall_request.pk, status__in=expected).update(**changes)
    if not changed:
        raise HireRefused(_("Cette demande a changé entre-temps : rechargez la page."), code="stale")
    for name, value in changes.items():
        setattr(hall_request, name, value)


def approve(hall_request, staff, *, note="", now=None, request=None):
    """Approve a pending request: its slot is already held; the requester is told."""
    _require(staff, DECIDE_PERMISSION)
    now = _now(now)
    with transaction.atomic():
        current = _locked(hall_request)
        if current.status != Status.PENDING:
            raise HireRefused(_("Seule une demande en attente peut être acceptée (état : %(status)s).")
                              % {"status": current.get_status_display()}, code="status")
        if current.expires_at is not None and current.expires_at <= now:
            raise HireRefused(_("Cette demande a expiré : le créneau n'est plus réservé pour elle."), code="expired")
        if current.starts_at <= now:
            raise HireRefused(_("La date de cette location est passée."), code="past")
        if not insurance_ok(current):
            raise HireRefused(_("L'attestation d'assurance n'est pas vérifiée : enregistrez-la avant d'accepter."),
                              code="insurance")
        expected_units = len(occupancy_units(current.starts_at, current.ends_at))
        if current.occupancy.count() != expected_units:  # the invariant: a pending request holds its slot
            raise HireRefused(_("Le créneau de cette demande n'est plus réservé pour elle."), code="slot_lost")
        _transition(current, Status.PENDING, status=Status.APPROVED, decided_at=now, decided_by=staff,
                    decision_reason=note.strip(), expires_at=None)
        record(Action.HALL_DECISION, actor=staff, household=current.household, obj=current, request=request,
               summary=f"Location {current.reference} acceptée",
               before={"status": Status.PENDING}, after={"status": Status.APPROVED, "note": note.strip()})
        _after_commit(_notify_requester, current.pk, "halls_request_approved")
    return current


def refuse(hall_request, staff, reason, *, now=None, request=None):
    """Refuse a pending request with a reason; its slot is released."""
    _require(staff, DECIDE_PERMISSION)
    now = _now(now)
    reason = (reason or "").strip()
    if not reason:
        raise HireRefused(_("Indiquez le motif du refus : il est envoyé au demandeur."), code="reason")
    with transaction.atomic():
        current = _locked(hall_request)
        if current.status != Status.PENDING:
            raise HireRefused(_("Seule une demande en attente peut être refusée (état : %(status)s).")
                              % {"status": current.get_status_display()}, code="status")
        _transition(current, Status.PENDING, status=Status.REFUSED, decided_at=now, decided_by=staff,
                    decision_reason=reason, expires_at=None)
        HallOccupancy.objects.filter(request=current).delete()
        record(Action.HALL_DECISION, actor=staff, household=current.household, obj=current, request=request,
               summary=f"Location {current.reference} refusée",
               before={"status": Status.PENDING}, after={"status": Status.REFUSED, "reason": reason})
        _after_commit(_notify_requester, current.pk, "halls_request_refused")
    return current


def confirm_insurance(hall_request, staff, *, now=None, request=None):
    """Record that staff checked the insurance certificate handed in for the hire."""
    _require(staff, DECIDE_PERMISSION)
    now = _now(now)
    with transaction.atomic():
        current = _locked(hall_request)
        if current.status not in HallRequest.HOLDING_STATUSES:
            raise HireRefused(_("Cette demande n'est plus en cours."), code="status")
        if current.insurance_confirmed:
            raise HireRefused(_("L'attestation d'assurance est déjà enregistrée."), code="already")
        changed = HallRequest.objects.filter(pk=current.pk, insurance_confirmed_at__isnull=True).update(
            insurance_confirmed_at=now, insurance_confirmed_by=staff
        )
        if not changed:
            raise HireRefused(_("Cette demande a changé entre-temps : rechargez la page."), code="stale")
        current.insurance_confirmed_at, current.insurance_confirmed_by = now, staff
        record(Action.HALL_DECISION, actor=staff, household=current.household, obj=current, request=request,
               summary=f"Attestation d'assurance vérifiée pour {current.reference}",
               before={"insurance_confirmed": False}, after={"insurance_confirmed": True})
    return current


def cancel_by_commune(hall_request, staff, reason, *, now=None, request=None):
    """Staff cancel a pending or approved hire for the commune: no fee, a reason."""
    _require(staff, DECIDE_PERMISSION)
    now = _now(now)
    reason = (reason or "").strip()
    if not reason:
        raise HireRefused(_("Indiquez le motif de l'annulation : il est envoyé au demandeur."), code="reason")
    with transaction.atomic():
        current = _locked(hall_request)
        if current.status not in HallRequest.HOLDING_STATUSES:
            raise HireRefused(_("Cette demande n'est plus en cours."), code="status")
        before = current.status
        _transition(current, HallRequest.HOLDING_STATUSES, status=Status.CANCELLED, cancelled_at=now,
                    cancelled_by=staff, cancelled_by_commune=True, cancellation_reason=reason,
                    cancellation_fee=Decimal("0.00"), expires_at=None)
        HallOccupancy.objects.filter(request=current).delete()
        record(Action.HALL_DECISION, actor=staff, household=current.household, obj=current, request=request,
               summary=f"Location {current.reference} annulée par la commune",
               before={"status": before}, after={"status": Status.CANCELLED, "reason": reason, "fee": "0.00"})
        _after_commit(_notify_requester, current.pk, "halls_cancelled_by_commune")
    return current


# --- Cancellation by the requester ------------------------------------------------------


def cancellation_fee_for(hall_request, *, now=None):
    """The fee owed if the requester cancelled now: none while pending, the tier's otherwise."""
    if hall_request.status != Status.APPROVED:
        return Decimal("0.00")
    return hall_request.fee_terms_hall().cancellation_fee(
        event_date=hall_request.event_date, cancelled_on=_today(_now(now)), resident=hall_request.resident
    )


def check_cancellable(hall_request, user, *, now=None):
    now = _now(now)
    if user is None or hall_request.requester_id != user.pk:
        raise PermissionDenied
    _gate(user)
    if hall_request.status not in HallRequest.HOLDING_STATUSES:
        raise HireRefused(_("Cette demande n'est plus en cours : elle ne peut pas être annulée."), code="status")
    if hall_request.household_id and hall_request.household.paper_only:
        raise HireRefused(_("Ce foyer a choisi les démarches papier : adressez votre demande au service de la "
                            "commune."), code="paper_only")
    if hall_request.starts_at <= now:
        raise HireRefused(_("La location a commencé ou est passée : elle ne peut plus être annulée en ligne."),
                          code="past")


def cancel_by_requester(hall_request, user, *, now=None, request=None):
    """The requester cancels; the fee (shown before) is frozen in the request."""
    now = _now(now)
    with transaction.atomic():
        current = _locked(hall_request)
        check_cancellable(current, user, now=now)
        fee = cancellation_fee_for(current, now=now)
        before = current.status
        _transition(current, before, status=Status.CANCELLED, cancelled_at=now, cancelled_by=user,
                    cancelled_by_commune=False, cancellation_fee=fee, expires_at=None)
        HallOccupancy.objects.filter(request=current).delete()
        record(Action.CANCELLATION, actor=user, household=current.household, obj=current, request=request,
               acting_for_family=False,
               summary=f"Location {current.reference} annulée par le demandeur (frais {fee} €)",
               before={"status": before}, after={"status": Status.CANCELLED, "fee": str(fee)})
        _after_commit(_notify_requester, current.pk, "halls_request_cancelled")
    return current


# --- Deposit --------------------------------------------------------------------------


def record_deposit(hall_request, staff, action, *, kept_amount=None, note="", now=None, request=None):
    """``action``: "received", "returned" or "kept" (with an amount up to the deposit and a
    reason; a partial retention returns the rest)."""
    _require(staff, DEPOSIT_PERMISSION)
    now = _now(now)
    note = (note or "").strip()
    with transaction.atomic():
        current = _locked(hall_request)
        before = current.deposit_status
        if action == "received":
            if current.status not in HallRequest.HOLDING_STATUSES:
                raise HireRefused(_("La caution se remet pour une location en cours."), code="status")
            expected, changes = Deposit.AWAITED, {"deposit_status": Deposit.RECEIVED, "deposit_received_at": now}
            summary = f"Caution reçue pour {current.reference}"
        elif action == "returned":
            expected, changes = Deposit.RECEIVED, {"deposit_status": Deposit.RETURNED, "deposit_settled_at": now}
            summary = f"Caution restituée pour {current.reference}"
        elif action == "kept":
            try:
                amount = Decimal(str(kept_amount)).quantize(Decimal("0.01"))
            except (ArithmeticError, ValueError, TypeError):
                amount = None
            if amount is None or amount <= 0 or amount > current.deposit:
                raise HireRefused(_("Le montant retenu doit être positif et ne pas dépasser la caution (%(deposit)s).")
                                  % {"deposit": euros(current.deposit)}, code="amount")
            if not note:
                raise HireRefused(_("Indiquez le motif de la retenue : il est envoyé au demandeur."), code="reason")
            expected = Deposit.RECEIVED
            changes = {"deposit_status": Deposit.KEPT, "deposit_settled_at": now, "deposit_kept_amount": amount,
                       "deposit_note": note}
            summary = f"Caution retenue ({amount} €) pour {current.reference}"
        else:
            raise HireRefused(_("Opération inconnue."), code="action")
        if before != expected:
            raise HireRefused(_("La caution est %(status)s : cette opération n'est pas possible.")
                              % {"status": current.get_deposit_status_display()}, code="deposit_status")
        changed = HallRequest.objects.filter(pk=current.pk, deposit_status=expected).update(**changes)
        if not changed:
            raise HireRefused(_("Cette demande a changé entre-temps : rechargez la page."), code="stale")
        for name, value in changes.items():
            setattr(current, name, value)
        record(Action.HALL_DECISION, actor=staff, household=current.household, obj=current, request=request,
               summary=summary, before={"deposit_status": before},
               after={key: (str(value) if isinstance(value, (Decimal, dt.datetime)) else value)
                      for key, value in changes.items()})
        if action in ("returned", "kept"):
            _after_commit(_notify_requester, current.pk, "halls_deposit_settled")
    return current


# --- Expiry (periodic job) --------------------------------------------------------------


def expire_lapsed(*, now=None, hall=None):
    """Expire the pending requests whose hold has lapsed and release their slots.
    Idempotent; returns the number of requests expired."""
    now = _now(now)
    lapsed = HallRequest.objects.filter(status=Status.PENDING, expires_at__lte=now)
    if hall is not None:
        lapsed = lapsed.filter(hall=hall)
    count = 0
    for hall_request in lapsed.select_related("household"):
        with transaction.atomic():
            changed = HallRequest.objects.filter(pk=hall_request.pk, status=Status.PENDING).update(
                status=Status.EXPIRED, decided_at=now
            )
            if not changed:
                continue
            HallOccupancy.objects.filter(request=hall_request).delete()
            record(Action.HALL_DECISION, actor=None, household=hall_request.household, obj=hall_request,
                   acting_for_family=False,
                   summary=f"Demande {hall_request.reference} expirée sans décision",
                   before={"status": Status.PENDING}, after={"status": Status.EXPIRED})
            _after_commit(_notify_requester, hall_request.pk, "halls_request_expired")
            count += 1
    return count


# --- Trail and e-mails ------------------------------------------------------------------


def _snapshot(hall_request):
    return {
        "reference": hall_request.reference,
        "hall": hall_request.hall.name,
        "slot": hall_request.slot.name,
        "date": hall_request.event_date.isoformat(),
        "requester_kind": hall_request.requester_kind,
        "association": hall_request.association_name,
        "association_number": hall_request.association_number,
        "resident": hall_request.resident,
        "price": str(hall_request.price),
        "deposit": str(hall_request.deposit),
        "status": hall_request.status,
    }


def _after_commit(function, *args):
    transaction.on_commit(lambda: function(*args))


def detail_url(hall_request):
    """The absolute URL of the request's screen on the portal (None without a hall-hire page)."""
    from .views import hall_service_page

    page = hall_service_page()
    if page is None:
        return None
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    screen = reverse("request_detail", urlconf="halls.urls_embedded", kwargs={"pk": hall_request.pk}).lstrip("/")
    url = page.get_url() + page.reverse_subpage("screens", kwargs={"screen_path": screen})
    return url if url.startswith("http") else base + url


def email_context(hall_request):
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    return {
        "hall_request": hall_request,
        "hall": hall_request.hall,
        "slot": hall_request.slot,
        "fee_tiers": fee_tiers(hall_request),
        "detail_url": detail_url(hall_request),
        "admin_url": base + reverse("halls_hallrequest:inspect", args=[hall_request.pk]),
        "kept_amount": hall_request.deposit_kept_amount,
        "returned_amount": hall_request.deposit - hall_request.deposit_kept_amount,
    }


def _notify_requester(request_id, template):
    from portal.notifications import notify

    hall_request = HallRequest.objects.select_related("hall", "slot", "requester").get(pk=request_id)
    user = hall_request.requester
    recipients = [address for address in {getattr(user, "email", ""), hall_request.contact_email} if address]
    if template == "halls_request_received":
        from accounts.preferences import BOOKING_CONFIRMATION, wants_email

        if user is not None and not wants_email(user, BOOKING_CONFIRMATION):
            return None
    language = getattr(user, "preferred_language", None) or settings.LANGUAGE_CODE
    return notify(sorted(recipients), template, email_context(hall_request), language=language)


def _notify_staff(request_id):
    from portal.notifications import notify

    address = getattr(settings, "HALLS_STAFF_EMAIL", "")
    if not address:
        return None
    hall_request = HallRequest.objects.select_related("hall", "slot").get(pk=request_id)
    return notify(address, "halls_staff_new_request", email_context(hall_request), language=settings.LANGUAGE_CODE)
