"""The availability calendar of a hall: one month, one row per day, one column per slot.

Four queries whatever the month holds: the hall's slots, its hire terms, the closures
and the requests that hold a slot in the month. Nobody's name is shown to parents; the
user's own requests are marked as theirs, staff see every request.
"""

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import PARIS, HallClosure, HallRequest, terms_for

FREE = "free"
APPROVED = "approved"
PENDING = "pending"
OWN = "own"
CLOSED = "closed"
NOT_OFFERED = "not_offered"
TOO_LATE = "too_late"
NOT_OPEN_YET = "not_open_yet"

LABELS = {
    FREE: _("Libre"),
    APPROVED: _("Réservé"),
    PENDING: _("Demande en cours"),
    OWN: _("Votre demande"),
    CLOSED: _("Fermé"),
    NOT_OFFERED: _("Non proposé"),
    TOO_LATE: _("Délai dépassé"),
    NOT_OPEN_YET: _("Pas encore ouvert"),
}


@dataclass
class Cell:
    slot: object
    state: str
    note: str = ""
    hall_request: object = None

    @property
    def label(self):
        return LABELS[self.state]

    @property
    def requestable(self):
        return self.state == FREE


@dataclass
class Row:
    day: dt.date
    cells: list = field(default_factory=list)

    @property
    def is_weekend(self):
        return self.day.weekday() >= 5


@dataclass
class Month:
    hall: object
    first_day: dt.date
    slots: list
    rows: list
    previous: dt.date | None
    next: dt.date | None

    @property
    def free_count(self):
        return sum(1 for row in self.rows for cell in row.cells if cell.state == FREE)


def parse_month(value, today):
    """The first day of the month in ``value`` ("2027-06"), or of today's month."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return dt.date(year, month, 1)
    except (TypeError, ValueError):
        return today.replace(day=1)


def add_months(day, count):
    month = day.month - 1 + count
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


def month_calendar(hall, first_day, *, now=None, user=None, staff=False):
    """The month of ``first_day`` for ``hall``; ``user``'s own requests are marked."""
    now = now or timezone.now()
    today = timezone.localtime(now, PARIS).date()
    first_day = first_day.replace(day=1)
    last_day = first_day.replace(day=pycalendar.monthrange(first_day.year, first_day.month)[1])
    terms = terms_for(hall)
    slots = list(hall.hire_slots.filter(is_active=True).order_by("order", "start_time", "name"))
    span = dt.timedelta(days=4)  # a slot ends at most three days after it starts
    closures = list(
        HallClosure.objects.filter(Q(hall=hall) | Q(hall__isnull=True),
                                   start_date__lte=last_day + span, end_date__gte=first_day)
    )
    window_start = dt.datetime.combine(first_day, dt.time.min, tzinfo=PARIS)
    window_end = dt.datetime.combine(last_day + span, dt.time.min, tzinfo=PARIS)
    holding = HallRequest.objects.holding().filter(hall=hall, starts_at__lt=window_end, ends_at__gt=window_start)
    if staff:
        holding = holding.select_related("slot")
    requests = [r for r in holding if r.status == HallRequest.Status.APPROVED or
                (r.expires_at is None or r.expires_at > now)]

    earliest = today + dt.timedelta(days=terms.min_notice_days)
    latest = today + dt.timedelta(days=terms.max_advance_days)
    rows = []
    day = first_day
    while day <= last_day:
        row = Row(day)
        for slot in slots:
            row.cells.append(_cell(slot, day, now, earliest, latest, closures, requests, user, staff))
        rows.append(row)
        day += dt.timedelta(days=1)

    this_month = today.replace(day=1)
    previous = add_months(first_day, -1)
    following = add_months(first_day, 1)
    return Month(
        hall=hall,
        first_day=first_day,
        slots=slots,
        rows=rows,
        previous=previous if (staff or previous >= this_month) else None,
        next=following if (staff or following <= latest) else None,
    )


def _cell(slot, day, now, earliest, latest, closures, requests, user, staff):
    if not slot.starts_on(day):
        return Cell(slot, NOT_OFFERED)
    start, end = slot.interval(day)
    last = slot.last_day(day)
    for hall_request in requests:
        if hall_request.starts_at < end and start < hall_request.ends_at:
            if user is not None and hall_request.requester_id == getattr(user, "pk", None) and not staff:
                return Cell(slot, OWN, hall_request=hall_request)
            state = APPROVED if hall_request.status == HallRequest.Status.APPROVED else PENDING
            return Cell(slot, state, hall_request=hall_request if staff else None)
    for closure in closures:
        if closure.start_date <= last and day <= closure.end_date:
            return Cell(slot, CLOSED, note=closure.reason)
    if start <= now or day < earliest:
        return Cell(slot, TOO_LATE)
    if day > latest:
        return Cell(slot, NOT_OPEN_YET)
    return Cell(slot, FREE)
