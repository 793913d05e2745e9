"""Activities and their occurrences, enrolments, bookings: every write goes through the
domain functions the web screens call (``services.bookings``, ``services.enrolments``),
which check the rights, the paper-only household, the regulation gate, the deadlines,
the places and the documents, and write the history and the audit trail."""

import datetime as dt
from typing import Optional

from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from accounts.households import children_visible_to
from services import bookings as booking_rules
from services import enrolments as enrolment_rules
from services import places
from services.calendars import Calendar
from services.deadlines import booking_decisions, cancellation_deadline, sick_cancellation_deadline
from services.models import Activity, Booking, Enrolment
from services.rules import local_date

from . import clock
from .common import MAX_ID, LimitParam, OffsetParam, check_day, date_range, paginate, responses, visible_child
from .errors import ApiError, not_found
from .schemas import (
    ActivityOut,
    BookingIn,
    BookingOut,
    BookingResult,
    CancelIn,
    ChangesIn,
    EnrolmentIn,
    EnrolmentOut,
    OccurrencesOut,
    Page,
    PatternIn,
    ResultOut,
)

router = Router(tags=["activités et réservations"])

MAX_OCCURRENCE_DAYS = 93


# --- Activities ----------------------------------------------------------------------------

def _activities():
    return (Activity.objects.filter(is_active=True, service__is_active=True)
            .exclude(shape=Activity.Shape.HALL_SLOT)
            .select_related("service", "booking_rule__fallback", "cancellation_rule__fallback"))


def _hhmm(value):
    return value.strftime("%H:%M") if value is not None else None


def _activity(activity):
    return {"id": activity.pk, "code": activity.code, "name": activity.name, "service": activity.service.name,
            "service_code": activity.service.code, "shape": activity.shape, "site": activity.site,
            "weekdays": list(activity.weekdays or []), "start_time": _hhmm(activity.start_time),
            "end_time": _hhmm(activity.end_time), "capacity": activity.capacity,
            "bookable_by_day": activity.is_bookable_by_day,
            "same_day_sick_cancellation_until": _hhmm(activity.same_day_sick_cancellation_until)}


def _find_activity(activity_id):
    activity = _activities().filter(pk=activity_id).first()
    if activity is None:
        raise not_found()
    return activity


@router.get("/activities", response=responses(Page[ActivityOut]), url_name="activities",
            summary="Les activités ouvertes aux familles")
def activities(request, limit: int = LimitParam(), offset: int = OffsetParam()):
    queryset = _activities().order_by("service__order", "service__name", "name", "pk")
    return paginate(queryset, limit, offset, _activity)


@router.get("/activities/{int:activity_id}", response=responses(ActivityOut), url_name="activity",
            summary="Une activité")
def activity(request, activity_id: int = Path(..., ge=1, le=MAX_ID)):
    return _activity(_find_activity(activity_id))


@router.get("/activities/{int:activity_id}/occurrences", response=responses(OccurrencesOut),
            url_name="activity_occurrences", summary="Les jours d'une activité")
def activity_occurrences(request, activity_id: int = Path(..., ge=1, le=MAX_ID),
                         start: Optional[dt.date] = Query(None, description="Premier jour (défaut : aujourd'hui)."),
                         end: Optional[dt.date] = Query(None, description=f"Dernier jour inclus (défaut : 30 jours ; "
                                                                          f"au plus {MAX_OCCURRENCE_DAYS} jours)."),
                         child_id: Optional[int] = Query(None, ge=1, le=MAX_ID,
                                                         description="Un enfant : l'état de ses réservations.")):
    """Les jours où l'activité a lieu entre ``start`` et ``end`` : s'ils se réservent
    encore, jusqu'à quand on peut réserver et annuler (heure de Paris), les places
    restantes ; avec ``child_id``, la réservation de cet enfant."""
    now = clock.now()
    found = _find_activity(activity_id)
    start, end = date_range(start, end, default_days=30, max_days=MAX_OCCURRENCE_DAYS, today=local_date(now))
    child = visible_child(request.user, child_id) if child_id is not None else None
    calendar = Calendar.load(start=start, end=end)
    decisions = booking_decisions(found, start, end, now, calendar=calendar)
    counters = places.counters([found.pk], start, end)
    booked = {}
    if child is not None:
        booked = {b.day: b for b in Booking.objects.filter(child=child, activity=found, day__gte=start, day__lte=end)}
    occurrences = []
    for day in sorted(decisions):
        decision = decisions[day]
        left = places.places_left(found, counters.get((found.pk, day)))
        if not decision.ok:
            state = decision.reason_code
        elif left == 0:
            state = "full"
        else:
            state = "open"
        booking = booked.get(day)
        occurrences.append({
            "day": day, "state": state, "bookable": decision.ok and found.is_bookable_by_day,
            "booking_deadline": decision.deadline,
            "cancellation_deadline": cancellation_deadline(found, day, calendar=calendar),
            "sick_cancellation_deadline": sick_cancellation_deadline(found, day),
            "places_left": left, "booking_id": booking.pk if booking else None,
            "booking_status": booking.status if booking else None,
        })
    return {"activity": _activity(found), "start": start, "end": end, "child_id": child.pk if child else None,
            "occurrences": occurrences}


# --- Enrolments ----------------------------------------------------------------------------

def _enrolment(enrolment):
    return {"id": enrolment.pk, "child_id": enrolment.child_id, "activity_id": enrolment.activity_id,
            "activity_name": enrolment.activity.name, "start_date": enrolment.start_date,
            "end_date": enrolment.end_date, "status": enrolment.status,
            "status_label": enrolment.get_status_display(),
            "waiting_position": enrolment_rules.waiting_position(enrolment),
            "decision_reason": enrolment.decision_reason}


def _visible_enrolments(user):
    return Enrolment.objects.filter(child__in=children_visible_to(user).values("pk")).select_related("activity")


def _find_enrolment(user, enrolment_id):
    enrolment = _visible_enrolments(user).select_related("child__household").filter(pk=enrolment_id).first()
    if enrolment is None:
        raise not_found()
    return enrolment


@router.get("/enrolments", response=responses(Page[EnrolmentOut]), url_name="enrolments", summary="Les inscriptions")
def enrolments(request, child_id: Optional[int] = Query(None, ge=1, le=MAX_ID),
               limit: int = LimitParam(), offset: int = OffsetParam()):
    queryset = _visible_enrolments(request.user)
    if child_id is not None:
        queryset = queryset.filter(child=visible_child(request.user, child_id))
    return paginate(queryset.order_by("-start_date", "activity__name", "pk"), limit, offset, _enrolment)


@router.get("/enrolments/{int:enrolment_id}", response=responses(EnrolmentOut), url_name="enrolment",
            summary="Une inscription")
def enrolment(request, enrolment_id: int = Path(..., ge=1, le=MAX_ID)):
    return _enrolment(_find_enrolment(request.user, enrolment_id))


@router.post("/enrolments", response=responses(EnrolmentOut, status=201), url_name="enrolment_request",
             summary="Demander une inscription")
def enrolment_request(request, payload: EnrolmentIn):
    """La demande d'inscription d'un enfant à une activité (``services.enrolments``) :
    active tout de suite, en attente de validation par le service, ou en liste d'attente."""
    child = visible_child(request.user, payload.child_id)
    found = _find_activity(payload.activity_id)
    created = enrolment_rules.request_enrolment(request.user, child, found, now=clock.now(),
                                                period_start=payload.period_start, request=request)
    return Status(201, _enrolment(created))


@router.post("/enrolments/{int:enrolment_id}/withdraw", response=responses(EnrolmentOut), url_name="enrolment_withdraw",
             summary="Annuler une inscription")
def enrolment_withdraw(request, enrolment_id: int = Path(..., ge=1, le=MAX_ID)):
    found = _find_enrolment(request.user, enrolment_id)
    withdrawn, _promoted = enrolment_rules.withdraw(request.user, found, now=clock.now(), request=request)
    return _enrolment(withdrawn)


# --- Bookings ------------------------------------------------------------------------------

def _booking(booking):
    return {"id": booking.pk, "child_id": booking.child_id, "activity_id": booking.activity_id,
            "activity_name": booking.activity.name, "day": booking.day, "status": booking.status,
            "status_label": booking.get_status_display(), "booked_late": booking.booked_late,
            "cancelled_late": booking.cancelled_late, "cancelled_sick": booking.cancelled_sick,
            "changed_at": booking.changed_at}


def _outcome(outcome):
    return {"child_id": outcome.child.pk, "activity_id": outcome.activity.pk, "day": outcome.day,
            "action": outcome.action, "ok": outcome.ok, "code": outcome.code, "message": str(outcome.message),
            "status": outcome.status, "deadline": outcome.deadline, "price": outcome.price, "late": outcome.late,
            "position": outcome.position, "missing": [str(m) for m in outcome.missing]}


def _result(result):
    return {"dry_run": result.dry_run, "booked": len(result.booked), "waiting": len(result.waiting),
            "cancelled": len(result.cancelled), "unchanged": len(result.unchanged),
            "refused": len(result.refused), "not_running": len(result.not_running),
            "price_change": result.price_change, "outcomes": [_outcome(o) for o in result.outcomes]}


def _refused(outcome):
    return ApiError(outcome.code, outcome.message, deadline=outcome.deadline,
                    missing=[str(m) for m in outcome.missing])


def _visible_bookings(user):
    return Booking.objects.filter(child__in=children_visible_to(user).values("pk")).select_related("activity")


@router.get("/bookings", response=responses(Page[BookingOut]), url_name="bookings", summary="Les réservations")
def bookings(request, child_id: Optional[int] = Query(None, ge=1, le=MAX_ID),
             activity_id: Optional[int] = Query(None, ge=1, le=MAX_ID),
             start: Optional[dt.date] = None, end: Optional[dt.date] = None,
             status: Optional[Booking.Status] = None,
             limit: int = LimitParam(), offset: int = OffsetParam()):
    """Les jours réservés, en liste d'attente ou annulés des enfants de l'appelant."""
    queryset = _visible_bookings(request.user)
    if child_id is not None:
        queryset = queryset.filter(child=visible_child(request.user, child_id))
    if activity_id is not None:
        queryset = queryset.filter(activity_id=activity_id)
    if start is not None:
        queryset = queryset.filter(day__gte=start)
    if end is not None:
        queryset = queryset.filter(day__lte=end)
    if status is not None:
        queryset = queryset.filter(status=status)
    return paginate(queryset.order_by("day", "activity__name", "child_id", "pk"), limit, offset, _booking)


@router.get("/bookings/{int:booking_id}", response=responses(BookingOut), url_name="booking", summary="Une réservation")
def booking(request, booking_id: int = Path(..., ge=1, le=MAX_ID)):
    found = _visible_bookings(request.user).filter(pk=booking_id).first()
    if found is None:
        raise not_found()
    return _booking(found)


@router.post("/bookings", response=responses(BookingResult, status=201, extra={200: BookingResult}),
             url_name="booking_create", summary="Réserver un jour")
def booking_create(request, payload: BookingIn):
    """Réserve un jour (``services.bookings.book``, comme l'écran du site) : 201 quand le
    jour est réservé ou mis en liste d'attente (complet), 200 quand il l'était déjà ;
    sinon l'erreur du refus (``deadline_passed``, ``full``, ``not_enrolled``,
    ``document_missing``, ``regulation_not_accepted``, ``paper_only``…)."""
    child = visible_child(request.user, payload.child_id)
    found = Activity.objects.filter(pk=payload.activity_id).first()
    if found is None:
        raise not_found()
    outcome = booking_rules.book(request.user, child, found, payload.day, now=clock.now(),
                                 waiting_list=payload.waiting_list, request=request)
    if not outcome.ok:
        raise _refused(outcome)
    row = Booking.objects.select_related("activity").filter(child=child, activity=found, day=payload.day).first()
    status = 201 if outcome.changed else 200
    return Status(status, {"outcome": _outcome(outcome), "booking": _booking(row) if row else None})


@router.post("/bookings/{int:booking_id}/cancel", response=responses(BookingResult), url_name="booking_cancel",
             summary="Annuler un jour")
def booking_cancel(request, payload: CancelIn, booking_id: int = Path(..., ge=1, le=MAX_ID)):
    """Annule une réservation ou retire de la liste d'attente (``services.bookings.cancel``) ;
    ``sick`` : l'annulation du jour même pour un enfant malade, si l'activité la permet."""
    found = _visible_bookings(request.user).select_related("child__household").filter(pk=booking_id).first()
    if found is None:
        raise not_found()
    outcome = booking_rules.cancel(request.user, found.child, found.activity, found.day, now=clock.now(),
                                   sick=payload.sick, request=request)
    if not outcome.ok:
        raise _refused(outcome)
    found.refresh_from_db()
    return {"outcome": _outcome(outcome), "booking": _booking(found)}


def _pattern(request, payload, *, dry_run):
    child = visible_child(request.user, payload.child_id)
    found = Activity.objects.filter(pk=payload.activity_id).first()
    if found is None:
        raise not_found()
    for field in ("start", "end"):
        check_day(getattr(payload, field), f"body.{field}")
    if any(w < 0 or w > 6 for w in payload.weekdays):
        raise ApiError("validation_error", _("Données invalides : vérifiez les champs indiqués."), status=422,
                       errors=[{"field": "body.weekdays", "type": "weekday",
                                "message": _("Jours de la semaine de 0 (lundi) à 6 (dimanche).")}])
    result = booking_rules.apply_pattern(request.user, child, found, payload.weekdays, start=payload.start,
                                         end=payload.end, now=clock.now(), waiting_list=payload.waiting_list,
                                         dry_run=dry_run, request=request)
    return _result(result)


@router.post("/bookings/pattern/preview", response=responses(ResultOut), url_name="booking_pattern_preview",
             summary="Semaine type : aperçu")
def booking_pattern_preview(request, payload: PatternIn):
    """Ce que la semaine type réserverait, mettrait en liste d'attente ou refuserait (et
    pourquoi), avec le prix, sans rien écrire (``dry_run``)."""
    return _pattern(request, payload, dry_run=True)


@router.post("/bookings/pattern", response=responses(ResultOut), url_name="booking_pattern",
             summary="Semaine type : réserver")
def booking_pattern(request, payload: PatternIn):
    """Réserve chaque jour choisi de la semaine, de ``start`` à ``end``, en une seule
    opération (``services.bookings.apply_pattern``) ; chaque jour a son résultat."""
    return _pattern(request, payload, dry_run=False)


def _changes(request, payload, *, dry_run):
    user = request.user
    children = {c.pk: c for c in children_visible_to(user).select_related("household")
                .filter(pk__in={c.child_id for c in payload.changes})}
    activities_by_id = {a.pk: a for a in Activity.objects.filter(pk__in={c.activity_id for c in payload.changes})}
    changes = []
    for item in payload.changes:
        if item.child_id not in children or item.activity_id not in activities_by_id:
            raise not_found()
        check_day(item.day, "body.changes.day")
        changes.append(booking_rules.Change(children[item.child_id], activities_by_id[item.activity_id], item.day,
                                            booking_rules.CANCEL if item.action == "cancel" else booking_rules.BOOK,
                                            sick=item.sick))
    result = booking_rules.apply_changes(user, changes, now=clock.now(), waiting_list=payload.waiting_list,
                                         dry_run=dry_run, request=request)
    return _result(result)


@router.post("/bookings/changes/preview", response=responses(ResultOut), url_name="booking_changes_preview",
             summary="Plusieurs jours : aperçu")
def booking_changes_preview(request, payload: ChangesIn):
    """Le calendrier du mois : des jours cochés (``book``) et décochés (``cancel``),
    vus sans rien écrire."""
    return _changes(request, payload, dry_run=True)


@router.post("/bookings/changes", response=responses(ResultOut), url_name="booking_changes",
             summary="Plusieurs jours : enregistrer")
def booking_changes(request, payload: ChangesIn):
    """Réserve et annule un ensemble de jours en une transaction
    (``services.bookings.apply_changes``, ce qu'appelle le calendrier du site)."""
    return _changes(request, payload, dry_run=False)
