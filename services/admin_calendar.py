"""The month calendar of one child and one activity, as an agent sees it when booking
for a family (``services.admin_views.FamilyBookingMonthView``): every day of the month,
whether the activity runs, the child's booking, the deadlines and the places left.

Read in a constant number of queries (the calendar, the child's bookings, the places),
whatever the number of days; the decisions themselves are taken by
``services.bookings.apply_changes`` when the agent confirms.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import places
from .calendars import Calendar
from .deadlines import booking_deadline, cancellation_deadline
from .models import Booking


def parse_month(value, today):
    """``YYYY-MM`` → the first day of that month (today's month when unreadable)."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return dt.date(year, month, 1)
    except (TypeError, ValueError):
        return today.replace(day=1)


def month_bounds(first):
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return first, last


def shift_month(first, months):
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass
class Cell:
    day: dt.date
    in_month: bool
    runs: bool = False
    status: str = ""  # booked / waiting / cancelled / ""
    off_label: str = ""
    booking_deadline: dt.datetime | None = None
    cancel_deadline: dt.datetime | None = None
    places_left: int | None = None
    late: bool = False

    @property
    def ticked(self):
        return self.status in (Booking.Status.BOOKED, Booking.Status.WAITING)

    @property
    def key(self):
        return self.day.isoformat()


@dataclass
class Month:
    first: dt.date
    last: dt.date
    weeks: list

    @property
    def cells(self):
        return [cell for week in self.weeks for cell in week if cell.in_month and cell.runs]

    @property
    def previous(self):
        return shift_month(self.first, -1)

    @property
    def next(self):
        return shift_month(self.first, 1)


def month_calendar(child, activity, first, now):
    first, last = month_bounds(first)
    calendar = Calendar.load(start=first, end=last)
    bookings = {b.day: b for b in Booking.objects.filter(child_id=child.pk, activity_id=activity.pk,
                                                         day__gte=first, day__lte=last)}
    counters = places.counters([activity.pk], first, last)
    start = first - dt.timedelta(days=first.weekday())
    end = last + dt.timedelta(days=6 - last.weekday())
    weeks, week = [], []
    day = start
    while day <= end:
        cell = Cell(day=day, in_month=first <= day <= last)
        if cell.in_month:
            cell.runs = calendar.runs_on(activity, day)
            booking = bookings.get(day)
            cell.status = booking.status if booking is not None else ""
            cell.late = bool(booking is not None and booking.booked_late and booking.status == Booking.Status.BOOKED)
            if cell.runs:
                cell.booking_deadline = booking_deadline(activity, day, calendar=calendar)
                cell.cancel_deadline = cancellation_deadline(activity, day, calendar=calendar)
                cell.places_left = places.places_left(activity, counters.get((activity.pk, day)))
            else:
                off = (calendar.closure(day, activity.pk) or calendar.public_holidays.get(day)
                       or calendar.school_holiday(day))
                cell.off_label = off.name if off is not None else _("pas d'activité")
        week.append(cell)
        if len(week) == 7:
            weeks.append(week)
            week = []
        day += dt.timedelta(days=1)
    return Month(first=first, last=last, weeks=weeks)
