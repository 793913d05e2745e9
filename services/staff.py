"""What only agents do from the admin, beside the domain modules it builds on
(``services.enrolments``, ``services.bookings``, ``services.places``,
``services.calendars``). The admin views (``services.admin_views``) call these
functions and nothing else writes:

- ``put_on_waiting_list(agent, enrolment, *, now, reason)``: a pending request goes to
  the end of the waiting list; its place goes to the first one waiting (if any); the
  family is told.
- ``withdraw_for_family(agent, enrolment, *, now, reason)``: ``enrolments.withdraw``
  done by an agent, with the reason, and the family is told.
- ``set_capacity(agent, activity, start, end, capacity, *, now)`` /
  ``reset_capacity(...)``: the places of each day of a range (``PlaceCounter`` with a
  capacity of its own); raising them gives the new places to the waiting list at once.
- ``preview_icalendar(text, kind)`` and ``import_calendar(...)``: what an uploaded
  iCalendar file will create or change, then the import (``calendars.import_icalendar``).
- ``waiting_lists(activity, today)`` and ``dashboard_counts(today)`` for the screens.

Each write is one transaction, refused with a ``Refusal`` (code and French message)
that leaves everything as it was.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from accounts.audit import record
from accounts.models import AuditEvent

from . import notices, places
from .calendars import Calendar, parse_icalendar
from .models import Activity, AbsenceJustification, Attendance, Booking, BookingChange, CalendarPeriod, Enrolment, \
    PlaceCounter
from .rules import Refusal, format_day, is_agent

ENROLMENT_PERMISSION = "services.change_enrolment"
CAPACITY_PERMISSION = "services.change_placecounter"
CALENDAR_PERMISSION = "services.add_calendarperiod"
MAX_CAPACITY_DAYS = 366
MAX_ICS_BYTES = 2 * 1024 * 1024


def _require(user, permission, message):
    if not is_agent(user) or not user.has_perm(permission):
        raise Refusal("not_allowed", message)


# Enrolments ----------------------------------------------------------------------------

def put_on_waiting_list(agent, enrolment, *, now, reason="", request=None):
    """Move a pending request to the end of the activity's waiting list (the agent
    judges the places taken for that period). Its place is given at once to the first
    request already waiting, never back to this one; the family is told."""
    from .enrolments import _promote_waiting, _snapshot

    _require(agent, ENROLMENT_PERMISSION, _("Seul un agent de la commune peut statuer sur une inscription."))
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().select_related("activity", "child__household",
                                                                         "household").get(pk=enrolment.pk)
        if enrolment.status != Enrolment.Status.PENDING:
            raise Refusal("not_pending", _("Seule une demande en attente de validation peut passer sur liste "
                                           "d'attente."))
        before = _snapshot(enrolment)
        # The first already waiting takes the freed place before this request joins the list.
        places.release(enrolment.activity, enrolment.start_date, PlaceCounter.Scope.ENROLMENT)
        promoted = _promote_waiting(enrolment.activity, enrolment.start_date, now, agent, request)
        enrolment.status = Enrolment.Status.WAITING
        enrolment.waiting_since = now
        enrolment.decision_reason = reason.strip()
        enrolment.decided_at, enrolment.decided_by = now, agent
        enrolment.save(update_fields=["status", "waiting_since", "decision_reason", "decided_at", "decided_by"])
        record(AuditEvent.Action.WAITING_LIST, actor=agent, household=enrolment.household, obj=enrolment,
               summary=_("Demande placée sur liste d'attente par un agent : %(e)s") % {"e": enrolment},
               before=before, after=_snapshot(enrolment), request=request, acting_for_family=True)
        transaction.on_commit(lambda: notices.tell(
            notices.family_recipients(enrolment.child), "services_enrolment_waiting",
            {"enrolment": enrolment, "activity": enrolment.activity, "child": enrolment.child,
             "position": waiting_position(enrolment)}))
    return enrolment, promoted


def withdraw_for_family(agent, enrolment, *, now, reason, override=False, request=None):
    """An agent withdraws a request or an enrolment for the family (it asked at the
    desk, or the child left): the reason is required and the family is told."""
    from .enrolments import withdraw

    _require(agent, ENROLMENT_PERMISSION, _("Seul un agent de la commune peut statuer sur une inscription."))
    if not reason.strip():
        raise Refusal("reason_required", _("Indiquez le motif : la famille le lira."))
    with transaction.atomic():
        enrolment, promoted = withdraw(agent, enrolment, now=now, override=override, request=request)
        Enrolment.objects.filter(pk=enrolment.pk).update(decision_reason=reason.strip(), decided_by=agent)
        enrolment.decision_reason, enrolment.decided_by = reason.strip(), agent
        transaction.on_commit(lambda: notices.tell(
            notices.family_recipients(enrolment.child), "services_enrolment_withdrawn",
            {"enrolment": enrolment, "activity": enrolment.activity, "child": enrolment.child}))
    return enrolment, promoted


def waiting_position(enrolment):
    """1 for the first of the list (first come, first served), None when not waiting."""
    if enrolment.status != Enrolment.Status.WAITING or enrolment.waiting_since is None:
        return None
    return Enrolment.objects.filter(
        activity_id=enrolment.activity_id, start_date=enrolment.start_date, status=Enrolment.Status.WAITING,
    ).filter(Q(waiting_since__lt=enrolment.waiting_since) | Q(waiting_since=enrolment.waiting_since,
                                                               id__lt=enrolment.pk)).count() + 1


# Places per day -------------------------------------------------------------------------

@dataclass
class CapacityChange:
    days: list = field(default_factory=list)
    promoted: list = field(default_factory=list)


def _capacity_days(activity, start, end):
    if not activity.is_bookable_by_day:
        raise Refusal("not_bookable_by_day", _("Les places de cette activité se comptent sur l'inscription, pas par "
                                               "jour : modifiez le nombre de places de l'activité."))
    if end < start:
        raise Refusal("invalid_range", _("Le dernier jour doit être égal ou postérieur au premier jour."))
    if (end - start).days >= MAX_CAPACITY_DAYS:
        raise Refusal("range_too_long", _("Modifiez les places d'un an au plus à la fois."))
    days = Calendar.load(start=start, end=end).occurrence_dates(activity, start, end)
    if not days:
        raise Refusal("no_day", _("L'activité n'a lieu aucun jour de cette période."))
    return days


def set_capacity(agent, activity, start, end, capacity, *, now, label=None, request=None):
    """Give each day the activity runs from ``start`` to ``end`` its own number of
    places (``None``: without limit). Refused, with nothing changed, when a day already
    has more places taken. New places go to the waiting list at once."""
    _require(agent, CAPACITY_PERMISSION, _("Seul un agent de la commune peut modifier les places."))
    if capacity is not None and capacity < 0:
        raise Refusal("invalid_capacity", _("Le nombre de places ne peut pas être négatif."))
    days = _capacity_days(activity, start, end)
    return _write_capacity(agent, activity, days, lambda counter: capacity, custom=True, now=now, label=label,
                           request=request)


def reset_capacity(agent, activity, start, end, *, now, request=None):
    """The days of the range follow the activity's number of places again."""
    _require(agent, CAPACITY_PERMISSION, _("Seul un agent de la commune peut modifier les places."))
    days = _capacity_days(activity, start, end)
    return _write_capacity(agent, activity, days, lambda counter: activity.capacity, custom=False, now=now,
                           label=None, request=request)


def _write_capacity(agent, activity, days, capacity_for, *, custom, now, label, request):
    scope = PlaceCounter.Scope.BOOKING
    result = CapacityChange()
    with transaction.atomic():
        for day in days:
            places.ensure_counter(activity, day, scope)
        counters = {c.day: c for c in PlaceCounter.objects.select_for_update().filter(
            activity_id=activity.pk, scope=scope, day__in=days)}
        too_small = [(day, counters[day].taken) for day in days
                     if capacity_for(counters[day]) is not None and counters[day].taken > capacity_for(counters[day])]
        if too_small:
            listed = "; ".join(_("%(day)s : %(taken)s places prises") % {"day": format_day(day), "taken": taken}
                               for day, taken in too_small[:5])
            raise Refusal("capacity_below_taken", _("Il ne peut pas y avoir moins de places que d'enfants déjà "
                                                    "inscrits ce jour-là (%(days)s).") % {"days": listed})
        grown = []
        for day in days:
            counter = counters[day]
            capacity = capacity_for(counter)
            values = {"capacity": capacity, "custom_capacity": custom}
            if label is not None:
                values["label"] = label.strip()[:150]
            PlaceCounter.objects.filter(pk=counter.pk).update(**values)
            if counter.capacity is not None and (capacity is None or capacity > counter.capacity):
                grown.append(day)
            result.days.append((day, counter.capacity, capacity))
        for day in grown:
            result.promoted.extend(promote_waiting_day(activity, day, now=now))
        _log_capacity(agent, activity, days, result, custom)
    return result


def promote_waiting_day(activity, day, *, now):
    """Give the free places of ``day`` to the waiting list, first come first served,
    with the history line, the audit event and the e-mail of a promotion."""
    from .bookings import _promotion_notice, promote_first_waiting

    promoted = []
    calendar = Calendar.load(start=day, end=day)
    while True:
        booking = promote_first_waiting(activity, day, now=now, calendar=calendar)
        if booking is None:
            return promoted
        BookingChange.objects.create(
            booking=booking, household_id=booking.household_id, child_id=booking.child_id, activity_id=activity.pk,
            day=day, at=now, action=BookingChange.Action.PROMOTED, before_status=Booking.Status.WAITING,
            after_status=Booking.Status.BOOKED, note=_("places ajoutées par le service"))
        record(AuditEvent.Action.WAITING_LIST, actor=None, household=booking.household, obj=booking,
               summary=_("Place obtenue depuis la liste d'attente : %(child)s, %(activity)s, %(day)s") % {
                   "child": booking.child, "activity": activity.name, "day": format_day(day)},
               before={"status": Booking.Status.WAITING},
               after={"status": Booking.Status.BOOKED, "day": day.isoformat()}, acting_for_family=False)
        transaction.on_commit(_promotion_notice(booking))
        promoted.append(booking)


def _log_capacity(agent, activity, days, result, custom):
    from wagtail.log_actions import log

    first, last = days[0], days[-1]
    log(instance=activity, action="services.capacity", user=agent,
        title=str(activity),
        data={"first_day": first.isoformat(), "last_day": last.isoformat(), "days": len(days),
              "capacity": result.days[0][2] if custom else None, "custom": custom,
              "promoted": [b.pk for b in result.promoted]})


def capacity_month(activity, first, last):
    """One row per day of the range the activity runs (or is closed), with the
    occupancy of that day: places (the day's own or the activity's; None: no limit),
    booked, left, waiting, marked present and absent, and the rate booked / places
    (a fixed number of queries): for the *Places par jour* screen and its exports."""
    calendar = Calendar.load(start=first, end=last)
    counters = places.counters([activity.pk], first, last)
    waiting = dict(Booking.objects.filter(activity_id=activity.pk, day__gte=first, day__lte=last,
                                          status=Booking.Status.WAITING)
                   .values("day").annotate(n=Count("id")).values_list("day", "n"))
    marks = {}
    for day, status, n in (Attendance.objects.filter(activity_id=activity.pk, day__gte=first, day__lte=last)
                           .values("day", "status").annotate(n=Count("id")).values_list("day", "status", "n")):
        marks[(day, status)] = n
    rows = []
    day = first
    while day <= last:
        runs = calendar.runs_on(activity, day)
        closure = calendar.closure(day, activity.pk)
        holiday = calendar.public_holidays.get(day)
        off = closure or holiday
        if runs or off is not None:
            counter = counters.get((activity.pk, day))
            capacity = counter.capacity if counter is not None else activity.capacity
            booked = counter.taken if counter is not None else 0
            rows.append({"day": day, "runs": runs, "counter": counter,
                         "off": off.name if off is not None and not runs else "",
                         "waiting": waiting.get(day, 0), "capacity": capacity, "booked": booked,
                         "left": None if capacity is None else max(capacity - booked, 0),
                         "present": marks.get((day, Attendance.Status.PRESENT), 0),
                         "absent": marks.get((day, Attendance.Status.ABSENT), 0),
                         "rate": round(booked * 100 / capacity, 1) if capacity else None})
        day += dt.timedelta(days=1)
    return rows


# iCalendar import ------------------------------------------------------------------------

def read_icalendar(uploaded):
    """The text of an uploaded .ics file, or ``Refusal``."""
    if uploaded.size > MAX_ICS_BYTES:
        raise Refusal("file_too_large", _("Fichier trop volumineux : 2 Mo au plus."))
    raw = uploaded.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Refusal("not_icalendar", _("Ce fichier n'est pas un calendrier iCalendar (.ics) lisible.")) from None
    if "BEGIN:VCALENDAR" not in text.upper():
        raise Refusal("not_icalendar", _("Ce fichier n'est pas un calendrier iCalendar (.ics) lisible."))
    return text


def preview_icalendar(text, kind, *, school_year=None, activity=None):
    """What ``calendars.import_icalendar`` would do, without writing: a list of dicts
    (``event``, ``action`` in created / updated / unchanged, ``existing``)."""
    if kind not in CalendarPeriod.Kind.values:
        raise Refusal("invalid_kind", _("Type de période inconnu."))
    events = parse_icalendar(text)
    if not events:
        raise Refusal("no_event", _("Aucun événement lisible dans ce fichier."))
    uids = [e["uid"][:255] for e in events if e["uid"]]
    by_uid = {p.uid: p for p in CalendarPeriod.objects.filter(kind=kind, uid__in=uids)}
    rows = []
    for event in events:
        name = (event["summary"] or CalendarPeriod.Kind(kind).label)[:120]
        if event["uid"]:
            existing = by_uid.get(event["uid"][:255])
        else:
            existing = CalendarPeriod.objects.filter(kind=kind, uid="", name=name,
                                                     start_date=event["start_date"]).first()
        wanted = {"name": name, "start_date": event["start_date"], "end_date": event["end_date"],
                  "school_year_id": school_year.pk if school_year else None,
                  "activity_id": activity.pk if activity else None}
        if existing is None:
            action = "created"
        elif any(getattr(existing, key) != value for key, value in wanted.items()):
            action = "updated"
        else:
            action = "unchanged"
        rows.append({"name": name, "start_date": event["start_date"], "end_date": event["end_date"],
                     "uid": event["uid"], "action": action, "existing": existing})
    rows.sort(key=lambda row: (row["start_date"], row["name"]))
    return rows


def import_calendar(agent, text, kind, *, school_year=None, activity=None, request=None):
    """Import the file (idempotent: ``calendars.import_icalendar``); each period created
    or changed is logged in Wagtail's history under the agent's name."""
    from wagtail.log_actions import log

    from .calendars import import_icalendar

    _require(agent, CALENDAR_PERMISSION, _("Seul un agent de la commune peut modifier le calendrier."))
    if activity is not None and kind != CalendarPeriod.Kind.CLOSURE:
        raise Refusal("activity_only_for_closure", _("Seule une fermeture peut concerner une activité précise."))
    rows = preview_icalendar(text, kind, school_year=school_year, activity=activity)
    with transaction.atomic():
        counts = import_icalendar(text, kind, school_year, activity=activity)
        for row in rows:
            if row["action"] == "unchanged":
                continue
            lookup = {"uid": row["uid"][:255]} if row["uid"] else {"uid": "", "name": row["name"],
                                                                    "start_date": row["start_date"]}
            period = CalendarPeriod.objects.filter(kind=kind, **lookup).first()
            if period is not None:
                log(instance=period, action="wagtail.create" if row["action"] == "created" else "wagtail.edit",
                    user=agent, title=str(period))
    return counts


# Dashboard -------------------------------------------------------------------------------

def attendance_to_take(today):
    """``[(activity, expected, marked)]``: today's activities with children expected
    (booked, or enrolled in a course) and how many are marked (five queries)."""
    from .attendance import attendance_activities

    activities = list(attendance_activities())
    ids = [a.pk for a in activities]
    calendar = Calendar.load(start=today, end=today)
    booked = dict(Booking.objects.filter(activity_id__in=ids, day=today, status=Booking.Status.BOOKED)
                  .values("activity_id").annotate(n=Count("id")).values_list("activity_id", "n"))
    courses = dict(Enrolment.objects.filter(activity_id__in=ids, activity__shape=Activity.Shape.COURSE,
                                            status=Enrolment.Status.ACTIVE, start_date__lte=today,
                                            end_date__gte=today)
                   .values("activity_id").annotate(n=Count("id")).values_list("activity_id", "n"))
    marked = dict(Attendance.objects.filter(activity_id__in=ids, day=today)
                  .values("activity_id").annotate(n=Count("id")).values_list("activity_id", "n"))
    rows = []
    for activity in activities:
        if not calendar.runs_on(activity, today):
            continue
        expected = booked.get(activity.pk, 0) + courses.get(activity.pk, 0)
        if expected or marked.get(activity.pk):
            rows.append((activity, expected, marked.get(activity.pk, 0)))
    return rows


def dashboard_counts(today):
    return {
        "enrolments": Enrolment.objects.filter(status__in=[Enrolment.Status.PENDING,
                                                           Enrolment.Status.REGISTERED]).count(),
        "absences": AbsenceJustification.objects.filter(status=AbsenceJustification.Status.PENDING).count(),
        "attendance": attendance_to_take(today),
    }
