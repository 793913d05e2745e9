"""Demo data for the agents' screens (attendance, enrolment requests, absence
justifications), on top of the services catalogue (``services.demo``), the families
(``accounts.demo``) and their documents (``documents.demo``):

- the demo children are enrolled in their school's canteen for the school year
  (an open enrolment already there, e.g. made by the parents' demo, is kept);
- they are booked for the canteen on every day it runs in the last seven days up to
  today (or, in holidays, on its last day before today): **today's list
  is left to mark**, the earlier days are marked present, except Nathan, absent (sick)
  on the latest earlier day, with a medical certificate his mother sent: a
  justification waiting for an agent;
- Nathan's request for the elementary school with a derogation (his sister goes to
  Jules Ferry) waits for the commune's registration.

Bookings and marks of past days are demo history written directly (with their history
lines); the requests go through the domain functions when they can. Idempotent: rows
are found again by their natural keys. Runs last in ``load_demo``.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from . import places
from .calendars import PARIS, Calendar
from .models import AbsenceJustification, Activity, Attendance, Booking, BookingChange, Enrolment, PlaceCounter

CANTEENS = {
    # child first name, household code → canteen activity code
    ("F-000101", "Léa"): "cantine-jules-ferry",
    ("F-000102", "Chloé"): "cantine-jules-ferry",
    ("F-000103", "Inès"): "cantine-jules-ferry",
    ("F-000101", "Hugo"): "cantine-louise-michel",
    ("F-000102", "Nathan"): "cantine-louise-michel",
}
ABSENT = ("F-000102", "Nathan")
SCHOOL_REQUEST = {"household": "F-000102", "child": "Nathan", "activity": "inscription-elementaire",
                  "requested_level": "CP", "requested_school": "École Jules Ferry", "derogation_reason": "sibling",
                  "derogation_details": "Sa sœur Chloé est en CM1 à l'école Jules Ferry.",
                  "parent": "sophie.bernard@example.org"}
LOOK_BACK_DAYS = 120


def attendance_day(activity, today, calendar=None):
    """The day whose attendance the demo leaves to take: today when the activity runs,
    else its last day before today (None when it never ran in the last months)."""
    calendar = calendar or Calendar.load(start=today - dt.timedelta(days=LOOK_BACK_DAYS), end=today)
    day = today
    for _step in range(LOOK_BACK_DAYS):
        if calendar.runs_on(activity, day):
            return day
        day -= dt.timedelta(days=1)
    return None


def booked_days(activity, today, calendar):
    """The days the activity runs in the last seven days up to today; or its last day."""
    days = calendar.occurrence_dates(activity, today - dt.timedelta(days=7), today)
    if days:
        return days
    last = attendance_day(activity, today, calendar)
    return [last] if last else []


def _guardian_user(child):
    from accounts.models import GuardianChildRight

    right = (GuardianChildRight.objects.filter(child=child, can_book=True, guardian__user__isnull=False)
             .select_related("guardian__user").order_by("guardian_id").first())
    return right.guardian.user if right else None


@transaction.atomic
def load(stdout=None, *, now=None):
    from accounts.models import Child

    from .enrolments import school_year_periods

    now = now or timezone.now()
    today = now.astimezone(PARIS).date()
    period = school_year_periods(today)[0]
    calendar = Calendar.load(start=today - dt.timedelta(days=LOOK_BACK_DAYS), end=today)
    activities = {a.code: a for a in Activity.objects.filter(code__in=set(CANTEENS.values()))
                  .select_related("service")}
    summary = {"enrolments": 0, "bookings": 0, "marks": 0, "justifications": 0, "requests": 0}
    absent_booking = None
    for (code, first_name), activity_code in CANTEENS.items():
        child = Child.objects.filter(household__code=code, first_name=first_name).select_related("household").first()
        activity = activities.get(activity_code)
        if child is None or activity is None:
            continue
        parent = _guardian_user(child)
        if not Enrolment.objects.filter(child=child, activity=activity, status__in=Enrolment.OPEN,
                                        start_date__lte=today, end_date__gte=today).exists():
            Enrolment.objects.create(household=child.household, child=child, activity=activity,
                                     start_date=period.start, end_date=period.end, status=Enrolment.Status.ACTIVE,
                                     requested_at=now, requested_by=parent, decided_at=now)
            summary["enrolments"] += 1
        days = booked_days(activity, today, calendar)
        for day in days:
            booking = _book(child, activity, day, parent, now)
            if booking is None:
                continue
            summary["bookings"] += 1
        # Earlier days are marked; today's list is left to take.
        earlier = [day for day in days if day < today]
        for day in earlier:
            if (code, first_name) == ABSENT and day == earlier[-1]:
                if _mark(child, activity, day, Attendance.Status.ABSENT, now, Attendance.AbsenceReason.SICK):
                    summary["marks"] += 1
                absent_booking = Booking.objects.get(child=child, activity=activity, day=day)
            elif _mark(child, activity, day, Attendance.Status.PRESENT, now):
                summary["marks"] += 1
    if absent_booking is not None and _justification(absent_booking, now):
        summary["justifications"] += 1
    if _school_request(now):
        summary["requests"] += 1
    if stdout is not None:
        stdout.write("Suivi des services : " + ", ".join(f"{k} {v}" for k, v in summary.items()) + "\n")
    return summary


def _book(child, activity, day, parent, now):
    """The booking of a past (or today's) day, as the family made it earlier."""
    if Booking.objects.filter(child=child, activity=activity, day=day).exists():
        return None
    if not places.take(activity, day, PlaceCounter.Scope.BOOKING):
        return None
    at = now - dt.timedelta(days=14)
    booking = Booking.objects.create(
        household=child.household, child=child, activity=activity, day=day, status=Booking.Status.BOOKED,
        booked_at=at, booked_by=parent, changed_at=at, changed_by=parent, changed_by_agent=parent is None)
    BookingChange.objects.create(
        booking=booking, household=child.household, child=child, activity=activity, day=day, at=at, actor=parent,
        actor_label=parent.email if parent else "", acting_for_family=parent is None,
        action=BookingChange.Action.BOOKED, before_status="", after_status=Booking.Status.BOOKED,
        note="" if parent else "démarche papier")
    return booking


def _mark(child, activity, day, status, now, reason=""):
    from accounts.models import User

    agent = User.objects.filter(email="agent@example.org").first()
    _attendance, created = Attendance.objects.get_or_create(
        child=child, activity=activity, day=day,
        defaults={"household": child.household, "status": status, "absence_reason": reason, "recorded_at": now,
                  "recorded_by": agent})
    return created


def _justification(booking, now):
    """Nathan's medical certificate (sent by his mother, documents demo) covers his
    absent day; the justification waits for an agent."""
    from documents.models import SupportingDocument

    if AbsenceJustification.objects.filter(child_id=booking.child_id, first_day=booking.day).exists():
        return False
    document = (SupportingDocument.objects.filter(child_id=booking.child_id,
                                                  document_type__code__startswith="certificat-medical")
                .exclude(document_type__code="certificat-sport").order_by("-uploaded_at").first())
    if document is None:
        return False
    justification = AbsenceJustification.objects.create(
        household_id=booking.household_id, child_id=booking.child_id, first_day=booking.day, last_day=booking.day,
        document=document, comment="Gastro-entérite, certificat du médecin joint.", declared_at=now,
        declared_by=_guardian_user(booking.child))
    justification.bookings.set([booking])
    return True


def _school_request(now):
    """Nathan's school enrolment request, through the domain (as his mother made it)."""
    from accounts.models import Child, User

    from .enrolments import request_enrolment
    from .rules import Refusal

    spec = SCHOOL_REQUEST
    child = Child.objects.filter(household__code=spec["household"], first_name=spec["child"]).first()
    activity = Activity.objects.filter(code=spec["activity"]).first()
    parent = User.objects.filter(email=spec["parent"]).first()
    if child is None or activity is None or parent is None:
        return False
    if Enrolment.objects.filter(child=child, activity=activity).exists():
        return False
    try:
        request_enrolment(parent, child, activity, now=now, requested_level=spec["requested_level"],
                          requested_school=spec["requested_school"], derogation_reason=spec["derogation_reason"],
                          derogation_details=spec["derogation_details"])
    except Refusal:
        return False
    return True
