"""Enrolment (inscription): a child admitted to an activity for a period.

Every screen (the parent's, the admin's, the family API) goes through these functions:

- ``periods_for(activity, today)``: the periods a family may ask for.
- ``eligibility_refusal(child, activity, start, level)``: age and class level.
- ``request_enrolment(user, child, activity, *, now, ...)``: the request, with the
  documents, capacity and waiting-list rules; immediately active when the activity
  needs no agent's validation. ``preview_request(...)``: what it would give (the same
  checks, nothing written), for the parent to read before confirming.
- ``decide(agent, enrolment, *, accept, ...)``: an agent's validation or refusal; for a
  school enrolment, the first decision registers the child (the commune), the second
  admits it (the school).
- ``withdraw(user, enrolment, *, now)``: the family (or an agent) withdraws; the first
  on the waiting list takes the place at once and is told.
- ``record_prepayment(enrolment, *, reference, now)``: the hand-off with billing for
  stays paid when booked (see the README).

Capacity of a yearly course, a stay or a school is on the enrolment period
(``PlaceCounter`` of scope ``enrolment``); daily activities have theirs on each day.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.audit import record
from accounts.models import AuditEvent

from . import notices, places
from .bookings import stay_days
from .models import Activity, Booking, Enrolment, PlaceCounter, SchoolYear
from .rules import (
    Refusal,
    actor_for,
    age_on,
    documents_refusal,
    format_day,
    is_agent,
    local_date,
    missing_documents_for,
)

ENROLMENT_PERMISSION = "services.change_enrolment"
Status = Enrolment.Status


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str


# Periods and eligibility -------------------------------------------------------------

def school_year_periods(today):
    """The school years not yet over (at most two), each extended to the summer
    holidays attached to it, so that holiday activities are covered too."""
    from django.db.models import Max, Q

    periods = []
    years = (SchoolYear.objects.filter(end_date__gte=today - dt.timedelta(days=92))
             .annotate(last_holiday=Max("periods__end_date", filter=Q(periods__kind="school_holiday")))
             .order_by("start_date"))
    for year in years:
        end = max(year.end_date, year.last_holiday or year.end_date)
        if end < today:
            continue
        periods.append(Period(year.start_date, end, _("année scolaire %(label)s") % {"label": year.label}))
    if not periods:
        periods.append(Period(today, today + dt.timedelta(days=364), _("pour un an")))
    return periods[:2]


def periods_for(activity, today, school_periods=None):
    """The periods open for enrolment: the activity's own dates (a stay, a course
    season) while they have not ended, otherwise the school years not yet over
    (``school_periods``: their preloaded list, to avoid a query per activity)."""
    if activity.start_date and activity.end_date:
        if activity.end_date < today:
            return []
        label = _("du %(start)s au %(end)s") % {"start": format_day(activity.start_date),
                                                "end": format_day(activity.end_date)}
        return [Period(activity.start_date, activity.end_date, label)]
    return list(school_year_periods(today) if school_periods is None else school_periods)


def eligibility_refusal(child, activity, start, requested_level=""):
    """A ``Refusal`` when the child's age (on the first day of the period) or class
    level does not fit the activity, else None."""
    age = age_on(child.birth_date, start)
    if not activity.admits_age(age):
        if activity.min_age is not None and activity.max_age is not None:
            bounds = _("de %(min)s à %(max)s ans") % {"min": activity.min_age, "max": activity.max_age}
        elif activity.min_age is not None:
            bounds = _("à partir de %(min)s ans") % {"min": activity.min_age}
        else:
            bounds = _("jusqu'à %(max)s ans") % {"max": activity.max_age}
        return Refusal("not_eligible_age", _("Cette activité accueille les enfants %(bounds)s ; %(name)s aura "
                                              "%(age)s ans le %(day)s.") % {
            "bounds": bounds, "name": child.first_name, "age": age, "day": format_day(start)})
    level = requested_level if activity.shape == Activity.Shape.SCHOOL_ENROLMENT else child.class_level
    if activity.shape == Activity.Shape.SCHOOL_ENROLMENT and not requested_level:
        return Refusal("level_required", _("Indiquez la classe demandée."))
    if not activity.admits_class_level(level):
        return Refusal("not_eligible_level", _("Cette activité n'est pas ouverte à la classe de %(name)s.")
                       % {"name": child.first_name})
    return None


# Queries -----------------------------------------------------------------------------

def open_enrolment(child, activity, start):
    return Enrolment.objects.filter(child_id=child.pk, activity_id=activity.pk, start_date=start,
                                    status__in=Enrolment.OPEN).first()


def active_enrolments(child_ids, activity_ids, start, end):
    """``{(child_id, activity_id): [Enrolment, ...]}`` active and overlapping [start, end]
    (one query)."""
    found = {}
    rows = Enrolment.objects.filter(
        child_id__in=list(child_ids), activity_id__in=list(activity_ids), status=Status.ACTIVE,
        start_date__lte=end, end_date__gte=start,
    )
    for enrolment in rows:
        found.setdefault((enrolment.child_id, enrolment.activity_id), []).append(enrolment)
    return found


def waiting_position(enrolment):
    if enrolment.status != Status.WAITING:
        return None
    return Enrolment.objects.filter(
        activity_id=enrolment.activity_id, start_date=enrolment.start_date, status=Status.WAITING,
        waiting_since__lt=enrolment.waiting_since,
    ).count() + 1


# Writes ------------------------------------------------------------------------------

def _snapshot(enrolment):
    return {
        "activity": enrolment.activity.name,
        "child": str(enrolment.child),
        "period": [enrolment.start_date.isoformat(), enrolment.end_date.isoformat()],
        "status": enrolment.status,
    }


def _trace(action, actor, enrolment, summary, before=None, request=None, override=False):
    after = _snapshot(enrolment)
    record(action, actor=actor.user if hasattr(actor, "user") else actor, household=enrolment.household,
           obj=enrolment, summary=summary, before=before, after=after, request=request,
           acting_for_family=is_agent(getattr(actor, "user", actor)))
    if override:
        record(AuditEvent.Action.STAFF_OVERRIDE, actor=actor.user, household=enrolment.household, obj=enrolment,
               summary=_("Dérogation d'un agent : %(summary)s") % {"summary": summary}, after=after,
               request=request, acting_for_family=True)


def _checked_request(user, child, activity, *, now, period_start, requested_level, requested_school,
                     derogation_reason, override):
    """Every check of an enrolment request, in order; returns ``(actor, period,
    is_school)`` or raises ``Refusal``. Shared by the request and its preview."""
    actor = actor_for(user, child, override=override)
    if not activity.is_active or not activity.service.is_active or activity.shape == Activity.Shape.HALL_SLOT:
        raise Refusal("activity_inactive", _("Cette activité n'est pas ouverte aux inscriptions."))
    today = local_date(now)
    periods = periods_for(activity, today)
    period = next((p for p in periods if period_start in (None, p.start)), None)
    if period is None:
        raise Refusal("no_period", _("Aucune période d'inscription n'est ouverte pour cette activité."))
    if open_enrolment(child, activity, period.start) is not None:
        raise Refusal("already_enrolled", _("Une demande d'inscription est déjà en cours pour cette période."))
    is_school = activity.shape == Activity.Shape.SCHOOL_ENROLMENT
    if derogation_reason and derogation_reason not in Enrolment.Derogation.values:
        raise Refusal("invalid_derogation", _("Motif de dérogation inconnu."))
    if is_school and derogation_reason and not requested_school.strip():
        raise Refusal("derogation_school_required", _("Indiquez l'école demandée pour la dérogation."))
    if not actor.override:
        refusal = eligibility_refusal(child, activity, period.start, requested_level)
        if refusal:
            raise refusal
        missing = missing_documents_for(child.household, child, activity, max(today, period.start))
        if missing:
            raise documents_refusal(missing)
    return actor, period, is_school


def _status_with_a_place(activity, actor, is_school):
    """What a request that got a place becomes: examined by an agent when the activity
    asks for it (a school enrolment always: the commune registers, then the school
    admits, even when an agent types the request in), else active at once."""
    if is_school:
        return Status.PENDING
    return Status.PENDING if activity.requires_validation and not actor.is_agent else Status.ACTIVE


@dataclass(frozen=True)
class EnrolmentPreview:
    """What a request would become (``request_enrolment`` with nothing written)."""

    period: object
    status: str  # Enrolment.Status value
    places_left: int | None
    position: int | None  # on the waiting list, when ``status`` is waiting
    # A stay paid when booked: its days and their price for this child (None: a day
    # without a tariff yet), invoiced as soon as the enrolment is active.
    stay_days: int | None = None
    stay_price: object = None

    @property
    def status_label(self):
        return Enrolment.Status(self.status).label


def preview_request(user, child, activity, *, now, period_start=None, requested_level="", requested_school="",
                    derogation_reason=""):
    """The ``EnrolmentPreview`` of a request, or the ``Refusal`` it would get: the same
    checks as ``request_enrolment``, then the places read without taking one. The
    request checks everything again when it is made."""
    actor, period, is_school = _checked_request(
        user, child, activity, now=now, period_start=period_start, requested_level=requested_level,
        requested_school=requested_school, derogation_reason=derogation_reason, override=False)
    stay = {}
    if activity.shape == Activity.Shape.STAY and activity.prepayment_required:
        stay = {"stay_days": len(stay_days(activity)), "stay_price": stay_price(child, activity)}
    left = places.places_left_on(activity, period.start, PlaceCounter.Scope.ENROLMENT)
    if left == 0:
        position = Enrolment.objects.filter(activity_id=activity.pk, start_date=period.start,
                                            status=Status.WAITING).count() + 1
        return EnrolmentPreview(period, Status.WAITING, 0, position, **stay)
    return EnrolmentPreview(period, _status_with_a_place(activity, actor, is_school), left, None, **stay)


def stay_price(child, activity):
    """What ``child``'s stay will cost (every day at the activity's tariff for this
    household, as its invoice will price it), or None when a day has no tariff yet."""
    from billing.pricing import price_for

    total = 0
    for day in stay_days(activity):
        price = price_for(child.household, child, activity, day)
        if price is None:
            return None
        total += price
    return total


def request_enrolment(user, child, activity, *, now, period_start=None, requested_level="", requested_school="",
                      derogation_reason="", derogation_details="", override=False, request=None):
    """Ask for ``child``'s enrolment in ``activity``; returns the ``Enrolment``
    (``active``, ``pending`` an agent's validation, or ``waiting`` when full) or raises
    ``Refusal`` with nothing written. ``override`` (agents): age, class and documents
    no longer apply; the capacity still does."""
    actor, period, is_school = _checked_request(
        user, child, activity, now=now, period_start=period_start, requested_level=requested_level,
        requested_school=requested_school, derogation_reason=derogation_reason, override=override)
    household = child.household
    with transaction.atomic():
        enrolment = Enrolment(
            household=household, child=child, activity=activity, start_date=period.start, end_date=period.end,
            requested_at=now, requested_by=user,
            requested_level=requested_level if is_school else "",
            requested_school=requested_school.strip()[:150] if is_school else "",
            derogation_reason=derogation_reason if is_school else "",
            derogation_details=derogation_details.strip() if is_school else "",
        )
        if places.take(activity, period.start, PlaceCounter.Scope.ENROLMENT):
            enrolment.status = _status_with_a_place(activity, actor, is_school)
        else:
            enrolment.status = Status.WAITING
            enrolment.waiting_since = now
        if enrolment.status == Status.ACTIVE:
            enrolment.decided_at, enrolment.decided_by = now, (user if actor.is_agent else None)
        enrolment.save()
        if enrolment.status == Status.ACTIVE:
            _activate(enrolment, actor.user, now, acting_agent=actor.is_agent)
        if enrolment.status == Status.WAITING:
            _trace(AuditEvent.Action.WAITING_LIST, actor, enrolment,
                   _("Inscription sur liste d'attente : %(e)s") % {"e": enrolment}, request=request,
                   override=actor.override)
        else:
            _trace(AuditEvent.Action.ENROLMENT, actor, enrolment,
                   _("Demande d'inscription : %(e)s") % {"e": enrolment}, request=request, override=actor.override)
    return enrolment


def _activate(enrolment, user, now, *, acting_agent):
    """What an active enrolment brings: for a stay, the stay's days are booked and its
    prepayment becomes due (billing takes it: ``record_prepayment``)."""
    activity = enrolment.activity
    if activity.shape != Activity.Shape.STAY:
        return
    from .bookings import book_stay_days

    book_stay_days(enrolment, user, now, acting_agent=acting_agent)
    if activity.prepayment_required and enrolment.prepayment_status != Enrolment.Prepayment.PAID:
        enrolment.prepayment_status = Enrolment.Prepayment.DUE
        enrolment.save(update_fields=["prepayment_status"])


def _require_agent(user):
    if not is_agent(user) or not user.has_perm(ENROLMENT_PERMISSION):
        raise Refusal("not_allowed", _("Seul un agent de la commune peut statuer sur une inscription."))


def decide(agent, enrolment, *, accept, now, reason="", school="", derogation_granted=None, request=None):
    """An agent's decision on a pending request (or, for a school enrolment, on each of
    its two steps). A refusal must say why; it frees the place for the waiting list."""
    _require_agent(agent)
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().select_related("activity", "child__household",
                                                                         "household").get(pk=enrolment.pk)
        before = _snapshot(enrolment)
        is_school = enrolment.activity.shape == Activity.Shape.SCHOOL_ENROLMENT
        if enrolment.status not in (Status.PENDING, Status.REGISTERED):
            raise Refusal("not_pending", _("Cette demande n'attend plus de décision."))
        if not accept:
            if not reason.strip():
                raise Refusal("reason_required", _("Indiquez le motif du refus : la famille le lira."))
            enrolment.status = Status.REFUSED
            enrolment.decision_reason = reason.strip()
            places.release(enrolment.activity, enrolment.start_date, PlaceCounter.Scope.ENROLMENT)
        elif is_school and enrolment.status == Status.PENDING:
            if not school.strip() and not (derogation_granted and enrolment.requested_school):
                raise Refusal("school_required", _("Indiquez l'école d'affectation."))
            enrolment.status = Status.REGISTERED
            enrolment.registered_at = now
            enrolment.derogation_granted = derogation_granted if enrolment.derogation_reason else None
            enrolment.school = (enrolment.requested_school if derogation_granted and enrolment.requested_school
                                else school.strip())[:150]
            enrolment.decision_reason = reason.strip()
        else:
            enrolment.status = Status.ACTIVE
            if is_school:
                enrolment.admitted_at = now
            enrolment.decision_reason = reason.strip()
        enrolment.decided_at, enrolment.decided_by = now, agent
        enrolment.save()
        if enrolment.status == Status.ACTIVE:
            _activate(enrolment, agent, now, acting_agent=True)
        record(AuditEvent.Action.ENROLMENT, actor=agent, household=enrolment.household, obj=enrolment,
               summary=_("Décision sur l'inscription : %(e)s — %(status)s") % {
                   "e": enrolment, "status": enrolment.get_status_display()},
               before=before, after=_snapshot(enrolment), request=request, acting_for_family=True)
        promoted = None
        if enrolment.status == Status.REFUSED:
            promoted = _promote_waiting(enrolment.activity, enrolment.start_date, now, agent, request)
        transaction.on_commit(lambda: notices.tell(
            notices.family_recipients(enrolment.child), "services_enrolment_decision",
            {"enrolment": enrolment, "activity": enrolment.activity, "child": enrolment.child,
             "status": enrolment.status}))
    return enrolment, promoted


def withdraw(user, enrolment, *, now, override=False, request=None):
    """The family (or an agent) withdraws a request or an enrolment. A stay's days are
    cancelled with the stay's cancellation deadline; a daily activity with days still
    booked must have them cancelled first."""
    child = enrolment.child
    actor = actor_for(user, child, override=override)
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().select_related("activity", "household").get(pk=enrolment.pk)
        if enrolment.status not in Enrolment.OPEN:
            raise Refusal("not_open", _("Cette inscription n'est plus en cours."))
        before = _snapshot(enrolment)
        activity = enrolment.activity
        today = local_date(now)
        booked = Booking.objects.filter(child_id=child.pk, activity_id=activity.pk, status=Booking.Status.BOOKED,
                                        day__gte=max(today, enrolment.start_date), day__lte=enrolment.end_date)
        if enrolment.status == Status.ACTIVE and booked.exists():
            if activity.shape != Activity.Shape.STAY:
                raise Refusal("bookings_left", _("Des jours sont encore réservés : annulez-les d'abord."))
            from .bookings import cancel_stay_days

            cancel_stay_days(enrolment, actor, now, request=request)
        holding = enrolment.status in Enrolment.HOLDING
        enrolment.status = Status.WITHDRAWN
        enrolment.decided_at = now
        enrolment.save(update_fields=["status", "decided_at"])
        if holding:
            places.release(activity, enrolment.start_date, PlaceCounter.Scope.ENROLMENT)
        _trace(AuditEvent.Action.ENROLMENT, actor, enrolment,
               _("Inscription annulée : %(e)s") % {"e": enrolment}, before=before, request=request,
               override=actor.override)
        promoted = _promote_waiting(activity, enrolment.start_date, now, user, request) if holding else None
    return enrolment, promoted


def _promote_waiting(activity, start, now, actor_user, request):
    """Give a freed place to the first on the waiting list (first come, first served),
    and tell that family."""
    while True:
        first = (Enrolment.objects.filter(activity_id=activity.pk, start_date=start, status=Status.WAITING)
                 .select_related("child__household", "household", "activity").order_by("waiting_since", "id").first())
        if first is None:
            return None
        if not places.take(activity, start, PlaceCounter.Scope.ENROLMENT):
            return None
        needs_agent = activity.requires_validation or activity.shape == Activity.Shape.SCHOOL_ENROLMENT
        new_status = Status.PENDING if needs_agent else Status.ACTIVE
        updated = Enrolment.objects.filter(pk=first.pk, status=Status.WAITING).update(status=new_status)
        if not updated:
            places.release(activity, start, PlaceCounter.Scope.ENROLMENT)
            continue
        first.status = new_status
        if new_status == Status.ACTIVE:
            first.decided_at = now
            first.save(update_fields=["decided_at"])
            _activate(first, first.requested_by, now, acting_agent=False)
        # Told as the portal's doing: the family promoted must not read who withdrew.
        record(AuditEvent.Action.WAITING_LIST, actor=None, household=first.household, obj=first,
               summary=_("Place libérée attribuée au premier de la liste d'attente : %(e)s") % {"e": first},
               before={"status": Status.WAITING}, after=_snapshot(first), acting_for_family=False)
        transaction.on_commit(lambda: notices.tell(
            notices.family_recipients(first.child), "services_waiting_list_enrolment",
            {"enrolment": first, "activity": activity, "child": first.child, "status": first.status}))
        return first


def record_prepayment(enrolment, *, reference, now, actor=None, request=None):
    """Billing's hand-off for a stay paid when booked: the payment of ``enrolment`` has
    been settled (PayFiP or the desk) under ``reference``. Idempotent."""
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().select_related("household", "activity").get(pk=enrolment.pk)
        if enrolment.prepayment_status == Enrolment.Prepayment.PAID:
            return enrolment
        if enrolment.prepayment_status != Enrolment.Prepayment.DUE:
            raise Refusal("no_prepayment_due", _("Aucun paiement n'est attendu pour cette inscription."))
        enrolment.prepayment_status = Enrolment.Prepayment.PAID
        enrolment.prepayment_reference = str(reference)[:100]
        enrolment.prepaid_at = now
        enrolment.save(update_fields=["prepayment_status", "prepayment_reference", "prepaid_at"])
        record(AuditEvent.Action.PAYMENT, actor=actor, household=enrolment.household, obj=enrolment,
               summary=_("Séjour payé à la réservation : %(e)s") % {"e": enrolment},
               after={"reference": enrolment.prepayment_reference}, request=request)
    return enrolment


def prepayments_due():
    """The enrolments whose stay is waiting for its payment (what billing collects)."""
    return Enrolment.objects.filter(status=Status.ACTIVE, prepayment_status=Enrolment.Prepayment.DUE).select_related(
        "household", "child", "activity")
