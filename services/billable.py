"""What the invoicing run reads from bookings and attendance.

Contract between services (which owns bookings and attendance) and billing (which owns
the monthly run):

    month_facts(year, month, *, activity_ids=None) -> iterable of BillableFact

one fact per child, activity and occurrence of that month that may be charged or
credited, with its status after attendance. ``key`` is stable across re-runs, so the
run can refuse to invoice the same occurrence twice. ``booked_by_id`` is the user who
made (or last changed) the booking, so that separated parents who are both payers are
each invoiced for their own bookings (None: an agent's booking, or an unbooked presence).
"""

from dataclasses import dataclass
from datetime import date, timedelta

BOOKED_PRESENT = "booked_present"
BOOKED_ABSENT = "booked_absent"  # charged unless justified
BOOKED_ABSENT_JUSTIFIED = "booked_absent_justified"  # medical certificate accepted: not charged
BOOKED_NOT_RECORDED = "booked_not_recorded"  # no attendance taken: charged as booked
PRESENT_UNBOOKED = "present_unbooked"  # surcharge
CANCELLED_IN_TIME = "cancelled_in_time"  # not charged
CANCELLED_LATE = "cancelled_late"  # charged
STATUSES = (
    BOOKED_PRESENT,
    BOOKED_ABSENT,
    BOOKED_ABSENT_JUSTIFIED,
    BOOKED_NOT_RECORDED,
    PRESENT_UNBOOKED,
    CANCELLED_IN_TIME,
    CANCELLED_LATE,
)


@dataclass(frozen=True)
class BillableFact:
    key: str  # e.g. "booking:1234" or "attendance:987": unique and stable
    household_id: int
    child_id: int
    activity_id: int
    day: date
    status: str
    booked_late: bool = False
    booked_by_id: int | None = None
    # A day of a stay paid when booked (an activity of shape "stay" with
    # ``prepayment_required``): its charge is the stay's own invoice, made when the
    # enrolment becomes active (``stay_facts``, ``billing.stays``); the monthly run never
    # charges it.
    prepaid: bool = False


CHUNK = 2000


def _month_range(year, month):
    first = date(year, month, 1)
    last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return first, last


def month_facts(year, month, *, activity_ids=None):
    """The month's billable facts, one per child, activity and occurrence, read in two
    streamed queries (never the whole month in memory):

    - every booking row booked or cancelled that month, with its attendance mark and
      whether an accepted absence justification covers it (key ``booking:<id>``):
      booked and present ``booked_present``; booked and absent ``booked_absent``, or
      ``booked_absent_justified``; booked without a mark ``booked_not_recorded`` (or
      justified); cancelled in time ``cancelled_in_time``; cancelled after the deadline
      (a sick child the same morning, an agent's late cancellation)
      ``cancelled_late``, or ``booked_absent_justified`` with a certificate; cancelled
      but present all the same: ``booked_present`` when cancelled late, otherwise
      ``present_unbooked``;
    - every presence without such a booking row (key ``attendance:<id>``):
      ``present_unbooked`` (yearly courses excepted: they are charged on their
      enrolment, see ``services.enrolments``).

    Waiting-list requests that never got a place are not facts. ``booked_by_id`` is
    the parent who booked (None when an agent booked for the family, or for an
    unbooked presence). ``prepaid`` marks the days of a stay paid when booked (see
    ``stay_facts``)."""
    from django.db.models import Exists, OuterRef, Subquery

    from .models import AbsenceJustification, Attendance, Booking

    first, last = _month_range(year, month)
    bookings = Booking.objects.filter(day__gte=first, day__lte=last,
                                      status__in=[Booking.Status.BOOKED, Booking.Status.CANCELLED])
    # Yearly courses are charged on their enrolment, not per presence.
    attendance = Attendance.objects.filter(day__gte=first, day__lte=last, status=Attendance.Status.PRESENT).exclude(
        activity__shape__in=["course", "school_enrolment", "hall_slot"])
    if activity_ids is not None:
        bookings = bookings.filter(activity_id__in=list(activity_ids))
        attendance = attendance.filter(activity_id__in=list(activity_ids))
    marks = Attendance.objects.filter(child_id=OuterRef("child_id"), activity_id=OuterRef("activity_id"),
                                      day=OuterRef("day")).values("status")[:1]
    justified = AbsenceJustification.bookings.through.objects.filter(
        booking_id=OuterRef("pk"), absencejustification__status=AbsenceJustification.Status.ACCEPTED)
    rows = (
        bookings.annotate(mark=Subquery(marks), justified=Exists(justified))
        .order_by("pk")
        .values_list("pk", "household_id", "child_id", "activity_id", "day", "status", "booked_late",
                     "cancelled_late", "booked_by_id", "mark", "justified", "activity__prepayment_required",
                     "activity__shape")
    )
    for (pk, household_id, child_id, activity_id, day, status, booked_late, cancelled_late, booked_by_id, mark,
         is_justified, prepayment_required, shape) in rows.iterator(chunk_size=CHUNK):
        prepaid = bool(prepayment_required and shape == "stay")
        if status == Booking.Status.BOOKED:
            if mark == Attendance.Status.PRESENT:
                fact_status = BOOKED_PRESENT
            elif is_justified:
                fact_status = BOOKED_ABSENT_JUSTIFIED
            elif mark == Attendance.Status.ABSENT:
                fact_status = BOOKED_ABSENT
            else:
                fact_status = BOOKED_NOT_RECORDED
        elif mark == Attendance.Status.PRESENT:
            fact_status = BOOKED_PRESENT if cancelled_late else PRESENT_UNBOOKED
        elif cancelled_late:
            fact_status = BOOKED_ABSENT_JUSTIFIED if is_justified else CANCELLED_LATE
        else:
            fact_status = CANCELLED_IN_TIME
        yield BillableFact(
            key=f"booking:{pk}", household_id=household_id, child_id=child_id, activity_id=activity_id, day=day,
            status=fact_status, booked_late=bool(booked_late and status == Booking.Status.BOOKED),
            booked_by_id=booked_by_id if fact_status != PRESENT_UNBOOKED else None, prepaid=prepaid,
        )
    has_booking_row = Booking.objects.filter(
        child_id=OuterRef("child_id"), activity_id=OuterRef("activity_id"), day=OuterRef("day"),
        status__in=[Booking.Status.BOOKED, Booking.Status.CANCELLED])
    unbooked = (attendance.annotate(booked=Exists(has_booking_row)).filter(booked=False).order_by("pk")
                .values_list("pk", "household_id", "child_id", "activity_id", "day"))
    for pk, household_id, child_id, activity_id, day in unbooked.iterator(chunk_size=CHUNK):
        yield BillableFact(key=f"attendance:{pk}", household_id=household_id, child_id=child_id,
                           activity_id=activity_id, day=day, status=PRESENT_UNBOOKED)


def stay_facts(enrolment):
    """The facts of a stay paid when booked: one per day of ``enrolment`` still booked
    (key ``booking:<id>``, the same key ``month_facts`` gives that day, so that an
    occurrence is never invoiced twice), charged as booked (``booked_not_recorded``).
    Billing turns them into the stay's own invoice (``billing.stays``)."""
    from .models import Booking

    rows = (Booking.objects.filter(child_id=enrolment.child_id, activity_id=enrolment.activity_id,
                                   day__gte=enrolment.start_date, day__lte=enrolment.end_date,
                                   status=Booking.Status.BOOKED)
            .order_by("day", "pk").values_list("pk", "household_id", "child_id", "activity_id", "day", "booked_by_id"))
    return [BillableFact(key=f"booking:{pk}", household_id=household_id, child_id=child_id, activity_id=activity_id,
                         day=day, status=BOOKED_NOT_RECORDED, booked_by_id=booked_by_id, prepaid=True)
            for pk, household_id, child_id, activity_id, day, booked_by_id in rows]
