"""Places: the last one cannot be taken twice.

Each occurrence (and each enrolment period) has one ``PlaceCounter`` row. A place is
taken with a conditional ``UPDATE ... SET taken = taken + 1 WHERE taken < capacity``:
the database row lock serialises concurrent requests on PostgreSQL (the second one
re-reads the row after the first commits and finds no place left), SQLite writes one
transaction at a time, and the check constraint ``taken <= capacity`` refuses an
overbooking whatever the code does. Call these functions inside the transaction that
writes the booking or the enrolment they count.
"""

from django.db import transaction
from django.db.models import F, Q

from .models import PlaceCounter


def ensure_counter(activity, day, scope):
    """Create the counter row of (activity, scope, day) if missing; concurrent creators
    do not fail (INSERT ... ON CONFLICT DO NOTHING)."""
    if PlaceCounter.objects.filter(activity_id=activity.pk, scope=scope, day=day).exists():
        return
    taken = _count_holders(activity, day, scope)
    capacity, custom = activity.capacity, False
    if capacity is not None and taken > capacity:
        # Rows counted above the capacity (capacity set after the bookings were made):
        # the occurrence starts full, never overbooked.
        capacity, custom = taken, True
    with transaction.atomic():
        PlaceCounter.objects.bulk_create(
            [PlaceCounter(activity_id=activity.pk, scope=scope, day=day, capacity=capacity, taken=taken,
                          custom_capacity=custom)],
            ignore_conflicts=True,
        )


def _count_holders(activity, day, scope):
    from .models import Booking, Enrolment

    if scope == PlaceCounter.Scope.BOOKING:
        return Booking.objects.filter(activity_id=activity.pk, day=day, status=Booking.Status.BOOKED).count()
    return Enrolment.objects.filter(activity_id=activity.pk, start_date=day, status__in=Enrolment.HOLDING).count()


def take(activity, day, scope=PlaceCounter.Scope.BOOKING):
    """Take one place; True when taken, False when the occurrence is full."""
    ensure_counter(activity, day, scope)
    updated = (
        PlaceCounter.objects.filter(activity_id=activity.pk, scope=scope, day=day)
        .filter(Q(capacity__isnull=True) | Q(taken__lt=F("capacity")))
        .update(taken=F("taken") + 1)
    )
    return updated == 1


def release(activity, day, scope=PlaceCounter.Scope.BOOKING):
    """Give one place back."""
    ensure_counter(activity, day, scope)
    PlaceCounter.objects.filter(activity_id=activity.pk, scope=scope, day=day, taken__gt=0).update(
        taken=F("taken") - 1
    )


def counters(activity_ids, start, end, scope=PlaceCounter.Scope.BOOKING):
    """``{(activity_id, day): PlaceCounter}`` for a range of days (one query)."""
    rows = PlaceCounter.objects.filter(activity_id__in=list(activity_ids), scope=scope, day__gte=start, day__lte=end)
    return {(row.activity_id, row.day): row for row in rows}


def places_left_on(activity, day, scope=PlaceCounter.Scope.BOOKING):
    """Places left on (activity, scope, day), read without writing (None: without limit)."""
    counter = PlaceCounter.objects.filter(activity_id=activity.pk, scope=scope, day=day).first()
    if counter is not None:
        return counter.places_left
    if activity.capacity is None:
        return None
    return max(activity.capacity - _count_holders(activity, day, scope), 0)


def places_left(activity, counter):
    """Places left (None: without limit) given the counter row (or None if no place was taken yet)."""
    if counter is None:
        return activity.capacity
    return counter.places_left
