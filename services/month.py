"""The parent's month calendar: for each child and each activity booked day by day, the
state of every day of the month and whether (and until when) it can still be changed.

``month_for(user, children, activities, first_day, *, now)`` reads everything it needs
in a constant number of queries, whatever the number of children, days or activities:
the activities with their rules (1), the calendar (2), the enrolments (1), the
bookings with their waiting-list position (1) and the places taken (1). The per-day
answers come from the deadline engine (``services.deadlines``) working in memory.

It only describes the month: the screens send the ticked and unticked days to
``services.bookings.apply_changes``, which checks every rule again on the server.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from . import places
from .calendars import Calendar
from .deadlines import can_book, can_cancel, sick_cancellation_deadline
from .models import Activity, Booking, Enrolment
from .rules import format_moment, local_date

Status = Booking.Status

# Day states (also CSS classes ``state-<state>``).
BOOKED = "booked"
WAITING = "waiting"
NOT_BOOKED = "not_booked"
NOT_RUNNING = "not_running"
CLOSED = "closed"
NOT_ENROLLED = "not_enrolled"


def month_bounds(first_day):
    first_day = first_day.replace(day=1)
    following = (first_day + dt.timedelta(days=32)).replace(day=1)
    return first_day, following - dt.timedelta(days=1)


def parse_month(value):
    """``"2026-11"`` → ``date(2026, 11, 1)``; None when the value is not a month."""
    if not value or len(value) != 7 or value[4] != "-":
        return None
    year, month = value[:4], value[5:]
    if not (year.isdigit() and month.isdigit()):
        return None
    try:
        return dt.date(int(year), int(month), 1)
    except ValueError:
        return None


def day_key(child_id, activity_id, day):
    """The value a day's checkbox posts: ``<child id>:<activity id>:<YYYY-MM-DD>``."""
    return f"{child_id}:{activity_id}:{day.isoformat()}"


@dataclass
class DayCell:
    day: dt.date
    state: str
    key: str = ""
    label: str = ""            # the state in words
    changeable: bool = False   # a checkbox is offered
    checked: bool = False
    deadline: dt.datetime | None = None   # until when it can be changed (booked: cancelled)
    reason: str = ""           # why it cannot be changed
    position: int | None = None
    full: bool = False
    sick_until: dt.datetime | None = None  # the same-morning sick cancellation is open until then

    @property
    def deadline_text(self):
        return format_moment(self.deadline) if self.deadline else ""

    @property
    def sick_until_text(self):
        return format_moment(self.sick_until) if self.sick_until else ""

    @property
    def runs(self):
        return self.state not in (NOT_RUNNING, CLOSED)


@dataclass
class ActivityMonth:
    activity: Activity
    cells: list = field(default_factory=list)

    @property
    def running_cells(self):
        return [cell for cell in self.cells if cell.runs]

    @property
    def changeable_count(self):
        return sum(1 for cell in self.cells if cell.changeable)

    @property
    def booked_count(self):
        return sum(1 for cell in self.cells if cell.state == BOOKED)


@dataclass
class ChildMonth:
    child: object
    activities: list = field(default_factory=list)

    @property
    def sick_cells(self):
        return [(row.activity, cell) for row in self.activities for cell in row.cells if cell.sick_until]


@dataclass
class Month:
    first_day: dt.date
    last_day: dt.date
    children: list = field(default_factory=list)

    @property
    def previous(self):
        return (self.first_day - dt.timedelta(days=1)).replace(day=1)

    @property
    def next(self):
        return self.last_day + dt.timedelta(days=1)

    @property
    def days(self):
        return [self.first_day + dt.timedelta(days=n) for n in range((self.last_day - self.first_day).days + 1)]

    @property
    def displayed_keys(self):
        return [cell.key for child in self.children for row in child.activities for cell in row.cells
                if cell.changeable]


def load_activities(activity_ids):
    """The activities with what the deadline engine reads (one query)."""
    return list(Activity.objects.filter(pk__in=list(activity_ids))
                .select_related("service", "booking_rule__fallback", "cancellation_rule__fallback")
                .order_by("name", "pk"))


def bookings_with_position(child_ids, activity_ids, start, end):
    """The children's bookings of the range, each waiting one with its position on the
    day's waiting list (first come, first served), in one query."""
    ahead = (Booking.objects.filter(activity_id=OuterRef("activity_id"), day=OuterRef("day"), status=Status.WAITING)
             .filter(Q(waiting_since__lt=OuterRef("waiting_since"))
                     | Q(waiting_since=OuterRef("waiting_since"), id__lt=OuterRef("id")))
             .order_by().values("activity_id").annotate(n=Count("id")).values("n"))
    return (Booking.objects.filter(child_id__in=list(child_ids), activity_id__in=list(activity_ids),
                                   day__gte=start, day__lte=end)
            .annotate(ahead=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0))))


def month_for(user, children, activities, first_day, *, now, calendar=None):
    """The ``Month`` of ``children`` (already checked visible to ``user``) for the
    ``activities`` (those not booked day by day are left out) from ``first_day``'s month.
    Each child gets a row per activity it has an open enrolment for in that month."""
    first_day, last_day = month_bounds(first_day)
    children = list(children)
    activities = [a for a in load_activities({a.pk for a in activities}) if a.is_bookable_by_day]
    month = Month(first_day, last_day)
    if not children or not activities:
        return month
    child_ids = [c.pk for c in children]
    activity_ids = [a.pk for a in activities]
    calendar = calendar or Calendar.load(start=first_day, end=last_day)
    enrolments = {}
    for enrolment in Enrolment.objects.filter(child_id__in=child_ids, activity_id__in=activity_ids,
                                              status__in=Enrolment.OPEN, start_date__lte=last_day,
                                              end_date__gte=first_day).order_by("start_date", "pk"):
        enrolments.setdefault((enrolment.child_id, enrolment.activity_id), []).append(enrolment)
    bookings = {(b.child_id, b.activity_id, b.day): b
                for b in bookings_with_position(child_ids, activity_ids, first_day, last_day)}
    counters = places.counters(activity_ids, first_day, last_day)
    now_day = local_date(now)
    for child in children:
        child_month = ChildMonth(child)
        for activity in activities:
            own = enrolments.get((child.pk, activity.pk))
            if not own:
                continue
            row = ActivityMonth(activity)
            for day in month.days:
                row.cells.append(_cell(child, activity, day, own, bookings.get((child.pk, activity.pk, day)),
                                       counters.get((activity.pk, day)), calendar, now, now_day))
            child_month.activities.append(row)
        month.children.append(child_month)
    return month


def _cell(child, activity, day, enrolments, booking, counter, calendar, now, now_day):
    if not calendar.runs_on(activity, day):
        weekday_ok = not activity.weekdays or day.weekday() in activity.weekdays
        holiday = calendar.public_holidays.get(day) or calendar.closure(day, activity.pk)
        if weekday_ok and holiday is not None:
            return DayCell(day, CLOSED, label=_("Fermé (%(name)s)") % {"name": holiday.name})
        return DayCell(day, NOT_RUNNING, label=_("Pas d'activité"))
    key = day_key(child.pk, activity.pk, day)
    status = booking.status if booking is not None else None
    if status == Status.BOOKED:
        cell = DayCell(day, BOOKED, key=key, label=_("Réservé"), checked=True)
        decision = can_cancel(activity, day, now, calendar=calendar)
        if decision.ok:
            cell.changeable, cell.deadline = True, decision.deadline
        else:
            cell.reason = _("Annulation impossible : le délai est passé depuis le %(deadline)s.") % {
                "deadline": format_moment(decision.deadline)}
            if day >= now_day and can_cancel(activity, day, now, sick=True, calendar=calendar).ok:
                cell.sick_until = sick_cancellation_deadline(activity, day)
        return cell
    if status == Status.WAITING:
        position = (booking.ahead or 0) + 1
        cell = DayCell(day, WAITING, key=key, checked=True, position=position,
                       label=_("Liste d'attente, position %(position)s") % {"position": position})
        decision = can_book(activity, day, now, calendar=calendar)
        # Leaving the waiting list stays possible whatever the deadline.
        cell.changeable = day >= now_day
        cell.deadline = decision.deadline if decision.ok else None
        if not cell.changeable:
            cell.reason = _("Ce jour est passé.")
        return cell
    active = [e for e in enrolments if e.covers(day)]
    if not any(e.status == Enrolment.Status.ACTIVE for e in active):
        label = _("Inscription en attente") if active else _("Hors inscription")
        return DayCell(day, NOT_ENROLLED, label=label,
                       reason=_("Pas d'inscription active à cette date."))
    cell = DayCell(day, NOT_BOOKED, key=key, label=_("Non réservé"))
    decision = can_book(activity, day, now, calendar=calendar)
    if decision.ok:
        cell.changeable, cell.deadline = True, decision.deadline
        left = places.places_left(activity, counter)
        cell.full = left is not None and left <= 0
    elif decision.reason_code == "deadline_passed":
        cell.reason = _("Réservation impossible : le délai est passé depuis le %(deadline)s.") % {
            "deadline": format_moment(decision.deadline)}
    else:
        cell.reason = _("Cette activité n'est pas ouverte aux réservations.")
    return cell
