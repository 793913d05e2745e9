"""Attendance (pointage): the day's list per activity and site, marks, meal counts.

- ``day_list(activity, day)``: who is expected (booked, or enrolled in a yearly course)
  and who was marked, with allergies, medical plan (PAI), diet and the authorised
  persons valid that day; a constant number of queries whatever the number of children.
- ``mark(agent, child, activity, day, status, *, now, reason="")``: present, absent
  (with a reason), or present without booking (a child marked present who was not
  booked: billing applies its surcharge). Traced (``ATTENDANCE``).
- ``meal_counts(day)``: meals per school restaurant for the kitchen.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _

from accounts.audit import record
from accounts.models import AuditEvent, AuthorisedPerson, Child

from .models import Activity, Attendance, Booking, Enrolment
from .rules import Refusal, is_agent, local_date

ATTENDANCE_PERMISSION = "services.change_attendance"
Status = Attendance.Status


@dataclass
class Row:
    child: object
    booking: object = None
    attendance: object = None
    enrolled: bool = False
    authorised_persons: list = field(default_factory=list)

    @property
    def booked(self):
        return self.booking is not None and self.booking.status == Booking.Status.BOOKED

    @property
    def state(self):
        """``expected``, ``present``, ``absent`` or ``present_unbooked``."""
        if self.attendance is None:
            return "expected"
        if self.attendance.status == Status.ABSENT:
            return "absent"
        return "present" if (self.booked or self.enrolled) else "present_unbooked"


def attendance_activities():
    """Activities that take attendance (every shape but school enrolment and hall slots)."""
    return (Activity.objects.filter(is_active=True).exclude(
        shape__in=[Activity.Shape.SCHOOL_ENROLMENT, Activity.Shape.HALL_SLOT])
        .select_related("service").order_by("service__order", "site", "name"))


def day_list(activity, day):
    """The rows of the day's list, ordered by class then name (five queries)."""
    authorised = Prefetch(
        "authorised_persons",
        queryset=AuthorisedPerson.objects.filter(Q(valid_from__lte=day),
                                                 Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .order_by("last_name", "first_name"),
        to_attr="valid_persons",
    )
    bookings = {b.child_id: b for b in Booking.objects.filter(activity_id=activity.pk, day=day)}
    marks = {a.child_id: a for a in Attendance.objects.filter(activity_id=activity.pk, day=day)}
    enrolled = set()
    if activity.shape == Activity.Shape.COURSE:
        enrolled = set(Enrolment.objects.filter(activity_id=activity.pk, status=Enrolment.Status.ACTIVE,
                                                start_date__lte=day, end_date__gte=day).values_list("child_id",
                                                                                                   flat=True))
    expected = {child_id for child_id, b in bookings.items() if b.status == Booking.Status.BOOKED} | enrolled
    child_ids = expected | set(marks)
    children = (Child.objects.filter(pk__in=child_ids).select_related("household")
                .prefetch_related(authorised).order_by("class_level", "last_name", "first_name"))
    rows = []
    for child in children:
        rows.append(Row(child=child, booking=bookings.get(child.pk), attendance=marks.get(child.pk),
                        enrolled=child.pk in enrolled, authorised_persons=child.valid_persons))
    return rows


def summary(rows):
    counts = {"expected": 0, "present": 0, "absent": 0, "present_unbooked": 0}
    for row in rows:
        counts[row.state] += 1
    counts["total"] = len(rows)
    counts["booked"] = sum(1 for row in rows if row.booked or row.enrolled)
    return counts


def _require_agent(user):
    if not is_agent(user) or not user.has_perm(ATTENDANCE_PERMISSION):
        raise Refusal("not_allowed", _("Seul un agent de la commune peut pointer les présences."))


def mark(agent, child, activity, day, status, *, now, reason="", note="", request=None):
    """Record (or correct) ``child``'s attendance; returns the ``Attendance``."""
    _require_agent(agent)
    if status not in Status.values:
        raise Refusal("invalid_status", _("Pointage inconnu."))
    if day > local_date(now):
        raise Refusal("future_day", _("On ne pointe pas un jour à venir."))
    if status == Status.ABSENT:
        reason = reason or Attendance.AbsenceReason.UNKNOWN
        if reason not in Attendance.AbsenceReason.values:
            raise Refusal("invalid_reason", _("Motif d'absence inconnu."))
    else:
        reason = ""
    with transaction.atomic():
        existing = Attendance.objects.select_for_update().filter(child_id=child.pk, activity_id=activity.pk,
                                                                 day=day).first()
        before = None if existing is None else {"status": existing.status, "reason": existing.absence_reason}
        booked = Booking.objects.filter(child_id=child.pk, activity_id=activity.pk, day=day,
                                        status=Booking.Status.BOOKED).exists()
        values = {"status": status, "absence_reason": reason, "note": note.strip()[:255], "recorded_at": now,
                  "recorded_by": agent, "household_id": child.household_id}
        if existing is None:
            attendance = Attendance.objects.create(child=child, activity=activity, day=day, **values)
        else:
            for name, value in values.items():
                setattr(existing, name, value)
            existing.save()
            attendance = existing
        if status == Status.PRESENT and not booked and activity.shape != Activity.Shape.COURSE:
            label = _("présent sans réservation")
        else:
            label = attendance.get_status_display()
        record(AuditEvent.Action.ATTENDANCE, actor=agent, household=child.household, obj=attendance,
               summary=_("Pointage : %(child)s, %(activity)s, %(day)s — %(label)s") % {
                   "child": child, "activity": activity.name, "day": day.strftime("%d/%m/%Y"), "label": label},
               before=before, after={"status": status, "reason": reason, "booked": booked}, request=request,
               acting_for_family=False)
    return attendance


def unmark(agent, child, activity, day, *, request=None):
    """Remove a mark taken by mistake (traced)."""
    _require_agent(agent)
    with transaction.atomic():
        existing = Attendance.objects.filter(child_id=child.pk, activity_id=activity.pk, day=day).first()
        if existing is None:
            return
        before = {"status": existing.status, "reason": existing.absence_reason}
        existing.delete()
        record(AuditEvent.Action.ATTENDANCE, actor=agent, household=child.household,
               summary=_("Pointage effacé : %(child)s, %(activity)s, %(day)s") % {
                   "child": child, "activity": activity.name, "day": day.strftime("%d/%m/%Y")},
               before=before, after=None, request=request, acting_for_family=False)


def meal_counts(day):
    """Meals per restaurant for ``day`` (the activities marked « repas servi »): booked,
    per diet, medical plans, and present once marked. Four queries."""
    canteens = list(Activity.objects.filter(serves_meal=True).order_by("site", "name"))
    ids = [a.pk for a in canteens]
    diets = {
        (row["activity_id"], row["child__diet"]): row["n"]
        for row in Booking.objects.filter(activity_id__in=ids, day=day, status=Booking.Status.BOOKED)
        .values("activity_id", "child__diet").annotate(n=Count("id"))
    }
    medical = dict(Booking.objects.filter(activity_id__in=ids, day=day, status=Booking.Status.BOOKED,
                                          child__has_medical_plan=True)
                   .values("activity_id").annotate(n=Count("id")).values_list("activity_id", "n"))
    present = dict(Attendance.objects.filter(activity_id__in=ids, day=day, status=Status.PRESENT)
                   .values("activity_id").annotate(n=Count("id")).values_list("activity_id", "n"))
    rows = []
    for activity in canteens:
        per_diet = [(label, diets.get((activity.pk, code), 0)) for code, label in Child.Diet.choices]
        rows.append({"activity": activity, "site": activity.site or activity.name,
                     "booked": sum(n for _label, n in per_diet), "diets": per_diet,
                     "medical_plans": medical.get(activity.pk, 0), "present": present.get(activity.pk)})
    return rows


def week_days(day):
    monday = day - dt.timedelta(days=day.weekday())
    return [monday + dt.timedelta(days=i) for i in range(7)]
